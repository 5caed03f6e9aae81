//! The `cdpspec` command line: arguments, and dispatch to the library.

use std::io;

use clap::{Args, Parser, Subcommand};

use cdpspec::CallType;
use cdpspec::check::Options;
use cdpspec::input;
use cdpspec::output::Format;
use cdpspec::validate::Validation;

/// Schemas, typed events and CI checks for customer-data pipeline calls.
#[derive(Parser)]
#[command(name = "cdpspec", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check payloads (calls, batches, arrays of calls; JSON or NDJSON) against the canonical schemas.
    ///
    /// Exit code: 0 when no errors, 1 when any error, 2 for usage or I/O problems.
    Validate(ValidateArgs),
    /// List every rule: code, name, default severity and what it catches.
    Rules,
}

#[derive(Args)]
struct ValidateArgs {
    /// Files (.json, .ndjson, .jsonl), directories (searched recursively) or `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// The type of top-level payloads that have no `type` field (as when posted to /v1/alias).
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

fn parse_call_type(s: &str) -> Result<CallType, String> {
    s.parse().map_err(|_| format!("`{s}` is not a call type; expected one of {}", CallType::ALL.iter().map(CallType::as_str).collect::<Vec<_>>().join(", ")))
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Validate(args) => validate(args),
        Command::Rules => rules(),
    }
}

fn validate(args: ValidateArgs) -> i32 {
    let (sources, unreadable) = input::expand(&args.paths);
    let mut emitter = args.format.emitter(Box::new(io::BufWriter::new(io::stdout().lock())), Box::new(io::stderr()));
    let mut run = Validation::new(Options { default_type: args.call_type }, emitter.as_mut());
    for (path, error) in &unreadable {
        eprintln!("cdpspec: cannot read {path}: {error}");
        run.unreadable();
    }
    for source in &sources {
        if let Err(error) = run.source(source) {
            eprintln!("cdpspec: cannot read {}: {error}", source.display_name());
        }
    }
    run.finish()
}

fn rules() -> i32 {
    for rule in cdpspec::Rule::ALL {
        println!("{}  {:<22} {:<8} {}", rule.code(), rule.name(), rule.default_severity().as_str(), rule.summary());
    }
    0
}
