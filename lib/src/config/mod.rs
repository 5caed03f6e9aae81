//! `cdpspec.toml`: project settings found from the working directory upwards (or given with
//! `--config`). Command-line flags win over it.
//!
//! ```toml
//! plan = "tracking-plan.yaml"   # the plan `validate` applies (relative to this file)
//! type = "track"                # the type of payloads without `type`
//! paths = ["events/"]           # what `validate` and `coverage` read when given no PATH
//! destination = "customerio"    # the destination `coverage` evaluates
//! deny-warnings = true          # warnings fail the run, as `--deny warnings`
//!
//! [rules]                       # severity per rule (code or name): error, warning, off
//! unplanned-event = "warning"
//!
//! [limits]                      # the pipeline's limits, where they differ from the defaults
//! call-bytes = 32768            # largest call (default 32 KB)
//! batch-bytes = 512000          # largest batch request (default 500 KB)
//! batch-calls = 2500            # most calls per batch
//! message-id-chars = 100        # `messageId` must be shorter
//! record-bytes = 16777216       # largest record cdpspec holds (default 16 MiB)
//!
//! [kafka]                       # librdkafka settings for `stream` and `serve --sink kafka`
//! bootstrap.servers = "kafka-1:9092"
//! compression.type = "zstd"     # dotted keys are librdkafka's names, quoted or not
//! ```

mod error;
mod schema;
mod settings;

pub use error::ConfigFileError;
pub use schema::{ID as SCHEMA_ID, json_schema};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::limits::Limits;
use crate::rule::Severities;

/// The file name looked for.
///
/// ```
/// let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// std::fs::write(dir.join(cdpspec::config::FILE_NAME), "deny-warnings = true\n").unwrap();
/// assert_eq!(cdpspec::config::discover(&dir), Some(dir.join("cdpspec.toml")));
/// ```
pub const FILE_NAME: &str = "cdpspec.toml";

/// Settings of one project.
///
/// ```
/// use cdpspec::CallType;
/// use cdpspec::config::{Config, Overrides, resolve};
///
/// let config = Config { call_type: Some(CallType::Track), deny_warnings: true, ..Config::default() };
/// let settings = resolve(&config, &Overrides::default()).unwrap();
/// assert_eq!(settings.call_type, Some(CallType::Track));
/// assert!(settings.deny_warnings);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file the settings came from.
    pub path: Option<PathBuf>,
    /// The tracking plan, resolved against the config file's folder.
    pub plan: Option<PathBuf>,
    /// The type of payloads without `type`.
    pub call_type: Option<crate::CallType>,
    /// Severity overrides.
    pub severities: Severities,
    /// Default inputs, resolved against the config file's folder.
    pub paths: Vec<String>,
    /// The destination `coverage` evaluates (bundled name, or a path resolved against the
    /// config file's folder).
    pub destination: Option<String>,
    /// Whether warnings fail the run.
    pub deny_warnings: bool,
    /// Size and length limits.
    pub limits: Limits,
    /// librdkafka settings (`[kafka]`), passed as they are to the Kafka clients of `stream` and
    /// `serve --sink kafka`; `--kafka-config KEY=VALUE` wins over them.
    pub kafka: BTreeMap<String, String>,
}

/// `cdpspec.toml` as written. Its JSON Schema (`schema/config/cdpspec.schema.json`, for
/// editors) is generated from this type by [`json_schema`], so the two cannot drift.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(
    title = "cdpspec.toml",
    description = "Project settings of cdpspec: the plan, inputs, destination, rule severities and the pipeline's limits. Command-line flags win over them."
)]
struct File {
    /// The tracking plan `validate` applies when `--plan` is not given (YAML or JSON), relative
    /// to this file.
    plan: Option<PathBuf>,
    /// The type of payloads without `type` (as the endpoint they were posted to implies).
    #[serde(rename = "type", default)]
    #[schemars(schema_with = "schema::call_type")]
    call_type: Option<String>,
    /// What `validate`, `coverage` and `plan infer` read when given no PATH: files and
    /// directories, relative to this file.
    #[serde(default)]
    paths: Vec<String>,
    /// The destination `coverage` evaluates: a bundled one by name, or a destination file
    /// (`.json`, relative to this file).
    #[serde(default)]
    #[schemars(schema_with = "schema::destination")]
    destination: Option<String>,
    /// Whether warnings fail the run, as `--deny warnings`.
    #[serde(default)]
    deny_warnings: bool,
    /// The severity of rules, by code or name: `error`, `warning` or `off`.
    #[serde(default)]
    #[schemars(schema_with = "schema::rules")]
    rules: BTreeMap<String, String>,
    /// The pipeline's limits, where they differ from the defaults.
    #[serde(default)]
    #[schemars(schema_with = "schema::limits")]
    limits: BTreeMap<String, u64>,
    /// librdkafka settings for `stream` and `serve --sink kafka`, by librdkafka's names
    /// (dotted keys, quoted or not); `--kafka-config KEY=VALUE` wins over them.
    #[serde(default)]
    #[schemars(schema_with = "schema::kafka")]
    kafka: BTreeMap<String, toml::Value>,
}

/// The keys a config file may have.
const KEYS: &[&str] = &["plan", "type", "paths", "destination", "deny-warnings", "rules", "limits", "kafka"];

/// The nearest `cdpspec.toml` in `start` or a folder above it.
///
/// ```
/// let scratch = tempfile::tempdir().unwrap();
/// let project = scratch.path().join("project");
/// std::fs::create_dir_all(project.join("events/2024")).unwrap();
/// std::fs::write(project.join("cdpspec.toml"), "paths = [\"events/\"]\n").unwrap();
/// assert_eq!(cdpspec::config::discover(&project.join("events/2024")), Some(project.join("cdpspec.toml")));
/// ```
pub fn discover(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join(FILE_NAME)).find(|p| p.is_file())
}

/// Reads a config file; paths in it are resolved against its folder.
///
/// # Errors
///
/// A [`ConfigFileError`] naming the file: it cannot be read ([`ConfigFileError::Read`]), is not TOML or
/// has a value of the wrong type ([`ConfigFileError::Toml`]), has a key that is not a setting (with
/// the closest one), a `type` that is not a call type, or a `[rules]` or `[limits]` line that
/// names no rule, severity or limit.
///
/// ```
/// use cdpspec::config::load;
/// use cdpspec::{CallType, Rule, Severity};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let dir = scratch.path();
/// let toml = "plan = \"tracking-plan.yaml\"\ntype = \"track\"\n\n[rules]\nunplanned-event = \"warning\"\n\n[kafka]\nbootstrap.servers = \"k1:9092\"\n\"linger.ms\" = 5\n";
/// std::fs::write(dir.join("cdpspec.toml"), toml).unwrap();
/// let config = load(&dir.join("cdpspec.toml")).unwrap();
/// assert_eq!(config.plan, Some(dir.join("tracking-plan.yaml")));
/// assert_eq!(config.call_type, Some(CallType::Track));
/// assert_eq!(config.severities.of(Rule::UnplannedEvent), Some(Severity::Warning));
/// assert_eq!(config.kafka["bootstrap.servers"], "k1:9092");
/// assert_eq!(config.kafka["linger.ms"], "5");
/// ```
pub fn load(path: &Path) -> Result<Config, ConfigFileError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigFileError::Read { path: path.to_path_buf(), source })?;
    let toml_error = |source| ConfigFileError::Toml { path: path.to_path_buf(), source };
    let table: toml::Table = toml::from_str(&text).map_err(toml_error)?;
    if let Some(key) = table.keys().find(|key| !KEYS.contains(&key.as_str())) {
        let closest = crate::suggest::closest(key, KEYS.iter().copied());
        return Err(ConfigFileError::UnknownKey { path: path.to_path_buf(), key: key.clone(), closest });
    }
    let file: File = table.try_into().map_err(toml_error)?;
    let base = path.parent().unwrap_or(Path::new("."));
    let relative = |p: &str| if Path::new(p).is_absolute() { p.to_string() } else { base.join(p).display().to_string() };
    let destination = file.destination.map(|d| if d.ends_with(".json") { relative(&d) } else { d });
    let mut config = Config {
        path: Some(path.to_path_buf()),
        plan: file.plan.map(|p| base.join(p)),
        paths: file.paths.iter().map(|p| relative(p)).collect(),
        destination,
        deny_warnings: file.deny_warnings,
        kafka: kafka_settings(file.kafka),
        ..Config::default()
    };
    if let Some(t) = file.call_type {
        config.call_type = Some(t.parse().map_err(|_| ConfigFileError::CallType { path: path.to_path_buf(), value: t })?);
    }
    for (rule, level) in file.rules {
        let (rule, level) =
            Severities::parse_assignment(&format!("{rule}={level}")).map_err(|source| ConfigFileError::Rules { path: path.to_path_buf(), source })?;
        config.severities.set(rule, level);
    }
    for (limit, value) in file.limits {
        let value = usize::try_from(value).unwrap_or(usize::MAX);
        config.limits.set(&limit, value).map_err(|source| ConfigFileError::Limits { path: path.to_path_buf(), source })?;
    }
    Ok(config)
}

/// `[kafka]` as librdkafka takes it: TOML's dotted keys (tables) joined back into librdkafka's
/// names (`bootstrap.servers`), strings as they are, numbers and booleans written out
/// (`linger.ms = 5`, `enable.idempotence = true`).
fn kafka_settings(table: BTreeMap<String, toml::Value>) -> BTreeMap<String, String> {
    fn add(out: &mut BTreeMap<String, String>, key: String, value: toml::Value) {
        match value {
            toml::Value::Table(inner) => inner.into_iter().for_each(|(k, v)| add(out, format!("{key}.{k}"), v)),
            toml::Value::String(s) => drop(out.insert(key, s)),
            other => drop(out.insert(key, other.to_string())),
        }
    }
    let mut out = BTreeMap::new();
    table.into_iter().for_each(|(key, value)| add(&mut out, key, value));
    out
}

pub use settings::{ConfigError, Overrides, Settings, find, resolve};
