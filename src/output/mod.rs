//! Output formats: each renders the same [`Diagnostic`]s and [`Summary`], one module per format.

mod human;
mod json;

use std::io::Write;

pub use human::Human;
pub use json::JsonLines;

use crate::diagnostic::Diagnostic;
use crate::summary::Summary;

/// Receives diagnostics as they are found, then the summary. Emitters write to their own
/// writer; a write error (such as a closed pipe) ends the process quietly, as CLI tools do.
pub trait Emitter {
    /// One diagnostic, in input order.
    fn diagnostic(&mut self, diagnostic: &Diagnostic);
    /// The end of the run.
    fn finish(&mut self, summary: &Summary);
}

/// The formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per diagnostic, `path:line:column: severity[code] message`, then a summary.
    Human,
    /// JSON Lines: one object per diagnostic on stdout; the summary goes to stderr.
    Json,
}

impl Format {
    /// An emitter of this format writing diagnostics to `out` and side notes to `err`.
    pub fn emitter<'a>(self, out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Box<dyn Emitter + 'a> {
        match self {
            Format::Human => Box::new(Human::new(out)),
            Format::Json => Box::new(JsonLines::new(out, err)),
        }
    }
}

/// Writes, or ends the process quietly when the reader went away (`cdpspec ... | head`).
fn write_or_exit(result: std::io::Result<()>) {
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("cdpspec: cannot write output: {e}");
        std::process::exit(2);
    }
}
