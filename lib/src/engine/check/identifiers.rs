//! Identifier checks beyond the schema: empty or blank `userId`/`anonymousId` (treated as
//! missing downstream), numeric identifiers (compared as strings downstream), and a pointer to
//! the misspelled key when a call has no identity at all.

use serde_json::{Map, Value};

use super::RulesOn;
use crate::CallType;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::fast::json::{Json, Kind};
use crate::rule::Rule;
use crate::suggest::fold;

const IDENTIFIERS: [&str; 4] = ["userId", "anonymousId", "groupId", "previousId"];

/// Whether `field` of a `call` call must not be empty or blank (an alias's `userId` is exempt).
fn must_not_be_blank(field: &str, call: CallType) -> bool {
    matches!(field, "userId" | "anonymousId") && !(call == CallType::Alias && field == "userId")
}

/// Precise form: findings for the identifiers of `map`, a `call` call found at `pointer`.
pub(super) fn check(map: &Map<String, Value>, pointer: &Pointer, call: CallType, out: &mut Vec<Finding>) {
    for field in IDENTIFIERS {
        match map.get(field) {
            Some(Value::Number(n)) => out.push(
                Finding::new(
                    Rule::NumericIdentifier,
                    pointer.join(field),
                    format!("`{field}` is the number {n}; destinations compare identifiers as strings, so send \"{n}\""),
                )
                .suggest(format!("\"{n}\"")),
            ),
            Some(Value::String(s)) if s.trim().is_empty() && must_not_be_blank(field, call) => {
                let what = if s.is_empty() { "empty" } else { "blank" };
                out.push(Finding::new(
                    Rule::EmptyIdentifier,
                    pointer.join(field),
                    format!("`{field}` is {what}; destinations treat it as missing: omit it or send a real id"),
                ));
            }
            _ => {}
        }
    }
    // A call without identity often has the id under a misspelled key: name it.
    if let Some(missing) = out.iter_mut().find(|f| f.rule == Rule::MissingIdentity && f.suggestion.is_none())
        && let Some((key, field)) = map.keys().find_map(|k| ["userId", "anonymousId"].into_iter().find(|f| fold(f) == fold(k) && k != f).map(|f| (k, f)))
    {
        missing.message.push_str(&format!(" (found `{key}`: rename it to `{field}`)"));
        missing.suggestion = Some(field.to_string());
    }
}

/// Fast form, for the value of one of the identifier fields (`userId`, `anonymousId`, `groupId`,
/// `previousId`): whether [`check`] reports nothing on it under the rules `on`. Naming the
/// misspelled id key only adds to a finding the schema already made, so it needs no fast form.
#[inline]
pub(crate) fn passes<V: Json>(field: &str, value: V, call: CallType, on: RulesOn) -> bool {
    match value.kind() {
        Kind::Number => !on.has(Rule::NumericIdentifier),
        Kind::String => {
            let blank = value.as_str().is_some_and(|s| s.trim().is_empty());
            !(blank && must_not_be_blank(field, call) && on.has(Rule::EmptyIdentifier))
        }
        _ => true,
    }
}
