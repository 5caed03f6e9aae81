//! Limits JSON Schema cannot express: 32 KB per call, 500 KB per batch request, 2500 calls per
//! batch, `messageId` under 100 characters. Sizes are measured on the compact JSON encoding,
//! as the SDKs measure before sending.

use serde_json::{Map, Value};

use super::child;
use crate::diagnostic::Finding;
use crate::rule::Rule;

/// Largest call the pipeline accepts, in bytes.
pub const MAX_CALL_BYTES: usize = 32 * 1024;
/// Largest batch request the pipeline accepts, in bytes.
pub const MAX_BATCH_BYTES: usize = 500 * 1024;
/// Most calls one batch may hold.
pub const MAX_BATCH_CALLS: usize = 2500;
/// `messageId` must be shorter than this, in characters.
pub const MAX_MESSAGE_ID_CHARS: usize = 100;

/// Size of `v` as compact JSON. Only computed when the source text was large enough to matter:
/// the compact encoding of a parsed document is never much longer than its source.
fn compact_len(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

pub(super) fn check_call(call: &Value, map: &Map<String, Value>, pointer: &str, raw_len: usize, out: &mut Vec<Finding>) {
    if raw_len > MAX_CALL_BYTES / 2 {
        let size = compact_len(call);
        if size > MAX_CALL_BYTES {
            out.push(Finding::new(
                Rule::CallTooLarge,
                pointer,
                format!("call is {size} bytes; the pipeline rejects calls over {MAX_CALL_BYTES} bytes (32 KB): move bulky data out of properties and traits"),
            ));
        }
    }
    if let Some(Value::String(id)) = map.get("messageId") {
        let chars = id.chars().count();
        if chars >= MAX_MESSAGE_ID_CHARS {
            out.push(Finding::new(
                Rule::MessageIdTooLong,
                child(pointer, "messageId"),
                format!("`messageId` has {chars} characters; it must be under {MAX_MESSAGE_ID_CHARS} (the pipeline rejects longer ones): use a UUID"),
            ));
        }
    }
}

pub(super) fn check_batch(doc: &Value, raw_len: usize, out: &mut Vec<Finding>) {
    if raw_len > MAX_BATCH_BYTES / 2 {
        let size = compact_len(doc);
        if size > MAX_BATCH_BYTES {
            out.push(Finding::new(
                Rule::BatchTooLarge,
                "",
                format!("batch request is {size} bytes; the pipeline rejects requests over {MAX_BATCH_BYTES} bytes (500 KB): send fewer calls per batch"),
            ));
        }
    }
    if let Some(Value::Array(items)) = doc.get("batch")
        && items.len() > MAX_BATCH_CALLS
    {
        out.push(Finding::new(
            Rule::BatchTooManyCalls,
            "/batch",
            format!("batch holds {} calls; the pipeline accepts at most {MAX_BATCH_CALLS} per request", items.len()),
        ));
    }
}
