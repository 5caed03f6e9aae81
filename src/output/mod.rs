//! Output formats: each renders the same [`Diagnostic`]s and [`Summary`], one module per format.
//!
//! | format | for | where the summary goes |
//! |---|---|---|
//! | `human` | people: each diagnostic with its source line and a caret | stdout |
//! | `json` | machines: JSON Lines | stderr |
//! | `github` | GitHub Actions workflow commands, so errors annotate the pull request | stdout (`::notice`) |
//! | `junit` | JUnit XML test reports | stderr |
//! | `sarif` | SARIF 2.1.0, for code scanning | stderr |
//! | `markdown` | a job summary or a pull-request comment | stdout |

mod github;
mod human;
mod json;
mod junit;
mod markdown;
mod sarif;
pub mod split;

use std::io::{self, IsTerminal, Write};

pub use github::Github;
pub use human::{Colour, Human};
pub use json::JsonLines;
pub use junit::Junit;
pub use markdown::Markdown;
pub use sarif::Sarif;

use crate::diagnostic::Diagnostic;
use crate::summary::Summary;

/// Receives diagnostics as they are found, then the summary. Emitters write to their own
/// writer and return its errors; what a closed pipe means (a quiet exit, for a command line
/// piped into `head`) is the caller's business.
pub trait Emitter {
    /// One diagnostic, in input order.
    ///
    /// # Errors
    ///
    /// The writer's error, such as a closed pipe.
    fn diagnostic(&mut self, diagnostic: &Diagnostic) -> io::Result<()>;
    /// The end of the run.
    ///
    /// # Errors
    ///
    /// The writer's error, such as a closed pipe.
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
    /// Whether diagnostics should come with their `source_line` (filled on the thread that
    /// emits, from the record as read; the formats that show no snippet save the copy).
    fn wants_source_lines(&self) -> bool {
        false
    }
}

/// Keeps diagnostics in memory: for library users who want them as values, and for tests.
#[derive(Debug, Default)]
pub struct Collect {
    /// Every diagnostic, in input order.
    pub diagnostics: Vec<Diagnostic>,
    /// The summary, once the run finished.
    pub summary: Option<Summary>,
}

impl Emitter for Collect {
    fn diagnostic(&mut self, diagnostic: &Diagnostic) -> io::Result<()> {
        self.diagnostics.push(diagnostic.clone());
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.summary = Some(summary.clone());
        Ok(())
    }
}

/// The formats `--format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Format {
    /// One diagnostic per paragraph, `path:line:column: severity[code/name] message`, with the
    /// source line and a caret; then a summary.
    Human,
    /// JSON Lines: one object per diagnostic on stdout; the summary goes to stderr.
    Json,
    /// GitHub Actions workflow commands (`::error file=...`), so diagnostics annotate the pull
    /// request; the summary is a `::notice`.
    Github,
    /// A JUnit XML report: a test suite per file, a test case per diagnostic; errors fail.
    Junit,
    /// A SARIF 2.1.0 log, for code scanning.
    Sarif,
    /// Markdown tables (counts by rule, then the first diagnostics), for a job summary or a
    /// pull-request comment.
    Markdown,
}

impl Format {
    /// An emitter of this format writing diagnostics to `out` and side notes to `err`. `out` is
    /// taken to be stdout: `human` is coloured when stdout is a terminal and `NO_COLOR` is unset.
    pub fn emitter<'a>(self, out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Box<dyn Emitter + 'a> {
        match self {
            Format::Human => Box::new(Human::new(out, Colour::detect(std::io::stdout().is_terminal()))),
            Format::Json => Box::new(JsonLines::new(out, err)),
            Format::Github => Box::new(Github::new(out)),
            Format::Junit => Box::new(Junit::new(out, err)),
            Format::Sarif => Box::new(Sarif::new(out, err)),
            Format::Markdown => Box::new(Markdown::new(out, markdown::MAX_ROWS)),
        }
    }
}

/// `message (at /pointer)`, or the message alone for a diagnostic about a whole record.
fn message_at(d: &Diagnostic) -> String {
    if d.pointer.is_empty() { d.message.clone() } else { format!("{} (at {})", d.message, d.pointer) }
}
