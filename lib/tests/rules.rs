//! Every rule, on realistic calls: each broken payload yields exactly the expected rule at the
//! expected JSON pointer, and the valid variants yield nothing.

use cdpspec::check::limits::Limits;
use cdpspec::check::{Options, check_document, check_parsed};
use cdpspec::input::Layout;
use cdpspec::output::Collect;
use cdpspec::validate::Validation;
use cdpspec::{CallType, Finding, Rule};
use serde_json::{Value, json};

fn findings(doc: Value) -> Vec<Finding> {
    findings_with(doc, Options::default())
}

fn findings_with(doc: Value, options: Options) -> Vec<Finding> {
    let raw = doc.to_string().len();
    let report = check_parsed(&doc, raw, &options);
    report.findings.into_iter().chain(report.calls.into_iter().flat_map(|c| c.findings)).collect()
}

fn track() -> Value {
    json!({
        "type": "track", "event": "Course Enrolled", "userId": "97980cfea0067",
        "messageId": "i6yatl", "timestamp": "2022-11-24T22:48:17.593Z",
        "properties": {"class_name": "Customer.io Basics", "start_date": 1679410730},
        "context": {"library": {"name": "analytics-python", "version": "2.3.3"}, "ip": "203.0.113.9"},
        "integrations": {"All": true, "Mixpanel": false, "Amplitude": {"session_id": 1}}
    })
}

fn with(mut call: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() { &mut call } else { call.pointer_mut(parent).unwrap() };
    if value.is_null() && key.starts_with('-') {
        target.as_object_mut().unwrap().remove(&key[1..]);
    } else {
        target[key] = value;
    }
    call
}

fn without(call: Value, key: &str) -> Value {
    with(call, &format!("/-{key}"), Value::Null)
}

/// The one finding of `doc`, which must be of `rule` at `pointer`.
fn assert_only(doc: Value, rule: Rule, pointer: &str) -> Finding {
    let found = findings(doc.clone());
    assert_eq!(found.len(), 1, "expected exactly one {rule} finding for {doc}, got {found:#?}");
    assert_eq!((found[0].rule, found[0].pointer.as_str()), (rule, pointer), "{doc}");
    found[0].clone()
}

#[test]
fn the_six_calls_in_their_usual_shapes_are_valid() {
    let calls = [
        track(),
        json!({"type": "identify", "userId": "u1", "traits": {"email": "a@example.com", "firstName": "A", "address": {"city": "Berlin"}, "company": {"id": 7, "name": "Acme"}, "createdAt": 1679407797}}),
        json!({"type": "group", "groupId": "example-company", "anonymousId": "a1", "traits": {"employees": "120", "object_type_id": "1"}}),
        json!({"type": "page", "anonymousId": "a1", "name": null, "category": null, "properties": {"url": "https://example.com", "keywords": ["a"]}}),
        json!({"type": "screen", "userId": "u1", "name": "home", "context": {"device": {"token": "t"}, "screen": {"density": 2.625, "width": 1080}}}),
        json!({"type": "alias", "previousId": "a1", "userId": "u1"}),
        json!({"batch": [track(), {"type": "alias", "previousId": "a1", "userId": "u1"}], "sentAt": "2026-11-28T18:02:43.101552+00:00", "writeKey": "k", "context": {"ip": "1.2.3.4"}}),
        json!({"type": "track", "event": "X", "userId": "u1", "anonymousId": "a1", "version": "1.1", "channel": "server", "email": "x@example.com", "_metadata": {"nodeVersion": "20"}, "integrations": null}),
    ];
    for call in calls {
        assert_eq!(findings(call.clone()), vec![], "{call}");
    }
}

#[test]
fn missing_and_unknown_types() {
    assert_only(without(track(), "type"), Rule::MissingType, "");
    let f = assert_only(with(track(), "/type", json!("identity")), Rule::UnknownType, "/type");
    assert!(f.message.contains("did you mean `identify`"), "{}", f.message);
    assert_eq!(f.suggestion.as_deref(), Some("identify"));
    assert_only(with(track(), "/type", json!(3)), Rule::WrongType, "/type");
    // The endpoint (or --type) implies the type; the payload's own type wins.
    let alias = json!({"previousId": "sqsv42VjV1e2d8ha2SHxM6", "userId": "97980cfea0067"});
    assert_eq!(findings_with(alias.clone(), Options { default_type: Some(CallType::Alias), ..Options::default() }), vec![]);
    assert_eq!(findings_with(track(), Options { default_type: Some(CallType::Alias), ..Options::default() }), vec![]);
    // Inside a batch no endpoint implies anything.
    let batch = json!({"batch": [alias]});
    let found = findings_with(batch, Options { default_type: Some(CallType::Alias), ..Options::default() });
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::MissingType, "/batch/0")]);
}

#[test]
fn identity_rules() {
    let anonymous = without(track(), "userId");
    let f = assert_only(anonymous.clone(), Rule::MissingIdentity, "");
    assert!(f.message.contains("neither a `userId` nor an `anonymousId`"), "{}", f.message);
    assert_only(with(anonymous.clone(), "/userId", json!(null)), Rule::MissingIdentity, "");
    // An empty id is no id, and says so.
    let found = findings(with(anonymous.clone(), "/userId", json!("")));
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::MissingIdentity, ""), (Rule::EmptyIdentifier, "/userId")]);
    // A blank id is no id either.
    let found = findings(with(anonymous.clone(), "/userId", json!("   ")));
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::MissingIdentity, ""), (Rule::EmptyIdentifier, "/userId")]);
    // Blank with a usable anonymous id: only a warning.
    assert_only(with(with(anonymous.clone(), "/userId", json!("  ")), "/anonymousId", json!("a1")), Rule::EmptyIdentifier, "/userId");
    // A misspelled key is named.
    let found = findings(with(anonymous, "/user_id", json!("u1")));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].message.contains("rename it to `userId`"), "{}", found[0].message);
    assert_eq!((found[1].rule, found[1].pointer.as_str()), (Rule::MisspelledField, "/user_id"));
    assert_only(with(track(), "/userId", json!(97980)), Rule::NumericIdentifier, "/userId");
    // Identify follows the same rule; the message names Customer.io's email-only exception.
    let f = assert_only(json!({"type": "identify", "traits": {"email": "cool.person@example.com"}}), Rule::MissingIdentity, "");
    assert!(f.message.contains("Customer.io alone"), "{}", f.message);
    // A wrong-typed id is both a type error and no identity.
    let found = findings(with(track(), "/userId", json!(true)));
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::WrongType, "/userId"), (Rule::MissingIdentity, "")]);
    assert!(found[0].message.contains("must be a number, a string or null, got boolean true"), "{}", found[0].message);
}

#[test]
fn required_fields_of_each_call() {
    let f = assert_only(without(track(), "event"), Rule::MissingRequired, "");
    assert!(f.message.contains("`event`"));
    assert_only(with(track(), "/event", json!("")), Rule::EmptyEvent, "/event");
    assert_only(with(track(), "/event", json!("  ")), Rule::EmptyEvent, "/event");
    let f = assert_only(json!({"type": "group", "userId": "u1", "groupId": " "}), Rule::MissingRequired, "/groupId");
    assert!(f.message.contains("empty or blank"), "{}", f.message);
    assert_only(json!({"type": "group", "userId": "u1"}), Rule::MissingRequired, "");
    assert_only(json!({"type": "group", "userId": "u1", "groupId": ""}), Rule::MissingRequired, "/groupId");
    assert_only(json!({"type": "alias", "userId": "u1"}), Rule::MissingRequired, "");
    assert_only(json!({"type": "alias", "previousId": "a1"}), Rule::MissingRequired, "");
    assert_only(json!({"type": "alias", "previousId": "a1", "userId": null}), Rule::WrongType, "/userId");
    assert_only(json!({"batch": "nope"}), Rule::WrongType, "/batch");
}

#[test]
fn wrong_types_and_reserved_fields() {
    let f = assert_only(with(track(), "/context", json!("web")), Rule::WrongType, "/context");
    assert!(f.message.contains("must be an object, got string"), "{}", f.message);
    assert_only(with(track(), "/integrations/All", json!("yes")), Rule::WrongType, "/integrations/All");
    assert_only(with(track(), "/integrations/Mixpanel", json!("off")), Rule::WrongType, "/integrations/Mixpanel");
    assert_only(with(track(), "/context/library/version", json!(2)), Rule::WrongType, "/context/library/version");
    let f = assert_only(with(track(), "/properties/revenue", json!("12.99")), Rule::ReservedType, "/properties/revenue");
    assert_eq!(f.suggestion.as_deref(), Some("12.99"));
    assert_only(with(track(), "/properties/currency", json!(840)), Rule::ReservedType, "/properties/currency");
    let identify = json!({"type": "identify", "userId": "u1", "traits": {}});
    assert_only(with(identify.clone(), "/traits/email", json!(42)), Rule::ReservedType, "/traits/email");
    assert_only(with(identify.clone(), "/traits/age", json!("32")), Rule::ReservedType, "/traits/age");
    assert_only(with(identify.clone(), "/traits/address", json!("Main St 1")), Rule::ReservedType, "/traits/address");
    assert_only(with(identify.clone(), "/traits/first_name", json!(["A"])), Rule::ReservedType, "/traits/first_name");
    assert_only(with(identify.clone(), "/traits", json!([])), Rule::WrongType, "/traits");
    let in_context = with(track(), "/context/traits", json!({"email": false}));
    assert_only(in_context, Rule::ReservedType, "/context/traits/email");
    // Null clears a trait and is fine.
    assert_eq!(findings(with(identify, "/traits/email", json!(null))), vec![]);
}

#[test]
fn timestamps() {
    for ok in ["2026-11-28T18:02:43.022Z", "2026-11-28T18:02:42.814+00:00", "2026-11-28T18:02:42.814123+00:00"] {
        assert_eq!(findings(with(track(), "/timestamp", json!(ok))), vec![], "{ok}");
    }
    for warn in ["2023-03-21T12:00:00", "2023-03-21", "2023-03-21 12:00:00+00:00"] {
        assert_only(with(track(), "/timestamp", json!(warn)), Rule::TimestampNotRfc3339, "/timestamp");
    }
    let f = assert_only(with(track(), "/sentAt", json!("2023-03-21T12:00:00")), Rule::TimestampNotRfc3339, "/sentAt");
    assert_eq!(f.suggestion.as_deref(), Some("2023-03-21T12:00:00Z"));
    for bad in ["yesterday", "1679407797", "2023-02-30T00:00:00Z", ""] {
        assert_only(with(track(), "/timestamp", json!(bad)), Rule::InvalidTimestamp, "/timestamp");
    }
    assert_only(with(track(), "/timestamp", json!(1679407797)), Rule::WrongType, "/timestamp");
    assert_only(json!({"batch": [track()], "sentAt": "soon"}), Rule::InvalidTimestamp, "/sentAt");
    let identify = json!({"type": "identify", "userId": "u1", "traits": {"createdAt": "last week"}});
    assert_only(identify, Rule::InvalidDateTrait, "/traits/createdAt");
    let seed_style = json!({"type": "identify", "userId": "u1", "traits": {"created_at": "1679407797", "birthday": "1990-04-01"}});
    assert_eq!(findings(seed_style), vec![]);
}

#[test]
fn email_addresses() {
    let identify = json!({"type": "identify", "userId": "u1", "traits": {}});
    for ok in ["cool.person@example.com", "a+b@sub.example.co.uk", ""] {
        assert_eq!(findings(with(identify.clone(), "/traits/email", json!(ok))), vec![], "{ok}");
    }
    for bad in ["cool person", "cool.person@example", "@example.com", "a@b@example.com", "cool person@example.com"] {
        assert_only(with(identify.clone(), "/traits/email", json!(bad)), Rule::InvalidEmail, "/traits/email");
    }
    assert_only(with(track(), "/email", json!("n/a")), Rule::InvalidEmail, "/email");
    assert_only(with(track(), "/context/traits", json!({"email": "unknown"})), Rule::InvalidEmail, "/context/traits/email");
}

#[test]
fn currency_codes() {
    let f = assert_only(with(track(), "/properties/currency", json!("usd")), Rule::InvalidCurrency, "/properties/currency");
    assert_eq!(f.suggestion.as_deref(), Some("USD"));
    assert_only(with(track(), "/properties/currency", json!("dollars")), Rule::InvalidCurrency, "/properties/currency");
}

#[test]
fn limits() {
    assert_only(with(track(), "/messageId", json!("m".repeat(100))), Rule::MessageIdTooLong, "/messageId");
    assert_eq!(findings(with(track(), "/messageId", json!("m".repeat(99)))), vec![]);
    let big = with(track(), "/properties/blob", json!("x".repeat(33 * 1024)));
    assert_only(big.clone(), Rule::CallTooLarge, "");
    let calls: Vec<Value> = (0..2501).map(|_| track()).collect();
    let found = findings(json!({"batch": calls}));
    let rules: Vec<Rule> = found.iter().map(|f| f.rule).collect();
    assert_eq!(rules, [Rule::BatchTooLarge, Rule::BatchTooManyCalls], "{found:#?}");
    let found = findings(json!({"batch": [big]}));
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::CallTooLarge, "/batch/0")]);
}

#[test]
fn records_over_the_record_limit() {
    // Read through without being held, reported with their line and size; the next line is
    // checked as usual (tests/memory.rs streams gigabytes).
    let options = Options { limits: Limits { record_bytes: 1000, ..Limits::default() }, ..Options::default() };
    let line = |blob: usize| with(track(), "/properties/blob", json!("x".repeat(blob))).to_string();
    let text = format!("{}\n{}\n{}\n", line(1000), line(10), without(track(), "userId"));
    let mut sink = Collect::default();
    let mut run = Validation::new(options, &mut sink);
    run.reader("events.ndjson", text.as_bytes(), Layout::Lines).unwrap();
    let summary = run.finish().unwrap();
    let found: Vec<(Rule, usize)> = sink.diagnostics.iter().map(|d| (d.rule, d.line)).collect();
    assert_eq!(found, [(Rule::RecordTooLarge, 1), (Rule::MissingIdentity, 3)]);
    assert!(sink.diagnostics[0].message.starts_with(&format!("record is {} bytes;", line(1000).len())), "{}", sink.diagnostics[0].message);
    assert_eq!((summary.records, summary.unparsed, summary.valid, summary.with_errors), (3, 1, 1, 1));
}

#[test]
fn lone_surrogates() {
    // Read as U+FFFD, the call checked as usual, and a warning at each string or key holding one.
    let diagnostics = |text: &str| {
        let mut sink = Collect::default();
        Validation::new(Options::default(), &mut sink).reader("events.ndjson", text.as_bytes(), Layout::Lines).unwrap();
        sink.diagnostics.into_iter().map(|d| (d.rule, d.pointer)).collect::<Vec<_>>()
    };
    let cut = r#"{"type":"track","userId":"u1","event":"Shared","properties":{"title":"Best day \ud83d"}}"#;
    assert_eq!(diagnostics(cut), [(Rule::LoneSurrogate, "/properties/title".to_string())]);
    assert_eq!(diagnostics(&cut.replace("\\ud83d", "\\ud83d\\ude00")), [], "a pair is a character");
    let missing = r#"{"type":"track","event":"Shared \udc00"}"#;
    assert_eq!(diagnostics(missing), [(Rule::MissingIdentity, String::new()), (Rule::LoneSurrogate, "/event".to_string())]);
    // In a key: the member, by the key destinations see; two such keys are one to them.
    let keys = r#"{"type":"track","userId":"u1","event":"E","properties":{"a\ud800":1,"a\udbff":2}}"#;
    let key = "/properties/a\u{FFFD}".to_string();
    assert_eq!(diagnostics(keys), [(Rule::DuplicateKey, key.clone()), (Rule::LoneSurrogate, key.clone()), (Rule::LoneSurrogate, key)]);
}

#[test]
fn not_objects_and_arrays_of_calls() {
    assert_only(json!("track"), Rule::NotAnObject, "");
    assert_only(json!([track(), 42]), Rule::NotAnObject, "/1");
    assert_only(json!({"batch": [track(), [track()]]}), Rule::NotAnObject, "/batch/1");
    let report = check_document(&json!([track(), without(track(), "event")]), &Options::default());
    assert_eq!(report.calls.len(), 2);
    assert_eq!(report.calls[1].index, Some(1));
    assert_eq!(report.calls[1].findings[0].pointer, "/1");
}

#[test]
fn misspelled_top_level_fields() {
    let found = findings(with(without(track(), "event"), "/Event", json!("Course Enrolled")));
    assert_eq!(found.iter().map(|f| (f.rule, f.pointer.as_str())).collect::<Vec<_>>(), [(Rule::MissingRequired, ""), (Rule::MisspelledField, "/Event")]);
    assert_eq!(found[1].suggestion.as_deref(), Some("event"));
    // Beside the real field, a look-alike key is deliberate: no warning.
    assert_eq!(findings(with(track(), "/Event", json!("x"))), vec![]);
    // The seed's top-level `created_at` is not a misspelling of anything a call has.
    assert_eq!(findings(with(json!({"type": "identify", "userId": "u1"}), "/created_at", json!("1679407797"))), vec![]);
}

#[test]
fn every_rule_is_exercised_by_this_suite() {
    // Plan violations are covered in tests/plan.rs (read here too). Rules whose findings come
    // from the input layer are covered in tests/cli.rs; the fallback
    // for constraints the canonical schemas do not use, in src/engine/check/schema_errors.rs.
    let input_layer = [Rule::InvalidJson, Rule::InvalidUtf8, Rule::InvalidValue, Rule::DuplicateKey];
    let source = [include_str!("rules.rs"), include_str!("../../tests/plan.rs")].concat();
    let source = source.as_str();
    for rule in Rule::ALL {
        let variant = format!("{rule:?}");
        assert!(input_layer.contains(rule) || names(source, &variant), "no test names Rule::{variant}");
    }
}

/// Whether `source` names `Rule::<variant>` exactly (not as a prefix of a longer name).
fn names(source: &str, variant: &str) -> bool {
    let needle = format!("Rule::{variant}");
    source.match_indices(&needle).any(|(i, _)| !source[i + needle.len()..].starts_with(|c: char| c.is_alphanumeric()))
}
