//! `cdpspec validate`.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cdpspec::check::Options;
use cdpspec::check::limits::Limits;
use cdpspec::output::Format;
use cdpspec::plan::PlanValidator;
use cdpspec::progress::Progress;
use cdpspec::rule::Severities;
use cdpspec::split::{Output, Split};
use cdpspec::validate::Validation;
use cdpspec::{CallType, config, input};

use super::fail;

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
    /// A tracking plan (YAML or JSON) whose rules apply on top of the canonical ones.
    #[arg(long, value_name = "PLAN")]
    plan: Option<PathBuf>,
    /// Set a rule's severity: RULE=error|warning|off (by code or name); repeatable.
    #[arg(long = "severity", value_name = "RULE=LEVEL", value_parser = Severities::parse_assignment)]
    severities: Vec<(cdpspec::Rule, cdpspec::rule::Level)>,
    /// Set a limit: NAME=N, with NAME one of call-bytes, batch-bytes, batch-calls,
    /// message-id-chars (defaults: the pipeline's 32768, 512000, 2500, 100); repeatable.
    #[arg(long = "limit", value_name = "NAME=N", value_parser = Limits::parse_assignment)]
    limits: Vec<(String, usize)>,
    /// The config file (default: the nearest cdpspec.toml from the working directory up).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
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
    /// every record that did not parse, as read. With --valid-out, each call goes to exactly one.
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

/// The project's config: `--config`, or the nearest cdpspec.toml, or none.
pub fn config(explicit: Option<&std::path::Path>) -> Result<config::Config, config::ConfigError> {
    let path = explicit.map(PathBuf::from).or_else(|| std::env::current_dir().ok().and_then(|d| config::discover(&d)));
    Ok(path.map(|p| config::load(&p)).transpose()?.unwrap_or_default())
}

pub fn parse_call_type(s: &str) -> Result<CallType, String> {
    s.parse().map_err(|_| {
        let names = CallType::ALL.iter().map(CallType::as_str);
        let hint = cdpspec::suggest::closest(s, names.clone()).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
        format!("`{s}` is not a call type; {hint}expected one of {}", names.collect::<Vec<_>>().join(", "))
    })
}

pub fn run(args: Args) -> i32 {
    let config = match config(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let paths = if args.paths.is_empty() { config.paths.clone() } else { args.paths.clone() };
    if paths.is_empty() {
        return fail("no input: give PATH arguments (or `-` for stdin), or `paths` in cdpspec.toml");
    }
    let deny_warnings = args.deny.contains(&Deny::Warnings) || config.deny_warnings;
    let mut severities = config.severities.clone();
    for (rule, level) in &args.severities {
        severities.set(*rule, *level);
    }
    let plan = match args.plan.clone().or(config.plan.clone()) {
        Some(path) => match load_plan(&path) {
            Ok(plan) => Some(Arc::new(plan)),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let mut limits = config.limits;
    for (name, value) in &args.limits {
        if let Err(e) = limits.set(name, *value) {
            return fail(e);
        }
    }
    let options = Options { default_type: args.call_type.or(config.call_type), plan, severities, limits };
    let (sources, unreadable) = input::expand(&paths);
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
    let progress = if args.no_progress { None } else { Progress::for_stderr(total_size(&sources)) };
    // Diagnostics on the terminal the bar is drawn on go around it, a line at a time.
    let out: Box<dyn io::Write> = match &progress {
        Some(progress) if io::stdout().is_terminal() => Box::new(io::BufWriter::new(progress.writer(io::stdout().lock()))),
        _ => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let mut emitter = args.format.emitter(out, Box::new(io::stderr()));
    let mut run = Validation::new(options, emitter.as_mut()).with_jobs(args.jobs);
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
            Ok(_) => 2,
            Err(e) => super::output_failed(&e),
        };
    }
    let summary = match run.finish() {
        Ok(summary) => summary,
        Err(e) => return super::output_failed(&e),
    };
    let code = super::exit_code(&summary);
    if code == 0 && deny_warnings && summary.warnings > 0 {
        eprintln!("cdpspec: {}, and warnings are denied (--deny warnings)", cdpspec::words::plural(summary.warnings, "warning"));
        return 1;
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

/// Loads and compiles a plan; the error names the file and the offending rule.
pub fn load_plan(path: &std::path::Path) -> Result<PlanValidator, String> {
    let plan = cdpspec::plan::load(path).map_err(|e| format!("cannot load plan: {e}"))?;
    PlanValidator::new(plan, path.display().to_string()).map_err(|e| format!("plan does not compile: {e}"))
}
