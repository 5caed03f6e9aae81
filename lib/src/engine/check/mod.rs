//! Validation of one parsed document (a call, a batch, or an array of calls): which calls it
//! holds, and the findings of every rule on each. Pure: no I/O, no positions (the input layer
//! places findings in the source text).
//!
//! Each rule's module holds the rule twice: its precise form, which writes findings over a
//! `serde_json::Value`, and its fast form, which only answers "would it report anything?" over
//! the fast path's `Json` view (`src/engine/fast/rules.rs` asks them in turn). A fast form may
//! fail a call the precise form passes (the call then takes the precise path), never pass one
//! the precise form reports on; `tests/differential.rs` holds the two to the same verdicts.

pub mod duplicates;
pub(crate) mod fields;
pub(crate) mod identifiers;
pub mod limits;
pub(crate) mod reserved;
mod schema_errors;
pub mod surrogates;
pub(crate) mod timestamps;

use serde_json::{Map, Value};

use crate::{CallType, Pointer};
use std::sync::Arc;

use crate::diagnostic::Finding;
use crate::fast::json::Json;
use crate::plan::PlanValidator;
use crate::rule::{Rule, Severities};
use crate::schema::Schemas;
use crate::suggest;

/// What the caller knows beyond the payload.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::check::{Options, check_document};
///
/// // Posted to /v1/alias: the endpoint implies the type.
/// let call = serde_json::json!({"userId": "97980cfea0067", "previousId": "a1f5e8b2"});
/// let options = Options { default_type: Some(CallType::Alias), ..Options::default() };
/// assert!(check_document(&call, &options).calls[0].findings.is_empty());
/// ```
#[derive(Clone, Default)]
pub struct Options {
    /// The type of top-level calls without a `type` field (as when posted to `/v1/alias`).
    pub default_type: Option<CallType>,
    /// A tracking plan whose rules apply on top of the canonical ones.
    pub plan: Option<Arc<PlanValidator>>,
    /// Severity overrides per rule.
    pub severities: Severities,
    /// Size and length limits.
    pub limits: limits::Limits,
}

/// The findings of one call.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::check::{Options, check_document};
///
/// let calls = serde_json::json!([{"type": "page", "anonymousId": "a1f5e8b2", "name": "home"}]);
/// let call = &check_document(&calls, &Options::default()).calls[0];
/// assert_eq!((call.index, call.call_type), (Some(0), Some(CallType::Page)));
/// assert!(call.findings.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallReport {
    /// Position in its batch or array; `None` for a call that is the whole document.
    pub index: Option<usize>,
    /// The call's type, when it could be determined.
    pub call_type: Option<CallType>,
    /// What the rules found, in the order they ran.
    pub findings: Vec<Finding>,
}

/// The findings of one document.
///
/// ```
/// use cdpspec::check::{Options, check_document};
///
/// let batch = serde_json::json!({"batch": [{"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"}], "sentAt": "yesterday"});
/// let report = check_document(&batch, &Options::default());
/// assert_eq!(report.findings[0].pointer, "/sentAt", "the envelope's own finding");
/// assert!(report.calls[0].findings.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentReport {
    /// Findings about the document itself (the batch envelope, its size), not any one call.
    pub findings: Vec<Finding>,
    /// One report per call the document holds.
    pub calls: Vec<CallReport>,
}

impl DocumentReport {
    /// Adds `finding`, found by scanning the source text, to the call its pointer is in
    /// (`/batch/3/...` or `/3/...` in a batch or array, anything in a call that is the whole
    /// document), or else to the document.
    pub(crate) fn attach(&mut self, finding: Finding) {
        let in_batch = finding.pointer.strip_prefix("/batch/");
        let index = in_batch.or_else(|| finding.pointer.strip_prefix('/')).and_then(|rest| rest.split('/').next()).and_then(|i| i.parse::<usize>().ok());
        let call = match (self.calls.len(), index) {
            (1, _) if self.calls[0].index.is_none() => Some(0),
            (_, Some(i)) if self.calls.get(i).is_some_and(|c| c.index == Some(i)) => Some(i),
            _ => None,
        };
        match call {
            Some(i) => self.calls[i].findings.push(finding),
            None => self.findings.push(finding),
        }
    }
}

/// Validates a document: a batch (`{"batch": [...]}`), an array of calls, or one call. Size
/// limits are checked on the document's compact JSON encoding.
///
/// ```
/// use cdpspec::check::{Options, check_document};
///
/// let batch = serde_json::json!({"batch": [{"type": "identify", "userId": "u1"}, {"type": "track", "userId": "u1"}]});
/// let report = check_document(&batch, &Options::default());
/// assert!(report.calls[0].findings.is_empty());
/// assert_eq!(report.calls[1].findings[0].pointer, "/batch/1");
/// ```
pub fn check_document(doc: &Value, options: &Options) -> DocumentReport {
    check_parsed(doc, usize::MAX, options)
}

/// Validates a document parsed from `text_len` bytes of text, as [`check_document`] does, but
/// measures sizes only when the text was long enough to break a limit: a short text's compact
/// encoding is never long enough to (see [`limits::Limits::unmeasured_bytes`]).
///
/// ```
/// use cdpspec::check::{Options, check_parsed};
///
/// let text = r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#;
/// let call: serde_json::Value = serde_json::from_str(text).unwrap();
/// let report = check_parsed(&call, text.len(), &Options::default());
/// assert!(report.findings.is_empty() && report.calls[0].findings.is_empty());
/// ```
pub fn check_parsed(doc: &Value, text_len: usize, options: &Options) -> DocumentReport {
    let raw_len = text_len;
    let mut report = DocumentReport::default();
    match doc {
        Value::Object(map) if map.contains_key("batch") => check_batch(doc, map, raw_len, options, &mut report),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                report.calls.push(check_call(item, &Pointer::root().join_index(i), Some(i), options.default_type, raw_len, options));
            }
        }
        _ => report.calls.push(check_call(doc, &Pointer::root(), None, options.default_type, raw_len, options)),
    }
    report
}

fn check_batch(doc: &Value, map: &Map<String, Value>, raw_len: usize, options: &Options, report: &mut DocumentReport) {
    let schemas = Schemas::get();
    // The generated validator gives `is_valid`'s verdict, faster; errors come from `jsonschema`.
    if !crate::fast::validators::batch_envelope(doc) {
        report.findings.extend(schema_errors::map(schemas.envelope(), doc, "", None));
    }
    timestamps::check_fields(map, &Pointer::root(), &["sentAt", "timestamp"], &mut report.findings);
    limits::check_batch(doc, raw_len, &options.limits, &mut report.findings);
    if let Some(Value::Array(items)) = map.get("batch") {
        let batch = Pointer::root().join("batch");
        for (i, item) in items.iter().enumerate() {
            // Inside a batch no endpoint implies the type: every call must carry its own.
            report.calls.push(check_call(item, &batch.join_index(i), Some(i), None, raw_len, options));
        }
    }
}

/// Validates one call found at `pointer` in its document.
fn check_call(call: &Value, pointer: &Pointer, index: Option<usize>, default_type: Option<CallType>, raw_len: usize, options: &Options) -> CallReport {
    let mut report = CallReport { index, ..CallReport::default() };
    let out = &mut report.findings;
    let Value::Object(map) = call else {
        let what = if index.is_some() { "a call in a batch or array" } else { "a call" };
        out.push(Finding::new(Rule::NotAnObject, pointer, format!("{what} must be a JSON object, got {}", json_type(call))));
        return report;
    };
    report.call_type = call_type(map, pointer, default_type, out);
    limits::check_call(call, map, pointer, raw_len, &options.limits, out);
    timestamps::check_fields(map, pointer, &["timestamp", "originalTimestamp", "sentAt", "receivedAt"], out);
    if let Some(t) = report.call_type {
        let validator = Schemas::get().call(t);
        if !crate::fast::validators::call(t, call) {
            out.extend(schema_errors::map(validator, call, pointer.as_str(), Some(t)));
        }
        identifiers::check(map, pointer, t, out);
        reserved::check(map, pointer, t, out);
        fields::check(map, pointer, t, out);
        if let Some(plan) = &options.plan {
            plan.check(call, t, pointer.as_str(), out);
        }
    }
    report
}

/// The call's type from its `type` field, or the default; reports why when neither works.
fn call_type(map: &Map<String, Value>, pointer: &Pointer, default_type: Option<CallType>, out: &mut Vec<Finding>) -> Option<CallType> {
    match map.get("type") {
        Some(Value::String(s)) => match s.parse::<CallType>() {
            Ok(t) => Some(t),
            Err(_) => {
                let names = CallType::ALL.iter().map(CallType::as_str);
                let mut finding = Finding::new(
                    Rule::UnknownType,
                    pointer.join("type"),
                    format!("`{s}` is not a call type; expected one of identify, group, track, page, screen, alias"),
                );
                if let Some(closest) = suggest::closest(s, names) {
                    finding.message = format!("`{s}` is not a call type; did you mean `{closest}`?");
                    finding = finding.suggest(closest);
                }
                out.push(finding);
                None
            }
        },
        Some(other) => {
            out.push(Finding::new(
                Rule::WrongType,
                pointer.join("type"),
                format!("`type` must be a string naming the call (identify, group, track, page, screen, alias), got {}", json_type(other)),
            ));
            None
        }
        None if default_type.is_some() => default_type,
        None => {
            let hint = if pointer.as_str().starts_with("/batch/") {
                "every call in a batch needs its `type`"
            } else {
                "add `type`, or pass `--type CALL` for payloads posted to a single-call endpoint such as /v1/alias"
            };
            out.push(Finding::new(Rule::MissingType, pointer, format!("call has no `type`: {hint}")));
            None
        }
    }
}

/// Fast form of [`call_type`]: the one `type`, or the default; `None` when there is no type, it
/// is not a call type, or there are several `type` keys (the parser keeps the last: the precise
/// path tells).
#[inline]
pub(crate) fn fast_call_type<V: Json>(v: V, default_type: Option<CallType>) -> Option<CallType> {
    let mut types = v.members().filter(|(k, _)| *k == "type");
    match (types.next(), types.next()) {
        (None, _) => default_type,
        (Some((_, t)), None) => t.as_str()?.parse().ok(),
        (Some(_), Some(_)) => None,
    }
}

// One bit per rule in `RulesOn`.
const _: () = assert!(Rule::ALL.len() <= 64);

/// The rules a set of options does not turn off, one bit each: what the fast forms ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RulesOn(u64);

impl RulesOn {
    /// The rules `severities` leaves on.
    pub(crate) fn of(severities: &Severities) -> RulesOn {
        RulesOn(Rule::ALL.iter().filter(|r| severities.of(**r).is_some()).fold(0u64, |bits, r| bits | 1 << (*r as usize)))
    }

    /// Whether `rule` is on.
    #[inline]
    pub(crate) fn has(self, rule: Rule) -> bool {
        self.0 & (1 << (rule as usize)) != 0
    }
}

/// The JSON type name of a value, as messages say it.
pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A short rendering of a value for messages: strings quoted, long text cut.
pub(crate) fn preview(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 { format!("{}…", text.chars().take(37).collect::<String>()) } else { text }
}
