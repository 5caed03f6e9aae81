//! Why an export failed: I/O, a plan that cannot be turned into schemas, a `$ref` that cannot be
//! bundled, a keyword with no form in the target draft, or an output its meta-schema rejects.

use std::fmt;
use std::path::PathBuf;

/// An export that could not be completed. Files written before the error stay on disk.
///
/// ```
/// use cdpspec::export::{Draft, ExportError, Options, export};
///
/// // The output directory is a file.
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("not-a-directory");
/// std::fs::write(&out, "not a directory").unwrap();
/// let error = export(&Options { out: &out, plan: None, draft: Draft::Draft202012, bundle: false }).unwrap_err();
/// assert!(matches!(&error, ExportError::Io { path, .. } if path == &out));
/// assert!(error.to_string().starts_with("cannot write "));
/// ```
#[derive(Debug)]
pub enum ExportError {
    /// A file or directory could not be written.
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The plan cannot be exported (an event without versions, two events whose file names
    /// collide, a version listed twice).
    Plan(String),
    /// A `$ref` that cannot be made local: it leaves the canonical schemas and the plan, points
    /// at nothing, or uses an anchor or `$dynamicRef`.
    Reference {
        /// The output file (relative to the export directory) being built.
        file: String,
        /// JSON Pointer of the schema holding the `$ref`, in that file.
        pointer: String,
        /// The reference as written.
        reference: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A keyword that the target draft cannot express (draft 7 has no `unevaluatedProperties`).
    Unsupported {
        /// The output file (relative to the export directory).
        file: String,
        /// JSON Pointer of the schema using it, in that file.
        pointer: String,
        /// The keyword.
        keyword: String,
        /// Why it cannot be converted, and what to write instead.
        reason: String,
    },
    /// An output failed its draft's meta-schema (a plan section that is not a valid schema).
    MetaSchema {
        /// The output file (relative to the export directory).
        file: String,
        /// The meta-schema's error.
        message: String,
    },
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io { path, source } => write!(f, "cannot write {}: {source}", path.display()),
            ExportError::Plan(message) => write!(f, "cannot export the plan: {message}"),
            ExportError::Reference { file, pointer, reference, reason } => {
                write!(f, "{file}: `$ref` \"{reference}\" at {}: {reason}", at(pointer))
            }
            ExportError::Unsupported { file, pointer, keyword, reason } => write!(f, "{file}: `{keyword}` at {}: {reason}", at(pointer)),
            ExportError::MetaSchema { file, message } => write!(f, "{file} is not a valid schema of its draft: {message}"),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn at(pointer: &str) -> &str {
    if pointer.is_empty() { "the root" } else { pointer }
}
