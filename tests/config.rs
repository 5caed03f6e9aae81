//! `cdpspec.toml` and the flags that override it: unknown keys name the closest valid one,
//! default inputs, `--deny warnings`, limits.

use std::process::{Command, Output};

fn cdpspec(args: &[&str], dir: impl AsRef<std::path::Path>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(args).current_dir(dir).output().unwrap()
}

fn project(name: &str, config: &str) -> tempfile::TempDir {
    let scratch = tempfile::Builder::new().prefix(&format!("cdpspec-config-{name}-")).tempdir().unwrap();
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("events")).unwrap();
    // Valid, but the timestamp has no zone: one warning.
    std::fs::write(dir.join("events/calls.ndjson"), "{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\"timestamp\":\"2026-11-27T09:30:00\"}\n")
        .unwrap();
    std::fs::write(dir.join("cdpspec.toml"), config).unwrap();
    scratch
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn unknown_keys_name_the_closest_valid_one() {
    let dir = project("typo", "deny-warning = true\n");
    let out = cdpspec(&["validate", "events"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unknown key `deny-warning`; did you mean `deny-warnings`?"), "{}", stderr(&out));
    let dir = project("nonsense", "colour = \"red\"\n");
    let out = cdpspec(&["validate", "events"], &dir);
    assert!(stderr(&out).contains("unknown key `colour`; valid keys: plan, type, paths, destination, deny-warnings, rules, limits"), "{}", stderr(&out));
    let dir = project("bad-level", "[rules]\nmissing-identity = \"fatal\"\n");
    let out = cdpspec(&["validate", "events"], &dir);
    assert!(stderr(&out).contains("`fatal` is not a severity"), "{}", stderr(&out));
}

#[test]
fn paths_and_deny_warnings_come_from_the_config_and_flags() {
    let dir = project("plain", "paths = [\"events\"]\n");
    let out = cdpspec(&["validate"], &dir);
    assert_eq!(out.status.code(), Some(0), "warnings alone pass: {}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("timestamp-not-rfc3339"));
    let out = cdpspec(&["validate", "--deny", "warnings"], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("warnings are denied"), "{}", stderr(&out));

    let dir = project("deny", "paths = [\"events\"]\ndeny-warnings = true\n");
    assert_eq!(cdpspec(&["validate"], &dir).status.code(), Some(1));
    // A severity override can still silence the warning that would be denied.
    assert_eq!(cdpspec(&["validate", "--severity", "timestamp-not-rfc3339=off"], &dir).status.code(), Some(0));

    let dir = project("nothing", "");
    let out = cdpspec(&["validate"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no input"), "{}", stderr(&out));
}

#[test]
fn limits_come_from_the_config_and_flags_win() {
    // The project's call is 85 bytes.
    let dir = project("limits", "[limits]\ncall-bytes = 60\n");
    let out = cdpspec(&["validate", "--format", "json", "events"], &dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("\"code\":\"CDP206\"") && stdout.contains("the pipeline rejects calls over 60 bytes"), "{stdout}");
    let out = cdpspec(&["validate", "--format", "json", "--limit", "call-bytes=4096", "events"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));

    let dir = project("limit-typo", "[limits]\nbatch-call = 3\n");
    let out = cdpspec(&["validate", "events"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[limits] `batch-call` is not a limit; did you mean `batch-calls`?"), "{}", stderr(&out));
    let dir = project("limit-zero", "[limits]\nmessage-id-chars = 0\n");
    assert!(stderr(&cdpspec(&["validate", "events"], &dir)).contains("limit `message-id-chars` must be at least 1"));
    let dir = project("limit-flag", "");
    let out = cdpspec(&["validate", "--limit", "call-bytes=lots", "events"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("limit `call-bytes`: `lots` is not a whole number"), "{}", stderr(&out));
}
