//! `cdpspec schema export|config`.

use std::path::PathBuf;

use cdpspec::export::{self, Draft, Options};

use crate::commands::fail;
use crate::exit::ExitStatus;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write the canonical schemas (and, with a plan, a schema per event and per call type with
    /// the plan's rules applied) for other languages' validators and generators. Every file is
    /// self-contained and valid against its draft's meta-schema; index.json lists them.
    Export {
        /// The folder to write to (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// A tracking plan whose rules to apply.
        #[arg(long, value_name = "PLAN")]
        plan: Option<PathBuf>,
        /// The JSON Schema draft to write: 2020-12, or 07 for tools that lack 2020-12.
        #[arg(long, default_value = "2020-12", value_parser = parse_draft)]
        draft: Draft,
        /// Also write one file holding every schema (cdpspec.bundle.schema.json).
        #[arg(long)]
        bundle: bool,
    },
    /// Print the JSON Schema of cdpspec.toml (schema/config/cdpspec.schema.json), for editors
    /// (taplo, Even Better TOML) and linters. It is generated from the config types.
    Config,
}

fn parse_draft(s: &str) -> Result<Draft, String> {
    s.parse().map_err(|_| format!("`{s}` is not a supported draft; expected 2020-12 or 07"))
}

pub fn run(command: Command) -> ExitStatus {
    let Command::Export { out, plan, draft, bundle } = command else {
        outln!("{}", serde_json::to_string_pretty(&cdpspec::config::json_schema()).unwrap_or_default());
        return ExitStatus::Success;
    };
    let plan = match plan.as_deref().map(cdpspec::plan::load).transpose() {
        Ok(plan) => plan,
        Err(e) => return fail(format!("cannot load plan: {e}")),
    };
    match export::export(&Options { out: &out, plan: plan.as_ref(), draft, bundle }) {
        Ok(written) => {
            for w in &written {
                outln!("{}  {}  {}", w.kind, w.relative, w.id);
            }
            eprintln!("Wrote {} schemas (draft {}) and {} to {}", written.len(), draft.as_str(), export::INDEX_FILE, out.display());
            ExitStatus::Success
        }
        Err(e) => fail(e),
    }
}
