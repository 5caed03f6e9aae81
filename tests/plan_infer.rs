//! `cdpspec plan infer` end to end: inputs read as `validate` reads them (files, gzip, stdin,
//! batches), the plan written as YAML or JSON, findings on stderr; the plan passes `plan check`
//! and `validate --plan` passes the traffic it came from.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cdpspec");
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn infers_from_files_gzip_and_stdin_then_the_plan_checks_and_validates_its_traffic() {
    let scratch = tempfile::Builder::new().prefix("cdpspec-infer-").tempdir().unwrap();
    let dir = scratch.path();
    let lines = std::fs::read(format!("{EXAMPLES}/sdk/node-batches.ndjson")).unwrap();
    let gz = dir.join("node.ndjson.gz");
    let mut encoder = flate2::write::GzEncoder::new(std::fs::File::create(&gz).unwrap(), flate2::Compression::default());
    encoder.write_all(&lines).unwrap();
    encoder.finish().unwrap();
    let stdin = std::fs::read(format!("{EXAMPLES}/sdk/rudderstack.ndjson")).unwrap();
    let plan = dir.join("plan.yaml");
    let python = format!("{EXAMPLES}/sdk/python-batch.json");
    let out = run(&["plan", "infer", gz.to_str().unwrap(), &python, "-", "--out", plan.to_str().unwrap(), "--name", "SDK traffic"], &stdin);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("into "), "{stderr}");
    assert!(stderr.contains("conflicting-types: group traits.employees"), "listed for a person: {stderr}");
    let yaml = std::fs::read_to_string(&plan).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema="), "a modeline for editors: {yaml}");
    assert!(yaml.contains("name: SDK traffic"), "{yaml}");

    let check = run(&["plan", "check", plan.to_str().unwrap()], b"");
    assert!(check.status.success(), "{}{}", text(&check.stdout), text(&check.stderr));
    let validate = run(&["validate", "--plan", plan.to_str().unwrap(), "--format", "json", gz.to_str().unwrap(), &python, "-"], &stdin);
    let plan_rules: Vec<String> = text(&validate.stdout).lines().filter(|l| l.contains("\"CDP3")).map(String::from).collect();
    assert!(plan_rules.is_empty(), "{plan_rules:#?}");

    let json = run(&["plan", "infer", "--enum-threshold", "0", "-"], &stdin);
    assert!(json.status.success());
    assert!(!text(&json.stdout).contains("enum:"), "stdout is the plan, as YAML, with no enum");
}

#[test]
fn no_input_and_unreadable_inputs_fail_and_write_nothing() {
    let out = run(&["plan", "infer", "/nonexistent/calls.ndjson", "--out", "/tmp/never-written.yaml"], b"");
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("cannot read /nonexistent/calls.ndjson"), "{}", text(&out.stderr));
    assert!(!std::path::Path::new("/tmp/never-written.yaml").exists());
}
