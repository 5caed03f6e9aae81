//! `--format json`: JSON Lines, one object per diagnostic, for machines. Fields: `path`,
//! `line`, `column`, `severity`, `code`, `rule`, `pointer`, `message`, and `index`,
//! `suggestion` and `plan` (the plan rule that demanded it) when they apply. The summary goes to stderr so stdout stays pure diagnostics.

use std::io::{self, Write};

use serde::Serialize;

use super::Emitter;
use crate::diagnostic::Diagnostic;
use crate::summary::Summary;

/// Renders diagnostics as JSON Lines.
///
/// ```
/// use cdpspec::output::JsonLines;
/// use cdpspec::validate::Validation;
///
/// let (mut out, mut err) = (Vec::new(), Vec::new());
/// let mut json = JsonLines::new(Box::new(&mut out), Box::new(&mut err));
/// let mut run = Validation::new(Default::default(), &mut json);
/// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(json);
/// let line: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!((line["code"].as_str(), line["rule"].as_str()), (Some("CDP104"), Some("missing-required")));
/// assert!(String::from_utf8(err).unwrap().starts_with("Checked 1 call"));
/// ```
pub struct JsonLines<'a> {
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
}

impl<'a> JsonLines<'a> {
    /// Diagnostics to `out`, the summary to `err`.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Emitter, JsonLines};
    ///
    /// let (mut out, mut err) = (Vec::new(), Vec::new());
    /// JsonLines::new(Box::new(&mut out), Box::new(&mut err)).finish(&Summary::default()).unwrap();
    /// assert!(out.is_empty() && !err.is_empty());
    /// ```
    pub fn new(out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Self {
        JsonLines { out, err }
    }
}

/// One diagnostic as a JSON Lines record, fields in documented order.
#[derive(Serialize)]
pub(crate) struct Record<'d> {
    path: &'d str,
    line: usize,
    column: usize,
    severity: &'static str,
    code: &'static str,
    rule: &'static str,
    pointer: &'d str,
    message: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'d str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'d str>,
}

impl<'d> From<&'d Diagnostic> for Record<'d> {
    fn from(d: &'d Diagnostic) -> Self {
        Record {
            path: &d.path,
            line: d.line,
            column: d.column,
            severity: d.severity.as_str(),
            code: d.rule.code(),
            rule: d.rule.name(),
            pointer: &d.pointer,
            message: &d.message,
            index: d.index,
            suggestion: d.suggestion.as_deref(),
            plan: d.plan_location.as_deref(),
        }
    }
}

/// One diagnostic as the JSON object `--format json` prints for it.
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::{Engine, Origin, Outcome};
///
/// let engine = Engine::from_options(Options::default());
/// let Outcome::Checked { calls, .. } = engine.check_record(br#"{"type":"track","event":"Signed Up"}"#, Origin::whole("call")) else { panic!() };
/// let json = cdpspec::output::json::to_value(&calls[0][0]);
/// assert_eq!((json["code"].as_str(), json["pointer"].as_str()), (Some("CDP103"), Some("")));
/// ```
pub fn to_value(d: &Diagnostic) -> serde_json::Value {
    serde_json::to_value(Record::from(d)).unwrap_or_default()
}

impl Emitter for JsonLines<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        let mut line = serde_json::to_string(&Record::from(d)).unwrap_or_default();
        line.push('\n');
        self.out.write_all(line.as_bytes())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        self.out.flush()?;
        // The summary is for the person watching; failing to write it changes nothing.
        let _ = writeln!(self.err, "{}", summary.to_human());
        Ok(())
    }
}
