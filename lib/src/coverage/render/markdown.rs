//! Coverage as Markdown tables, for a CI job summary or a pull-request comment.

use std::fmt::Write;

use super::{invalid_note, kind_actions, kind_label};
use crate::coverage::report::Coverage;
use crate::words::plural;

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn render(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Coverage by {}\n", cell(&c.destination));
    match c.percent() {
        Some(percent) => {
            let _ = writeln!(
                out,
                "**{percent:.1}%** of {} covered: {} covered, {} failed, {} dropped; {} did not parse.\n",
                plural(c.calls, "call"),
                c.covered,
                c.failed,
                c.dropped,
                plural(c.unparsed, "record")
            );
        }
        None => {
            let _ = writeln!(out, "**Nothing to cover:** no calls were read ({} did not parse).\n", plural(c.unparsed, "record"));
        }
    }
    if let Some(note) = invalid_note(c) {
        let _ = writeln!(out, "{note}\n");
    }
    let _ = writeln!(out, "| Preset | Action | Triggered | OK | Failed | Missing fields |");
    let _ = writeln!(out, "|---|---|---:|---:|---:|---|");
    for p in &c.presets {
        let missing: Vec<String> =
            p.missing.iter().map(|(f, s)| format!("`{}` ({}; e.g. `{}`)", cell(f), s.count, s.examples.first().map(String::as_str).unwrap_or(""))).collect();
        let _ = writeln!(out, "| {} | {} | {} | {} | {} | {} |", cell(&p.preset), cell(&p.title), p.triggered, p.ok, p.failed, missing.join(", "));
    }
    let _ = writeln!(out, "\n| Call | Calls | Covered | Failed | Dropped | Actions |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
    for k in &c.kinds {
        let actions = kind_actions(k, cell).unwrap_or_else(|| "**none**".to_string());
        let label = kind_label(&k.call_type, k.event.as_deref());
        let _ = writeln!(out, "| `{}` | {} | {} | {} | {} | {} |", cell(&label), k.calls, k.covered, k.failed, k.dropped, actions);
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
