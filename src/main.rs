//! The `cdpspec` command line: one module per command over the `cdpspec` library. Only this
//! crate parses flags, draws progress, prints and decides exit codes.

#[macro_use]
mod stdout;
mod codegen;
mod commands;
mod completions;
mod coverage;
mod exit;
mod map;
mod plan;
mod progress;
mod schema;
mod serve;
mod settings;
mod stream;
mod validate;

fn main() -> std::process::ExitCode {
    commands::run().into()
}
