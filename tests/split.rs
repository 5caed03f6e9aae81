//! `--valid-out` / `--invalid-out`: a stream split losing nothing. On a corpus with every kind
//! of fault the tool knows (the labeled broken set, SDK traffic, batches, pretty-printed JSON,
//! bad UTF-8, duplicate keys, plan violations, a record too large to hold), every call lands in
//! exactly one output, unchanged but for `context.violationErrors`, and the counts add up to the
//! input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Lines no fixture has: a batch whose envelope is broken but whose calls are not, a document
/// with no call, an empty array, duplicate keys, a violation list from an earlier run, bad
/// UTF-8, the faults only warnings report (a lone surrogate among them), and calls that break
/// the tracking plan in each way.
const EXTRA: &[&[u8]] = &[
    br#"{"type":"track","userId":"","anonymousId":"a1","event":"Signed Up"}"#,
    br#"{"type":"identify","userId":42}"#,
    br#"{"type":"identify","userId":"u1","traits":{"createdAt":"last week"}}"#,
    br#"{"type":"identify","userId":"u1","traits":{"email":"n/a"}}"#,
    br#"{"type":"identify","userId":"u1","traits":{"plan":"gold"}}"#,
    br#"{"type":"track","event":"Course Enrolled","userId":"u1","context":{"protocols":{"event_version":2}},"properties":{"class_name":"B","class_code":"cio101","level":"beginner","seats":3}}"#,
    br#"{"batch":[{"type":"track","event":"Course Enrolled","userId":"u1","properties":{"class_name":"Basics","class_code":"cio101"}}],"sentAt":"yesterday"}"#,
    br#"{"batch":"none"}"#,
    b"[]",
    br#"{"type":"identify","userId":"u1","userId":"u2","traits":{"email":"a@example.com"}}"#,
    br#"{"type":"alias","previousId":"a1","context":{"violationErrors":[{"type":"stale"}],"ip":"1.2.3.4"}}"#,
    b"{\"type\":\"track\",\"event\":\"caf\xe9\",\"userId\":\"u1\"}",
    br#"{"type":"track","event":"Course Enrolled","userId":"u1","properties":{"class_name":12,"class_code":"cio101"}}"#,
    br#"{"type":"track","event":"Course Abandoned","userId":"u1","context":{}}"#,
    br#"{"type":"track","event":"Shared","userId":"u1","properties":{"title":"Best day \ud83d"}}"#,
];

const PRETTY: &str = r#"{
  "batch": [
    {
      "type": "page",
      "anonymousId": "a1",
      "name": "Home  page",
      "properties": {"path": "/"}
    },
    {
      "type": "page",
      "name": "missing identity"
    }
  ]
}
"#;

/// A folder made new for this run.
fn dir() -> PathBuf {
    static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-split-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()).path().to_path_buf()
}

/// The corpus: the fixtures as files, plus one NDJSON file (gzipped) of the extra lines and a
/// pretty-printed batch.
fn corpus() -> Vec<String> {
    let dir = dir();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    for line in EXTRA {
        gz.write_all(line).unwrap();
        gz.write_all(b"\n").unwrap();
    }
    // Batches over the API's limits, of calls that are fine on their own: more than 2500 calls,
    // and more than 500 KB.
    let small = r#"{"type":"track","event":"Course Enrolled","userId":"u1","properties":{"class_name":"B","class_code":"cio101"}}"#;
    let large = format!(
        r#"{{"type":"track","event":"Course Enrolled","userId":"u1","properties":{{"class_name":"B","class_code":"cio101","note":"{}"}}}}"#,
        "n".repeat(30_000)
    );
    for (call, n) in [(small.to_string(), 2501), (large, 20)] {
        writeln!(gz, r#"{{"batch":[{}]}}"#, vec![call; n].join(",")).unwrap();
    }
    // A record over cdpspec's record limit (16 MiB): reported, read through, and written to
    // neither output, since it is never held.
    writeln!(gz, r#"{{"type":"track","event":"Huge","userId":"u1","properties":{{"blob":"{}"}}}}"#, "x".repeat(16 << 20)).unwrap();
    std::fs::write(dir.join("extra.ndjson.gz"), gz.finish().unwrap()).unwrap();
    std::fs::write(dir.join("pretty.json"), PRETTY).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut paths: Vec<String> =
        ["tests/fixtures/broken.ndjson", "tests/fixtures/mixed.ndjson", "examples/sdk", "examples/seed"].iter().map(|p| format!("{root}/{p}")).collect();
    paths.extend([dir.join("extra.ndjson.gz"), dir.join("pretty.json")].iter().map(|p| p.display().to_string()));
    paths
}

fn cdpspec(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

/// The lines of an output file (gunzipped when its name ends in .gz).
fn lines(path: &Path) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut text = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut text).unwrap();
        text
    } else {
        bytes
    };
    assert!(bytes.is_empty() || bytes.ends_with(b"\n"), "every record ends its line");
    bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).map(<[u8]>::to_vec).collect()
}

/// What a split run printed and wrote: the JSON diagnostics, the summary, and both outputs.
type Run = (Vec<Value>, String, Vec<Vec<u8>>, Vec<Vec<u8>>);

/// Splits `inputs` with `extra` flags.
fn split(inputs: &[String], extra: &[&str], tag: &str) -> Run {
    let (valid, invalid) = (dir().join(format!("{tag}-valid.ndjson")), dir().join(format!("{tag}-invalid.ndjson.gz")));
    let mut args = vec!["validate", "--format", "json", "--valid-out", valid.to_str().unwrap(), "--invalid-out", invalid.to_str().unwrap()];
    args.extend(extra);
    args.extend(inputs.iter().map(String::as_str));
    let out = cdpspec(&args);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let diagnostics = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    (diagnostics, String::from_utf8(out.stderr).unwrap(), lines(&valid), lines(&invalid))
}

/// A number the human summary states before `words`.
fn count(summary: &str, words: &str) -> usize {
    let at = summary.find(words).unwrap_or_else(|| panic!("`{words}` in {summary}"));
    summary[..at].trim_end().rsplit([' ', '(']).next().unwrap().parse().unwrap()
}

/// A line as cdpspec reads it (an escaped lone surrogate as U+FFFD).
fn parse(line: &[u8]) -> Option<Value> {
    cdpspec::check::surrogates::parse(line).ok()
}

/// The call without what the split added: `context.violationErrors` (and a `context` that held
/// nothing else).
fn without_violations(mut call: Value) -> Value {
    if let Some(context) = call.get_mut("context").and_then(Value::as_object_mut) {
        context.remove("violationErrors");
        if context.is_empty() {
            call.as_object_mut().unwrap().remove("context");
        }
    }
    call
}

/// Every call of the input, as a value, in order (unparsed records skipped).
fn input_calls(inputs: &[String]) -> Vec<Value> {
    let mut calls = Vec::new();
    let (sources, _) = cdpspec::input::expand(inputs);
    for source in sources {
        source
            .records(&mut |record| {
                if let cdpspec::input::Record::Parsed { value, .. } = record {
                    match value {
                        Value::Object(ref map) if map.contains_key("batch") => calls.extend(map["batch"].as_array().cloned().unwrap_or_default()),
                        Value::Array(items) => calls.extend(items),
                        other => calls.push(other),
                    }
                }
            })
            .unwrap();
    }
    calls
}

#[test]
fn every_call_lands_in_exactly_one_output_and_the_counts_add_up() {
    let inputs = corpus();
    let plan = format!("{}/examples/plan/courses.yaml", env!("CARGO_MANIFEST_DIR"));
    let (diagnostics, summary, valid, invalid) = split(&inputs, &["--plan", &plan], "all");
    // Every kind of fault is in the corpus: each rule reports something (but `invalid-value`,
    // for constraints the canonical schemas do not use).
    for rule in cdpspec::Rule::ALL.iter().filter(|&&r| r != cdpspec::Rule::InvalidValue) {
        assert!(diagnostics.iter().any(|d| d["code"] == rule.code()), "nothing in the corpus breaks {}", rule.name());
    }
    let (calls, with_errors, unparsed) = (count(&summary, "calls in"), count(&summary, "with errors."), count(&summary, "did not parse"));
    // The documents with no call and an error: the batch whose `batch` is not an array. The
    // records not written: the one too large to hold.
    let (callless, unwritten) = (1, 1);
    assert_eq!(valid.len(), count(&summary, "valid ("), "{summary}");
    assert_eq!(invalid.len(), with_errors + unparsed - unwritten + callless, "{summary}");
    assert_eq!(valid.len() + invalid.len(), calls + unparsed - unwritten + callless, "{summary}");
    assert!(summary.contains(&format!("Split: {} to the valid output, {} to the invalid output.", valid.len(), invalid.len())), "{summary}");
    assert!(unparsed >= 4 && with_errors >= 25 && valid.len() >= 2521, "{summary}");

    // Both outputs hold every call of the input, unchanged but for the violations; in input
    // order within each output.
    let outputs: Vec<Value> =
        valid.iter().chain(&invalid).filter_map(|l| parse(l)).filter(|v| !v.get("batch").is_some_and(Value::is_string)).map(without_violations).collect();
    let mut expected: Vec<String> = input_calls(&inputs).into_iter().map(|c| without_violations(c).to_string()).collect();
    let mut got: Vec<String> = outputs.iter().map(Value::to_string).collect();
    expected.sort();
    got.sort();
    let missing: Vec<_> = expected.iter().filter(|c| !got.contains(c)).collect();
    let extra: Vec<_> = got.iter().filter(|c| !expected.contains(c)).collect();
    assert!(missing.is_empty() && extra.is_empty() && got.len() == expected.len(), "missing {missing:#?}, extra {extra:#?}");

    // Valid calls are written byte for byte as they were in a one-line source: the SDK traffic
    // is valid; no broken fixture line is.
    let sdk = std::fs::read_to_string(format!("{}/examples/sdk/rudderstack.ndjson", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for line in sdk.lines().filter(|l| !l.trim().is_empty()) {
        assert!(valid.iter().any(|v| v == line.as_bytes()), "{line}");
    }
    let broken = std::fs::read_to_string(&inputs[0]).unwrap();
    assert!(broken.lines().all(|l| !valid.iter().any(|v| v == l.as_bytes())), "no broken fixture line is valid");
    // The pretty batch's first page is valid and written on one line, its strings untouched.
    assert!(valid.iter().any(|v| v == br#"{"type":"page","anonymousId":"a1","name":"Home  page","properties":{"path":"/"}}"#));
    // A batch with a broken envelope loses none of its good calls.
    assert!(
        valid.iter().any(|v| v == br#"{"type":"track","event":"Course Enrolled","userId":"u1","properties":{"class_name":"Basics","class_code":"cio101"}}"#)
    );

    // Each invalid parsed call carries exactly the errors and warnings reported about it.
    let mut annotated = 0;
    for line in &invalid {
        let Some(call) = parse(line) else {
            assert!(diagnostics.iter().any(|d| d["code"] == "CDP001" || d["code"] == "CDP002"));
            continue;
        };
        let Some(violations) = call.pointer("/context/violationErrors").and_then(Value::as_array) else {
            // Nowhere to put them: the call, or its context, is not an object; or no call at all.
            assert!(!call.is_object() || call.get("context").is_some_and(|c| !c.is_object()) || call.get("batch").is_some(), "{call}");
            continue;
        };
        annotated += 1;
        assert!(violations.iter().any(|v| v["severity"] == "error"), "{call}");
        for v in violations {
            for field in ["type", "code", "rule", "severity", "message"] {
                assert!(v[field].is_string(), "{v}");
            }
            let pointer = v["meta"]["instancePath"].as_str().unwrap();
            assert!(pointer.is_empty() || pointer.starts_with('/'), "{v}");
            assert!(
                diagnostics.iter().any(|d| d["code"] == v["code"] && d["message"] == v["message"] && d["pointer"].as_str().unwrap().ends_with(pointer)),
                "{v} was reported"
            );
        }
    }
    assert!(annotated >= 20, "{annotated}");

    // A stale list from an earlier run is replaced, not kept beside the new one.
    let alias = invalid.iter().filter_map(|l| parse(l)).find(|c| c["type"] == "alias" && c["previousId"] == "a1" && c["context"]["ip"] == "1.2.3.4").unwrap();
    assert!(alias["context"]["violationErrors"].as_array().unwrap().iter().all(|v| v["type"] != "stale"), "{alias}");
    assert_eq!(alias["context"]["violationErrors"][0]["code"], "CDP104");
    // Plan violations name the plan rule they break and use the pipeline vocabulary.
    let planned = invalid.iter().filter_map(|l| parse(l)).find(|c| c["properties"]["class_name"] == 12).unwrap();
    let v = &planned["context"]["violationErrors"][0];
    assert_eq!((v["type"].as_str(), v["rule"].as_str()), (Some("Datatype-Mismatch"), Some("datatype-mismatch")), "{v}");
    assert!(v["meta"]["schemaPath"].as_str().unwrap().contains("courses.yaml#/"), "{v}");
    let unplanned = invalid.iter().filter_map(|l| parse(l)).find(|c| c["event"] == "Course Abandoned").unwrap();
    assert_eq!(unplanned["context"]["violationErrors"][0]["type"], "Unplanned-Event");
    // Bad UTF-8 is passed on as read.
    assert!(invalid.iter().any(|l| l == b"{\"type\":\"track\",\"event\":\"caf\xe9\",\"userId\":\"u1\"}"));
}

#[test]
fn splitting_again_changes_nothing_and_jobs_do_not_matter() {
    // The seed's files imply their call type by name; copied elsewhere, they would not.
    let mut inputs = corpus();
    inputs.retain(|p| !p.ends_with("examples/seed"));
    let (_, _, valid, invalid) = split(&inputs, &[], "first");
    // Many copies, so that several threads get batches of lines.
    let big = dir().join("big.ndjson");
    let mut text = Vec::new();
    while text.len() < 3 << 20 {
        for line in valid.iter().chain(&invalid) {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
    }
    std::fs::write(&big, &text).unwrap();
    let big = vec![big.display().to_string()];
    let (_, _, one_valid, one_invalid) = split(&big, &["--jobs", "1"], "one");
    let (_, _, two_valid, two_invalid) = split(&big, &["--jobs", "3"], "three");
    assert!(one_valid == two_valid && one_invalid == two_invalid, "output order is input order");
    let copies = one_valid.len() / valid.len();
    assert!(copies >= 3, "{copies}");
    assert_eq!((one_valid.len(), one_invalid.len()), (copies * valid.len(), copies * invalid.len()));
    // Valid calls stay valid on their own, and invalid ones invalid, with the same violations
    // (their messages may differ: a call in a batch is told that batches need `type`).
    assert_eq!(one_valid[..valid.len()], valid[..]);
    let codes = |line: &[u8]| match parse(line).as_ref().and_then(|c| c.pointer("/context/violationErrors")) {
        Some(Value::Array(list)) => list.iter().map(|v| format!("{}{}", v["code"], v["meta"]["instancePath"])).collect(),
        _ => vec![String::from_utf8_lossy(line).into_owned()],
    };
    for (again, first) in one_invalid.iter().zip(&invalid) {
        assert_eq!(codes(again), codes(first));
    }
}

#[test]
fn valid_output_alone_is_clean_and_outputs_are_checked() {
    let dir = dir();
    let valid = dir.join("only-valid.ndjson");
    let out = cdpspec(&["validate", "--valid-out", valid.to_str().unwrap(), "tests/fixtures/mixed.ndjson"]);
    assert_eq!(out.status.code(), Some(1));
    let again = cdpspec(&["validate", "--format", "json", valid.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", String::from_utf8_lossy(&again.stdout));

    let (x, also_x) = (dir.join("x.ndjson"), dir.join(".").join("x.ndjson"));
    let same = cdpspec(&["validate", "--valid-out", x.to_str().unwrap(), "--invalid-out", also_x.to_str().unwrap(), "tests/fixtures/mixed.ndjson"]);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("--valid-out and --invalid-out are both"), "{}", String::from_utf8_lossy(&same.stderr));
    assert!(!x.exists());
    let input = dir.join("input.ndjson");
    std::fs::copy(format!("{}/tests/fixtures/mixed.ndjson", env!("CARGO_MANIFEST_DIR")), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let onto_input = cdpspec(&["validate", "--invalid-out", input.to_str().unwrap(), input.to_str().unwrap()]);
    assert_eq!(onto_input.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&onto_input.stderr).contains("is also an input"), "{}", String::from_utf8_lossy(&onto_input.stderr));
    assert_eq!(std::fs::read(&input).unwrap(), before, "the input is untouched");
    if Path::new("/dev/full").exists() {
        let full = cdpspec(&["validate", "--valid-out", "/dev/full", "tests/fixtures/mixed.ndjson"]);
        assert_eq!(full.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&full.stderr);
        assert!(stderr.contains("cannot write --valid-out: No space left on device"), "{stderr}");
        let stdout = String::from_utf8_lossy(&full.stdout);
        assert!(stdout.contains("Checked 5 calls"), "the run is still summed up: {stdout}");
    }
    let nowhere = cdpspec(&["validate", "--invalid-out", "/nonexistent-dir/x.ndjson", "tests/fixtures/mixed.ndjson"]);
    assert_eq!(nowhere.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("cannot create --invalid-out /nonexistent-dir/x.ndjson"));
}
