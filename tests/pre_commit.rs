//! `.pre-commit-hooks.yaml` with the real pre-commit (from PyPI, pinned in
//! `tests/tools/pre-commit.txt`): `pre-commit try-repo` against this repository, in a
//! throwaway git repository with payload fixtures and a plan. A good fixture passes, a broken
//! one fails with its diagnostic shown; a broken plan fails `cdpspec-plan-check`; a breaking
//! plan change fails `cdpspec-plan-diff`. The `-system` hooks run the binary the tests built;
//! `cdpspec-validate` and `cdpspec-validate-src` install it the way users get it (pip builds the
//! wheel with maturin; cargo installs the repository's root package), with the binary the tests
//! built off `PATH`. Both build into one target folder of their own under `target/tool-cache`,
//! unoptimised, so that the second reuses the dependencies the first compiled.

#[path = "common/pip.rs"]
mod pip;
#[path = "common/pypi.rs"]
mod pypi;
#[path = "common/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::Command;

const GOOD: &str = r#"{"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "properties": {"class_code": "cio101"}}"#;
const BROKEN: &str = r#"{"type": "track", "user_id": "97980cfea0067", "event": "Course Enrolled"}"#;
const PLAN: &str = "name: Courses\nevents:\n  - name: Course Enrolled\n    versions:\n      - version: 1\n        properties:\n          type: object\n          properties:\n            class_code: {type: string}\n  - name: Course Completed\n    versions: []\n";

struct Repo {
    dir: PathBuf,
    pre_commit: pypi::Tool,
}

impl Repo {
    fn new(name: &str, pre_commit: pypi::Tool) -> Repo {
        let dir = tempfile::Builder::new().prefix(&format!("cdpspec-pre-commit-{name}-")).tempdir().unwrap().keep();
        std::fs::create_dir_all(dir.join("fixtures")).unwrap();
        let repo = Repo { dir, pre_commit };
        repo.git(&["init", "-q"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "user.name", "test"]);
        repo
    }

    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join(file), text).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let out = Command::new("git").args(args).current_dir(&self.dir).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// `pre-commit try-repo <this repository> HOOK --files FILES`: whether it passed, and its output.
    /// The binary the tests built is on `PATH` for the `-system` hooks only.
    fn try_repo(&self, hook: &str, files: &[&str], env: &[(&str, &str)]) -> (bool, String) {
        self.git(&["add", "-A"]);
        let bin = Path::new(env!("CARGO_BIN_EXE_cdpspec")).parent().unwrap().display().to_string();
        let path = if hook.ends_with("-system") { format!("{bin}:{}", self.pre_commit.path()) } else { self.pre_commit.path() };
        let home = pypi::workspace().join("target/tool-cache/pre-commit-home");
        let mut command = self.pre_commit.module("pre_commit");
        command.args(["try-repo"]).arg(pypi::workspace()).arg(hook).arg("--files").args(files).arg("--color").arg("never");
        command.current_dir(&self.dir).env("PATH", path).env("PRE_COMMIT_HOME", home).env_remove("CI");
        for (k, v) in env {
            command.env(k, v);
        }
        let out = command.output().unwrap();
        (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn the_hooks_pass_good_files_and_fail_broken_ones_with_the_diagnostic() {
    let Some(tool) = pypi::install("pre-commit", "the_hooks_pass_good_files_and_fail_broken_ones_with_the_diagnostic") else { return };
    let repo = Repo::new("system", tool);
    repo.write("fixtures/good.json", GOOD);
    repo.write("fixtures/broken.json", BROKEN);
    repo.write("tracking-plan.yaml", PLAN);

    let (ok, log) = repo.try_repo("cdpspec-validate-system", &["fixtures/good.json"], &[]);
    assert!(ok && log.contains("cdpspec validate") && log.contains("Passed"), "{log}");
    let (ok, log) = repo.try_repo("cdpspec-validate-system", &["fixtures/good.json", "fixtures/broken.json"], &[]);
    assert!(!ok && log.contains("Failed"), "{log}");
    assert!(log.contains("fixtures/broken.json:1:1: error[CDP103/missing-identity]"), "the diagnostic is shown: {log}");

    let (ok, log) = repo.try_repo("cdpspec-plan-check-system", &["tracking-plan.yaml"], &[]);
    assert!(!ok && log.contains("error[no-versions] event `Course Completed` has no versions"), "{log}");
    repo.write("tracking-plan.yaml", &PLAN.replace("versions: []", "versions: [{version: 1}]"));
    let (ok, log) = repo.try_repo("cdpspec-plan-check-system", &["tracking-plan.yaml"], &[]);
    assert!(ok, "{log}");

    let (ok, log) = repo.try_repo("cdpspec-plan-diff-system", &["tracking-plan.yaml"], &[]);
    assert!(ok, "a plan without history: {log}");
    repo.git(&["commit", "-qm", "plan"]);
    let current = std::fs::read_to_string(repo.dir.join("tracking-plan.yaml")).unwrap();
    repo.write("tracking-plan.yaml", &current.replace("class_code: {type: string}", "class_code: {type: integer}"));
    let (ok, log) = repo.try_repo("cdpspec-plan-diff-system", &["tracking-plan.yaml"], &[]);
    assert!(!ok && log.contains("BREAKING"), "{log}");
}

/// Where the hooks that build cdpspec build it, and how: a target folder of its own, kept between
/// runs, because the clone's crates have the workspace's file names but other sources (their
/// paths differ), so building them into the workspace's target/ would replace the libraries the
/// doctests link against. pip (maturin) and `cargo install` both build the release profile;
/// unoptimised here, as the binary only checks two files.
fn build_env() -> Vec<(&'static str, String)> {
    let target = pypi::workspace().join("target/tool-cache/pre-commit-target");
    vec![("CARGO_TARGET_DIR", target.display().to_string()), ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0".into()), ("CARGO_INCREMENTAL", "0".into())]
}

/// One run of `hook` (try-repo installs it afresh each time): the good file passes, the broken
/// one fails with its diagnostic.
fn installs_and_runs(repo: &Repo, hook: &str, extra: &[(&str, &str)]) {
    repo.write("fixtures/good.json", GOOD);
    repo.write("fixtures/broken.json", BROKEN);
    let env = build_env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).chain(extra.iter().copied()).collect();
    let (ok, log) = repo.try_repo(hook, &["fixtures/good.json", "fixtures/broken.json"], &env);
    assert!(!ok && log.contains("fixtures/broken.json:1:1: error[CDP103/missing-identity]"), "{log}");
    assert!(log.contains("Checked 2 calls in 2 files: 1 valid, 1 with errors"), "{log}");
}

#[test]
fn the_python_hook_installs_cdpspec_from_this_repository() {
    let Some(tool) = pypi::install("pre-commit", "the_python_hook_installs_cdpspec_from_this_repository") else { return };
    installs_and_runs(&Repo::new("python", tool), "cdpspec-validate", &[]);
}

#[test]
fn the_rust_hook_builds_cdpspec_from_this_repository() {
    let Some(tool) = pypi::install("pre-commit", "the_rust_hook_builds_cdpspec_from_this_repository") else { return };
    // `cargo install` resolves afresh (pre-commit passes no `--locked`); offline, it resolves
    // from the crates this workspace's build downloaded, not from what was published since.
    installs_and_runs(&Repo::new("rust", tool), "cdpspec-validate-src", &[("CARGO_NET_OFFLINE", "true")]);
}
