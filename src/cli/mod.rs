//! The `cdpspec` command line: arguments, and dispatch to one module per command.

mod codegen;
mod coverage;
mod map;
mod plan;
mod schema;
mod validate;

use clap::{Parser, Subcommand};

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
        Command::Validate(args) => validate::run(args),
        Command::Coverage(args) => coverage::run(args),
        Command::Map(args) => map::run(args),
        Command::Codegen(args) => codegen::run(args),
        Command::Plan(command) => plan::run(command),
        Command::Schema(command) => schema::run(command),
        Command::Rules { markdown } => rules(markdown),
    }
}

fn rules(markdown: bool) -> i32 {
    if markdown {
        print!("{}", cdpspec::rule_docs::markdown());
        return 0;
    }
    for rule in cdpspec::Rule::ALL {
        println!("{}  {:<22} {:<8} {}", rule.code(), rule.name(), rule.default_severity().as_str(), rule.summary());
    }
    0
}

/// Prints a usage or input problem and returns exit code 2.
/// The exit code of a validation run: 2 when an input could not be read, 1 when anything had
/// an error, 0 otherwise.
fn exit_code(summary: &cdpspec::Summary) -> i32 {
    if summary.io_errors > 0 {
        2
    } else if summary.errors > 0 {
        1
    } else {
        0
    }
}

/// The exit code after the output could not be written: 0, quietly, when its reader went away
/// (`cdpspec validate ... | head`), as command-line tools do; otherwise 2, saying why.
fn output_failed(error: &std::io::Error) -> i32 {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        return 0;
    }
    eprintln!("cdpspec: cannot write output: {error}");
    2
}

fn fail(message: impl std::fmt::Display) -> i32 {
    eprintln!("cdpspec: {message}");
    2
}

/// Fails with a destination's compile problems, one per indented line, under its name.
fn destination_fails(name: &str, error: &cdpspec::coverage::CompileError) -> i32 {
    let problems: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
    fail(format!("destination `{name}` does not load:\n  {}", problems.join("\n  ")))
}
