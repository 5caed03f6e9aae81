//! Python tools from PyPI that tests drive (check-jsonschema, pre-commit, maturin), at the
//! versions `tests/tools/<name>.txt` pins, installed with pip into `target/tool-cache/<name>`
//! on first use and again only when the pin changes. Where one cannot be had the caller skips
//! loudly (`tools::skip`), and in CI fails.

#![allow(dead_code)] // Each test binary that includes this file uses part of it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root: the folder above the including crate that holds `Cargo.lock`.
pub fn workspace() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().find(|d| d.join("Cargo.lock").is_file()).unwrap_or(here).to_path_buf()
}

/// An installed tool: its folder, holding the packages and their `bin/`.
pub struct Tool {
    pub dir: PathBuf,
}

impl Tool {
    /// `python3`, with the tool's packages importable and its scripts on `PATH`.
    pub fn python(&self) -> Command {
        let mut command = Command::new("python3");
        command.env("PYTHONPATH", &self.dir).env("PATH", self.path());
        command
    }

    /// `python3 -m module`, as `python` runs it.
    pub fn module(&self, module: &str) -> Command {
        let mut command = self.python();
        command.arg("-m").arg(module);
        command
    }

    /// A `PATH` with the tool's `bin/` first.
    pub fn path(&self) -> String {
        format!("{}:{}", self.dir.join("bin").display(), std::env::var("PATH").unwrap_or_default())
    }
}

/// Installs tool `name` as `tests/tools/<name>.txt` pins it, unless it is there already.
///
/// # Errors
///
/// Why it could not be installed (offline, no pip, no network), for the skip message.
pub fn install(name: &str) -> Result<Tool, String> {
    if super::tools::offline() {
        return Err("CDPSPEC_OFFLINE is set".into());
    }
    let root = workspace();
    let pins = root.join("tests/tools").join(format!("{name}.txt"));
    let dir = root.join("target/tool-cache").join(name);
    super::pip::install(&dir, &pins)?;
    Ok(Tool { dir })
}
