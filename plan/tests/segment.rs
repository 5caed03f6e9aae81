//! Import of Segment Protocols plans: every rule type, every version, labels, deprecation,
//! draft-07 keywords; nothing dropped silently; unrepresentable rules are errors naming them.

use cdpspec_plan::segment::import;
use cdpspec_plan::{Format, Section, parse, write};
use serde_json::{Value, json};

fn fixture(name: &str) -> Value {
    let path = format!("{}/../tests/fixtures/segment/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn protocols_plan_keeps_every_rule_and_version() {
    let plan = import(&fixture("protocols-plan.json")).unwrap();
    assert_eq!(plan.name, "Courses Web");
    assert_eq!(plan.description.as_deref(), Some("Tracking plan of the courses web app"));
    for key in ["id", "slug", "type", "createdAt", "updatedAt"] {
        assert!(plan.metadata.contains_key(key), "plan metadata keeps {key}");
    }
    let common = plan.common.as_ref().unwrap();
    assert_eq!(common.context.as_ref().unwrap()["required"], json!(["library"]));
    assert_eq!(plan.identify.as_ref().unwrap().traits.as_ref().unwrap()["properties"]["email"]["format"], "email");
    assert_eq!(plan.group.as_ref().unwrap().traits.as_ref().unwrap()["required"], json!(["name"]));
    assert_eq!(plan.pages.len(), 1);
    assert_eq!(plan.pages[0].name, "*", "a PAGE rule without key applies to every page");

    assert_eq!(plan.events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["Course Enrolled", "Order Completed"]);
    let enrolled = &plan.events[0];
    assert_eq!(enrolled.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(enrolled.labels.get("team").map(String::as_str), Some("learning"));
    assert_eq!(enrolled.description.as_deref(), Some("A person enrolled in a course (with level)"));
    assert_eq!(enrolled.versions[0].rule.description.as_deref(), Some("A person enrolled in a course"), "older versions keep their own description");
    assert_eq!(enrolled.versions[0].deprecated.as_deref(), Some("2024-06-01T00:00:00.000Z"));
    assert_eq!(enrolled.versions[1].deprecated, None, "Segment's zero date means not deprecated");
    assert_eq!(enrolled.versions[1].rule.requires, [Section::Properties]);
    let v2 = enrolled.versions[1].rule.properties.as_ref().unwrap();
    assert_eq!(v2["additionalProperties"], false);
    assert_eq!(v2["properties"]["tags"], json!({"type": "array", "prefixItems": [{"type": "string"}], "items": false}), "draft-07 tuples become prefixItems");
    assert!(enrolled.versions[1].rule.metadata.contains_key("createdAt"));

    let order = &plan.events[1];
    assert_eq!(order.labels.get("team").map(String::as_str), Some("growth"), "labels as key/value arrays");
    let props = order.versions[0].rule.properties.as_ref().unwrap();
    assert_eq!(props["properties"]["products"]["items"]["$ref"], "#/$defs/product");
    assert_eq!(props["$defs"]["product"]["required"], json!(["product_id"]), "the whole-call definitions travel with the section");
    assert!(order.versions[0].rule.context.is_some());
}

#[test]
fn imported_plans_round_trip_through_yaml_and_json() {
    let plan = import(&fixture("protocols-plan.json")).unwrap();
    for format in [Format::Yaml, Format::Json] {
        let text = write(&plan, format);
        assert_eq!(parse(&text, format, "plan").unwrap(), plan, "{format:?}:\n{text}");
    }
}

#[test]
fn legacy_config_api_shape() {
    let plan = import(&fixture("legacy-plan.json")).unwrap();
    assert!(plan.common.as_ref().unwrap().context.is_some());
    let identify = plan.identify.as_ref().unwrap().traits.as_ref().unwrap();
    assert_eq!(identify["properties"]["email"]["type"], "string");
    assert_eq!(identify["properties"]["plan"], json!({"type": "string", "enum": ["free", "premium"], "description": "Subscription plan"}));
    let group = plan.group.as_ref().unwrap().traits.as_ref().unwrap();
    assert_eq!(group["required"], json!(["name"]));
    assert_eq!(plan.events[0].versions[0].rule.requires, [Section::Properties]);
    for key in ["display_name", "create_time", "update_time"] {
        assert!(plan.metadata.contains_key(key), "{key} kept");
    }
}

#[test]
fn what_a_plan_cannot_hold_is_an_error_naming_it() {
    let problems = import(&fixture("unrepresentable-plan.json")).unwrap_err().problems;
    let expected = [
        "rules[0] (TRACK `Signed Up` v1): jsonSchema.anyOf cannot be represented",
        "rules[0] (TRACK `Signed Up` v1): jsonSchema.properties.userId cannot be represented",
        "rules[1] (ALIAS): rule type `ALIAS` is not one of",
        "rules[3] (IDENTIFY): a second IDENTIFY rule",
    ];
    for e in expected {
        assert!(problems.iter().any(|p| p.starts_with(e)), "missing {e:?} in {problems:#?}");
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    assert!(import(&json!({"name": "x"})).unwrap_err().problems[0].contains("no `rules`"));
    assert!(import(&json!([1])).is_err());
}
