//! Coverage report formats: `human` (tables for a terminal), `json` (the whole report, one
//! object), `markdown` (tables for a job summary or a pull-request comment).

mod human;
mod markdown;

use super::report::Coverage;

/// The formats `cdpspec coverage --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tables for people.
    Human,
    /// The report as one JSON object.
    Json,
    /// Markdown tables.
    Markdown,
}

/// The report in `format`.
pub fn render(coverage: &Coverage, format: Format) -> String {
    match format {
        Format::Human => human::render(coverage),
        Format::Markdown => markdown::render(coverage),
        Format::Json => serde_json::to_string_pretty(coverage).map(|s| s + "\n").unwrap_or_default(),
    }
}

/// A call kind as people read it: `track "Course Enrolled"`, `page "home"`, `identify`.
fn kind_label(call_type: &str, event: Option<&str>) -> String {
    match event {
        Some(e) => format!("{call_type} \"{e}\""),
        None => call_type.to_string(),
    }
}
