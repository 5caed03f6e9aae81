//! The closing account of a run: every input line and every call counted once.

use crate::diagnostic::Diagnostic;
use crate::rule::Severity;

/// Counts of one run. `records == parsed + unparsed + blank` always holds, and
/// `calls == valid + with_errors`.
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
    /// Sources that could not be read.
    pub io_errors: usize,
    /// With `--valid-out`/`--invalid-out`: what went to each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split: Option<crate::split::SplitCounts>,
}

impl Summary {
    /// Counts a diagnostic by severity.
    pub fn count(&mut self, diagnostic: &Diagnostic) {
        match diagnostic.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
    }

    /// Counts a checked call by the worst severity among its diagnostics.
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

    /// The exit code of the run: 2 when an input could not be read, 1 when anything had an
    /// error, 0 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.io_errors > 0 {
            2
        } else if self.errors > 0 {
            1
        } else {
            0
        }
    }

    /// One paragraph for people.
    pub fn to_human(&self) -> String {
        let plural = |n: usize, word: &str| if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") };
        let mut text = format!(
            "Checked {} in {}: {} valid ({} with warnings), {} with errors. Read {} ({} parsed, {} did not parse, {} blank). {}, {}.",
            plural(self.calls, "call"),
            plural(self.files, "file"),
            self.valid,
            self.with_warnings,
            self.with_errors,
            plural(self.records, "record"),
            self.parsed,
            self.unparsed,
            self.blank,
            plural(self.errors, "error"),
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
}
