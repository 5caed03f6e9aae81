//! Tracking plans end to end: the plan file format and its schema, each violation kind with its
//! pointer and plan location, version selection, severities from flags and `cdpspec.toml`, and
//! the `plan import|check|diff` commands.

use std::process::{Command, Output};

use cdpspec::check::{Options, check_document};
use cdpspec::plan::{PlanValidator, load};
use cdpspec::{Finding, Rule};
use serde_json::{Value, json};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/", "examples/plan/courses.yaml");

fn plan_options() -> Options {
    let validator = PlanValidator::new(load(std::path::Path::new(PLAN)).unwrap(), "courses.yaml").unwrap();
    Options { plan: Some(std::sync::Arc::new(validator)), ..Options::default() }
}

fn violations(call: Value) -> Vec<Finding> {
    let report = check_document(&call, &plan_options());
    report.calls.into_iter().flat_map(|c| c.findings).collect()
}

/// (rule, pointer, plan location) of each finding, sorted by pointer.
fn summary(found: &[Finding]) -> Vec<(Rule, &str, &str)> {
    let mut s: Vec<_> = found.iter().map(|f| (f.rule, f.pointer.as_str(), f.plan_location.as_deref().unwrap_or(""))).collect();
    s.sort_by_key(|(_, pointer, _)| *pointer);
    s
}

fn enrolled(properties: Value) -> Value {
    json!({"type": "track", "event": "Course Enrolled", "userId": "u1", "properties": properties, "context": {"library": {"name": "analytics-node"}}})
}

#[test]
fn calls_that_follow_the_plan_pass() {
    assert_eq!(violations(enrolled(json!({"class_name": "Basics", "class_code": "cio101", "start_date": 1679410730}))), vec![]);
    assert_eq!(violations(json!({"type": "alias", "previousId": "a", "userId": "u"})), vec![], "alias calls are not checked");
    assert_eq!(violations(json!({"type": "page", "userId": "u", "name": "pricing"})), vec![], "no rule for this page");
}

#[test]
fn each_violation_kind_names_the_pointer_and_the_plan_rule() {
    let found = violations(enrolled(json!({"class_name": 7, "class_code": "CIO1"})));
    assert_eq!(
        summary(&found),
        [
            (Rule::AdvancedRule, "/properties/class_code", "courses.yaml#/events/0/versions/0/properties/properties/class_code/pattern"),
            (Rule::DatatypeMismatch, "/properties/class_name", "courses.yaml#/events/0/versions/0/properties/properties/class_name/type"),
        ]
    );
    let found =
        violations(json!({"type": "track", "event": "Order Completed", "userId": "u1", "properties": {"order_id": "o1", "revenue": -1, "products": []}}));
    assert_eq!(
        summary(&found),
        [
            (Rule::RequiredMissing, "/properties", "courses.yaml#/events/1/versions/0/properties/required"),
            (Rule::AdvancedRule, "/properties/products", "courses.yaml#/events/1/versions/0/properties/properties/products/minItems"),
            (Rule::AdvancedRule, "/properties/revenue", "courses.yaml#/events/1/versions/0/properties/properties/revenue/minimum"),
        ]
    );
    assert!(found.iter().any(|f| f.message.contains("`properties.currency` is required by Order Completed v1")), "{found:#?}");
    let found = violations(json!({"type": "track", "event": "Course Enroled", "userId": "u1"}));
    assert_eq!(summary(&found), [(Rule::UnplannedEvent, "/event", "courses.yaml#/events")]);
    assert_eq!(found[0].suggestion.as_deref(), Some("Course Enrolled"));
    let found = violations(json!({"type": "identify", "userId": "u1", "traits": {"email": "cool.person@example.com", "plan": "gold"}}));
    assert_eq!(summary(&found), [(Rule::AdvancedRule, "/traits/plan", "courses.yaml#/identify/traits/properties/plan/enum")]);
    let found = violations(json!({"type": "screen", "userId": "u1", "name": "home", "properties": {"session_started": "now"}}));
    assert_eq!(
        summary(&found),
        [(Rule::DatatypeMismatch, "/properties/session_started", "courses.yaml#/screens/0/properties/properties/session_started/type")]
    );
    let found = violations(json!({"type": "page", "userId": "u1", "name": "home", "context": {"library": {}}}));
    assert_eq!(summary(&found), [(Rule::RequiredMissing, "/context/library", "courses.yaml#/common/context/properties/library/required")]);
}

#[test]
fn event_version_selects_the_rules() {
    let v1 = json!({"class_name": "Basics", "class_code": "cio101", "extra": true});
    assert_eq!(violations(enrolled(v1.clone())), vec![], "no version: the oldest applies");
    let mut call = enrolled(v1);
    call["context"]["protocols"] = json!({"event_version": 2});
    assert_eq!(
        summary(&violations(call.clone())),
        [
            (Rule::RequiredMissing, "/properties", "courses.yaml#/events/0/versions/1/properties/required"),
            (Rule::AdditionalProperties, "/properties/extra", "courses.yaml#/events/0/versions/1/properties/additionalProperties"),
        ]
    );
    call["context"]["protocols"]["event_version"] = json!(9);
    assert_eq!(violations(call), vec![], "an unknown version selects the oldest");
    let batch = json!({"batch": [enrolled(json!({}))]});
    let report = check_document(&batch, &plan_options());
    assert_eq!(report.calls[0].findings[0].pointer, "/batch/0/properties", "pointers lead into batches");
}

fn cdpspec(args: &[&str], dir: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(args).current_dir(dir).output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh, empty folder for one test, removed when it is dropped.
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("cdpspec-plan-{name}-")).tempdir().unwrap()
}

#[test]
fn severities_come_from_flags_and_the_nearest_config() {
    let scratch = temp_dir("config");
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("calls.ndjson"), "{\"type\":\"track\",\"event\":\"Video Played\",\"userId\":\"u1\"}\n").unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let out = cdpspec(&["validate", "--format", "json", "--plan", PLAN, "calls.ndjson"], dir.to_str().unwrap());
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("\"severity\":\"error\",\"code\":\"CDP301\""), "{}", text(&out.stdout));
    let out = cdpspec(&["validate", "--format", "json", "--plan", PLAN, "--severity", "unplanned-event=warning", "calls.ndjson"], dir.to_str().unwrap());
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("\"severity\":\"warning\""));
    std::fs::write(dir.join("cdpspec.toml"), format!("plan = \"{root}/examples/plan/courses.yaml\"\n[rules]\nCDP301 = \"off\"\n")).unwrap();
    let out = cdpspec(&["validate", "--format", "json", "../calls.ndjson"], dir.join("sub").to_str().unwrap());
    assert_eq!((out.status.code(), text(&out.stdout)), (Some(0), String::new()), "found upwards; off means not reported");
    let out = cdpspec(&["validate", "--severity", "CDP301=error", "calls.ndjson"], dir.to_str().unwrap());
    assert_eq!(out.status.code(), Some(1), "flags win over the config");
    std::fs::write(dir.join("cdpspec.toml"), "plann = \"x.yaml\"\n").unwrap();
    let out = cdpspec(&["validate", "calls.ndjson"], dir.to_str().unwrap());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("plann"), "{}", text(&out.stderr));
    let out = cdpspec(&["validate", "--severity", "unplaned-event=warning", "calls.ndjson"], dir.to_str().unwrap());
    assert!(text(&out.stderr).contains("did you mean `unplanned-event`"), "{}", text(&out.stderr));
}

#[test]
fn plan_import_writes_a_plan_that_validates_and_checks_clean() {
    let scratch = temp_dir("import");
    let dir = scratch.path();
    let out_path = dir.join("imported.yaml");
    let root = env!("CARGO_MANIFEST_DIR");
    let out = cdpspec(&["plan", "import", "tests/fixtures/segment/protocols-plan.json", "--out", out_path.to_str().unwrap()], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("Imported 2 events (3 versions)"), "{}", text(&out.stderr));
    let out = cdpspec(&["plan", "check", out_path.to_str().unwrap()], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = cdpspec(&["validate", "--plan", out_path.to_str().unwrap(), "examples/sdk/node-batches.ndjson"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    // The imported COMMON rule requires `context.library`, which the seed's bare example lacks.
    let out = cdpspec(&["validate", "--format", "json", "--plan", out_path.to_str().unwrap(), "examples/seed/track.json"], root);
    assert!(text(&out.stdout).contains("\"code\":\"CDP302\",\"rule\":\"required-missing\",\"pointer\":\"/context\""), "{}", text(&out.stdout));
    let out = cdpspec(&["plan", "import", "tests/fixtures/segment/unrepresentable-plan.json"], root);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "", "nothing is written when anything cannot be represented");
    assert!(text(&out.stderr).contains("jsonSchema.properties.userId cannot be represented"));
}

#[test]
fn plan_check_finds_each_mistake() {
    let scratch = temp_dir("lint");
    let dir = scratch.path();
    let path = dir.join("messy.yaml");
    std::fs::write(
        &path,
        r#"name: Messy
identify:
  traits: {type: object, properties: {email: {type: string, format: e-mail, description: Where we write, mostly}}, required: [email]}
events:
  - name: Order Completed
    versions: [{version: 1, properties: {type: object, properties: {total: {type: money}}}}]
  - name: order_completed
    versions: [{version: 1}]
  - name: Order Completed
    versions: [{version: 1}, {version: 1}]
  - name: Signed Up
    versions: [{version: 1, properties: {type: string}}]
  - name: Logged In
    versions: [{version: 1, properties: {type: object, properties: {code: {type: string, pattern: "(?<=a)b"}}}}]
"#,
    )
    .unwrap();
    let out = cdpspec(&["plan", "check", "--format", "json", path.to_str().unwrap()], env!("CARGO_MANIFEST_DIR"));
    assert_eq!(out.status.code(), Some(1));
    let found: Vec<(String, String)> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|v| (v["code"].as_str().unwrap().to_string(), v["location"].as_str().unwrap().to_string()))
        .collect();
    let expected = [
        ("unknown-format", "/identify/traits/properties/email/format"),
        ("unknown-keyword", "/identify/traits/properties/email/mostly"),
        ("invalid-schema", "/events/0/versions/0/properties/properties/total/type"),
        ("section-not-object", "/events/3/versions/0/properties"),
        ("required-traits", "/identify/traits/required"),
        ("conflicting-event-names", "/events/1/name"),
        ("duplicate-version", "/events/2/versions/1/version"),
        ("duplicate-event", "/events/2/name"),
        ("inconsistent-naming", "/events/1/name"),
        ("invalid-schema", "/events/4/versions/0/properties/properties/code/pattern"),
    ];
    for (code, location) in expected {
        assert!(found.iter().any(|(c, l)| c == code && l == location), "missing {code} at {location} in {found:#?}");
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn plan_diff_gates_pull_requests() {
    let scratch = temp_dir("diff");
    let dir = scratch.path();
    let new = dir.join("new.yaml");
    let changed = std::fs::read_to_string(PLAN)
        .unwrap()
        .replace("level: {type: string, enum: [beginner, intermediate, advanced]}", "level: {type: string, enum: [beginner, advanced]}");
    std::fs::write(&new, changed).unwrap();
    let out = cdpspec(&["plan", "diff", PLAN, new.to_str().unwrap()], env!("CARGO_MANIFEST_DIR"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("BREAKING events/Course Enrolled/properties.level: enum narrowed: \"intermediate\" removed"), "{}", text(&out.stdout));
    assert_eq!(cdpspec(&["plan", "diff", PLAN, PLAN], env!("CARGO_MANIFEST_DIR")).status.code(), Some(0));
}

#[test]
fn plan_files_follow_the_published_plan_schema() {
    let schema: Value = serde_json::from_str(include_str!("../schema/plan/tracking-plan.schema.json")).unwrap();
    jsonschema::meta::validate(&schema).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let imported = cdpspec::plan::segment::import(&serde_json::from_str(include_str!("../tests/fixtures/segment/protocols-plan.json")).unwrap()).unwrap();
    for plan in [load(std::path::Path::new(PLAN)).unwrap(), imported] {
        let value = serde_json::to_value(&plan).unwrap();
        let errors: Vec<String> = validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", plan.name);
    }
    assert!(!validator.is_valid(&json!({"name": "x", "events": [{"name": "A", "versions": [{"version": 0}]}]})));
    assert!(!validator.is_valid(&json!({"name": "x", "evnets": []})), "typos are caught in editors too");
}

#[test]
fn codegen_writes_the_reviewed_typed_events() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = cdpspec(&["codegen", "--plan", "examples/plan/courses.yaml"], root);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), include_str!("../codegen/tests/generated/plan_courses.rs"), "stdout is the golden file codegen/tests/plan.rs reviews");
    let scratch = temp_dir("codegen");
    let dir = scratch.path();
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "name: Bad\nevents:\n  - name: Signed Up\n    versions: [{version: 1, properties: {type: object, properties: {plan: {$ref: '#/x'}}}}]\n",
    )
    .unwrap();
    let out = cdpspec(&["codegen", "--plan", bad.to_str().unwrap()], root);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("bad.yaml#/events/0/versions/0/properties"), "errors name the plan location: {}", text(&out.stderr));
}
