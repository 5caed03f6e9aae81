//! Coverage's fast evaluation against the straightforward one. `cdpspec coverage` evaluates the
//! calls the fast path vouches for on its tape (triggers read there; mappings checked there, or
//! on a copy of only what they read) and every other call as a `serde_json::Value`, checked by
//! the precise path. That is only right if both give the same verdicts, so this suite holds them
//! to it:
//!
//! - per call: generated calls (valid ones, and ones whose fields that destinations read are
//!   set to odd values or removed), alone, without a type where the source implies one, and in
//!   batches with a shared `context` and `integrations`, against the bundled destinations and
//!   test ones using every directive: the same outcome for every preset, with the same missing
//!   and invalid fields, as `CompiledDestination::evaluate` on the call `calls_of` builds;
//! - per run: `Evaluation` on one and two threads hands on the calls the command handed on
//!   before it used the fast path (`Source::records`, `Engine::check_parsed`, `calls_of`,
//!   `evaluate`), record for record, over the fixtures, the examples and generated corpora with
//!   broken and invalid calls.

use std::path::Path;
use std::sync::Arc;

use cdpspec::CallType;
use cdpspec::check::CallReport;
use cdpspec::config::Settings;
use cdpspec::coverage::tape::TapeEvaluator;
use cdpspec::coverage::{CallRecord, CompiledDestination, Evaluated, Evaluation, calls_of};
use cdpspec::destination::DestinationFile;
use cdpspec::engine::Engine;
use cdpspec::input::{Record, Source};
use cdpspec::rule::{Rule, Severity};
use cdpspec::testing::fast::json::Json;
use cdpspec::testing::fast::tape::Tape;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use serde_json::{Map, Value, json};

mod common;
use common::payloads::{any_json, call};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

// ---------------------------------------------------------------------------------------------
// Destinations.

/// A destination whose presets use every directive, every field type and option, and triggers
/// on paths, numbers, functions and `context`.
fn every_directive() -> DestinationFile {
    serde_json::from_value(json!({
        "destination": "Every Directive",
        "presets": [
            {"name": "Blank and templates", "action": "all", "trigger": "type = \"track\" or type = \"page\"", "mapping": {
                "text": {"@if": {"blank": {"@path": "$.properties.url"}, "then": {"@path": "$.properties.url"}, "else": {"@template": "{{{name}}}-{{event}}"}}},
                "email": {"@template": "{{traits.email}}{{properties.revenue}}{{context.device}}{{properties.products}}"},
                "count": {"@path": "$.properties.revenue"},
                "whole": {"@path": "$.properties.value"},
                "flag": {"@path": "$.context.active"},
                "when": {"@path": "$.timestamp"},
                "at": {"@path": "$.traits.createdAt"},
                "site": {"@path": "$.properties.url"},
                "mail": {"@path": "$.traits.email"},
                "kind": {"@case": {"operator": "lower", "value": {"@path": "$.properties.metric"}}},
                "tags": {"@path": "$.properties.keywords"},
                "numbers": {"@arrayPath": ["$.properties.products", {"sku": {"@path": "$.sku"}}]},
                "maybe": {"@path": "$.userId"},
                "length": {"@path": "$.event.length"},
                "first": {"@path": "$.name[0]"},
                "items": {"@path": "$.properties.products.length"},
                "chosen": {"@if": {"exists": {"@path": "$.context.device.id"}, "then": {"@path": "$.properties.metric"}, "else": {"@path": "$.traits.objectId"}}}
            }},
            {"name": "Computed", "action": "computed", "trigger": "properties.revenue > 1 or contains(event, \"Order\") or context.device.type = \"ios\" or traits.email != null", "mapping": {
                "encoded": {"@json": {"mode": "encode", "value": {"@path": "$.properties"}}},
                "merged": {"@merge": {"direction": "right", "objects": [{"@path": "$.traits"}, {"@path": "$.context.traits"}]}},
                "flat": {"@flatten": {"value": {"@path": "$.context"}, "separator": "."}},
                "replaced": {"@replace": {"pattern": "a", "replacement": "b", "value": {"@path": "$.event"}}},
                "dynamic": {"@path": {"@path": "$.properties.where"}},
                "literal": {"@literal": {"user": {"@path": "$.userId"}}},
                "gone": {"@excludeWhenNull": {"@path": "$.anonymousId"}},
                "session": {"@path": "$.integrations.Actions Amplitude.session_id"},
                "device": {"@path": "$.context.device.token"},
                "ip": {"@path": "$.context.ip"},
                "chosen": {"@if": {"exists": {"@path": "$.context.device.id"}, "then": {"@path": "$.properties.metric"}, "else": {"@path": "$.traits.objectId"}}}
            }},
            {"name": "Direct", "action": "all", "trigger": "type != \"alias\"", "mapping": {
                "text": {"@if": {"blank": {"@path": "$.properties.url"}, "then": {"@path": "$.properties.url"}, "else": {"@template": "{{name}}-{{event}}"}}},
                "email": {"@template": "{{traits.email}}{{properties.revenue}}{{context.device}}{{properties.products}}{{context.active}}{{userId}}"},
                "count": {"@path": "$.properties.revenue"},
                "whole": {"@literal": {"@path": "$.properties.value"}},
                "flag": {"@path": "$.context.active"},
                "when": {"@path": "$.timestamp"},
                "at": {"@path": "$.traits.createdAt"},
                "site": {"@path": "$.properties.url"},
                "mail": {"@path": "$.traits.email"},
                "kind": {"@path": "$.properties.metric"},
                "tags": {"@path": "$.properties.keywords"},
                "numbers": {"@path": "$.properties.products"},
                "maybe": {"@if": {"exists": {"@path": "$.userId"}, "then": {"@path": "$.userId"}, "else": null}},
                "length": {"@path": "$.event.length"},
                "first": {"@path": "$.name[0]"},
                "items": {"@path": "$.properties.products.length"},
                "chosen": {"@if": {"exists": {"@path": "$.context.device.id"}, "then": {"@path": "$.properties.keywords.0"}, "else": {"@path": "$.context.device"}}}
            }},
            {"name": "Narrow", "action": "narrow", "trigger": "type = \"track\" or type = \"identify\" or type = \"group\"", "mapping": {
                "kind": {"@case": {"operator": "upper", "value": {"@path": "$.event"}}},
                "chosen": {"@if": {"exists": {"@path": "$.groupId"}, "then": {"@path": "$.messageId"}}},
                "device": {"@path": "$.context.device.token"},
                "session": {"@path": "$.integrations.Actions Amplitude.session_id"}
            }},
            {"name": "Whole call", "action": "computed", "trigger": "type != \"alias\"", "mapping": {
                "encoded": {"@json": {"mode": "encode", "value": {"@path": "$."}}},
                "device": {"@path": "$.context.device.id"}
            }},
            {"name": "Context only", "action": "computed", "trigger": "type = \"identify\"", "mapping": {
                "device": {"@path": "$.context.device.token"},
                "ip": {"@template": "{{context.ip}}"},
                "session": {"@path": "$.integrations.Actions Amplitude.session_id"}
            }}
        ],
        "actions": {
            "all": {"title": "All", "fields": {
                "text": {"type": "string", "required": true},
                "email": {"type": "string", "format": "email"},
                "count": {"type": "number", "required": true},
                "whole": {"type": "integer"},
                "flag": {"type": "boolean"},
                "when": {"type": "datetime", "required": true},
                "at": {"type": "string", "format": "date-time"},
                "site": {"type": "string", "format": "uri", "allowNull": true},
                "mail": {"type": "text"},
                "kind": {"type": "string", "choices": ["opened", {"label": "Clicked", "value": "clicked"}]},
                "tags": {"type": "string", "multiple": true},
                "numbers": {"type": "object", "multiple": true},
                "maybe": {"type": "string", "allowNull": true, "required": true},
                "length": {"type": "integer"},
                "first": {"type": "password"},
                "items": {"type": "number", "choices": [0, 1, 2]},
                "chosen": {"type": "string", "required": true}
            }},
            "narrow": {"title": "Narrow", "fields": {
                "kind": {"type": "string", "choices": ["ORDER COMPLETED", "COURSE ENROLLED"]},
                "chosen": {"type": "string", "required": true},
                "device": {"type": "string", "required": true},
                "session": {"type": "number"}
            }},
            "computed": {"title": "Computed", "fields": {
                "encoded": {"type": "string", "required": true},
                "merged": {"type": "object"},
                "flat": {"type": "object"},
                "replaced": {"type": "string"},
                "dynamic": {"type": "string"},
                "literal": {"type": "object", "required": true},
                "gone": {"type": "string"},
                "session": {"type": "integer"},
                "device": {"type": "string", "required": true},
                "ip": {"type": "string", "format": "ipv4"},
                "chosen": {"type": "string", "required": true}
            }}
        }
    }))
    .expect("a destination file")
}

/// The bundled destinations, the test fixtures' and [`every_directive`].
fn destinations() -> Vec<Arc<CompiledDestination>> {
    let mut files: Vec<DestinationFile> =
        ["customerio", "mixpanel", "amplitude", "webhook"].iter().map(|name| cdpspec::destination::load(name).unwrap()).collect();
    for fixture in ["warehouse", "customerio-workspace", "quirky-workspace"] {
        let path = format!("{ROOT}/tests/fixtures/coverage/{fixture}.json");
        files.push(cdpspec::destination::load(&path).unwrap_or_else(|e| panic!("{path}: {e}")));
    }
    files.push(every_directive());
    files.iter().map(|file| Arc::new(CompiledDestination::new(file).unwrap_or_else(|e| panic!("{}: {e}", file.destination)))).collect()
}

fn evaluators() -> &'static [TapeEvaluator] {
    static EVALUATORS: std::sync::OnceLock<Vec<TapeEvaluator>> = std::sync::OnceLock::new();
    EVALUATORS.get_or_init(|| destinations().into_iter().map(TapeEvaluator::new).collect())
}

// ---------------------------------------------------------------------------------------------
// Calls.

/// Places destinations read.
const PATHS: &[&[&str]] = &[
    &["type"],
    &["userId"],
    &["anonymousId"],
    &["event"],
    &["name"],
    &["messageId"],
    &["timestamp"],
    &["groupId"],
    &["previousId"],
    &["properties"],
    &["properties", "url"],
    &["properties", "revenue"],
    &["properties", "value"],
    &["properties", "metric"],
    &["properties", "keywords"],
    &["properties", "products"],
    &["properties", "objectId"],
    &["properties", "object_type_id"],
    &["properties", "deliveryId"],
    &["properties", "actionType"],
    &["properties", "where"],
    &["traits"],
    &["traits", "email"],
    &["traits", "created_at"],
    &["traits", "createdAt"],
    &["traits", "objectId"],
    &["context"],
    &["context", "active"],
    &["context", "device"],
    &["context", "device", "token"],
    &["context", "device", "type"],
    &["context", "device", "id"],
    &["context", "app", "version"],
    &["context", "ip"],
    &["context", "traits"],
    &["integrations", "Actions Amplitude", "session_id"],
];

/// Events the bundled presets route on.
const EVENTS: &[&str] = &[
    "Application Installed",
    "Application Opened",
    "Device Created or Updated",
    "Application Uninstalled",
    "Device Deleted",
    "Relationship Deleted",
    "User Deleted",
    "Object Deleted",
    "User Suppressed",
    "User Unsuppressed",
    "Report Delivery Event",
    "Report Content Event",
    "Order Completed",
    "Course Enrolled",
];

/// Values that trip types, formats, choices, truthiness and empty-value removal.
fn odd_value() -> BoxedStrategy<Value> {
    prop_oneof![
        prop::sample::select(vec![
            json!(null),
            json!(""),
            json!(0),
            json!(1),
            json!(2.0),
            json!(-2.5),
            json!(false),
            json!(true),
            json!([]),
            json!([""]),
            json!(["a", null, ""]),
            json!([{"sku": "a"}, {"sku": 1}]),
            json!({}),
            json!({"a": 1, "sku": null}),
            json!("5"),
            json!("true"),
            json!("2024-01-01T00:00:00Z"),
            json!("1679407797"),
            json!("opened"),
            json!("OPENED"),
            json!("https://example.com/a?b=c"),
            json!("cool.person@example.com"),
            json!("10.0.0.1"),
            json!("ios"),
            json!("😀 and é"),
            json!("properties.url"),
            json!("$.userId"),
            json!("a{{b}}"),
        ]),
        "[a-zA-Z .]{0,8}".prop_map(Value::from),
        any_json(),
    ]
    .boxed()
}

/// Sets `path` in `call` (making objects on the way), or removes it.
fn set(call: &mut Value, path: &[&str], value: Option<Value>) {
    let (last, parents) = path.split_last().expect("a path");
    let mut at = call;
    for key in parents {
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        at = at.as_object_mut().expect("an object").entry(key.to_string()).or_insert_with(|| json!({}));
    }
    if let Value::Object(map) = at {
        match value {
            Some(value) => {
                map.insert(last.to_string(), value);
            }
            None => {
                map.remove(*last);
            }
        }
    }
}

/// A generated call with some of the places destinations read changed.
fn odd_call() -> impl Strategy<Value = Value> {
    let change = (0..PATHS.len(), prop::option::weighted(0.8, odd_value()));
    let event = prop::option::of(prop::sample::select(EVENTS));
    (call(false), prop::collection::vec(change, 0..5), event).prop_map(|(mut call, changes, event)| {
        if let Some(event) = event {
            call["event"] = json!(event);
        }
        for (path, value) in changes {
            set(&mut call, PATHS[path], value);
        }
        call
    })
}

fn on_tape(text: &str) -> Tape {
    let mut tape = Tape::default();
    assert!(tape.parse(text), "the tape reads {text}");
    tape
}

fn evaluate_alone(call: &Value, default_type: Option<CallType>) -> Result<(), TestCaseError> {
    let text = call.to_string();
    let tape = on_tape(&text);
    let expected_call = calls_of(call, default_type).remove(0).call;
    for evaluator in evaluators() {
        let destination = evaluator.destination();
        match evaluator.evaluate_tape(tape.root(&text), None, default_type) {
            Some(outcomes) => prop_assert_eq!(outcomes, destination.evaluate(&expected_call), "{} on {}", destination.name, text),
            None => prop_assert!(default_type.is_some() && call.get("type").is_none(), "only an implied type needs the Value: {}", text),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_call_gets_the_same_outcomes_on_the_tape(call in odd_call()) {
        evaluate_alone(&call, None)?;
    }

    #[test]
    fn a_call_of_an_implied_type_gets_the_same_outcomes(mut call in odd_call(), typed in any::<bool>()) {
        if !typed && let Value::Object(map) = &mut call {
            map.remove("type");
        }
        evaluate_alone(&call, Some(CallType::Track))?;
    }

    #[test]
    fn batch_items_get_the_same_outcomes_with_the_batch_context(
        items in prop::collection::vec(odd_call(), 1..4),
        context in prop::option::of(prop_oneof![odd_value(), common::payloads::context(false)]),
        integrations in prop::option::of(prop_oneof![odd_value(), Just(json!({"Actions Amplitude": {"session_id": 7}, "All": true}))]),
    ) {
        let mut batch = json!({"batch": items});
        if let Some(context) = context {
            batch["context"] = context;
        }
        if let Some(integrations) = integrations {
            batch["integrations"] = integrations;
        }
        let text = batch.to_string();
        let tape = on_tape(&text);
        let root = tape.root(&text);
        let expected = calls_of(&batch, None);
        let items: Vec<_> = root.members().filter(|(key, _)| *key == "batch").flat_map(|(_, batch)| batch.elements().collect::<Vec<_>>()).collect();
        for evaluator in evaluators() {
            let destination = evaluator.destination();
            for (item, call) in items.iter().zip(&expected) {
                if let Some(outcomes) = evaluator.evaluate_tape(*item, Some(root), None) {
                    prop_assert_eq!(outcomes, destination.evaluate(&call.call), "{} on {} of {}", destination.name, call.pointer, text);
                } else {
                    prop_assert!(batch["context"].is_object(), "only a batch context read by a trigger needs the Value: {}", text);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole runs.

/// The rules with errors in one checked call, at the run's severities.
fn errors_of(checked: &CallReport, engine: &Engine) -> Vec<Rule> {
    let mut rules: Vec<Rule> = checked.findings.iter().filter(|f| engine.severity(f.rule) == Some(Severity::Error)).map(|f| f.rule).collect();
    rules.dedup();
    rules
}

/// What `cdpspec coverage` handed on before it used the fast path: every record read by
/// `Source::records`, checked by `Engine::check_parsed`, its calls evaluated as Values.
fn reference(engine: &Engine, destination: &CompiledDestination, source: &Source) -> (Vec<String>, usize) {
    let (mut calls, mut unparsed) = (Vec::new(), 0);
    let engine = engine.with_implied_type(source.implied_type());
    let default_type = engine.options().default_type;
    let text = |call: &Value, key: &str| call.get(key).and_then(Value::as_str).map(String::from);
    source
        .records(&mut |record| match record {
            Record::Blank => {}
            Record::Unparsed { .. } => unparsed += 1,
            ref parsed @ Record::Parsed { ref value, .. } => {
                let report = engine.check_parsed(value, parsed.text().len());
                for (call, checked) in calls_of(value, default_type).into_iter().zip(report.calls) {
                    let call_type = text(&call.call, "type");
                    let event = match call_type.as_deref() {
                        Some("track") => text(&call.call, "event"),
                        Some("page" | "screen") => text(&call.call, "name"),
                        _ => None,
                    };
                    let record = CallRecord {
                        path: source.display_name(),
                        line: parsed.line_of_pointer(&call.pointer).unwrap_or_default(),
                        index: call.index,
                        call_type,
                        event,
                        outcomes: destination.evaluate(&call.call),
                        errors: errors_of(&checked, &engine),
                    };
                    calls.push(format!("{record:?}"));
                }
            }
        })
        .unwrap_or_else(|e| panic!("{}: {e}", source.display_name()));
    (calls, unparsed)
}

/// What `Evaluation` hands on for `source` on `jobs` threads.
fn evaluated(engine: Engine, source: &Source, jobs: usize) -> (Vec<String>, usize) {
    let (mut calls, mut unparsed) = (Vec::new(), 0);
    let evaluation = Evaluation::new(engine).expect("a destination").with_jobs(jobs);
    evaluation
        .source(source, &mut |record| match record {
            Evaluated::Blank => {}
            Evaluated::Unparsed => unparsed += 1,
            Evaluated::Calls(records) => calls.extend(records.iter().map(|r| format!("{r:?}"))),
        })
        .unwrap_or_else(|e| panic!("{}: {e}", source.display_name()));
    (calls, unparsed)
}

/// Every run gives, for every source, what the reference gives.
fn same_as_reference(settings: &Settings, sources: &[Source]) {
    let engine = Engine::new(settings).unwrap();
    let destination = Arc::clone(engine.destination().unwrap());
    for source in sources {
        let expected = reference(&engine, &destination, source);
        for jobs in [1, 2] {
            let got = evaluated(Engine::new(settings).unwrap(), source, jobs);
            assert_eq!(got.1, expected.1, "unparsed records of {} on {jobs} threads", source.display_name());
            assert_eq!(got.0.len(), expected.0.len(), "calls of {} on {jobs} threads", source.display_name());
            for (got, expected) in got.0.iter().zip(&expected.0) {
                assert_eq!(got, expected, "{} on {jobs} threads", source.display_name());
            }
        }
    }
}

/// The fixtures and examples: every input file of the repository that holds calls.
fn fixture_sources() -> Vec<Source> {
    let (sources, errors) = cdpspec::input::expand(&[format!("{ROOT}/tests/fixtures"), format!("{ROOT}/examples")]);
    assert!(errors.is_empty(), "{errors:?}");
    sources.into_iter().filter(|s| matches!(s, Source::File(p) if p.extension().is_some_and(|e| e == "json" || e == "ndjson" || e == "jsonl"))).collect()
}

/// A directory of generated corpora: calls with odd fields, broken lines, invalid calls,
/// batches, a document, and a file whose name implies the type of calls without one.
fn corpora() -> (tempfile::TempDir, Vec<Source>) {
    let scratch = tempfile::Builder::new().prefix("cdpspec-coverage-fast-").tempdir().unwrap();
    let dir = scratch.path();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut calls = Vec::new();
    for _ in 0..600 {
        calls.push(odd_call().new_tree(&mut runner).unwrap().current());
    }
    let mut lines: Vec<String> = calls.iter().map(Value::to_string).collect();
    for (i, line) in lines.iter_mut().enumerate() {
        match i % 40 {
            7 => *line = line[..line.len() / 2].to_string(),
            13 => line.clear(),
            19 => *line = json!({"batch": [calls[i], calls[i - 1]], "context": {"ip": "10.0.0.1", "device": {"token": "t"}}}).to_string(),
            23 => *line = json!([calls[i], calls[i - 2]]).to_string(),
            29 => *line = format!("  {line}\r"),
            _ => {}
        }
    }
    let write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        Source::File(path)
    };
    let untyped: Vec<String> = calls
        .iter()
        .take(200)
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().map(|m| m.remove("type"));
            c.to_string()
        })
        .collect();
    let document = serde_json::to_string_pretty(&json!({"batch": calls[..30], "context": {"library": {"name": "analytics-node"}}})).unwrap();
    let sources = vec![write("odd.ndjson", lines.join("\n")), write("track.ndjson", untyped.join("\n") + "\n"), write("batch.json", document)];
    std::fs::write(dir.join("every-directive.json"), serde_json::to_string(&every_directive()).unwrap()).unwrap();
    (scratch, sources)
}

#[test]
fn every_call_of_a_run_gets_what_coverage_gave_before_on_any_number_of_threads() {
    let (scratch, generated) = corpora();
    let sources: Vec<Source> = fixture_sources().into_iter().chain(generated).collect();
    let every_directive = scratch.path().join("every-directive.json").display().to_string();
    for destination in ["customerio", "mixpanel", "amplitude", "webhook", &format!("{ROOT}/tests/fixtures/coverage/quirky-workspace.json"), &every_directive] {
        let settings = Settings { destination: Some(destination.to_string()), ..Settings::default() };
        same_as_reference(&settings, &sources);
    }
    // With a plan every call takes the precise path; with `--type` every call has a type.
    let plan = Path::new(ROOT).join("examples/plan/courses.yaml");
    let settings = Settings { destination: Some("customerio".into()), plan: Some(plan), ..Settings::default() };
    same_as_reference(&settings, &sources);
    let settings = Settings { destination: Some("customerio".into()), call_type: Some(CallType::Page), ..Settings::default() };
    same_as_reference(&settings, &sources);
}
