//! The one diagnostic model every output format renders: what went wrong, where (file, line,
//! column, JSON pointer, index in a batch), how bad, and what to do about it.

use crate::rule::{Rule, Severity};

/// A problem found in one call, before it is placed in a file. Checks produce these; the input
/// layer turns them into [`Diagnostic`]s by locating `pointer` in the source text.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::check::{Options, check_document};
///
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "timestamp": "yesterday"});
/// let finding = &check_document(&call, &Options::default()).calls[0].findings[0];
/// assert_eq!((finding.rule, finding.pointer.as_str()), (Rule::InvalidTimestamp, "/timestamp"));
/// ```
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
    ///
    /// ```
    /// use cdpspec::{Finding, Rule};
    ///
    /// let finding = Finding::new(Rule::EmptyEvent, "/event", "`event` is an empty string");
    /// assert_eq!(finding.pointer, "/event");
    /// assert_eq!((finding.suggestion, finding.plan_location), (None, None));
    /// ```
    pub fn new(rule: Rule, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { rule, pointer: pointer.into(), message: message.into(), suggestion: None, plan_location: None }
    }

    /// The same finding, demanded by the plan rule at `location`.
    ///
    /// ```
    /// use cdpspec::{Finding, Rule};
    ///
    /// let finding = Finding::new(Rule::UnplannedEvent, "/event", "`Course Enroled` is not in the plan")
    ///     .at_plan("courses.yaml#/events");
    /// assert_eq!(finding.plan_location.as_deref(), Some("courses.yaml#/events"));
    /// ```
    pub fn at_plan(mut self, location: impl Into<String>) -> Self {
        self.plan_location = Some(location.into());
        self
    }

    /// The same finding with a suggested fix.
    ///
    /// ```
    /// use cdpspec::{Finding, Rule};
    ///
    /// let finding = Finding::new(Rule::UnknownType, "/type", "`identity` is not a call type").suggest("identify");
    /// assert_eq!(finding.suggestion.as_deref(), Some("identify"));
    /// ```
    pub fn suggest(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(suggestion.into());
        self
    }
}

/// A finding placed in its input: the unit every output format renders.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::input::Layout;
/// use cdpspec::output::Collect;
/// use cdpspec::validate::Validation;
///
/// let mut collect = Collect::default();
/// let mut run = Validation::new(Default::default(), &mut collect);
/// run.reader("events.ndjson", &br#"{"type":"track","userId":"97980cfea0067"}"#[..], Layout::Lines).unwrap();
/// run.finish().unwrap();
/// let d = &collect.diagnostics[0];
/// assert_eq!((d.path.as_str(), d.line, d.rule), ("events.ndjson", 1, Rule::MissingRequired));
/// ```
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
