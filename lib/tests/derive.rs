//! Code-first tracking plans: `#[derive(Event)]` and `#[derive(TrackingPlan)]` on realistic
//! events give the plan written out by hand, the plan survives YAML, the calls the types build
//! pass both the canonical checks and the plan, and misuse fails to compile with clear errors
//! (`tests/ui/`).

use std::collections::BTreeMap;
use std::sync::Arc;

use cdpspec::check::{Options, check_document};
use cdpspec::event::section_schema;
use cdpspec::plan::{self, EventVersion, Format, Plan, PlanValidator, Rule, Section};
use cdpspec::{Event, Finding, Message, TrackingPlan, Traits};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::{Value, json};

/// A person enrolled in a class.
#[derive(Serialize, JsonSchema, cdpspec::Event)]
#[event(name = "Course Enrolled", owner = "growth", label(team = "growth"))]
struct CourseEnrolled {
    /// The class's display name.
    class_name: String,
    /// The class's catalog code, such as `cio101`.
    class_code: String,
    /// The first day of class.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    start_date: Option<String>,
    /// The person's subscription.
    plan: Tier,
}

/// A person enrolled in a class, with how they came to it.
///
/// Sent from the class page and the mobile app.
#[derive(Serialize, JsonSchema, cdpspec::Event)]
#[event(name = "Course Enrolled", version = 2, owner = "learning", label(team = "learning", tier = "core"))]
struct CourseEnrolledV2 {
    /// The class's display name.
    class_name: String,
    /// The class's catalog code, such as `cio101`.
    class_code: String,
    /// Who referred the person; always sent, `null` without a referrer.
    referrer: Option<String>,
    /// The coupon used: absent when none was offered, `null` when one was offered and declined.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(transform = cdpspec::event::nullable)]
    coupon: Option<Option<String>>,
}

/// A subscription tier.
#[derive(Serialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
enum Tier {
    Free,
    Premium,
}

/// A person completed an order.
#[derive(Serialize, JsonSchema, cdpspec::Event)]
#[event(name = "Order Completed", owner = "commerce", deprecated = "2025-01-31")]
struct OrderCompleted {
    /// The order's id.
    order_id: String,
    /// The order's total, after discounts.
    revenue: f64,
    /// The currency of `revenue` (ISO 4217).
    currency: String,
    /// What was bought.
    products: Vec<Product>,
    /// The coupons applied, if any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    coupons: Vec<String>,
}

/// A product in an order.
#[derive(Serialize, JsonSchema)]
struct Product {
    sku: String,
    /// The unit price.
    price: f64,
    quantity: u8,
}

/// What we know about a person.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct PersonTraits {
    email: String,
    /// When the account was created (RFC 3339).
    #[schemars(extend("format" = "date-time"))]
    created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<Tier>,
}

/// What we know about a company.
#[derive(Serialize, JsonSchema)]
struct CompanyTraits {
    name: String,
    employees: u32,
}

/// What the courses app sends.
#[derive(cdpspec::TrackingPlan)]
#[plan(name = "Courses app", version = "1.0.0")]
enum Courses {
    Enrolled(CourseEnrolled),
    Ordered(OrderCompleted),
    EnrolledV2(CourseEnrolledV2),
    #[plan(identify)]
    Person(PersonTraits),
    #[plan(group)]
    Company(CompanyTraits),
}

fn enrolled() -> CourseEnrolled {
    CourseEnrolled { class_name: "Customer.io Basics".into(), class_code: "cio101".into(), start_date: None, plan: Tier::Premium }
}

fn order() -> OrderCompleted {
    OrderCompleted {
        order_id: "50314b8e".into(),
        revenue: 42.5,
        currency: "USD".into(),
        products: vec![Product { sku: "cio101-book".into(), price: 21.25, quantity: 2 }],
        coupons: Vec::new(),
    }
}

fn tier_schema(description: &str) -> Value {
    json!({"description": description, "type": "string", "enum": ["free", "premium"]})
}

fn course_enrolled_v1() -> Value {
    json!({
        "type": "object",
        "properties": {
            "class_name": {"description": "The class's display name.", "type": "string"},
            "class_code": {"description": "The class's catalog code, such as `cio101`.", "type": "string"},
            "start_date": {"description": "The first day of class.", "type": "string", "format": "date"},
            "plan": tier_schema("The person's subscription."),
        },
        "required": ["class_name", "class_code", "plan"],
    })
}

fn course_enrolled_v2() -> Value {
    json!({
        "type": "object",
        "properties": {
            "class_name": {"description": "The class's display name.", "type": "string"},
            "class_code": {"description": "The class's catalog code, such as `cio101`.", "type": "string"},
            "referrer": {"description": "Who referred the person; always sent, `null` without a referrer.", "type": ["string", "null"]},
            "coupon": {
                "description": "The coupon used: absent when none was offered, `null` when one was offered and declined.",
                "type": ["string", "null"],
            },
        },
        "required": ["class_name", "class_code", "referrer"],
    })
}

fn order_completed() -> Value {
    json!({
        "type": "object",
        "properties": {
            "order_id": {"description": "The order's id.", "type": "string"},
            "revenue": {"description": "The order's total, after discounts.", "type": "number"},
            "currency": {"description": "The currency of `revenue` (ISO 4217).", "type": "string"},
            "products": {
                "description": "What was bought.",
                "type": "array",
                "items": {
                    "description": "A product in an order.",
                    "type": "object",
                    "properties": {
                        "sku": {"type": "string"},
                        "price": {"description": "The unit price.", "type": "number"},
                        "quantity": {"type": "integer", "minimum": 0, "maximum": 255},
                    },
                    "required": ["sku", "price", "quantity"],
                },
            },
            "coupons": {"description": "The coupons applied, if any.", "type": "array", "items": {"type": "string"}},
        },
        "required": ["order_id", "revenue", "currency", "products"],
    })
}

fn version(version: u32, deprecated: Option<&str>, properties: Value) -> EventVersion {
    EventVersion {
        version,
        deprecated: deprecated.map(Into::into),
        rule: Rule { properties: Some(properties), requires: vec![Section::Properties], ..Default::default() },
    }
}

fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// The plan of `Courses`, written out by hand.
fn expected_plan() -> Plan {
    Plan {
        name: "Courses app".into(),
        version: Some("1.0.0".into()),
        description: Some("What the courses app sends.".into()),
        identify: Some(Rule {
            description: Some("What we know about a person.".into()),
            traits: Some(json!({
                "type": "object",
                "properties": {
                    "email": {"type": "string"},
                    "createdAt": {"description": "When the account was created (RFC 3339).", "type": "string", "format": "date-time"},
                    "plan": tier_schema("A subscription tier."),
                },
                "required": ["email", "createdAt"],
            })),
            requires: vec![Section::Traits],
            ..Default::default()
        }),
        group: Some(Rule {
            description: Some("What we know about a company.".into()),
            traits: Some(json!({
                "type": "object",
                "properties": {"name": {"type": "string"}, "employees": {"type": "integer", "minimum": 0}},
                "required": ["name", "employees"],
            })),
            requires: vec![Section::Traits],
            ..Default::default()
        }),
        events: vec![
            plan::Event {
                name: "Course Enrolled".into(),
                description: Some("A person enrolled in a class, with how they came to it.\n\nSent from the class page and the mobile app.".into()),
                owner: Some("learning".into()),
                labels: labels(&[("team", "learning"), ("tier", "core")]),
                versions: vec![version(1, None, course_enrolled_v1()), version(2, None, course_enrolled_v2())],
            },
            plan::Event {
                name: "Order Completed".into(),
                description: Some("A person completed an order.".into()),
                owner: Some("commerce".into()),
                labels: BTreeMap::new(),
                versions: vec![version(1, Some("2025-01-31"), order_completed())],
            },
        ],
        ..Default::default()
    }
}

#[test]
fn the_derived_plan_is_the_plan_written_by_hand() {
    let plan = Courses::plan();
    let expected = expected_plan();
    for (got, want) in plan.events.iter().zip(&expected.events) {
        assert_eq!(got, want, "event {}", want.name);
    }
    assert_eq!(plan, expected);
}

#[test]
fn the_derived_plan_survives_yaml_and_json() {
    let plan = Courses::plan();
    for format in [Format::Yaml, Format::Json] {
        let text = plan::write(&plan, format);
        assert!(text.contains("Course Enrolled"), "{text}");
        assert_eq!(plan::parse(&text, format, "courses").unwrap(), plan, "{format:?}:\n{text}");
    }
}

#[test]
fn event_constants_come_from_the_attributes_and_doc_comment() {
    assert_eq!(CourseEnrolled::NAME, "Course Enrolled");
    assert_eq!(CourseEnrolled::VERSION, 1);
    assert_eq!(CourseEnrolledV2::VERSION, 2);
    assert_eq!(CourseEnrolled::DESCRIPTION, Some("A person enrolled in a class."));
    assert_eq!(CourseEnrolled::OWNER, Some("growth"));
    assert_eq!(CourseEnrolled::DEPRECATED, None);
    assert_eq!(OrderCompleted::DEPRECATED, Some("2025-01-31"));
    assert_eq!(CourseEnrolledV2::labels(), vec![("team", "learning"), ("tier", "core")]);
    assert_eq!(OrderCompleted::labels(), Vec::<(&str, &str)>::new());
    assert_eq!(CourseEnrolled::properties_schema(), course_enrolled_v1());
}

/// The findings of the canonical checks and, when given, of a plan.
fn findings(message: Message, plan: Option<&Plan>) -> Vec<Finding> {
    let payload = serde_json::to_value(message).unwrap();
    let plan = plan.map(|p| Arc::new(PlanValidator::new(p.clone(), "courses.yaml").unwrap()));
    let options = Options { plan, ..Default::default() };
    let report = check_document(&payload, &options);
    report.findings.into_iter().chain(report.calls.into_iter().flat_map(|c| c.findings)).collect()
}

/// The rule and pointer of each finding.
fn found(message: Message, plan: Option<&Plan>) -> Vec<(cdpspec::Rule, String)> {
    findings(message, plan).into_iter().map(|f| (f.rule, f.pointer)).collect()
}

#[test]
fn track_builds_a_valid_call_of_the_event() {
    let call = enrolled().track("97980cfea0067");
    let payload = serde_json::to_value(Message::from(call.clone())).unwrap();
    assert_eq!(payload["type"], "track");
    assert_eq!(payload["event"], "Course Enrolled");
    assert_eq!(payload["userId"], "97980cfea0067");
    assert_eq!(payload["properties"], json!({"class_name": "Customer.io Basics", "class_code": "cio101", "plan": "premium"}));
    assert_eq!(payload["context"], json!({"protocols": {"event_version": 1}}));
    assert_eq!(found(Message::from(call), None), vec![]);

    let anonymous = enrolled().track_anonymous("a1b2c3");
    let payload = serde_json::to_value(Message::from(anonymous.clone())).unwrap();
    assert_eq!(payload["anonymousId"], "a1b2c3");
    assert!(payload.get("userId").is_none());
    assert_eq!(found(Message::from(anonymous), None), vec![]);
}

#[test]
fn reserved_properties_land_in_their_typed_fields() {
    let call = order().track("97980cfea0067");
    let properties = call.properties.as_ref().unwrap();
    assert_eq!(properties.revenue, Some(Some(serde_json::Number::from_f64(42.5).unwrap())));
    assert_eq!(properties.currency, Some(Some("USD".into())));
    assert_eq!(properties.extra["order_id"], "50314b8e");
    assert!(!properties.extra.contains_key("revenue"));
    assert_eq!(found(Message::from(call), None), vec![]);
}

#[test]
fn calls_built_by_the_types_pass_their_own_plan() {
    let plan = Courses::plan();
    let v2 = CourseEnrolledV2 { class_name: "Customer.io Basics".into(), class_code: "cio101".into(), referrer: None, coupon: Some(None) };
    let calls = [
        Message::from(enrolled().track("97980cfea0067")),
        Message::from(order().track("97980cfea0067")),
        Message::from(v2.track("97980cfea0067")),
        Message::from(
            PersonTraits { email: "ada@example.com".into(), created_at: "2024-05-01T12:00:00Z".into(), plan: Some(Tier::Free) }.identify("97980cfea0067"),
        ),
        Message::from(CompanyTraits { name: "Example Co".into(), employees: 12 }.group("example-co", "97980cfea0067")),
    ];
    for call in calls {
        let text = serde_json::to_string(&call).unwrap();
        assert_eq!(findings(call, Some(&plan)), vec![], "{text}");
    }
}

#[test]
fn the_plan_catches_calls_the_types_would_not_build() {
    let plan = Courses::plan();
    let missing = |pointer: &str| vec![(cdpspec::Rule::RequiredMissing, pointer.to_owned())];
    // Version 1 of the event, without its required class code.
    let mut call = enrolled().track("97980cfea0067");
    call.properties.as_mut().unwrap().extra.remove("class_code");
    assert_eq!(found(Message::from(call), Some(&plan)), missing("/properties"));
    // Version 2 selected by the call, with version 1's properties: `referrer` is missing.
    let mut call = enrolled().track("97980cfea0067");
    call.context.as_mut().unwrap().protocols.as_mut().unwrap().event_version = Some(2);
    assert_eq!(found(Message::from(call), Some(&plan)), missing("/properties"));
    // An optional property that is not nullable, sent as null.
    let mut call = enrolled().track("97980cfea0067");
    call.properties.as_mut().unwrap().extra.insert("start_date".into(), Value::Null);
    assert_eq!(found(Message::from(call), Some(&plan)), vec![(cdpspec::Rule::DatatypeMismatch, "/properties/start_date".to_owned())]);
}

/// A category of courses; categories nest.
#[derive(Serialize, JsonSchema)]
struct Category {
    name: String,
    /// The enclosing category.
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Box<Category>>,
    children: Vec<Category>,
    /// A rating, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    rating: Option<f32>,
    weight: i64,
}

/// The course catalog.
#[derive(Serialize, JsonSchema)]
struct Catalog {
    categories: Vec<Category>,
}

#[test]
fn recursive_types_keep_their_defs_and_lose_numeric_formats() {
    let category = |to: &str| {
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                // Optional: `anyOf: [{$ref}, {type: null}]` lost its null branch.
                "parent": {"description": "The enclosing category.", "$ref": to},
                "children": {"type": "array", "items": {"$ref": to}},
                // `float` and `int64` formats dropped.
                "rating": {"description": "A rating, if any.", "type": "number"},
                "weight": {"type": "integer"},
            },
            "required": ["name", "children", "weight"],
        })
    };
    // The section itself recurses: `#`.
    assert_eq!(section_schema::<Category>(), category("#"));
    // A nested type recurses: inlined once, then `$defs` at the section's root.
    let mut nested = category("#/$defs/Category");
    nested["description"] = json!("A category of courses; categories nest.");
    let expected = json!({
        "type": "object",
        "properties": {"categories": {"type": "array", "items": nested}},
        "required": ["categories"],
        "$defs": {"Category": nested},
    });
    assert_eq!(section_schema::<Catalog>(), expected);
}

#[test]
fn traits_describe_their_type() {
    assert_eq!(PersonTraits::traits_description().as_deref(), Some("What we know about a person."));
    assert_eq!(Some(PersonTraits::traits_schema()), expected_plan().identify.unwrap().traits);
}

#[test]
fn misuse_fails_to_compile_with_clear_errors() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

#[test]
fn the_derived_validator_checks_calls_as_validate_plan_does() {
    let options = Options { plan: Some(Arc::new(Courses::validator().unwrap())), ..Default::default() };
    let good = serde_json::to_value(Message::from(enrolled().track("97980cfea0067"))).unwrap();
    assert_eq!(check_document(&good, &options).calls[0].findings, vec![]);
    let unplanned = json!({"type": "track", "event": "Course Enroled", "userId": "97980cfea0067"});
    let report = check_document(&unplanned, &options);
    assert_eq!(report.calls[0].findings.iter().map(|f| f.rule).collect::<Vec<_>>(), [cdpspec::Rule::UnplannedEvent]);
    assert_eq!(report.calls[0].findings[0].suggestion.as_deref(), Some("Course Enrolled"));
}
