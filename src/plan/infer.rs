//! `cdpspec plan infer`: a draft plan from captured traffic, read as `validate` reads it.

use std::path::PathBuf;

use cdpspec::CallType;
use cdpspec::config::Overrides;
use cdpspec::infer::{Inference, Options};
use cdpspec::input::{self, Record};
use cdpspec::words::plural;

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::{ConfigFile, NO_INPUT, parse_call_type};

#[derive(clap::Args)]
pub struct Args {
    /// Files (.json, .ndjson, .jsonl, gzip too), directories or `-` for stdin: captured calls,
    /// such as `cdpspec serve`'s /_cdpspec/calls.ndjson. Default: `paths` of cdpspec.toml.
    #[arg(value_name = "PATH")]
    paths: Vec<String>,
    /// Where to write the plan (YAML, or JSON for a .json path); default: stdout as YAML.
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// The plan's name.
    #[arg(long, default_value = "Inferred plan")]
    name: String,
    /// Strings with at most N distinct values, each seen at least twice on average, become an
    /// `enum`; 0 never infers one.
    #[arg(long, value_name = "N", default_value_t = 10)]
    enum_threshold: usize,
    /// The type of top-level payloads that have no `type` field.
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    #[command(flatten)]
    config: ConfigFile,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides = Overrides { call_type: args.call_type, paths: args.paths.clone(), ..Overrides::default() };
    let settings = match args.config.resolve(&overrides) {
        Ok((_, settings)) => settings,
        Err(e) => return fail(e),
    };
    if settings.paths.is_empty() {
        return fail(NO_INPUT);
    }
    let (sources, unreadable) = input::expand(&settings.paths);
    let mut io_errors = unreadable.len();
    for (path, e) in &unreadable {
        eprintln!("cdpspec: cannot read {path}: {e}");
    }
    let mut inference = Inference::new(Options { name: args.name.clone(), enum_threshold: args.enum_threshold });
    let mut unparsed = 0usize;
    for source in &sources {
        let default_type = settings.call_type.or_else(|| source.implied_type());
        let result = source.records_within(&settings.limits, &mut |record| match record {
            Record::Parsed { value, .. } => inference.add_document(&value, default_type),
            Record::Unparsed { .. } => unparsed += 1,
            Record::Blank => {}
        });
        if let Err(e) = result {
            eprintln!("cdpspec: cannot read {}: {e}", source.display_name());
            io_errors += 1;
        }
    }
    if io_errors > 0 {
        return fail(format!("{} could not be read; nothing was written", plural(io_errors, "input")));
    }
    let inferred = inference.finish();
    for finding in &inferred.findings {
        eprintln!("{finding}");
    }
    if unparsed > 0 {
        eprintln!("cdpspec: {} did not parse and were skipped (`cdpspec validate` shows why)", plural(unparsed, "record"));
    }
    let summary = format!(
        "Inferred {}, {} and {} from {}; {}",
        plural(inferred.plan.events.len(), "event"),
        plural(inferred.plan.pages.len(), "page rule"),
        plural(inferred.plan.screens.len(), "screen rule"),
        plural(usize::try_from(inferred.calls).unwrap_or(usize::MAX), "call"),
        plural(inferred.findings.len(), "finding"),
    );
    super::write(&inferred.plan, args.out.as_deref(), &summary)
}
