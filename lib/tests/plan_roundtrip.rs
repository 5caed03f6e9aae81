//! Plan -> generated Rust -> plan: the types that `cdpspec_codegen::plan` generates (the golden
//! files in `codegen/tests/generated/plan_*.rs`, compiled here with `include!` as an app's build
//! script would) rebuild, through `#[derive(cdpspec::TrackingPlan)]`, the plan they came from.
//!
//! Compared: the plan's name, version and description; every event's name, description, owner,
//! labels and versions (number, deprecation, description, `properties` schema, `requires`); the
//! identify and group rules (description, `traits` schema). Not generated, so not compared:
//! `common`, `pages`, `screens`, `$schema` and `metadata` (bookkeeping).
//!
//! Both sides are put in one canonical spelling where the plan format allows two spellings of
//! one meaning, and only there (see [`canonical_plan`] and [`canonical_schema`]):
//!
//! 1. `required` is a set: sorted, without duplicates.
//! 2. `type` is a set: a list is sorted, and a one-element list is that string.
//! 3. An `enum` of strings (and maybe `null`) without `type` means that `type` (`string`, or
//!    `[null, string]`); `null` is last in an `enum` (its order means nothing).
//! 4. `requires: [properties]` is implied by a `properties` schema that requires a key: an absent
//!    section is checked as `{}`, which fails such a schema anyway.
//! 5. An absent `properties` schema of an event version is `{type: object}`: calls' `properties`
//!    are objects by the canonical schema.
//! 6. Versions are sorted by number (they are selected by number), and event descriptions have
//!    no surrounding whitespace (they are doc comments; YAML block scalars add a newline).
//!
//! A version's own description has no place in `#[derive(cdpspec::Event)]`; the generated
//! `Plan::VERSION_DESCRIPTIONS` carries it and the rebuilt plan takes it from there.

use std::sync::Arc;

use cdpspec::check::{Options, check_document};
use cdpspec::plan::{Plan, PlanValidator, Section};
use cdpspec::{Event, Message, TrackingPlan, Traits};
use serde_json::{Map, Value, json};

// Not every generated item is used here.
#[allow(dead_code)]
mod courses {
    include!("../../codegen/tests/generated/plan_courses.rs");
}

// Not every generated item is used here.
#[allow(dead_code)]
mod shop {
    include!("../../codegen/tests/generated/plan_shop.rs");
}

// Not every generated item is used here.
#[allow(dead_code)]
mod edge {
    include!("../../codegen/tests/generated/plan_edge.rs");
}

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn load(path: &str) -> Plan {
    cdpspec::plan::load(&std::path::Path::new(ROOT).join(path)).unwrap_or_else(|e| panic!("{e}"))
}

/// The plan that the generated types build, with the version descriptions the derive cannot
/// carry.
fn rebuilt<P: TrackingPlan>(version_descriptions: &[(&str, u32, &str)]) -> Plan {
    let mut plan = P::plan();
    for (event, version, description) in version_descriptions {
        let event = plan.events.iter_mut().find(|e| e.name == *event).expect("the event is in the plan");
        let version = event.versions.iter_mut().find(|v| v.version == *version).expect("the version is in the plan");
        version.rule.description = Some((*description).to_owned());
    }
    plan
}

/// `plan` in canonical spelling, as JSON, without what is not generated.
fn canonical_plan(plan: &Plan) -> Value {
    let mut plan = plan.clone();
    plan.schema = None;
    plan.common = None;
    plan.pages.clear();
    plan.screens.clear();
    plan.metadata.clear();
    for event in &mut plan.events {
        event.description = event.description.as_deref().map(str::trim).filter(|d| !d.is_empty()).map(str::to_owned);
        event.versions.sort_by_key(|v| v.version);
        for version in &mut event.versions {
            let rule = &mut version.rule;
            rule.metadata.clear();
            let properties = rule.properties.get_or_insert_with(|| json!({"type": "object"}));
            canonical_schema(properties);
            let implied = properties.get("required").and_then(Value::as_array).is_some_and(|r| !r.is_empty());
            if implied && !rule.requires.contains(&Section::Properties) {
                rule.requires.push(Section::Properties);
            }
            rule.requires.sort();
            rule.requires.dedup();
        }
    }
    for rule in [&mut plan.identify, &mut plan.group].into_iter().flatten() {
        rule.metadata.clear();
        if let Some(traits) = &mut rule.traits {
            canonical_schema(traits);
        }
    }
    serde_json::to_value(&plan).unwrap()
}

/// `schema` and its subschemas in canonical spelling (rules 1 to 3 of the module docs).
fn canonical_schema(schema: &mut Value) {
    let Value::Object(obj) = schema else { return };
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        required.dedup();
    }
    if let Some(Value::Array(values)) = obj.get("enum")
        && !obj.contains_key("type")
        && values.iter().any(Value::is_string)
        && values.iter().all(|v| v.is_string() || v.is_null())
    {
        let implied = if values.iter().any(Value::is_null) { json!(["null", "string"]) } else { json!("string") };
        obj.insert("type".into(), implied);
    }
    if let Some(Value::Array(values)) = obj.get_mut("enum") {
        let nulls = values.iter().filter(|v| v.is_null()).count();
        values.retain(|v| !v.is_null());
        values.extend(std::iter::repeat_n(Value::Null, nulls));
    }
    if let Some(Value::Array(types)) = obj.get_mut("type") {
        types.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        types.dedup();
        if let [only] = types.as_slice() {
            let only = only.clone();
            obj.insert("type".into(), only);
        }
    }
    for (key, value) in obj.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "dependentSchemas" => value.as_object_mut().into_iter().flat_map(Map::values_mut).for_each(canonical_schema),
            "prefixItems" | "allOf" | "anyOf" | "oneOf" => value.as_array_mut().into_iter().flatten().for_each(canonical_schema),
            "items" | "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems" | "contains" | "propertyNames" | "not" | "if" | "then" | "else" => {
                canonical_schema(value)
            }
            _ => {}
        }
    }
}

/// Compares the original plan with the rebuilt one, naming the first difference.
fn assert_same_plan(file: &str, original: &Plan, rebuilt: &Plan) {
    let (original, rebuilt) = (canonical_plan(original), canonical_plan(rebuilt));
    if original == rebuilt {
        return;
    }
    let mut path = String::new();
    let (mut a, mut b) = (&original, &rebuilt);
    loop {
        let next = match (a, b) {
            (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).find(|k| x.get(*k) != y.get(*k)).map(|k| (k.clone(), x.get(k), y.get(k))),
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => (0..x.len()).find(|i| x[*i] != y[*i]).map(|i| (i.to_string(), x.get(i), y.get(i))),
            _ => None,
        };
        match next {
            Some((key, Some(x), Some(y))) => {
                path.push('/');
                path.push_str(&key);
                (a, b) = (x, y);
            }
            Some((key, x, y)) => panic!("{file}: at {path}/{key}:\n  plan:    {x:?}\n  rebuilt: {y:?}"),
            None => break,
        }
    }
    panic!("{file}: at {path}:\n  plan:    {}\n  rebuilt: {}", serde_json::to_string_pretty(a).unwrap(), serde_json::to_string_pretty(b).unwrap());
}

#[test]
fn courses_plan_round_trips() {
    assert_same_plan("courses.yaml", &load("examples/plan/courses.yaml"), &rebuilt::<courses::Plan>(courses::Plan::VERSION_DESCRIPTIONS));
}

#[test]
fn shop_plan_round_trips() {
    assert_same_plan("shop.yaml", &load("codegen/tests/plans/shop.yaml"), &rebuilt::<shop::Plan>(shop::Plan::VERSION_DESCRIPTIONS));
}

#[test]
fn edge_plan_round_trips() {
    assert_same_plan("edge.yaml", &load("codegen/tests/plans/edge.yaml"), &rebuilt::<edge::Plan>(edge::Plan::VERSION_DESCRIPTIONS));
}
#[test]
fn the_comparison_sees_a_changed_keyword() {
    let mut changed = load("codegen/tests/plans/shop.yaml");
    let properties = changed.events[0].versions[0].rule.properties.as_mut().unwrap();
    properties["properties"]["price"]["exclusiveMaximum"] = json!(99999);
    let rebuilt = rebuilt::<shop::Plan>(shop::Plan::VERSION_DESCRIPTIONS);
    let failure = std::panic::catch_unwind(|| assert_same_plan("shop.yaml", &changed, &rebuilt)).unwrap_err();
    let message = failure.downcast_ref::<String>().unwrap();
    assert!(message.contains("/events/0/versions/0/properties/properties/price/exclusiveMaximum"), "{message}");
}

/// Findings of the canonical checks and of `plan` for `message`.
fn findings(message: impl Into<Message>, plan: &Plan) -> Vec<cdpspec::Finding> {
    let payload = serde_json::to_value(message.into()).unwrap();
    let validator = PlanValidator::new(plan.clone(), "plan.yaml").unwrap();
    let options = Options { plan: Some(Arc::new(validator)), ..Default::default() };
    let report = check_document(&payload, &options);
    report.findings.into_iter().chain(report.calls.into_iter().flat_map(|c| c.findings)).collect()
}

#[test]
fn calls_built_from_generated_types_follow_the_plan() {
    use shop::*;
    let plan = load("codegen/tests/plans/shop.yaml");
    let viewed = ProductViewed {
        product_id: "sku-1".into(),
        category_path: Some(vec![ProductViewedV3CategoryPathItem::Books, ProductViewedV3CategoryPathItem::Fiction]),
        price: ProductViewedV3Price { amount: 12.5, currency: "EUR".into() },
        position: Some(3),
    };
    let old = ProductViewedV2 { product_id: "sku-1".into(), price: None, category: ProductViewedV2Category::Games, extra: Map::new() };
    let cart = CartUpdatedV1 {
        cart_id: "7d0f0a52-44a4-4c39-9f7a-0a6c1b3e2f10".into(),
        items: vec![CartUpdatedV1ItemsItem { sku: "sku-1".into(), quantity: 2, ..Default::default() }],
        coupon: Some(None),
        source: None,
        total: Some(25.0),
        extra: Map::new(),
    };
    let person = IdentifyTraits { email: Some("ada@example.com".into()), tier: Some(IdentifyTraitsTier::Gold), age: Some(36), ..Default::default() };
    let company = GroupTraits { name: Some("Acme".into()), seats: Some(40), industry: Some(GroupTraitsIndustry::Retail), ..Default::default() };
    for (what, found) in [
        ("v3", findings(viewed.track("97980cfea0067"), &plan)),
        ("v2", findings(old.track("97980cfea0067"), &plan)),
        ("cart", findings(cart.track_anonymous("a-1"), &plan)),
        ("signed out", findings(SignedOut::default().track("97980cfea0067"), &plan)),
        ("identify", findings(person.identify("97980cfea0067"), &plan)),
        ("group", findings(company.group("acme", "97980cfea0067"), &plan)),
    ] {
        assert_eq!(found, vec![], "{what}");
    }
    // The version the type follows selects the plan's version: v3 properties sent as v2 fail.
    let mut call = serde_json::to_value(Message::from(viewed.track("97980cfea0067"))).unwrap();
    call["context"]["protocols"]["event_version"] = json!(2);
    let validator = PlanValidator::new(plan, "plan.yaml").unwrap();
    let report = check_document(&call, &Options { plan: Some(Arc::new(validator)), ..Default::default() });
    assert!(!report.calls[0].findings.is_empty());
}

#[test]
fn generated_types_keep_absent_null_and_unknown_keys_apart() {
    use shop::*;
    let value = json!({"cart_id": "c", "items": [{"sku": "s", "quantity": 1, "color": "red"}], "coupon": null, "total": null, "note": "kept"});
    let cart: CartUpdatedV1 = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(cart.coupon, Some(None));
    assert_eq!(cart.source, None);
    assert_eq!(cart.total, None);
    assert_eq!(cart.items[0].extra["color"], "red");
    assert_eq!(cart.extra["note"], "kept");
    assert_eq!(serde_json::to_value(&cart).unwrap(), value);

    // `additionalProperties: false`: unknown keys are refused.
    let closed = json!({"product_id": "p", "price": {"amount": 1, "currency": "EUR"}, "colour": "red"});
    assert!(serde_json::from_value::<ProductViewedV3>(closed).is_err());

    // String enums are strings too.
    assert_eq!("silver".parse::<IdentifyTraitsTier>(), Ok(IdentifyTraitsTier::Silver));
    assert_eq!(IdentifyTraitsTier::Gold.to_string(), "gold");
    assert_eq!(IdentifyTraitsTier::ALL.len(), 3);
    assert!("platinum".parse::<IdentifyTraitsTier>().unwrap_err().contains("\"bronze\", \"silver\", \"gold\""));

    // Several types: an untagged enum.
    let count: edge::SearchPerformedV1ResultCount = serde_json::from_value(json!("12")).unwrap();
    assert_eq!(count, "12".into());
    assert_eq!(courses::GroupTraitsEmployees::from(40), serde_json::from_value(json!(40)).unwrap());
}

#[test]
fn the_newest_version_is_the_event_type() {
    assert_eq!(<courses::CourseEnrolled as Event>::VERSION, 2);
    assert_eq!(<courses::CourseEnrolledV1 as Event>::VERSION, 1);
    assert_eq!(<courses::CourseEnrolled as Event>::NAME, "Course Enrolled");
    assert_eq!(<shop::ProductViewedV2 as Event>::DEPRECATED, Some("2025-06-30"));
    assert_eq!(<shop::IdentifyTraits as Traits>::traits_description().as_deref(), Some("What we know about a shopper."));
}
