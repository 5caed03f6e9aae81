//! The outside programs the browser and SDK tests drive: the npm and PyPI packages pinned in
//! `tests/sdk/` (installed into `target/sdk-cache` on first use, again only when the pins
//! change) and Debian's Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::tools;

pub fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sdk")
}

pub fn cache() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/sdk-cache")
}

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

/// Installs `files` from the SDK folder into `dir` with `install`, unless the same files were
/// installed there already. Returns whether `dir` is ready.
pub fn install(dir: &Path, files: &[&str], install: impl FnOnce(&Path) -> bool) -> bool {
    let wanted: String = files.iter().map(|f| std::fs::read_to_string(sdk_dir().join(f)).unwrap()).collect();
    let stamp = dir.join(".installed");
    if std::fs::read_to_string(&stamp).is_ok_and(|s| s == wanted) {
        return true;
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    for f in files {
        std::fs::copy(sdk_dir().join(f), dir.join(f)).unwrap();
    }
    if install(dir) {
        std::fs::write(stamp, wanted).unwrap();
        true
    } else {
        false
    }
}

/// The npm packages, installed with `npm ci` from the lock file.
pub fn node_modules() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if tools::offline() {
                return None;
            }
            let dir = cache().join("node");
            let ok = install(&dir, &["package.json", "package-lock.json"], |dir| {
                run_quietly(Command::new("npm").args(["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix"]).arg(dir))
            });
            ok.then_some(dir)
        })
        .clone()
}

/// The PyPI packages, installed with `pip install --target` (as the Kafka tests install their
/// broker).
pub fn python_packages() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if tools::offline() {
                return None;
            }
            let dir = cache().join("python");
            let ok = super::pip::ready(&dir, &sdk_dir().join("requirements.txt"));
            ok.then_some(dir)
        })
        .clone()
}

/// Debian's Chromium, where it is.
pub fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from(std::env::var_os("CHROMIUM").unwrap_or_else(|| "/usr/bin/chromium".into()));
    path.exists().then_some(path)
}
