//! `cdpspec validate`.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use cdpspec::check::Options;
use cdpspec::output::Format;
use cdpspec::plan::PlanValidator;
use cdpspec::rule::Severities;
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
}

/// What `--deny` can make fail a run.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    /// Warnings fail the run.
    Warnings,
}

/// The project's config: `--config`, or the nearest cdpspec.toml, or none.
pub fn config(explicit: Option<&std::path::Path>) -> Result<config::Config, String> {
    let path = explicit.map(PathBuf::from).or_else(|| std::env::current_dir().ok().and_then(|d| config::discover(&d)));
    Ok(path.map(|p| config::load(&p)).transpose()?.unwrap_or_default())
}

pub fn parse_call_type(s: &str) -> Result<CallType, String> {
    s.parse().map_err(|_| format!("`{s}` is not a call type; expected one of {}", CallType::ALL.iter().map(CallType::as_str).collect::<Vec<_>>().join(", ")))
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
    let options = Options { default_type: args.call_type.or(config.call_type), plan, severities };
    let (sources, unreadable) = input::expand(&paths);
    let mut emitter = args.format.emitter(Box::new(io::BufWriter::new(io::stdout().lock())), Box::new(io::stderr()));
    let mut run = Validation::new(options, emitter.as_mut()).with_jobs(args.jobs);
    for (path, error) in &unreadable {
        eprintln!("cdpspec: cannot read {path}: {error}");
        run.unreadable();
    }
    for source in &sources {
        if let Err(error) = run.source(source) {
            eprintln!("cdpspec: cannot read {}: {error}", source.display_name());
        }
    }
    let summary = run.summary.clone();
    let code = run.finish();
    if code == 0 && deny_warnings && summary.warnings > 0 {
        eprintln!("cdpspec: {} warnings, and warnings are denied (--deny warnings)", summary.warnings);
        return 1;
    }
    code
}

/// Loads and compiles a plan; the error names the file and the offending rule.
pub fn load_plan(path: &std::path::Path) -> Result<PlanValidator, String> {
    let plan = cdpspec::plan::load(path).map_err(|e| format!("cannot load plan: {e}"))?;
    PlanValidator::new(plan, path.display().to_string()).map_err(|e| format!("plan does not compile: {e}"))
}
