//! What `plan infer` leaves to a person: conflicting types and near-duplicate names, listed
//! rather than merged, and calls it could not plan.

use std::fmt;

use serde::Serialize;

/// One thing in the traffic that a person should decide about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `conflicting-types`, `near-duplicate-names` or `not-planned`.
    pub code: &'static str,
    /// Where in the inferred plan (a JSON Pointer), or empty for the traffic as a whole.
    pub location: String,
    /// What was seen, in words.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{}: {} (at #{})", self.code, self.message, self.location)
        }
    }
}
