//! Routing: which side of a split each call of a record belongs on, and what is written there.
//! Pure: it decides and shapes lines; sinks (NDJSON files, gzip, later a database or a topic)
//! only write them.
//!
//! Every call goes, unchanged, to the valid or the invalid side, one per line. Invalid calls
//! carry their violations under `context.violationErrors`, as pipelines that annotate events do
//! (RudderStack's tracking plans); records that did not parse go to the invalid side as read
//! (except those without bytes: an empty file, a record too large to hold).
//!
//! A call is valid when it has no diagnostic of severity error, as the summary counts it
//! (warnings do not make a call invalid). Calls in a batch or array are written one per line,
//! without their envelope, whose own findings (`sentAt`, its size) therefore do not decide; a
//! batch that holds no call but has errors goes to the invalid side whole. A call that spans
//! lines is written on one, white space outside strings removed.

use std::borrow::Cow;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::fast::Outcome;
use crate::locate::{elements, span};
use crate::rule::{Rule, Severity};

/// The side of a split a line goes to.
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::{Engine, Origin};
/// use cdpspec::route::{Side, route};
///
/// let record = b"{\"type\":\"track\",\"event\":\"Course Enrolled\"";
/// let outcome = Engine::from_options(Options::default()).check_record(record, Origin::whole("events.ndjson"));
/// let mut sides = Vec::new();
/// route(&outcome, record, &mut |side, _| sides.push(side));
/// assert_eq!(sides, [Side::Invalid], "a record that does not parse goes to the invalid side as read");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Calls without errors.
    Valid,
    /// Calls with errors (annotated), records that did not parse, call-less documents with errors.
    Invalid,
}

/// Hands each line of one record to `to`, with its side: the record's calls, each on one line
/// (annotated when invalid), or the record itself when it did not parse or holds no call but
/// has errors. Blank records, and records without bytes, yield nothing.
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::{Engine, Origin};
/// use cdpspec::route::{Side, route};
///
/// let record = br#"[{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}, {"type":"track","event":"Course Enrolled"}]"#;
/// let outcome = Engine::from_options(Options::default()).check_record(record, Origin::whole("events.json"));
/// let mut lines = Vec::new();
/// route(&outcome, record, &mut |side, line| lines.push((side, String::from_utf8(line.to_vec()).unwrap())));
/// assert_eq!(lines[0], (Side::Valid, r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#.to_string()));
/// assert_eq!(lines[1].0, Side::Invalid);
/// assert!(lines[1].1.contains(r#""violationErrors":[{"type":"Required-Missing""#));
/// ```
pub fn route(outcome: &Outcome, text: &[u8], to: &mut dyn FnMut(Side, &[u8])) {
    let mut write = |valid: bool, line: &[u8]| to(if valid { Side::Valid } else { Side::Invalid }, line);
    match outcome {
        Outcome::Blank => {}
        // A record without bytes (an empty file, one too large to hold) has nothing to write.
        Outcome::Unparsed(_) if text.is_empty() => {}
        Outcome::Unparsed(_) => write(false, &one_line_raw(text)),
        Outcome::Clean { calls } => {
            let found = calls_in(text);
            debug_assert_eq!(found.spans.len(), *calls);
            for range in found.spans.into_iter().take(*calls) {
                write(true, &one_line(&text[range]));
            }
        }
        Outcome::Checked { document, calls } => {
            let found = calls_in(text);
            if found.spans.len() != calls.len() {
                // Cannot happen for a document that parsed (both follow `check_document`);
                // should it, the record is kept whole rather than lost.
                debug_assert!(false, "{} calls found, {} checked", found.spans.len(), calls.len());
                return write(false, &one_line(text));
            }
            if calls.is_empty() && failed(document) {
                return write(false, &one_line(text));
            }
            for (i, (range, diagnostics)) in found.spans.iter().zip(calls).enumerate() {
                let call = &text[range.clone()];
                if !failed(diagnostics) {
                    write(true, &one_line(call));
                    continue;
                }
                let prefix = found.pointer(i);
                let violations: Vec<Violation> = diagnostics.iter().map(|d| Violation::new(d, &prefix)).collect();
                let violations = serde_json::to_string(&violations).expect("violations serialize");
                let annotated = annotate(call, &violations);
                write(false, &one_line(annotated.as_deref().unwrap_or(call)));
            }
        }
    }
}

/// Whether any of `diagnostics` is an error.
fn failed(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The calls of a parsed document, as `check::check_document` counts them: the items of a
/// batch's `batch` array (none when it is not an array), the items of an array, or the whole
/// document (white space around it excluded: the record parsed, so that is all there is).
fn calls_in(text: &[u8]) -> Calls {
    let start = text.len() - text.trim_ascii_start().len();
    let document: Range<usize> = start..text.trim_ascii_end().len();
    let whole = Calls { spans: vec![document], items_of: None };
    let items = |at: usize, pointer: &'static str| Calls { spans: elements(text, at), items_of: Some(pointer) };
    match text.get(start) {
        Some(b'[') => items(start, ""),
        Some(b'{') => span(text, "/batch").map_or(whole, |batch| items(batch.start, "/batch")),
        _ => whole,
    }
}

/// Where the calls of a document are.
struct Calls {
    /// The bytes of each call.
    spans: Vec<Range<usize>>,
    /// The pointer of the array the calls are items of (`/batch`, or `` for an array of
    /// calls); `None` when the document is the one call.
    items_of: Option<&'static str>,
}

impl Calls {
    /// The JSON pointer of call `i` in its document.
    fn pointer(&self, i: usize) -> String {
        self.items_of.map_or_else(String::new, |array| format!("{array}/{i}"))
    }
}

/// One entry of `context.violationErrors`: the violation type in RudderStack's vocabulary
/// (`{type, message, meta: {instancePath, schemaPath}}`), and the rule that found it.
#[derive(serde::Serialize)]
struct Violation<'d> {
    r#type: &'static str,
    code: &'static str,
    rule: &'static str,
    severity: &'static str,
    message: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'d str>,
    meta: Meta<'d>,
}

/// Where a violation is: in the call as written, and in the tracking plan.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Meta<'d> {
    instance_path: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_path: Option<&'d str>,
}

impl<'d> Violation<'d> {
    /// The violation of `d`, about the call at `call` (a JSON pointer) in its document.
    fn new(d: &'d Diagnostic, call: &str) -> Violation<'d> {
        Violation {
            r#type: violation_type(d.rule),
            code: d.rule.code(),
            rule: d.rule.name(),
            severity: d.severity.as_str(),
            message: &d.message,
            suggestion: d.suggestion.as_deref(),
            meta: Meta { instance_path: d.pointer.strip_prefix(call).unwrap_or(&d.pointer), schema_path: d.plan_location.as_deref() },
        }
    }
}

/// The violation type a pipeline that annotates events would give a rule's finding.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::route::violation_type;
///
/// assert_eq!(violation_type(Rule::UnplannedEvent), "Unplanned-Event");
/// assert_eq!(violation_type(Rule::MissingIdentity), "Required-Missing");
/// ```
pub fn violation_type(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        UnplannedEvent => "Unplanned-Event",
        RequiredMissing | MissingRequired | MissingType | MissingIdentity => "Required-Missing",
        DatatypeMismatch | WrongType | ReservedType | NotAnObject | NumericIdentifier => "Datatype-Mismatch",
        AdditionalProperties => "Additional-Properties",
        AdvancedRule | InvalidValue | EmptyEvent | UnknownType | InvalidTimestamp | TimestampNotRfc3339 | InvalidDateTrait | InvalidCurrency | InvalidEmail
        | MessageIdTooLong | EmptyIdentifier => "Advance-Rules-Violation",
        InvalidJson | InvalidUtf8 | LoneSurrogate | MisspelledField | DuplicateKey | CallTooLarge | BatchTooLarge | BatchTooManyCalls | RecordTooLarge => {
            "Unknown-Violation"
        }
    }
}

/// The call (an object, valid JSON) with `violations` (a JSON array) as its
/// `context.violationErrors`, replacing any there; every other byte as it was. `None` when the
/// call is not an object or its `context` is not one: there is nowhere to put them.
fn annotate(call: &[u8], violations: &str) -> Option<Vec<u8>> {
    if call.first() != Some(&b'{') {
        return None;
    }
    match span(call, "/context") {
        Some(context) if call[context.start] == b'{' => match span(call, "/context/violationErrors") {
            Some(old) => Some([&call[..old.start], violations.as_bytes(), &call[old.end..]].concat()),
            None => Some(insert_member(call, context.start, &format!("\"violationErrors\":{violations}"))),
        },
        Some(_) => None,
        None => Some(insert_member(call, 0, &format!("\"context\":{{\"violationErrors\":{violations}}}"))),
    }
}

/// `text` with `member` added first to the object whose `{` is at byte `open`.
fn insert_member(text: &[u8], open: usize, member: &str) -> Vec<u8> {
    let rest = &text[open + 1..];
    let empty = rest.trim_ascii_start().first() == Some(&b'}');
    [&text[..=open], member.as_bytes(), if empty { b"" } else { b"," }, rest].concat()
}

/// Valid JSON on one line: as it is when it is, else without the white space outside strings
/// (JSON strings cannot hold a raw line break, so every one is white space between tokens).
fn one_line(json: &[u8]) -> Cow<'_, [u8]> {
    if !json.contains(&b'\n') && !json.contains(&b'\r') {
        return Cow::Borrowed(json);
    }
    let mut out = Vec::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in json {
        if in_string {
            out.push(b);
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            in_string = b == b'"';
            out.push(b);
        }
    }
    Cow::Owned(out)
}

/// Bytes that did not parse, on one line: each line break becomes a space.
fn one_line_raw(text: &[u8]) -> Cow<'_, [u8]> {
    if !text.contains(&b'\n') && !text.contains(&b'\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.iter().map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn annotated(call: &str) -> Option<String> {
        annotate(call.as_bytes(), r#"[{"type":"x"}]"#).map(|v| String::from_utf8(v).unwrap())
    }

    #[test]
    fn violations_go_into_context_and_nothing_else_changes() {
        assert_eq!(
            annotated(r#"{"type": "track", "context": {"ip": "1.2.3.4"}}"#).unwrap(),
            r#"{"type": "track", "context": {"violationErrors":[{"type":"x"}],"ip": "1.2.3.4"}}"#
        );
        assert_eq!(annotated(r#"{"type": "track", "context": { }}"#).unwrap(), r#"{"type": "track", "context": {"violationErrors":[{"type":"x"}] }}"#);
        assert_eq!(annotated(r#"{"type": "track"}"#).unwrap(), r#"{"context":{"violationErrors":[{"type":"x"}]},"type": "track"}"#);
        assert_eq!(annotated("{}").unwrap(), r#"{"context":{"violationErrors":[{"type":"x"}]}}"#);
        assert_eq!(annotated(r#"{"context": {"violationErrors": [1, 2], "a": 1}}"#).unwrap(), r#"{"context": {"violationErrors": [{"type":"x"}], "a": 1}}"#);
        assert_eq!(annotated(r#"{"context": "web"}"#), None);
        assert_eq!(annotated("[1]"), None);
    }

    #[test]
    fn calls_are_found_as_check_document_counts_them() {
        let found = |text: &str| {
            let calls = calls_in(text.as_bytes());
            calls.spans.iter().enumerate().map(|(i, r)| (text[r.clone()].to_string(), calls.pointer(i))).collect::<Vec<_>>()
        };
        assert_eq!(found(r#" {"type":"track"} "#), [(r#"{"type":"track"}"#.to_string(), String::new())]);
        assert_eq!(found(r#"{"batch":[{"a":1}, 2],"sentAt":"x"}"#), [(r#"{"a":1}"#.into(), "/batch/0".into()), ("2".into(), "/batch/1".into())]);
        assert_eq!(found(r#"{"batch":"no"}"#), []);
        assert_eq!(found(r#"[{"a":1},[]]"#), [(r#"{"a":1}"#.into(), "/0".into()), ("[]".into(), "/1".into())]);
        assert_eq!(found("7"), [("7".into(), String::new())]);
    }

    #[test]
    fn multi_line_json_is_put_on_one_line_strings_untouched() {
        assert_eq!(&*one_line(b"{\n  \"a b\": \"x \\\" y\",\n  \"c\": [1,\r\n 2]\n}"), b"{\"a b\":\"x \\\" y\",\"c\":[1,2]}");
        assert!(matches!(one_line(b"{\"a\": 1}"), Cow::Borrowed(_)));
        assert_eq!(&*one_line_raw(b"{\"a\":\n oops\r\n}"), b"{\"a\":  oops  }");
    }
}
