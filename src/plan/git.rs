//! `cdpspec plan diff --against REV PLAN...`: each plan compared with its version at a git
//! revision (`git show REV:./file`, run in the plan's folder), as a commit hook or a CI step
//! gates breaking plan changes without a second checkout.

use std::path::Path;
use std::process::Command;

use cdpspec::plan::{self, Format};

use super::{OutputFormat, load, print_diff};
use crate::commands::fail;
use crate::exit::ExitStatus;

/// Diffs `path` as it is against `path` at `rev`.
pub fn diff_against(rev: &str, path: &Path, format: OutputFormat) -> ExitStatus {
    let after = match load(path) {
        Ok(plan) => plan,
        Err(code) => return code,
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let Some(file) = path.file_name().and_then(|f| f.to_str()) else { return fail(format!("{} is not a file", path.display())) };
    let shown = Command::new("git").arg("-C").arg(folder).args(["show", &format!("{rev}:./{file}")]).output();
    let text = match shown {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => {
            let why = String::from_utf8_lossy(&out.stderr);
            // A plan added since `rev`, or the first commit of a repository (no HEAD yet).
            let first_commit = rev == "HEAD" && why.contains("invalid object name");
            if why.contains("exists on disk, but not in") || why.contains("does not exist in") || first_commit {
                eprintln!("{}: new since {rev}: nothing to compare", path.display());
                return ExitStatus::Success;
            }
            return fail(format!("cannot read {} at {rev}: {}", path.display(), why.trim()));
        }
        Err(e) => return fail(format!("cannot run git: {e}")),
    };
    let before = match plan::parse(&text, Format::of(path), &format!("{rev}:{}", path.display())) {
        Ok(plan) => plan,
        Err(e) => return fail(format!("cannot load plan: {e}")),
    };
    if format == OutputFormat::Human {
        outln!("{} against {rev}:", path.display());
    }
    print_diff(&before, &after, format)
}
