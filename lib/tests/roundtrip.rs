//! Property: every valid payload deserializes into the generated types and serializes back to
//! the same JSON value: unknown fields, `null` versus absent, and number forms included.

use cdpspec::check::{Options, check_document};
use cdpspec::{Batch, Message, Severity, Track};
use proptest::prelude::*;
use serde_json::{Value, json};

mod common;
use common::payloads::{call, context, timestamp};

fn assert_valid(doc: &Value) {
    let report = check_document(doc, &Options::default());
    let errors: Vec<_> =
        report.findings.iter().chain(report.calls.iter().flat_map(|c| &c.findings)).filter(|f| f.rule.default_severity() == Severity::Error).collect();
    assert!(errors.is_empty(), "generated payload is invalid: {errors:#?}\n{doc}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn messages_round_trip(call in call(false)) {
        assert_valid(&call);
        let message: Message = serde_json::from_value(call.clone()).map_err(|e| TestCaseError::fail(format!("{e}: {call}")))?;
        prop_assert_eq!(serde_json::to_value(&message).unwrap(), call);
    }

    #[test]
    fn batches_round_trip(calls in prop::collection::vec(call(false), 0..5), context in context(false), sent_at in timestamp()) {
        let batch = json!({"batch": calls, "context": context, "sentAt": sent_at, "writeKey": "k"});
        assert_valid(&batch);
        let typed: Batch = serde_json::from_value(batch.clone()).map_err(|e| TestCaseError::fail(format!("{e}: {batch}")))?;
        prop_assert_eq!(serde_json::to_value(&typed).unwrap(), batch);
    }
}

#[test]
fn a_call_posted_to_its_endpoint_round_trips_as_its_own_type() {
    let seed = json!({"messageId": "i6yatl", "timestamp": "2022-11-24T22:48:17.593Z", "type": "track", "email": "cool.person@example.com",
        "properties": {"class_name": "Customer.io Basics", "class_code": "cio101", "start_date": 1679410730}, "userId": "97980cfea0067", "event": "Course Enrolled"});
    let track: Track = serde_json::from_value(seed.clone()).unwrap();
    assert_eq!(track.event, "Course Enrolled");
    assert_eq!(track.email.as_deref(), Some("cool.person@example.com"));
    assert_eq!(serde_json::to_value(&track).unwrap(), seed);
    let message = Message::from(track);
    assert_eq!(serde_json::to_value(&message).unwrap(), seed, "the type moves from `extra` to the tag, once");
}
