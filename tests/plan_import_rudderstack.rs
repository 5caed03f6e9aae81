//! `cdpspec plan import DIR` of a RudderStack data catalog end to end: a rudder-cli project
//! directory is recognised by itself, the plan passes `plan check`, and `validate --plan`
//! enforces what the tracking plan says (required properties, variants, unplanned properties,
//! context traits). Problems name the file and key, and nothing is written.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_cdpspec");
const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/rudderstack/shop");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(BIN).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn temp(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(&format!("cdpspec-rudder-{name}-")).tempdir().unwrap()
}

/// The rules (`code/name`) `validate --plan` reports for one call.
fn rules(plan: &str, call: &str) -> Vec<String> {
    let out = run(&["validate", "--plan", plan, "--format", "json", "-"], call);
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|d| format!("{} {}", d["rule"].as_str().unwrap(), d["pointer"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_project_directory_imports_checks_clean_and_validates() {
    let scratch = temp("ok");
    let dir = scratch.path();
    let plan = dir.join("plan.yaml");
    let out = run(&["plan", "import", SHOP, "--tracking-plan", "shop", "--out", plan.to_str().unwrap()], "");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("note: ") && stderr.contains("event `cart_abandoned` is in the catalog but in no rule"), "unused events are listed: {stderr}");
    assert!(stderr.contains("Imported tracking plan `Shop Tracking Plan` from 8 files: 3 events"), "{stderr}");
    let check = run(&["plan", "check", plan.to_str().unwrap()], "");
    assert!(check.status.success(), "{}", text(&check.stdout));
    let plan = plan.to_str().unwrap();

    let card = r#"{"type":"track","userId":"u1","event":"Order Completed","properties":{"order_id":"ord_42","revenue":25.5,"currency":"EUR","payment_method":"card","card_brand":"visa","products":[{"product_id":"p1","price":25.5,"quantity":1}]}}"#;
    assert_eq!(rules(plan, card), Vec::<String>::new());
    let gift = card.replace(r#""payment_method":"card","card_brand":"visa""#, r#""payment_method":"gift_card""#);
    assert_eq!(rules(plan, &gift), ["required-missing /properties"], "the gift card case requires its code");
    let extra = card.replace(r#""card_brand":"visa""#, r#""card_brand":"visa","discount":3"#);
    assert_eq!(rules(plan, &extra), ["additional-properties /properties/discount"]);
    let currency = card.replace("EUR", "euro");
    assert_eq!(rules(plan, &currency), ["invalid-currency /properties/currency", "advanced-rule /properties/currency"], "the custom type's pattern");
    let group = r#"{"type":"group","userId":"u1","groupId":"g1","context":{"traits":{"employees":12}}}"#;
    assert_eq!(rules(plan, group), ["required-missing /context/traits"], "identity_section: context.traits");
    let identify = r#"{"type":"identify","userId":"u1","traits":{"email":"ada@example.com","favourite_colour":"teal"}}"#;
    assert_eq!(rules(plan, identify), Vec::<String>::new(), "additional_properties: true");
}

#[test]
fn problems_name_file_and_key_and_nothing_is_written() {
    let scratch = temp("broken");
    let dir = scratch.path();
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(
        project.join("plan.yaml"),
        "version: rudder/v1\nkind: tracking-plan\nmetadata:\n  name: p\nspec:\n  id: p\n  display_name: P\n  rules:\n    - type: event_rule\n      id: r\n      event: \"#event:missing\"\n",
    )
    .unwrap();
    std::fs::write(
        project.join("props.yml"),
        "version: rudder/v1\nkind: properties\nmetadata:\n  name: props\nspec:\n  properties:\n    - id: a\n      name: a\n      type: string\n      config:\n        min_lenght: 2\n",
    )
    .unwrap();
    let out_path = dir.join("never.yaml");
    let out = run(&["plan", "import", project.to_str().unwrap(), "--out", out_path.to_str().unwrap()], "");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("plan.yaml: at /spec/rules/0/event: no event has id `missing`"), "{stderr}");
    assert!(stderr.contains("props.yml: at /spec/properties/0/config/min_lenght: `min_lenght` is not a config key of rudder/v1"), "{stderr}");
    assert!(stderr.contains("could not be imported: 2 problems above; nothing was written"), "{stderr}");
    assert!(!out_path.exists());

    // One spec file is recognised by its version; `--from segment` still reads Segment plans.
    let single = run(&["plan", "import", project.join("plan.yaml").to_str().unwrap()], "");
    assert!(text(&single.stderr).contains("no event has id `missing`"), "{}", text(&single.stderr));
    let forced = run(&["plan", "import", "--from", "segment", project.join("plan.yaml").to_str().unwrap()], "");
    assert!(text(&forced.stderr).contains("the plan has no `rules`"), "read as Segment: {}", text(&forced.stderr));
}
