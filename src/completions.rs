//! `cdpspec completions` and `cdpspec man`: shell completions and man pages, generated from the
//! clap definitions of the command line, so they list exactly its commands and flags.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::CommandFactory;

use crate::commands::{Cli, fail};
use crate::exit::ExitStatus;

#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

#[derive(clap::Args)]
pub struct ManArgs {
    /// Write `cdpspec.1` and a page per subcommand (`cdpspec-plan-infer.1`, ...) to DIR;
    /// default: print `cdpspec.1` on stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script for one shell.
pub fn completions(args: CompletionsArgs) -> ExitStatus {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command, "cdpspec", &mut buffer);
    write_stdout(&buffer)
}

/// Prints or writes the man pages.
pub fn man(args: ManArgs) -> ExitStatus {
    let command = Cli::command();
    match args.out {
        Some(dir) => {
            if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| clap_mangen::generate_to(command, &dir)) {
                return fail(format!("cannot write man pages to {}: {e}", dir.display()));
            }
            eprintln!("Wrote man pages to {}", dir.display());
            ExitStatus::Success
        }
        None => {
            let mut buffer = Vec::new();
            if let Err(e) = clap_mangen::Man::new(command).render(&mut buffer) {
                return fail(format!("cannot render the man page: {e}"));
            }
            write_stdout(&buffer)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> ExitStatus {
    match io::stdout().lock().write_all(bytes) {
        Ok(()) => ExitStatus::Success,
        Err(e) => crate::commands::output_failed(&e),
    }
}
