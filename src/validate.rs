//! `cdpspec validate`.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::progress::Bar;
use cdpspec::config::Overrides;
use cdpspec::engine::Engine;
use cdpspec::output::{Colour, Format};
use cdpspec::split::{Output, Split};
use cdpspec::validate::Validation;
use cdpspec::{CallType, input};

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::{Checking, NO_INPUT, parse_call_type};

#[derive(clap::Args)]
pub struct Args {
    /// Files (.json, .ndjson, .jsonl), directories (searched recursively) or `-` for stdin.
    /// Default: `paths` of cdpspec.toml.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// The type of top-level payloads that have no `type` field (as when posted to /v1/alias).
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    #[command(flatten)]
    checking: Checking,
    /// Threads to check with; 0 (the default) means one per core. Output order and counts are
    /// the same for any number.
    #[arg(long, short, default_value_t = 0, value_name = "N")]
    jobs: usize,
    /// Fail on these too: `--deny warnings` makes warnings fail the run (exit code 1).
    #[arg(long, value_enum, value_name = "WHAT")]
    deny: Vec<Deny>,
    /// Write every call without errors, unchanged, to FILE (NDJSON, one call per line; gzip when
    /// FILE ends in .gz).
    #[arg(long, value_name = "FILE")]
    valid_out: Option<PathBuf>,
    /// Write every call with errors to FILE, its violations under `context.violationErrors`, and
    /// every record that did not parse, as read (but not one over `record-bytes`, which is never
    /// held). With --valid-out, each call goes to exactly one.
    #[arg(long, value_name = "FILE")]
    invalid_out: Option<PathBuf>,
    /// Never show the progress bar (it shows on a terminal, outside CI, once a run takes a second).
    #[arg(long)]
    no_progress: bool,
}

/// What `--deny` can make fail a run.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the run.
    Warnings,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides =
        Overrides { call_type: args.call_type, paths: args.paths.clone(), deny_warnings: args.deny.contains(&Deny::Warnings), ..args.checking.overrides() };
    let settings = match args.checking.config.resolve(&overrides) {
        Ok((_, settings)) => settings,
        Err(e) => return fail(e),
    };
    if settings.paths.is_empty() {
        return fail(NO_INPUT);
    }
    let engine = match Engine::new(&settings) {
        Ok(engine) => engine,
        Err(e) => return fail(e),
    };
    let deny_warnings = settings.deny_warnings;
    let (sources, unreadable) = input::expand(&settings.paths);
    if !unreadable.is_empty() && (args.valid_out.is_some() || args.invalid_out.is_some()) {
        // A split of part of the input would replace the outputs with part of the calls.
        for (path, error) in &unreadable {
            eprintln!("cdpspec: cannot read {path}: {error}");
        }
        return fail("nothing written: --valid-out and --invalid-out are left as they were while an input is missing");
    }
    let split = match split(&args, &sources) {
        Ok(split) => split,
        Err(e) => return fail(e),
    };
    let progress = if args.no_progress { None } else { Bar::for_stderr(total_size(&sources)) };
    // Diagnostics on the terminal the bar is drawn on go around it, a line at a time.
    let out: Box<dyn io::Write> = match &progress {
        Some(progress) if io::stdout().is_terminal() => Box::new(io::BufWriter::new(progress.writer(io::stdout().lock()))),
        _ => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let colour = Colour::detect(io::stdout().is_terminal());
    let mut emitter = args.format.emitter(out, Box::new(io::stderr()), colour);
    let mut run = Validation::with_engine(engine, emitter.as_mut()).with_jobs(args.jobs);
    if let Some(split) = split {
        run = run.with_split(split);
    }
    if let Some(progress) = progress {
        run = run.with_progress(progress);
    }
    for (path, error) in &unreadable {
        eprintln!("cdpspec: cannot read {path}: {error}");
        run.unreadable();
    }
    for source in &sources {
        if run.output_error().is_some() {
            break;
        }
        if let Err(error) = run.source(source) {
            eprintln!("cdpspec: cannot read {}: {error}", source.display_name());
        }
    }
    if let Err(e) = run.finish_split() {
        eprintln!("cdpspec: cannot write {e}");
        return match run.finish() {
            Ok(_) => ExitStatus::Error,
            Err(e) => crate::commands::output_failed(&e),
        };
    }
    let summary = match run.finish() {
        Ok(summary) => summary,
        Err(e) => return crate::commands::output_failed(&e),
    };
    let code = crate::commands::exit_status(&summary);
    if code == ExitStatus::Success && deny_warnings && summary.warnings > 0 {
        eprintln!("cdpspec: {}, and warnings are denied (--deny warnings)", cdpspec::words::plural(summary.warnings, "warning"));
        return ExitStatus::Failure;
    }
    code
}

/// The size of all inputs, when they are all files.
fn total_size(sources: &[input::Source]) -> Option<u64> {
    sources.iter().map(input::Source::size).sum()
}

/// The outputs of `--valid-out` and `--invalid-out`, created; refused when they are one file or
/// would overwrite an input.
fn split(args: &Args, sources: &[input::Source]) -> Result<Option<Split>, String> {
    if args.valid_out.is_none() && args.invalid_out.is_none() {
        return Ok(None);
    }
    // One file by name, or by what the names lead to (links, `..`) when both exist.
    let same = |a: &Path, b: &Path| {
        matches!((std::path::absolute(a), std::path::absolute(b)), (Ok(a), Ok(b)) if a == b)
            || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
    };
    if let (Some(valid), Some(invalid)) = (&args.valid_out, &args.invalid_out)
        && same(valid, invalid)
    {
        return Err(format!("--valid-out and --invalid-out are both {}; give two files", valid.display()));
    }
    let create = |path: &Option<PathBuf>, flag: &str| -> Result<Option<Output>, String> {
        let Some(path) = path else { return Ok(None) };
        if let Some(input) = sources.iter().find(|s| matches!(s, input::Source::File(f) if same(f, path))) {
            return Err(format!("{flag} {} is also an input; it would be overwritten while read", input.display_name()));
        }
        Output::create(path).map(Some).map_err(|e| format!("cannot create {flag} {}: {e}", path.display()))
    };
    Ok(Some(Split::new(create(&args.valid_out, "--valid-out")?, create(&args.invalid_out, "--invalid-out")?)))
}
