//! The benchmark corpus: the calls `../shared/bench/gen_corpus.py` writes, generated once into
//! `target/bench/` and then shared by the benchmarks (throughput, ingest, stream), one file per
//! size and share of broken calls.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The file of `calls` calls (10% of them broken when `invalid`), generated when missing.
pub fn path(calls: usize, invalid: bool) -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.ancestors().find(|d| d.join("Cargo.lock").is_file()).unwrap_or(here);
    let size = if calls.is_multiple_of(1000) { format!("{}k", calls / 1000) } else { calls.to_string() };
    let path = root.join("target/bench").join(format!("corpus-{size}{}.ndjson", if invalid { "-10pct" } else { "" }));
    if !path.exists() {
        std::fs::create_dir_all(path.parent().expect("a directory")).expect("target/bench can be created");
        let script = root.join("../shared/bench/gen_corpus.py");
        let mut command = Command::new("python3");
        command.arg(&script).arg(calls.to_string()).arg(&path);
        if invalid {
            command.arg("0.1");
        }
        let status = command.status().expect("python3 runs");
        assert!(status.success(), "{} failed", script.display());
    }
    path
}

/// The corpus's bytes.
#[allow(dead_code)] // The ingest benchmark reads the file a line at a time instead.
pub fn read(calls: usize, invalid: bool) -> Vec<u8> {
    let path = path(calls, invalid);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}
