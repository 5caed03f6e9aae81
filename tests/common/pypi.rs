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

/// Tool `name`, installed as `tests/tools/<name>.txt` pins it unless it is there already; or
/// `None` when it cannot be had (offline, no pip, no network), after `test` says it skips (in
/// CI, the test fails instead).
pub fn install(name: &str, test: &str) -> Option<Tool> {
    let why = if super::tools::offline() {
        "CDPSPEC_OFFLINE is set".to_string()
    } else {
        let root = workspace();
        let dir = root.join("target/tool-cache").join(name);
        match super::pip::install(&dir, &root.join("tests/tools").join(format!("{name}.txt"))) {
            Ok(()) => return Some(Tool { dir }),
            Err(why) => why,
        }
    };
    super::tools::skip(test, &format!("{name} unavailable: {why}"));
    None
}
