//! The progress bar as users meet it: on a real terminal (a pseudo-terminal made by util-linux
//! `script`), a run longer than a second shows bytes read, calls per second and errors so far;
//! in CI, with `--no-progress`, or when stderr is not a terminal, nothing of it is printed.

use std::path::PathBuf;
use std::process::Command;

/// A shell command that feeds cdpspec 6,000 calls (one in ten broken) over about 1.5 seconds,
/// so the run outlasts the bar's one-second delay however fast the build is.
fn slow_run(flags: &str) -> String {
    static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-progress-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()).path();
    let chunk: PathBuf = dir.join("chunk.ndjson");
    let mut text = String::new();
    for i in 0..200 {
        let id = if i % 10 == 0 { String::new() } else { format!(",\"userId\":\"u{i}\"") };
        text.push_str(&format!("{{\"type\":\"track\",\"event\":\"Signed Up\"{id}}}\n"));
    }
    std::fs::write(&chunk, text).unwrap();
    let bin = env!("CARGO_BIN_EXE_cdpspec");
    format!("for i in $(seq 1 30); do cat {}; sleep 0.05; done | {bin} validate --format json {flags} - > /dev/null", chunk.display())
}

/// Whether util-linux `script` can make a pseudo-terminal here (containers may have none).
fn have_terminals() -> bool {
    let ok = Command::new("script").args(["-qec", "true", "/dev/null"]).output().is_ok_and(|out| out.status.success());
    if !ok {
        eprintln!("util-linux `script` cannot make a pseudo-terminal here: the progress bar is not checked on a terminal");
    }
    ok
}

/// What the terminal showed of `command`, run on a pseudo-terminal; `None` without `script`.
fn on_terminal(command: &str, ci: bool) -> Option<String> {
    let mut script = Command::new("script");
    script.args(["-qec", command, "/dev/null"]).env_remove("CI").env_remove("JENKINS_URL").env_remove("TF_BUILD").env_remove("TEAMCITY_VERSION");
    if ci {
        script.env("CI", "true");
    }
    match script.output() {
        Ok(out) => {
            assert!(out.status.code().is_some(), "{out:?}");
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) => {
            eprintln!("util-linux `script` is not available ({e}): the progress bar is not checked on a terminal");
            None
        }
    }
}

#[test]
fn a_long_run_on_a_terminal_shows_the_bar_and_ci_does_not() {
    if !have_terminals() {
        return;
    }
    // The four runs at once: each takes a second and a half.
    let runs = [(slow_run(""), false), (slow_run(""), true), (slow_run("--no-progress"), false), (format!("{} 2> /dev/null; echo done", slow_run("")), false)];
    let shown: Vec<Option<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = runs.iter().map(|(command, ci)| scope.spawn(move || on_terminal(command, *ci))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let [Some(bar), Some(ci), Some(off), Some(piped)] = <[Option<String>; 4]>::try_from(shown).unwrap() else { return };
    assert!(bar.contains("calls/s") && bar.contains(" read (") && bar.contains(" errors"), "{bar:?}");
    // The summary comes after the bar is cleared.
    let summary = bar.rfind("Checked 6000 calls").unwrap_or_else(|| panic!("{bar:?}"));
    assert!(bar.rfind("calls/s").unwrap() < summary, "{bar:?}");
    assert!(bar.contains("600 with errors"), "{bar:?}");
    // In CI, with --no-progress, or with standard error not a terminal: nothing of it.
    assert!(ci.contains("Checked 6000 calls") && !ci.contains("calls/s"), "{ci:?}");
    assert!(off.contains("Checked 6000 calls") && !off.contains("calls/s"), "{off:?}");
    assert!(piped.contains("done") && !piped.contains("calls/s"), "{piped:?}");
}
