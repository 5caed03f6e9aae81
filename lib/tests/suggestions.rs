//! Every suggestion fixes what it is about: each finding that carries a suggestion, applied to
//! the payload as a person would apply it, makes that rule pass at that place on re-validation.
//! A suggestion that fails its own rule again (`2024-03-10 12:00:00Z` for a date with a space)
//! is worse than none.

use std::collections::BTreeSet;
use std::sync::Arc;

use cdpspec::check::{Options, check_document};
use cdpspec::plan::{PlanValidator, load};
use cdpspec::testing::suggest::fold;
use cdpspec::{Finding, Rule};
use serde_json::{Value, json};

/// Payloads as apps really get them wrong, each with at least one suggestion.
fn corpus() -> Vec<Value> {
    vec![
        json!({"type": "identity", "userId": "u1", "traits": {"email": "a@example.com"}}),
        json!({"type": "track", "user_id": "u1", "event": "Course Enrolled"}),
        json!({"type": "track", "userId": "u1", "anonymous_id": "a1", "event": "Course Enrolled"}),
        json!({"type": "track", "userId": 42, "event": "Course Enrolled"}),
        json!({"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": "12.50", "currency": "usd"}}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "timestamp": "2024-03-10 12:00:00"}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "timestamp": "2024-03-10T12:00:00"}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "sentAt": "2024-03-10T12:00:00+0000"}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "originalTimestamp": "2024-03-10"}),
        json!({"type": "identify", "userId": "u1", "traits": {"createdAt": "2024-03-10 12:00:00"}}),
        json!({"type": "identify", "userId": "u1", "traits": {"createdAt": "2024-03-10 12:00:00+0530"}}),
        json!({"type": "track", "userId": "u1", "event": "Course Enroled", "properties": {"class_code": "cio101", "class_name": "Basics"}}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_code": "cio101", "class_name": "Basics", "levle": "beginner"}, "context": {"protocols": {"event_version": 2}}}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_code": "cio101", "class_name": "Basics", "level": "Beginner"}, "context": {"protocols": {"event_version": 2}}}),
    ]
}

fn options() -> Options {
    let plan = load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap();
    Options { plan: Some(Arc::new(PlanValidator::new(plan, "courses.yaml").unwrap())), ..Options::default() }
}

fn findings(doc: &Value, options: &Options) -> Vec<Finding> {
    let report = check_document(doc, options);
    report.findings.into_iter().chain(report.calls.into_iter().flat_map(|c| c.findings)).collect()
}

/// The payload with `finding`'s suggestion applied, and the pointer the fixed value is at.
fn apply(doc: &Value, finding: &Finding) -> (Value, String) {
    let suggestion = finding.suggestion.clone().unwrap();
    let mut fixed = doc.clone();
    match finding.rule {
        // A key to rename: the misspelled key itself, or the misspelled key of an object that
        // lacks the one suggested.
        Rule::MisspelledField | Rule::AdditionalProperties | Rule::MissingIdentity | Rule::RequiredMissing => {
            let (parent, key) = match finding.rule {
                Rule::MisspelledField | Rule::AdditionalProperties => finding.pointer.rsplit_once('/').map(|(p, k)| (p.to_string(), k.to_string())).unwrap(),
                _ => {
                    let object = doc.pointer(&finding.pointer).and_then(Value::as_object).unwrap();
                    let planned = |k: &str| fold(k) == fold(&suggestion) || cdpspec::testing::suggest::closest(k, [suggestion.as_str()]).is_some();
                    let key = object.keys().find(|k| planned(k) && **k != suggestion).expect("the misspelled key").clone();
                    (finding.pointer.clone(), key)
                }
            };
            let object = fixed.pointer_mut(&parent).and_then(Value::as_object_mut).unwrap();
            let value = object.remove(&key).unwrap();
            object.insert(suggestion.clone(), value);
            (fixed, format!("{parent}/{suggestion}"))
        }
        // The value as JSON text: `"42"` for a numeric id, `12.50` for a quoted number.
        Rule::NumericIdentifier | Rule::WrongType | Rule::ReservedType => {
            *fixed.pointer_mut(&finding.pointer).unwrap() = serde_json::from_str(&suggestion).expect("a JSON value");
            (fixed, finding.pointer.clone())
        }
        // The value as a string: a call type, a date, a currency code, an event name.
        _ => {
            *fixed.pointer_mut(&finding.pointer).unwrap() = Value::String(suggestion);
            (fixed, finding.pointer.clone())
        }
    }
}

#[test]
fn every_suggestion_passes_the_rule_it_fixes() {
    let options = options();
    let mut suggested = BTreeSet::new();
    for doc in corpus() {
        let before = findings(&doc, &options);
        let with_suggestion: Vec<&Finding> = before.iter().filter(|f| f.suggestion.is_some()).collect();
        assert!(!with_suggestion.is_empty(), "no suggestion for {doc}: {before:#?}");
        for finding in with_suggestion {
            suggested.insert(finding.rule);
            let (fixed, at) = apply(&doc, finding);
            let after = findings(&fixed, &options);
            let again: Vec<&Finding> = after.iter().filter(|f| f.rule == finding.rule && (f.pointer == at || f.pointer == finding.pointer)).collect();
            assert!(again.is_empty(), "{:?} suggested {:?} for {doc}, which fails again: {again:#?}", finding.rule, finding.suggestion);
        }
    }
    let expected = [
        Rule::UnknownType,
        Rule::MisspelledField,
        Rule::MissingIdentity,
        Rule::NumericIdentifier,
        Rule::ReservedType,
        Rule::InvalidCurrency,
        Rule::TimestampNotRfc3339,
        Rule::UnplannedEvent,
        Rule::RequiredMissing,
        Rule::AdditionalProperties,
        Rule::AdvancedRule,
    ];
    for rule in expected {
        assert!(suggested.contains(&rule), "the corpus has no suggestion of {rule:?}: {suggested:?}");
    }
}
