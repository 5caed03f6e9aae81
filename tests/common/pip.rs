//! PyPI packages some tests need, installed with `pip install --target DIR -r FILE` into a
//! folder under `target/` on first use, and again only when the requirements file changes.

use std::path::Path;
use std::process::Command;

/// Runs `command`, true when it succeeded; its output is shown when it did not.
pub fn run_quietly(command: &mut Command) -> bool {
    match command.output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => {
            eprintln!("{command:?} failed:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            false
        }
        Err(e) => {
            eprintln!("{command:?} could not run: {e}");
            false
        }
    }
}

/// Installs the pinned packages `requirements` lists into `dir`, unless the same list was
/// installed there already. Returns whether `dir` is ready.
pub fn install(dir: &Path, requirements: &Path) -> bool {
    let wanted = std::fs::read_to_string(requirements).unwrap_or_else(|e| panic!("{}: {e}", requirements.display()));
    let stamp = dir.join(".installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return true;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::copy(requirements, dir.join("requirements.txt")).unwrap();
    let ok = run_quietly(
        Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target"])
            .arg(dir)
            .arg("-r")
            .arg(dir.join("requirements.txt")),
    );
    if ok {
        std::fs::write(stamp, wanted).unwrap();
    }
    ok
}
