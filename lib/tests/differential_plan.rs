//! The tracking plan on the fast path against the precise path (the rest of the fast path is in
//! `differential.rs`). With a plan, the fast path asks each section schema compiled into a
//! checker over the tape (`src/engine/plan/fast/`), and hands a call to the precise path
//! (serde_json, `jsonschema`, the plan's findings) unless it is certain nothing is reported.
//! This suite holds the two to it:
//!
//! - a call the fast path vouches for gets no diagnostic from the precise path, and any other
//!   call gets from the engine exactly what the precise path alone gives;
//! - when every section of the plan compiled, the fast path vouches for a call exactly when the
//!   precise path reports nothing (so it is not trivially "maybe");
//! - this over random section schemas (every keyword the fast path compiles, nested, with
//!   recursive `$ref`s, and now and then one it does not), random plans of every kind of rule
//!   (common, identify, group, pages and screens by name, events in versions, required
//!   sections) under every severity of the plan's rules, mutated real payloads, and the
//!   benchmark corpus with the benchmark plan, for which it vouches for nearly every call.

use std::path::Path;
use std::sync::Arc;

use cdpspec::check::Options;
use cdpspec::engine::{Engine, Origin, Outcome};
use cdpspec::plan::{Plan, PlanValidator};
use cdpspec::rule::{Level, Rule};
use proptest::prelude::*;
use serde_json::{Value, json};

mod common;
use common::plans::{self, Rng};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The engines to compare: with the fast path, and with the precise path alone.
struct Pair {
    fast: Engine,
    precise: Engine,
    /// Whether the fast path must vouch for every call the precise path reports nothing on:
    /// every section schema of the plan compiled for the fast path, and the severities do not
    /// turn off only some of the rules a section's violations are reported as (the fast path
    /// does not tell them apart).
    exact: bool,
}

impl Pair {
    fn new(plan: PlanValidator, options: Options) -> Pair {
        let (compiled, all) = plan.fast_sections();
        let section_rules = [Rule::RequiredMissing, Rule::DatatypeMismatch, Rule::AdditionalProperties, Rule::AdvancedRule];
        let on = section_rules.iter().filter(|r| options.severities.of(**r).is_some()).count();
        let exact = compiled == all && (on == 0 || on == section_rules.len());
        let options = Options { plan: Some(Arc::new(plan)), ..options };
        Pair { fast: Engine::from_options(options.clone()), precise: Engine::from_options(options).without_fast_path(), exact }
    }

    /// Checks `line` both ways: returns whether the fast path vouched for it.
    fn check(&self, line: &[u8]) -> bool {
        let origin = Origin::whole("line");
        let fast = self.fast.check_record(line, origin);
        let precise = self.precise.check_record(line, origin);
        let text = String::from_utf8_lossy(line);
        let reported = diagnostics(&precise);
        match fast {
            Outcome::Clean { calls } => {
                assert_eq!(reported, 0, "the fast path vouched for a call the plan reports on:\n{text}\n{precise:#?}");
                assert_eq!(Some(calls), call_count(&precise), "{text}");
                true
            }
            fast => {
                assert!(fast == precise, "the engine's outcome differs from the precise path's:\n{text}\nfast: {fast:#?}\nprecise: {precise:#?}");
                assert!(
                    !(self.exact && reported == 0 && matches!(precise, Outcome::Checked { .. })),
                    "every section compiled, nothing is reported, yet the fast path did not vouch:\n{text}"
                );
                false
            }
        }
    }
}

fn diagnostics(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Blank | Outcome::Clean { .. } => 0,
        Outcome::Unparsed(d) => usize::from(d.is_some()),
        Outcome::Checked { document, calls } => document.len() + calls.iter().map(Vec::len).sum::<usize>(),
    }
}

fn call_count(outcome: &Outcome) -> Option<usize> {
    match outcome {
        Outcome::Clean { calls } => Some(*calls),
        Outcome::Checked { calls, .. } => Some(calls.len()),
        _ => None,
    }
}

fn plan(value: Value) -> Result<PlanValidator, cdpspec::plan::PlanError> {
    let plan: Plan = serde_json::from_value(value).expect("a plan");
    PlanValidator::new(plan, "plan.yaml")
}

fn load(path: &str) -> PlanValidator {
    let path = Path::new(ROOT).join(path);
    PlanValidator::new(cdpspec::plan::load(&path).expect("a plan file"), path.display().to_string()).expect("compiles")
}

/// Options with the plan's rules at every severity: on, warnings, some off, all off.
fn severities() -> Vec<Options> {
    let plan_rules = [Rule::UnplannedEvent, Rule::RequiredMissing, Rule::DatatypeMismatch, Rule::AdditionalProperties, Rule::AdvancedRule];
    let mut variants = vec![Options::default()];
    let mut warnings = Options::default();
    let mut unplanned_off = Options::default();
    let mut some_off = Options::default();
    let mut all_off = Options::default();
    for rule in plan_rules {
        warnings.severities.set(rule, Level::Warning);
        all_off.severities.set(rule, Level::Off);
    }
    unplanned_off.severities.set(Rule::UnplannedEvent, Level::Off);
    some_off.severities.set(Rule::AdvancedRule, Level::Off);
    some_off.severities.set(Rule::RequiredMissing, Level::Off);
    variants.extend([warnings, unplanned_off, some_off, all_off]);
    variants
}

/// A valid track call of the event `event` carrying `properties`.
fn track(event: &str, properties: Value) -> Vec<u8> {
    json!({"type": "track", "event": event, "userId": "97980cfea0067", "properties": properties}).to_string().into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    /// Random section schemas, against payloads made for them and mutated.
    #[test]
    fn random_sections_vouch_exactly_when_the_plan_reports_nothing(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let section = plans::section(&mut rng);
        let Ok(validator) = plan(json!({"name": "P", "events": [{"name": "E", "versions": [{"version": 1, "properties": section}]}]})) else {
            return Ok(());
        };
        let pair = Pair::new(validator, Options::default());
        for _ in 0..12 {
            let mut properties = plans::instance(&mut rng, &section, &section, 0);
            for _ in 0..rng.below(3) {
                plans::mutate(&mut rng, &mut properties);
            }
            pair.check(&track("E", properties));
        }
    }

    /// Random plans with rules of every kind, against calls of every type, under every
    /// severity of the plan's rules: which rules apply is decided alike on both paths.
    #[test]
    fn every_rule_applies_alike_on_both_paths(seed in any::<u64>()) {
        let mut rng = Rng(seed);
        let plan_value = random_plan(&mut rng);
        let calls: Vec<Vec<u8>> = (0..16).map(|_| random_call(&mut rng)).collect();
        for options in severities() {
            let Ok(validator) = plan(plan_value.clone()) else { return Ok(()) };
            let pair = Pair::new(validator, options);
            for call in &calls {
                pair.check(call);
            }
        }
    }

    /// Real payloads (the examples and fixtures), mutated, against the example plan.
    #[test]
    fn mutated_real_payloads_against_the_example_plan(doc in 0usize..1000, seed in any::<u64>(), edits in 0usize..4) {
        static PAIR: std::sync::LazyLock<Pair> = std::sync::LazyLock::new(|| Pair::new(load("examples/plan/courses.yaml"), Options::default()));
        let docs = real_documents();
        let mut rng = Rng(seed);
        if let Ok(mut value) = serde_json::from_str::<Value>(&docs[doc % docs.len()]) {
            for _ in 0..edits {
                plans::mutate(&mut rng, &mut value);
            }
            PAIR.check(value.to_string().as_bytes());
        }
    }
}

/// Small section schemas for random plans.
fn small_schema(rng: &mut Rng) -> Value {
    rng.pick(&[
        json!({"type": "object", "required": ["a"]}),
        json!({"type": "object", "properties": {"a": {"type": "integer"}}}),
        json!({"type": "object", "additionalProperties": false}),
        json!({"type": "object", "properties": {"b": {"type": "string", "pattern": "^[a-z]+$"}}, "required": ["b"]}),
        json!({"type": "object", "properties": {"a": {"enum": [1, "x"]}}}),
        json!({}),
        json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}}),
    ])
    .clone()
}

/// A rule of random sections and required sections.
fn random_rule(rng: &mut Rng) -> Value {
    let mut rule = serde_json::Map::new();
    for section in ["properties", "traits", "context"] {
        if rng.one_in(2) {
            rule.insert(section.into(), small_schema(rng));
        }
    }
    if rng.one_in(4) {
        rule.insert("requires".into(), json!([rng.pick(&["properties", "traits", "context"])]));
    }
    Value::Object(rule)
}

/// A plan with random rules of every kind: common, identify, group, pages and screens by name
/// (and `*`), events in one or more versions (one name twice).
fn random_plan(rng: &mut Rng) -> Value {
    let mut plan = serde_json::Map::new();
    plan.insert("name".into(), json!("Random"));
    for kind in ["common", "identify", "group"] {
        if rng.one_in(2) {
            plan.insert(kind.into(), random_rule(rng));
        }
    }
    for kind in ["pages", "screens"] {
        let rules: Vec<Value> = (0..rng.below(3))
            .map(|_| {
                let mut rule = random_rule(rng);
                rule["name"] = json!(rng.pick(&["home", "*", "pricing"]));
                rule
            })
            .collect();
        plan.insert(kind.into(), json!(rules));
    }
    let events: Vec<Value> = (0..1 + rng.below(3))
        .map(|_| {
            let versions: Vec<Value> = (0..1 + rng.below(3))
                .map(|v| {
                    let mut rule = random_rule(rng);
                    rule["version"] = json!(v + 1);
                    rule
                })
                .collect();
            json!({"name": rng.pick(&["A", "B", "A"]), "versions": versions})
        })
        .collect();
    plan.insert("events".into(), json!(events));
    Value::Object(plan)
}

/// A call of a random type with random sections, names and event versions.
fn random_call(rng: &mut Rng) -> Vec<u8> {
    let kind = *rng.pick(&["track", "identify", "group", "page", "screen", "alias"]);
    let mut call = json!({"type": kind, "userId": "97980cfea0067", "groupId": "g1", "previousId": "p1"});
    match kind {
        "track" => call["event"] = json!(rng.pick(&["A", "B", "C", "a"])),
        "page" | "screen" if !rng.one_in(4) => call["name"] = json!(rng.pick(&["home", "pricing", "other"])),
        _ => {}
    }
    let sections = [json!({"a": 1}), json!({"a": "x"}), json!({}), json!({"b": "abc"}), json!({"a": 1, "b": "q1"}), json!({"a": 1.0})];
    for section in ["properties", "traits", "context"] {
        if !rng.one_in(3) {
            call[section] = rng.pick(&sections).clone();
        }
    }
    if kind == "track" && rng.one_in(2) {
        let version = rng.pick(&[json!(1), json!(2), json!(3), json!("2"), json!(2.0), json!(-1)]).clone();
        let context = call.get("context").cloned().unwrap_or_else(|| json!({}));
        let mut context = if context.is_object() { context } else { json!({}) };
        context["protocols"] = json!({"event_version": version});
        call["context"] = context;
    }
    call.to_string().into_bytes()
}

/// Every NDJSON line of the examples and fixtures.
fn real_documents() -> &'static [String] {
    static DOCS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut docs = Vec::new();
        for dir in ["examples", "tests/fixtures"] {
            let mut stack = vec![Path::new(ROOT).join(dir)];
            while let Some(path) = stack.pop() {
                if path.is_dir() {
                    stack.extend(std::fs::read_dir(&path).expect("readable").map(|e| e.expect("an entry").path()));
                } else if path.extension().is_some_and(|e| e == "ndjson")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    docs.extend(text.lines().filter(|l| !l.trim().is_empty() && l.len() < 16 * 1024).map(str::to_string));
                }
            }
        }
        docs.sort();
        docs
    });
    &DOCS
}

/// The benchmark corpus generator's output, when the generator is at hand.
fn generated_corpus(calls: usize, invalid: f64) -> Option<String> {
    let script = Path::new(ROOT).join("../shared/bench/gen_corpus.py");
    if !script.exists() {
        eprintln!("{} is missing: generated corpora not checked", script.display());
        return None;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential_plan");
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(format!("corpus-{calls}-{invalid}.ndjson"));
    let status = std::process::Command::new("python3").arg(&script).arg(calls.to_string()).arg(&path).arg(invalid.to_string()).status().ok()?;
    assert!(status.success(), "{} failed", script.display());
    std::fs::read_to_string(&path).ok()
}

#[test]
fn the_benchmark_plan_vouches_for_nearly_every_valid_call_of_the_corpus() {
    let Some(corpus) = generated_corpus(3000, 0.0) else { return };
    let pair = Pair::new(load("lib/benches/plan.yaml"), Options::default());
    assert!(pair.exact, "every section of lib/benches/plan.yaml compiles for the fast path");
    let lines: Vec<&str> = corpus.lines().collect();
    let vouched = lines.iter().filter(|line| pair.check(line.as_bytes())).count();
    assert!(vouched * 100 >= lines.len() * 95, "the fast path vouched for only {vouched} of {} valid calls", lines.len());
    // The same calls broken here and there: never vouched for wrongly, every diagnostic kept.
    let Some(broken) = generated_corpus(3000, 0.3) else { return };
    let mut rng = Rng(14);
    for line in broken.lines() {
        pair.check(line.as_bytes());
        let mut value: Value = serde_json::from_str(line).expect("JSON");
        plans::mutate(&mut rng, &mut value);
        pair.check(value.to_string().as_bytes());
    }
}

#[test]
fn uncompiled_sections_leave_their_calls_to_the_precise_path() {
    let validator = plan(json!({"name": "P", "events": [
        {"name": "Planned", "versions": [{"version": 1, "properties": {"type": "object", "properties": {"a": {"type": "integer"}}}}]},
        {"name": "Conditional", "versions": [{"version": 1, "properties": {"if": {"required": ["a"]}, "then": {"required": ["b"]}}}]}
    ]}))
    .expect("compiles");
    assert_eq!(validator.fast_sections(), (1, 2));
    let pair = Pair::new(validator, Options::default());
    assert!(pair.check(&track("Planned", json!({"a": 1}))));
    assert!(pair.check(&track("Planned", json!({"a": 1.0}))), "1.0 is an integer to JSON Schema");
    assert!(!pair.check(&track("Planned", json!({"a": 1.5}))));
    assert!(!pair.check(&track("Conditional", json!({"a": 1, "b": 2}))), "not compiled: always the precise path");
    assert!(!pair.check(&track("Unplanned", json!({}))));
    // Duplicate keys: which one the parser keeps decides, so the precise path does.
    assert!(!pair.check(br#"{"type":"track","event":"Planned","userId":"u","properties":{"a":1,"a":"x"}}"#));
}

#[test]
fn the_fast_path_knows_the_edges_of_each_keyword() {
    // Each schema with values on both sides of its edge: the fast path must agree exactly.
    let cases: Vec<(Value, Vec<Value>)> = vec![
        (json!({"type": "integer"}), vec![json!(1), json!(1.0), json!(-0.0), json!(1e300), json!(1.5), json!(18_446_744_073_709_551_615u64)]),
        (json!({"const": 1}), vec![json!(1), json!(1.0), json!(true), json!("1"), json!([1])]),
        (json!({"enum": [[1], {"a": 1.0}, null]}), vec![json!([1.0]), json!({"a": 1}), json!(null), json!({"a": 1, "b": 2}), json!([1, 1])]),
        (json!({"minLength": 2, "maxLength": 3}), vec![json!("é"), json!("éé"), json!("😀😀😀"), json!("😀😀😀😀"), json!(12)]),
        (json!({"pattern": "^\\d+$"}), vec![json!("123"), json!("١٢٣"), json!("12a"), json!(12)]),
        (json!({"pattern": "^\\w+$"}), vec![json!("abc_1"), json!("é"), json!("")]),
        (json!({"format": "email"}), vec![json!("a@b.co"), json!("not an email"), json!(3)]),
        (json!({"format": "date-time"}), vec![json!("2026-11-28T18:02:43Z"), json!("2026-02-30T00:00:00Z"), json!("2026-11-28")]),
        (json!({"minimum": 0, "exclusiveMaximum": 1.5}), vec![json!(0), json!(-0.0), json!(1.5), json!(1.4999), json!(-1)]),
        (json!({"multipleOf": 0.1}), vec![json!(0.3), json!(1), json!(0.35)]),
        (json!({"uniqueItems": true}), vec![json!([1, 1.0]), json!([1, 2]), json!([{"a": 1}, {"a": 1.0}]), json!([[1], [1.0]])]),
        (json!({"prefixItems": [{"type": "string"}], "items": false}), vec![json!(["a"]), json!(["a", 1]), json!([1]), json!([])]),
        (json!({"oneOf": [{"type": "integer"}, {"minimum": 2}]}), vec![json!(1), json!(2), json!(2.5), json!("x")]),
        (json!({"not": {"type": "string"}}), vec![json!(1), json!("x")]),
        (json!({"patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": false}), vec![json!({"x1": 1}), json!({"x1": "a"}), json!({"y": 1})]),
        (
            json!({"$defs": {"list": {"type": "object", "properties": {"next": {"$ref": "#/$defs/list"}, "v": {"type": "integer"}}}}, "$ref": "#/$defs/list"}),
            vec![json!({"v": 1, "next": {"v": 2, "next": {}}}), json!({"v": 1, "next": {"v": "x"}})],
        ),
    ];
    for (schema, values) in cases {
        let mut section = json!({"type": "object", "properties": {"p": schema}});
        if let Some(defs) = section["properties"]["p"].as_object_mut().and_then(|p| p.remove("$defs")) {
            section["$defs"] = defs;
        }
        let validator = plan(json!({"name": "P", "events": [{"name": "E", "versions": [{"version": 1, "properties": section}]}]})).expect("compiles");
        let pair = Pair::new(validator, Options::default());
        assert!(pair.exact, "{section}");
        for value in values {
            pair.check(&track("E", json!({"p": value})));
        }
    }
}
