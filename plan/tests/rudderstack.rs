//! Import of RudderStack data catalogs (rudder-cli `rudder/v1` projects): the realistic project
//! in `tests/fixtures/rudderstack/shop` (several files, categories, custom types, includes,
//! variants, every identity section) becomes the plan it means; and every kind of mistake or
//! unrepresentable part is a problem naming its file and key, with nothing written.

use std::path::Path;

use cdpspec_plan::rudderstack::{import, read_project};
use serde_json::json;

const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/rudderstack/shop");

fn shop() -> Vec<(String, String)> {
    read_project(Path::new(SHOP)).unwrap()
}

#[test]
fn a_project_becomes_one_plan() {
    let files = shop();
    assert_eq!(files.len(), 8, "every YAML file, in sorted order");
    let imported = import(&files, Some("shop")).unwrap();
    let plan = imported.plan;
    assert_eq!(plan.name, "Shop Tracking Plan");
    assert_eq!(plan.metadata["rudderstack"], json!({"trackingPlan": "shop"}));
    let names: Vec<&str> = plan.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Signed Up", "Order Completed", "Products Searched"], "the included base rules first, in rule order");
    assert_eq!(plan.events[0].labels["category"], "User Lifecycle");

    let order = &plan.events[1];
    assert_eq!(order.description.as_deref(), Some("A customer paid for an order"));
    let properties = order.versions[0].rule.properties.as_ref().unwrap();
    assert_eq!(properties["additionalProperties"], false, "additional_properties defaults to false");
    assert_eq!(properties["required"], json!(["order_id", "revenue", "currency", "payment_method"]));
    assert_eq!(
        properties["properties"]["order_id"],
        json!({"type": "string", "description": "The order's id in the shop", "minLength": 3, "maxLength": 64, "pattern": "^ord_[a-z0-9]+$"})
    );
    assert_eq!(properties["properties"]["revenue"]["exclusiveMaximum"], 1000000);
    assert_eq!(
        properties["properties"]["currency"],
        json!({"type": "string", "title": "CurrencyCode", "description": "ISO 4217 currency code", "pattern": "^[A-Z]{3}$"}),
        "custom types inlined"
    );
    let product = &properties["properties"]["products"];
    assert_eq!((product["minItems"].clone(), product["items"]["required"].clone()), (json!(1), json!(["product_id", "price"])));
    assert_eq!(product["items"]["properties"]["name"], json!({"type": "string"}), "a property is sent under its `name`");
    assert_eq!(properties["properties"]["tags"], json!({"type": "array", "items": {"type": ["string", "integer"]}, "uniqueItems": true}));
    assert_eq!(properties["properties"]["coupon"]["type"], json!(["string", "null"]));
    assert_eq!(properties["properties"]["shipping_address"]["additionalProperties"], false);
    let variant = &properties["allOf"][0];
    assert_eq!(variant["if"]["properties"]["payment_method"]["enum"], json!(["card"]));
    assert_eq!(variant["then"]["required"], json!(["card_brand"]));
    assert_eq!(variant["else"]["then"]["required"], json!(["gift_card_code"]));
    assert!(properties["properties"].get("gift_card_code").is_some(), "a case's properties are planned properties");

    assert!(plan.events[2].versions[0].rule.properties.as_ref().unwrap().get("additionalProperties").is_none(), "additional_properties: true");
    let identify = plan.identify.as_ref().unwrap();
    assert_eq!(identify.traits.as_ref().unwrap()["properties"]["email"]["format"], "email");
    let group = plan.group.as_ref().unwrap().context.as_ref().unwrap();
    assert_eq!(group["properties"]["traits"]["required"], json!(["name"]), "identity_section: context.traits");
    assert_eq!((plan.pages[0].name.as_str(), plan.screens[0].name.as_str()), ("Checkout", "*"), "a screen event without a name is every screen");
    assert_eq!(imported.unused.len(), 1);
    assert!(imported.unused[0].contains("events/ecommerce.yaml: at /spec/events/4: event `cart_abandoned`"), "{:?}", imported.unused);
}

#[test]
fn several_tracking_plans_need_a_choice() {
    let problems = import(&shop(), None).unwrap_err().problems;
    assert_eq!(problems, ["the project has 2 tracking plans (base, shop): choose one with --tracking-plan ID"]);
    let base = import(&shop(), Some("base")).unwrap().plan;
    assert_eq!(base.events.len(), 1);
    assert!(import(&shop(), Some("nope")).unwrap_err().problems[0].contains("no tracking plan has id `nope` (the project has: base, shop)"));
}

/// An edit of one file of the shop: (file, text to find, replacement).
type Edit<'a> = (&'a str, &'a str, &'a str);

/// The shop with `edits` applied (file, text to find, replacement), as (path, text).
fn edited(edits: &[Edit<'_>]) -> Vec<(String, String)> {
    let mut files = shop();
    for (file, from, to) in edits {
        let (_, text) = files.iter_mut().find(|(p, _)| p.ends_with(file)).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        *text = text.replacen(from, to, 1);
    }
    files
}

fn problems(edits: &[Edit<'_>]) -> Vec<String> {
    import(&edited(edits), Some("shop")).unwrap_err().problems
}

#[test]
fn every_problem_names_its_file_and_key() {
    let cases: &[(&[Edit<'_>], &str)] = &[
        (
            &[("properties/ecommerce.yaml", "min_length: 3", "min_lenght: 3")],
            "properties/ecommerce.yaml: at /spec/properties/0/config/min_lenght: `min_lenght` is not a config key of rudder/v1",
        ),
        (
            &[("tracking-plans/shop.yaml", "#property:revenue", "#property:revenu")],
            "tracking-plans/shop.yaml: at /spec/rules/1/properties/1/property: no property has id `revenu`",
        ),
        (
            &[("tracking-plans/shop.yaml", "#event:order_completed", "#event:order_complete")],
            "tracking-plans/shop.yaml: at /spec/rules/1/event: no event has id `order_complete`",
        ),
        (
            &[("tracking-plans/shop.yaml", "      id: order_completed_rule\n", "      id: order_completed_rule\n      allow_unplanned: true\n")],
            "tracking-plans/shop.yaml: at /spec/rules/1/allow_unplanned: `allow_unplanned` is not a key here",
        ),
        (&[("categories.yaml", "rudder/v1", "rudder/v0.1")], "categories.yaml: at /version: version `rudder/v0.1` is rudder-cli's legacy format"),
        (
            &[("categories.yaml", "kind: categories", "kind: event-stream-source")],
            "categories.yaml: at /kind: kind `event-stream-source` is not part of a data catalog",
        ),
        (
            &[("custom-types/types.yaml", "- property: \"#property:street\"", "- property: \"#property:shipping_address\"")],
            "properties/ecommerce.yaml: at /spec/properties/12/type: custom type `address` contains itself",
        ),
        (&[("properties/user.yaml", "type: integer", "type: int")], "properties/user.yaml: at /spec/properties/7/type: `int` is neither a JSON type"),
        (
            &[("events/user.yaml", "event_type: group", "event_type: alias")],
            "events/user.yaml: at /spec/events/2/event_type: `alias` is not track, identify, group, page or screen",
        ),
        (
            &[("tracking-plans/shop.yaml", "identity_section: context.traits", "identity_section: context")],
            "tracking-plans/shop.yaml: at /spec/rules/5/identity_section: `context` is not properties, traits or context.traits",
        ),
        (
            &[("tracking-plans/shop.yaml", "#/tp/base/event_rule/*", "#/tp/basic/event_rule/*")],
            "tracking-plans/shop.yaml: at /spec/rules/0/includes/$ref: no tracking plan has id `basic`",
        ),
        (
            &[("events/ecommerce.yaml", "\"#category:ecommerce\"", "\"#category:shop\"")],
            "events/ecommerce.yaml: at /spec/events/0/category: no category has id `shop`",
        ),
        (
            &[("properties/user.yaml", "    - id: city\n", "    - id: email\n")],
            "properties/user.yaml: at /spec/properties/4/id: property id `email` is already defined (",
        ),
        (
            &[("tracking-plans/shop.yaml", "type: discriminator", "type: oneOf")],
            "tracking-plans/shop.yaml: at /spec/rules/1/variants/0/type: the only variant type is `discriminator`",
        ),
        (
            &[("tracking-plans/shop.yaml", "event: \"#event:any_screen\"", "event: \"#event:checkout_page\"")],
            "tracking-plans/shop.yaml: at /spec/rules/4/event: page `Checkout` has a rule already",
        ),
    ];
    for (edits, expected) in cases {
        let found = problems(edits);
        assert!(
            found.iter().any(|p| p.contains(expected.split(": at ").next().unwrap()) && p.contains(expected.split(": at ").nth(1).unwrap_or(""))),
            "{expected}\nnot in {found:#?}"
        );
    }
}

#[test]
fn a_directory_without_specs_is_not_a_project() {
    let scratch = tempfile::Builder::new().prefix("cdpspec-rudder-empty-").tempdir().unwrap();
    let dir = scratch.path();
    let problems = read_project(dir).unwrap_err().problems;
    assert!(problems[0].ends_with("no .yaml or .yml files: not a rudder-cli project"), "{problems:?}");
    std::fs::write(dir.join("notes.yaml"), "title: not a spec\n").unwrap();
    let problems = import(&read_project(dir).unwrap(), None).unwrap_err().problems;
    assert!(problems.iter().any(|p| p.contains("notes.yaml: at /title: `title` is not a key here")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("notes.yaml: at /: no `version: rudder/v1`")), "{problems:?}");
    let _ = std::fs::remove_dir_all(dir);
}
