//! Coverage report formats: `human` (tables for a terminal), `json` (the whole report, one
//! object), `markdown` (tables for a job summary or a pull-request comment).

mod human;
mod markdown;

use super::report::{Coverage, InvalidCalls, KindStats};
use crate::words::plural;

/// The formats `cdpspec coverage --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
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

/// The first lines of every format: how many calls, what became of them, and how calls with
/// validation errors were counted. `None` for the totals when there was nothing to cover.
fn totals(c: &Coverage) -> Option<String> {
    let percent = c.percent()?;
    Some(format!("{} covered ({percent:.1}%), {} failed, {} dropped", c.covered, c.failed, c.dropped))
}

/// How calls with validation errors were counted, when there were any.
fn invalid_note(c: &Coverage) -> Option<String> {
    if c.with_errors == 0 {
        return None;
    }
    let have = if c.with_errors == 1 { "has" } else { "have" };
    let calls = plural(c.with_errors, "call");
    Some(match c.invalid_calls {
        InvalidCalls::Evaluated => format!(
            "{calls} {have} validation errors (`cdpspec validate` says which); they are evaluated as sent and may count as covered. --invalid-as-failed counts them as failed."
        ),
        InvalidCalls::Failed => format!("{calls} {have} validation errors (`cdpspec validate` says which); they are counted as failed (--invalid-as-failed)."),
    })
}

/// A kind's actions, each with how often it accepted (`Track Event (3)`), failed on
/// (`Track Event (1 failed)`) or did both with (`Track Event (2 ok, 1 failed)`) its calls.
fn kind_actions(k: &KindStats, code: impl Fn(&str) -> String) -> Option<String> {
    let names: std::collections::BTreeSet<&String> = k.actions.keys().chain(k.failed_actions.keys()).collect();
    let all: Vec<String> = names
        .into_iter()
        .map(|name| {
            let counts = match (k.actions.get(name), k.failed_actions.get(name)) {
                (Some(ok), Some(failed)) => format!("{ok} ok, {failed} failed"),
                (Some(ok), None) => ok.to_string(),
                (None, Some(failed)) => format!("{failed} failed"),
                (None, None) => String::new(),
            };
            format!("{} ({counts})", code(name))
        })
        .collect();
    (!all.is_empty()).then(|| all.join(", "))
}

/// A call kind as people read it: `track "Course Enrolled"`, `page "home"`, `identify`.
fn kind_label(call_type: &str, event: Option<&str>) -> String {
    match event {
        Some(e) => format!("{call_type} \"{e}\""),
        None => call_type.to_string(),
    }
}
