//! `cdpspec codegen`: typed Rust events from a tracking plan, for teams that check code in (an
//! app's build.rs can use `cdpspec_codegen::plan::Builder` instead).

use std::path::PathBuf;

use crate::commands::fail;
use crate::exit::ExitStatus;

#[derive(clap::Args)]
pub struct Args {
    /// The tracking plan (YAML or JSON).
    #[arg(long, value_name = "PLAN")]
    plan: PathBuf,
    /// Where to write the Rust module; default: stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitStatus {
    let plan = match cdpspec::plan::load(&args.plan) {
        Ok(plan) => plan,
        Err(e) => return fail(format!("cannot load plan: {e}")),
    };
    let code = match cdpspec_codegen::plan::generate_named(&plan, &args.plan.display().to_string()) {
        Ok(code) => code,
        Err(e) => return fail(e),
    };
    match args.out {
        Some(path) => {
            match path.parent().filter(|p| !p.as_os_str().is_empty()).map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, code)) {
                Ok(()) => {
                    eprintln!("Wrote typed events of plan `{}` ({}) to {}", plan.name, cdpspec::words::plural(plan.events.len(), "event"), path.display());
                    ExitStatus::Success
                }
                Err(e) => fail(format!("cannot write {}: {e}", path.display())),
            }
        }
        None => {
            out!("{code}");
            ExitStatus::Success
        }
    }
}
