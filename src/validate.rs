//! `cdpspec validate`: reads sources, splits them into documents, checks each, places findings
//! in the source text and hands diagnostics to an emitter as they are found. One bad line never
//! stops the others; every line is counted in the summary.

use std::io::{self, BufRead};

use crate::check::{self, DocumentReport};
use crate::diagnostic::{Diagnostic, Finding};
use crate::input::{Layout, Source};
use crate::locate::locate;
use crate::output::Emitter;
use crate::records::{self, Record};
use crate::rule::Rule;
use crate::summary::Summary;

/// One validation run over any number of sources.
pub struct Validation<'e> {
    options: check::Options,
    emitter: &'e mut dyn Emitter,
    /// The counts so far.
    pub summary: Summary,
}

impl<'e> Validation<'e> {
    /// A run that reports to `emitter`.
    pub fn new(options: check::Options, emitter: &'e mut dyn Emitter) -> Self {
        Validation { options, emitter, summary: Summary::default() }
    }

    /// Validates one source. Read errors are counted and returned; what was read before the
    /// error stays reported.
    pub fn source(&mut self, source: &Source) -> io::Result<()> {
        self.summary.files += 1;
        let name = source.display_name();
        let default_type = self.options.default_type;
        self.options.default_type = default_type.or_else(|| source.implied_type());
        let result = source.open().and_then(|reader| self.reader(&name, reader, source.layout()));
        self.options.default_type = default_type;
        if result.is_err() {
            self.summary.io_errors += 1;
        }
        result
    }

    /// Counts an input that could not even be opened.
    pub fn unreadable(&mut self) {
        self.summary.io_errors += 1;
    }

    /// Validates everything `reader` yields, laid out as `layout` says.
    pub fn reader(&mut self, name: &str, reader: impl BufRead, layout: Layout) -> io::Result<()> {
        records::read(reader, layout, &mut |record| self.record(name, record))
    }

    /// Counts and checks one record.
    fn record(&mut self, name: &str, record: Record<'_>) {
        self.summary.records += 1;
        match record {
            Record::Blank => self.summary.blank += 1,
            Record::Unparsed { rule, line, column, message } => {
                self.summary.unparsed += 1;
                self.emit_record_error(rule, name, line, column, message);
            }
            Record::Parsed { text, first_line, value } => {
                self.summary.parsed += 1;
                let mut report = check::check_document(&value, text.len(), &self.options);
                check::duplicates::check(text, &mut report);
                self.emit_report(name, text, &|offset| records::place(text, first_line, offset), report);
            }
        }
    }

    fn emit_report(&mut self, name: &str, text: &[u8], place: &dyn Fn(usize) -> (usize, usize), report: DocumentReport) {
        let severities = &self.options.severities;
        let diagnose = |finding: Finding, index: Option<usize>| {
            let severity = severities.of(finding.rule)?;
            let (line, column) = place(locate(text, &finding.pointer));
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
            })
        };
        let document: Vec<Diagnostic> = report.findings.into_iter().filter_map(|f| diagnose(f, None)).collect();
        let calls: Vec<(Vec<Diagnostic>, Option<usize>)> =
            report.calls.into_iter().map(|call| (call.findings.into_iter().filter_map(|f| diagnose(f, call.index)).collect(), call.index)).collect();
        for d in &document {
            self.emit(d);
        }
        for (mut diagnostics, _) in calls {
            diagnostics.sort_by_key(|d| (d.line, d.column));
            let worst = diagnostics.iter().map(|d| d.severity).max();
            self.summary.count_call(worst);
            for d in &diagnostics {
                self.emit(d);
            }
        }
    }

    fn emit_record_error(&mut self, rule: Rule, name: &str, line: usize, column: usize, message: String) {
        let Some(severity) = self.options.severities.of(rule) else { return };
        let d = Diagnostic {
            path: name.to_string(),
            line,
            column,
            severity,
            rule,
            pointer: String::new(),
            message,
            index: None,
            suggestion: None,
            plan_location: None,
        };
        self.emit(&d);
    }

    fn emit(&mut self, d: &Diagnostic) {
        self.summary.count(d);
        self.emitter.diagnostic(d);
    }

    /// Ends the run: the emitter writes its summary; returns the exit code.
    pub fn finish(self) -> i32 {
        self.emitter.finish(&self.summary);
        self.summary.exit_code()
    }
}
