//! `--format github`: GitHub Actions workflow commands, so diagnostics annotate the pull request
//! at their file, line and column.
//!
//! ```text
//! ::error file=tests/fixtures/mixed.ndjson,line=2,col=9,title=CDP102 unknown-type::`identity` is not a call type; did you mean `identify`? (at /type)%0Asuggestion: identify
//! ```
//!
//! Warnings are `::warning`; the summary is a final `::notice`. Values are escaped as the
//! Actions toolkit escapes them: `%`, `\r` and `\n` everywhere, and `:` and `,` in properties.

use std::io::{self, Write};

use super::{Emitter, message_at};
use crate::diagnostic::Diagnostic;
use crate::summary::Summary;

/// Renders diagnostics as workflow commands.
///
/// ```
/// use cdpspec::output::Github;
/// use cdpspec::validate::Validation;
///
/// let mut out = Vec::new();
/// let mut github = Github::new(Box::new(&mut out));
/// let mut run = Validation::new(Default::default(), &mut github);
/// run.reader("events.ndjson", &br#"{"type":"identity","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(github);
/// let text = String::from_utf8(out).unwrap();
/// let mut lines = text.lines();
/// assert_eq!(
///     lines.next(),
///     Some("::error file=events.ndjson,line=1,col=9,title=CDP102 unknown-type::`identity` is not a call type; did you mean `identify`? (at /type)%0Asuggestion: identify")
/// );
/// assert!(lines.next().unwrap().starts_with("::notice title=cdpspec::Checked 1 call"));
/// ```
pub struct Github<'a> {
    out: Box<dyn Write + 'a>,
}

impl<'a> Github<'a> {
    /// Writes to `out`, which the runner reads (stdout).
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Emitter, Github};
    ///
    /// let mut out = Vec::new();
    /// Github::new(Box::new(&mut out)).finish(&Summary::default()).unwrap();
    /// assert!(String::from_utf8(out).unwrap().starts_with("::notice title=cdpspec::"));
    /// ```
    pub fn new(out: Box<dyn Write + 'a>) -> Self {
        Github { out }
    }
}

impl Emitter for Github<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        let mut message = message_at(d);
        if let Some(s) = &d.suggestion {
            message.push_str(&format!("\nsuggestion: {s}"));
        }
        if let Some(p) = &d.plan_location {
            message.push_str(&format!("\nplan: {p}"));
        }
        let line = format!(
            "::{} file={},line={},col={},title={}::{}\n",
            d.severity,
            escape_property(&d.path),
            d.line,
            d.column,
            escape_property(&format!("{} {}", d.rule.code(), d.rule.name())),
            escape_data(&message)
        );
        self.out.write_all(line.as_bytes())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let line = format!("::notice title=cdpspec::{}\n", escape_data(&summary.to_human()));
        self.out.write_all(line.as_bytes()).and_then(|()| self.out.flush())
    }
}

/// A command's message: `%`, `\r` and `\n` percent-encoded, so it stays one line.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A command's property value: as a message, and `:` and `,`, which delimit properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        assert_eq!(escape_data("100% done\r\nnext: a, b"), "100%25 done%0D%0Anext: a, b");
        assert_eq!(escape_property("C:\\data\\a,b%.json\n"), "C%3A\\data\\a%2Cb%25.json%0A");
    }
}
