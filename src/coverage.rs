//! `cdpspec coverage`.

use std::io::{self, Write};
use std::path::PathBuf;

use cdpspec::config::Overrides;
use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage, Evaluated, Evaluation, Format, Gate, InvalidCalls, render};
use cdpspec::engine::Engine;
use cdpspec::input;
use cdpspec::{CallType, destination};
use serde_json::{Value, json};

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::{ConfigFile, NO_INPUT, parse_call_type};

#[derive(clap::Args)]
pub struct Args {
    /// Files (.json, .ndjson, .jsonl), directories or `-` for stdin: the corpus of calls.
    /// Default: `paths` of cdpspec.toml.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// A bundled destination (customerio, mixpanel, amplitude, webhook) or a destination file.
    /// Default: `destination` of cdpspec.toml.
    #[arg(long, short, value_name = "NAME|FILE")]
    destination: Option<String>,
    /// A tracking plan: also report planned events never seen and seen events it lacks.
    #[arg(long, value_name = "PLAN")]
    plan: Option<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Fail (exit 1) when fewer than PCT percent of the calls are covered.
    #[arg(long, value_name = "PCT")]
    fail_under: Option<f64>,
    /// Fail (exit 1) when any call reached no action (`dropped`) or any action failed (`failed`).
    #[arg(long, value_enum, value_name = "GATE")]
    fail_on: Vec<Gate>,
    /// Count calls that `cdpspec validate` reports errors in (no identity, a wrong type...) as
    /// failed, whatever the destination's actions did. By default they are evaluated as sent.
    #[arg(long)]
    invalid_as_failed: bool,
    /// Print one JSON object per call instead of the report: path, line, index, type, event, and
    /// the actions it triggered with whether each succeeded and which fields were missing.
    #[arg(long)]
    per_call: bool,
    /// Threads to evaluate with; 0 (the default) means one per core. Output order and counts
    /// are the same for any number.
    #[arg(long, short, default_value_t = 0, value_name = "N")]
    jobs: usize,
    /// The type of top-level payloads that have no `type` field.
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    #[command(flatten)]
    config: ConfigFile,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides = Overrides {
        call_type: args.call_type,
        plan: args.plan.clone(),
        destination: args.destination.clone(),
        paths: args.paths.clone(),
        ..Overrides::default()
    };
    let settings = match args.config.resolve(&overrides) {
        Ok((_, settings)) => settings,
        Err(e) => return fail(e),
    };
    if settings.destination.is_none() {
        return fail(format!("no destination: give --destination NAME|FILE (bundled: {}) or `destination` in cdpspec.toml", destination::names().join(", ")));
    }
    if settings.paths.is_empty() {
        return fail(NO_INPUT);
    }
    // The plan checks calls as `validate --plan` does, and is compared with the events seen.
    let engine = match Engine::new(&settings) {
        Ok(engine) => engine,
        Err(e) => return fail(e),
    };
    let plan = engine.options().plan.clone();
    let evaluation = Evaluation::new(engine).expect("settings name a destination").with_jobs(args.jobs);
    let compiled = evaluation.destination();
    let (sources, unreadable) = input::expand(&settings.paths);
    for (path, e) in &unreadable {
        eprintln!("cdpspec: cannot read {path}: {e}");
    }
    let treatment = if args.invalid_as_failed { InvalidCalls::Failed } else { InvalidCalls::Evaluated };
    let mut coverage = Coverage::new(compiled).with_invalid_calls(treatment);
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut io_errors = unreadable.len();
    for source in &sources {
        let mut visit = |record: Evaluated| match record {
            Evaluated::Blank => {}
            Evaluated::Unparsed => coverage.unparsed += 1,
            Evaluated::Calls(calls) => {
                for record in &calls {
                    if args.per_call {
                        let _ = writeln!(out, "{}", per_call(record, compiled));
                    }
                    coverage.add(record);
                }
            }
        };
        if let Err(e) = evaluation.source(source, &mut visit) {
            eprintln!("cdpspec: cannot read {}: {e}", source.display_name());
            io_errors += 1;
        }
    }
    coverage.finish(plan.as_deref().map(|p| p.plan()));
    if args.per_call {
        eprint!("{}", render(&coverage, Format::Human).lines().take(2).collect::<Vec<_>>().join("\n") + "\n");
    } else {
        let _ = write!(out, "{}", render(&coverage, args.format));
    }
    let _ = out.flush();
    let failures = coverage.failures(args.fail_under, &args.fail_on);
    for f in &failures {
        eprintln!("cdpspec: {f}");
    }
    if io_errors > 0 { ExitStatus::Error } else { ExitStatus::failure_if(!failures.is_empty()) }
}

fn per_call(record: &CallRecord, destination: &CompiledDestination) -> Value {
    let actions: Vec<Value> = record.outcomes.iter().map(|o| destination.describe(o)).collect();
    let mut object = json!({"path": record.path, "line": record.line, "type": record.call_type, "event": record.event, "actions": actions});
    if !record.errors.is_empty() {
        object["errors"] = record.errors.iter().map(|r| json!({"code": r.code(), "rule": r.name()})).collect();
    }
    if let Some(i) = record.index {
        object["index"] = json!(i);
    }
    object
}
