//! Explaining a mapping against a call, field by field: what each top-level key resolved to, or
//! why it resolved to nothing, and what empty-value removal does with it.

use super::compile::{Kind, Node, Source};
use super::directives::{RunError, if_holds, resolve};
use super::empty::drop_reason;
use super::fields::Field;
use super::js::Js;
use super::path::Path;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// How one top-level key of a mapping resolved against a call.
///
/// ```
/// use cdpspec::destination::mapping::{Mapping, Outcome};
/// use serde_json::json;
///
/// let mapping = Mapping::parse(&json!({"email": {"@template": "{{traits.email}}"}})).unwrap();
/// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}});
/// let resolution = &mapping.explain(&call)[0];
/// assert_eq!((resolution.key.as_str(), resolution.directive.as_str()), ("email", "@template"));
/// assert_eq!(resolution.mapping, json!({"@template": "{{traits.email}}"}));
/// assert_eq!(resolution.outcome, Outcome::Value(json!("cool.person@example.com")));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    /// The key (`""` when the whole mapping is one directive).
    pub key: String,
    /// The directive at the key (`@path`, `@if`, ...), or `value`, `object`, `array` when the key
    /// holds a plain value or a shape with directives inside.
    pub directive: String,
    /// The mapping of the key, as written.
    pub mapping: Value,
    /// What it resolved to.
    pub outcome: Outcome,
}

/// What a key resolved to.
///
/// ```
/// use cdpspec::destination::mapping::{Mapping, Outcome};
/// use serde_json::json;
///
/// let mapping = Mapping::parse(&json!({"anonymous_id": {"@path": "$.anonymousId"}, "email": {"@template": "{{traits.email}}"}})).unwrap();
/// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {}});
/// let outcomes: Vec<String> = mapping.explain(&call).iter().map(|r| r.outcome.to_string()).collect();
/// assert_eq!(outcomes[0], "nothing: `$.anonymousId` is not in the call (it has no `anonymousId`)");
/// assert!(matches!(&mapping.explain(&call)[1].outcome, Outcome::Dropped { value, .. } if value == ""));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A value the payload keeps.
    Value(Value),
    /// A value that empty-value removal (or the action's fields) drops.
    Dropped {
        /// The resolved value.
        value: Value,
        /// Why it is dropped.
        reason: String,
    },
    /// Nothing: the key is absent from the payload.
    Nothing(Nothing),
    /// The directive failed on this call; the reference fails the whole action.
    Failed(RunError),
}

/// Why a key resolved to nothing.
///
/// ```
/// use cdpspec::destination::mapping::{Mapping, Nothing, Outcome};
/// use serde_json::json;
///
/// let mapping = Mapping::parse(&json!({"id": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}}}})).unwrap();
/// let call = json!({"type": "identify", "anonymousId": "a1b2c3", "traits": {"email": "cool.person@example.com"}});
/// let why = Nothing::NoBranch { condition_held: false };
/// assert_eq!(mapping.explain(&call)[0].outcome, Outcome::Nothing(why.clone()));
/// assert_eq!(why.to_string(), "the @if condition did not hold and there is no (truthy) `else`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nothing {
    /// A path is not in the call.
    PathMissing {
        /// The path as written.
        path: String,
        /// The part of the path that exists (segments joined by `.`; empty for none).
        found: String,
        /// The first segment that does not.
        missing: String,
    },
    /// An `@if` had no branch to take (no `then` when it held; no truthy `else` when it did not).
    NoBranch {
        /// Whether the condition held.
        condition_held: bool,
    },
    /// `@excludeWhenNull` removed a `null`.
    ExcludedNull,
    /// `@case` or `@replace` without a (non-empty) `value`.
    NoInput,
    /// Some other directive gave `undefined`.
    Undefined {
        /// The directive.
        directive: String,
    },
}

impl fmt::Display for Nothing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Nothing::PathMissing { path, found, missing } if found.is_empty() => write!(f, "`{path}` is not in the call (it has no `{missing}`)"),
            Nothing::PathMissing { path, found, missing } => write!(f, "`{path}` is not in the call (`{found}` has no `{missing}`)"),
            Nothing::NoBranch { condition_held: true } => write!(f, "the @if condition held and there is no `then`"),
            Nothing::NoBranch { condition_held: false } => write!(f, "the @if condition did not hold and there is no (truthy) `else`"),
            Nothing::ExcludedNull => write!(f, "the value was null and @excludeWhenNull removed it"),
            Nothing::NoInput => write!(f, "the directive has no non-empty `value`"),
            Nothing::Undefined { directive } => write!(f, "{directive} resolved to nothing"),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Value(v) => write!(f, "{v}"),
            Outcome::Dropped { value, reason } => write!(f, "{value}, dropped: {reason}"),
            Outcome::Nothing(why) => write!(f, "nothing: {why}"),
            Outcome::Failed(e) => write!(f, "failed: {e}"),
        }
    }
}

/// Explains every top-level key of a compiled mapping.
pub(crate) fn explain(root: &Node, source: &Value, call: &Value, fields: Option<&BTreeMap<String, Field>>) -> Vec<Resolution> {
    let fields = fields.filter(|f| !f.is_empty());
    let payload = Js::Ref(call);
    let whole = |outcome| vec![Resolution { key: String::new(), directive: root.directive_name().to_owned(), mapping: source.clone(), outcome }];
    if !call.is_object() {
        let message = format!("data must be an object, got {}", super::js::json_type_name(call));
        return whole(Outcome::Failed(RunError { pointer: root.pointer.to_string(), message }));
    }
    let members: Vec<(&str, Node)> = match (&root.kind, source) {
        (Kind::Object(fields), Value::Object(written)) if written.len() == fields.len() => fields.iter().map(|(k, n)| (k.as_str(), n.clone())).collect(),
        (Kind::Raw(Value::Object(values)), _) => {
            values.iter().map(|(k, v)| (k.as_str(), Node { kind: Kind::Raw(v.clone()), pointer: root.pointer.join(k) })).collect()
        }
        _ => {
            let outcome = outcome_of(root, &payload, None, fields);
            return whole(outcome);
        }
    };
    members
        .iter()
        .map(|(key, node)| Resolution {
            key: (*key).to_owned(),
            directive: node.directive_name().to_owned(),
            mapping: source.get(*key).cloned().unwrap_or(Value::Null),
            outcome: outcome_of(node, &payload, Some(key), fields),
        })
        .collect()
}

fn outcome_of<'p>(node: &'p Node, payload: &Js<'p>, key: Option<&str>, fields: Option<&BTreeMap<String, Field>>) -> Outcome {
    let resolved = match resolve(node, payload) {
        Ok(v) => v.remove_undefined().into_json(),
        Err(e) => return Outcome::Failed(e),
    };
    let Some(value) = resolved else { return Outcome::Nothing(why(node, payload)) };
    let Some(key) = key else { return Outcome::Value(value) };
    let field = fields.and_then(|f| f.get(key));
    if let Some(reason) = drop_reason(&value, field) {
        return Outcome::Dropped { value, reason: reason.to_owned() };
    }
    if fields.is_some() && field.is_none() {
        return Outcome::Dropped { value, reason: "not a field of the action, so the action ignores it".to_owned() };
    }
    Outcome::Value(value)
}

fn path_missing(path: &Path, payload: &Js<'_>) -> Nothing {
    let (found, missing) = path.first_missing(payload).unwrap_or_default();
    Nothing::PathMissing { path: path.source.clone(), found, missing }
}

/// Why a node resolved to `undefined`.
fn why<'p>(node: &'p Node, payload: &Js<'p>) -> Nothing {
    match &node.kind {
        Kind::Path(Source::Static(path)) | Kind::ArrayPath { source: Source::Static(path), .. } => path_missing(path, payload),
        Kind::ArrayPath { source: Source::Dynamic(inner), .. } | Kind::Literal(inner) => why(inner, payload),
        Kind::If { blank, condition, then, otherwise } => match if_holds(*blank, condition, payload) {
            Ok(held) => match if held { then } else { otherwise } {
                Some(branch) => why(branch, payload),
                None => Nothing::NoBranch { condition_held: held },
            },
            Err(_) => Nothing::Undefined { directive: "@if".to_owned() },
        },
        Kind::ExcludeWhenNull(inner) => match resolve(inner, payload) {
            Ok(v) if v.is_null() => Nothing::ExcludedNull,
            _ => why(inner, payload),
        },
        Kind::Case { value: None, .. } => Nothing::NoInput,
        Kind::Replace(r) if r.value.is_none() => Nothing::NoInput,
        Kind::Case { value: Some(inner), .. } => why(inner, payload),
        Kind::Json { value, .. } => why(value, payload),
        _ => Nothing::Undefined { directive: node.directive_name().to_owned() },
    }
}
