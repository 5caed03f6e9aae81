//! Reading and writing plan files: YAML (`.yaml`, `.yml`) or JSON (`.json`), the same model.

use std::fmt;
use std::path::Path;

use crate::model::Plan;

/// A plan file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML 1.2.
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a path's extension names (JSON for `.json`, YAML otherwise).
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// Why a plan could not be read.
#[derive(Debug)]
pub struct Error {
    /// The file (or `<plan>` for text).
    pub path: String,
    /// 1-based line, when the parser knows it.
    pub line: Option<usize>,
    /// 1-based column, when the parser knows it.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.message),
            _ => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

impl std::error::Error for Error {}

/// Parses a plan from text in `format`; `path` names it in errors.
pub fn parse(text: &str, format: Format, path: &str) -> Result<Plan, Error> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| Error {
            path: path.into(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: strip_position(&e.to_string()),
        }),
        Format::Yaml => serde_yaml_ng::from_str(text).map_err(|e| {
            let at = e.location();
            Error { path: path.into(), line: at.as_ref().map(|l| l.line()), column: at.as_ref().map(|l| l.column()), message: strip_position(&e.to_string()) }
        }),
    }
}

/// Reads a plan file (YAML or JSON by extension).
pub fn load(path: &Path) -> Result<Plan, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error { path: name.clone(), line: None, column: None, message: format!("cannot read: {e}") })?;
    parse(&text, Format::of(path), &name)
}

/// The schema of plan files (`schema/plan/tracking-plan.schema.json`), by its `$id`.
pub const SCHEMA_URL: &str = "https://cdpspec.dev/schema/v1/plan/tracking-plan.schema.json";

/// The first line of a YAML plan that tells editors (the YAML language server, in VS Code,
/// Neovim, Helix, JetBrains) which schema the file follows.
pub const YAML_MODELINE: &str = "# yaml-language-server: $schema=https://cdpspec.dev/schema/v1/plan/tracking-plan.schema.json";

/// Writes a plan as text in `format`. A YAML plan starts with [`YAML_MODELINE`], so editors
/// know its schema (a JSON plan names it in `$schema`, [`SCHEMA_URL`], when the plan sets it).
///
/// ```
/// use cdpspec_plan::{Format, Plan, write};
///
/// let plan = Plan { name: "Shop".into(), ..Plan::default() };
/// assert!(write(&plan, Format::Yaml).starts_with("# yaml-language-server: $schema=https://cdpspec.dev/"));
/// ```
pub fn write(plan: &Plan, format: Format) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(plan).map(|s| s + "\n").unwrap_or_default(),
        Format::Yaml => serde_yaml_ng::to_string(plan).map(|s| format!("{YAML_MODELINE}\n{s}")).unwrap_or_default(),
    }
}

fn strip_position(message: &str) -> String {
    message.rfind(" at line ").map_or(message, |i| &message[..i]).to_string()
}
