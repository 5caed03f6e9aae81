//! Mappings: the directives that build an action's payload from a call, the empty-value removal
//! that follows, and the check of the payload against the action's fields.
//!
//! This follows Segment's open-source engine (`@segment/actions-core`: mapping-kit,
//! remove-empty-values.ts, fields-to-jsonschema.ts, schema-validation.ts), which Customer.io Data
//! Pipelines destinations also follow, down to its quirks, so that a payload computed here is the
//! payload a destination would receive:
//!
//! ```
//! use cdpspec::destination::mapping::{Mapping, check_fields, fields_from_json};
//! use serde_json::json;
//!
//! let mapping = Mapping::parse(&json!({
//!     "id": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": {"@path": "$.traits.email"}}},
//!     "email": {"@template": "{{traits.email}}"},
//!     "name": {"@path": "$.event"}
//! })).unwrap();
//! let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "a@example.com"}});
//! let payload = mapping.resolve(&call);
//! assert_eq!(payload, json!({"id": "97980cfea0067", "email": "a@example.com"}));
//!
//! let fields = fields_from_json(&json!({"name": {"type": "string", "required": true}})).unwrap();
//! assert_eq!(check_fields(&payload, &fields).missing, ["name"]);
//! ```
//!
//! Directives: `@path`, `@if` (`exists`/`blank`), `@template`, `@literal`, `@arrayPath`, `@case`,
//! `@replace`, `@json`, `@flatten`, `@merge`, `@transform`, `@excludeWhenNull`, and a root
//! directive under `__segment_internal_directive`. `@liquid` is not implemented: a mapping that
//! uses it does not parse.
//!
//! Where this differs from the reference, and why:
//! - Everything that would make the reference throw on every call, whatever the data, is an
//!   error of [`Mapping::parse`], with the JSON pointer of the place (the reference validates less
//!   and throws later: unknown directives inside arrays or `@if` branches, an `@if` without a
//!   truthy `exists`/`blank`, a `@case` without `operator`, a falsy `@json` `value`). Same
//!   outcome (the action never works), reported once and where it is.
//! - Option words must be spelled as the reference compares them when resolving: `@json` `mode`
//!   `encode`/`decode` and `@merge` `direction` `left`/`right` in lowercase (the reference
//!   validates them in any case, then resolves `"ENCODE"` to nothing and `"LEFT"` as `"right"`),
//!   and `@case` `operator` `lower`/`upper` (the reference accepts any string, then throws on
//!   every string value). Anything else is an error of [`Mapping::parse`] listing the allowed
//!   words, at the option (`/@json/mode`), or at the directive for `@case`, in the reference's
//!   words.
//! - [`Mapping::resolve`] never fails: a top-level key whose directive throws on this call is left
//!   out, where the reference fails the whole action; [`Mapping::try_resolve`] and
//!   [`Mapping::explain`] report such failures.
//! - Objects are `serde_json` maps, which keep keys sorted, so `@json` `encode` writes keys sorted
//!   where JavaScript keeps insertion order.
//! - JavaScript prototype members (`$.properties.constructor`) are not modelled; `length` and
//!   indexes of arrays and strings are. Strings are indexed and spread (by `@merge`) by
//!   character where JavaScript uses UTF-16 code units; they differ only outside the BMP.
//! - Field checks: `"Infinity"` is not coerced to a number; `uri`, `email`, `date-time` follow
//!   ajv-formats closely but not byte for byte; `date-like` strings without a zone are read as
//!   UTC for the range check; conditional `required` and `minimum`/`maximum` are not modelled
//!   (the bundled destinations use none).

mod compile;
mod date_like;
mod direct;
mod directives;
mod empty;
mod explain;
mod fields;
mod formats;
mod js;
mod needs;
mod options;
mod path;
mod template;

pub(crate) use direct::Direct;
pub use directives::RunError;
pub use empty::{drop_reason, remove_empty_values};
pub use explain::{Nothing, Outcome, Resolution};
pub use fields::{Field, FieldCheck, FieldKind, check_fields, fields_from_json};
pub(crate) use needs::Needs;

use crate::Pointer;
use compile::{Compiler, Kind, Node};
use js::Js;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// A mapping that does not parse: where (a JSON pointer into the mapping) and what.
///
/// ```
/// use cdpspec::destination::mapping::Mapping;
/// use serde_json::json;
///
/// let error = Mapping::parse(&json!({"email": {"@lowercase": {"@path": "$.traits.email"}}})).unwrap_err();
/// assert_eq!(error.pointer, "/email");
/// assert_eq!(error.to_string(), format!("/email {}.", error.message));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingError {
    /// JSON pointer of the offending value in the mapping (`""` for the mapping itself).
    pub pointer: String,
    /// What is wrong, in the reference's words where it has them.
    pub message: String,
}

impl fmt::Display for MappingError {
    /// `"/id/@if/then has an invalid directive: @oops."`, the reference's layout.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}.", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message)
    }
}

impl std::error::Error for MappingError {}

/// A parsed and validated mapping, compiled once and resolved against many calls.
///
/// ```
/// use cdpspec::destination::mapping::Mapping;
/// use serde_json::json;
///
/// let customerio = cdpspec::destination::load("customerio").unwrap();
/// let mapping = Mapping::parse(&customerio.presets.unwrap()[0].mapping).unwrap();
/// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}});
/// let payload = mapping.resolve(&call);
/// assert_eq!(payload["id"], "97980cfea0067");
/// assert_eq!(payload["email"], "cool.person@example.com");
/// ```
#[derive(Clone, Debug)]
pub struct Mapping {
    source: Value,
    root: Node,
}

impl Mapping {
    /// Parses and validates a mapping; the first error, if any.
    ///
    /// # Errors
    ///
    /// A [`MappingError`] at the JSON pointer of the first directive that does not parse, with the allowed forms.
    ///
    /// ```
    /// use cdpspec::destination::mapping::Mapping;
    /// use serde_json::json;
    ///
    /// assert!(Mapping::parse(&json!({"id": {"@path": "$.userId"}})).is_ok());
    /// let error = Mapping::parse(&json!({"email": {"@json": {"value": {"@path": "$.traits"}, "mode": "ENCODE"}}})).unwrap_err();
    /// assert_eq!(error.pointer, "/email/@json/mode");
    /// ```
    pub fn parse(mapping: &Value) -> Result<Mapping, MappingError> {
        let mut compiler = Compiler::default();
        let root = compiler.root(mapping, &Pointer::root());
        match compiler.errors.into_iter().next() {
            Some(error) => Err(error),
            None => Ok(Mapping { source: mapping.clone(), root }),
        }
    }

    /// Every error of a mapping (empty when it parses).
    ///
    /// ```
    /// use cdpspec::destination::mapping::Mapping;
    /// use serde_json::json;
    ///
    /// let errors = Mapping::errors(&json!({"id": {"@oops": "$.userId"}, "email": {"@liquid": "{{traits.email}}"}}));
    /// let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    /// assert_eq!(pointers, ["/email", "/id"]);
    /// assert!(Mapping::errors(&json!({"id": {"@path": "$.userId"}})).is_empty());
    /// ```
    pub fn errors(mapping: &Value) -> Vec<MappingError> {
        let mut compiler = Compiler::default();
        compiler.root(mapping, &Pointer::root());
        compiler.errors
    }

    /// The mapping as written.
    ///
    /// ```
    /// use cdpspec::destination::mapping::Mapping;
    /// use serde_json::json;
    ///
    /// let written = json!({"id": {"@path": "$.userId"}, "convert_timestamp": true});
    /// assert_eq!(Mapping::parse(&written).unwrap().as_json(), &written);
    /// ```
    pub fn as_json(&self) -> &Value {
        &self.source
    }

    /// Resolves the mapping against a call, as the reference's `transform`: keys that resolve to
    /// nothing are absent; `null` and `""` are kept (see [`remove_empty_values`] and
    /// [`check_fields`] for what the action then drops). A directive that fails on this call
    /// fails the whole mapping, as in the reference.
    ///
    /// # Errors
    ///
    /// A [`RunError`] when a directive fails on this call's data, as the reference engine throws.
    ///
    /// ```
    /// use cdpspec::destination::mapping::Mapping;
    /// use serde_json::json;
    ///
    /// let mapping = Mapping::parse(&json!({"id": {"@path": "$.userId"}, "plan": {"@json": {"value": {"@path": "$.traits.plan"}, "mode": "decode"}}})).unwrap();
    /// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"plan": "{\"tier\": \"premium\"}"}});
    /// assert_eq!(mapping.try_resolve(&call).unwrap(), json!({"id": "97980cfea0067", "plan": {"tier": "premium"}}));
    /// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"plan": "premium"}});
    /// assert_eq!(mapping.try_resolve(&call).unwrap_err().pointer, "/plan");
    /// ```
    pub fn try_resolve(&self, call: &Value) -> Result<Value, RunError> {
        let payload = Js::Ref(call);
        Ok(directives::transform(&self.root, &payload)?.into_json().unwrap_or(Value::Null))
    }

    /// Resolves the mapping against a call (see [`Mapping::try_resolve`]), never failing: a
    /// top-level key whose directive fails on this call is left out (use
    /// [`Mapping::try_resolve`] or [`Mapping::explain`] to see the failure); a call that is not
    /// an object gives `{}`. The common directives (`@path`, `@if`, `@template`) copy nothing but
    /// the values they select.
    ///
    /// ```
    /// use cdpspec::destination::mapping::Mapping;
    /// use serde_json::json;
    ///
    /// let mapping = Mapping::parse(&json!({"id": {"@path": "$.userId"}, "plan": {"@json": {"value": {"@path": "$.traits.plan"}, "mode": "decode"}}})).unwrap();
    /// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"plan": "premium"}});
    /// // `plan` is not JSON, so `@json` fails and the key is left out.
    /// assert_eq!(mapping.resolve(&call), json!({"id": "97980cfea0067"}));
    /// assert_eq!(mapping.resolve(&json!("not a call")), json!({}));
    /// ```
    pub fn resolve(&self, call: &Value) -> Value {
        if !call.is_object() {
            return Value::Object(serde_json::Map::new());
        }
        let payload = Js::Ref(call);
        match &self.root.kind {
            Kind::Object(fields) => {
                let mut out = serde_json::Map::new();
                for (key, node) in fields {
                    if let Some(v) = directives::resolve(node, &payload).ok().and_then(|v| v.remove_undefined().into_json()) {
                        out.insert(key.clone(), v);
                    }
                }
                Value::Object(out)
            }
            _ => self.try_resolve(call).unwrap_or(Value::Null),
        }
    }

    /// What [`check_fields`] says of the payload [`Mapping::resolve`] builds from `call`, without
    /// building it: only the keys that are `fields` are resolved, and values taken from the call
    /// are not copied.
    pub(crate) fn check(&self, call: &Value, fields: &BTreeMap<String, Field>) -> FieldCheck {
        let Kind::Object(keys) = &self.root.kind else { return check_fields(&self.resolve(call), fields) };
        if !call.is_object() {
            return check_fields(&self.resolve(call), fields);
        }
        let payload = Js::Ref(call);
        let mut check = FieldCheck::default();
        for (key, field) in fields {
            // What `resolve` puts under `key`: the key's directive resolved, unless it failed.
            let resolved = keys.iter().find(|(k, _)| k == key).and_then(|(_, node)| directives::resolve(node, &payload).ok()).map(Js::remove_undefined);
            match resolved {
                Some(Js::Ref(value)) => fields::check_field(key, Some(value), field, &mut check),
                other => fields::check_field(key, other.and_then(Js::into_json).as_ref(), field, &mut check),
            }
        }
        check
    }

    /// What each top-level key resolves to against a call, or why it resolves to nothing. Without
    /// the action's fields, `null` is reported as a value; `""` as dropped.
    ///
    /// ```
    /// use cdpspec::destination::mapping::{Mapping, Nothing, Outcome};
    /// use serde_json::json;
    ///
    /// let mapping = Mapping::parse(&json!({"id": {"@path": "$.userId"}, "email": {"@path": "$.traits.email"}})).unwrap();
    /// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {}});
    /// let [email, id] = mapping.explain(&call).try_into().unwrap();
    /// assert_eq!((id.key.as_str(), id.outcome), ("id", Outcome::Value(json!("97980cfea0067"))));
    /// assert!(matches!(email.outcome, Outcome::Nothing(Nothing::PathMissing { missing, .. }) if missing == "email"));
    /// ```
    pub fn explain(&self, call: &Value) -> Vec<Resolution> {
        explain::explain(&self.root, &self.source, call, None)
    }

    /// Like [`Mapping::explain`], also saying what empty-value removal and the action's fields
    /// drop (`null` where the field does not allow it, keys that are not fields).
    ///
    /// ```
    /// use cdpspec::destination::mapping::{Mapping, Outcome, fields_from_json};
    /// use serde_json::json;
    ///
    /// let mapping = Mapping::parse(&json!({"id": {"@path": "$.userId"}, "plan": {"@path": "$.traits.plan"}})).unwrap();
    /// let fields = fields_from_json(&json!({"id": {"type": "string", "required": true}})).unwrap();
    /// let call = json!({"type": "identify", "userId": null, "traits": {"plan": "premium"}});
    /// let [id, plan] = mapping.explain_for(&call, &fields).try_into().unwrap();
    /// assert!(matches!(id.outcome, Outcome::Dropped { value, .. } if value.is_null()));
    /// assert!(matches!(plan.outcome, Outcome::Dropped { reason, .. } if reason.contains("not a field")));
    /// ```
    pub fn explain_for(&self, call: &Value, fields: &BTreeMap<String, Field>) -> Vec<Resolution> {
        explain::explain(&self.root, &self.source, call, Some(fields))
    }
}
