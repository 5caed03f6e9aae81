//! `cdpspec coverage` and `cdpspec map` as CI runs them: the seed's six calls reach exactly the
//! Customer.io actions its default presets route them to; required fields that do not resolve
//! fail the action; custom and extending destination files; plan comparison; CI gates; every
//! report format as a snapshot.

use std::process::{Command, Output};

use serde_json::Value;

fn cdpspec(args: &[&str]) -> Output {
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// What one preset did with a call: (preset, ok, missing fields).
type Action = (String, bool, Vec<String>);

/// (type, event, actions) of each call, from `--per-call`.
fn per_call(args: &[&str]) -> Vec<(String, Option<String>, Vec<Action>)> {
    let mut full = vec!["coverage", "--per-call"];
    full.extend_from_slice(args);
    let out = cdpspec(&full);
    text(&out.stdout)
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            for key in ["path", "line", "type", "actions"] {
                assert!(v.get(key).is_some(), "{key} missing in {v}");
            }
            let actions = v["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    let missing = a["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_string()).collect();
                    (a["preset"].as_str().unwrap().to_string(), a["ok"].as_bool().unwrap(), missing)
                })
                .collect();
            (v["type"].as_str().unwrap_or_default().to_string(), v["event"].as_str().map(String::from), actions)
        })
        .collect()
}

fn ok(preset: &str) -> Action {
    (preset.to_string(), true, vec![])
}

#[test]
fn the_seed_reaches_exactly_the_customerio_default_actions() {
    let calls = per_call(&["--destination", "customerio", "tests/fixtures/coverage/seed.ndjson"]);
    let routed: Vec<(&str, Vec<Action>)> = calls.iter().map(|(t, _, a)| (t.as_str(), a.clone())).collect();
    assert_eq!(
        routed,
        [
            ("identify", vec![ok("Create or Update Person")]),
            ("group", vec![ok("Create or Update Object")]),
            ("track", vec![ok("Track Event")]),
            ("page", vec![ok("Track Page View")]),
            ("screen", vec![ok("Track Screen View")]),
            ("alias", vec![ok("Merge People")]),
        ]
    );
}

#[test]
fn required_fields_that_do_not_resolve_fail_the_action() {
    let calls = per_call(&["--destination", "customerio", "tests/fixtures/coverage/failing.ndjson"]);
    assert_eq!(calls[0].2, [("Track Screen View".to_string(), false, vec!["name".to_string()])], "a screen call without `name`");
    assert_eq!(calls[1].2, [("Create or Update Device".to_string(), false, vec!["device_id".to_string()])], "Application Installed without a device token");
    assert_eq!(calls[2].2, [ok("Create or Update Device")], "with the token");
    assert_eq!(calls[3].2, [ok("Report Delivery Event")]);
    let out = cdpspec(&["coverage", "--destination", "customerio", "--fail-on", "failed", "tests/fixtures/coverage/failing.ndjson"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("actions failed 2 times"), "{}", text(&out.stderr));
}

#[test]
fn custom_and_extending_destination_files() {
    let calls = per_call(&["--destination", "tests/fixtures/coverage/warehouse.json", "tests/fixtures/coverage/seed.ndjson"]);
    let reached: Vec<usize> = calls.iter().map(|(_, _, a)| a.len()).collect();
    assert_eq!(reached, [0, 0, 1, 0, 0, 0], "only the track call reaches Insert Row");
    assert_eq!(calls[2].2, [ok("Enrollments")]);
    // A workspace that customised the triggers: Application Installed now goes nowhere, and its
    // identify mapping has no email fallback.
    let calls = per_call(&["--destination", "tests/fixtures/coverage/customerio-workspace.json", "tests/fixtures/coverage/failing.ndjson"]);
    assert_eq!(calls[1].2, vec![], "the customised Track Event excludes Application Installed and no device preset is left");
    let out = cdpspec(&["coverage", "--destination", "tests/fixtures/coverage/nope.json", "examples/seed"]);
    assert_eq!(out.status.code(), Some(2));
    let out = cdpspec(&["coverage", "--destination", "segment", "examples/seed"]);
    assert!(text(&out.stderr).contains("no bundled destination named `segment` (bundled: customerio, mixpanel, amplitude, webhook)"), "{}", text(&out.stderr));
}

#[test]
fn gates_and_plan_comparison() {
    let corpus = ["tests/fixtures/coverage/seed.ndjson", "tests/fixtures/coverage/failing.ndjson"];
    let run = |extra: &[&str]| {
        let mut args = vec!["coverage", "--destination", "customerio"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&corpus);
        cdpspec(&args)
    };
    assert_eq!(run(&[]).status.code(), Some(0));
    assert_eq!(run(&["--fail-under", "80"]).status.code(), Some(0), "8 of 10 calls covered");
    let out = run(&["--fail-under", "90"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("coverage 80.0% is under --fail-under 90%"), "{}", text(&out.stderr));
    assert_eq!(run(&["--fail-on", "dropped"]).status.code(), Some(0), "every call reached some action");
    let out = cdpspec(&["coverage", "--destination", "mixpanel", "--fail-on", "dropped", "tests/fixtures/coverage/seed.ndjson"]);
    assert_eq!(out.status.code(), Some(1), "Mixpanel's presets route no alias call: {}", text(&out.stdout));
    let out = run(&["--plan", "examples/plan/courses.yaml", "--format", "json"]);
    let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(report["plan"]["never_seen"], serde_json::json!(["Order Completed", "Subscription Renewed"]));
    assert_eq!(report["plan"]["unplanned"], serde_json::json!({"Application Installed": 2, "Report Delivery Event": 1}));
}

#[test]
fn report_formats() {
    let args = [
        "--destination",
        "customerio",
        "--plan",
        "examples/plan/courses.yaml",
        "tests/fixtures/coverage/seed.ndjson",
        "tests/fixtures/coverage/failing.ndjson",
    ];
    for format in ["human", "json", "markdown"] {
        let mut full = vec!["coverage", "--format", format];
        full.extend_from_slice(&args);
        let out = cdpspec(&full);
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(format!("coverage_{format}"), text(&out.stdout));
    }
}

#[test]
fn map_explains_each_field() {
    let scratch = tempfile::Builder::new().prefix("cdpspec-map-").tempdir().unwrap();
    let dir = scratch.path();
    let call = dir.join("installed.json");
    std::fs::write(
        &call,
        r#"{"type":"track","event":"Application Installed","userId":"97980cfea0067","context":{"app":{"version":"3.2.1"},"device":{"type":"ios"}}}"#,
    )
    .unwrap();
    let out = cdpspec(&["map", "--destination", "customerio", "--action", "createUpdateDevice", call.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "the action fails");
    let shown = text(&out.stdout);
    assert!(shown.contains("preset `Create or Update Device`"), "{shown}");
    assert!(shown.contains("fails: missing required `device_id`"), "{shown}");
    let out =
        cdpspec(&["map", "--json", "--destination", "customerio", "--action", "Track Screen View", "tests/fixtures/coverage/seed.ndjson", "--index", "4"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!((report["ok"].as_bool(), report["trigger"]["matches"].as_bool()), (Some(true), Some(true)));
    assert_eq!(report["payload"]["name"], "home");
}

#[test]
fn destination_plan_and_paths_can_come_from_the_config() {
    let scratch = tempfile::Builder::new().prefix("cdpspec-coverage-config-").tempdir().unwrap();
    let dir = scratch.path();
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.join("cdpspec.toml"),
        format!("destination = \"{root}/tests/fixtures/coverage/warehouse.json\"\nplan = \"{root}/examples/plan/courses.yaml\"\npaths = [\"{root}/tests/fixtures/coverage/seed.ndjson\"]\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(["coverage", "--format", "json"]).current_dir(dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!((report["destination"].as_str(), report["calls"].as_u64(), report["covered"].as_u64()), (Some("Course Warehouse"), Some(6), Some(1)));
    assert!(report["plan"]["never_seen"].as_array().is_some_and(|n| !n.is_empty()));
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(["coverage", "examples/seed"]).current_dir(std::env::temp_dir()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no destination anywhere");
}

#[test]
fn trigger_quirks_are_reported_with_their_position_and_the_real_verdict() {
    let out = cdpspec(&["coverage", "--destination", "tests/fixtures/coverage/quirky-workspace.json", "tests/fixtures/coverage/seed.ndjson"]);
    let report = text(&out.stdout);
    // Single quotes never match in the reference engine: the track call reaches nothing.
    assert!(report.contains("note: preset `Track Event`: trigger at 7:"), "{report}");
    assert!(report.to_lowercase().contains("single"), "{report}");
    // No precedence: the last combinator joins every condition, so `a or b and c` means
    // `a and b and c` (page AND screen), which no call meets; the note says so at the `or`.
    assert!(report.contains("note: preset `Track Page View`: trigger at 14: `or` has no effect"), "{report}");
    assert!(report.contains("runs the action when all of them hold"), "{report}");
    let calls = per_call(&["--destination", "tests/fixtures/coverage/quirky-workspace.json", "tests/fixtures/coverage/seed.ndjson"]);
    let track = calls.iter().find(|(t, _, _)| t == "track").unwrap();
    assert_eq!(track.2, vec![], "the single-quoted trigger never matches");
    let page = calls.iter().find(|(t, _, _)| t == "page").unwrap();
    assert_eq!(page.2, vec![], "page AND screen never holds");
}

/// A file holding `lines`, for one test.
fn corpus(name: &str, lines: &[&str]) -> std::path::PathBuf {
    static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-coverage-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()).path();
    let path = dir.join(name);
    std::fs::write(&path, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).unwrap();
    path
}

#[test]
fn every_count_adds_up_and_a_failing_action_is_named_where_it_failed() {
    let out = cdpspec(&["coverage", "-d", "customerio", "--format", "json", "tests/fixtures/coverage/seed.ndjson", "tests/fixtures/coverage/failing.ndjson"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sum = |v: &Value| ["covered", "failed", "dropped"].iter().map(|k| v[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum(&report), report["calls"].as_u64().unwrap(), "{report:#}");
    let kinds = report["kinds"].as_array().unwrap();
    assert!(kinds.iter().any(|k| k["failed"].as_u64() > Some(0)), "the corpus has a failing action: {report:#}");
    for kind in kinds {
        assert_eq!(sum(kind), kind["calls"].as_u64().unwrap(), "{kind:#}");
        // A call that failed names the action it failed in.
        let failed_actions: u64 = kind["failed_actions"].as_object().unwrap().values().map(|n| n.as_u64().unwrap()).sum();
        assert!(kind["failed"].as_u64().unwrap() == 0 || failed_actions > 0, "{kind:#}");
    }
    let human = text(&cdpspec(&["coverage", "-d", "customerio", "tests/fixtures/coverage/seed.ndjson", "tests/fixtures/coverage/failing.ndjson"]).stdout);
    let failed_row = human.lines().find(|l| l.contains(" failed)")).unwrap_or_else(|| panic!("no kind row names a failed action:\n{human}"));
    assert!(!failed_row.contains("none"), "{failed_row}");
}

#[test]
fn calls_with_validation_errors_are_said_and_can_count_as_failed() {
    // Covered by Track Event, but with no identity at all: `validate` reports an error.
    let path = corpus(
        "no-identity.ndjson",
        &[r#"{"type":"track","event":"Course Enrolled","properties":{"course":"rust"}}"#, r#"{"type":"track","userId":"u1","event":"Course Enrolled"}"#],
    );
    let path = path.to_str().unwrap();
    let report = |extra: &[&str]| {
        let mut args = vec!["coverage", "-d", "customerio", "--format", "json", path];
        args.extend_from_slice(extra);
        serde_json::from_slice::<Value>(&cdpspec(&args).stdout).unwrap()
    };
    let evaluated = report(&[]);
    assert_eq!((evaluated["with_errors"].as_u64(), evaluated["invalid_calls"].as_str()), (Some(1), Some("evaluated")));
    assert_eq!((evaluated["covered"].as_u64(), evaluated["failed"].as_u64()), (Some(2), Some(0)), "{evaluated:#}");
    let failed = report(&["--invalid-as-failed"]);
    assert_eq!((failed["covered"].as_u64(), failed["failed"].as_u64(), failed["invalid_calls"].as_str()), (Some(1), Some(1), Some("failed")), "{failed:#}");
    let human = text(&cdpspec(&["coverage", "-d", "customerio", path]).stdout);
    assert!(human.contains("1 call has validation errors (`cdpspec validate` says which); they are evaluated as sent"), "{human}");
    let gate = cdpspec(&["coverage", "-d", "customerio", "--invalid-as-failed", "--fail-on", "failed", path]);
    assert_eq!(gate.status.code(), Some(1), "{}", text(&gate.stderr));
    assert!(text(&gate.stderr).contains("1 call with validation errors counted as failed"), "{}", text(&gate.stderr));
    let per_call = text(&cdpspec(&["coverage", "-d", "customerio", "--per-call", path]).stdout);
    let first: Value = serde_json::from_str(per_call.lines().next().unwrap()).unwrap();
    assert_eq!(first["errors"][0]["rule"], "missing-identity", "{first}");
}

#[test]
fn nothing_to_cover_is_said_and_fails_a_coverage_gate() {
    let path = corpus("empty.ndjson", &[]);
    let path = path.to_str().unwrap();
    let out = cdpspec(&["coverage", "-d", "customerio", path]);
    assert_eq!(out.status.code(), Some(0));
    let human = text(&out.stdout);
    assert!(human.contains("Coverage of 0 calls") && human.contains("nothing to cover: no calls were read"), "{human}");
    assert!(!human.contains("100.0%"), "{human}");
    let markdown = text(&cdpspec(&["coverage", "-d", "customerio", "--format", "markdown", path]).stdout);
    assert!(markdown.contains("**Nothing to cover:** no calls were read"), "{markdown}");
    let gate = cdpspec(&["coverage", "-d", "customerio", "--fail-under", "90", path]);
    assert_eq!(gate.status.code(), Some(1));
    assert!(text(&gate.stderr).contains("no calls were read, so nothing is covered (--fail-under 90%)"), "{}", text(&gate.stderr));
}

#[test]
fn any_number_of_threads_prints_the_same_bytes() {
    // More than two of the reader's 1 MiB batches, with calls to evaluate on the tape, calls with
    // errors, lines that do not parse and blank lines.
    let seed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coverage/seed.ndjson")).unwrap();
    let failing = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/coverage/failing.ndjson")).unwrap();
    let mut lines: Vec<&str> = Vec::new();
    while lines.len() < 20_000 {
        lines.extend(seed.lines().chain(failing.lines()));
        lines.extend([r#"{"type":"track","event":"Course Enrolled"}"#, r#"{"type":"#, "", r#"{"batch":[{"type":"page","userId":"u1","name":"home"}]}"#]);
    }
    let path = corpus("threads.ndjson", &lines);
    let path = path.to_str().unwrap();
    for args in [&["--per-call"][..], &["--format", "json", "--invalid-as-failed"], &[]] {
        let run = |jobs: &str| {
            let mut all = vec!["coverage", "-d", "customerio", "--jobs", jobs, path];
            all.extend_from_slice(args);
            let out = cdpspec(&all);
            (out.stdout, out.stderr, out.status.code())
        };
        let one = run("1");
        assert!(one.0.len() > 1000, "{}", text(&one.1));
        assert!(run("2") == one && run("0") == one, "{args:?}: --jobs 2 and the default print what --jobs 1 prints");
    }
}
