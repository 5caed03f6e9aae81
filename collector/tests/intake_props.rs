//! Properties of the library's request reader, [`cdpspec::intake`], that the collector relies
//! on: `decode` and `Intake::read` never panic, whatever the bytes, compressed or not,
//! truncated or not; they refuse what they refuse for the stated reason; and a batch read
//! yields every item as a call with the batch's `context` and `integrations` merged in (the
//! call's own keys winning), while the type an endpoint implies is set only by the single-call
//! endpoints.

use std::io::Write;
use std::sync::LazyLock;

use cdpspec::CallType;
use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::{Encoding, Endpoint, Intake, Refusal, decode};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

static INTAKE: LazyLock<Intake> = LazyLock::new(|| Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new()));

const CALL_BYTES: usize = 32 * 1024;
const BATCH_BYTES: usize = 500 * 1024;
const BATCH_CALLS: usize = 2500;

/// Every path segment the collector routes to the reader.
const SEGMENTS: &[&str] = &["identify", "i", "track", "t", "page", "p", "screen", "s", "group", "g", "alias", "a", "batch", "import", "b"];

fn endpoint() -> impl Strategy<Value = Endpoint> {
    prop::sample::select(SEGMENTS).prop_map(|s| Endpoint::from_segment(s).unwrap())
}

fn single_call_endpoint() -> impl Strategy<Value = (CallType, Endpoint)> {
    prop::sample::select(CallType::ALL).prop_map(|t| (t, Endpoint::Call(t)))
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Any JSON value, a few levels deep, with keys the reader looks at among others.
fn json_value() -> impl Strategy<Value = Value> {
    let key = prop::sample::select(vec!["batch", "context", "integrations", "type", "writeKey", "userId", "event", "x", "", "é\u{0}"]).prop_map(String::from);
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Text made of JSON's tokens, in any order: mostly not JSON, sometimes JSON.
fn json_ish() -> impl Strategy<Value = Vec<u8>> {
    let tokens = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "\"batch\"",
        "\"context\"",
        "\"type\"",
        "\"track\"",
        "\"writeKey\"",
        "1",
        "-0.5e10",
        "1e999",
        "\"x\"",
        "\"\\u00e9\"",
        "\"\\ud800\"",
        "\"\\",
        "null",
        "true",
        " ",
        "\n",
        "\r\n",
        "{\"batch\":[",
        "]}",
        "\u{feff}",
        "\u{0}",
        "\u{ff}",
    ]);
    prop::collection::vec(tokens, 0..64).prop_map(|t| t.concat().into_bytes())
}

/// `call` as read from a batch whose other keys are `envelope`: `context` and `integrations`
/// of the batch merged into the call's own objects, the call's keys winning. A call whose
/// `context` (or `integrations`) is not an object keeps it as it is.
fn merged(call: &Value, envelope: &Map<String, Value>) -> Value {
    let Value::Object(own) = call else { return call.clone() };
    let mut out = own.clone();
    for key in ["context", "integrations"] {
        let Some(Value::Object(shared)) = envelope.get(key) else { continue };
        match own.get(key) {
            None => {
                out.insert(key.to_string(), Value::Object(shared.clone()));
            }
            Some(Value::Object(mine)) => {
                let mut both = shared.clone();
                both.extend(mine.clone());
                out.insert(key.to_string(), Value::Object(both));
            }
            Some(_) => {}
        }
    }
    Value::Object(out)
}

/// What reading `document` (as JSON text) at `endpoint` must give, for a document within the
/// limits.
fn check_read(document: &Value, endpoint: Endpoint) -> Result<(), TestCaseError> {
    let body = serde_json::to_vec(document).unwrap();
    let read = INTAKE.read(&body, endpoint);
    let Value::Object(map) = document else {
        prop_assert_eq!(read, Err(Refusal::NotAnObject));
        return Ok(());
    };
    let write_key = map.get("writeKey").and_then(Value::as_str).map(String::from);
    match endpoint {
        Endpoint::Call(call_type) => {
            let received = read.map_err(|r| TestCaseError::fail(format!("refused: {r}")))?;
            prop_assert_eq!(received.write_key, write_key);
            prop_assert_eq!(received.calls.len(), 1);
            prop_assert_eq!(received.calls[0].index, None);
            // The body is the call: the path's type unless it has one; nothing else changes.
            let mut expected = map.clone();
            expected.entry("type").or_insert_with(|| json!(call_type.as_str()));
            prop_assert_eq!(&received.calls[0].call, &Value::Object(expected));
        }
        Endpoint::Batch => {
            let Some(Value::Array(items)) = map.get("batch") else {
                prop_assert_eq!(read, Err(Refusal::NoBatch));
                return Ok(());
            };
            let received = read.map_err(|r| TestCaseError::fail(format!("refused: {r}")))?;
            prop_assert_eq!(received.write_key, write_key);
            prop_assert_eq!(received.calls.len(), items.len());
            let mut envelope = map.clone();
            envelope.remove("batch");
            for (i, (call, item)) in received.calls.iter().zip(items).enumerate() {
                prop_assert_eq!(call.index, Some(i));
                // No type from the path, no other key of the batch (writeKey, sentAt...).
                prop_assert_eq!(&call.call, &merged(item, &envelope), "item {}", i);
            }
        }
    }
    Ok(())
}

/// A small object for a `context` or `integrations`, from keys that overlap.
fn small_object(keys: &'static [&'static str]) -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(
        prop::sample::select(keys).prop_map(String::from),
        prop_oneof![any::<bool>().prop_map(Value::Bool), "[a-z]{0,6}".prop_map(Value::String), Just(json!({"nested": 1}))],
        0..4,
    )
    .prop_map(|m| m.into_iter().collect())
}

const CONTEXT_KEYS: &[&str] = &["library", "ip", "locale", "page", "app", "os", "traits"];
const INTEGRATION_KEYS: &[&str] = &["All", "Amplitude", "Mixpanel", "Segment.io"];

/// A batch item: usually an object with or without a type, its own context and integrations
/// (objects, or values that are not); sometimes not an object at all.
fn batch_item() -> impl Strategy<Value = Value> {
    let own = |keys| prop_oneof![3 => Just(None), 4 => small_object(keys).prop_map(|m| Some(Value::Object(m))), 1 => Just(Some(json!("not an object"))), 1 => Just(Some(Value::Null))];
    let call = (
        prop::option::of(prop::sample::select(CallType::ALL).prop_map(|t| t.as_str())),
        own(CONTEXT_KEYS),
        own(INTEGRATION_KEYS),
        prop::option::of("[a-z0-9-]{1,12}"),
        any::<bool>(),
    )
        .prop_map(|(call_type, context, integrations, message_id, identified)| {
            let mut call = Map::new();
            if let Some(t) = call_type {
                call.insert("type".into(), json!(t));
            }
            if let Some(c) = context {
                call.insert("context".into(), c);
            }
            if let Some(i) = integrations {
                call.insert("integrations".into(), i);
            }
            if let Some(m) = message_id {
                call.insert("messageId".into(), json!(m));
            }
            call.insert(if identified { "userId" } else { "anonymousId" }.into(), json!("97980cfea0067"));
            call.insert("event".into(), json!("Course Enrolled"));
            Value::Object(call)
        });
    prop_oneof![9 => call, 1 => prop_oneof![Just(json!(1)), Just(Value::Null), Just(json!("track")), Just(json!([{"type": "track"}]))]]
}

/// A batch with its items, and an envelope: `context` and `integrations` (objects, or not),
/// `writeKey`, `sentAt`.
fn batch() -> impl Strategy<Value = Value> {
    let shared =
        |keys| prop_oneof![1 => Just(None), 3 => small_object(keys).prop_map(|m| Some(Value::Object(m))), 1 => Just(Some(json!(["not", "an", "object"])))];
    (
        prop::collection::vec(batch_item(), 0..20),
        shared(CONTEXT_KEYS),
        shared(INTEGRATION_KEYS),
        prop::option::of(prop_oneof![Just(json!("wk")), Just(json!(7))]),
        any::<bool>(),
    )
        .prop_map(|(items, context, integrations, write_key, sent_at)| {
            let mut map = Map::new();
            map.insert("batch".into(), Value::Array(items));
            if let Some(c) = context {
                map.insert("context".into(), c);
            }
            if let Some(i) = integrations {
                map.insert("integrations".into(), i);
            }
            if let Some(k) = write_key {
                map.insert("writeKey".into(), k);
            }
            if sent_at {
                map.insert("sentAt".into(), json!("2026-12-06T09:30:00.000Z"));
            }
            Value::Object(map)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any bytes, said to be plain or gzip, under any cap: an answer, never a panic; plain
    /// bodies come back as they are, and nothing comes back over the cap.
    #[test]
    fn decode_never_panics_and_keeps_to_its_cap(bytes in prop::collection::vec(any::<u8>(), 0..2048), gzipped in any::<bool>(), cap in 0usize..4096) {
        let encoding = if gzipped { Encoding::Gzip } else { Encoding::Identity };
        match (decode(&bytes, encoding, cap), encoding) {
            (Ok(out), Encoding::Identity) => {
                prop_assert!(bytes.len() <= cap);
                prop_assert_eq!(&*out, &bytes[..]);
            }
            (Err(refusal), Encoding::Identity) => {
                prop_assert!(bytes.len() > cap);
                prop_assert_eq!(refusal, Refusal::TooLarge { bytes: bytes.len(), limit: cap, what: "request body" });
            }
            (Ok(out), Encoding::Gzip) => prop_assert!(out.len() <= cap),
            (Err(refusal), Encoding::Gzip) => prop_assert!(matches!(refusal, Refusal::BadGzip(_) | Refusal::TooLarge { .. }), "{:?}", refusal),
        }
    }

    /// gzip, in one member or several, decodes to what was compressed, up to the cap.
    #[test]
    fn gzip_round_trips_up_to_the_cap(parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..3000), 1..4), cap in 0usize..8192) {
        let data: Vec<u8> = parts.concat();
        let compressed: Vec<u8> = parts.iter().flat_map(|p| gzip(p)).collect();
        match decode(&compressed, Encoding::Gzip, cap) {
            Ok(out) => {
                prop_assert!(data.len() <= cap);
                prop_assert_eq!(&*out, &data[..]);
            }
            Err(Refusal::TooLarge { bytes, limit, what }) => {
                prop_assert!(data.len() > cap);
                prop_assert_eq!((bytes, limit, what), (cap + 1, cap, "decompressed request body"));
            }
            Err(other) => prop_assert!(false, "{:?}", other),
        }
    }

    /// gzip cut short anywhere, or with bytes changed, is refused (or, changed, happens to
    /// decode), never a panic.
    #[test]
    fn truncated_or_corrupt_gzip_is_refused(data in prop::collection::vec(any::<u8>(), 0..4000), cut in any::<prop::sample::Index>(), flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 0..4)) {
        let compressed = gzip(&data);
        let truncated = &compressed[..cut.index(compressed.len())];
        let refusal = decode(truncated, Encoding::Gzip, data.len() + 16).unwrap_err();
        prop_assert!(matches!(refusal, Refusal::BadGzip(_)), "{:?}", refusal);
        prop_assert!(refusal.to_string().starts_with("the body says `Content-Encoding: gzip` but does not decompress: "));
        let mut corrupt = compressed.clone();
        for (at, xor) in &flips {
            let i = at.index(corrupt.len());
            corrupt[i] ^= xor;
        }
        match decode(&corrupt, Encoding::Gzip, data.len() + 16) {
            Ok(out) => prop_assert!(out.len() <= data.len() + 16),
            Err(refusal) => prop_assert!(matches!(refusal, Refusal::BadGzip(_) | Refusal::TooLarge { .. }), "{:?}", refusal),
        }
    }

    /// Any bytes at any endpoint: calls, or a refusal with a code and a message, never a panic.
    #[test]
    fn read_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024), endpoint in endpoint()) {
        check_any_read(&bytes, endpoint)?;
    }

    /// Text built of JSON's tokens at any endpoint: refused as not JSON exactly when it is not,
    /// with the line and column the parser stopped at.
    #[test]
    fn read_refuses_what_is_not_json_with_its_position(bytes in json_ish(), endpoint in endpoint()) {
        check_any_read(&bytes, endpoint)?;
        // serde_json, but reading escaped lone surrogates as U+FFFD, as the pipelines do.
        match cdpspec::check::surrogates::parse(&bytes) {
            Err(e) => {
                let refusal = INTAKE.read(&bytes, endpoint).unwrap_err();
                let Refusal::InvalidJson { line, column, .. } = &refusal else { return Err(TestCaseError::fail(format!("{refusal:?}"))) };
                prop_assert_eq!((*line, *column), (e.line(), e.column()));
                let position = format!("at line {line}, column {column}");
                prop_assert!(refusal.to_string().ends_with(&position), "{}", refusal);
            }
            Ok(document) => check_read(&document, endpoint)?,
        }
    }

    /// Any JSON value at any endpoint: not an object, no batch, or read as the model says.
    #[test]
    fn read_takes_any_json_value_as_the_model_says(document in json_value(), endpoint in endpoint()) {
        check_read(&document, endpoint)?;
    }

    /// A valid batch, at every batch endpoint: every item is a call, in order, with the batch's
    /// context and integrations merged in and the call's own keys winning; no type is implied.
    #[test]
    fn every_item_of_a_batch_is_a_call_with_the_batch_context(document in batch()) {
        for segment in ["batch", "import", "b"] {
            check_read(&document, Endpoint::from_segment(segment).unwrap())?;
        }
        // gzip changes nothing.
        let body = serde_json::to_vec(&document).unwrap();
        let compressed = gzip(&body);
        let decoded = decode(&compressed, Encoding::Gzip, BATCH_BYTES).unwrap();
        prop_assert_eq!(INTAKE.read(&decoded, Endpoint::Batch), INTAKE.read(&body, Endpoint::Batch));
    }

    /// A single call at its endpoint: the path's type when it has none, its own when it has
    /// one; nothing merged, even from a `batch` key it may hold.
    #[test]
    fn a_single_call_gets_the_type_of_its_endpoint_only_when_it_has_none(call in batch_item(), (call_type, endpoint) in single_call_endpoint(), envelope in batch()) {
        check_read(&call, endpoint)?;
        // A batch sent to a single-call endpoint is one call of that type, read as is.
        check_read(&envelope, endpoint)?;
        let received = INTAKE.read(&serde_json::to_vec(&envelope).unwrap(), endpoint).unwrap();
        prop_assert_eq!(&received.calls[0].call["type"], &json!(call_type.as_str()));
        prop_assert_eq!(&received.calls[0].call["batch"], &envelope["batch"]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Bodies around each limit: accepted up to it, refused past it, by the byte.
    #[test]
    fn bodies_are_refused_past_their_limit_by_the_byte(offset in -8i64..=8, batch in any::<bool>()) {
        let (endpoint, limit) = if batch { (Endpoint::Batch, BATCH_BYTES) } else { (Endpoint::Call(CallType::Track), CALL_BYTES) };
        let mut body = if batch { br#"{"batch":[{"type":"track","event":"e","userId":"u"}]}"#.to_vec() } else { br#"{"event":"e","userId":"u"}"#.to_vec() };
        let size = (limit as i64 + offset) as usize;
        body.resize(size, b' ');
        match INTAKE.read(&body, endpoint) {
            Ok(received) => {
                prop_assert!(size <= limit);
                prop_assert_eq!(received.calls.len(), 1);
            }
            Err(refusal) => {
                prop_assert!(size > limit);
                prop_assert_eq!(refusal, Refusal::TooLarge { bytes: size, limit, what: "request body" });
            }
        }
        let compressed = gzip(&body);
        prop_assert_eq!(decode(&compressed, Encoding::Gzip, limit).is_ok(), size <= limit);
    }

    /// One call over the call limit, anywhere in a batch: refused, naming its index and size.
    #[test]
    fn a_batch_call_over_its_limit_is_named(calls in 1usize..12, at in any::<prop::sample::Index>(), extra in 1usize..64) {
        let at = at.index(calls);
        let small = json!({"type": "track", "event": "e", "userId": "u"});
        let mut big = small.clone();
        let room = CALL_BYTES - small.to_string().len() - r#","blob":"""#.len();
        big["blob"] = json!("x".repeat(room + extra));
        let size = big.to_string().len();
        prop_assert_eq!(size, CALL_BYTES + extra);
        let items: Vec<Value> = (0..calls).map(|i| if i == at { big.clone() } else { small.clone() }).collect();
        let refusal = INTAKE.read(json!({"batch": items}).to_string().as_bytes(), Endpoint::Batch).unwrap_err();
        prop_assert_eq!(&refusal, &Refusal::CallTooLarge { index: at, bytes: size, limit: CALL_BYTES });
        let path = format!("(/batch/{at})");
        prop_assert!(refusal.to_string().contains(&path));
        // At the limit, it is accepted.
        big["blob"] = json!("x".repeat(room));
        let items: Vec<Value> = (0..calls).map(|i| if i == at { big.clone() } else { small.clone() }).collect();
        prop_assert_eq!(INTAKE.read(json!({"batch": items}).to_string().as_bytes(), Endpoint::Batch).unwrap().calls.len(), calls);
    }

    /// Up to 2500 calls a batch, and no more.
    #[test]
    fn batches_hold_at_most_2500_calls(offset in -3i64..=3) {
        let n = (BATCH_CALLS as i64 + offset) as usize;
        let body = format!("{{\"batch\":[{}]}}", vec!["{}"; n].join(","));
        match INTAKE.read(body.as_bytes(), Endpoint::Batch) {
            Ok(received) => {
                prop_assert!(n <= BATCH_CALLS);
                prop_assert_eq!(received.calls.len(), n);
            }
            Err(refusal) => {
                prop_assert!(n > BATCH_CALLS);
                prop_assert_eq!(refusal, Refusal::TooManyCalls { calls: n, limit: BATCH_CALLS });
            }
        }
    }
}

/// What any read must satisfy: calls numbered as the endpoint says, or a refusal with one of
/// the reader's codes and a message.
fn check_any_read(bytes: &[u8], endpoint: Endpoint) -> Result<(), TestCaseError> {
    match INTAKE.read(bytes, endpoint) {
        Ok(received) => match endpoint {
            Endpoint::Call(_) => {
                prop_assert_eq!(received.calls.len(), 1);
                prop_assert_eq!(received.calls[0].index, None);
                prop_assert!(received.calls[0].call.get("type").is_some());
            }
            Endpoint::Batch => {
                for (i, call) in received.calls.iter().enumerate() {
                    prop_assert_eq!(call.index, Some(i));
                }
            }
        },
        Err(refusal) => {
            let codes = ["too-large", "too-many-calls", "invalid-json", "not-an-object", "no-batch"];
            prop_assert!(codes.contains(&refusal.code()), "{:?}", refusal);
            prop_assert!(refusal.to_string().len() > 20);
        }
    }
    Ok(())
}
