//! `cdpspec plan import|check|diff`.

use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Convert a plan users already have (Segment Protocols plan.json) to a cdpspec plan.
    Import {
        /// The plan to import.
        file: PathBuf,
    },
}

pub fn run(command: Command) -> i32 {
    match command {
        Command::Import { file } => super::fail(format!("plan import of {} is not implemented yet", file.display())),
    }
}
