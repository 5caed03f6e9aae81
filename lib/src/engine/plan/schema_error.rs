//! Why a section schema of a plan does not compile (see [`compile_section`](super::compile_section)).

use std::fmt;

use jsonschema::ValidationError;

/// A section schema that is not a valid JSON Schema, or uses what plan validation does not allow
/// (a pattern the linear-time regex engine cannot run, a remote `$ref`).
///
/// ```
/// use cdpspec::plan::compile_section;
///
/// let error = compile_section(&serde_json::json!({"type": "object", "properties": {"plan": {"type": "text"}}})).err().unwrap();
/// assert!(error.to_string().starts_with("invalid JSON Schema: "));
/// ```
#[derive(Debug)]
pub struct SchemaError {
    /// jsonschema's error, with the keyword's path in the schema.
    pub source: ValidationError<'static>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid JSON Schema: {}", self.source)
    }
}

impl std::error::Error for SchemaError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}
