//! Settings resolved once for every front end: `cdpspec.toml` with the overrides a command
//! line (or a collector's or a stream's own flags) gives, so `validate`, `coverage`, `serve`
//! and `stream` can never disagree on a plan, a severity or a limit. [`crate::engine::Engine`]
//! compiles them.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::CallType;
use crate::check::limits::{LimitError, Limits};
use crate::config::{self, Config, ConfigFileError};
use crate::coverage::CompileError;
use crate::destination::LoadError;
use crate::plan::PlanError;
use crate::rule::{Level, Rule, Severities};

/// What a run checks with, after the config file and the overrides were merged.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::config::{Config, Overrides, resolve};
/// use cdpspec::engine::Engine;
///
/// let overrides = Overrides { call_type: Some(CallType::Track), ..Overrides::default() };
/// let settings = resolve(&Config::default(), &overrides).unwrap();
/// let engine = Engine::new(&settings).unwrap();
/// let report = engine.check_value(&serde_json::json!({"userId": "97980cfea0067", "event": "Course Enrolled"}));
/// assert_eq!(report.calls[0].call_type, Some(CallType::Track));
/// assert!(report.calls[0].findings.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// The type of top-level payloads without `type`.
    pub call_type: Option<CallType>,
    /// The tracking plan to apply.
    pub plan: Option<PathBuf>,
    /// Severity per rule.
    pub severities: Severities,
    /// Size and length limits.
    pub limits: Limits,
    /// The destination to evaluate calls against (bundled name or file).
    pub destination: Option<String>,
    /// What to read when no input is named.
    pub paths: Vec<String>,
    /// Whether warnings fail a run.
    pub deny_warnings: bool,
}

/// What a command line says on top of the config file; every field wins over it.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::config::{Config, Overrides, resolve};
/// use cdpspec::rule::Level;
///
/// let config = Config { paths: vec!["events/".into()], ..Config::default() };
/// let overrides = Overrides { paths: vec!["captures/".into()], severities: vec![(Rule::InvalidEmail, Level::Off)], ..Overrides::default() };
/// let settings = resolve(&config, &overrides).unwrap();
/// assert_eq!(settings.paths, ["captures/"]);
/// assert_eq!(settings.severities.of(Rule::InvalidEmail), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// `--type`.
    pub call_type: Option<CallType>,
    /// `--plan`.
    pub plan: Option<PathBuf>,
    /// `--severity RULE=LEVEL`, in order.
    pub severities: Vec<(Rule, Level)>,
    /// `--limit NAME=N`, in order.
    pub limits: Vec<(String, usize)>,
    /// `--destination`.
    pub destination: Option<String>,
    /// The inputs named.
    pub paths: Vec<String>,
    /// `--deny warnings`.
    pub deny_warnings: bool,
}

/// Why settings could not be resolved or compiled into an engine.
///
/// ```
/// use cdpspec::config::{Config, ConfigError, Overrides, Settings, resolve};
/// use cdpspec::engine::Engine;
///
/// let overrides = Overrides { limits: vec![("batch-call".into(), 100)], ..Overrides::default() };
/// assert!(matches!(resolve(&Config::default(), &overrides), Err(ConfigError::Limit(_))));
///
/// let settings = Settings { plan: Some(std::path::PathBuf::from("no/such/tracking-plan.yaml")), ..Settings::default() };
/// assert!(matches!(Engine::new(&settings), Err(ConfigError::PlanFile(_))));
/// ```
#[derive(Debug)]
pub enum ConfigError {
    /// The config file cannot be read or has a wrong key or value.
    File(ConfigFileError),
    /// An override names an unknown limit or sets one to 0.
    Limit(LimitError),
    /// The plan file cannot be read or parsed.
    PlanFile(crate::plan::Error),
    /// The plan does not compile (a section that is not a valid JSON Schema).
    Plan(PlanError),
    /// The destination cannot be found or read.
    DestinationFile(LoadError),
    /// The destination does not compile (a trigger or mapping that does not parse).
    Destination {
        /// The destination as named.
        name: String,
        /// Every problem, each naming its preset or action.
        source: CompileError,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::File(e) => write!(f, "{e}"),
            ConfigError::Limit(e) => write!(f, "{e}"),
            ConfigError::PlanFile(e) => write!(f, "cannot load plan: {e}"),
            ConfigError::Plan(e) => write!(f, "plan does not compile: {e}"),
            ConfigError::DestinationFile(e) => write!(f, "{e}"),
            ConfigError::Destination { name, source } => {
                let problems: Vec<String> = source.problems.iter().map(ToString::to_string).collect();
                write!(f, "destination `{name}` does not load:\n  {}", problems.join("\n  "))
            }
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::File(e) => Some(e),
            ConfigError::Limit(e) => Some(e),
            ConfigError::PlanFile(e) => Some(e),
            ConfigError::Plan(e) => Some(e),
            ConfigError::DestinationFile(e) => Some(e),
            ConfigError::Destination { source, .. } => Some(source),
        }
    }
}

/// The config file of a run: `explicit` (`--config`), else the nearest `cdpspec.toml` from
/// `dir` upwards, else none (all defaults).
///
/// # Errors
///
/// The file cannot be read, or has an unknown key or a wrong value.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::config::find;
///
/// let scratch = tempfile::tempdir().unwrap();
/// let project = scratch.path().join("project");
/// std::fs::create_dir_all(project.join("events")).unwrap();
/// std::fs::write(project.join("cdpspec.toml"), "type = \"track\"\n").unwrap();
/// let config = find(None, &project.join("events")).unwrap();
/// assert_eq!((config.path, config.call_type), (Some(project.join("cdpspec.toml")), Some(CallType::Track)));
/// ```
pub fn find(explicit: Option<&Path>, dir: &Path) -> Result<Config, ConfigError> {
    let path = explicit.map(PathBuf::from).or_else(|| config::discover(dir));
    Ok(path.map(|p| config::load(&p)).transpose().map_err(ConfigError::File)?.unwrap_or_default())
}

/// Merges `overrides` into `config`: each override wins.
///
/// # Errors
///
/// An override names an unknown limit.
///
/// ```
/// use cdpspec::config::{Config, Overrides, resolve};
///
/// let overrides = Overrides { limits: vec![("batch-calls".into(), 10)], ..Overrides::default() };
/// let settings = resolve(&Config::default(), &overrides).unwrap();
/// assert_eq!(settings.limits.batch_calls, 10);
/// assert!(resolve(&Config::default(), &Overrides { limits: vec![("batch-call".into(), 1)], ..Overrides::default() }).is_err());
/// ```
pub fn resolve(config: &Config, overrides: &Overrides) -> Result<Settings, ConfigError> {
    let mut severities = config.severities.clone();
    for (rule, level) in &overrides.severities {
        severities.set(*rule, *level);
    }
    let mut limits = config.limits;
    for (name, value) in &overrides.limits {
        limits.set(name, *value).map_err(ConfigError::Limit)?;
    }
    Ok(Settings {
        call_type: overrides.call_type.or(config.call_type),
        plan: overrides.plan.clone().or_else(|| config.plan.clone()),
        severities,
        limits,
        destination: overrides.destination.clone().or_else(|| config.destination.clone()),
        paths: if overrides.paths.is_empty() { config.paths.clone() } else { overrides.paths.clone() },
        deny_warnings: overrides.deny_warnings || config.deny_warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file() {
        let mut config = Config { call_type: Some(CallType::Track), deny_warnings: false, paths: vec!["events/".into()], ..Config::default() };
        config.severities.set(Rule::UnplannedEvent, Level::Warning);
        let overrides =
            Overrides { call_type: Some(CallType::Alias), severities: vec![(Rule::UnplannedEvent, Level::Off)], deny_warnings: true, ..Overrides::default() };
        let settings = resolve(&config, &overrides).unwrap();
        assert_eq!(settings.call_type, Some(CallType::Alias));
        assert_eq!(settings.severities.of(Rule::UnplannedEvent), None);
        assert_eq!(settings.paths, ["events/"]);
        assert!(settings.deny_warnings);
    }
}
