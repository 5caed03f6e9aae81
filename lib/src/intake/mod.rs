//! What a collector or a stream consumer receives: request bodies and messages as the SDKs send
//! them, turned into the calls a pipeline would store. Pure: no sockets, no database. The
//! `serve` and `stream` front ends call it; checking goes through the same [`Engine`] as
//! `validate`, and destinations through the same evaluation as `coverage`.
//!
//! ```
//! use cdpspec::config::Settings;
//! use cdpspec::engine::Engine;
//! use cdpspec::intake::{Endpoint, Intake, Status};
//!
//! let intake = Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new());
//! let body = br#"{"batch": [
//!   {"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"},
//!   {"type": "page", "name": "home"}
//! ], "context": {"library": {"name": "analytics-node", "version": "2.1.2"}}}"#;
//! let received = intake.read(body, Endpoint::Batch).unwrap();
//! let calls: Vec<_> = received.calls.into_iter().map(|c| intake.check(c, "2026-12-06T09:30:00.000Z", "POST /v1/batch")).collect();
//! assert_eq!(calls[0].status, Status::Valid);
//! assert_eq!(calls[0].call["context"]["library"]["name"], "analytics-node", "the batch's context applies to each call");
//! assert_eq!(calls[1].status, Status::Errors, "a page call without userId or anonymousId");
//! assert_eq!(calls[1].diagnostics[0].rule.name(), "missing-identity");
//! ```

mod decode;
mod endpoint;
mod refusal;
mod time;

use std::sync::Arc;

use serde_json::Value;

pub use decode::{Encoding, decode};
pub use endpoint::Endpoint;
pub use refusal::Refusal;
pub use time::{parse_millis, rfc3339_millis};

use crate::Diagnostic;
use crate::coverage::{CompiledDestination, Outcome as ActionOutcome, with_envelope, with_type};
use crate::engine::{Engine, Origin, Outcome};
use crate::rule::Severity;

/// A request body read into its calls, not yet checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The `writeKey` the body gives, if any (the SDKs that do not send it as the HTTP Basic
    /// user name put it here).
    pub write_key: Option<String>,
    /// The calls, each as the pipeline receives it: a batch's `context` and `integrations`
    /// merged in (the call's own keys win), and the type the endpoint implies set on a call
    /// without one.
    pub calls: Vec<ReceivedCall>,
}

/// One call of a request, before checking.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceivedCall {
    /// Its index in its batch, for a batch.
    pub index: Option<usize>,
    /// The call.
    pub call: Value,
}

/// How a checked call came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Nothing to report.
    Valid,
    /// Warnings, no errors.
    Warnings,
    /// At least one error.
    Errors,
}

impl Status {
    /// `valid`, `warnings` or `errors`.
    ///
    /// ```
    /// assert_eq!(cdpspec::intake::Status::Warnings.as_str(), "warnings");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Warnings => "warnings",
            Status::Errors => "errors",
        }
    }

    /// The status named `name` ([`Status::as_str`]).
    ///
    /// ```
    /// use cdpspec::intake::Status;
    ///
    /// assert_eq!(Status::parse("errors"), Some(Status::Errors));
    /// assert_eq!(Status::parse("error"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Status> {
        [Status::Valid, Status::Warnings, Status::Errors].into_iter().find(|s| s.as_str() == name)
    }
}

/// A call checked: as stored, with its diagnostics and the destination actions it triggers.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCall {
    /// Its index in its batch, for a batch.
    pub index: Option<usize>,
    /// The call, with `receivedAt` stamped.
    pub call: Value,
    /// The call as compact JSON: what is stored, and what was checked.
    pub text: String,
    /// Valid, warnings or errors.
    pub status: Status,
    /// Its diagnostics, as `validate` reports them on `text` (pointers into the call).
    pub diagnostics: Vec<Diagnostic>,
    /// For each destination, in the order given, the outcome of every action it triggers.
    pub actions: Vec<(usize, ActionOutcome)>,
}

impl CheckedCall {
    /// The first error, or failing that the first warning.
    ///
    /// ```
    /// use cdpspec::config::Settings;
    /// use cdpspec::engine::Engine;
    /// use cdpspec::intake::{Endpoint, Intake};
    ///
    /// let intake = Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new());
    /// let received = intake.read(br#"{"userId": 42, "event": ""}"#, Endpoint::from_segment("t").unwrap()).unwrap();
    /// let call = intake.check(received.calls.into_iter().next().unwrap(), "2026-12-06T09:30:00.000Z", "POST /v1/t");
    /// assert_eq!(call.first_problem().unwrap().rule.name(), "empty-event");
    /// ```
    pub fn first_problem(&self) -> Option<&Diagnostic> {
        self.diagnostics.iter().find(|d| d.severity == Severity::Error).or_else(|| self.diagnostics.first())
    }

    /// Errors among its diagnostics.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Warnings among its diagnostics.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The engine and the destinations calls are checked and evaluated with.
pub struct Intake {
    engine: Engine,
    destinations: Vec<Arc<CompiledDestination>>,
}

impl Intake {
    /// Calls checked by `engine` (its plan, severities and limits) and evaluated against
    /// `destinations` (and the engine's own destination first, if it has one).
    pub fn new(engine: Engine, destinations: Vec<Arc<CompiledDestination>>) -> Intake {
        let destinations = engine.destination().cloned().into_iter().chain(destinations).collect();
        Intake { engine, destinations }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The destinations, in the order actions refer to them.
    pub fn destinations(&self) -> &[Arc<CompiledDestination>] {
        &self.destinations
    }

    /// Reads a decoded body sent to `endpoint` into its calls. An escaped lone surrogate is read
    /// as U+FFFD, as the pipelines read it (`check::surrogates`); the call then holds U+FFFD,
    /// so, as for duplicate keys, which the parsed call has lost too, its checks do not warn.
    ///
    /// # Errors
    ///
    /// What the tracking APIs answer 400 to: a body or a call over the engine's limits, too
    /// many calls, a body that is not JSON, not an object, or a batch without a `batch` array.
    ///
    /// ```
    /// use cdpspec::config::Settings;
    /// use cdpspec::engine::Engine;
    /// use cdpspec::intake::{Endpoint, Intake, Refusal};
    ///
    /// let intake = Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new());
    /// assert_eq!(intake.read(b"[]", Endpoint::Batch), Err(Refusal::NotAnObject));
    /// let refusal = intake.read(b"{\"batch\": [}", Endpoint::Batch).unwrap_err();
    /// assert_eq!(refusal.to_string(), "the body is not valid JSON: expected value at line 1, column 12");
    /// let alias = intake.read(br#"{"userId": "u1", "previousId": "a1", "writeKey": "wk"}"#, Endpoint::from_segment("a").unwrap()).unwrap();
    /// assert_eq!((alias.write_key.as_deref(), alias.calls[0].call["type"].as_str()), (Some("wk"), Some("alias")));
    /// let cut = intake.read(br#"{"userId": "u1", "event": "Shared \ud83d"}"#, Endpoint::from_segment("t").unwrap()).unwrap();
    /// assert_eq!(cut.calls[0].call["event"], "Shared \u{FFFD}");
    /// ```
    pub fn read(&self, body: &[u8], endpoint: Endpoint) -> Result<Received, Refusal> {
        let limits = &self.engine.options().limits;
        let limit = endpoint.body_limit(limits);
        if body.len() > limit {
            return Err(Refusal::TooLarge { bytes: body.len(), limit, what: "request body" });
        }
        let document: Value =
            crate::check::surrogates::parse(body).map_err(|e| Refusal::InvalidJson { line: e.line(), column: e.column(), reason: reason(&e) })?;
        let Value::Object(mut map) = document else { return Err(Refusal::NotAnObject) };
        let write_key = map.get("writeKey").and_then(Value::as_str).map(String::from);
        let calls = match endpoint {
            Endpoint::Call(call_type) => vec![ReceivedCall { index: None, call: with_type(Value::Object(map), Some(call_type)) }],
            Endpoint::Batch => {
                let Some(Value::Array(items)) = map.remove("batch") else { return Err(Refusal::NoBatch) };
                if items.len() > limits.batch_calls {
                    return Err(Refusal::TooManyCalls { calls: items.len(), limit: limits.batch_calls });
                }
                let mut calls = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    // The whole body is under the batch limit, so only a long one can hold a
                    // call over the call limit: measure only then.
                    if body.len() > limits.call_bytes {
                        let bytes = compact_len(&item);
                        if bytes > limits.call_bytes {
                            return Err(Refusal::CallTooLarge { index, bytes, limit: limits.call_bytes });
                        }
                    }
                    calls.push(ReceivedCall { index: Some(index), call: with_envelope(item, &map) });
                }
                calls
            }
        };
        Ok(Received { write_key, calls })
    }

    /// Checks one call as `validate` would (the engine's fast path, then its precise path when
    /// there is something to report), after stamping `receivedAt`, and evaluates it against
    /// every destination. Diagnostics name `source` (`POST /v1/batch`) as their path, and the
    /// call's index in its batch; their pointers are into the call.
    pub fn check(&self, received: ReceivedCall, received_at: &str, source: &str) -> CheckedCall {
        let mut call = received.call;
        if let Value::Object(map) = &mut call {
            map.insert("receivedAt".to_string(), Value::String(received_at.to_string()));
        }
        let text = serde_json::to_string(&call).unwrap_or_default();
        let mut diagnostics: Vec<Diagnostic> = match self.engine.check_record(text.as_bytes(), Origin::whole(source)) {
            Outcome::Blank | Outcome::Clean { .. } => Vec::new(),
            Outcome::Unparsed(d) => d.into_iter().map(|d| *d).collect(),
            Outcome::Checked { document, calls } => document.into_iter().chain(calls.into_iter().flatten()).collect(),
        };
        for d in &mut diagnostics {
            d.index = received.index;
        }
        let status = if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            Status::Errors
        } else if diagnostics.is_empty() {
            Status::Valid
        } else {
            Status::Warnings
        };
        let actions = self.destinations.iter().enumerate().flat_map(|(i, d)| d.evaluate(&call).into_iter().map(move |o| (i, o))).collect();
        CheckedCall { index: received.index, call, text, status, diagnostics, actions }
    }

    /// The destination actions of `call` as JSON: for each, the destination's name, the preset,
    /// its action, whether it succeeded, and the fields that were missing or invalid.
    pub fn actions_json(&self, call: &CheckedCall) -> Value {
        call.actions.iter().map(|(d, outcome)| self.destinations[*d].describe(outcome)).collect()
    }
}

/// serde_json's message without its position (the refusal gives it apart).
fn reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The length of `value`'s compact JSON encoding, without building it.
fn compact_len(value: &Value) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter(0);
    let _ = serde_json::to_writer(&mut counter, value);
    counter.0
}
