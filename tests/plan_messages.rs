//! Plan messages people can act on: an invalid schema in a plan is reported at the exact keyword
//! with its line and column and what the keyword must be (`plan check` and `validate --plan`),
//! and plan violations name the likely intended property or value ("did you mean").

use std::path::Path;
use std::process::Command;

use cdpspec::check::{Options, check_document};
use cdpspec::plan::lint::{self, Lint};
use cdpspec::plan::{Format, PlanValidator, load, position};
use cdpspec::{Finding, Rule};
use serde_json::{Value, json};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/", "tests/fixtures/plan-messages");

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

/// (location, line, column, message) of each invalid-schema lint of a plan file, placed.
fn invalid_schemas(name: &str) -> Vec<(String, usize, usize, String)> {
    let path = fixture(name);
    let mut lints = lint::lint(&load(Path::new(&path)).unwrap());
    lint::place_in_file(&mut lints, Path::new(&path));
    lints
        .into_iter()
        .filter(|l| l.code == "invalid-schema")
        .map(|Lint { location, line, column, message, .. }| (location, line.unwrap(), column.unwrap(), message))
        .collect()
}

const TYPES: &str = "`type` must be one of array, boolean, integer, null, number, object, string";
const REQUIRED_TRUE: &str =
    "`required` is a list of property names at the object level (e.g. `required: [price]` beside `properties`), not a boolean on the property";

#[test]
fn plan_check_points_at_each_invalid_keyword_of_a_yaml_plan() {
    let p = "/events/0/versions/0/properties/properties";
    let expected = [
        (format!("{p}/amount/type"), 12, 21, format!("{TYPES}; did you mean `integer`?")),
        (format!("{p}/payment_method/enum"), 18, 50, "`enum` must be an array (the list of allowed values, e.g. `enum: [card, cash]`), not the string \"card\": write one allowed value as `[value]`, or use `const`".to_string()),
        (format!("{p}/price/required"), 16, 25, REQUIRED_TRUE.to_string()),
        (format!("{p}/quantity/minimum"), 17, 48, "`minimum` must be a number, not the string \"1\": write the number without quotes".to_string()),
        (
            "/events/1/versions/0/properties/properties/sku/pattern".to_string(),
            26,
            42,
            "`pattern` `(?<=SKU-)[0-9]+` uses look-around, which plans do not support: patterns run in a linear-time regex engine".to_string(),
        ),
    ];
    assert_eq!(invalid_schemas("broken.yaml"), expected);
}

#[test]
fn plan_check_points_at_each_invalid_keyword_of_a_json_plan() {
    let p = "/events/0/versions/0/properties/properties";
    let expected = [
        (format!("{p}/currency/type"), 14, 36, format!("{TYPES}; did you mean `string`?")),
        (format!("{p}/price/required"), 13, 55, REQUIRED_TRUE.to_string()),
    ];
    assert_eq!(invalid_schemas("broken.json"), expected);
}

#[test]
fn lints_serialize_their_position_once_placed() {
    let plan = load(Path::new(&fixture("broken.json"))).unwrap();
    let mut lints = lint::lint(&plan);
    assert!(lints.iter().all(|l| l.line.is_none() && l.column.is_none()), "positions come from the text, placed on request");
    let unplaced = serde_json::to_value(&lints[0]).unwrap();
    assert!(unplaced.get("line").is_none(), "{unplaced}");
    lint::place(&mut lints, &std::fs::read_to_string(fixture("broken.json")).unwrap(), Format::Json);
    let placed = serde_json::to_value(&lints[0]).unwrap();
    assert_eq!((placed["line"].clone(), placed["column"].clone()), (json!(14), json!(36)), "{placed}");
}

#[test]
fn a_plan_that_does_not_compile_names_file_line_column_keyword_and_expectation() {
    for (name, line_column, pointer, message) in [
        ("broken.yaml", "12:21", "/events/0/versions/0/properties/properties/amount/type", format!("{TYPES}; did you mean `integer`?")),
        ("broken.json", "14:36", "/events/0/versions/0/properties/properties/currency/type", format!("{TYPES}; did you mean `string`?")),
    ] {
        let path = fixture(name);
        let error = PlanValidator::new(load(Path::new(&path)).unwrap(), path.clone()).err().unwrap();
        assert_eq!(error.pointer, pointer);
        assert_eq!(error.location(), format!("{path}#{pointer}"));
        assert_eq!(error.message, message);
        assert_eq!(error.to_string(), format!("{path}:{line_column}: #{pointer}: {message}"));
    }
}

#[test]
fn a_plan_error_is_placed_only_in_the_file_that_holds_the_plan() {
    let plan = load(Path::new(&fixture("broken.yaml"))).unwrap();
    let labelled = PlanValidator::new(plan.clone(), "Shop plan").err().unwrap();
    assert_eq!((labelled.line, labelled.column), (None, None));
    assert!(labelled.to_string().starts_with("Shop plan#/events/0/versions/0/properties/properties/amount/type: `type` must be"), "{labelled}");
    let other = PlanValidator::new(plan.clone(), fixture("shop.yaml")).err().unwrap();
    assert_eq!((other.line, other.column), (None, None), "shop.yaml holds another plan");
    let mut placed = labelled.clone();
    placed.place(&std::fs::read_to_string(fixture("broken.yaml")).unwrap(), Format::Yaml);
    assert_eq!((placed.line, placed.column), (Some(12), Some(21)));
}

#[test]
fn validate_with_a_broken_plan_says_where_and_what() {
    let path = fixture("broken.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(["validate", "--plan", &path, "examples/seed/track.json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("{path}:12:21: #/events/0/versions/0/properties/properties/amount/type: {TYPES}; did you mean `integer`?")), "{stderr}");
    assert!(!stderr.contains("anyOf"), "no meta-schema wording: {stderr}");
}

#[test]
fn positions_fall_back_to_the_nearest_enclosing_value() {
    let text = std::fs::read_to_string(fixture("broken.yaml")).unwrap();
    let at = |pointer: &str| position::line_column(&text, Format::Yaml, pointer);
    assert_eq!(at("/events/0/versions/0/properties/properties/price/maximum"), Some((15, 15)), "price's mapping starts at its first key");
    assert_eq!(at("/events/7/name"), Some((4, 3)), "the events list starts at its first dash");
    assert_eq!(position::line_column("name: [", Format::Yaml, "/name/0"), None, "unparsable text places nothing, without panicking");
}

fn shop_findings(event: &str, properties: Value) -> Vec<Finding> {
    let plan = load(Path::new(&fixture("shop.yaml"))).unwrap();
    let options = Options { plan: Some(std::sync::Arc::new(PlanValidator::new(plan, "shop.yaml").unwrap())), ..Options::default() };
    let call = json!({"type": "track", "event": event, "userId": "u1", "properties": properties});
    let report = check_document(&call, &options);
    let mut found: Vec<Finding> = report.calls.into_iter().flat_map(|c| c.findings).filter(|f| f.plan_location.is_some()).collect();
    found.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    found
}

/// (rule, pointer, message, suggestion) of each finding.
fn described(found: &[Finding]) -> Vec<(Rule, &str, &str, Option<&str>)> {
    found.iter().map(|f| (f.rule, f.pointer.as_str(), f.message.as_str(), f.suggestion.as_deref())).collect()
}

#[test]
fn a_misspelled_key_links_the_missing_and_the_unexpected_property() {
    let found = shop_findings("Order Completed", json!({"order_id": "o1", "products": [{"prodcut_id": "p1", "price": 3}]}));
    assert_eq!(
        described(&found),
        [
            (
                Rule::RequiredMissing,
                "/properties/products/0",
                "`properties.products.0.product_id` is required by Order Completed v1; the call has `prodcut_id`, likely a misspelling of it: rename it to `product_id`",
                Some("product_id"),
            ),
            (
                Rule::AdditionalProperties,
                "/properties/products/0/prodcut_id",
                "`prodcut_id` is not allowed in `properties.products.0` by Order Completed v1; did you mean `product_id`?",
                Some("product_id"),
            ),
        ]
    );
}

#[test]
fn unrelated_extra_keys_get_no_suggestion() {
    let found = shop_findings("Order Completed", json!({"order_id": "o1", "products": [{"product_id": "p1", "price": 3, "colour": "red"}]}));
    assert_eq!(
        described(&found),
        [(Rule::AdditionalProperties, "/properties/products/0/colour", "`properties.products.0` has `colour`, which Order Completed v1 does not allow", None)]
    );
}

#[test]
fn a_missing_property_names_a_close_unknown_key_even_when_extra_keys_are_allowed() {
    let found = shop_findings("Product Viewed", json!({"prodcut_id": "p1", "name": "Mug"}));
    assert_eq!(
        described(&found),
        [(
            Rule::RequiredMissing,
            "/properties",
            "`properties.product_id` is required by Product Viewed v1; the call has `prodcut_id`, likely a misspelling of it: rename it to `product_id`",
            Some("product_id"),
        )]
    );
    let found = shop_findings("Product Viewed", json!({"name": "Mug"}));
    assert_eq!(described(&found), [(Rule::RequiredMissing, "/properties", "`properties.product_id` is required by Product Viewed v1", None)]);
}

#[test]
fn a_wrong_enum_value_suggests_the_closest_allowed_one() {
    for (sent, closest) in [("Card", "card"), ("CASH", "cash"), ("vouchr", "voucher")] {
        let found = shop_findings("Order Completed", json!({"order_id": "o1", "payment_method": sent}));
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].rule, found[0].pointer.as_str()), (Rule::AdvancedRule, "/properties/payment_method"));
        assert!(found[0].message.ends_with(&format!("(Order Completed v1); did you mean `{closest}`?")), "{}", found[0].message);
        assert_eq!(found[0].suggestion.as_deref(), Some(closest));
    }
    let found = shop_findings("Order Completed", json!({"order_id": "o1", "payment_method": "bitcoin"}));
    assert_eq!(found[0].suggestion, None);
    assert!(!found[0].message.contains("did you mean"), "{}", found[0].message);
}

#[test]
fn plan_check_escapes_property_names_in_locations() {
    // `a/b~c` is one property: its pointer token is `a~1b~0c`, and the lint is placed on it.
    let text = r#"name: Escapes
events:
  - name: Signed Up
    versions:
      - version: 1
        properties:
          type: object
          properties:
            "a/b~c": {type: string, format: e-mail, tpye: string}
"#;
    let plan = cdpspec::plan::parse(text, Format::Yaml, "escapes.yaml").unwrap();
    let mut lints = lint::lint(&plan);
    lint::place(&mut lints, text, Format::Yaml);
    let p = "/events/0/versions/0/properties/properties/a~1b~0c";
    let found: Vec<(&str, &str, Option<usize>, Option<usize>)> = lints.iter().map(|l| (l.code, l.location.as_str(), l.line, l.column)).collect();
    assert_eq!(found, [("unknown-keyword", &*format!("{p}/tpye"), Some(9), Some(59)), ("unknown-format", &*format!("{p}/format"), Some(9), Some(45))]);
}
