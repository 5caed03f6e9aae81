//! Turns the canonical schema's validation errors (from the `jsonschema` crate) into findings
//! with rule codes and messages a person can act on. Runs only for calls that failed the fast
//! `is_valid` check.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::{json_type, preview};
use crate::CallType;
use crate::diagnostic::Finding;
use crate::rule::Rule;

/// Findings for `instance` (found at `prefix` in its document) under `validator`.
pub(super) fn map(validator: &Validator, instance: &Value, prefix: &str, call: Option<CallType>) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for error in validator.iter_errors(instance) {
        push_findings(&error, prefix, call, &mut findings);
    }
    findings
}

/// Adds the findings of one error. One finding per place: a value that fails both its type and
/// a composed rule (an empty `groupId` fails `type` and `anyOf`) is one problem.
fn push_findings(error: &ValidationError<'_>, prefix: &str, call: Option<CallType>, out: &mut Vec<Finding>) {
    let path = error.instance_path().as_str();
    let pointer = format!("{prefix}{path}");
    if out.iter().any(|f| f.pointer == pointer) {
        return;
    }
    let field = dotted(path);
    let instance: &Value = error.instance();
    let finding = match error.kind() {
        ValidationErrorKind::Type { kind } => type_finding(pointer, path, &field, instance, expected_types(kind)),
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            Finding::new(Rule::MissingRequired, pointer, missing_message(name, call))
        }
        ValidationErrorKind::Pattern { .. } | ValidationErrorKind::MinLength { .. } if path == "/event" => {
            Finding::new(Rule::EmptyEvent, pointer, "`event` is empty or blank; destinations route and report track calls by event name: name the event")
        }
        ValidationErrorKind::AnyOf { .. } if path.is_empty() => {
            let what = call.as_ref().map_or("call", CallType::as_str);
            let extra = if call == Some(CallType::Identify) && instance.pointer("/traits/email").and_then(Value::as_str).is_some_and(|e| !e.is_empty()) {
                " (Customer.io alone would identify the person by `traits.email`; every other destination drops the call)"
            } else {
                ""
            };
            Finding::new(
                Rule::MissingIdentity,
                pointer,
                format!("{what} call has neither a `userId` nor an `anonymousId`{extra}; destinations cannot attribute it to a person"),
            )
        }
        ValidationErrorKind::AnyOf { context } => {
            if instance.as_str().is_some_and(|s| s.trim().is_empty()) {
                Finding::new(Rule::MissingRequired, pointer, format!("`{field}` is empty or blank; destinations key on it: send a real identifier"))
            } else if let Some(branch) = context.iter().find(|b| !b.is_empty() && b.iter().all(|e| e.instance_path().as_str().len() > path.len())) {
                // The value has the shape of this branch and fails deeper inside it (a nullable
                // object with a bad member): report the members, not the wrapper.
                for inner in branch {
                    push_findings(inner, prefix, call, out);
                }
                return;
            } else {
                let mut expected: Vec<&'static str> = Vec::new();
                for branch in context.iter().flatten() {
                    if let ValidationErrorKind::Type { kind } = branch.kind() {
                        for t in expected_types(kind) {
                            if !expected.contains(&t) {
                                expected.push(t);
                            }
                        }
                    }
                }
                if expected.is_empty() {
                    Finding::new(Rule::InvalidValue, pointer, format!("`{field}`: {error}"))
                } else {
                    type_finding(pointer, path, &field, instance, expected)
                }
            }
        }
        _ => Finding::new(Rule::InvalidValue, pointer, format!("`{field}`: {error}")),
    };
    out.push(finding);
}

fn expected_types(kind: &TypeKind) -> Vec<&'static str> {
    match kind {
        TypeKind::Single(t) => vec![t.as_str()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
    }
}

fn type_finding(pointer: String, path: &str, field: &str, instance: &Value, expected: Vec<&'static str>) -> Finding {
    let reserved = is_reserved(path);
    let rule = if reserved { Rule::ReservedType } else { Rule::WrongType };
    let label = if reserved { format!("reserved `{field}`") } else { format!("`{field}`") };
    let mut finding = Finding::new(rule, pointer, format!("{label} must be {}, got {} {}", one_of(&expected), json_type(instance), preview(instance)));
    if let Value::String(s) = instance
        && expected.contains(&"number")
        && s.trim().parse::<f64>().is_ok_and(f64::is_finite)
    {
        finding.message.push_str(": send the number without quotes");
        finding = finding.suggest(s.trim());
    }
    finding
}

/// Whether a path within a call is inside traits or properties, where every key the schema
/// types is a reserved one.
fn is_reserved(path: &str) -> bool {
    path.starts_with("/traits/") || path.starts_with("/properties/") || path.starts_with("/context/traits/")
}

fn one_of(types: &[&str]) -> String {
    let mut types = types.to_vec();
    types.sort_by_key(|t| *t == "null");
    let names: Vec<String> = types.iter().map(|t| if *t == "null" { "null".to_string() } else { format!("{} {t}", article(t)) }).collect();
    match names.as_slice() {
        [] => "something else".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn article(t: &str) -> &'static str {
    if t.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

fn missing_message(name: &str, call: Option<CallType>) -> String {
    match (name, call) {
        ("event", _) => "track call has no `event`; destinations route and report track calls by event name".to_string(),
        ("groupId", _) => "group call has no `groupId`; destinations cannot tell which group the person joined".to_string(),
        ("previousId", _) => "alias call has no `previousId`: the id to merge into `userId` (usually the anonymous id)".to_string(),
        ("userId", Some(CallType::Alias)) => "alias call has no `userId`: the id `previousId` becomes".to_string(),
        ("batch", _) => "batch has no `batch` array of calls".to_string(),
        (name, Some(call)) => format!("{call} call has no `{name}`, which it requires"),
        (name, None) => format!("`{name}` is required"),
    }
}

/// `/traits/address/city` as `traits.address.city`; the root as `call`.
fn dotted(path: &str) -> String {
    if path.is_empty() {
        return "call".to_string();
    }
    cdpspec_plan::pointer::tokens(path).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_paths_are_inside_traits_and_properties() {
        assert!(is_reserved("/traits/email"));
        assert!(is_reserved("/properties/revenue"));
        assert!(is_reserved("/context/traits/email"));
        assert!(!is_reserved("/context/library"));
        assert!(!is_reserved("/userId"));
    }

    #[test]
    fn other_constraints_become_invalid_value_with_the_validators_reason() {
        let schema = serde_json::json!({"type": "object", "properties": {"plan": {"enum": ["free", "premium"]}}});
        let validator = jsonschema::validator_for(&schema).unwrap();
        let found = map(&validator, &serde_json::json!({"plan": "gold"}), "/batch/2", None);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].rule, found[0].pointer.as_str()), (Rule::InvalidValue, "/batch/2/plan"));
        assert!(found[0].message.starts_with("`plan`: ") && found[0].message.contains("gold"), "{}", found[0].message);
    }

    #[test]
    fn messages_name_types_in_plain_english() {
        assert_eq!(one_of(&["null", "string"]), "a string or null");
        assert_eq!(one_of(&["object"]), "an object");
        assert_eq!(dotted("/traits/address/city"), "traits.address.city");
    }
}
