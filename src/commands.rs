//! The `cdpspec` command line: arguments, and dispatch to one module per command.

use clap::{Parser, Subcommand};

use crate::exit::ExitStatus;
use crate::{codegen, completions, coverage, map, plan, schema, serve, stream, validate};

/// Schemas, typed events and CI checks for customer-data pipeline calls.
#[derive(Parser)]
#[command(name = "cdpspec", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check payloads (calls, batches, arrays of calls; JSON or NDJSON) against the canonical
    /// schemas and, with a plan, the tracking plan.
    ///
    /// Exit code: 0 when no errors, 1 when any error, 2 for usage or I/O problems.
    Validate(validate::Args),
    /// Report which destination actions each call triggers, which fail for lack of a field, and
    /// which calls reach no action. Exit code 1 when a --fail-under or --fail-on gate fails.
    Coverage(coverage::Args),
    /// Show the payload one call produces for one destination action, and why each field
    /// resolved as it did ("test mapping"). Exit code 1 when the action would fail.
    Map(map::Args),
    /// Run a local collector that the official SDKs send calls to: every call is checked as
    /// `validate` checks it, evaluated against destinations, stored in SQLite, and listed by
    /// an API for tests (/_cdpspec/calls, /_cdpspec/counts).
    Serve(serve::Args),
    /// Validate live calls on Kafka: a consumer-group member that reads raw calls from topics,
    /// checks them as `validate` does, and writes each to a good topic unchanged or to a bad
    /// topic annotated with its violations. Offsets are committed once the outputs are
    /// acknowledged (at least once); SIGTERM drains, commits and exits.
    Stream(stream::Args),
    /// Generate typed Rust events (one type per event version, per trait set) from a plan.
    Codegen(codegen::Args),
    /// Work with tracking plans: import, check, diff.
    #[command(subcommand)]
    Plan(plan::Command),
    /// Export schemas for other languages.
    #[command(subcommand)]
    Schema(schema::Command),
    /// List every rule: code, name, default severity and what it catches.
    Rules {
        /// Print the full rule documentation (docs/rules.md) as Markdown.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a shell completion script: `cdpspec completions bash > /etc/bash_completion.d/cdpspec`.
    Completions(completions::CompletionsArgs),
    /// Print the man page (or write one per command with --out DIR).
    Man(completions::ManArgs),
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { ExitStatus::Error } else { ExitStatus::Success };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Validate(args) => validate::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Map(args) => map::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Stream(args) => stream::run(args),
        Command::Codegen(args) => codegen::run(args),
        Command::Plan(command) => plan::run(command),
        Command::Schema(command) => schema::run(command),
        Command::Rules { markdown } => rules(markdown),
        Command::Completions(args) => completions::completions(args),
        Command::Man(args) => completions::man(args),
    }
}

fn rules(markdown: bool) -> ExitStatus {
    if markdown {
        out!("{}", cdpspec::rule::docs_markdown());
        return ExitStatus::Success;
    }
    for rule in cdpspec::Rule::ALL {
        outln!("{}  {:<22} {:<8} {}", rule.code(), rule.name(), rule.default_severity().as_str(), rule.summary());
    }
    ExitStatus::Success
}

/// How a validation run ended: an error when an input could not be read, a failure when
/// anything had an error, success otherwise.
pub fn exit_status(summary: &cdpspec::Summary) -> ExitStatus {
    if summary.io_errors > 0 { ExitStatus::Error } else { ExitStatus::failure_if(summary.errors > 0) }
}

/// The exit code after the output could not be written: 0, quietly, when its reader went away
/// (`cdpspec validate ... | head`), as command-line tools do; otherwise 2, saying why.
pub fn output_failed(error: &std::io::Error) -> ExitStatus {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitStatus::Success;
    }
    eprintln!("cdpspec: cannot write output: {error}");
    ExitStatus::Error
}

/// Prints a usage or input problem: an error.
pub fn fail(message: impl std::fmt::Display) -> ExitStatus {
    eprintln!("cdpspec: {message}");
    ExitStatus::Error
}
