//! `pip install cdpspec`: maturin (from PyPI, pinned in `tests/tools/maturin.txt`) builds the
//! wheel from `pyproject.toml` (`bindings = "bin"`), it installs into a fresh virtual
//! environment without an index, and the `cdpspec` it puts on the venv's PATH works. The wheel
//! is built in the dev profile into the workspace's `target/`, so it reuses the build the tests
//! already made; releases build it with `maturin build --release`.

#[path = "common/pip.rs"]
mod pip;
#[path = "common/pypi.rs"]
mod pypi;
#[path = "common/tools.rs"]
mod tools;

use std::process::Command;

fn run(command: &mut Command) -> (bool, String) {
    let out = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn the_wheel_installs_into_a_fresh_venv_and_runs() {
    let Some(maturin) = pypi::install("maturin", "the_wheel_installs_into_a_fresh_venv_and_runs") else { return };
    let root = pypi::workspace();
    let dir = tempfile::Builder::new().prefix("cdpspec-wheel-").tempdir().unwrap().keep();
    let wheels = dir.join("wheels");
    let (ok, log) = run(Command::new(maturin.dir.join("bin/maturin"))
        .args(["build", "--profile", "dev", "--out"])
        .arg(&wheels)
        .current_dir(&root)
        .env("PATH", maturin.path()));
    assert!(ok, "maturin build:\n{log}");
    let wheel = std::fs::read_dir(&wheels).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "whl")).expect("a wheel");
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("cdpspec-{}-py3-none-", env!("CARGO_PKG_VERSION"))), "{name}");

    let venv = dir.join("venv");
    let (ok, log) = run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    assert!(ok, "python3 -m venv:\n{log}");
    let (ok, log) =
        run(Command::new(venv.join("bin/python")).args(["-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check"]).arg(&wheel));
    assert!(ok, "pip install {name}:\n{log}");

    let cdpspec = venv.join("bin/cdpspec");
    let (ok, version) = run(Command::new(&cdpspec).arg("--version"));
    assert!(ok && version.trim() == format!("cdpspec {}", env!("CARGO_PKG_VERSION")), "{version}");
    let (ok, log) = run(Command::new(&cdpspec).args(["validate", "examples/seed", "examples/sdk"]).current_dir(&root));
    assert!(ok && log.contains("0 with errors"), "{log}");
    let (ok, log) = run(Command::new(&cdpspec).args(["validate", "examples/broken"]).current_dir(&root));
    assert!(!ok && log.contains("error[CDP103/missing-identity]"), "{log}");
    let (ok, log) = run(Command::new(venv.join("bin/pip")).args(["show", "cdpspec"]));
    assert!(ok && log.contains("Name: cdpspec"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
