//! `--format junit`: a JUnit XML report, for CI test-report views. One `<testsuite>` per input
//! file with diagnostics, one `<testcase>` per diagnostic (a diagnostic has no stable notion of
//! its call, and one case per finding is what report views list best):
//!
//! ```text
//! <testcase name="CDP102/unknown-type at 2:9" classname="tests/fixtures/mixed.ndjson" file="tests/fixtures/mixed.ndjson" line="2">
//!   <failure message="`identity` is not a call type; did you mean `identify`? (at /type)" type="CDP102/unknown-type">...</failure>
//! </testcase>
//! ```
//!
//! Errors are failed cases; warnings are passing cases whose `<system-out>` says why, so a
//! report fails exactly when the run does. Inputs that could not be read are an `<error>` in a
//! last suite named `cdpspec`, which is also the one passing case of a run with nothing to
//! report. No timestamps or durations: the same input gives the same bytes. The summary goes
//! to stderr.

use std::io::{self, Write};

use super::{Emitter, message_at};
use crate::diagnostic::Diagnostic;
use crate::rule::Severity;
use crate::summary::Summary;

/// Renders diagnostics as a JUnit XML report, written whole at the end (suites carry counts).
///
/// ```
/// use cdpspec::output::Junit;
/// use cdpspec::validate::Validation;
///
/// let mut out = Vec::new();
/// let mut junit = Junit::new(Box::new(&mut out), Box::new(std::io::sink()));
/// let mut run = Validation::new(Default::default(), &mut junit);
/// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(junit);
/// let xml = String::from_utf8(out).unwrap();
/// assert!(xml.contains(r#"<testsuite name="events.ndjson" tests="1" failures="1" errors="0" skipped="0">"#));
/// assert!(xml.contains(r#"type="CDP104/missing-required""#));
/// ```
pub struct Junit<'a> {
    out: Box<dyn Write + 'a>,
    err: Box<dyn Write + 'a>,
    suites: Vec<Suite>,
}

/// One `<testsuite>` being collected.
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    errors: usize,
    /// The rendered `<testcase>` elements.
    cases: String,
}

impl Suite {
    fn new(name: &str) -> Self {
        Suite { name: name.to_string(), tests: 0, failures: 0, errors: 0, cases: String::new() }
    }

    fn render(&self) -> String {
        format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">\n{}  </testsuite>\n",
            escape(&self.name, true),
            self.tests,
            self.failures,
            self.errors,
            self.cases
        )
    }
}

impl<'a> Junit<'a> {
    /// The report to `out`, the summary to `err`.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Emitter, Junit};
    ///
    /// // A run without diagnostics is one passing test case, so CI shows that checks ran.
    /// let mut out = Vec::new();
    /// Junit::new(Box::new(&mut out), Box::new(std::io::sink())).finish(&Summary { files: 1, ..Summary::default() }).unwrap();
    /// assert!(String::from_utf8(out).unwrap().contains(r#"<testsuites name="cdpspec" tests="1" failures="0" errors="0">"#));
    /// ```
    pub fn new(out: Box<dyn Write + 'a>, err: Box<dyn Write + 'a>) -> Self {
        Junit { out, err, suites: Vec::new() }
    }
}

impl Emitter for Junit<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        if self.suites.last().is_none_or(|s| s.name != d.path) {
            self.suites.push(Suite::new(&d.path));
        }
        let suite = self.suites.last_mut().expect("pushed above");
        let rule = format!("{}/{}", d.rule.code(), d.rule.name());
        let mut details = format!("{}:{}:{}: {}[{rule}] {}", d.path, d.line, d.column, d.severity, message_at(d));
        if let Some(s) = &d.suggestion {
            details.push_str(&format!("\nsuggestion: {s}"));
        }
        if let Some(p) = &d.plan_location {
            details.push_str(&format!("\nplan: {p}"));
        }
        let path = escape(&d.path, true);
        suite.tests += 1;
        suite.cases.push_str(&format!(
            "    <testcase name=\"{} at {}:{}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">\n",
            escape(&rule, true),
            d.line,
            d.column,
            d.line
        ));
        let body = match d.severity {
            Severity::Error => {
                suite.failures += 1;
                format!("<failure message=\"{}\" type=\"{}\">{}</failure>", escape(&message_at(d), true), escape(&rule, true), escape(&details, false))
            }
            Severity::Warning => format!("<system-out>{}</system-out>", escape(&details, false)),
        };
        suite.cases.push_str(&format!("      {body}\n    </testcase>\n"));
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        if summary.io_errors > 0 || self.suites.is_empty() {
            let mut run = Suite::new("cdpspec");
            run.tests = 1;
            let text = escape(&summary.to_human(), false);
            let body = if summary.io_errors > 0 {
                run.errors = 1;
                let message = format!("{} could not be read", crate::words::plural(summary.io_errors, "input"));
                format!("<error message=\"{}\" type=\"unreadable-input\">{text}</error>", escape(&message, true))
            } else {
                format!("<system-out>{text}</system-out>")
            };
            run.cases = format!("    <testcase name=\"inputs\" classname=\"cdpspec\">\n      {body}\n    </testcase>\n");
            self.suites.push(run);
        }
        let total = |count: fn(&Suite) -> usize| self.suites.iter().map(count).sum::<usize>();
        let mut xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"cdpspec\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
            total(|s| s.tests),
            total(|s| s.failures),
            total(|s| s.errors)
        );
        for suite in &self.suites {
            xml.push_str(&suite.render());
        }
        xml.push_str("</testsuites>\n");
        self.out.write_all(xml.as_bytes()).and_then(|()| self.out.flush())?;
        // The summary is for the person watching; failing to write it changes nothing.
        let _ = writeln!(self.err, "{}", summary.to_human());
        Ok(())
    }
}

/// `text` as XML 1.0 character data, or as an attribute value (where line breaks and tabs are
/// kept as character references, since parsers normalise them to spaces). Characters XML 1.0
/// cannot carry at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD.
fn escape(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' if attribute => escaped.push_str("&quot;"),
            '\'' if attribute => escaped.push_str("&apos;"),
            '\n' if attribute => escaped.push_str("&#10;"),
            '\t' if attribute => escaped.push_str("&#9;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' | '\t' => escaped.push(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => escaped.push('\u{FFFD}'),
            _ => escaped.push(c),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_line_breaks_and_forbidden_characters() {
        assert_eq!(escape("a<b & \"c\" 'd'>\r\n\t\u{1}\u{ffff}é", true), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;&#13;&#10;&#9;\u{FFFD}\u{FFFD}é");
        assert_eq!(escape("a<b & \"c\"\r\n\t\u{0}", false), "a&lt;b &amp; \"c\"&#13;\n\t\u{FFFD}");
    }
}
