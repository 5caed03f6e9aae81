//! The flags that decide how calls are checked, written once for every command that takes them:
//! `--config` (each command that reads cdpspec.toml) and `--plan`, `--severity`, `--limit`
//! (`validate`, `stream`, `serve`). They become the library's `Overrides`, which
//! `config::resolve` lays over cdpspec.toml; each command adds its own (paths, `--type`...).

use std::path::PathBuf;

use cdpspec::check::limits::Limits;
use cdpspec::config::{self, Config, ConfigError, Overrides, Settings};
use cdpspec::rule::{Level, Severities};
use cdpspec::{CallType, Rule};

/// `--config`: which cdpspec.toml applies.
#[derive(clap::Args)]
pub struct ConfigFile {
    /// The config file (default: the nearest cdpspec.toml from the working directory up).
    #[arg(long = "config", value_name = "FILE")]
    pub path: Option<PathBuf>,
}

impl ConfigFile {
    /// The project's config: `--config`, or the nearest cdpspec.toml, or none.
    pub fn load(&self) -> Result<Config, ConfigError> {
        config::find(self.path.as_deref(), &std::env::current_dir().unwrap_or_default())
    }

    /// The project's config, and the settings `overrides` make of it.
    pub fn resolve(&self, overrides: &Overrides) -> Result<(Config, Settings), ConfigError> {
        let config = self.load()?;
        let settings = config::resolve(&config, overrides)?;
        Ok((config, settings))
    }
}

/// What a command that reads calls says when it was given none.
pub const NO_INPUT: &str = "no input: give PATH arguments (or `-` for stdin), or `paths` in cdpspec.toml";

/// `--plan`, `--severity`, `--limit` and `--config`: how `validate`, `stream` and `serve` check.
#[derive(clap::Args)]
pub struct Checking {
    /// A tracking plan (YAML or JSON) whose rules apply on top of the canonical ones. Default:
    /// `plan` of cdpspec.toml.
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<PathBuf>,
    /// Set a rule's severity: RULE=error|warning|off (by code or name); repeatable.
    #[arg(long = "severity", value_name = "RULE=LEVEL", value_parser = Severities::parse_assignment)]
    pub severities: Vec<(Rule, Level)>,
    /// Set a limit: NAME=N, with NAME one of call-bytes, batch-bytes, batch-calls,
    /// message-id-chars (defaults: the pipeline's 32768, 512000, 2500, 100), or record-bytes,
    /// the largest record cdpspec holds (default 16777216); repeatable.
    #[arg(long = "limit", value_name = "NAME=N", value_parser = Limits::parse_assignment)]
    pub limits: Vec<(String, usize)>,
    #[command(flatten)]
    pub config: ConfigFile,
}

impl Checking {
    /// These flags as overrides of cdpspec.toml.
    pub fn overrides(&self) -> Overrides {
        Overrides { plan: self.plan.clone(), severities: self.severities.clone(), limits: self.limits.clone(), ..Overrides::default() }
    }
}

/// `--type`'s parser: a call type by name.
pub fn parse_call_type(s: &str) -> Result<CallType, cdpspec::UnknownCallType> {
    cdpspec::parse_call_type(s)
}
