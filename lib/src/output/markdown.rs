//! `--format markdown`: GitHub-flavoured Markdown for a job summary (`>> $GITHUB_STEP_SUMMARY`)
//! or a pull-request comment. The summary line, a table of counts by rule, then the first
//! diagnostics as a table:
//!
//! ```text
//! | `tests/fixtures/mixed.ndjson:2:9` | error CDP102 `unknown-type` | `identity` is not a call type; did you mean `identify`? (at `/type`) |
//! ```
//!
//! Only the first [`MAX_ROWS`] diagnostics are listed, so the text stays within the size of a
//! comment; the counts cover all of them. Cells escape `|` and line breaks; text outside code
//! spans escapes Markdown and HTML markup, so payload values render as written.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Emitter;
use crate::diagnostic::Diagnostic;
use crate::rule::{Rule, Severity};
use crate::summary::Summary;

/// How many diagnostics the table lists by default: well under a comment's 65536 characters.
pub(crate) const MAX_ROWS: usize = 50;

/// Renders a Markdown report, written whole at the end (the counts come first).
///
/// ```
/// use cdpspec::output::Markdown;
/// use cdpspec::validate::Validation;
///
/// let mut out = Vec::new();
/// let mut markdown = Markdown::new(Box::new(&mut out), 50);
/// let mut run = Validation::new(Default::default(), &mut markdown);
/// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(markdown);
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("### cdpspec\n"));
/// assert!(text.contains("| CDP104 | `missing-required` | error | 1 |"));
/// ```
pub struct Markdown<'a> {
    out: Box<dyn Write + 'a>,
    max_rows: usize,
    counts: BTreeMap<(Rule, Severity), usize>,
    total: usize,
    rows: String,
}

impl<'a> Markdown<'a> {
    /// Writes to `out`, listing at most `max_rows` diagnostics.
    ///
    /// ```
    /// use cdpspec::output::Markdown;
    /// use cdpspec::validate::Validation;
    ///
    /// let mut out = Vec::new();
    /// let mut markdown = Markdown::new(Box::new(&mut out), 1);
    /// let mut run = Validation::new(Default::default(), &mut markdown);
    /// let calls = "{\"type\":\"track\",\"userId\":\"97980cfea0067\"}\n".repeat(3);
    /// run.reader("events.ndjson", calls.as_bytes(), cdpspec::input::Layout::Lines).unwrap();
    /// run.finish().unwrap();
    /// drop(markdown);
    /// assert!(String::from_utf8(out).unwrap().contains("The first 1 of 3 diagnostics; `--format human` lists them all."));
    /// ```
    pub fn new(out: Box<dyn Write + 'a>, max_rows: usize) -> Self {
        Markdown { out, max_rows, counts: BTreeMap::new(), total: 0, rows: String::new() }
    }
}

impl Emitter for Markdown<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        *self.counts.entry((d.rule, d.severity)).or_default() += 1;
        self.total += 1;
        if self.total > self.max_rows {
            return Ok(());
        }
        let mut message = prose(&d.message);
        if !d.pointer.is_empty() {
            message.push_str(&format!(" (at {})", code(&d.pointer)));
        }
        if let Some(s) = &d.suggestion {
            message.push_str(&format!("<br>suggestion: {}", code(s)));
        }
        if let Some(p) = &d.plan_location {
            message.push_str(&format!("<br>plan: {}", code(p)));
        }
        let row = [code(&format!("{}:{}:{}", d.path, d.line, d.column)), format!("{} {} {}", d.severity, d.rule.code(), code(d.rule.name())), message];
        self.rows.push_str(&format!("| {} |\n", row.map(|cell| escape_cell(&cell)).join(" | ")));
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let mut text = format!("### cdpspec\n\n{}\n", prose(&summary.to_human()));
        if self.counts.is_empty() {
            text.push_str("\nNo problems found.\n");
        } else {
            text.push_str("\n| code | rule | severity | count |\n|---|---|---|---:|\n");
            for ((rule, severity), count) in &self.counts {
                text.push_str(&format!("| {} | {} | {severity} | {count} |\n", rule.code(), escape_cell(&code(rule.name()))));
            }
            text.push_str("\n| location | rule | message |\n|---|---|---|\n");
            text.push_str(&self.rows);
            if self.total > self.max_rows {
                text.push_str(&format!("\nThe first {} of {} diagnostics; `--format human` lists them all.\n", self.max_rows, self.total));
            }
        }
        self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush())
    }
}

/// `text` as a code span, with a fence longer than any run of backticks in it.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A message, whose backticks are code spans: outside them, Markdown and HTML markup
/// characters are escaped, so `<b>` or `*x*` in a payload value shows as written.
fn prose(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            escaped.push('`');
        }
        if i % 2 == 1 {
            escaped.push_str(part);
            continue;
        }
        for c in part.chars() {
            if matches!(c, '\\' | '*' | '_' | '<' | '>' | '[' | ']' | '~' | '&') {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    escaped
}

/// A table cell: `|` escaped (inside code spans too, as GFM tables require), line breaks as
/// spaces.
fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace("\r\n", " ").replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_cells_code_and_markup() {
        assert_eq!(code("/a"), "`/a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(prose("`<x>` is <b>not</b> *a* user_id"), "`<x>` is \\<b\\>not\\</b\\> \\*a\\* user\\_id");
        assert_eq!(escape_cell("`a|b`\nc"), "`a\\|b` c");
    }

    #[test]
    fn lists_the_first_rows_and_counts_them_all() {
        let d = Diagnostic {
            path: "a.ndjson".into(),
            line: 1,
            column: 2,
            severity: Severity::Warning,
            rule: Rule::InvalidCurrency,
            pointer: "/properties/currency".into(),
            message: "`currency` \"a|b\" is not an ISO 4217 code".into(),
            index: None,
            suggestion: None,
            plan_location: None,
            source_line: None,
        };
        let mut out = Vec::new();
        let mut markdown = Markdown::new(Box::new(&mut out), 2);
        for _ in 0..3 {
            markdown.diagnostic(&d).unwrap();
        }
        markdown.finish(&Summary { warnings: 3, ..Summary::default() }).unwrap();
        drop(markdown);
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("| CDP204 | `invalid-currency` | warning | 3 |\n"), "{text}");
        assert_eq!(text.matches("| `a.ndjson:1:2` | warning CDP204 `invalid-currency` | `currency` \"a\\|b\" is not").count(), 2, "{text}");
        assert!(text.ends_with("\nThe first 2 of 3 diagnostics; `--format human` lists them all.\n"), "{text}");
    }
}
