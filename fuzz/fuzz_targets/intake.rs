//! Fuzzes the collector's request reader: bytes through `intake::decode` and `Intake::read`,
//! as `cdpspec serve` runs them for every request. The first byte picks the endpoint (its low
//! three bits: batch, b, or a single-call endpoint) and the encoding (0x08: gzip; with 0x10
//! too, the rest is compressed first, so that the reader sees it through valid gzip). Nothing
//! may panic, a refusal must be the stated one, and what is read must be what the body says.
#![no_main]

use std::borrow::Cow;
use std::io::Write;
use std::sync::LazyLock;

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::{Encoding, Endpoint, Intake, Refusal, decode};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

static INTAKE: LazyLock<Intake> = LazyLock::new(|| Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new()));

const SEGMENTS: [&str; 8] = ["batch", "b", "track", "identify", "page", "screen", "group", "alias"];

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else { return };
    let endpoint = Endpoint::from_segment(SEGMENTS[usize::from(control & 0x07)]).unwrap();
    let limits = &INTAKE.engine().options().limits;
    let limit = endpoint.body_limit(limits);
    let (encoding, body, clean) = match (control & 0x08 != 0, control & 0x10 != 0) {
        (false, _) => (Encoding::Identity, Cow::Borrowed(rest), true),
        (true, false) => (Encoding::Gzip, Cow::Borrowed(rest), false),
        (true, true) => (Encoding::Gzip, Cow::Owned(gzip(rest)), true),
    };
    let decoded = match decode(&body, encoding, limit) {
        Ok(decoded) => decoded,
        Err(Refusal::TooLarge { bytes, limit: l, .. }) => {
            assert!(bytes > l && l == limit);
            assert!(!clean || rest.len() > limit, "a body within the limit refused as too large");
            return;
        }
        Err(Refusal::BadGzip(reason)) => {
            assert!(!clean, "valid gzip refused: {reason}");
            return;
        }
        Err(other) => panic!("decode refused with {other:?}"),
    };
    assert!(decoded.len() <= limit);
    if clean {
        assert_eq!(&*decoded, rest);
    }
    let parsed: Result<Value, _> = serde_json::from_slice(&decoded);
    match INTAKE.read(&decoded, endpoint) {
        Ok(received) => {
            let document = parsed.expect("what is read is JSON");
            let map = document.as_object().expect("what is read is an object");
            assert_eq!(received.write_key.as_deref(), map.get("writeKey").and_then(Value::as_str));
            match endpoint {
                Endpoint::Call(call_type) => {
                    assert_eq!(received.calls.len(), 1);
                    let call = &received.calls[0];
                    assert_eq!(call.index, None);
                    let expected_type = map.get("type").cloned().unwrap_or_else(|| Value::from(call_type.as_str()));
                    assert_eq!(call.call["type"], expected_type);
                    let Value::Object(read) = &call.call else { panic!("a call that is not an object") };
                    assert!(read.iter().all(|(k, v)| k == "type" || map.get(k) == Some(v)));
                    assert_eq!(read.len(), map.len() + usize::from(!map.contains_key("type")));
                }
                Endpoint::Batch => {
                    let items = map["batch"].as_array().expect("a batch read has a batch array");
                    assert!(items.len() <= limits.batch_calls);
                    assert_eq!(received.calls.len(), items.len());
                    for (i, (call, item)) in received.calls.iter().zip(items).enumerate() {
                        assert_eq!(call.index, Some(i));
                        let (Value::Object(read), Value::Object(own)) = (&call.call, item) else {
                            assert_eq!(&call.call, item, "an item that is not an object is kept as it is");
                            continue;
                        };
                        for (key, value) in own {
                            match (key.as_str(), value, &read[key]) {
                                // The call's own keys win over the batch's.
                                ("context" | "integrations", Value::Object(mine), Value::Object(merged)) => {
                                    assert!(mine.iter().all(|(k, v)| merged.get(k) == Some(v)));
                                    if let Some(Value::Object(shared)) = map.get(key) {
                                        assert!(shared.iter().all(|(k, v)| mine.contains_key(k) || merged.get(k) == Some(v)));
                                    }
                                }
                                (_, value, read) => assert_eq!(value, read, "{key}"),
                            }
                        }
                        let added = read.keys().filter(|k| !own.contains_key(*k)).collect::<Vec<_>>();
                        assert!(added.iter().all(|k| matches!(k.as_str(), "context" | "integrations")), "{added:?}");
                    }
                }
            }
        }
        Err(refusal) => {
            assert!(refusal.to_string().len() > 20);
            match &refusal {
                Refusal::InvalidJson { line, .. } => {
                    assert!(parsed.is_err());
                    assert!(*line >= 1);
                }
                Refusal::NotAnObject => assert!(parsed.is_ok_and(|v| !v.is_object())),
                Refusal::NoBatch => {
                    assert_eq!(endpoint, Endpoint::Batch);
                    assert!(parsed.is_ok_and(|v| !v["batch"].is_array()));
                }
                Refusal::TooManyCalls { calls, limit } => assert!(calls > limit),
                Refusal::CallTooLarge { index, bytes, limit } => {
                    let document = parsed.expect("JSON");
                    let item = &document["batch"][*index];
                    assert_eq!(serde_json::to_string(item).unwrap().len(), *bytes);
                    assert!(bytes > limit);
                }
                other => panic!("read refused with {other:?}"),
            }
        }
    }
});
