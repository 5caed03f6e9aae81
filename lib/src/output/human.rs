//! The default format, for people. Each diagnostic is a paragraph: the heading
//! `path:line:column: severity[code/name] message (at /pointer)`, the offending source line
//! with a caret under the column (as rustc and ruff show them; the line comes with the
//! diagnostic, so stdin and gzip inputs have it too), then `suggestion:` and `plan:` lines when
//! they apply. A summary ends the run.
//! ANSI colour only on a terminal, and never when `NO_COLOR` is set.

use std::io::{self, Write};

use super::Emitter;
use crate::diagnostic::Diagnostic;
use crate::rule::Severity;
use crate::summary::Summary;

/// The widest excerpt of a source line shown, in characters. Longer lines (minified NDJSON)
/// are cut around the column, marked with `…`.
const MAX_EXCERPT: usize = 100;

/// Whether to colour the output.
///
/// ```
/// use cdpspec::output::{Colour, Human};
/// use cdpspec::validate::Validation;
///
/// let render = |colour| {
///     let mut out = Vec::new();
///     let mut human = Human::new(Box::new(&mut out), colour);
///     let mut run = Validation::new(Default::default(), &mut human);
///     run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
///     run.finish().unwrap();
///     drop(human);
///     String::from_utf8(out).unwrap()
/// };
/// assert!(render(Colour::Always).contains("\x1b[1;31merror[CDP104/missing-required]\x1b[0m"));
/// assert!(!render(Colour::Never).contains('\x1b'));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// Plain text.
    Never,
    /// ANSI escape codes.
    Always,
}

impl Colour {
    /// Colour when writing to a terminal, unless `NO_COLOR` is set to anything non-empty
    /// (<https://no-color.org>).
    ///
    /// ```
    /// use std::io::IsTerminal;
    /// use cdpspec::output::Colour;
    ///
    /// assert_eq!(Colour::detect(false), Colour::Never);
    /// let colour = Colour::detect(std::io::stdout().is_terminal()); // what `--format human` does
    /// # let _ = colour;
    /// ```
    pub fn detect(terminal: bool) -> Colour {
        Colour::decide(terminal, std::env::var_os("NO_COLOR").as_deref())
    }

    fn decide(terminal: bool, no_color: Option<&std::ffi::OsStr>) -> Colour {
        if terminal && no_color.is_none_or(|v| v.is_empty()) { Colour::Always } else { Colour::Never }
    }
}

/// Renders diagnostics for a terminal or a log.
///
/// ```
/// use cdpspec::output::{Colour, Human};
/// use cdpspec::validate::Validation;
///
/// let mut out = Vec::new();
/// let mut human = Human::new(Box::new(&mut out), Colour::Never);
/// let mut run = Validation::new(Default::default(), &mut human);
/// run.reader("events.ndjson", &br#"{"type":"identity","userId":"97980cfea0067"}"#[..], cdpspec::input::Layout::Lines).unwrap();
/// run.finish().unwrap();
/// drop(human);
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("events.ndjson:1:9: error[CDP102/unknown-type] `identity` is not a call type; did you mean `identify`? (at /type)\n"));
/// assert!(text.contains("\n  |         ^\n"));
/// ```
pub struct Human<'a> {
    out: Box<dyn Write + 'a>,
    colour: Colour,
}

impl<'a> Human<'a> {
    /// Writes to `out`, coloured or not.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::output::{Colour, Emitter, Human};
    ///
    /// let mut out = Vec::new();
    /// Human::new(Box::new(&mut out), Colour::Never).finish(&Summary::default()).unwrap();
    /// assert!(String::from_utf8(out).unwrap().contains("Checked 0 calls in 0 files"));
    /// ```
    pub fn new(out: Box<dyn Write + 'a>, colour: Colour) -> Self {
        Human { out, colour }
    }

    /// `text` in the style of the ANSI SGR `codes`, or plain.
    fn paint(&self, codes: &str, text: &str) -> String {
        match self.colour {
            Colour::Always => format!("\x1b[{codes}m{text}\x1b[0m"),
            Colour::Never => text.to_string(),
        }
    }

    /// The paragraph of one diagnostic, without the source line.
    fn heading(&self, d: &Diagnostic) -> String {
        let severity = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        let mut text = format!(
            "{} {} {}",
            self.paint("1", &format!("{}:{}:{}:", d.path, d.line, d.column)),
            self.paint(severity, &format!("{}[{}/{}]", d.severity, d.rule.code(), d.rule.name())),
            d.message
        );
        if !d.pointer.is_empty() {
            text.push_str(&self.paint("2", &format!(" (at {})", d.pointer)));
        }
        text.push('\n');
        text
    }

    /// The source line with a caret under the column, behind a gutter of line numbers:
    ///
    /// ```text
    ///    |
    /// 10 |     "created_at": "1679407797",
    ///    |                               ^
    /// ```
    fn snippet(&self, d: &Diagnostic, source: &str) -> String {
        let (excerpt, caret) = excerpt(source, d.column);
        let number = d.line.to_string();
        let pad = " ".repeat(number.len());
        let bar = self.paint("1;34", &format!("{pad} |"));
        let caret_style = match d.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
        };
        format!("{bar}\n{} {excerpt}\n{bar} {}{}\n", self.paint("1;34", &format!("{number} |")), " ".repeat(caret), self.paint(caret_style, "^"))
    }
}

/// What of `line` to show, and how many characters of it precede column `column` (1-based,
/// in characters): the whole line, or `MAX_EXCERPT` characters around the column. Tabs become
/// one space and other control characters `�`, so the caret lines up and nothing in the input
/// can drive the terminal.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    let at = column.saturating_sub(1).min(chars.len());
    if chars.len() <= MAX_EXCERPT {
        return (chars.into_iter().collect(), at);
    }
    let start = at.saturating_sub(MAX_EXCERPT / 3).min(chars.len() - MAX_EXCERPT);
    let end = start + MAX_EXCERPT;
    let mut text = String::new();
    let mut caret = at - start;
    if start > 0 {
        text.push('…');
        caret += 1;
    }
    text.extend(&chars[start..end]);
    if end < chars.len() {
        text.push('…');
    }
    (text, caret)
}

impl Emitter for Human<'_> {
    fn diagnostic(&mut self, d: &Diagnostic) -> io::Result<()> {
        let mut text = self.heading(d);
        if let Some(source) = &d.source_line {
            text.push_str(&self.snippet(d, source));
        }
        let label = |name: &str| self.paint("1;36", name);
        if let Some(s) = &d.suggestion {
            text.push_str(&format!("  {} {s}\n", label("suggestion:")));
        }
        if let Some(p) = &d.plan_location {
            text.push_str(&format!("  {} {p}\n", label("plan:")));
        }
        text.push('\n');
        self.out.write_all(text.as_bytes())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(self.out, "{}", summary.to_human()).and_then(|()| self.out.flush())
    }

    fn wants_source_lines(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rule::Rule;

    fn diagnostic(path: &str, line: usize, column: usize) -> Diagnostic {
        Diagnostic {
            path: path.into(),
            line,
            column,
            severity: Severity::Error,
            rule: Rule::UnknownType,
            pointer: "/type".into(),
            message: "`identity` is not a call type; did you mean `identify`?".into(),
            index: None,
            suggestion: Some("identify".into()),
            plan_location: None,
            source_line: Some(r#"{"type":"identity","userId":"u1"}"#.into()),
        }
    }

    fn render(colour: Colour, d: &Diagnostic) -> String {
        let mut out = Vec::new();
        Human::new(Box::new(&mut out), colour).diagnostic(d).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn colour_is_ansi_around_the_plain_text() {
        let d = diagnostic("tests/fixtures/mixed.ndjson", 2, 9);
        let coloured = render(Colour::Always, &d);
        assert_eq!(
            coloured,
            "\x1b[1mtests/fixtures/mixed.ndjson:2:9:\x1b[0m \x1b[1;31merror[CDP102/unknown-type]\x1b[0m `identity` is not a call type; did you mean `identify`?\x1b[2m (at /type)\x1b[0m\n\
             \x1b[1;34m  |\x1b[0m\n\
             \x1b[1;34m2 |\x1b[0m {\"type\":\"identity\",\"userId\":\"u1\"}\n\
             \x1b[1;34m  |\x1b[0m         \x1b[1;31m^\x1b[0m\n\
             \x20 \x1b[1;36msuggestion:\x1b[0m identify\n\n"
        );
        let plain = render(Colour::Never, &d);
        let stripped = coloured.split('\x1b').enumerate().map(|(i, s)| if i == 0 { s } else { &s[s.find('m').unwrap() + 1..] }).collect::<String>();
        assert_eq!(stripped, plain);
        assert!(!plain.contains('\x1b'));
    }

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        use std::ffi::OsStr;
        assert_eq!(Colour::decide(true, None), Colour::Always);
        assert_eq!(Colour::decide(true, Some(OsStr::new(""))), Colour::Always, "an empty NO_COLOR does not count");
        assert_eq!(Colour::decide(true, Some(OsStr::new("1"))), Colour::Never);
        assert_eq!(Colour::decide(false, None), Colour::Never);
    }

    #[test]
    fn without_its_line_a_diagnostic_has_no_snippet() {
        let text = render(Colour::Never, &Diagnostic { source_line: None, ..diagnostic("<stdin>", 2, 9) });
        assert_eq!(
            text,
            "<stdin>:2:9: error[CDP102/unknown-type] `identity` is not a call type; did you mean `identify`? (at /type)\n  suggestion: identify\n\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(300), "b".repeat(300));
        let (text, caret) = excerpt(&line, 301);
        assert_eq!(text.chars().count(), MAX_EXCERPT + 2);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(text.chars().nth(caret), Some('X'));
        let (text, caret) = excerpt(&line, 602);
        assert_eq!((text.chars().nth(caret), text.ends_with('…')), (None, false), "the end of the line");
        assert_eq!(caret, MAX_EXCERPT + 1);
        let (text, caret) = excerpt("\t\"é\":\u{1b}[31m", 3);
        assert_eq!((text.as_str(), caret), (" \"é\":\u{FFFD}[31m", 2));
    }
}
