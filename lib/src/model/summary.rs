//! The closing account of a run: every input line and every call counted once.

use crate::diagnostic::Diagnostic;
use crate::rule::Severity;
use crate::words::{a_or_plural, plural};

/// Counts of one run. `records == parsed + unparsed + blank` always holds, and
/// `calls == valid + with_errors`.
///
/// ```
/// use cdpspec::input::Layout;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::Validation;
///
/// let ndjson = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}
/// {"type":"track","userId":"97980cfea0067"}
/// {"type":"track","#;
/// let mut collect = Collect::default();
/// let mut run = Validation::new(Default::default(), &mut collect);
/// run.reader("events.ndjson", &ndjson[..], Layout::Lines).unwrap();
/// let summary = run.finish().unwrap();
/// assert_eq!((summary.records, summary.parsed, summary.unparsed), (3, 2, 1));
/// assert_eq!((summary.calls, summary.valid, summary.with_errors), (2, 1, 1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Sources read (files and stdin).
    pub files: usize,
    /// Records read: each NDJSON line is one, and so is each JSON document (a whole `.json`
    /// file). Every line of NDJSON input is counted here.
    pub records: usize,
    /// Records that were only white space.
    pub blank: usize,
    /// Records that did not parse (malformed JSON or UTF-8).
    pub unparsed: usize,
    /// Records that parsed.
    pub parsed: usize,
    /// Calls checked (each call in a batch or array counts).
    pub calls: usize,
    /// Calls without errors (they may have warnings).
    pub valid: usize,
    /// Calls with at least one error.
    pub with_errors: usize,
    /// Calls with at least one warning and no error.
    pub with_warnings: usize,
    /// Diagnostics of severity error, including ones about records and batches.
    pub errors: usize,
    /// Diagnostics of severity warning.
    pub warnings: usize,
    /// Errors about records that did not parse (one per such record, unless the rule is off).
    pub record_errors: usize,
    /// Errors about a document as a whole (a batch's envelope or size), not any one call.
    pub document_errors: usize,
    /// Sources that could not be read.
    pub io_errors: usize,
    /// With `--valid-out`/`--invalid-out`: what went to each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<crate::split::SplitCounts>,
}

impl Summary {
    /// Counts a diagnostic by severity, and an error by what it is about.
    ///
    /// ```
    /// use cdpspec::Summary;
    /// use cdpspec::summary::About;
    /// # use cdpspec::{Diagnostic, Rule, Severity};
    /// # let diagnostic = |severity| Diagnostic { path: "events.ndjson".into(), line: 1, column: 1, severity, rule: Rule::InvalidJson,
    /// #     pointer: String::new(), message: "expected value".into(), index: None, suggestion: None, plan_location: None, source_line: None };
    ///
    /// let mut summary = Summary::default();
    /// summary.count(&diagnostic(Severity::Error), About::Record);
    /// summary.count(&diagnostic(Severity::Warning), About::Call);
    /// assert_eq!((summary.errors, summary.record_errors, summary.warnings), (1, 1, 1));
    /// ```
    pub fn count(&mut self, diagnostic: &Diagnostic, about: About) {
        match diagnostic.severity {
            Severity::Error => {
                self.errors += 1;
                match about {
                    About::Record => self.record_errors += 1,
                    About::Document => self.document_errors += 1,
                    About::Call => {}
                }
            }
            Severity::Warning => self.warnings += 1,
        }
    }

    /// Counts a checked call by the worst severity among its diagnostics.
    ///
    /// ```
    /// use cdpspec::{Severity, Summary};
    ///
    /// let mut summary = Summary::default();
    /// summary.count_call(None);
    /// summary.count_call(Some(Severity::Warning));
    /// summary.count_call(Some(Severity::Error));
    /// assert_eq!((summary.calls, summary.valid, summary.with_warnings, summary.with_errors), (3, 2, 1, 1));
    /// ```
    pub fn count_call(&mut self, worst: Option<Severity>) {
        self.calls += 1;
        match worst {
            Some(Severity::Error) => self.with_errors += 1,
            Some(Severity::Warning) => {
                self.valid += 1;
                self.with_warnings += 1;
            }
            None => self.valid += 1,
        }
    }

    /// One paragraph for people. The errors are broken down by what they are about whenever
    /// some are not about calls, so `0 with errors` next to `1 error` never reads as a
    /// contradiction.
    ///
    /// ```
    /// use cdpspec::Summary;
    ///
    /// let summary = Summary { files: 1, records: 2, parsed: 2, calls: 2, valid: 1, with_errors: 1, errors: 1, ..Summary::default() };
    /// assert_eq!(
    ///     summary.to_human(),
    ///     "Checked 2 calls in 1 file: 1 valid, 1 with errors. Read 2 records (2 parsed, 0 did not parse, 0 blank). 1 error, 0 warnings."
    /// );
    /// ```
    pub fn to_human(&self) -> String {
        let mut valid = format!("{} valid", self.valid);
        if self.with_warnings > 0 {
            valid.push_str(&format!(" ({} with warnings)", self.with_warnings));
        }
        let mut text = format!(
            "Checked {} in {}: {valid}, {} with errors. Read {} ({} parsed, {} did not parse, {} blank). {}, {}.",
            plural(self.calls, "call"),
            plural(self.files, "file"),
            self.with_errors,
            plural(self.records, "record"),
            self.parsed,
            self.unparsed,
            self.blank,
            self.errors_in_words(),
            plural(self.warnings, "warning"),
        );
        if let Some(split) = &self.split {
            text.push_str(&format!(" Split: {} to the valid output, {} to the invalid output.", split.valid, split.invalid));
        }
        if self.io_errors > 0 {
            text.push_str(&format!(" {} could not be read.", plural(self.io_errors, "input")));
        }
        text
    }

    /// `3 errors`, with where they are when not all of them are in calls: `2 errors (1 in a
    /// call, 1 record did not parse)`.
    fn errors_in_words(&self) -> String {
        let total = plural(self.errors, "error");
        let in_calls = self.errors - self.record_errors - self.document_errors;
        if self.record_errors + self.document_errors == 0 {
            return total;
        }
        let mut parts = Vec::new();
        if in_calls > 0 {
            parts.push(format!("{in_calls} in {}", a_or_plural(self.with_errors, "call")));
        }
        if self.document_errors > 0 {
            parts.push(format!("{} about a batch as a whole", self.document_errors));
        }
        if self.record_errors > 0 {
            let verb = if self.record_errors == 1 { "record did" } else { "records did" };
            parts.push(format!("{} {verb} not parse", self.record_errors));
        }
        format!("{total} ({})", parts.join(", "))
    }
}

/// What a diagnostic is about, for the summary's account of errors.
///
/// ```
/// use cdpspec::Summary;
/// use cdpspec::summary::About;
/// # use cdpspec::{Diagnostic, Rule, Severity};
/// # let too_large = Diagnostic { path: "batch.json".into(), line: 1, column: 1, severity: Severity::Error, rule: Rule::BatchTooLarge,
/// #     pointer: String::new(), message: "the batch is larger than 500 KB".into(), index: None, suggestion: None, plan_location: None, source_line: None };
///
/// let mut summary = Summary { files: 1, records: 1, parsed: 1, ..Summary::default() };
/// summary.count(&too_large, About::Document);
/// assert!(summary.to_human().ends_with("1 error (1 about a batch as a whole), 0 warnings."));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// A record that did not parse.
    Record,
    /// A document as a whole: a batch's envelope or size.
    Document,
    /// One call.
    Call,
}
