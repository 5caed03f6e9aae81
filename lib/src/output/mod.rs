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
pub mod json;
mod junit;
mod markdown;
mod sarif;
pub mod split;

use std::io::{self, Write};

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
///
/// ```
/// use std::io;
/// use cdpspec::output::Emitter;
/// use cdpspec::validate::Validation;
/// use cdpspec::{Diagnostic, Summary};
///
/// /// Keeps only the rule names, as a dashboard might.
/// struct RuleNames(Vec<&'static str>);
///
/// impl Emitter for RuleNames {
///     fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
///         Ok(self.0.push(d.rule.name()))
///     }
///     fn finish(&mut self, _: &Summary) -> io::Result<()> {
///         Ok(())
///     }
/// }
///
/// let mut names = RuleNames(Vec::new());
/// let mut run = Validation::new(Default::default(), &mut names);
/// let call = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled","timestamp":"yesterday"}"#;
/// run.reader("events.ndjson", &call[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// assert_eq!(names.0, ["invalid-timestamp"]);
/// ```
pub trait Emitter {
    /// One diagnostic, in input order.
    ///
    /// # Errors
    ///
    /// The writer's error, such as a closed pipe.
    ///
    /// ```
    /// use cdpspec::output::{Collect, Emitter, Github};
    /// use cdpspec::validate::Validation;
    ///
    /// // Diagnostics kept as values can be rendered later, in any format.
    /// let mut collect = Collect::default();
    /// let mut run = Validation::new(Default::default(), &mut collect);
    /// run.reader("events.ndjson", &br#"{"type":"identity","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
    /// run.finish().unwrap();
    /// let mut out = Vec::new();
    /// Github::new(Box::new(&mut out)).diagnostic(&collect.diagnostics[0]).unwrap();
    /// assert!(String::from_utf8(out).unwrap().starts_with("::error file=events.ndjson,line=1,col=9,title=CDP102 unknown-type::"));
    /// ```
    fn diagnostic(&mut self, diagnostic: &Diagnostic) -> io::Result<()>;
    /// The end of the run.
    ///
    /// # Errors
    ///
    /// The writer's error, such as a closed pipe.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Emitter, Markdown};
    ///
    /// let mut out = Vec::new();
    /// let summary = Summary { files: 1, records: 1, parsed: 1, calls: 1, valid: 1, ..Summary::default() };
    /// Markdown::new(Box::new(&mut out), 50).finish(&summary).unwrap();
    /// assert!(String::from_utf8(out).unwrap().ends_with("\nNo problems found.\n"));
    /// ```
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
    /// Whether diagnostics should come with their `source_line` (filled on the thread that
    /// emits, from the record as read; the formats that show no snippet save the copy).
    ///
    /// ```
    /// use cdpspec::output::{Collect, Colour, Emitter, Human};
    ///
    /// assert!(Human::new(Box::new(std::io::sink()), Colour::Never).wants_source_lines());
    /// assert!(!Collect::default().wants_source_lines());
    /// ```
    fn wants_source_lines(&self) -> bool {
        false
    }
}

/// Keeps diagnostics in memory: for library users who want them as values, and for tests.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::Validation;
///
/// let mut collect = Collect::default();
/// let mut run = Validation::new(Default::default(), &mut collect);
/// run.reader("events.ndjson", &br#"{"type":"alias","previousId":"2c4e6a8b"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// assert_eq!(collect.diagnostics[0].rule, Rule::MissingRequired);
/// assert_eq!(collect.summary.unwrap().with_errors, 1);
/// ```
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
///
/// ```
/// use cdpspec::input::Layout;
/// use cdpspec::output::{Colour, Format};
/// use cdpspec::validate::Validation;
///
/// // Every format renders the same diagnostics.
/// for format in [Format::Json, Format::Github, Format::Junit, Format::Sarif, Format::Markdown] {
///     let mut out = Vec::new();
///     let mut emitter = format.emitter(Box::new(&mut out), Box::new(std::io::sink()), Colour::Never);
///     let mut run = Validation::new(Default::default(), &mut *emitter);
///     run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], Layout::Lines).unwrap();
///     run.finish().unwrap();
///     drop(emitter);
///     assert!(String::from_utf8(out).unwrap().contains("CDP104"), "{format:?}");
/// }
/// ```
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
    /// An emitter of this format writing diagnostics to `out` and side notes to `err`; `human`
    /// paints with `colour` (the command line decides it: [`Colour::detect`] on its stdout).
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Colour, Format};
    ///
    /// let (mut out, mut err) = (Vec::new(), Vec::new());
    /// let mut json = Format::Json.emitter(Box::new(&mut out), Box::new(&mut err), Colour::Never);
    /// json.finish(&Summary { files: 1, ..Summary::default() }).unwrap();
    /// drop(json);
    /// assert!(out.is_empty(), "stdout stays pure diagnostics");
    /// assert!(String::from_utf8(err).unwrap().starts_with("Checked 0 calls in 1 file"));
    /// ```
    pub fn emitter<'a>(self, out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>, colour: Colour) -> Box<dyn Emitter + 'a> {
        match self {
            Format::Human => Box::new(Human::new(out, colour)),
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
