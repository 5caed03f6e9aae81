//! Why a limit could not be set: an unknown name, a zero, or a `--limit` that is not
//! `NAME=VALUE` with a whole number.

use std::fmt;

use super::Limits;

/// A limit that cannot be set, from cdpspec.toml's `[limits]` or `--limit`.
///
/// ```
/// use cdpspec::check::limits::{LimitError, Limits};
///
/// let error = Limits::parse_assignment("batch-bytes").unwrap_err();
/// assert_eq!(error, LimitError::NotAnAssignment { text: "batch-bytes".into() });
/// assert_eq!(Limits::default().set("call-bytes", 0).unwrap_err().to_string(), "limit `call-bytes` must be at least 1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitError {
    /// The name is none of [`Limits::NAMES`].
    UnknownLimit {
        /// The name as given.
        name: String,
        /// The valid name it is probably a misspelling of, if any.
        closest: Option<&'static str>,
    },
    /// The value is 0: every limit is at least 1.
    Zero {
        /// The limit's name.
        name: String,
    },
    /// A `--limit` without `=`.
    NotAnAssignment {
        /// The argument as given.
        text: String,
    },
    /// A `--limit` whose value is not a whole number.
    NotANumber {
        /// The limit's name, as given before `=`.
        name: String,
        /// The value, as given after `=`.
        value: String,
    },
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LimitError::UnknownLimit { name, closest: Some(closest) } => write!(f, "`{name}` is not a limit; did you mean `{closest}`?"),
            LimitError::UnknownLimit { name, closest: None } => write!(f, "`{name}` is not a limit; limits: {}", Limits::NAMES.join(", ")),
            LimitError::Zero { name } => write!(f, "limit `{name}` must be at least 1"),
            LimitError::NotAnAssignment { text } => write!(f, "`{text}` is not NAME=VALUE (limits: {})", Limits::NAMES.join(", ")),
            LimitError::NotANumber { name, value } => write!(f, "limit `{name}`: `{value}` is not a whole number"),
        }
    }
}

impl std::error::Error for LimitError {}
