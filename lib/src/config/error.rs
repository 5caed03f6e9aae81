//! Why a config file could not be read: it is unreadable or not TOML, or a key or value is not
//! one cdpspec knows. Every message starts with the file's path.

use std::fmt;
use std::path::PathBuf;

use super::KEYS;
use crate::check::limits::LimitError;
use crate::rule::SeverityError;

/// A `cdpspec.toml` that cannot be used.
///
/// ```
/// use cdpspec::config::{ConfigFileError, load};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// std::fs::write(dir.join("cdpspec.toml"), "deny_warnings = true\n").unwrap();
/// let err = load(&dir.join("cdpspec.toml")).unwrap_err();
/// assert!(matches!(err, ConfigFileError::UnknownKey { closest: Some("deny-warnings"), .. }));
/// assert!(err.to_string().ends_with("unknown key `deny_warnings`; did you mean `deny-warnings`?"));
/// ```
#[derive(Debug)]
pub enum ConfigFileError {
    /// The file could not be read.
    Read {
        /// The config file.
        path: PathBuf,
        /// The reason.
        source: std::io::Error,
    },
    /// The file is not TOML, or a value has the wrong type (`paths = "events/"`).
    Toml {
        /// The config file.
        path: PathBuf,
        /// The TOML parser's error, which names the line and column.
        source: toml::de::Error,
    },
    /// A top-level key that is not a setting.
    UnknownKey {
        /// The config file.
        path: PathBuf,
        /// The key as written.
        key: String,
        /// The valid key it is probably a misspelling of, if any.
        closest: Option<&'static str>,
    },
    /// `type` is not a call type.
    CallType {
        /// The config file.
        path: PathBuf,
        /// The value of `type`, as written.
        value: String,
    },
    /// A line of `[rules]` names no rule or no severity.
    Rules {
        /// The config file.
        path: PathBuf,
        /// What is wrong with the line.
        source: SeverityError,
    },
    /// A line of `[limits]` names no limit or sets one to 0.
    Limits {
        /// The config file.
        path: PathBuf,
        /// What is wrong with the line.
        source: LimitError,
    },
}

impl ConfigFileError {
    /// The config file the error is about.
    ///
    /// ```
    /// let scratch = tempfile::tempdir().unwrap();
    /// let missing = scratch.path().join("no-such-project/cdpspec.toml");
    /// let err = cdpspec::config::load(&missing).unwrap_err();
    /// assert_eq!(err.path(), missing);
    /// ```
    pub fn path(&self) -> &std::path::Path {
        match self {
            ConfigFileError::Read { path, .. }
            | ConfigFileError::Toml { path, .. }
            | ConfigFileError::UnknownKey { path, .. }
            | ConfigFileError::CallType { path, .. }
            | ConfigFileError::Rules { path, .. }
            | ConfigFileError::Limits { path, .. } => path,
        }
    }
}

impl fmt::Display for ConfigFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.path().display();
        match self {
            ConfigFileError::Read { source, .. } => write!(f, "cannot read {name}: {source}"),
            ConfigFileError::Toml { source, .. } => write!(f, "{name}: {}", source.to_string().trim_end()),
            ConfigFileError::UnknownKey { key, closest: Some(closest), .. } => write!(f, "{name}: unknown key `{key}`; did you mean `{closest}`?"),
            ConfigFileError::UnknownKey { key, closest: None, .. } => write!(f, "{name}: unknown key `{key}`; valid keys: {}", KEYS.join(", ")),
            ConfigFileError::CallType { value, .. } => {
                write!(f, "{name}: `type = \"{value}\"` is not a call type (identify, group, track, page, screen, alias)")
            }
            ConfigFileError::Rules { source, .. } => write!(f, "{name}: [rules] {source}"),
            ConfigFileError::Limits { source, .. } => write!(f, "{name}: [limits] {source}"),
        }
    }
}

impl std::error::Error for ConfigFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigFileError::Read { source, .. } => Some(source),
            ConfigFileError::Toml { source, .. } => Some(source),
            ConfigFileError::Rules { source, .. } => Some(source),
            ConfigFileError::Limits { source, .. } => Some(source),
            ConfigFileError::UnknownKey { .. } | ConfigFileError::CallType { .. } => None,
        }
    }
}
