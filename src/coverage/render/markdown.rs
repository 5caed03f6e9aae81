//! Coverage as Markdown tables, for a CI job summary or a pull-request comment.

use std::fmt::Write;

use super::kind_label;
use crate::coverage::report::Coverage;

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn render(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Coverage by {}\n", cell(&c.destination));
    let _ = writeln!(
        out,
        "**{:.1}%** of {} calls covered: {} covered, {} failed, {} dropped, {} not parsed.\n",
        c.percent(),
        c.calls,
        c.covered,
        c.failed,
        c.dropped,
        c.unparsed
    );
    let _ = writeln!(out, "| Preset | Action | Triggered | OK | Failed | Missing fields |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---|");
    for p in &c.presets {
        let missing: Vec<String> =
            p.missing.iter().map(|(f, s)| format!("`{}` ({}; e.g. `{}`)", cell(f), s.count, s.examples.first().map(String::as_str).unwrap_or(""))).collect();
        let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} |", cell(&p.preset), cell(&p.title), p.triggered, p.ok, p.failed, missing.join(", "));
    }
    let _ = writeln!(out, "\n| Call | Calls | Covered | Dropped | Actions |");
    let _ = writeln!(out, "|---|---:|---:|---:|---|");
    for k in &c.kinds {
        let actions: Vec<String> = k.actions.iter().map(|(a, n)| format!("{} ({n})", cell(a))).collect();
        let label = kind_label(&k.call_type, k.event.as_deref());
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            cell(&label),
            k.calls,
            k.covered,
            k.dropped,
            if actions.is_empty() { "**none**".to_string() } else { actions.join(", ") }
        );
    }
    if let Some(plan) = &c.plan {
        let _ = writeln!(
            out,
            "\n**Planned events never seen:** {}",
            if plan.never_seen.is_empty() { "none".into() } else { plan.never_seen.iter().map(|e| format!("`{}`", cell(e))).collect::<Vec<_>>().join(", ") }
        );
        let unplanned: Vec<String> = plan.unplanned.iter().map(|(e, n)| format!("`{}` ({n})", cell(e))).collect();
        let _ = writeln!(out, "\n**Seen events the plan lacks:** {}", if unplanned.is_empty() { "none".into() } else { unplanned.join(", ") });
    }
    out
}
