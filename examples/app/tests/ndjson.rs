//! Runs the app and checks what it prints against the canonical rules and its tracking plan.

use std::process::Command;
use std::sync::Arc;

use cdpspec::check::{Options, check_parsed};
use cdpspec::plan::PlanValidator;

#[test]
fn the_calls_follow_the_plan() {
    let output = Command::new(env!("CARGO_BIN_EXE_courses-app")).output().expect("the app runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let plan = cdpspec::plan::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../plan/courses.yaml"))).unwrap();
    let options = Options { plan: Some(Arc::new(PlanValidator::new(plan, "courses.yaml").unwrap())), ..Default::default() };
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut events = Vec::new();
    for line in stdout.lines() {
        let call: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        let report = check_parsed(&call, line.len(), &options);
        let findings: Vec<_> = report.findings.iter().chain(report.calls.iter().flat_map(|c| &c.findings)).collect();
        assert!(findings.is_empty(), "{line}\n{findings:#?}");
        assert_eq!(call["userId"], "97980cfea0067");
        events.push((call["type"].clone(), call["event"].clone(), call["context"]["protocols"]["event_version"].clone()));
    }
    let expected = serde_json::json!([
        ["identify", null, null],
        ["track", "Course Enrolled", 2],
        ["track", "Course Enrolled", 1],
        ["track", "Order Completed", 1],
        ["track", "Subscription Renewed", 1],
    ]);
    assert_eq!(serde_json::to_value(&events).unwrap(), expected);
}
