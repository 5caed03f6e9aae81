//! The one diagnostic model every output format renders: what went wrong, where (file, line,
//! column, JSON pointer, index in a batch), how bad, and what to do about it.

use crate::rule::{Rule, Severity};

/// A problem found in one call, before it is placed in a file. Checks produce these; the input
/// layer turns them into [`Diagnostic`]s by locating `pointer` in the source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Which check found it.
    pub rule: Rule,
    /// JSON pointer (RFC 6901) of the offending value, relative to the document (the NDJSON
    /// line or the JSON file). For a missing field, the object that lacks it.
    pub pointer: String,
    /// A sentence a person can act on.
    pub message: String,
    /// The obvious fix, when there is one (`identify` for `"type": "identity"`).
    pub suggestion: Option<String>,
    /// For tracking-plan violations: where in the plan the broken rule is
    /// (`plan.yaml#/events/0/versions/1/properties/required`).
    pub plan_location: Option<String>,
}

impl Finding {
    /// A finding without a suggestion.
    pub fn new(rule: Rule, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { rule, pointer: pointer.into(), message: message.into(), suggestion: None, plan_location: None }
    }

    /// The same finding, demanded by the plan rule at `location`.
    pub fn at_plan(mut self, location: impl Into<String>) -> Self {
        self.plan_location = Some(location.into());
        self
    }

    /// The same finding with a suggested fix.
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// A finding placed in its input: the unit every output format renders.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// The input's path as given on the command line (`<stdin>` for `-`).
    pub path: String,
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// The check that fired.
    pub rule: Rule,
    /// JSON pointer of the offending value within its document.
    pub pointer: String,
    /// What is wrong and what to do.
    pub message: String,
    /// Position of the call in its batch or array, when it is in one.
    pub index: Option<usize>,
    /// The obvious fix, when there is one.
    pub suggestion: Option<String>,
    /// For tracking-plan violations: the plan rule that demanded it.
    pub plan_location: Option<String>,
    /// The source line `line` (without its terminator, invalid UTF-8 replaced), for snippets;
    /// taken from the record as it was read, so stdin and gzip inputs have it too. Filled when
    /// the emitter asks for it (`Emitter::wants_source_lines`).
    pub source_line: Option<String>,
}
