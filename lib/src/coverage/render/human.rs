//! Coverage as aligned tables for a terminal.

use std::fmt::Write;

use super::{invalid_note, kind_actions, kind_label, totals};
use crate::coverage::report::Coverage;
use crate::words::plural;

pub(super) fn render(c: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Coverage of {} by {} ({})", plural(c.calls, "call"), c.destination, plural(c.presets.len(), "preset"));
    match totals(c) {
        Some(totals) => {
            let _ = writeln!(out, "  {totals}; {} did not parse", plural(c.unparsed, "record"));
        }
        None => {
            let _ = writeln!(out, "  nothing to cover: no calls were read ({} did not parse)", plural(c.unparsed, "record"));
        }
    }
    if let Some(note) = invalid_note(c) {
        let _ = writeln!(out, "  {note}");
    }
    let _ = writeln!(out);
    let width = c.presets.iter().map(|p| p.preset.len()).max().unwrap_or(6).max(6);
    let _ = writeln!(out, "{:<width$}  {:>9}  {:>6}  {:>6}  missing fields (calls: examples)", "Preset", "triggered", "ok", "failed");
    for p in &c.presets {
        let missing: Vec<String> = p.missing.iter().map(|(field, s)| format!("{field} ({}: {})", s.count, s.examples.join(", "))).collect();
        let _ = writeln!(out, "{:<width$}  {:>9}  {:>6}  {:>6}  {}", p.preset, p.triggered, p.ok, p.failed, missing.join("; "));
    }
    let never: Vec<&str> = c.presets.iter().filter(|p| p.triggered == 0).map(|p| p.preset.as_str()).collect();
    if !never.is_empty() {
        let _ = writeln!(out, "Never triggered: {}", never.join(", "));
    }
    if !c.actions_without_presets.is_empty() {
        let _ = writeln!(out, "Actions without a preset: {}", c.actions_without_presets.join(", "));
    }
    let _ = writeln!(out);
    let labels: Vec<String> = c.kinds.iter().map(|k| kind_label(&k.call_type, k.event.as_deref())).collect();
    let width = labels.iter().map(String::len).max().unwrap_or(4).max(4);
    let _ = writeln!(out, "{:<width$}  {:>6}  {:>7}  {:>6}  {:>7}  actions", "Call", "calls", "covered", "failed", "dropped");
    for (k, label) in c.kinds.iter().zip(&labels) {
        let actions = kind_actions(k, str::to_string).unwrap_or_else(|| "none".to_string());
        let _ = writeln!(out, "{label:<width$}  {:>6}  {:>7}  {:>6}  {:>7}  {actions}", k.calls, k.covered, k.failed, k.dropped);
    }
    let dropped: Vec<String> = c
        .kinds
        .iter()
        .filter(|k| k.dropped > 0)
        .map(|k| format!("{} ({}: {})", kind_label(&k.call_type, k.event.as_deref()), k.dropped, k.dropped_examples.join(", ")))
        .collect();
    if !dropped.is_empty() {
        let _ = writeln!(out, "Dropped (reached no action): {}", dropped.join("; "));
    }
    if let Some(plan) = &c.plan {
        let _ = writeln!(out);
        let never = if plan.never_seen.is_empty() { "none".to_string() } else { plan.never_seen.join(", ") };
        let _ = writeln!(out, "Planned events never seen: {never}");
        let unplanned: Vec<String> = plan.unplanned.iter().map(|(e, n)| format!("{e} ({n})")).collect();
        let _ = writeln!(out, "Seen events the plan lacks: {}", if unplanned.is_empty() { "none".to_string() } else { unplanned.join(", ") });
    }
    for note in &c.notes {
        let _ = writeln!(out, "note: {note}");
    }
    out
}
