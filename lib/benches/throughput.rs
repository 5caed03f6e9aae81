//! Throughput of `cdpspec validate` and `cdpspec coverage` against their baselines, measured in
//! one run so the ratios hold on a busy machine: `cargo bench -p cdpspec --bench throughput`.
//!
//! The corpora are written by `../shared/bench/gen_corpus.py` into `target/bench/` when
//! missing: 200,000 calls (`CDPSPEC_BENCH_CALLS` sets another number), valid and with 10%
//! broken. Every measurement reads the corpus from memory, line by line, and is repeated
//! (`CDPSPEC_BENCH_ROUNDS`, default 15) in interleaved rounds; the fastest round counts (on a shared 2-core
//! virtual machine, 5 rounds left the two-thread figures at the mercy of the host).
//! `CDPSPEC_BENCH_ONLY=text` runs only the measurements whose name contains `text` (or one of
//! the texts between `|`: `CDPSPEC_BENCH_ONLY='serde_json parse|coverage'`), for profiling and
//! for the ratios of those measurements.
//!
//! With the tracking plan `benches/plan.yaml` (every event, page, screen, identify and group call
//! of the corpus, all valid against it), validation is measured with the plan beside validation
//! without it, and with the plan and a common rule on every call's `context`; the share of calls
//! the fast path vouches for with each is printed.

#[path = "../../tests/common/corpus.rs"]
mod corpus;

use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cdpspec::check::Options;
use cdpspec::config::Settings;
use cdpspec::coverage::{Coverage, Evaluated, Evaluation};
use cdpspec::engine::Engine;
use cdpspec::input::Layout;
use cdpspec::output::{Colour, Emitter, Format};
use cdpspec::plan::PlanValidator;
use cdpspec::testing::fast::FastPath;
use cdpspec::testing::fast::tape::Tape;
use cdpspec::validate::Validation;
use cdpspec::{Diagnostic, Summary};

/// Counts diagnostics and nothing else.
struct Count(usize);

impl Emitter for Count {
    fn diagnostic(&mut self, _: &Diagnostic) -> std::io::Result<()> {
        self.0 += 1;
        Ok(())
    }
    fn finish(&mut self, _: &Summary) -> std::io::Result<()> {
        Ok(())
    }
}

fn lines(corpus: &[u8]) -> impl Iterator<Item = &[u8]> {
    memchr::memchr_iter(b'\n', corpus).scan(0, move |start, end| {
        let line = &corpus[*start..end];
        *start = end + 1;
        Some(line)
    })
}

/// The benchmark's tracking plan (`benches/plan.yaml`), which every call of the corpus meets.
/// With `common_context`, a common rule on every call's `context` is added to it (the corpus
/// meets it too), which the fast path checks on every call but alias ones.
fn plan(common_context: bool) -> Arc<PlanValidator> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/plan.yaml");
    let mut plan = cdpspec::plan::load(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    if common_context {
        let context = serde_json::json!({
            "type": "object",
            "properties": {
                "library": {
                    "type": "object",
                    "properties": {"name": {"type": "string", "minLength": 1}, "version": {"type": "string", "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+$"}},
                    "required": ["name", "version"]
                },
                "locale": {"type": "string", "enum": ["en-US", "de-DE", "fr-FR"]},
                "timezone": {"type": "string"},
                "userAgent": {"type": "string"}
            },
            "required": ["library"]
        });
        plan.common = Some(cdpspec::plan::Rule { context: Some(context), ..Default::default() });
    }
    Arc::new(PlanValidator::new(plan, path.display().to_string()).unwrap_or_else(|e| panic!("{e}")))
}

/// Runs `cdpspec validate` over `corpus` in memory; returns the calls checked.
fn validate(corpus: &[u8], jobs: usize, fast: bool, diagnostics: bool) -> usize {
    validate_with(Options::default(), corpus, jobs, fast, diagnostics)
}

/// [`validate`] with `options` (a plan).
fn validate_with(options: Options, corpus: &[u8], jobs: usize, fast: bool, diagnostics: bool) -> usize {
    let mut count = Count(0);
    let mut json = Format::Json.emitter(Box::new(io::sink()), Box::new(io::sink()), Colour::Never);
    let emitter: &mut dyn Emitter = if diagnostics { json.as_mut() } else { &mut count };
    let mut run = Validation::new(options, emitter).with_jobs(jobs);
    if !fast {
        run = run.without_fast_path();
    }
    run.reader("corpus.ndjson", corpus, Layout::Lines).expect("in memory");
    let calls = run.summary.calls;
    run.finish().expect("in memory");
    calls
}

/// Runs `cdpspec coverage -d customerio` over `corpus` in memory, the report built as the
/// command builds it; returns the calls evaluated.
fn coverage(corpus: &[u8], jobs: usize) -> usize {
    let settings = Settings { destination: Some("customerio".into()), ..Settings::default() };
    let evaluation = Evaluation::new(Engine::new(&settings).expect("customerio")).expect("a destination").with_jobs(jobs);
    let mut report = Coverage::new(evaluation.destination());
    evaluation
        .reader("corpus.ndjson", corpus, Layout::Lines, &mut |record| {
            if let Evaluated::Calls(calls) = record {
                calls.iter().for_each(|call| report.add(call));
            }
        })
        .expect("in memory");
    report.finish(None);
    report.calls
}

struct Measure {
    name: &'static str,
    bytes: usize,
    calls: usize,
    best: Duration,
    run: Box<dyn FnMut() -> usize>,
}

fn main() {
    let calls: usize = std::env::var("CDPSPEC_BENCH_CALLS").ok().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let rounds: usize = std::env::var("CDPSPEC_BENCH_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15);
    let valid: &'static [u8] = corpus::read(calls, false).leak();
    let invalid: &'static [u8] = corpus::read(calls, true).leak();
    let resources = cdpspec::schema::FILES
        .iter()
        .map(|(name, _)| (format!("{}{name}", cdpspec::schema::BASE_URI), jsonschema::Resource::from_contents(cdpspec::schema::load(name))));
    let registry = jsonschema::Registry::new().extend(resources).and_then(|b| b.prepare()).expect("canonical registry");
    let message = jsonschema::options().offline().with_registry(&registry).build(&cdpspec::schema::load("message.schema.json")).expect("message schema");

    let planned = Options { plan: Some(plan(false)), ..Options::default() };
    let (planned1, planned2) = (planned.clone(), planned.clone());
    let with_context = Options { plan: Some(plan(true)), ..Options::default() };
    let (context1, context2) = (with_context.clone(), with_context.clone());
    let mut measures = vec![
        Measure { name: "split lines (memchr)", bytes: valid.len(), calls, best: Duration::MAX, run: Box::new(|| lines(valid).count()) },
        Measure {
            name: "serde_json parse to Value",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| lines(valid).filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok()).count()),
        },
        Measure {
            name: "sonic-rs parse to Value",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| lines(valid).filter(|l| sonic_rs::from_slice::<sonic_rs::Value>(l).is_ok()).count()),
        },
        Measure {
            name: "cdpspec tape parse (fast path parser)",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| {
                let mut tape = Tape::default();
                lines(valid).filter(|l| std::str::from_utf8(l).is_ok_and(|text| tape.parse(text))).count()
            }),
        },
        Measure {
            name: "serde_json + jsonschema is_valid (message.schema.json)",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(move || lines(valid).filter(|l| serde_json::from_slice::<serde_json::Value>(l).is_ok_and(|v| message.is_valid(&v))).count()),
        },
        Measure {
            name: "cdpspec validate, precise path only, 1 thread",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(valid, 1, false, false)),
        },
        Measure {
            name: "cdpspec validate, precise path only, 1 thread, 10% invalid",
            bytes: invalid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(invalid, 1, false, true)),
        },
        Measure {
            name: "cdpspec validate, 1 thread, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(valid, 1, true, false)),
        },
        Measure {
            name: "cdpspec validate, 2 threads, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(valid, 2, true, false)),
        },
        Measure { name: "cdpspec coverage -d customerio, 1 thread", bytes: valid.len(), calls, best: Duration::MAX, run: Box::new(|| coverage(valid, 1)) },
        Measure { name: "cdpspec coverage -d customerio, 2 threads", bytes: valid.len(), calls, best: Duration::MAX, run: Box::new(|| coverage(valid, 2)) },
        Measure {
            name: "cdpspec validate, plan, 1 thread, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(move || validate_with(planned1.clone(), valid, 1, true, false)),
        },
        Measure {
            name: "cdpspec validate, plan, 2 threads, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(move || validate_with(planned2.clone(), valid, 2, true, false)),
        },
        Measure {
            name: "cdpspec validate, plan and a common context rule, 1 thread, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(move || validate_with(context1.clone(), valid, 1, true, false)),
        },
        Measure {
            name: "cdpspec validate, plan and a common context rule, 2 threads, valid",
            bytes: valid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(move || validate_with(context2.clone(), valid, 2, true, false)),
        },
        Measure {
            name: "cdpspec validate, 1 thread, 10% invalid",
            bytes: invalid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(invalid, 1, true, true)),
        },
        Measure {
            name: "cdpspec validate, 2 threads, 10% invalid",
            bytes: invalid.len(),
            calls,
            best: Duration::MAX,
            run: Box::new(|| validate(invalid, 2, true, true)),
        },
    ];

    if let Ok(only) = std::env::var("CDPSPEC_BENCH_ONLY") {
        measures.retain(|m| only.split('|').any(|text| m.name.contains(text)));
    }
    for (name, options) in [("plan", &planned), ("plan and a common context rule", &with_context)] {
        let fast = FastPath::new(options);
        let vouched = lines(valid).filter(|l| fast.clean_calls(l).is_some()).count();
        let (compiled, sections) = options.plan.as_ref().map_or((0, 0), |p| p.fast_sections());
        eprintln!(
            "{name}: {compiled} of {sections} section schemas compiled for the fast path; it vouches for {vouched} of {calls} valid calls ({:.1}%)",
            vouched as f64 * 100.0 / calls as f64
        );
    }
    eprintln!("{calls} calls, {:.1} MB valid, {:.1} MB 10% invalid; {rounds} rounds", valid.len() as f64 / 1e6, invalid.len() as f64 / 1e6);
    for round in 1..=rounds {
        for m in &mut measures {
            let start = Instant::now();
            let n = (m.run)();
            let elapsed = start.elapsed();
            std::hint::black_box(n);
            m.best = m.best.min(elapsed);
        }
        eprintln!("round {round}/{rounds} done");
    }

    let mb_s = |name: &str| {
        let m = measures.iter().find(|m| m.name == name);
        m.map_or(f64::NAN, |m| m.bytes as f64 / 1e6 / m.best.as_secs_f64())
    };
    let mut out = io::stdout().lock();
    writeln!(out, "| what | MB/s | calls/s | best of {rounds} |").unwrap();
    writeln!(out, "|---|---:|---:|---:|").unwrap();
    for m in &measures {
        let secs = m.best.as_secs_f64();
        writeln!(out, "| {} | {:.0} | {:.0} | {:.3} s |", m.name, m.bytes as f64 / 1e6 / secs, m.calls as f64 / secs, secs).unwrap();
    }
    let one = mb_s("cdpspec validate, 1 thread, valid");
    let ratios = [
        ("full validation, 1 thread / serde_json parse (target >= 1.0)", one / mb_s("serde_json parse to Value")),
        ("10% invalid / valid, 1 thread (target >= 0.5)", mb_s("cdpspec validate, 1 thread, 10% invalid") / one),
        ("10% invalid / valid, 2 threads (target >= 0.5)", mb_s("cdpspec validate, 2 threads, 10% invalid") / mb_s("cdpspec validate, 2 threads, valid")),
        ("2 threads / 1 thread, valid (target >= 1.8)", mb_s("cdpspec validate, 2 threads, valid") / one),
        (
            "2 threads / 1 thread, 10% invalid (target >= 1.8)",
            mb_s("cdpspec validate, 2 threads, 10% invalid") / mb_s("cdpspec validate, 1 thread, 10% invalid"),
        ),
        ("coverage, 1 thread / serde_json parse (target >= 1.0)", mb_s("cdpspec coverage -d customerio, 1 thread") / mb_s("serde_json parse to Value")),
        (
            "coverage, 2 threads / 1 thread (target >= 1.7)",
            mb_s("cdpspec coverage -d customerio, 2 threads") / mb_s("cdpspec coverage -d customerio, 1 thread"),
        ),
        ("full validation, 1 thread / serde_json + jsonschema", one / mb_s("serde_json + jsonschema is_valid (message.schema.json)")),
        ("full validation, 1 thread / precise path only", one / mb_s("cdpspec validate, precise path only, 1 thread")),
        ("with plan / without plan, 1 thread, valid (target >= 0.8)", mb_s("cdpspec validate, plan, 1 thread, valid") / one),
        (
            "with plan / without plan, 2 threads, valid (target >= 0.8)",
            mb_s("cdpspec validate, plan, 2 threads, valid") / mb_s("cdpspec validate, 2 threads, valid"),
        ),
        (
            "with plan and a common context rule / without plan, 1 thread, valid",
            mb_s("cdpspec validate, plan and a common context rule, 1 thread, valid") / one,
        ),
        (
            "with plan and a common context rule / without plan, 2 threads, valid",
            mb_s("cdpspec validate, plan and a common context rule, 2 threads, valid") / mb_s("cdpspec validate, 2 threads, valid"),
        ),
    ];
    writeln!(out).unwrap();
    writeln!(out, "| ratio | value |").unwrap();
    writeln!(out, "|---|---:|").unwrap();
    for (name, value) in ratios.into_iter().filter(|(_, value)| !value.is_nan()) {
        writeln!(out, "| {name} | {value:.2} |").unwrap();
    }
}
