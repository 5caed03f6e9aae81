//! What checking one record produced, ready to count and emit in input order: computed on any
//! thread, consumed by `validate::Validation` on its own. Also the precise path: serde_json,
//! `check::check_document`, diagnostics placed in the source text.

use std::io::Cursor;

use crate::check::{self, Options};
use crate::diagnostic::{Diagnostic, Finding};
use crate::input::Layout;
use crate::locate::locate;
use crate::records::{self, Record};

/// The result of one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A line of only white space.
    Blank,
    /// A record that did not parse, with its diagnostic unless the rule is off.
    Unparsed(Option<Diagnostic>),
    /// A record that parsed and that no rule reports anything about: it holds this many calls.
    Clean {
        /// The calls it holds.
        calls: usize,
    },
    /// A record that parsed, checked by the precise path.
    Checked {
        /// Diagnostics about the document itself (the batch envelope), in the order found.
        document: Vec<Diagnostic>,
        /// One list per call, sorted by position.
        calls: Vec<Vec<Diagnostic>>,
    },
}

/// Checks one NDJSON line (without its terminator; number `line` in its source) with the
/// precise path, exactly as `records::read` and `check::check_document` always have.
pub(crate) fn precise_line(name: &str, text: &[u8], line: usize, options: &Options) -> Outcome {
    // `records::read` owns the parsing and its error positions: hand it the line as line 2 of
    // a source (after a blank line 1, so that no byte order mark is stripped again), with a
    // terminator it strips off again.
    let mut source = Vec::with_capacity(text.len() + 3);
    source.push(b'\n');
    source.extend_from_slice(text);
    source.extend_from_slice(b"\r\n");
    let mut outcome = Outcome::Blank;
    let mut seen = 0;
    let result = records::read(Cursor::new(source), Layout::Lines, &mut |record| {
        seen += 1;
        if seen == 2 {
            outcome = from_record(name, record, &|n| n - 2 + line, options);
        }
    });
    debug_assert!(result.is_ok() && seen == 2, "a line in memory is two records");
    outcome
}

/// The outcome of a record read by `records::read`; `renumber` turns the reader's line numbers
/// into the source's.
pub(crate) fn from_record(name: &str, record: Record<'_>, renumber: &dyn Fn(usize) -> usize, options: &Options) -> Outcome {
    match record {
        Record::Blank => Outcome::Blank,
        Record::Unparsed { rule, line, column, message, .. } => Outcome::Unparsed(options.severities.of(rule).map(|severity| Diagnostic {
            path: name.to_string(),
            line: renumber(line),
            column,
            severity,
            rule,
            pointer: String::new(),
            message,
            index: None,
            suggestion: None,
            plan_location: None,
            source_line: None,
        })),
        Record::Parsed { text, first_line, value } => parsed(name, text, renumber(first_line), &value, options, true),
    }
}

/// The outcome of the document `text`, parsed into `value`, whose first line is `first_line`;
/// `duplicates` is false when it is known to have no duplicate keys.
pub(crate) fn parsed(name: &str, text: &[u8], first_line: usize, value: &serde_json::Value, options: &Options, duplicates: bool) -> Outcome {
    let mut report = check::check_parsed(value, text.len(), options);
    if duplicates {
        check::duplicates::check(text, &mut report);
    }
    let diagnose = |finding: Finding, index: Option<usize>| {
        let severity = options.severities.of(finding.rule)?;
        let (line, column) = records::place(text, first_line, locate(text, &finding.pointer));
        Some(Diagnostic {
            path: name.to_string(),
            line,
            column,
            severity,
            rule: finding.rule,
            pointer: finding.pointer,
            message: finding.message,
            index,
            suggestion: finding.suggestion,
            plan_location: finding.plan_location,
            source_line: None,
        })
    };
    let document = report.findings.into_iter().filter_map(|f| diagnose(f, None)).collect();
    let calls = report
        .calls
        .into_iter()
        .map(|call| {
            let mut diagnostics: Vec<Diagnostic> = call.findings.into_iter().filter_map(|f| diagnose(f, call.index)).collect();
            diagnostics.sort_by_key(|d| (d.line, d.column));
            diagnostics
        })
        .collect();
    Outcome::Checked { document, calls }
}
