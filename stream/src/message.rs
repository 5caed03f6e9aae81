//! One Kafka message into what is written for it. The message's value is a record, as a line of
//! a file is to `validate`: a call, a batch or an array of calls, plain or gzip. It is checked
//! by the engine and split by [`cdpspec::route`], as `validate --valid-out/--invalid-out`
//! split files: each call to the good side unchanged, or to the bad side annotated under
//! `context.violationErrors`. A message that cannot be checked (no value, blank, gzip that does
//! not decompress or grows past `record-bytes`, not JSON) goes to the bad side as it was, with
//! the reason. With a destination (`--destination`), each call is also evaluated by the
//! destination's compiled actions, as `coverage` and the collector evaluate it, and what they do
//! travels with the call. Nothing here checks or evaluates anything itself.

use cdpspec::Severity;
use cdpspec::engine::{Engine, Origin, Outcome};
use cdpspec::intake::{Encoding, decode};
use cdpspec::route::{Side, route};

/// One message to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Good or bad.
    pub side: Side,
    /// The value: a call (annotated when bad), or the message as it was read.
    pub value: Vec<u8>,
    /// Why the message could not be checked, when it is written as it was.
    pub error: Option<String>,
    /// With a destination, what its actions do with the call: a JSON array (see
    /// [`crate::headers::ACTIONS`]).
    pub actions: Option<String>,
}

/// A message split into its outputs, with what the counts need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// What to write, in order.
    pub outputs: Vec<Output>,
    /// The calls the message held (0 when it could not be checked).
    pub calls: usize,
    /// The rule of every error found, by name (`missing-identity`, `invalid-json`, ...).
    pub errors: Vec<&'static str>,
    /// With a destination, each action a call triggered, as `preset: ok|failed`, and
    /// `no action` for each call none listens to.
    pub actions: Vec<String>,
}

impl Split {
    fn unchecked(raw: &[u8], rule: &'static str, error: String) -> Split {
        Split {
            outputs: vec![Output { side: Side::Invalid, value: raw.to_vec(), error: Some(error), actions: None }],
            calls: 0,
            errors: vec![rule],
            actions: Vec::new(),
        }
    }
}

/// Splits the value of a message read from `topic` (`None`: a message without one).
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::Engine;
/// use cdpspec::route::Side;
///
/// let engine = Engine::from_options(Options::default());
/// let batch = br#"{"batch":[{"type":"track","userId":"u1","event":"Signed Up"},{"type":"page"}]}"#;
/// let split = cdpspec_stream::split(&engine, "raw", Some(batch));
/// assert_eq!(split.calls, 2);
/// assert_eq!(split.outputs[0].side, Side::Valid);
/// assert_eq!(split.outputs[0].value, br#"{"type":"track","userId":"u1","event":"Signed Up"}"#);
/// assert_eq!(split.outputs[1].side, Side::Invalid);
/// assert_eq!(split.errors, ["missing-identity"]);
///
/// let broken = cdpspec_stream::split(&engine, "raw", Some(b"{\"type\":"));
/// assert_eq!((broken.outputs[0].side, &broken.outputs[0].value[..]), (Side::Invalid, &b"{\"type\":"[..]));
/// assert!(broken.outputs[0].error.as_deref().unwrap().contains("JSON"));
/// ```
pub fn split(engine: &Engine, topic: &str, value: Option<&[u8]>) -> Split {
    let Some(raw) = value else {
        return Split::unchecked(b"", "no-value", "the message has no value (a tombstone): there is no call to check".into());
    };
    let cap = engine.options().limits.record_bytes;
    let decoded = if raw.starts_with(&[0x1f, 0x8b]) {
        match decode(raw, Encoding::Gzip, cap) {
            Ok(decoded) => decoded,
            Err(refusal) => return Split::unchecked(raw, refusal.code(), format!("{refusal} (record-bytes is {cap})")),
        }
    } else if raw.len() > cap {
        let error = format!("the message is {} bytes, over record-bytes ({cap}); it was not checked", raw.len());
        return Split::unchecked(raw, "record-too-large", error);
    } else {
        std::borrow::Cow::Borrowed(raw)
    };
    let outcome = engine.check_record(&decoded, Origin::whole(topic));
    match &outcome {
        Outcome::Blank => Split::unchecked(raw, "blank", "the message is blank: there is no call to check".into()),
        Outcome::Unparsed(diagnostic) => {
            let (rule, error) = match diagnostic {
                Some(d) => (d.rule.name(), format!("{}: {}", d.rule.name(), d.message)),
                None => ("invalid-json", "the message does not parse as JSON".to_string()),
            };
            Split::unchecked(raw, rule, error)
        }
        Outcome::Clean { calls } => evaluated(engine, Split { outputs: routed(&outcome, &decoded), calls: *calls, errors: Vec::new(), actions: Vec::new() }),
        Outcome::Checked { document, calls } => {
            let errors = document.iter().chain(calls.iter().flatten()).filter(|d| d.severity == Severity::Error).map(|d| d.rule.name()).collect();
            evaluated(engine, Split { outputs: routed(&outcome, &decoded), calls: calls.len(), errors, actions: Vec::new() })
        }
    }
}

/// `split` with each call evaluated by the engine's destination, when it has one: the actions
/// that listen to it, whether their mapping succeeded, and what did not resolve.
fn evaluated(engine: &Engine, mut split: Split) -> Split {
    let Some(destination) = engine.destination() else { return split };
    for output in &mut split.outputs {
        // A routed call is one JSON object; a bad one carries its annotation, which no trigger
        // or mapping reads.
        let Ok(call) = serde_json::from_slice::<serde_json::Value>(&output.value) else { continue };
        let outcomes = destination.evaluate(&call);
        if outcomes.is_empty() {
            split.actions.push("no action".to_string());
        }
        let described: Vec<serde_json::Value> = outcomes
            .iter()
            .map(|outcome| {
                let entry = destination.describe(outcome);
                let verdict = if outcome.ok { "ok" } else { "failed" };
                split.actions.push(format!("{}: {verdict}", entry["preset"].as_str().unwrap_or_default()));
                entry
            })
            .collect();
        output.actions = serde_json::to_string(&described).ok();
    }
    split
}

/// The message unchanged, to the good side: what the pass-through baseline writes.
pub(crate) fn pass_through(value: Option<&[u8]>) -> Split {
    Split {
        outputs: vec![Output { side: Side::Valid, value: value.unwrap_or_default().to_vec(), error: None, actions: None }],
        calls: 1,
        errors: Vec::new(),
        actions: Vec::new(),
    }
}

fn routed(outcome: &Outcome, text: &[u8]) -> Vec<Output> {
    let mut outputs = Vec::new();
    route(outcome, text, &mut |side, line| outputs.push(Output { side, value: line.to_vec(), error: None, actions: None }));
    outputs
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use cdpspec::check::Options;

    use super::*;

    fn engine() -> Engine {
        Engine::from_options(Options::default())
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn gzip_values_are_checked_decompressed() {
        let call = br#"{"type":"identify","userId":"u1"}"#;
        let split = split(&engine(), "raw", Some(&gzip(call)));
        assert_eq!(split.outputs, [Output { side: Side::Valid, value: call.to_vec(), error: None, actions: None }]);
    }

    #[test]
    fn a_gzip_bomb_goes_to_the_bad_side_as_it_was() {
        let bomb = gzip(&vec![b' '; 20 << 20]);
        let split = split(&engine(), "raw", Some(&bomb));
        assert_eq!((split.outputs[0].side, &split.outputs[0].value), (Side::Invalid, &bomb));
        assert!(split.outputs[0].error.as_deref().unwrap().contains("record-bytes"), "{split:?}");
        assert_eq!(split.errors, ["too-large"]);
    }

    #[test]
    fn messages_that_hold_no_call_are_accounted_for() {
        for value in [None, Some(&b"  "[..]), Some(&b"\x1f\x8bnot gzip"[..]), Some(&b"not json"[..])] {
            let split = split(&engine(), "raw", value);
            assert_eq!(split.outputs.len(), 1, "{value:?}");
            assert_eq!(split.outputs[0].side, Side::Invalid);
            assert!(split.outputs[0].error.is_some());
        }
    }

    #[test]
    fn with_a_destination_each_call_carries_what_its_actions_do() {
        let settings = cdpspec::config::Settings { destination: Some("customerio".into()), ..cdpspec::config::Settings::default() };
        let customerio = Engine::new(&settings).unwrap();
        let batch = br#"{"batch":[{"type":"track","userId":"u1","event":"Signed Up"},{"type":"page","userId":"u1"},{"type":"alias","userId":"u2","previousId":"u1"},{"type":"track","event":"Lost"}]}"#;
        let split = split(&customerio, "raw", Some(batch));
        let actions: Vec<serde_json::Value> = split.outputs.iter().map(|o| serde_json::from_str(o.actions.as_deref().unwrap()).unwrap()).collect();
        assert_eq!(actions[0][0]["preset"], "Track Event");
        assert_eq!(actions[0][0]["ok"], true);
        // A page without a URL: Customer.io's page action cannot map it.
        assert_eq!((actions[1][0]["preset"].as_str(), actions[1][0]["ok"].as_bool()), (Some("Track Page View"), Some(false)));
        assert_eq!(actions[1][0]["missing"], serde_json::json!(["url"]));
        // The bad call (no identity) is evaluated too: what the destination would do with it.
        assert_eq!(split.outputs[3].side, Side::Invalid);
        assert!(
            split.actions.contains(&"Track Event: ok".to_string()) && split.actions.contains(&"Track Page View: failed".to_string()),
            "{:?}",
            split.actions
        );
        // Without a destination nothing is evaluated.
        assert!(super::split(&engine(), "raw", Some(batch)).outputs.iter().all(|o| o.actions.is_none()));
    }

    #[test]
    fn an_oversized_call_is_annotated() {
        let call = format!(r#"{{"type":"track","userId":"u1","event":"Big","properties":{{"blob":"{}"}}}}"#, "x".repeat(40_000));
        let split = split(&engine(), "raw", Some(call.as_bytes()));
        assert_eq!(split.outputs[0].side, Side::Invalid);
        assert!(String::from_utf8_lossy(&split.outputs[0].value).contains("violationErrors"));
        assert_eq!(split.errors, ["call-too-large"]);
    }
}
