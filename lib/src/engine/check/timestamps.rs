//! Top-level timestamps (`timestamp`, `sentAt`, ...): RFC 3339 passes; dates real SDKs produce
//! but that are ambiguous (no zone, date only) warn; text no destination reads as a date fails.

use serde_json::{Map, Value};

use super::RulesOn;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::fast::json::Json;
use crate::rule::Rule;
use crate::timestamp::{DateQuality, classify, to_rfc3339};

/// Precise form: a finding for each of `fields` of `map` (found at `pointer`) that is a string
/// but not an RFC 3339 date-time.
pub(super) fn check_fields(map: &Map<String, Value>, pointer: &Pointer, fields: &[&str], out: &mut Vec<Finding>) {
    for field in fields {
        if let Some(Value::String(s)) = map.get(*field)
            && let Some(finding) = check(s, &pointer.join(field), field)
        {
            out.push(finding);
        }
    }
}

/// Fast form, for the value of one timestamp field: whether [`check_fields`] reports nothing
/// on it under the rules `on`.
#[inline]
pub(crate) fn passes<V: Json>(value: V, on: RulesOn) -> bool {
    let Some(s) = value.as_str() else { return true };
    match classify(s) {
        DateQuality::Rfc3339 => true,
        DateQuality::NoZone | DateQuality::DateOnly | DateQuality::Loose => !on.has(Rule::TimestampNotRfc3339),
        DateQuality::UnixDigits | DateQuality::Unreadable => !on.has(Rule::InvalidTimestamp),
    }
}

fn check(s: &str, pointer: &Pointer, field: &str) -> Option<Finding> {
    let (rule, why) = match classify(s) {
        DateQuality::Rfc3339 => return None,
        DateQuality::NoZone => (Rule::TimestampNotRfc3339, "has no time zone; destinations read it as UTC or as local time: append `Z` or an offset"),
        DateQuality::DateOnly => (Rule::TimestampNotRfc3339, "is a date without a time; destinations read it as midnight UTC: send a full RFC 3339 date-time"),
        DateQuality::Loose => {
            (Rule::TimestampNotRfc3339, "is not RFC 3339 (use `T` between date and time and `+hh:mm` offsets); most destinations still read it")
        }
        DateQuality::UnixDigits => {
            (Rule::InvalidTimestamp, "is unix time as a string; timestamps must be ISO-8601 date-times such as 2026-11-28T18:02:43.022Z")
        }
        DateQuality::Unreadable => (Rule::InvalidTimestamp, "is not a date; timestamps must be ISO-8601 date-times such as 2026-11-28T18:02:43.022Z"),
    };
    let finding = Finding::new(rule, pointer, format!("`{field}` \"{s}\" {why}"));
    Some(match to_rfc3339(s) {
        Some(fixed) => finding.suggest(fixed),
        None => finding,
    })
}
