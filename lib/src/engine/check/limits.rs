//! Limits JSON Schema cannot express: 32 KB per call, 500 KB per batch request, 2500 calls per
//! batch, `messageId` under 100 characters (the pipeline's; `[limits]` in cdpspec.toml or
//! `--limit` set others). Sizes are measured on the compact JSON encoding, as the SDKs measure
//! before sending. And one limit of cdpspec's own: records over 16 MiB are reported and read
//! through without being held, so memory stays bounded whatever a line holds.

mod error;

pub use error::LimitError;

use serde_json::{Map, Value};

use super::RulesOn;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::fast::json::Json;
use crate::rule::Rule;

/// The limits a pipeline puts on what it accepts.
///
/// ```
/// use cdpspec::check::{Options, check_document, limits::Limits};
/// use cdpspec::Rule;
///
/// let limits = Limits { message_id_chars: 10, ..Limits::default() };
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "messageId": "ajs-next-1699999999"});
/// let findings = &check_document(&call, &Options { limits, ..Options::default() }).calls[0].findings;
/// assert_eq!((findings[0].rule, findings[0].pointer.as_str()), (Rule::MessageIdTooLong, "/messageId"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest call, in bytes.
    pub call_bytes: usize,
    /// Largest batch request, in bytes.
    pub batch_bytes: usize,
    /// Most calls one batch may hold.
    pub batch_calls: usize,
    /// `messageId` must be shorter than this, in characters.
    pub message_id_chars: usize,
    /// Largest record cdpspec holds and checks, in bytes (an NDJSON line without its
    /// terminator, or a whole-file document); a longer one is reported as `record-too-large`
    /// and read through without being held.
    pub record_bytes: usize,
}

impl Default for Limits {
    /// Customer.io Data Pipelines' and Segment's limits, and 16 MiB per record.
    ///
    /// The record limit is 32 times the largest request the pipeline accepts (a 500 KB batch),
    /// so every record a pipeline could have sent, and captures well over its limits, are still
    /// checked and get `call-too-large` or `batch-too-large` with their exact size. A record
    /// over it is rejected by the pipeline in any case; checking it would cost several times its
    /// size in memory per thread (its text and the parsed value), which is what the limit bounds.
    fn default() -> Self {
        Limits { call_bytes: 32 * 1024, batch_bytes: 500 * 1024, batch_calls: 2500, message_id_chars: 100, record_bytes: 16 << 20 }
    }
}

impl Limits {
    /// The names of the limits, as cdpspec.toml's `[limits]` and `--limit` spell them.
    ///
    /// ```
    /// use cdpspec::check::limits::Limits;
    ///
    /// assert!(Limits::NAMES.contains(&"batch-calls"));
    /// ```
    pub const NAMES: &'static [&'static str] = &["call-bytes", "batch-bytes", "batch-calls", "message-id-chars", "record-bytes"];

    /// Sets the limit `name` (one of [`Limits::NAMES`]) to `value`.
    ///
    /// # Errors
    ///
    /// [`LimitError::Zero`] when `value` is 0, [`LimitError::UnknownLimit`] (with the closest
    /// valid name) when `name` is not a limit; the limits are then unchanged.
    ///
    /// ```
    /// use cdpspec::check::limits::{LimitError, Limits};
    ///
    /// let mut limits = Limits::default();
    /// limits.set("batch-calls", 100).unwrap();
    /// assert_eq!(limits.batch_calls, 100);
    /// let error = limits.set("batch-call", 100).unwrap_err();
    /// assert_eq!(error, LimitError::UnknownLimit { name: "batch-call".into(), closest: Some("batch-calls") });
    /// ```
    pub fn set(&mut self, name: &str, value: usize) -> Result<(), LimitError> {
        if value == 0 {
            return Err(LimitError::Zero { name: name.to_string() });
        }
        let slot = match name {
            "call-bytes" => &mut self.call_bytes,
            "batch-bytes" => &mut self.batch_bytes,
            "batch-calls" => &mut self.batch_calls,
            "message-id-chars" => &mut self.message_id_chars,
            "record-bytes" => &mut self.record_bytes,
            _ => {
                let closest = crate::suggest::closest(name, Self::NAMES.iter().copied());
                return Err(LimitError::UnknownLimit { name: name.to_string(), closest });
            }
        };
        *slot = value;
        Ok(())
    }

    /// Parses `NAME=VALUE` (as `--limit` takes it): the trimmed name and the value.
    ///
    /// # Errors
    ///
    /// [`LimitError::NotAnAssignment`] without `=`, [`LimitError::NotANumber`] when the value is
    /// not a whole number, and the errors of [`Limits::set`] for the name and value.
    ///
    /// ```
    /// use cdpspec::check::limits::Limits;
    ///
    /// assert_eq!(Limits::parse_assignment("call-bytes = 16384").unwrap(), ("call-bytes".to_string(), 16384));
    /// assert!(Limits::parse_assignment("call-bytes=16k").unwrap_err().to_string().contains("not a whole number"));
    /// ```
    pub fn parse_assignment(s: &str) -> Result<(String, usize), LimitError> {
        let (name, value) = s.split_once('=').ok_or_else(|| LimitError::NotAnAssignment { text: s.to_string() })?;
        let value = value.trim().parse().map_err(|_| LimitError::NotANumber { name: name.to_string(), value: value.to_string() })?;
        Limits::default().set(name.trim(), value)?;
        Ok((name.trim().to_string(), value))
    }

    /// Documents this many bytes long or shorter in the source cannot break a size limit: their
    /// compact encoding is never more than twice as long (`1e2` is `100.0`), so sizes are
    /// measured only above it.
    ///
    /// ```
    /// use cdpspec::check::limits::Limits;
    ///
    /// assert_eq!(Limits::default().unmeasured_bytes(), 16 * 1024, "half of the 32 KB call limit");
    /// ```
    pub fn unmeasured_bytes(&self) -> usize {
        self.call_bytes.min(self.batch_bytes) / 2
    }
}

/// `n` bytes for people: "32768 bytes (32 KB)", "16777216 bytes (16 MB)".
fn bytes(n: usize) -> String {
    if n.is_multiple_of(1 << 20) {
        format!("{n} bytes ({} MB)", n >> 20)
    } else if n.is_multiple_of(1024) {
        format!("{n} bytes ({} KB)", n / 1024)
    } else {
        format!("{n} bytes")
    }
}

/// The message of `record-too-large`, for a record of `size` bytes (over `limits.record_bytes`).
///
/// ```
/// use cdpspec::check::limits::{Limits, record_too_large};
///
/// let message = record_too_large(3 << 30, &Limits::default());
/// assert!(message.starts_with("record is 3221225472 bytes; cdpspec holds records up to 16777216 bytes (16 MB)"), "{message}");
/// ```
pub fn record_too_large(size: u64, limits: &Limits) -> String {
    format!(
        "record is {size} bytes; cdpspec holds records up to {} (`record-bytes`), so it read through this one unchecked; \
         the pipeline rejects requests over {}: split it into calls",
        bytes(limits.record_bytes),
        bytes(limits.batch_bytes)
    )
}

/// Size of `v` as compact JSON. Only computed when the source text was large enough to matter:
/// the compact encoding of a parsed document is never much longer than its source.
fn compact_len(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

/// Fast form of the size rules (`call-too-large`, `batch-too-large`): whether a document of
/// `raw_len` bytes in the source surely breaks no size limit. Longer ones are measured by the
/// precise form.
#[inline]
pub(crate) fn sizes_pass(raw_len: usize, limits: &Limits) -> bool {
    raw_len <= limits.unmeasured_bytes()
}

/// Precise form, for a call (`call`, whose object is `map`, found at `pointer`): its size and
/// its `messageId`.
pub(super) fn check_call(call: &Value, map: &Map<String, Value>, pointer: &Pointer, raw_len: usize, limits: &Limits, out: &mut Vec<Finding>) {
    if raw_len > limits.unmeasured_bytes() {
        let size = compact_len(call);
        if size > limits.call_bytes {
            out.push(Finding::new(
                Rule::CallTooLarge,
                pointer,
                format!("call is {size} bytes; the pipeline rejects calls over {}: move bulky data out of properties and traits", bytes(limits.call_bytes)),
            ));
        }
    }
    if let Some(Value::String(id)) = map.get("messageId") {
        let chars = id.chars().count();
        if chars >= limits.message_id_chars {
            out.push(Finding::new(
                Rule::MessageIdTooLong,
                pointer.join("messageId"),
                format!("`messageId` has {chars} characters; it must be under {} (the pipeline rejects longer ones): use a UUID", limits.message_id_chars),
            ));
        }
    }
}

/// Fast form of `message-id-too-long`, for the value of `messageId`: whether [`check_call`]
/// reports nothing on it under the rules `on` (bytes are counted first: fewer bytes than the
/// limit are fewer characters).
#[inline]
pub(crate) fn message_id_passes<V: Json>(value: V, limits: &Limits, on: RulesOn) -> bool {
    let max = limits.message_id_chars;
    value.as_str().is_none_or(|id| id.len() < max || id.chars().count() < max || !on.has(Rule::MessageIdTooLong))
}

/// Precise form, for a batch request (`doc`): its size and its number of calls.
pub(super) fn check_batch(doc: &Value, raw_len: usize, limits: &Limits, out: &mut Vec<Finding>) {
    if raw_len > limits.unmeasured_bytes() {
        let size = compact_len(doc);
        if size > limits.batch_bytes {
            out.push(Finding::new(
                Rule::BatchTooLarge,
                "",
                format!("batch request is {size} bytes; the pipeline rejects requests over {}: send fewer calls per batch", bytes(limits.batch_bytes)),
            ));
        }
    }
    if let Some(Value::Array(items)) = doc.get("batch")
        && items.len() > limits.batch_calls
    {
        out.push(Finding::new(
            Rule::BatchTooManyCalls,
            "/batch",
            format!("batch holds {}; the pipeline accepts at most {} per request", crate::words::plural(items.len(), "call"), limits.batch_calls),
        ));
    }
}

/// Fast form of `batch-too-many-calls`: whether [`check_batch`] reports nothing on a batch of
/// `calls` calls under the rules `on`.
#[inline]
pub(crate) fn batch_calls_pass(calls: usize, limits: &Limits, on: RulesOn) -> bool {
    calls <= limits.batch_calls || !on.has(Rule::BatchTooManyCalls)
}
