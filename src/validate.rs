//! `cdpspec validate`: reads sources, splits them into documents, checks each, places findings
//! in the source text and hands diagnostics to an emitter as they are found. One bad line never
//! stops the others; every line is counted in the summary.

use std::fs::File;
use std::io::{self, BufRead, BufReader};

use serde_json::Value;

use crate::check::{self, DocumentReport};
use crate::diagnostic::{Diagnostic, Finding};
use crate::input::{Layout, Source, looks_like_document_line};
use crate::locate::{line_column, locate};
use crate::output::Emitter;
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
        let result = match source {
            Source::Stdin => self.reader(&name, io::stdin().lock(), source.layout()),
            Source::File(path) => File::open(path).and_then(|f| self.reader(&name, BufReader::with_capacity(1 << 16, f), source.layout())),
        };
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
    pub fn reader(&mut self, name: &str, mut reader: impl BufRead, layout: Layout) -> io::Result<()> {
        let mut line = Vec::new();
        let mut number = 0;
        let mut head = Vec::new();
        // Blank lines before the first document, kept in case the source is one document.
        let mut blank_head = 0;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            number += 1;
            strip_line_end(&mut line, number);
            if line.trim_ascii().is_empty() && layout != Layout::Lines {
                blank_head += 1;
                head.extend_from_slice(&line);
                head.push(b'\n');
                continue;
            }
            if layout != Layout::Lines && !looks_like_document_line(&line) {
                // One JSON document: the rest of the source belongs to it.
                head.extend_from_slice(&line);
                head.push(b'\n');
                reader.read_to_end(&mut head)?;
                let trimmed = head.trim_ascii_end().len();
                head.truncate(trimmed);
                self.summary.records += 1;
                self.document(name, &head, 1, true);
                return Ok(());
            }
            if blank_head > 0 {
                self.summary.records += blank_head;
                self.summary.blank += blank_head;
            }
            self.record(name, &line, number);
            return self.lines(name, reader, number);
        }
        // Only blank lines, or nothing at all.
        if layout == Layout::Document {
            self.summary.records += 1;
            self.document(name, &head, 1, true);
            return Ok(());
        }
        self.summary.records += blank_head;
        self.summary.blank += blank_head;
        Ok(())
    }

    fn lines(&mut self, name: &str, mut reader: impl BufRead, mut number: usize) -> io::Result<()> {
        let mut line = Vec::new();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            number += 1;
            strip_line_end(&mut line, number);
            self.record(name, &line, number);
        }
    }

    /// One NDJSON line.
    fn record(&mut self, name: &str, line: &[u8], number: usize) {
        self.summary.records += 1;
        if line.trim_ascii().is_empty() {
            self.summary.blank += 1;
        } else {
            self.document(name, line, number, false);
        }
    }

    /// Parses and checks one document whose first byte is on line `first_line`.
    fn document(&mut self, name: &str, text: &[u8], first_line: usize, whole_file: bool) {
        let place = |offset: usize| {
            let (line, column) = line_column(text, offset);
            (first_line + line - 1, column)
        };
        if let Err(e) = std::str::from_utf8(text) {
            self.summary.unparsed += 1;
            let (line, column) = place(e.valid_up_to());
            let message = format!("invalid UTF-8 (byte 0x{:02x}); JSON must be UTF-8", text[e.valid_up_to()]);
            self.emit_record_error(Rule::InvalidUtf8, name, line, column, message);
            return;
        }
        if whole_file && text.trim_ascii().is_empty() {
            self.summary.unparsed += 1;
            self.emit_record_error(Rule::InvalidJson, name, first_line, 1, "file is empty; expected a call, a batch or an array of calls".to_string());
            return;
        }
        let doc: Value = match serde_json::from_slice(text) {
            Ok(doc) => doc,
            Err(e) => {
                self.summary.unparsed += 1;
                let (line, column) = place(parse_error_offset(text, &e));
                self.emit_record_error(Rule::InvalidJson, name, line, column, parse_error_message(&e));
                return;
            }
        };
        self.summary.parsed += 1;
        let report = check::check_document(&doc, text.len(), &self.options);
        self.emit_report(name, text, &place, report);
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

/// Drops the line terminator (`\n`, `\r\n`) and, on the first line, a UTF-8 byte order mark.
fn strip_line_end(line: &mut Vec<u8>, number: usize) {
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if number == 1 && line.starts_with(b"\xEF\xBB\xBF") {
        line.drain(..3);
    }
}

/// The byte offset serde_json's error points at; for a trailing comma, the comma itself
/// (serde_json points at the bracket after it).
fn parse_error_offset(text: &[u8], e: &serde_json::Error) -> usize {
    let line_start = text.split_inclusive(|&b| b == b'\n').take(e.line().saturating_sub(1)).map(<[u8]>::len).sum::<usize>();
    let offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    if e.to_string().starts_with("trailing comma")
        && let Some(comma) = text[..offset].iter().rposition(|&b| b == b',')
    {
        return comma;
    }
    offset
}

/// The parser's reason without its own position (diagnostics carry the position).
fn parse_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let reason = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    match reason {
        "recursion limit exceeded" => "nesting is deeper than 128 levels (recursion limit exceeded); no call nests that deep".to_string(),
        _ => format!("malformed JSON: {reason}"),
    }
}
