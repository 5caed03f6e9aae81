//! Messages that tell a person what to do when a name is slightly off: a call type, an action,
//! a plan file in the wrong format.

use std::process::{Command, Output};

fn cdpspec(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_misspelled_call_type_gets_the_closest_one() {
    for command in ["validate", "coverage"] {
        let out = cdpspec(&[command, "--type", "identity", "examples/seed/alias.json"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("`identity` is not a call type; did you mean `identify`? expected one of identify, group"), "{}", stderr(&out));
    }
}

#[test]
fn map_finds_an_action_whatever_its_case_and_suggests_a_misspelled_one() {
    let exact = cdpspec(&["map", "-d", "customerio", "--action", "trackEvent", "examples/seed/track.json"]);
    assert_eq!(exact.status.code(), Some(0), "{}", stderr(&exact));
    for loose in ["trackevent", "TRACK_EVENT", "track event"] {
        let out = cdpspec(&["map", "-d", "customerio", "--action", loose, "examples/seed/track.json"]);
        assert_eq!(out.status.code(), Some(0), "{loose}: {}", stderr(&out));
        assert_eq!(out.stdout, exact.stdout, "{loose}");
    }
    let out = cdpspec(&["map", "-d", "customerio", "--action", "trakEvent", "examples/seed/track.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`trakEvent` is neither a preset nor an action of"), "{}", stderr(&out));
    assert!(stderr(&out).contains("did you mean `trackEvent`?") || stderr(&out).contains("did you mean `Track Event`?"), "{}", stderr(&out));
}

#[test]
fn plan_import_says_which_formats_it_reads() {
    let out = cdpspec(&["plan", "import", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("neither JSON"), "{}", stderr(&out));
    assert!(stderr(&out).contains("`plan import` reads a Segment Protocols tracking plan exported as JSON"), "{}", stderr(&out));
    // A cdpspec plan needs no import.
    let out = cdpspec(&["plan", "import", "examples/plan/courses.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is already a cdpspec plan"), "{}", stderr(&out));
    // A Segment plan in YAML imports like its JSON.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segment/protocols-plan.json")).unwrap()).unwrap();
    let scratch = tempfile::Builder::new().prefix("cdpspec-messages-").tempdir().unwrap();
    let dir = scratch.path();
    let yaml = dir.join("protocols-plan.yaml");
    std::fs::write(&yaml, serde_yaml_ng::to_string(&json).unwrap()).unwrap();
    let from_yaml = cdpspec(&["plan", "import", yaml.to_str().unwrap()]);
    let from_json = cdpspec(&["plan", "import", "tests/fixtures/segment/protocols-plan.json"]);
    assert_eq!(from_yaml.status.code(), Some(0), "{}", stderr(&from_yaml));
    assert_eq!(from_yaml.stdout, from_json.stdout);
}

#[test]
fn plan_check_names_file_line_and_column_of_each_invalid_keyword() {
    let out = cdpspec(&["plan", "check", "tests/fixtures/plan-messages/broken.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("tests/fixtures/plan-messages/broken.yaml:12:21: error[invalid-schema] `type` must be one of array, boolean, integer, null, number, object, string; did you mean `integer`? (at #/events/0/versions/0/properties/properties/amount/type)"),
        "{stdout}"
    );
    assert!(stdout.contains("broken.yaml:16:25: error[invalid-schema] `required` is a list of property names at the object level"), "{stdout}");
    let out = cdpspec(&["plan", "check", "--format", "json", "tests/fixtures/plan-messages/broken.yaml"]);
    let first: serde_json::Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!((first["line"].as_u64(), first["column"].as_u64()), (Some(12), Some(21)), "{first}");
}

#[test]
fn the_command_line_prints_every_problem_of_a_destination() {
    let path = "tests/fixtures/destinations/broken.json";
    let out = cdpspec(&["coverage", "--destination", path, "examples/seed"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr(&out);
    assert!(stderr.starts_with(&format!("cdpspec: destination `{path}` does not load:\n  action `send`, field `body`: ")), "{stderr}");
    assert!(stderr.contains("\n  preset `Loud`: mapping: /body/@json/mode should be one of encode, decode but it is \"ENCODE\""), "{stderr}");
}

#[test]
fn every_command_ends_quietly_when_its_reader_is_gone() {
    let commands: [&[&str]; 4] = [
        &["plan", "check", "tests/fixtures/plan-messages/broken.yaml"],
        &["plan", "diff", "examples/plan/courses.yaml", "tests/fixtures/plan-messages/shop.yaml"],
        &["rules"],
        &["map", "-d", "customerio", "--action", "trackEvent", "examples/seed/track.json"],
    ];
    for args in commands {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cdpspec"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = stderr(&out);
        assert!(!stderr.contains("panicked") && !stderr.contains("cannot write"), "{args:?}: {stderr}");
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {:?} {stderr}", out.status);
    }
}
