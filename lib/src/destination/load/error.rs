//! Why a destination could not be loaded: no bundled one by that name, a file that cannot be
//! read or is not a destination, or an `extends` naming no bundled destination.

use std::fmt;
use std::path::PathBuf;

use super::names;

/// A destination that cannot be loaded (see [`load`](super::load)).
///
/// ```
/// use cdpspec::destination::{LoadError, load};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// let path = dir.join("customerio-eu.json");
/// std::fs::write(&path, r#"{"destination": "Customer.io EU", "extends": "segment"}"#).unwrap();
/// let error = load(path.to_str().unwrap()).unwrap_err();
/// assert!(matches!(&error, LoadError::UnknownBase { base, .. } if base == "segment"));
/// assert!(error.to_string().contains("`extends` names `segment`, which is not bundled"));
/// ```
#[derive(Debug)]
pub enum LoadError {
    /// A name (not a path) that is no bundled destination.
    UnknownBundled {
        /// The name as given.
        name: String,
    },
    /// The destination file could not be read.
    Read {
        /// The file, as given.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is not JSON in the destination format.
    Parse {
        /// The file, as given.
        path: PathBuf,
        /// The JSON error, with line and column.
        source: serde_json::Error,
    },
    /// The file has neither `actions` nor `extends`.
    NoActions {
        /// The file, as given.
        path: PathBuf,
    },
    /// `extends` names no bundled destination.
    UnknownBase {
        /// The file, as given.
        path: PathBuf,
        /// The value of `extends`.
        base: String,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bundled = names().join(", ");
        match self {
            LoadError::UnknownBundled { name } => write!(f, "no bundled destination named `{name}` (bundled: {bundled})"),
            LoadError::Read { path, source } => write!(f, "cannot read {}: {source}", path.display()),
            LoadError::Parse { path, source } => write!(f, "{}: {source}", path.display()),
            LoadError::NoActions { path } => write!(f, "{}: a destination needs `actions` (or `extends` naming a bundled destination)", path.display()),
            LoadError::UnknownBase { path, base } => write!(f, "{}: `extends` names `{base}`, which is not bundled ({bundled})", path.display()),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::Read { source, .. } => Some(source),
            LoadError::Parse { source, .. } => Some(source),
            LoadError::UnknownBundled { .. } | LoadError::NoActions { .. } | LoadError::UnknownBase { .. } => None,
        }
    }
}
