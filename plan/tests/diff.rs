//! `plan diff` on the bundled example plan: each kind of breaking change, the same changes made
//! safe by a version bump, and non-breaking changes.

use cdpspec_plan::diff::{Change, diff};
use cdpspec_plan::{EventVersion, Plan, load};
use serde_json::json;

fn courses() -> Plan {
    load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap()
}

fn breaking(changes: &[Change]) -> Vec<(&str, &str)> {
    changes.iter().filter(|c| c.breaking).map(|c| (c.location.as_str(), c.message.as_str())).collect()
}

/// The newest version of `event`'s properties schema, for editing.
fn latest<'a>(plan: &'a mut Plan, event: &str) -> &'a mut serde_json::Value {
    let e = plan.events.iter_mut().find(|e| e.name == event).unwrap();
    let v = e.versions.iter_mut().max_by_key(|v| v.version).unwrap();
    v.rule.properties.as_mut().unwrap()
}

#[test]
fn identical_plans_have_no_changes() {
    assert_eq!(diff(&courses(), &courses()), vec![]);
}

/// A change made to a plan.
type Edit = Box<dyn Fn(&mut Plan)>;

#[test]
fn each_breaking_change_is_marked() {
    let old = courses();
    let cases: Vec<(&str, Edit, (&str, &str))> = vec![
        (
            "event removed",
            Box::new(|p: &mut Plan| p.events.retain(|e| e.name != "Subscription Renewed")),
            ("events/Subscription Renewed", "event `Subscription Renewed` removed"),
        ),
        (
            "property removed",
            Box::new(|p: &mut Plan| {
                latest(p, "Order Completed")["properties"].as_object_mut().unwrap().remove("products");
            }),
            ("events/Order Completed/properties.products", "property `products` removed"),
        ),
        (
            "property retyped",
            Box::new(|p: &mut Plan| latest(p, "Order Completed")["properties"]["order_id"]["type"] = json!("integer")),
            ("events/Order Completed/properties.order_id", "retyped from string to integer"),
        ),
        (
            "new required property",
            Box::new(|p: &mut Plan| {
                let props = latest(p, "Order Completed");
                props["properties"]["coupon"] = json!({"type": "string"});
                props["required"].as_array_mut().unwrap().push(json!("coupon"));
            }),
            ("events/Order Completed/properties.coupon", "new required property `coupon`"),
        ),
        (
            "narrowed enum",
            Box::new(|p: &mut Plan| latest(p, "Course Enrolled")["properties"]["level"]["enum"] = json!(["beginner", "advanced"])),
            ("events/Course Enrolled/properties.level", "enum narrowed: \"intermediate\" removed"),
        ),
        (
            "identify trait narrowed",
            Box::new(|p: &mut Plan| p.identify.as_mut().unwrap().traits.as_mut().unwrap()["properties"]["plan"]["enum"] = json!(["free"])),
            ("identify/traits.plan", "enum narrowed: \"premium\", \"enterprise\" removed"),
        ),
        (
            "tightened range",
            Box::new(|p: &mut Plan| latest(p, "Order Completed")["properties"]["revenue"]["minimum"] = json!(1)),
            ("events/Order Completed/properties.revenue", "minimum tightened to 1"),
        ),
    ];
    for (name, edit, expected) in cases {
        let mut new = old.clone();
        edit(&mut new);
        let changes = diff(&old, &new);
        assert_eq!(breaking(&changes), vec![expected], "{name}: {changes:#?}");
    }
}

#[test]
fn a_version_bump_makes_event_changes_safe() {
    let old = courses();
    let mut new = old.clone();
    let event = new.events.iter_mut().find(|e| e.name == "Order Completed").unwrap();
    let mut v2: EventVersion = event.versions[0].clone();
    v2.version = 2;
    let props = v2.rule.properties.as_mut().unwrap();
    props["properties"]["order_id"]["type"] = json!("integer");
    props["properties"]["coupon"] = json!({"type": "string"});
    props["required"].as_array_mut().unwrap().push(json!("coupon"));
    event.versions.push(v2);
    let changes = diff(&old, &new);
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    let messages: Vec<&str> = changes.iter().map(|c| c.message.as_str()).collect();
    assert!(messages.contains(&"new version v2 (was v1)"), "{messages:?}");
    assert!(messages.contains(&"retyped from string to integer (versioned)"), "{messages:?}");
    assert!(messages.contains(&"new required property `coupon` (versioned)"), "{messages:?}");
}

#[test]
fn widening_changes_are_not_breaking() {
    let old = courses();
    let mut new = old.clone();
    latest(&mut new, "Course Enrolled")["properties"]["level"]["enum"] = json!(["beginner", "intermediate", "advanced", "expert"]);
    latest(&mut new, "Order Completed")["properties"]["note"] = json!({"type": "string"});
    latest(&mut new, "Order Completed")["properties"]["order_id"]["type"] = json!(["string", "integer"]);
    new.events.push(cdpspec_plan::Event { name: "Course Completed".into(), ..Default::default() });
    let changes = diff(&old, &new);
    assert_eq!(breaking(&changes), Vec::<(&str, &str)>::new(), "{changes:#?}");
    assert_eq!(changes.len(), 4, "{changes:#?}");
}
