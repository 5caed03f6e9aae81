//! Code-first tracking plans: Rust types are the plan.
//!
//! An event is a struct that derives [`Event`](macro@crate::Event) (with `serde::Serialize` and
//! `schemars::JsonSchema`); its fields are the track call's `properties`. Identify and group
//! traits are any `Serialize + JsonSchema` type ([`Traits`]). An enum that derives
//! [`TrackingPlan`](macro@crate::TrackingPlan) lists them and builds the [`Plan`](plan::Plan),
//! whose section schemas come from [`section_schema`]. The same types build the calls, so what an
//! app sends is what its plan says:
//!
//! ```
//! use cdpspec::{Event, TrackingPlan};
//!
//! /// A person enrolled in a class.
//! #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
//! #[event(name = "Course Enrolled", owner = "growth")]
//! struct CourseEnrolled {
//!     /// The class's display name.
//!     class_name: String,
//! }
//!
//! #[derive(cdpspec::TrackingPlan)]
//! #[plan(name = "Courses app", version = "1.0.0")]
//! enum Courses {
//!     Enrolled(CourseEnrolled),
//! }
//!
//! let plan = Courses::plan();
//! assert_eq!(plan.events[0].name, "Course Enrolled");
//! assert_eq!(plan.events[0].description.as_deref(), Some("A person enrolled in a class."));
//!
//! let call = CourseEnrolled { class_name: "Customer.io Basics".into() }.track("97980cfea0067");
//! let payload = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
//! assert_eq!(payload["properties"]["class_name"], "Customer.io Basics");
//! assert_eq!(payload["context"]["protocols"]["event_version"], 1);
//! ```

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::plan;
use crate::{Context, Group, Id, Identify, Protocols, Track};

/// A track event of the plan, implemented by `#[derive(cdpspec::Event)]`.
///
/// The type's serialized form is the call's `properties`, and its
/// [`properties_schema`](Event::properties_schema) says what that form may be. The derive reads
/// `#[event(name = "...", version = N, owner = "...", deprecated = "YYYY-MM-DD",
/// label(key = "value", ...))]` and the type's doc comment.
///
/// ```
/// use cdpspec::Event;
///
/// /// A person enrolled in a class.
/// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
/// #[event(name = "Course Enrolled", version = 2, owner = "growth", label(team = "growth"))]
/// struct CourseEnrolled {
///     class_name: String,
/// }
///
/// assert_eq!((CourseEnrolled::NAME, CourseEnrolled::VERSION), ("Course Enrolled", 2));
/// assert_eq!(CourseEnrolled::DESCRIPTION, Some("A person enrolled in a class."));
/// assert_eq!(CourseEnrolled::labels(), [("team", "growth")]);
/// ```
pub trait Event: Serialize {
    /// The event name, as sent in the call's `event` (`Course Enrolled`).
    const NAME: &'static str;
    /// The version of the plan's event that this type follows (1, 2, ...). Calls carry it in
    /// `context.protocols.event_version`, which selects the version a plan checks them against.
    const VERSION: u32;
    /// What the event means and when it is sent: the type's doc comment (as schemars reads doc
    /// comments: a leading `# Title` line is not part of it).
    const DESCRIPTION: Option<&'static str> = None;
    /// Who answers for the event (a team or a person).
    const OWNER: Option<&'static str> = None;
    /// When this version was deprecated (an ISO-8601 date), if it was.
    const DEPRECATED: Option<&'static str> = None;

    /// Free-form labels of the event (`team: growth`), in declaration order.
    fn labels() -> Vec<(&'static str, &'static str)> {
        Vec::new()
    }

    /// The JSON Schema of the call's `properties` (a [`section_schema`] of the type).
    ///
    /// ```
    /// use cdpspec::Event;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Enrolled")]
    /// struct CourseEnrolled {
    ///     class_name: String,
    /// }
    ///
    /// let schema = CourseEnrolled::properties_schema();
    /// assert_eq!(schema["properties"]["class_name"], serde_json::json!({"type": "string"}));
    /// assert_eq!(schema["required"], serde_json::json!(["class_name"]));
    /// ```
    fn properties_schema() -> Value;

    /// The plan's event: one version, [`VERSION`](Event::VERSION), whose rule is
    /// [`properties_schema`](Event::properties_schema). The rule requires the `properties`
    /// section when the schema requires any property (as Segment Protocols rules do).
    /// [`merge_events`] joins the versions of one event.
    ///
    /// ```
    /// use cdpspec::Event;
    /// use cdpspec::plan::Section;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Enrolled", owner = "growth")]
    /// struct CourseEnrolled {
    ///     class_name: String,
    /// }
    ///
    /// let event = CourseEnrolled::plan_event();
    /// assert_eq!((event.name.as_str(), event.owner.as_deref()), ("Course Enrolled", Some("growth")));
    /// assert_eq!(event.versions[0].rule.requires, [Section::Properties]);
    /// ```
    fn plan_event() -> plan::Event {
        let properties = Self::properties_schema();
        let requires = if requires_any(&properties) { vec![plan::Section::Properties] } else { Vec::new() };
        let rule = plan::Rule { properties: Some(properties), requires, ..Default::default() };
        // The update keeps this compiling when the plan model gains fields.
        #[allow(clippy::needless_update)]
        plan::Event {
            name: Self::NAME.into(),
            description: Self::DESCRIPTION.map(Into::into),
            owner: Self::OWNER.map(Into::into),
            labels: Self::labels().into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            versions: vec![plan::EventVersion { version: Self::VERSION, deprecated: Self::DEPRECATED.map(Into::into), rule }],
            ..Default::default()
        }
    }

    /// A track call of this event by the person known as `user_id`.
    ///
    /// `event` is [`NAME`](Event::NAME), `properties` is the serialized value (the reserved
    /// `revenue`, `currency` and `value` land in their typed fields when their types fit, and are
    /// kept as they are otherwise), and `context.protocols.event_version` is
    /// [`VERSION`](Event::VERSION).
    ///
    /// # Panics
    ///
    /// If the value does not serialize to a JSON object: a `Serialize` implementation fails,
    /// or a map has keys that are not strings. Types that derive `Event` are structs with named
    /// fields, so only such field types can cause it.
    ///
    /// ```
    /// use cdpspec::Event;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Order Completed")]
    /// struct OrderCompleted {
    ///     order_id: String,
    ///     revenue: f64,
    /// }
    ///
    /// let call = OrderCompleted { order_id: "50314b8e9bcf000000000000".into(), revenue: 29.99 }.track("97980cfea0067");
    /// let payload = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
    /// assert_eq!((payload["type"].as_str(), payload["userId"].as_str()), (Some("track"), Some("97980cfea0067")));
    /// assert_eq!(payload["properties"]["revenue"], 29.99);
    /// ```
    fn track(&self, user_id: impl Into<String>) -> Track {
        Track { user_id: Some(Some(Id::String(user_id.into()))), ..track_call(self) }
    }

    /// A track call of this event by a person not yet known by a user id, as
    /// [`track`](Event::track) builds it.
    ///
    /// # Panics
    ///
    /// As [`track`](Event::track).
    ///
    /// ```
    /// use cdpspec::Event;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Viewed")]
    /// struct CourseViewed {
    ///     class_name: String,
    /// }
    ///
    /// let call = CourseViewed { class_name: "Customer.io Basics".into() }.track_anonymous("a1b2c3d4");
    /// let payload = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
    /// assert_eq!(payload["anonymousId"], "a1b2c3d4");
    /// assert!(payload.get("userId").is_none());
    /// ```
    fn track_anonymous(&self, anonymous_id: impl Into<String>) -> Track {
        Track { anonymous_id: Some(Some(Id::String(anonymous_id.into()))), ..track_call(self) }
    }
}

/// Identify or group traits of the plan: any type that is `Serialize` and `JsonSchema`.
///
/// ```
/// use cdpspec::Traits;
///
/// /// What we know about a person.
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Person {
///     email: String,
/// }
///
/// assert_eq!(Person::traits_description().as_deref(), Some("What we know about a person."));
/// assert_eq!(Person::traits_schema()["required"], serde_json::json!(["email"]));
/// ```
pub trait Traits: Serialize {
    /// The JSON Schema of the call's `traits` (a [`section_schema`] of the type).
    ///
    /// ```
    /// use cdpspec::Traits;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema)]
    /// struct Person {
    ///     email: String,
    ///     #[serde(skip_serializing_if = "Option::is_none")]
    ///     created_at: Option<String>,
    /// }
    ///
    /// let schema = Person::traits_schema();
    /// assert_eq!(schema["properties"]["created_at"], serde_json::json!({"type": "string"}));
    /// assert_eq!(schema["required"], serde_json::json!(["email"]));
    /// ```
    fn traits_schema() -> Value;

    /// The type's doc comment (the description of the plan's identify or group rule).
    ///
    /// ```
    /// use cdpspec::Traits;
    ///
    /// /// What we know about a company.
    /// #[derive(serde::Serialize, schemars::JsonSchema)]
    /// struct Company {
    ///     name: String,
    /// }
    ///
    /// assert_eq!(Company::traits_description().as_deref(), Some("What we know about a company."));
    /// ```
    fn traits_description() -> Option<String>;

    /// An identify call of the person known as `user_id`, with these traits (reserved traits
    /// land in their typed fields when their types fit, and are kept as they are otherwise).
    ///
    /// # Panics
    ///
    /// If the value does not serialize to a JSON object.
    ///
    /// ```
    /// use cdpspec::Traits;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema)]
    /// struct Person {
    ///     email: String,
    /// }
    ///
    /// let call = Person { email: "cool.person@example.com".into() }.identify("97980cfea0067");
    /// let payload = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
    /// assert_eq!(payload["type"], "identify");
    /// assert_eq!(payload["traits"]["email"], "cool.person@example.com");
    /// ```
    fn identify(&self, user_id: impl Into<String>) -> Identify {
        Identify { user_id: Some(Some(Id::String(user_id.into()))), traits: Some(typed_object(self, "traits")), ..Default::default() }
    }

    /// A group call that puts the person known as `user_id` in the group `group_id`, with these
    /// traits of the group.
    ///
    /// # Panics
    ///
    /// If the value does not serialize to a JSON object.
    ///
    /// ```
    /// use cdpspec::Traits;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema)]
    /// struct Company {
    ///     name: String,
    ///     employees: u32,
    /// }
    ///
    /// let call = Company { name: "Example Co".into(), employees: 12 }.group("example-co", "97980cfea0067");
    /// let payload = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
    /// assert_eq!((payload["groupId"].as_str(), payload["userId"].as_str()), (Some("example-co"), Some("97980cfea0067")));
    /// assert_eq!(payload["traits"]["employees"], 12);
    /// ```
    fn group(&self, group_id: impl Into<String>, user_id: impl Into<String>) -> Group {
        let ids = serde_json::json!({"groupId": group_id.into(), "userId": user_id.into()});
        let group = serde_json::from_value(ids).expect("a group call needs only `groupId`");
        Group { traits: Some(typed_object(self, "traits")), ..group }
    }
}

impl<T: Serialize + JsonSchema + ?Sized> Traits for T {
    fn traits_schema() -> Value {
        section_schema::<T>()
    }

    fn traits_description() -> Option<String> {
        generate::<T>().0
    }
}

/// A whole tracking plan, implemented by `#[derive(cdpspec::TrackingPlan)]` on an enum that
/// lists the plan's events and traits.
///
/// ```
/// use cdpspec::TrackingPlan;
///
/// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
/// #[event(name = "Course Enrolled")]
/// struct CourseEnrolled {
///     class_name: String,
/// }
///
/// /// What we know about a person.
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct Person {
///     email: String,
/// }
///
/// #[derive(cdpspec::TrackingPlan)]
/// #[plan(name = "Courses app", version = "1.0.0")]
/// enum Courses {
///     Enrolled(CourseEnrolled),
///     #[plan(identify)]
///     Person(Person),
/// }
///
/// let plan = Courses::plan();
/// assert_eq!((plan.name.as_str(), plan.events.len()), ("Courses app", 1));
/// assert_eq!(plan.identify.unwrap().description.as_deref(), Some("What we know about a person."));
/// ```
pub trait TrackingPlan {
    /// The plan: its events in the order of the enum's variants (the versions of one event
    /// merged by [`merge_events`]), and the identify and group rules: the traits'
    /// [`section_schema`], the traits type's doc comment as the rule's description, and
    /// `requires: [traits]` when the schema requires any trait.
    ///
    /// ```
    /// use cdpspec::TrackingPlan;
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Enrolled")]
    /// struct CourseEnrolled {
    ///     class_name: String,
    /// }
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Enrolled", version = 2)]
    /// struct CourseEnrolledV2 {
    ///     class_name: String,
    ///     class_code: String,
    /// }
    ///
    /// #[derive(cdpspec::TrackingPlan)]
    /// #[plan(name = "Courses app", version = "1.0.0")]
    /// enum Courses {
    ///     Enrolled(CourseEnrolled),
    ///     EnrolledV2(CourseEnrolledV2),
    /// }
    ///
    /// let plan = Courses::plan();
    /// assert_eq!(plan.events.len(), 1);
    /// assert_eq!(plan.events[0].versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    /// ```
    fn plan() -> plan::Plan;

    /// A validator of calls against the plan, as `cdpspec validate --plan` runs it. Fails only
    /// when a schema does not compile (an invalid `#[schemars(regex(...))]` pattern, say).
    ///
    /// ```
    /// use cdpspec::{Event, TrackingPlan};
    ///
    /// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
    /// #[event(name = "Course Enrolled")]
    /// struct CourseEnrolled {
    ///     class_name: String,
    /// }
    ///
    /// #[derive(cdpspec::TrackingPlan)]
    /// #[plan(name = "Courses app", version = "1.0.0")]
    /// enum CoursesPlan {
    ///     Enrolled(CourseEnrolled),
    /// }
    ///
    /// let validator = std::sync::Arc::new(CoursesPlan::validator().unwrap());
    /// let options = cdpspec::check::Options { plan: Some(validator), ..Default::default() };
    /// let call = CourseEnrolled { class_name: "Customer.io Basics".into() }.track("97980cfea0067");
    /// let call = serde_json::to_value(cdpspec::Message::from(call)).unwrap();
    /// assert!(cdpspec::check::check_document(&call, &options).calls[0].findings.is_empty());
    /// ```
    fn validator() -> Result<plan::PlanValidator, plan::PlanError> {
        let plan = Self::plan();
        let name = plan.name.clone();
        plan::PlanValidator::new(plan, name)
    }
}

/// The schema of `T` as a plan section (`properties` or `traits`): schemars' schema of how `T`
/// serializes, made a clean, self-contained draft 2020-12 schema.
///
/// Plans generated from Rust and Rust generated from plans rely on these rules, exactly:
///
/// 1. **Serialized form.** The schema describes what `T` serializes to (schemars'
///    serialize contract): a field is in `required` unless serde may leave it out
///    (`skip_serializing_if`, `skip_serializing`). `#[serde(rename)]`, `rename_all`, `flatten`
///    and `tag` apply as serde applies them.
/// 2. **Self-contained.** Every `$ref` is inlined. Only recursive types keep a `$defs` at the
///    root, with `$ref`s into it (`#/$defs/Tree`, or `#` for the section itself): a section
///    schema is compiled as its own root.
/// 3. **No root metadata.** `$schema`, the root `title` and the root `description` are dropped:
///    the type's doc comment is the description of the plan's event ([`Event::DESCRIPTION`]) or
///    rule ([`Traits::traits_description`]), not of the section. Nested `description`s (doc
///    comments of fields and of nested types; a field's wins) and `title`s are kept.
/// 4. **No numeric formats.** `format` values that schemars gives numbers (`int8` to `int128`,
///    `int`, `uint8` to `uint128`, `uint`, `float`, `double`) are dropped wherever they appear;
///    they are not JSON Schema formats. The bounds schemars gives them are kept (`u8`:
///    `minimum: 0, maximum: 255`; unsigned: `minimum: 0`), as are string formats (`date-time`,
///    `date`, `uuid`, `uri`, `email`, ...) and every other keyword (`default`, `enum`, ...).
/// 5. **Optional means absent, not null.** For every object schema with `properties` (at any
///    depth, in `$defs` too), a property that is *not* in `required` loses its `null`: `"null"`
///    leaves its `type` list (a one-type list becomes a string), `null` leaves its `enum`, and
///    `{"type": "null"}` branches leave its `anyOf`/`oneOf` (a single remaining branch is merged
///    into the property, the property's own keywords winning). So
///    `#[serde(skip_serializing_if = "Option::is_none")] x: Option<T>` gives `x` exactly `T`'s
///    schema, not required.
/// 6. **Nullable is explicit.** A property in `required` keeps `null`:
///    `x: Option<T>` without `skip_serializing_if` is always sent, maybe as `null`, so it is
///    required with `"type": [T, "null"]`. An optional property that may also be `null` is
///    `Option<Option<T>>` with `skip_serializing_if = "Option::is_none"` and
///    `#[schemars(transform = cdpspec::event::nullable)]`, which keeps its `null` (rule 5 skips it).
/// 7. **Enums.** Unit-variant enums are `enum` lists of their serialized names
///    (`#[serde(rename_all = "lowercase")]` gives `["free", "premium"]`), as schemars emits them.
///
/// Properties are not closed: schemars adds `additionalProperties: false` only for
/// `#[serde(deny_unknown_fields)]`.
///
/// So each kind of property has one Rust spelling (with `T` giving schema `S`):
///
/// | property | Rust field | schema |
/// |---|---|---|
/// | required | `x: T` | `S`, in `required` |
/// | optional | `#[serde(skip_serializing_if = "Option::is_none")] x: Option<T>` | `S` |
/// | required, may be `null` | `x: Option<T>` | `S` with `null`, in `required` |
/// | optional, may be `null` | `Option<Option<T>>`, skipped when `None`, `#[schemars(transform = cdpspec::event::nullable)]` | `S` with `null` |
/// | string | `String` | `{"type": "string"}` |
/// | string with a format | `#[schemars(extend("format" = "date"))] x: String` | `{"type": "string", "format": "date"}` |
/// | integer | `i64` | `{"type": "integer"}` |
/// | number | `f64` | `{"type": "number"}` |
/// | boolean | `bool` | `{"type": "boolean"}` |
/// | array | `Vec<T>` | `{"type": "array", "items": S}` |
/// | object | a struct deriving `Serialize` and `JsonSchema` | its schema, inlined |
/// | string enum | an enum of unit variants (serde renames) | `{"type": "string", "enum": [...]}` |
/// | description | a doc comment on the field (else on the field's type) | `"description"` |
///
/// ```
/// use cdpspec::event::section_schema;
/// use serde_json::json;
///
/// #[derive(schemars::JsonSchema)]
/// struct Person {
///     /// The person's email address.
///     email: String,
///     #[serde(skip_serializing_if = "Option::is_none")]
///     age: Option<u8>,
/// }
///
/// let schema = section_schema::<Person>();
/// assert_eq!(schema["properties"]["email"], json!({"type": "string", "description": "The person's email address."}));
/// assert_eq!(schema["properties"]["age"], json!({"type": "integer", "minimum": 0, "maximum": 255}));
/// assert_eq!(schema["required"], json!(["email"]));
/// ```
pub fn section_schema<T: JsonSchema + ?Sized>() -> Value {
    generate::<T>().1
}

/// Marks a field's schema as nullable even when the field is optional: use it as
/// `#[schemars(transform = cdpspec::event::nullable)]` on an
/// `Option<Option<T>>` field serialized with `skip_serializing_if = "Option::is_none"`, whose
/// `Some(None)` is sent as `null` (see rule 6 of [`section_schema`]).
///
/// ```
/// use cdpspec::event::section_schema;
/// use serde_json::json;
///
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct CourseEnrolled {
///     /// Absent when no coupon was offered, `null` when one was declined.
///     #[serde(skip_serializing_if = "Option::is_none")]
///     #[schemars(transform = cdpspec::event::nullable)]
///     coupon: Option<Option<String>>,
/// }
///
/// assert_eq!(section_schema::<CourseEnrolled>()["properties"]["coupon"]["type"], json!(["string", "null"]));
/// ```
pub fn nullable(schema: &mut schemars::Schema) {
    schema.insert(NULLABLE.into(), Value::Bool(true));
}

/// Joins plan events that are versions of one event (the same name) into one event whose
/// versions are sorted, keeping the order in which names first appear. The event's description,
/// owner and labels are those of its newest version's type.
///
/// ```
/// use cdpspec::Event;
/// use cdpspec::event::merge_events;
///
/// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
/// #[event(name = "Course Enrolled", version = 2, owner = "learning")]
/// struct CourseEnrolledV2 {
///     class_name: String,
/// }
///
/// #[derive(serde::Serialize, schemars::JsonSchema, cdpspec::Event)]
/// #[event(name = "Course Enrolled", owner = "growth")]
/// struct CourseEnrolled {
///     class_name: String,
/// }
///
/// let merged = merge_events([CourseEnrolledV2::plan_event(), CourseEnrolled::plan_event()]);
/// assert_eq!(merged.len(), 1);
/// assert_eq!(merged[0].versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
/// assert_eq!(merged[0].owner.as_deref(), Some("learning"));
/// ```
pub fn merge_events(events: impl IntoIterator<Item = plan::Event>) -> Vec<plan::Event> {
    let mut merged: Vec<plan::Event> = Vec::new();
    for event in events {
        let Some(existing) = merged.iter_mut().find(|e| e.name == event.name) else {
            merged.push(event);
            continue;
        };
        let newest = |e: &plan::Event| e.versions.iter().map(|v| v.version).max();
        if newest(&event) > newest(existing) {
            existing.description = event.description;
            existing.owner = event.owner;
            existing.labels = event.labels;
        }
        existing.versions.extend(event.versions);
        existing.versions.sort_by_key(|v| v.version);
    }
    merged
}

/// The private keyword [`nullable`] marks a schema with; [`section_schema`] removes it.
const NULLABLE: &str = "x-cdpspec-nullable";

/// `format`s schemars gives numbers, which are not JSON Schema formats.
const NUMERIC_FORMATS: [&str; 14] =
    ["int8", "int16", "int32", "int64", "int128", "int", "uint8", "uint16", "uint32", "uint64", "uint128", "uint", "float", "double"];

/// The root description and the normalized section schema of `T`.
fn generate<T: JsonSchema + ?Sized>() -> (Option<String>, Value) {
    let settings = SchemaSettings::draft2020_12().for_serialize().with(|s| {
        s.inline_subschemas = true;
        s.meta_schema = None;
    });
    let mut schema = settings.into_generator().into_root_schema_for::<T>().to_value();
    let mut description = None;
    if let Value::Object(root) = &mut schema {
        root.remove("$schema");
        root.remove("title");
        description = match root.remove("description") {
            Some(Value::String(d)) => Some(d),
            _ => None,
        };
    }
    normalize(&mut schema);
    (description, schema)
}

/// Applies rules 4 to 6 of [`section_schema`] to `schema` and every subschema in it.
fn normalize(schema: &mut Value) {
    let Value::Object(obj) = schema else { return };
    if obj.get("format").and_then(Value::as_str).is_some_and(|f| NUMERIC_FORMATS.contains(&f)) {
        obj.remove("format");
    }
    let required: Vec<String> = match obj.get("required") {
        Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    if let Some(Value::Object(properties)) = obj.get_mut("properties") {
        for (key, property) in properties.iter_mut() {
            let marked = property.get(NULLABLE).is_some();
            if !marked && !required.contains(key) {
                strip_null(property);
            }
        }
    }
    obj.remove(NULLABLE);
    for (key, value) in obj.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "dependentSchemas" => {
                if let Value::Object(map) = value {
                    map.values_mut().for_each(normalize);
                }
            }
            "prefixItems" | "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(items) = value {
                    items.iter_mut().for_each(normalize);
                }
            }
            "items" | "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems" | "contains" | "propertyNames" | "not" | "if" | "then" | "else" => {
                normalize(value)
            }
            _ => {}
        }
    }
}

/// Removes `null` from the values `schema` accepts (rule 5 of [`section_schema`]).
fn strip_null(schema: &mut Value) {
    let Value::Object(obj) = schema else { return };
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            obj.insert("type".into(), only);
        }
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        values.retain(|v| !v.is_null());
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = obj.get_mut(key) else { continue };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before || branches.len() != 1 {
            continue;
        }
        let Some(Value::Object(mut merged)) = branches.pop() else { continue };
        obj.remove(key);
        merged.extend(std::mem::take(obj));
        *obj = merged;
    }
}

/// Whether `schema` accepts only `null` (`{"type": "null"}`).
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| o.len() == 1 && o.get("type").is_some_and(|t| t == "null"))
}

/// Whether a section schema requires any key.
fn requires_any(schema: &Value) -> bool {
    schema.get("required").and_then(Value::as_array).is_some_and(|r| !r.is_empty())
}

/// The track call of `event`, without an identity.
fn track_call<E: Event + ?Sized>(event: &E) -> Track {
    let protocols = Protocols { event_version: Some(i64::from(E::VERSION)), ..Default::default() };
    Track {
        event: E::NAME.into(),
        properties: Some(typed_object(event, "properties")),
        context: Some(Context { protocols: Some(protocols), ..Default::default() }),
        ..Default::default()
    }
}

/// `value` serialized into the generated type `S` of a call's `section`: typed fields where the
/// serialized value fits them, otherwise everything in `S`'s `extra` keys, kept as it is.
fn typed_object<T: Serialize + ?Sized, S: DeserializeOwned + Default + WithExtra>(value: &T, section: &str) -> S {
    let map = match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map,
        Ok(other) => panic!("cdpspec: the call's {section} must serialize to a JSON object, not {other}"),
        Err(e) => panic!("cdpspec: the call's {section} do not serialize: {e}"),
    };
    serde_json::from_value(Value::Object(map.clone())).unwrap_or_else(|_| S::with_extra(map))
}

/// Generated section types that keep unknown keys in `extra`.
trait WithExtra {
    fn with_extra(extra: Map<String, Value>) -> Self;
}

macro_rules! with_extra {
    ($($ty:ty),*) => {$(
        impl WithExtra for $ty {
            fn with_extra(extra: Map<String, Value>) -> Self {
                Self { extra, ..Default::default() }
            }
        }
    )*};
}

with_extra!(crate::TrackProperties, crate::UserTraits, crate::GroupTraits);

/// Support for the derive macros' generated code. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use serde_json::Value;

    use super::{Traits, plan};

    /// What schemars makes of a doc comment (joined lines, one leading space per line removed):
    /// trimmed, without a leading `# Title` line; `None` when nothing is left.
    pub const fn doc_description(doc: &'static str) -> Option<&'static str> {
        let mut doc = doc.trim_ascii();
        if let [b'#', ..] = doc.as_bytes() {
            let bytes = doc.as_bytes();
            let mut i = 0;
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
            doc = doc.split_at(i).1.trim_ascii();
        }
        if doc.is_empty() { None } else { Some(doc) }
    }

    /// Whether two plan events are the same name and version.
    pub const fn same_event(a: &str, a_version: u32, b: &str, b_version: u32) -> bool {
        if a_version != b_version || a.len() != b.len() {
            return false;
        }
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let mut i = 0;
        while i < a.len() {
            if a[i] != b[i] {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The plan rule of identify or group traits `T`: their schema, requiring the `traits`
    /// section when the schema requires any trait (as [`Event::plan_event`](super::Event::plan_event) does for properties).
    pub fn traits_rule<T: Traits + ?Sized>() -> plan::Rule {
        let traits = T::traits_schema();
        let requires = if super::requires_any(&traits) { vec![plan::Section::Traits] } else { Vec::new() };
        plan::Rule { description: T::traits_description(), traits: Some(traits), requires, ..Default::default() }
    }
}
