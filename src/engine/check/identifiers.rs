//! Identifier checks beyond the schema: empty or blank `userId`/`anonymousId` (treated as
//! missing downstream), numeric identifiers (compared as strings downstream), and a pointer to
//! the misspelled key when a call has no identity at all.

use serde_json::{Map, Value};

use crate::CallType;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::suggest::fold;

const IDENTIFIERS: [&str; 4] = ["userId", "anonymousId", "groupId", "previousId"];

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
            Some(Value::String(s)) if s.trim().is_empty() && matches!(field, "userId" | "anonymousId") && !(call == CallType::Alias && field == "userId") => {
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
