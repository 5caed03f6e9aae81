//! The fast path against the precise path. `cdpspec validate` answers most documents with the
//! fast path (a tape parser, validators generated from the canonical schemas, the code rules in
//! boolean form) and sends the rest to the precise path (serde_json, the `jsonschema` crate,
//! `check`). That is only right if the two agree, so this suite holds them to it:
//!
//! - the generated validators give the `jsonschema` crate's verdict, for every call schema,
//!   `message`, `batch` and the batch envelope, on valid payloads and on mutations of real ones;
//! - the tape parser accepts only what the precise path accepts (serde_json, escaped lone
//!   surrogates read as U+FFFD by `check::surrogates::parse`), reads it the same way (down to the
//!   `serde_json::Value` it hands the precise path), and finds the same duplicate keys as
//!   `check::duplicates` and the same lone surrogates as `check::surrogates`;
//! - the fast path vouches for a line exactly when the precise path reports nothing;
//! - a whole run gives the same diagnostics and counts with or without the fast path, on any
//!   number of threads, over the fixtures, the examples and corpora with every kind of fault.

use std::path::{Path, PathBuf};

use cdpspec::check::limits::Limits;
use cdpspec::check::{Options, check_parsed, surrogates};
use cdpspec::input::{self, Layout, Source};
use cdpspec::output::Emitter;
use cdpspec::rule::{Level, Rule};
use cdpspec::schema::{BASE_URI, FILES, Schemas, load};
use cdpspec::summary::About;
use cdpspec::testing::fast::json::Json;
use cdpspec::testing::fast::tape::Tape;
use cdpspec::testing::fast::{FastPath, validators};
use cdpspec::testing::locate::locate;
use cdpspec::testing::records::{self, Record};
use cdpspec::validate::Validation;
use cdpspec::{CallType, Diagnostic, Finding, Summary};
use proptest::prelude::*;

mod common;
use common::payloads::{any_json, call};
use serde_json::{Value, json};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The validators this crate compiles (`src/engine/fast/validators.rs` includes the reviewed
/// golden file) are what the generator makes of `schema/` now: one per call, `message`,
/// `batch`, and the batch envelope (the batch schema without its items, checked one by one).
#[test]
fn the_validators_this_crate_compiles_are_the_reviewed_golden_file() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let mut generator = cdpspec_codegen::validator::Generator::new()
        .add_dir(schema)
        .and_then(|g| g.add_relaxed_copy("batch.schema.json", "https://cdpspec.dev/schema/v1/batch-envelope.schema.json", "/properties/batch/items"))
        .unwrap_or_else(|e| panic!("cannot generate validators from schema/: {e}"));
    for call in ["identify", "group", "track", "page", "screen", "alias", "message", "batch"] {
        generator = generator.add_root(call, &format!("{call}.schema.json"));
    }
    let built = generator.add_root("batch_envelope", "batch-envelope.schema.json").generate().unwrap_or_else(|e| panic!("{e}"));
    let golden = include_str!("../../codegen/tests/generated/validator.rs");
    assert!(built == golden, "codegen/tests/generated/validator.rs is stale: run `CDPSPEC_BLESS=1 cargo test -p cdpspec-codegen`");
}

// ---------------------------------------------------------------------------------------------
// Running validation both ways.

#[derive(Default)]
struct Collect(Vec<Diagnostic>);

impl Emitter for Collect {
    fn diagnostic(&mut self, d: &Diagnostic) -> std::io::Result<()> {
        self.0.push(d.clone());
        Ok(())
    }
    fn finish(&mut self, _: &Summary) -> std::io::Result<()> {
        Ok(())
    }
}

#[derive(Clone, Copy, Debug)]
enum Route {
    Fast(usize),
    Precise,
}

/// Diagnostics and counts of a run over `text` read as `layout`.
fn run_text(text: &[u8], layout: Layout, options: &Options, path: Route) -> (Vec<Diagnostic>, Summary) {
    let mut sink = Collect::default();
    let mut run = Validation::new(options.clone(), &mut sink);
    run = match path {
        Route::Fast(jobs) => run.with_jobs(jobs),
        Route::Precise => run.without_fast_path().with_jobs(1),
    };
    run.reader("input.ndjson", text, layout).expect("in memory");
    let summary = run.summary.clone();
    run.finish().expect("in memory");
    (sink.0, summary)
}

/// Diagnostics and counts of a run over files, as `cdpspec validate PATH...` reads them.
fn run_paths(paths: &[String], options: &Options, path: Route) -> (Vec<Diagnostic>, Summary) {
    let (sources, unreadable) = input::expand(paths);
    assert!(unreadable.is_empty(), "{unreadable:?}");
    let mut sink = Collect::default();
    let mut run = Validation::new(options.clone(), &mut sink);
    run = match path {
        Route::Fast(jobs) => run.with_jobs(jobs),
        Route::Precise => run.without_fast_path().with_jobs(1),
    };
    for source in &sources {
        run.source(source).expect("readable");
    }
    let summary = run.summary.clone();
    run.finish().expect("in memory");
    (sink.0, summary)
}

/// What `cdpspec validate` reported before the fast path: `records::read`, then
/// `check_document` and `check::duplicates` on every record, findings placed and counted
/// record by record. Independent of `src/engine/fast/`, so it also checks the new reader.
fn reference_run(name: &str, text: &[u8], layout: Layout, options: &Options, summary: &mut Summary) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    records::read(text, layout, &options.limits, &mut |record| {
        summary.records += 1;
        match record {
            Record::Blank => summary.blank += 1,
            Record::Unparsed { rule, line, column, message, .. } => {
                summary.unparsed += 1;
                if let Some(severity) = options.severities.of(rule) {
                    let d = Diagnostic {
                        path: name.to_string(),
                        line,
                        column,
                        severity,
                        rule,
                        pointer: String::new(),
                        message,
                        index: None,
                        suggestion: None,
                        plan_location: None,
                        source_line: None,
                    };
                    summary.count(&d, About::Record);
                    out.push(d);
                }
            }
            Record::Parsed { text, first_line, value } => {
                summary.parsed += 1;
                let mut report = check_parsed(&value, text.len(), options);
                cdpspec::check::duplicates::check(text, &mut report);
                cdpspec::check::surrogates::check(text, &mut report);
                let diagnose = |f: Finding, index: Option<usize>| {
                    let severity = options.severities.of(f.rule)?;
                    let (line, column) = records::place(text, first_line, locate(text, &f.pointer));
                    Some(Diagnostic {
                        path: name.to_string(),
                        line,
                        column,
                        severity,
                        rule: f.rule,
                        pointer: f.pointer,
                        message: f.message,
                        index,
                        suggestion: f.suggestion,
                        plan_location: f.plan_location,
                        source_line: None,
                    })
                };
                for d in report.findings.into_iter().filter_map(|f| diagnose(f, None)) {
                    summary.count(&d, About::Document);
                    out.push(d);
                }
                for call in report.calls {
                    let mut diagnostics: Vec<Diagnostic> = call.findings.into_iter().filter_map(|f| diagnose(f, call.index)).collect();
                    diagnostics.sort_by_key(|d| (d.line, d.column));
                    summary.count_call(diagnostics.iter().map(|d| d.severity).max());
                    for d in diagnostics {
                        summary.count(&d, About::Call);
                        out.push(d);
                    }
                }
            }
        }
    })
    .expect("in memory");
    out
}

/// Asserts that the fast path changes nothing about a run over `text`, on 1 and 2 threads.
fn assert_same_run(text: &[u8], layout: Layout, options: &Options) {
    let mut summary = Summary::default();
    let reference = (reference_run("input.ndjson", text, layout, options, &mut summary), summary);
    let precise = run_text(text, layout, options, Route::Precise);
    assert!(
        precise == reference,
        "the precise path differs from the reference on {layout:?} input:\n{}\n{precise:#?}\n{reference:#?}",
        String::from_utf8_lossy(text)
    );
    for jobs in [1, 2] {
        let fast = run_text(text, layout, options, Route::Fast(jobs));
        assert!(
            fast == precise,
            "fast path ({jobs} threads) differs on {layout:?} input:\n{}\nfast: {fast:#?}\nprecise: {precise:#?}",
            String::from_utf8_lossy(text)
        );
    }
}

/// Asserts that the fast path vouches for the line `text` exactly when the precise path reports
/// nothing about it (with default options; with others, only that it never vouches wrongly).
fn assert_same_verdict(text: &[u8], options: &Options, exact: bool) {
    if text.trim_ascii().is_empty() || text.contains(&b'\n') || text.starts_with(b"\xEF\xBB\xBF") {
        return;
    }
    let fast = FastPath::new(options).clean_calls(text);
    let (diagnostics, summary) = run_text(text, Layout::Lines, options, Route::Precise);
    if let Some(calls) = fast {
        assert!(diagnostics.is_empty(), "the fast path vouched for a line with diagnostics:\n{}\n{diagnostics:#?}", String::from_utf8_lossy(text));
        assert_eq!(calls, summary.calls, "{}", String::from_utf8_lossy(text));
    } else if exact && text.len() <= options.limits.unmeasured_bytes() {
        assert!(!diagnostics.is_empty(), "the fast path sent a line without diagnostics to the precise path:\n{}", String::from_utf8_lossy(text));
    }
}

// ---------------------------------------------------------------------------------------------
// The generated validators against the `jsonschema` crate.

struct Reference {
    message: jsonschema::Validator,
    batch: jsonschema::Validator,
}

fn reference() -> &'static Reference {
    static REFERENCE: std::sync::LazyLock<Reference> = std::sync::LazyLock::new(|| {
        let resources = FILES.iter().map(|(name, _)| (format!("{BASE_URI}{name}"), jsonschema::Resource::from_contents(load(name))));
        let registry = jsonschema::Registry::new().extend(resources).and_then(|b| b.prepare()).expect("canonical registry");
        let build = |file: &str| jsonschema::options().offline().with_registry(&registry).build(&load(file)).expect("compiles");
        Reference { message: build("message.schema.json"), batch: build("batch.schema.json") }
    });
    &REFERENCE
}

/// Asserts every generated validator's verdict on `v` (and on its batch items) equals the
/// `jsonschema` crate's.
fn assert_same_schema_verdicts(v: &Value) {
    let schemas = Schemas::get();
    for t in CallType::ALL {
        assert_eq!(validators::call(*t, v), schemas.call(*t).is_valid(v), "{t} schema on {v}");
    }
    assert_eq!(validators::message(v), reference().message.is_valid(v), "message schema on {v}");
    assert_eq!(validators::batch(v), reference().batch.is_valid(v), "batch schema on {v}");
    assert_eq!(validators::batch_envelope(v), schemas.envelope().is_valid(v), "batch envelope on {v}");
    if let Some(Value::Array(items)) = v.get("batch") {
        for item in items {
            for t in CallType::ALL {
                assert_eq!(validators::call(*t, item), schemas.call(*t).is_valid(item), "{t} schema on {item}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tape parser against serde_json.

/// Asserts the tape reads `text` as the precise path does (serde_json, lone surrogates read as
/// U+FFFD), or refuses it.
fn assert_tape_reads_like_serde(text: &[u8]) {
    let Ok(text) = std::str::from_utf8(text) else { return };
    let mut tape = Tape::default();
    if !tape.parse(text) {
        return;
    }
    let value: Value = surrogates::parse(text.as_bytes()).unwrap_or_else(|e| panic!("the tape accepted what the precise path refuses ({e}): {text}"));
    assert_same_value(tape.root(text), &value, text);
    assert_eq!(tape.to_value(text).as_ref(), Some(&value), "the tape's value of {text}");
    let duplicates = !cdpspec::check::duplicates::duplicate_keys(text.as_bytes()).is_empty();
    assert_eq!(tape.has_duplicate_keys(), duplicates, "duplicate keys in {text}");
    let lone = !surrogates::lone_surrogates(text.as_bytes()).is_empty();
    assert_eq!(tape.has_lone_surrogates(), lone, "lone surrogates in {text}");
}

/// Compares a tape value with serde_json's, members by the last duplicate as serde_json keeps.
fn assert_same_value<V: Json>(tape: V, serde: &Value, text: &str) {
    assert_eq!(tape.kind(), Json::kind(&serde), "{text}");
    assert_eq!(tape.as_str(), serde.as_str(), "{text}");
    assert_eq!(tape.as_bool(), serde.as_bool(), "{text}");
    assert_eq!(tape.is_integer(), Json::is_integer(&serde), "{serde} in {text}");
    match serde {
        Value::Object(map) => {
            let mut members: Vec<(String, V)> = Vec::new();
            for (key, value) in tape.members() {
                members.retain(|(k, _)| k != key);
                members.push((key.to_string(), value));
            }
            assert_eq!(members.len(), map.len(), "{text}");
            for (key, value) in members {
                assert_same_value(value, &map[&key], text);
            }
        }
        Value::Array(items) => {
            let elements: Vec<V> = tape.elements().collect();
            assert_eq!(elements.len(), items.len(), "{text}");
            for (element, item) in elements.into_iter().zip(items) {
                assert_same_value(element, item, text);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads: valid ones (tests/common/payloads.rs) and real ones, mutated.

/// Every document of the examples and fixtures, as text (malformed ones included).
fn real_documents() -> &'static [String] {
    static DOCS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let (sources, _) = input::expand(&[format!("{ROOT}/examples"), format!("{ROOT}/tests/fixtures")]);
        let mut docs = Vec::new();
        for source in sources {
            let Source::File(path) = source else { continue };
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            if path.extension().is_some_and(|e| e == "ndjson")
                || text.lines().next().is_some_and(|l| l.trim_start().starts_with('{') && l.trim_end().ends_with('}'))
            {
                docs.extend(text.lines().filter(|l| !l.trim().is_empty() && l.len() < 16 * 1024).map(str::to_string));
            } else {
                docs.push(text);
            }
        }
        docs
    });
    &DOCS
}

/// A value that trips (or narrowly does not trip) some rule or schema keyword.
fn interesting_value(i: usize) -> Value {
    let values = [
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(2.0),
        json!(1e300),
        json!(18446744073709551615u64),
        json!(""),
        json!(" "),
        json!("\u{a0}"),
        json!("\u{feff}"),
        json!("\u{85}"),
        json!("\u{2028}x"),
        json!("x"),
        json!("identify"),
        json!("track"),
        json!("identity"),
        json!("Track"),
        json!("yesterday"),
        json!("1679407797"),
        json!("2023-03-21"),
        json!("2023-03-21T12:00:00"),
        json!("2023-03-21 12:00:00Z"),
        json!("2023-03-21T12:00:00+0000"),
        json!("2026-11-28T18:02:43.022Z"),
        json!("2023-02-29T00:00:00Z"),
        json!("USD"),
        json!("usd"),
        json!("dollars"),
        json!("a@example.com"),
        json!("n/a"),
        json!("cool person@example.com"),
        json!("x".repeat(99)),
        json!("é".repeat(100)),
        json!([]),
        json!(["a", 1]),
        json!({}),
        json!({"email": "n/a", "first_name": 1, "created_at": "soon", "createdAt": "2023-03-21T12:00:00", "birthday": "1990-01-01"}),
        json!({"All": "yes"}),
        json!({"currency": "eur", "revenue": "12"}),
        json!({"traits": {"last_name": []}}),
    ];
    values[i % values.len()].clone()
}

const KEYS: &[&str] = &[
    "type",
    "userId",
    "anonymousId",
    "user_id",
    "anonymous_id",
    "UserId",
    "event",
    "Event",
    "groupId",
    "previousId",
    "messageId",
    "timestamp",
    "sentAt",
    "receivedAt",
    "originalTimestamp",
    "email",
    "traits",
    "context",
    "properties",
    "integrations",
    "batch",
    "first_name",
    "created_at",
    "createdAt",
    "currency",
    "event_version",
    "protocols",
    "library",
    "name",
    "version",
    "a/b",
    "x_custom",
];

/// A small deterministic generator, so a failing seed reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as usize
    }
}

/// A random place in `v`: the object or array, and the key or index, chosen by `rng`.
fn mutate_value(v: &mut Value, rng: &mut Rng) {
    // Walk down a few levels at random, then act on the container reached.
    let depth = rng.next() % 4;
    let mut path: Vec<Value> = Vec::new();
    let mut node: &Value = v;
    for _ in 0..depth {
        let (step, next) = match node {
            Value::Object(map) if !map.is_empty() => {
                let (key, next) = map.iter().nth(rng.next() % map.len()).expect("in range");
                (json!(key), next)
            }
            Value::Array(items) if !items.is_empty() => {
                let i = rng.next() % items.len();
                (json!(i), &items[i])
            }
            _ => break,
        };
        if !(next.is_object() || next.is_array()) {
            break;
        }
        path.push(step);
        node = next;
    }
    let mut node: &mut Value = v;
    for step in &path {
        node = match step {
            Value::String(key) => &mut node[key.as_str()],
            _ => &mut node[step.as_u64().unwrap_or_default() as usize],
        };
    }
    match node {
        Value::Object(map) => match rng.next() % 5 {
            0 if !map.is_empty() => {
                let key = map.keys().nth(rng.next() % map.len()).cloned().unwrap_or_default();
                map.remove(&key);
            }
            1 if !map.is_empty() => {
                let key = map.keys().nth(rng.next() % map.len()).cloned().unwrap_or_default();
                if let Some(value) = map.remove(&key) {
                    let renamed = match rng.next() % 3 {
                        0 => key.to_ascii_lowercase(),
                        1 => KEYS[rng.next() % KEYS.len()].to_string(),
                        _ => format!("{key}_"),
                    };
                    map.insert(renamed, value);
                }
            }
            2 if !map.is_empty() => {
                let key = map.keys().nth(rng.next() % map.len()).cloned().unwrap_or_default();
                map.insert(key, interesting_value(rng.next()));
            }
            _ => {
                map.insert(KEYS[rng.next() % KEYS.len()].to_string(), interesting_value(rng.next()));
            }
        },
        Value::Array(items) => {
            if !items.is_empty() && rng.next().is_multiple_of(2) {
                let i = rng.next() % items.len();
                items[i] = interesting_value(rng.next());
            } else {
                items.push(interesting_value(rng.next()));
            }
        }
        other => *other = interesting_value(rng.next()),
    }
}

/// Bytes that break JSON in interesting ways.
const BYTES: &[&[u8]] = &[
    b"\"",
    b"\\",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b" ",
    b"0",
    b"-",
    b"e",
    b".",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\t",
    b"\r",
    b"u",
    b"n",
    b"\\u0000",
    b"\\ud800",
    b"\\ud83d\\ude00",
    b"\\u00e9",
    b"\\/",
    b"1e999",
    b"01",
    b"-0",
    b"1.0",
    b"null",
    b"\xEF\xBB\xBF",
    b"\xe2\x80\xa8",
];

/// The text of a line, mutated at the byte level: an insertion, deletion or replacement, or a
/// member duplicated.
fn mutate_text(text: &mut Vec<u8>, rng: &mut Rng) {
    let at = if text.is_empty() { 0 } else { rng.next() % (text.len() + 1) };
    match rng.next() % 5 {
        0 => {
            let bytes = BYTES[rng.next() % BYTES.len()];
            text.splice(at..at, bytes.iter().copied());
        }
        1 if at < text.len() => {
            text.remove(at);
        }
        2 if at < text.len() => {
            let bytes = BYTES[rng.next() % BYTES.len()];
            text.splice(at..at + 1, bytes.iter().copied());
        }
        _ => {
            // Duplicate a `"key":value` member in place: a duplicate key, at some depth.
            if let Some(start) = text[at..].iter().position(|&b| b == b',').map(|p| at + p) {
                let end = text[start + 1..].iter().position(|&b| b == b',' || b == b'}').map_or(text.len(), |p| start + 1 + p);
                let member = text[start..end].to_vec();
                text.splice(end..end, member);
            }
        }
    }
    for b in text.iter_mut() {
        if *b == b'\n' {
            *b = b' ';
        }
    }
}

/// A line from a real document (or a generated call), mutated `value_edits` times as JSON and
/// `byte_edits` times as text.
fn mutated_line(source: &str, seed: u64, value_edits: usize, byte_edits: usize) -> Vec<u8> {
    let mut rng = Rng(seed);
    let mut text = match serde_json::from_str::<Value>(source) {
        Ok(mut value) => {
            for _ in 0..value_edits {
                mutate_value(&mut value, &mut rng);
            }
            if rng.next().is_multiple_of(8) {
                value = json!({"batch": [value], "sentAt": interesting_value(rng.next())});
            }
            value.to_string().into_bytes()
        }
        Err(_) => source.as_bytes().to_vec(),
    };
    for _ in 0..byte_edits {
        mutate_text(&mut text, &mut rng);
    }
    for b in text.iter_mut() {
        if *b == b'\n' {
            *b = b' ';
        }
    }
    text
}

fn options_variants() -> Vec<(Options, bool)> {
    let mut quiet = Options::default();
    for rule in [Rule::DuplicateKey, Rule::MisspelledField, Rule::TimestampNotRfc3339, Rule::InvalidEmail, Rule::NumericIdentifier] {
        quiet.severities.set(rule, Level::Off);
    }
    let mut louder = Options::default();
    louder.severities.set(Rule::InvalidCurrency, Level::Error);
    let typed = Options { default_type: Some(CallType::Track), ..Options::default() };
    // Limits far below the pipeline's, so that real payloads break them.
    let tight =
        Options { limits: Limits { call_bytes: 600, batch_bytes: 4000, batch_calls: 3, message_id_chars: 20, record_bytes: 3000 }, ..Options::default() };
    vec![(Options::default(), true), (quiet, false), (louder, true), (typed, true), (tight, true)]
}

/// JSON with one or two tokens inserted or removed next to its punctuation: nearly JSON.
fn near_json() -> impl Strategy<Value = Vec<u8>> {
    const TOKENS: &[&str] =
        &["{", "}", "[", "]", ",", ":", " ", "\"", "\\", "\"k\"", "1", "-", "0", ".", "e", "true", "nul", "\\u", "\\ud800", "\\udc00", "\t", "\u{0}", "\u{1f}"];
    let edit = (any::<prop::sample::Index>(), 0..TOKENS.len() + 1, any::<bool>());
    (any_json(), prop::collection::vec(edit, 1..3)).prop_map(|(value, edits)| {
        let mut text = value.to_string().into_bytes();
        for (at, token, after) in edits {
            let punctuation: Vec<usize> = text.iter().enumerate().filter(|(_, b)| b"{}[],:\"".contains(b)).map(|(i, _)| i).collect();
            if punctuation.is_empty() {
                continue;
            }
            let i = punctuation[at.index(punctuation.len())] + usize::from(after);
            match TOKENS.get(token) {
                Some(token) => drop(text.splice(i..i, token.bytes())),
                None if i < text.len() => drop(text.remove(i)),
                None => {}
            }
        }
        text
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn the_tape_accepts_only_what_the_precise_path_accepts(text in near_json()) {
        assert_tape_reads_like_serde(&text);
    }

    #[test]
    fn the_tape_reads_any_json_as_serde_json_does(value in any_json()) {
        let text = value.to_string();
        let mut tape = Tape::default();
        prop_assert!(tape.parse(&text), "the tape refused JSON: {}", text);
        assert_tape_reads_like_serde(text.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn validators_agree_with_jsonschema_on_valid_calls(call in call(true), batch in prop::collection::vec(call(true), 0..3)) {
        assert_same_schema_verdicts(&call);
        assert_same_schema_verdicts(&json!({"batch": batch, "sentAt": "2026-11-28T18:02:43.022Z"}));
        let text = call.to_string();
        assert_tape_reads_like_serde(text.as_bytes());
        assert_same_verdict(text.as_bytes(), &Options::default(), true);
    }

    #[test]
    fn validators_agree_with_jsonschema_on_mutated_calls(call in call(true), seed in any::<u64>(), edits in 1usize..5) {
        let mut value = call;
        let mut rng = Rng(seed);
        for _ in 0..edits {
            mutate_value(&mut value, &mut rng);
        }
        assert_same_schema_verdicts(&value);
        for (options, exact) in options_variants() {
            assert_same_verdict(value.to_string().as_bytes(), &options, exact);
        }
    }

    #[test]
    fn validators_agree_with_jsonschema_on_mutated_real_payloads(doc in 0usize..1000, seed in any::<u64>(), edits in 0usize..5) {
        let docs = real_documents();
        let source = &docs[doc % docs.len()];
        if let Ok(mut value) = serde_json::from_str::<Value>(source) {
            let mut rng = Rng(seed);
            for _ in 0..edits {
                mutate_value(&mut value, &mut rng);
            }
            assert_same_schema_verdicts(&value);
        }
    }

    #[test]
    fn the_fast_path_vouches_exactly_when_nothing_is_reported(doc in 0usize..1000, seed in any::<u64>(), value_edits in 0usize..4, byte_edits in 0usize..3) {
        let docs = real_documents();
        let line = mutated_line(&docs[doc % docs.len()], seed, value_edits, byte_edits);
        assert_tape_reads_like_serde(&line);
        for (options, exact) in options_variants() {
            assert_same_verdict(&line, &options, exact);
        }
    }

    #[test]
    fn runs_are_the_same_with_or_without_the_fast_path(docs in prop::collection::vec((0usize..1000, any::<u64>(), 0usize..3, 0usize..2), 1..12), layout in 0usize..3) {
        let all = real_documents();
        let mut text = Vec::new();
        for (doc, seed, value_edits, byte_edits) in docs {
            text.extend(mutated_line(&all[doc % all.len()], seed, value_edits, byte_edits));
            text.push(b'\n');
        }
        let layout = [Layout::Lines, Layout::Sniff, Layout::Document][layout];
        for (options, _) in options_variants() {
            assert_same_run(&text, layout, &options);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Whole inputs: the fixtures, the examples, generated corpora with every kind of fault.

/// One line per kind of fault, each on an otherwise valid call.
fn faulty_lines() -> Vec<Vec<u8>> {
    let base = json!({
        "type": "track", "event": "Course Enrolled", "userId": "u1", "anonymousId": "a1", "messageId": "m1",
        "timestamp": "2026-11-28T18:02:43.022Z", "properties": {"revenue": 12.5, "currency": "USD"},
        "context": {"library": {"name": "analytics.js", "version": "2.11.1"}, "traits": {"email": "a@example.com"}, "protocols": {"event_version": 2}},
        "integrations": {"All": true}
    });
    let identify = json!({"type": "identify", "userId": "u1", "traits": {"email": "a@example.com", "first_name": "A", "createdAt": "2026-11-28T18:02:43Z"}});
    let edits: Vec<(&Value, &str, Option<Value>)> = vec![
        (&base, "/type", None),
        (&base, "/type", Some(json!("identity"))),
        (&base, "/type", Some(json!(3))),
        (&base, "/userId", None),
        (&base, "/event", None),
        (&base, "/event", Some(json!(""))),
        (&base, "/event", Some(json!(" \u{a0}"))),
        (&base, "/context", Some(json!("web"))),
        (&base, "/properties/revenue", Some(json!("$12.99"))),
        (&base, "/properties/currency", Some(json!("usd"))),
        (&base, "/integrations/All", Some(json!("yes"))),
        (&base, "/anonymousId", Some(json!(""))),
        (&base, "/anonymousId", Some(json!(42))),
        (&base, "/user_id", Some(json!("u2"))),
        (&base, "/timestamp", Some(json!("yesterday"))),
        (&base, "/timestamp", Some(json!("1679407797"))),
        (&base, "/timestamp", Some(json!("2023-03-21T12:00:00"))),
        (&base, "/sentAt", Some(json!("2023-03-21"))),
        (&base, "/messageId", Some(json!("x".repeat(100)))),
        (&base, "/email", Some(json!("n/a"))),
        (&base, "/context/traits/email", Some(json!("cool person"))),
        (&base, "/context/protocols/event_version", Some(json!(1.5))),
        (&base, "/context/protocols/event_version", Some(json!(2.0))),
        (&identify, "/traits/first_name", Some(json!(1))),
        (&identify, "/traits/created_at", Some(json!("soon"))),
        (&identify, "/traits/createdAt", Some(json!("2023-03-21T12:00:00"))),
        (&identify, "/traits/birthday", Some(json!("someday"))),
        (&identify, "/traits/email", Some(json!(["a@example.com"]))),
        (&identify, "/userId", Some(json!(" "))),
    ];
    let mut lines: Vec<String> = edits
        .into_iter()
        .map(|(doc, pointer, value)| {
            let mut doc = doc.clone();
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
            let target = doc.pointer_mut(parent).and_then(Value::as_object_mut).expect("an object");
            match value {
                Some(v) => target.insert(key.to_string(), v),
                None => target.remove(key),
            };
            doc.to_string()
        })
        .collect();
    let valid = base.to_string();
    lines.extend([
        valid.clone(),
        identify.to_string(),
        valid.replacen("\"userId\":\"u1\"", "\"userId\":\"u1\",\"userId\":\"u2\"", 1),
        valid.replacen('}', "},", 1),
        valid[..valid.len() / 2].to_string(),
        "\u{feff}".to_string() + &valid,
        "{\"type\":\"track\",\"event\":\"\\udc00\",\"userId\":\"u\"}".to_string(),
        // Escaped lone surrogates: high alone, low alone, a reversed pair, in a key, two keys
        // one once read, beside a missing identity, in a batch and its envelope; a pair is fine.
        r#"{"type":"track","event":"E","userId":"u","properties":{"title":"Best day \ud83d"}}"#.to_string(),
        r#"{"type":"track","event":"E","userId":"u","properties":{"title":"\uDE00 best day"}}"#.to_string(),
        r#"{"type":"track","event":"E","userId":"u","properties":{"title":"\ude00\ud83d"}}"#.to_string(),
        r#"{"type":"track","event":"E","userId":"u","properties":{"title":"\ud83d\ude00"}}"#.to_string(),
        r#"{"type":"track","event":"E","userId":"u","properties":{"k\ud800":1}}"#.to_string(),
        r#"{"type":"track","event":"E","userId":"u","properties":{"k\ud800":1,"k\udbff":2}}"#.to_string(),
        r#"{"type":"track","event":"Shared \ud83d"}"#.to_string(),
        r#"{"batch":[{"type":"track","event":"E","userId":"u"},{"type":"track","event":"\ud800\ud800","userId":"u"}],"writeKey":"\udfff"}"#.to_string(),
        "42".into(),
        "[]".into(),
        format!("[{valid},{valid}]"),
        format!("[{valid},\"x\"]"),
        json!({"batch": [base, identify], "sentAt": "2026-11-28T18:02:43.022Z", "context": {"ip": "1.2.3.4"}}).to_string(),
        json!({"batch": [base], "sentAt": "yesterday"}).to_string(),
        json!({"batch": "all"}).to_string(),
        json!({"batch": vec![json!({"type": "alias", "previousId": "a", "userId": "b"}); 2501]}).to_string(),
        json!({"type": "track", "event": "E", "userId": "u", "properties": {"blob": "y".repeat(40 * 1024)}}).to_string(),
        json!({"type": "track", "event": "E", "userId": "u", "properties": {"blob": "y".repeat(10 * 1024)}}).to_string(),
        format!("{}{}{}", "{\"a\":".repeat(130), 1, "}".repeat(130)),
        "   ".into(),
        String::new(),
    ]);
    let mut lines: Vec<Vec<u8>> = lines.into_iter().map(String::into_bytes).collect();
    lines.push(b"{\"type\":\"track\",\"event\":\"\xff\",\"userId\":\"u\"}".to_vec());
    lines
}

fn write(name: &str, text: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("differential");
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("writable");
    path
}

/// The benchmark corpus generator's output, when the generator is at hand.
fn generated_corpus(calls: usize, invalid: f64) -> Option<PathBuf> {
    let script = Path::new(ROOT).join("../shared/bench/gen_corpus.py");
    if !script.exists() {
        eprintln!("{} is missing: generated corpora not checked", script.display());
        return None;
    }
    let path = write(&format!("corpus-{calls}-{invalid}.ndjson"), b"");
    let status = std::process::Command::new("python3").arg(&script).arg(calls.to_string()).arg(&path).arg(invalid.to_string()).status().ok()?;
    status.success().then_some(path)
}

fn assert_same_paths(paths: &[String]) {
    let plan =
        cdpspec::plan::PlanValidator::new(cdpspec::plan::load(Path::new(&format!("{ROOT}/examples/plan/courses.yaml"))).unwrap(), "courses.yaml").unwrap();
    let mut variants: Vec<Options> = options_variants().into_iter().map(|(o, _)| o).collect();
    variants.push(Options { plan: Some(std::sync::Arc::new(plan)), ..Options::default() });
    let (sources, _) = input::expand(paths);
    for options in &variants {
        let mut summary = Summary::default();
        let mut reference = Vec::new();
        for source in &sources {
            summary.files += 1;
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut source.open().expect("readable"), &mut bytes).expect("readable");
            let options = Options { default_type: options.default_type.or_else(|| source.implied_type()), ..options.clone() };
            reference.extend(reference_run(&source.display_name(), &bytes, source.layout(), &options, &mut summary));
        }
        let precise = run_paths(paths, options, Route::Precise);
        assert_eq!(precise.1, summary, "summary of {paths:?}, precise path against the reference");
        assert!(precise.0 == reference, "diagnostics of {paths:?}, precise path against the reference");
        for jobs in [1, 2, 0] {
            let fast = run_paths(paths, options, Route::Fast(jobs));
            assert_eq!(fast.1, precise.1, "summary of {paths:?} with {jobs} threads");
            assert!(fast.0 == precise.0, "diagnostics of {paths:?} with {jobs} threads differ");
        }
    }
}

#[test]
fn fixtures_and_examples_give_the_same_diagnostics() {
    assert_same_paths(&[format!("{ROOT}/tests/fixtures"), format!("{ROOT}/examples")]);
}

#[test]
fn every_kind_of_fault_gives_the_same_diagnostics() {
    let lines = faulty_lines();
    let text = lines.join(&b'\n');
    let path = write("faults.ndjson", &text);
    assert_same_paths(&[path.display().to_string()]);
    // Every faulty line is one the fast path hands on; the valid ones it keeps.
    let fast = FastPath::new(&Options::default());
    let (diagnostics, _) = run_text(&text, Layout::Lines, &Options::default(), Route::Precise);
    for (i, line) in lines.iter().enumerate() {
        let reported = diagnostics.iter().any(|d| d.line == i + 1);
        if !line.trim_ascii().is_empty() && !line.starts_with(b"\xEF\xBB\xBF") {
            assert_eq!(fast.clean_calls(line).is_none(), reported, "line {}: {:.200}", i + 1, String::from_utf8_lossy(line));
        }
    }
    // The same lines in batches of the whole file, with Windows line ends and a byte order mark.
    let mut crlf = b"\xEF\xBB\xBF".to_vec();
    crlf.extend(lines.join(&b"\r\n"[..]));
    crlf.extend(b"\r\n");
    assert_same_run(&crlf, Layout::Lines, &Options::default());
    assert_same_run(&crlf, Layout::Sniff, &Options::default());
}

#[test]
fn generated_corpora_give_the_same_diagnostics() {
    for (calls, invalid) in [(3000, 0.0), (3000, 0.3)] {
        if let Some(path) = generated_corpus(calls, invalid) {
            assert_same_paths(&[path.display().to_string()]);
        }
    }
}

#[test]
fn large_inputs_span_many_batches_in_order() {
    // More than one read batch (1 MiB), so that batches are checked out of order on the pool.
    let lines = faulty_lines();
    let mut text = Vec::new();
    let mut i = 0;
    while text.len() < 5 << 20 {
        text.extend(&lines[i % lines.len()]);
        text.push(b'\n');
        i += 1;
    }
    assert_same_run(&text, Layout::Lines, &Options::default());
    // A source without a final line end, and one long line across batches.
    let mut long = json!({"type": "track", "event": "E", "userId": "u", "properties": {"blob": "z".repeat(3 << 20)}}).to_string().into_bytes();
    long.push(b'\n');
    long.extend(&lines[0]);
    assert_same_run(&long, Layout::Lines, &Options::default());
    // Lines over the record limit, read through while batches fill: one longer than a batch, and
    // many around the limit, anywhere in a batch.
    let limited = |record_bytes| Options { limits: Limits { record_bytes, ..Limits::default() }, ..Options::default() };
    assert_same_run(&long, Layout::Lines, &limited(1 << 20));
    assert_same_run(&long, Layout::Sniff, &limited(1 << 20));
    assert_same_run(&text, Layout::Lines, &limited(300));
}

#[test]
fn blank_identifiers_and_events_are_blank_as_ecma_262_says() {
    let chars = [
        '\t', '\n', '\u{b}', '\u{c}', '\r', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{180e}', '\u{2000}', '\u{200a}', '\u{200b}', '\u{2028}', '\u{2029}',
        '\u{202f}', '\u{205f}', '\u{3000}', '\u{feff}', 'x',
    ];
    for c in chars {
        for text in [c.to_string(), format!("{c}{c}"), format!(" {c} ")] {
            for (call, field) in
                [("track", "event"), ("track", "userId"), ("page", "anonymousId"), ("group", "groupId"), ("alias", "previousId"), ("alias", "userId")]
            {
                let mut doc = json!({"type": call, "event": "E", "userId": "u", "groupId": "g", "previousId": "p"});
                doc[field] = json!(text);
                assert_same_schema_verdicts(&doc);
                assert_same_verdict(doc.to_string().as_bytes(), &Options::default(), true);
            }
        }
    }
}

#[test]
fn tape_and_serde_agree_on_numbers_and_strings() {
    for text in [
        "1",
        "-0",
        "0.5",
        "1e2",
        "1E+2",
        "1e-2",
        "123456789012345678901234567890",
        "1.7976931348623157e308",
        "1.7976931348623159e308",
        "2.2250738585072011e-308",
        "4.9e-325",
        "\"\\u0000\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud83d\"",
        "\"\\ude00\\ud83d\"",
        "\"\\ud83d\\ud83d\\ude00\"",
        "{\"\\ud800\":1,\"\\udfff\":2}",
        "\"\\/\"",
        "\"é\u{2028}\"",
        "[1,[2,[3]]]",
        "{\"a\":{\"a\":{\"a\":null}}}",
        " \t\r[ ] ",
    ] {
        assert_tape_reads_like_serde(text.as_bytes());
        let mut tape = Tape::default();
        assert_eq!(tape.parse(text), surrogates::parse(text.as_bytes()).is_ok(), "{text}");
    }
}
