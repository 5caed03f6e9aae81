//! Coverage report formats: `human` (tables for a terminal), `json` (the whole report, one
//! object), `markdown` (tables for a job summary or a pull-request comment).

mod human;
mod markdown;

use super::report::{Coverage, InvalidCalls, KindStats};
use crate::words::plural;

/// The formats `cdpspec coverage --format` accepts.
///
/// ```
/// use cdpspec::coverage::{CompiledDestination, Coverage, Format, render};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let coverage = Coverage::new(&customerio);
/// let json: serde_json::Value = serde_json::from_str(&render(&coverage, Format::Json)).unwrap();
/// assert_eq!(json["destination"], "Actions Customerio");
/// ```
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
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage, Format, render};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: Some("Course Enrolled".into()), outcomes: customerio.evaluate(&call), errors: vec![] });
/// coverage.finish(None);
/// let markdown = render(&coverage, Format::Markdown);
/// assert!(markdown.starts_with("## Coverage by Actions Customerio"));
/// assert!(markdown.contains("**100.0%** of 1 call covered: 1 covered, 0 failed, 0 dropped"));
/// ```
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
