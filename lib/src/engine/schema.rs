//! The canonical JSON Schemas, embedded at build time, and validators compiled from them once.
//! The files in `schema/` are the published contract; this module only loads them.

use std::sync::LazyLock;

use jsonschema::{Registry, Validator};
use serde_json::Value;

use crate::CallType;

/// Base of every canonical `$id`; the version segment changes only on breaking changes.
///
/// ```
/// let track = cdpspec::schema::load("track.schema.json");
/// assert_eq!(track["$id"], format!("{}track.schema.json", cdpspec::schema::BASE_URI));
/// ```
pub const BASE_URI: &str = "https://cdpspec.dev/schema/v1/";

/// Every canonical schema file: (file name, contents).
///
/// ```
/// let names: Vec<&str> = cdpspec::schema::FILES.iter().map(|(name, _)| *name).collect();
/// assert!(names.contains(&"identify.schema.json") && names.contains(&"batch.schema.json"));
/// ```
pub const FILES: &[(&str, &str)] = &[
    ("common.schema.json", include_str!("../../../schema/common.schema.json")),
    ("context.schema.json", include_str!("../../../schema/context.schema.json")),
    ("integrations.schema.json", include_str!("../../../schema/integrations.schema.json")),
    ("traits.schema.json", include_str!("../../../schema/traits.schema.json")),
    ("properties.schema.json", include_str!("../../../schema/properties.schema.json")),
    ("identify.schema.json", include_str!("../../../schema/identify.schema.json")),
    ("group.schema.json", include_str!("../../../schema/group.schema.json")),
    ("track.schema.json", include_str!("../../../schema/track.schema.json")),
    ("page.schema.json", include_str!("../../../schema/page.schema.json")),
    ("screen.schema.json", include_str!("../../../schema/screen.schema.json")),
    ("alias.schema.json", include_str!("../../../schema/alias.schema.json")),
    ("message.schema.json", include_str!("../../../schema/message.schema.json")),
    ("batch.schema.json", include_str!("../../../schema/batch.schema.json")),
];

/// The parsed schema in `file` (one of [`FILES`]).
///
/// # Panics
///
/// When `file` is not one of [`FILES`].
///
/// ```
/// let alias = cdpspec::schema::load("alias.schema.json");
/// assert!(alias["required"].as_array().unwrap().contains(&"previousId".into()));
/// ```
pub fn load(file: &str) -> Value {
    let (_, text) = FILES.iter().find(|(name, _)| *name == file).unwrap_or_else(|| panic!("no canonical schema named {file}"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("canonical schema {file} is not JSON: {e}"))
}

/// Validators compiled from the canonical schemas, one per call type plus the batch envelope.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::schema::Schemas;
///
/// let track = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
/// assert!(Schemas::get().call(CallType::Track).is_valid(&track));
/// assert!(!Schemas::get().call(CallType::Alias).is_valid(&track));
/// ```
pub struct Schemas {
    calls: Vec<Validator>,
    envelope: Validator,
}

impl Schemas {
    /// The process-wide compiled schemas (compiled on first use).
    ///
    /// ```
    /// use cdpspec::schema::Schemas;
    ///
    /// assert!(std::ptr::eq(Schemas::get(), Schemas::get()), "compiled once");
    /// ```
    pub fn get() -> &'static Schemas {
        static SCHEMAS: LazyLock<Schemas> = LazyLock::new(Schemas::compile);
        &SCHEMAS
    }

    fn compile() -> Schemas {
        let resources = FILES.iter().map(|(name, _)| (format!("{BASE_URI}{name}"), jsonschema::Resource::from_contents(load(name))));
        let registry = Registry::new().extend(resources).and_then(|b| b.prepare()).expect("canonical schemas form a valid registry");
        let build = |schema: &Value| {
            jsonschema::options().offline().with_registry(&registry).build(schema).unwrap_or_else(|e| panic!("canonical schema does not compile: {e}"))
        };
        let calls = CallType::ALL.iter().map(|t| build(&load(&format!("{}.schema.json", t.as_str())))).collect();
        // The envelope alone: items are checked one by one with their own call's schema, which
        // gives each call precise diagnostics instead of one `oneOf` failure for the batch.
        let mut envelope = load("batch.schema.json");
        envelope["properties"]["batch"]["items"] = Value::Bool(true);
        envelope["$id"] = Value::String(format!("{BASE_URI}batch-envelope.schema.json"));
        Schemas { calls, envelope: build(&envelope) }
    }

    /// The validator of one call type.
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::schema::Schemas;
    ///
    /// let identify = serde_json::json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}});
    /// assert!(Schemas::get().call(CallType::Identify).is_valid(&identify));
    /// ```
    pub fn call(&self, call: CallType) -> &Validator {
        &self.calls[call as usize]
    }

    /// The validator of the batch envelope (everything but the items).
    ///
    /// ```
    /// use cdpspec::schema::Schemas;
    ///
    /// // Items are checked one by one with their own call's schema, not by the envelope.
    /// assert!(Schemas::get().envelope().is_valid(&serde_json::json!({"batch": [{"type": "nonsense"}]})));
    /// assert!(!Schemas::get().envelope().is_valid(&serde_json::json!({"batch": "not an array"})));
    /// ```
    pub fn envelope(&self) -> &Validator {
        &self.envelope
    }
}
