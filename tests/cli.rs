//! The `cdpspec validate` command as users and CI run it: exact diagnostics for the seed's
//! examples, every output format, exit codes, hostile input, and line accounting.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn cdpspec(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cdpspec runs");
    let mut pipe = child.stdin.take().unwrap();
    if let Some(input) = stdin {
        // cdpspec may exit (usage error) before reading stdin: a closed pipe is not a failure.
        if let Err(e) = pipe.write_all(input) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
        }
    }
    drop(pipe);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "cdpspec panicked: {stderr}");
    output
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The JSON Lines diagnostics of a run.
fn diagnostics(output: &Output) -> Vec<Value> {
    text(&output.stdout).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}"))).collect()
}

/// A new file ending in `name` holding `contents`, removed when it is dropped.
fn temp_file(name: &str, contents: &[u8]) -> tempfile::TempPath {
    let path = tempfile::Builder::new().prefix("cdpspec-cli-").suffix(&format!("-{name}")).tempfile().unwrap().into_temp_path();
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn the_seed_examples_pass_and_the_broken_ones_say_why() {
    let out = cdpspec(&["validate", "--format", "json", "examples/seed"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("Checked 6 calls in 6 files: 6 valid, 0 with errors."), "{}", text(&out.stderr));
    let out = cdpspec(&["validate", "--format", "json", "examples/broken"], None);
    assert_eq!(out.status.code(), Some(1));
    let found = diagnostics(&out);
    assert_eq!(found.len(), 3, "{found:#?}");
    let d = &found[0];
    assert_eq!(d["path"], "examples/broken/identify-trailing-comma.json");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(10), Some(29)), "the comma after \"1679407797\"");
    assert_eq!((d["severity"].as_str(), d["code"].as_str(), d["rule"].as_str()), (Some("error"), Some("CDP001"), Some("invalid-json")));
    assert_eq!(d["message"], "malformed JSON: trailing comma");
    let rules: Vec<&str> = found[1..].iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["missing-identity", "misspelled-field"]);
    assert_eq!(found[1]["suggestion"], "userId");
    let summary = text(&out.stderr);
    assert!(summary.contains("Checked 1 call in 2 files: 0 valid, 1 with errors."), "{summary}");
    assert!(summary.contains("2 errors (1 in a call, 1 record did not parse), 1 warning."), "{summary}");
}

#[test]
fn alias_without_type_needs_its_endpoint() {
    let alias = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed/alias.json")).unwrap();
    let out = cdpspec(&["validate", "--format", "json", "-"], Some(&alias));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(diagnostics(&out)[0]["code"], "CDP101");
    let out = cdpspec(&["validate", "--type", "alias", "-"], Some(&alias));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // A file named after its endpoint implies the type, as the endpoint does.
    assert_eq!(cdpspec(&["validate", "examples/seed/alias.json"], None).status.code(), Some(0));
    let out = cdpspec(&["validate", "--type", "alias2", "-"], Some(&alias));
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a call type"));
}

#[test]
fn real_sdk_traffic_has_no_errors() {
    let out = cdpspec(&["validate", "--format", "json", "examples/sdk"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let found = diagnostics(&out);
    assert!(found.iter().all(|d| d["severity"] == "warning"), "{found:#?}");
    assert!(text(&out.stderr).contains("Checked 12 calls in 3 files: 12 valid"), "{}", text(&out.stderr));
}

#[test]
fn each_broken_payload_is_flagged_on_its_own_line() {
    let labels: Vec<String> =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/broken.labels")).unwrap().lines().map(String::from).collect();
    let out = cdpspec(&["validate", "--format", "json", "tests/fixtures/broken.ndjson"], None);
    assert_eq!(out.status.code(), Some(1));
    let found = diagnostics(&out);
    for (i, label) in labels.iter().enumerate() {
        let line = i as u64 + 1;
        let on_line: Vec<&Value> = found.iter().filter(|d| d["line"] == line).collect();
        assert!(on_line.iter().any(|d| d["severity"] == "error" && d["code"] == label.as_str()), "line {line}: expected {label}, got {on_line:#?}");
    }
    assert!(found.iter().all(|d| (1..=labels.len() as u64).contains(&d["line"].as_u64().unwrap())));
    let summary = text(&out.stderr);
    assert!(summary.contains(&format!("Read {} records ({} parsed, 2 did not parse, 0 blank)", labels.len(), labels.len() - 2)), "{summary}");
}

#[test]
fn every_diagnostic_has_the_documented_fields() {
    let out = cdpspec(&["validate", "--format", "json", "tests/fixtures/mixed.ndjson"], None);
    for d in diagnostics(&out) {
        for field in ["path", "line", "column", "severity", "code", "rule", "pointer", "message"] {
            assert!(d.get(field).is_some(), "{field} missing in {d}");
        }
        assert!(d["pointer"].as_str().unwrap().is_empty() || d["pointer"].as_str().unwrap().starts_with('/'));
        assert_eq!(d.get("index").is_some(), d["pointer"].as_str().unwrap().starts_with("/batch/"), "{d}");
    }
}

#[test]
fn human_output_snapshot() {
    let out = cdpspec(&["validate", "tests/fixtures/mixed.ndjson"], None);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn stdin_and_gzip_inputs_show_the_same_snippets_as_files() {
    let file = text(&cdpspec(&["validate", "tests/fixtures/mixed.ndjson"], None).stdout);
    assert!(file.contains("2 | {\"type\":\"identity\",\"userId\":\"u1\"}\n  |         ^"), "{file}");
    let bytes = std::fs::read(format!("{}/tests/fixtures/mixed.ndjson", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let stdin = text(&cdpspec(&["validate", "-"], Some(&bytes)).stdout);
    assert_eq!(stdin, file.replace("tests/fixtures/mixed.ndjson", "<stdin>"));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    let path = temp_file("mixed.ndjson.gz", &gz.finish().unwrap());
    let gzipped = text(&cdpspec(&["validate", path.to_str().unwrap()], None).stdout);
    assert_eq!(gzipped, file.replace("tests/fixtures/mixed.ndjson", path.to_str().unwrap()));
}

#[test]
fn json_output_snapshot() {
    let out = cdpspec(&["validate", "--format", "json", "tests/fixtures/mixed.ndjson"], None);
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn one_bad_line_never_stops_the_others_and_every_line_is_counted() {
    let input = b"{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u1\"}\n{\"type\":\"track\",\n\n   \n{\"type\":\"track\",\"event\":\"B\"}\r\n{\"type\":\"track\",\"event\":\"C\",\"userId\":\"u1\"}";
    let out = cdpspec(&["validate", "--format", "json", "-"], Some(input));
    let lines: Vec<u64> = diagnostics(&out).iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [2, 5]);
    assert!(
        text(&out.stderr).contains("Checked 3 calls in 1 file: 2 valid, 1 with errors. Read 6 records (3 parsed, 1 did not parse, 2 blank). 2 errors (1 in a call, 1 record did not parse), 0 warnings."),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn hostile_input_is_reported_never_panics() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let deep_object = format!("{{\"type\":\"track\",\"properties\":{}{}}}", "{\"a\":".repeat(300), "}".repeat(300));
    let long = format!("{{\"type\":\"track\",\"event\":\"{}\",\"userId\":\"u1\"}}", "é".repeat(20 * 1024));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("utf8.ndjson", b"{\"type\":\"track\",\"event\":\"\xff\xfe\",\"userId\":\"u1\"}\n".to_vec(), "CDP002"),
        ("deep.ndjson", format!("{deep}\n").into_bytes(), "CDP001"),
        ("deep-object.json", deep_object.into_bytes(), "CDP001"),
        ("long.ndjson", format!("{long}\n").into_bytes(), "CDP206"),
        ("empty.json", Vec::new(), "CDP001"),
        ("blank.json", b"\n\n  \n".to_vec(), "CDP001"),
        ("array.json", b"[\"track\", {\"type\": \"page\", \"anonymousId\": \"a\"}]".to_vec(), "CDP003"),
        ("scalar.ndjson", b"42\nnull\n".to_vec(), "CDP003"),
    ];
    for (name, contents, code) in cases {
        let path = temp_file(name, &contents);
        let out = cdpspec(&["validate", "--format", "json", path.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let found = diagnostics(&out);
        assert!(found.iter().any(|d| d["code"] == code), "{name}: expected {code}, got {found:#?}");
    }
    // Empty NDJSON and blank NDJSON lines are nothing to complain about, but still counted.
    for (name, contents, records) in [("empty.ndjson", &b""[..], 0), ("blank.ndjson", &b"\n\n \n"[..], 3)] {
        let path = temp_file(name, contents);
        let out = cdpspec(&["validate", path.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert!(text(&out.stdout).contains(&format!("Read {records} records (0 parsed, 0 did not parse, {records} blank)")), "{}", text(&out.stdout));
    }
}

#[test]
fn invalid_utf8_is_located_at_the_bad_byte() {
    let out = cdpspec(&["validate", "--format", "json", "-"], Some(b"{\"type\":\"track\"}\n{\"event\":\"caf\xe9\"}\n"));
    let found = diagnostics(&out);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[1]["line"].as_u64(), found[1]["column"].as_u64(), found[1]["code"].as_str()), (Some(2), Some(14), Some("CDP002")));
}

#[test]
fn pretty_json_documents_are_located_by_line() {
    let doc = "{\n  \"batch\": [\n    {\"type\": \"track\", \"userId\": \"u1\", \"event\": \"A\"},\n    {\n      \"type\": \"identify\",\n      \"userId\": 42\n    }\n  ]\n}\n";
    let out = cdpspec(&["validate", "--format", "json", "-"], Some(doc.as_bytes()));
    let found = diagnostics(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(6), Some(17)));
    assert_eq!((d["pointer"].as_str(), d["index"].as_u64(), d["code"].as_str()), (Some("/batch/1/userId"), Some(1), Some("CDP110")));
    assert_eq!(out.status.code(), Some(0), "warnings alone pass");
}

#[test]
fn unreadable_inputs_exit_2_and_the_rest_is_still_checked() {
    let out = cdpspec(&["validate", "does-not-exist.json", "examples/seed/track.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read does-not-exist.json"));
    assert!(text(&out.stdout).contains("Checked 1 call in 1 file"), "{}", text(&out.stdout));
    assert_eq!(cdpspec(&["validate"], None).status.code(), Some(2));
    assert_eq!(cdpspec(&["validate", "--format", "xml", "examples"], None).status.code(), Some(2));
}

#[test]
fn rules_lists_every_rule() {
    let out = cdpspec(&["rules"], None);
    assert_eq!(out.status.code(), Some(0));
    let listing = text(&out.stdout);
    for rule in cdpspec::Rule::ALL {
        assert!(listing.contains(rule.code()) && listing.contains(rule.name()), "{rule:?}");
    }
}

#[test]
fn readme_documents_every_rule_and_the_real_first_run() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/", "README.md")).unwrap();
    for rule in cdpspec::Rule::ALL {
        assert!(readme.contains(&format!("| {} | `{}` | {} |", rule.code(), rule.name(), rule.default_severity())), "README lacks {rule:?}");
    }
    // The quickstart's first command succeeds, so `cmd1 && cmd2` works, and shows a finding.
    assert!(readme.contains("cargo run --release -p cdpspec-cli -- validate examples/seed examples/sdk"), "README's first command changed");
    let out = cdpspec(&["validate", "examples/seed", "examples/sdk"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(readme.contains(&text(&out.stdout)), "README shows stale output of `validate examples/seed examples/sdk`:\n{}", text(&out.stdout));
    let out = cdpspec(&["validate", "examples/broken"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(readme.contains(&text(&out.stdout)), "README shows stale output of `validate examples/broken`:\n{}", text(&out.stdout));
}

#[test]
fn duplicate_keys_are_reported_at_the_second_occurrence_in_their_call() {
    let input = b"{\"batch\":[{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"A\"},{\"type\":\"track\",\"userId\":\"u1\",\"event\":\"A\",\"properties\":{\"plan\":\"free\",\"plan\":\"premium\"}}],\"sentAt\":\"2026-11-28T18:02:43Z\",\"sentAt\":\"2026-11-28T18:02:44Z\"}\n";
    let out = cdpspec(&["validate", "--format", "json", "-"], Some(input));
    let found = diagnostics(&out);
    let summary: Vec<(&str, &str, Option<u64>)> =
        found.iter().map(|d| (d["rule"].as_str().unwrap(), d["pointer"].as_str().unwrap(), d["index"].as_u64())).collect();
    assert_eq!(summary, [("duplicate-key", "/sentAt", None), ("duplicate-key", "/batch/1/properties/plan", Some(1))]);
    assert_eq!(found[1]["column"].as_u64(), Some(131), "the value of the second `plan`, which the parser kept");
    assert!(text(&out.stderr).contains("1 valid, 1 with errors"), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("2 errors (1 in a call, 1 about a batch as a whole)"), "{}", text(&out.stderr));
}

#[test]
fn gzip_files_directories_and_stdin_are_read_like_plain_ones() {
    use flate2::{Compression, write::GzEncoder};
    let plain = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mixed.ndjson")).unwrap();
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(&plain).unwrap();
    let gz = encoder.finish().unwrap();
    let scratch = temp_dir("gz");
    let dir = scratch.path();
    std::fs::write(dir.join("mixed.ndjson.gz"), &gz).unwrap();
    let expected: Vec<(u64, String)> = diagnostics(&cdpspec(&["validate", "--format", "json", "tests/fixtures/mixed.ndjson"], None))
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap().to_string()))
        .collect();
    let as_found = |out: &Output| diagnostics(out).iter().map(|d| (d["line"].as_u64().unwrap(), d["code"].as_str().unwrap().to_string())).collect::<Vec<_>>();
    let file = cdpspec(&["validate", "--format", "json", dir.join("mixed.ndjson.gz").to_str().unwrap()], None);
    assert_eq!(as_found(&file), expected, "a .ndjson.gz file");
    let folder = cdpspec(&["validate", "--format", "json", dir.to_str().unwrap()], None);
    assert_eq!(as_found(&folder), expected, "found in a directory");
    let stdin = cdpspec(&["validate", "--format", "json", "-"], Some(&gz));
    assert_eq!(as_found(&stdin), expected, "gzip on stdin");
    assert!(text(&stdin.stderr).contains("Read 6 records"), "{}", text(&stdin.stderr));
}

#[test]
fn jobs_change_nothing_but_speed() {
    let one = cdpspec(&["validate", "--jobs", "1", "--format", "json", "tests/fixtures/broken.ndjson", "tests/fixtures/mixed.ndjson", "examples"], None);
    let two = cdpspec(&["validate", "--jobs", "2", "--format", "json", "tests/fixtures/broken.ndjson", "tests/fixtures/mixed.ndjson", "examples"], None);
    assert_eq!((text(&one.stdout), text(&one.stderr), one.status.code()), (text(&two.stdout), text(&two.stderr), two.status.code()));
    assert!(diagnostics(&one).len() > 30);
}

/// A fresh, empty directory for one test, removed when it is dropped.
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("cdpspec-cli-{name}-")).tempdir().unwrap()
}

#[test]
fn a_path_that_yields_no_input_fails_instead_of_checking_nothing() {
    let empty = temp_dir("empty");
    let others = temp_dir("others");
    std::fs::write(others.path().join("notes.txt"), "{}").unwrap();
    std::fs::write(others.path().join("events.csv"), "type,event\n").unwrap();
    for dir in [empty.path(), others.path()] {
        let shown = dir.display().to_string();
        for command in ["validate", "coverage"] {
            let mut args = vec![command, shown.as_str()];
            if command == "coverage" {
                args.extend(["--destination", "customerio"]);
            }
            let out = cdpspec(&args, None);
            assert_eq!(out.status.code(), Some(2), "{command} {shown}: {}", text(&out.stderr));
            let stderr = text(&out.stderr);
            assert!(stderr.contains(&format!("cannot read {shown}: no input files in this directory")), "{command}: {stderr}");
        }
    }
    // An empty NDJSON file is zero records, not an error.
    let file = empty.path().join("none.ndjson");
    std::fs::write(&file, "").unwrap();
    let out = cdpspec(&["validate", file.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("Checked 0 calls in 1 file"), "{}", text(&out.stdout));
}

#[test]
fn a_missing_input_leaves_the_split_outputs_as_they_were() {
    let scratch = temp_dir("split-missing");
    let dir = scratch.path();
    let (valid, invalid) = (dir.join("valid.ndjson"), dir.join("invalid.ndjson"));
    std::fs::write(&valid, "earlier valid calls\n").unwrap();
    std::fs::write(&invalid, "earlier invalid calls\n").unwrap();
    let out = cdpspec(
        &["validate", "examples/seed/track.json", "does-not-exist.ndjson", "--valid-out", valid.to_str().unwrap(), "--invalid-out", invalid.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot read does-not-exist.ndjson"), "{stderr}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&valid).unwrap(), "earlier valid calls\n");
    assert_eq!(std::fs::read_to_string(&invalid).unwrap(), "earlier invalid calls\n");
}

#[test]
fn the_summary_says_what_the_errors_are_about_in_every_format() {
    // One call without identity, one line that does not parse, one batch over the call limit.
    let mut input = b"{\"type\":\"track\",\"event\":\"A\"}\n{\"type\":\"track\",\n".to_vec();
    input.extend_from_slice(b"{\"batch\":[{\"type\":\"track\",\"event\":\"A\",\"userId\":\"u\"},{\"type\":\"track\",\"event\":\"B\",\"userId\":\"u\"}]}\n");
    let expected = "Checked 3 calls in 1 file: 2 valid, 1 with errors. Read 3 records (2 parsed, 1 did not parse, 0 blank). 3 errors (1 in a call, 1 about a batch as a whole, 1 record did not parse), 0 warnings.";
    for format in ["human", "json", "github", "junit", "sarif", "markdown"] {
        let out = cdpspec(&["validate", "--format", format, "--limit", "batch-calls=1", "-"], Some(&input));
        assert_eq!(out.status.code(), Some(1), "{format}");
        let both = text(&out.stdout) + &text(&out.stderr);
        assert!(both.contains(expected), "{format}: {both}");
    }
    // One of each: the nouns agree with their numbers.
    let out = cdpspec(&["validate", "-"], Some(b"{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{\"createdAt\":\"2024-03-10 12:00:00\"}}\n"));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "Checked 1 call in 1 file: 1 valid (1 with warnings), 0 with errors. Read 1 record (1 parsed, 0 did not parse, 0 blank). 0 errors, 1 warning."
        ),
        "{stdout}"
    );
    assert!(stdout.contains("suggestion: 2024-03-10T12:00:00Z"), "{stdout}");
}

#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    use std::io::Read;
    // 20,000 calls without identity: far more diagnostics than a pipe holds.
    let scratch = temp_dir("pipe");
    let dir = scratch.path();
    let input = dir.join("many.ndjson");
    std::fs::write(&input, "{\"type\":\"track\",\"event\":\"A\"}\n".repeat(20_000)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(["validate", "--format", "json", "--jobs", "1"])
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("cannot write") && !stderr.contains("panicked"), "{stderr}");
}
