//! What checking one record produced, ready to count and emit in input order: computed on any
//! thread, consumed by `validate::Validation` on its own. Also the precise path: serde_json,
//! `check::check_document`, diagnostics placed in the source text.

use crate::check::{self, Options};
use crate::diagnostic::{Diagnostic, Finding};
use crate::locate::locate;
use crate::records::{self, Record};

/// The result of one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A line of only white space.
    Blank,
    /// A record that did not parse, with its diagnostic unless the rule is off. Boxed: an
    /// outcome is moved from thread to thread for every record, and most are `Clean`, which
    /// should not cost the size of a diagnostic.
    Unparsed(Option<Box<Diagnostic>>),
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

impl Outcome {
    /// The diagnostics of severity error: about the record, the document and every call.
    pub fn errors(&self) -> usize {
        let is_error = |d: &&Diagnostic| d.severity == crate::rule::Severity::Error;
        match self {
            Outcome::Blank | Outcome::Clean { .. } => 0,
            Outcome::Unparsed(d) => d.iter().map(|d| &**d).filter(is_error).count(),
            Outcome::Checked { document, calls } => document.iter().chain(calls.iter().flatten()).filter(is_error).count(),
        }
    }
}

/// The outcome of a record read by `records::read`; `renumber` turns the reader's line numbers
/// into the source's.
pub(crate) fn from_record(name: &str, record: Record<'_>, renumber: &dyn Fn(usize) -> usize, options: &Options) -> Outcome {
    match record {
        Record::Blank => Outcome::Blank,
        Record::Unparsed { rule, line, column, message, .. } => Outcome::Unparsed(options.severities.of(rule).map(|severity| {
            Box::new(Diagnostic {
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
            })
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
    check::surrogates::check(text, &mut report);
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

#[cfg(test)]
mod tests {
    use super::Outcome;

    /// Every record's outcome crosses from a checking thread to the reading one: it stays the
    /// size of the two vectors of `Checked`, not of a diagnostic.
    #[test]
    fn an_outcome_is_small() {
        assert!(std::mem::size_of::<Outcome>() <= 56, "{} bytes", std::mem::size_of::<Outcome>());
    }
}
