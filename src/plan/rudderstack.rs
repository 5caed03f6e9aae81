//! `cdpspec plan import` of a RudderStack data catalog: a rudder-cli project directory.

use std::path::Path;

use cdpspec::plan::rudderstack;
use cdpspec::words::plural;

use crate::commands::fail;
use crate::exit::ExitStatus;

/// Whether `path` is a rudder-cli project: a directory, or a YAML file whose first
/// `version:` line names a `rudder/` spec version.
pub fn looks_like(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    let Ok(text) = std::fs::read_to_string(path) else { return false };
    text.lines().find_map(|l| l.strip_prefix("version:")).is_some_and(|v| v.trim().trim_matches(['"', '\'']).starts_with("rudder/"))
}

pub fn run(path: &Path, out: Option<&Path>, tracking_plan: Option<&str>) -> ExitStatus {
    let files = if path.is_dir() {
        match rudderstack::read_project(path) {
            Ok(files) => files,
            Err(e) => return report(path, &e.problems),
        }
    } else {
        match std::fs::read_to_string(path) {
            Ok(text) => vec![(path.display().to_string(), text)],
            Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
        }
    };
    let imported = match rudderstack::import(&files, tracking_plan) {
        Ok(imported) => imported,
        Err(e) => return report(path, &e.problems),
    };
    for note in &imported.unused {
        eprintln!("note: {note}");
    }
    let plan = &imported.plan;
    let summary = format!(
        "Imported tracking plan `{}` from {}: {}, {}, {}",
        plan.name,
        plural(files.len(), "file"),
        plural(plan.events.len(), "event"),
        plural(plan.pages.len() + plan.screens.len(), "page or screen rule"),
        if plan.identify.is_some() || plan.group.is_some() { "identify/group traits" } else { "no identify/group rule" }
    );
    super::write(plan, out, &summary)
}

fn report(path: &Path, problems: &[String]) -> ExitStatus {
    for problem in problems {
        eprintln!("{problem}");
    }
    eprintln!("cdpspec: {} could not be imported: {} above; nothing was written", path.display(), plural(problems.len(), "problem"));
    ExitStatus::Failure
}
