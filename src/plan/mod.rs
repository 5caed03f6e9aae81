//! `cdpspec plan import|infer|check|diff`. Import from RudderStack is in `rudderstack.rs`,
//! `plan infer` in `infer.rs`.

mod git;
mod infer;
mod rudderstack;

use std::path::{Path, PathBuf};

use cdpspec::plan::{self, Format, Plan, diff, lint};
use cdpspec::rule::Severity;
use cdpspec::words::plural;

use crate::commands::fail;
use crate::exit::ExitStatus;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Convert a Segment Protocols plan (plan.json: rules of every type and version, or the
    /// legacy Config API shape), or a RudderStack data catalog (a rudder-cli project directory
    /// of `rudder/v1` YAML: properties, events, categories, custom-types, tracking-plan), to a
    /// cdpspec plan. Anything it cannot represent is an error naming the file and key.
    Import {
        /// The plan to import: a Segment plan file, or a rudder-cli project directory (or one of
        /// its spec files).
        file: PathBuf,
        /// Where to write the plan (YAML, or JSON for a .json path); default: stdout as YAML.
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// What FILE is: `auto` reads a directory, or a file with `version: rudder/...`, as a
        /// RudderStack catalog, and anything else as a Segment plan.
        #[arg(long, value_enum, default_value_t = Source::Auto)]
        from: Source,
        /// The RudderStack tracking plan to import (its `id`), when the project has several.
        #[arg(long, value_name = "ID")]
        tracking_plan: Option<String>,
    },
    /// Infer a draft plan from captured traffic (the inputs `validate` reads): every event with
    /// its properties, types, required properties, enums and formats, identify and group
    /// traits, pages and screens. Conflicting types and near-duplicate names are listed on
    /// stderr for a person to decide, never merged.
    Infer(infer::Args),
    /// Lint a plan: invalid schemas, duplicate events, inconsistent naming, required traits.
    /// Exit code 1 when it finds an error.
    Check {
        /// The plans (YAML or JSON); each is checked on its own.
        #[arg(required = true, value_name = "PLAN")]
        plans: Vec<PathBuf>,
        /// How to print problems.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
    /// List what changed between two plans and mark the breaking changes. Exit code 1 when any
    /// change is breaking, for pull-request gates and commit hooks.
    Diff {
        /// OLD NEW: the plan before and after. With --against: the plans to compare with their
        /// version at that git revision.
        #[arg(required = true, value_name = "PLAN")]
        plans: Vec<PathBuf>,
        /// Compare each PLAN with its version at this git revision (`HEAD`, `origin/main`); a
        /// plan new since then has no breaking change.
        #[arg(long, value_name = "REV")]
        against: Option<String>,
        /// How to print changes.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
}

/// Where `plan import` reads a plan from.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Source {
    /// By what FILE is.
    Auto,
    /// Segment Protocols.
    Segment,
    /// RudderStack's data catalog (rudder-cli).
    Rudderstack,
}

/// Output of `plan check` and `plan diff`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Lines for people.
    Human,
    /// JSON Lines, one object per problem or change.
    Json,
}

pub fn run(command: Command) -> ExitStatus {
    match command {
        Command::Import { file, out, from, tracking_plan } => match from {
            Source::Rudderstack => rudderstack::run(&file, out.as_deref(), tracking_plan.as_deref()),
            Source::Auto if rudderstack::looks_like(&file) => rudderstack::run(&file, out.as_deref(), tracking_plan.as_deref()),
            Source::Auto | Source::Segment => import(&file, out.as_deref()),
        },
        Command::Infer(args) => infer::run(args),
        Command::Check { plans, format } => plans.iter().fold(ExitStatus::Success, |status, plan| status.worst(check(plan, format))),
        Command::Diff { plans, against: Some(rev), format } => {
            plans.iter().fold(ExitStatus::Success, |status, plan| status.worst(git::diff_against(&rev, plan, format)))
        }
        Command::Diff { plans, against: None, format } => match plans.as_slice() {
            [old, new] => diff(old, new, format),
            _ => fail(format!("plan diff compares two plans, OLD NEW (or each PLAN with --against REV); {} given", plans.len())),
        },
    }
}

fn load(path: &Path) -> Result<Plan, ExitStatus> {
    plan::load(path).map_err(|e| fail(format!("cannot load plan: {e}")))
}

/// What `plan import` reads: a Segment Protocols tracking plan, as JSON (as Segment exports it)
/// or the same in YAML. A cdpspec plan needs no import, and saying so beats a list of problems.
const IMPORT_FORMATS: &str = "`plan import` reads a Segment Protocols tracking plan exported as JSON (the Public API's or Typewriter's `plan.json` with `rules`, or the Config API's), or the same in YAML";

/// Parses the file `plan import` was given; the error says what it reads.
fn read_segment_plan(text: &str) -> Result<serde_json::Value, String> {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(json) => match serde_yaml_ng::from_str(text) {
            Ok(v) => v,
            Err(_) => return Err(format!("neither JSON ({json}) nor YAML; {IMPORT_FORMATS}")),
        },
    };
    if !value.is_object() {
        return Err(format!("holds {}, not a tracking plan; {IMPORT_FORMATS}", json_kind(&value)));
    }
    if value.get("events").is_some() && value.get("rules").is_none() {
        return Err("is already a cdpspec plan (it has `events`, not Segment's `rules`): use it as it is, with `--plan`".into());
    }
    Ok(value)
}

/// `an array`, `a string`, ... for messages.
fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn import(file: &Path, out: Option<&Path>) -> ExitStatus {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => return fail(format!("cannot read {}: {e}", file.display())),
    };
    let source = match read_segment_plan(&text) {
        Ok(v) => v,
        Err(e) => return fail(format!("{}: {e}", file.display())),
    };
    let imported = match plan::segment::import(&source) {
        Ok(plan) => plan,
        Err(e) => {
            for problem in &e.problems {
                eprintln!("{}: {problem}", file.display());
            }
            eprintln!("cdpspec: {} could not be imported: {} above; nothing was written", file.display(), plural(e.problems.len(), "problem"));
            return ExitStatus::Failure;
        }
    };
    let summary =
        format!("Imported {} ({})", plural(imported.events.len(), "event"), plural(imported.events.iter().map(|e| e.versions.len()).sum::<usize>(), "version"));
    write(&imported, out, &summary)
}

/// Writes a plan that cdpspec made to `out` (or stdout), naming the plan schema for editors
/// (a modeline in YAML, `$schema` in JSON), then `summary` on stderr.
pub(crate) fn write(plan: &cdpspec::plan::Plan, out: Option<&Path>, summary: &str) -> ExitStatus {
    let format = out.map_or(Format::Yaml, Format::of);
    let text = if format == Format::Json {
        let mut plan = plan.clone();
        plan.schema.get_or_insert_with(|| plan::SCHEMA_URL.to_owned());
        plan::write(&plan, format)
    } else {
        plan::write(plan, format)
    };
    match out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => {
                eprintln!("{summary} into {}", path.display());
                ExitStatus::Success
            }
            Err(e) => fail(format!("cannot write {}: {e}", path.display())),
        },
        None => {
            out!("{text}");
            eprintln!("{summary}");
            ExitStatus::Success
        }
    }
}

fn check(path: &Path, format: OutputFormat) -> ExitStatus {
    let plan = match load(path) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let mut lints = lint::lint(&plan);
    lint::place_in_file(&mut lints, path);
    for l in &lints {
        match format {
            OutputFormat::Human => {
                let at = match (l.line, l.column) {
                    (Some(line), Some(column)) => format!("{}:{line}:{column}", path.display()),
                    _ => path.display().to_string(),
                };
                outln!("{at}: {}[{}] {} (at #{})", l.severity, l.code, l.message, l.location);
            }
            OutputFormat::Json => {
                let mut object = serde_json::json!({"path": path.display().to_string(), "location": l.location, "severity": l.severity.as_str(), "code": l.code, "message": l.message});
                if let (Some(line), Some(column)) = (l.line, l.column) {
                    object["line"] = line.into();
                    object["column"] = column.into();
                }
                outln!("{object}");
            }
        }
    }
    let errors = lints.iter().filter(|l| l.severity == Severity::Error).count();
    if format == OutputFormat::Human {
        outln!(
            "Checked plan `{}`: {}, {}, {}.",
            plan.name,
            plural(plan.events.len(), "event"),
            plural(errors, "error"),
            plural(lints.len() - errors, "warning")
        );
    }
    ExitStatus::failure_if(errors > 0)
}

fn diff(old: &Path, new: &Path, format: OutputFormat) -> ExitStatus {
    let (before, after) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    print_diff(&before, &after, format)
}

/// Prints the changes from `before` to `after`; a failure when any is breaking.
fn print_diff(before: &Plan, after: &Plan, format: OutputFormat) -> ExitStatus {
    let changes = diff::diff(before, after);
    for c in &changes {
        match format {
            OutputFormat::Human => outln!("{} {}: {}", if c.breaking { "BREAKING" } else { "        " }, c.location, c.message),
            OutputFormat::Json => outln!("{}", serde_json::to_string(c).unwrap_or_default()),
        }
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if format == OutputFormat::Human {
        outln!("{}, {breaking} breaking.", plural(changes.len(), "change"));
    }
    ExitStatus::failure_if(breaking > 0)
}
