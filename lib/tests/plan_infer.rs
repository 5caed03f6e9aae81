//! `plan infer` on generated traffic: the plan it infers passes `plan check` (no errors), and
//! the traffic it came from, validated against it, gets no finding of a plan rule, on the
//! precise path and through the fast path alike. Also: what it leaves to a person (conflicting
//! types, near-duplicate names) is listed, and nothing is merged.

use std::sync::Arc;

use cdpspec::check::Options;
use cdpspec::engine::{Engine, Origin, Outcome};
use cdpspec::infer::{Inference, Options as InferOptions};
use cdpspec::plan::{PlanValidator, lint};
use cdpspec::rule::Severity;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Event names that stay apart when case and separators are folded (near-duplicates make
/// `plan check` fail on purpose: see `near_duplicates_are_listed_not_merged`).
const EVENTS: [&str; 6] = ["Order Completed", "Product Viewed", "Signed Up", "Course Enrolled", "cart_viewed", "checkoutStarted"];
/// Keys, some near-duplicates of each other (those only warn).
const KEYS: [&str; 10] = ["price", "currency", "orderId", "order_id", "items", "tags", "coupon", "createdAt", "url", "level"];

/// A string now and then in a format `plan infer` recognises.
fn string() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(vec!["beginner", "advanced", "expert"]).prop_map(|s| json!(s)),
        "[a-z ]{0,12}".prop_map(Value::String),
        (0u32..1 << 31).prop_map(|n| json!(format!("{n:08x}-1d4a-4b7e-9a55-0c1d2e3f4a5b"))),
        (1u32..28, 0u32..24, 0u32..1000).prop_map(|(d, h, ms)| json!(format!("2024-06-{d:02}T{h:02}:15:30.{ms:03}+02:00"))),
        "[a-z]{1,6}".prop_map(|s| json!(format!("{s}@example.com"))),
        "[a-z]{1,6}".prop_map(|s| json!(format!("https://example.com/{s}?q=1"))),
        Just(json!("2024-06-01 10:00")),
        Just(json!("")),
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => string(),
        2 => (-1000i64..1000).prop_map(|n| json!(n)),
        1 => (-1e6f64..1e6).prop_map(|n| json!(n)),
        1 => any::<bool>().prop_map(|b| json!(b)),
        1 => Just(Value::Null),
    ]
}

/// A value: scalars, objects of keys from [`KEYS`], arrays (of objects too).
fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

fn object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(prop::sample::select(KEYS.to_vec()), value(), 0..5)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>()))
}

/// One call of any type, now and then without its section, named or not.
fn call() -> impl Strategy<Value = Value> {
    let kind = prop::sample::select(vec!["track", "track", "track", "identify", "group", "page", "screen", "alias"]);
    let name = prop::option::of(prop::sample::select(vec!["Home", "Pricing", "Checkout"]));
    (kind, prop::sample::select(EVENTS.to_vec()), name, prop::option::weighted(0.9, object()), 0u32..28).prop_map(|(kind, event, name, section, day)| {
        let mut call = json!({"type": kind, "userId": "97980cfea0067", "timestamp": format!("2024-05-{:02}T10:00:00Z", day + 1)});
        match kind {
            "track" => call["event"] = json!(event),
            "page" | "screen" => {
                if let Some(name) = name {
                    call["name"] = json!(name);
                }
            }
            "group" => call["groupId"] = json!("g1"),
            "alias" => call["previousId"] = json!("anon-1"),
            _ => {}
        }
        if let Some(section) = section {
            call[if matches!(kind, "identify" | "group") { "traits" } else { "properties" }] = section;
        }
        call
    })
}

/// Traffic: single calls and batches.
fn traffic() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(prop_oneof![3 => call(), 1 => prop::collection::vec(call(), 1..4).prop_map(|b| json!({"batch": b}))], 1..40)
}

/// The findings of the plan's rules (CDP3xx) for a document.
fn plan_findings(engine: &Engine, document: &Value) -> Vec<String> {
    let report = engine.check_value(document);
    let findings = report.findings.iter().chain(report.calls.iter().flat_map(|c| &c.findings));
    findings.filter(|f| f.rule.code().starts_with("CDP3")).map(|f| format!("{} {}: {}", f.rule.name(), f.pointer, f.message)).collect()
}

fn infer(traffic: &[Value], enum_threshold: usize) -> cdpspec::infer::Inferred {
    let mut inference = Inference::new(InferOptions { enum_threshold, ..InferOptions::default() });
    for document in traffic {
        inference.add_document(document, None);
    }
    inference.finish()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn inferred_plans_pass_check_and_their_traffic(traffic in traffic(), enum_threshold in 0usize..6) {
        let inferred = infer(&traffic, enum_threshold);
        let errors: Vec<_> = lint::lint(&inferred.plan).into_iter().filter(|l| l.severity == Severity::Error).collect();
        prop_assert!(errors.is_empty(), "plan check: {errors:?}");
        let plan = PlanValidator::new(inferred.plan.clone(), "inferred.yaml").unwrap();
        let engine = Engine::from_options(Options { plan: Some(Arc::new(plan)), ..Options::default() });
        for document in &traffic {
            let findings = plan_findings(&engine, document);
            prop_assert!(findings.is_empty(), "{document}\n{findings:?}\n{}", cdpspec::plan::write(&inferred.plan, cdpspec::plan::Format::Yaml));
            let line = serde_json::to_vec(document).unwrap();
            if let Outcome::Checked { calls, .. } = engine.check_record(&line, Origin::whole("traffic")) {
                let plan_rules: Vec<_> = calls.iter().flatten().filter(|d| d.rule.code().starts_with("CDP3")).collect();
                prop_assert!(plan_rules.is_empty(), "{document}: {plan_rules:?}");
            }
        }
    }
}

#[test]
fn near_duplicates_are_listed_not_merged() {
    let traffic = [
        json!({"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"orderId": "o1", "price": 12}}),
        json!({"type": "track", "userId": "u1", "event": "order_completed", "properties": {"order_id": "o2", "price": "12.00"}}),
        json!({"type": "track", "userId": "u1", "event": "order_completed", "properties": {"orderId": "o3", "order_id": "o3", "price": 12.5}}),
    ];
    let inferred = infer(&traffic, 10);
    let names: Vec<&str> = inferred.plan.events.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Order Completed", "order_completed"], "both kept");
    let codes: Vec<(&str, &str)> = inferred.findings.iter().map(|f| (f.code, f.location.as_str())).collect();
    assert_eq!(
        codes,
        [
            ("conflicting-types", "/events/1/versions/0/properties/properties/price/type"),
            ("near-duplicate-names", "/events/1/versions/0/properties/properties"),
            ("near-duplicate-names", "/events"),
        ],
        "{:#?}",
        inferred.findings
    );
    assert!(inferred.findings[2].message.contains("`Order Completed` (1), `order_completed` (2)"), "{}", inferred.findings[2]);
    // Kept apart, they are what `plan check` then asks a person to settle.
    assert!(lint::lint(&inferred.plan).iter().any(|l| l.code == "conflicting-event-names"));
    let price = &inferred.plan.events[1].versions[0].rule.properties.as_ref().unwrap()["properties"]["price"];
    assert_eq!(price["type"], json!(["string", "number"]));
}

#[test]
fn infers_required_enums_formats_nesting_and_descriptions() {
    let mut traffic = Vec::new();
    for (i, level) in ["beginner", "advanced", "beginner", "advanced"].iter().enumerate() {
        traffic.push(json!({
            "type": "track", "userId": "u1", "event": "Course Enrolled", "timestamp": format!("2024-06-0{}T10:00:00Z", i + 1),
            "properties": {"level": level, "course_id": format!("9b2f3c2e-1d4a-4b7e-9a55-0c1d2e3f4a5{i}"), "coupon": if i == 0 { json!(null) } else { json!("SPRING") },
                "items": [{"sku": "a", "quantity": i}], "teacher": {"email": "ada@example.com", "since": "2020-01-01T00:00:00Z"}}
        }));
    }
    for _ in 0..2 {
        traffic.push(json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"level": "expert", "course_id": "9b2f3c2e-1d4a-4b7e-9a55-0c1d2e3f4a5f"}}));
    }
    let inferred = infer(&traffic, 3);
    let event = &inferred.plan.events[0];
    assert_eq!(event.description.as_deref(), Some("Seen in 6 calls, first 2024-06-01T10:00:00Z, last 2024-06-04T10:00:00Z."));
    let schema = event.versions[0].rule.properties.as_ref().unwrap();
    assert_eq!(schema["required"], json!(["course_id", "level"]));
    assert_eq!(schema["properties"]["level"], json!({"type": "string", "enum": ["advanced", "beginner", "expert"]}));
    assert_eq!(schema["properties"]["course_id"], json!({"type": "string", "format": "uuid"}));
    assert_eq!(schema["properties"]["coupon"], json!({"type": ["string", "null"], "enum": ["SPRING", null]}), "null joins the enum");
    assert_eq!(schema["properties"]["items"]["items"]["required"], json!(["quantity", "sku"]));
    assert_eq!(schema["properties"]["teacher"]["properties"]["since"]["format"], "date-time");
    assert_eq!(schema["properties"]["teacher"]["properties"]["email"]["format"], "email");
    let none = infer(&traffic, 0);
    assert!(none.plan.events[0].versions[0].rule.properties.as_ref().unwrap()["properties"]["level"].get("enum").is_none(), "0 turns enums off");
}
