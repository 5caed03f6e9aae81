//! Why a severity setting (`--severity RULE=LEVEL`, or a line of cdpspec.toml's `[rules]`) was
//! not understood.

use std::fmt;

/// A severity setting that names no rule or no level.
///
/// ```
/// use cdpspec::rule::{Severities, SeverityError};
///
/// let err = Severities::parse_assignment("unplaned-event=warning").unwrap_err();
/// assert_eq!(err, SeverityError::UnknownRule { name: "unplaned-event".into(), closest: Some("unplanned-event") });
/// assert_eq!(err.to_string(), "`unplaned-event` is not a rule; did you mean `unplanned-event`?");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SeverityError {
    /// The setting has no `=`.
    NotAnAssignment {
        /// The setting as given.
        text: String,
    },
    /// The rule is neither a rule's code nor its name.
    UnknownRule {
        /// The rule as given.
        name: String,
        /// The rule name it is probably a misspelling of, if any.
        closest: Option<&'static str>,
    },
    /// The level is not `error`, `warning` (`warn`) or `off` (`allow`).
    UnknownLevel {
        /// The level as given.
        level: String,
    },
}

impl fmt::Display for SeverityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SeverityError::NotAnAssignment { text } => write!(f, "`{text}`: expected RULE=LEVEL, such as unplanned-event=warning"),
            SeverityError::UnknownRule { name, closest: Some(closest) } => write!(f, "`{name}` is not a rule; did you mean `{closest}`?"),
            SeverityError::UnknownRule { name, closest: None } => write!(f, "`{name}` is not a rule (see `cdpspec rules`)"),
            SeverityError::UnknownLevel { level } => write!(f, "`{level}` is not a severity; expected error, warning or off"),
        }
    }
}

impl std::error::Error for SeverityError {}
