//! `cdpspec::export` (`cdpspec schema export`): every exported file, in draft 2020-12 and draft 7,
//! is valid against its draft's meta-schema, self-contained (every `$ref` local, compiles
//! offline), keeps its versioned `$id`, and gives the verdict `cdpspec validate` gives (with the
//! plan for plan files) on the examples, the broken fixtures and plan payloads, in Rust
//! (jsonschema) and in Python (the `jsonschema` package, pinned in `tests/tools/jsonschema.txt`).

#[path = "../../tests/common/pip.rs"]
mod pip;
#[path = "../../tests/common/pypi.rs"]
mod pypi;
#[path = "../../tests/common/tools.rs"]
mod tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use cdpspec::check::{self, check_document};
use cdpspec::export::{self, Draft, ExportError, Kind, Options, Written};
use cdpspec::plan::{Plan, PlanValidator};
use cdpspec::schema::{BASE_URI, FILES};
use cdpspec::{CallType, Rule, Severity};
use serde_json::{Value, json};

const DRAFTS: [Draft; 2] = [Draft::Draft202012, Draft::Draft7];

fn manifest() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn load_plan(path: &str) -> Plan {
    cdpspec::plan::load(&manifest().join(path)).unwrap_or_else(|e| panic!("{e}"))
}

/// The test plan (`tests/fixtures/plans/courses.yaml`).
fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| load_plan("tests/fixtures/plans/courses.yaml"))
}

/// An empty directory under the test target directory.
fn fresh_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("export").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

struct Exported {
    dir: PathBuf,
    written: Vec<Written>,
}

/// The export of the canonical schemas, the test plan and the bundle, once per draft.
fn exported(draft: Draft) -> &'static Exported {
    static EXPORTS: [OnceLock<Exported>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = if draft == Draft::Draft202012 { 0 } else { 1 };
    EXPORTS[slot].get_or_init(|| {
        let dir = fresh_dir(&format!("full-{draft}"));
        let written = export::export(&Options { out: &dir, plan: Some(plan()), draft, bundle: true }).unwrap_or_else(|e| panic!("{e}"));
        Exported { dir, written }
    })
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every `$ref` in `value`, with where it is.
fn refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref"
                    && let Value::String(r) = child
                {
                    out.push((at.to_string(), r.clone()));
                }
                refs(child, &format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| refs(v, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

fn has_key(value: &Value, wanted: &str) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| k == wanted || has_key(v, wanted)),
        Value::Array(items) => items.iter().any(|v| has_key(v, wanted)),
        _ => false,
    }
}

#[test]
fn every_file_is_meta_valid_self_contained_and_keeps_its_id() {
    let extra = fresh_dir("examples-plan");
    for draft in DRAFTS {
        let out = extra.join(draft.as_str());
        // The README's example plan exports too.
        let example = load_plan("examples/plan/courses.yaml");
        let others = export::export(&Options { out: &out, plan: Some(&example), draft, bundle: true }).unwrap_or_else(|e| panic!("{e}"));
        let ours = exported(draft);
        for (dir, written) in [(&ours.dir, &ours.written), (&out, &others)] {
            check_files(dir, written, draft);
        }
    }
}

fn check_files(dir: &Path, written: &[Written], draft: Draft) {
    let index = read_json(&dir.join("index.json"));
    assert_eq!(index["draft"], draft.as_str());
    let listed: Vec<&Value> = index["files"].as_array().unwrap().iter().collect();
    assert_eq!(listed.len(), written.len());
    for (w, entry) in written.iter().zip(listed) {
        assert_eq!(entry, &json!({"path": w.relative, "id": w.id, "title": w.title, "kind": w.kind.as_str(), "draft": draft.as_str()}));
        assert_eq!(w.path, dir.join(&w.relative));
        let text = std::fs::read_to_string(&w.path).unwrap();
        assert!(text.ends_with("}\n"), "{}: pretty JSON with a final newline", w.relative);
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["$schema"], draft.meta_schema(), "{}", w.relative);
        assert_eq!(schema["$id"], w.id, "{}", w.relative);
        assert!(w.id.starts_with(BASE_URI) && !w.title.is_empty(), "{}", w.relative);
        let meta = match draft {
            Draft::Draft202012 => jsonschema::draft202012::meta::validate(&schema),
            Draft::Draft7 => jsonschema::draft7::meta::validate(&schema),
        };
        if let Err(e) = meta {
            panic!("{} is not valid draft {draft}: {e} at {}", w.relative, e.instance_path());
        }
        let mut found = Vec::new();
        refs(&schema, "", &mut found);
        for (at, r) in &found {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{} {at}: `$ref` {r} leaves the file", w.relative));
            assert!(schema.pointer(pointer).is_some(), "{} {at}: `$ref` {r} points at nothing", w.relative);
        }
        if draft == Draft::Draft7 {
            assert!(!has_key(&schema, "$defs"), "{}: draft 7 has `definitions`", w.relative);
            let mut siblings = Vec::new();
            find_ref_siblings(&schema, &mut siblings);
            assert!(siblings.is_empty(), "{}: `$ref` with siblings (ignored in draft 7): {siblings:?}", w.relative);
        }
        if let Err(e) = jsonschema::options().offline().build(&schema) {
            panic!("{} does not compile offline: {e}", w.relative);
        }
    }
    // The canonical files keep their names and ids.
    for (name, _) in FILES {
        let w = written.iter().find(|w| w.relative == *name).unwrap_or_else(|| panic!("{name} not written"));
        assert_eq!(w.id, format!("{BASE_URI}{name}"));
    }
    let kinds = |k: Kind| written.iter().filter(|w| w.kind == k).count();
    assert_eq!((kinds(Kind::Call), kinds(Kind::Message), kinds(Kind::Batch), kinds(Kind::Shared)), (6, 1, 1, 5));
    assert_eq!((kinds(Kind::PlannedCall), kinds(Kind::PlannedMessage), kinds(Kind::PlannedBatch), kinds(Kind::Bundle)), (6, 1, 1, 1));
    assert!(kinds(Kind::Event) >= 2);
}

fn find_ref_siblings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.contains_key("$ref") && map.len() > 1 && map.get("$ref").is_some_and(Value::is_string) {
                out.push(format!("{:?}", map.keys().collect::<Vec<_>>()));
            }
            map.values().for_each(|v| find_ref_siblings(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| find_ref_siblings(v, out)),
        _ => {}
    }
}

#[test]
fn the_layout_of_an_export_with_a_plan() {
    let ours = exported(Draft::Draft202012);
    let paths: Vec<&str> = ours.written.iter().map(|w| w.relative.as_str()).collect();
    for expected in [
        "track.schema.json",
        "events/course-enrolled.v1.schema.json",
        "events/course-enrolled.v2.schema.json",
        "events/order-completed.v1.schema.json",
        "planned/identify.schema.json",
        "planned/track.schema.json",
        "planned/message.schema.json",
        "planned/batch.schema.json",
        "cdpspec.bundle.schema.json",
    ] {
        assert!(paths.contains(&expected), "{expected} missing from {paths:?}");
    }
    let base = "https://cdpspec.dev/schema/v1/plans/courses-app/2.1.0/";
    let v1 = ours.written.iter().find(|w| w.relative == "events/course-enrolled.v1.schema.json").unwrap();
    assert_eq!(
        (v1.id.as_str(), v1.title.as_str(), v1.kind),
        (format!("{base}events/course-enrolled.v1.schema.json").as_str(), "Course Enrolled v1", Kind::Event)
    );
    let schema = read_json(&v1.path);
    assert_eq!(schema["deprecated"], true);
    let defs = schema["$defs"].as_object().unwrap();
    for name in ["track.schema.json", "common.schema.json", "context.schema.json", "plan.event.course-enrolled.v1", "plan.event.course-enrolled.v1.properties"]
    {
        assert!(defs.contains_key(name), "{name} not embedded: {:?}", defs.keys().collect::<Vec<_>>());
    }
    assert!(!defs.contains_key("plan.event.order-completed.v1"), "only what the file references is embedded");
    // The bundle holds every schema; its root accepts a batch or a message.
    let bundle = read_json(&ours.dir.join("cdpspec.bundle.schema.json"));
    let defs = bundle["$defs"].as_object().unwrap();
    for (name, _) in FILES {
        assert!(defs.contains_key(*name), "{name} not in the bundle");
    }
    assert!(defs.contains_key("planned.track.schema.json") && defs.contains_key("events.order-completed.v1.schema.json"));
    assert_eq!(bundle["then"]["$ref"], "#/$defs/planned.batch.schema.json");
    assert_eq!(bundle["else"]["$ref"], "#/$defs/planned.message.schema.json");
}

#[test]
fn without_a_plan_only_the_canonical_schemas_are_written() {
    let dir = fresh_dir("canonical");
    let written = export::export(&Options { out: &dir, plan: None, draft: Draft::Draft202012, bundle: true }).unwrap();
    assert_eq!(written.len(), FILES.len() + 1);
    let bundle = read_json(&dir.join("cdpspec.bundle.schema.json"));
    assert_eq!(bundle["$id"], format!("{BASE_URI}cdpspec.bundle.schema.json"));
    assert_eq!(bundle["then"]["$ref"], "#/$defs/batch.schema.json");
    // The canonical schema of a file is unchanged but for the schemas it embeds.
    let track = read_json(&dir.join("track.schema.json"));
    let canonical = cdpspec::schema::load("track.schema.json");
    assert_eq!(track["properties"]["event"], canonical["properties"]["event"]);
    assert_eq!(track["properties"]["userId"]["$ref"], "#/$defs/common.schema.json/$defs/userId");
    assert_eq!(track["$defs"]["common.schema.json"]["$defs"]["userId"], canonical_def("common.schema.json", "userId"));
    // A file referenced by an embedded one resolves to the file's own root.
    let common = read_json(&dir.join("common.schema.json"));
    assert_eq!(common["$defs"]["integrations"]["anyOf"][0]["$ref"], "#/$defs/integrations.schema.json");
    let traits = read_json(&dir.join("traits.schema.json"));
    assert_eq!(traits["$defs"]["company"]["properties"]["id"]["anyOf"][0]["$ref"], "#/$defs/common.schema.json/$defs/id");
}

fn canonical_def(file: &str, name: &str) -> Value {
    let mut def = cdpspec::schema::load(file)["$defs"][name].clone();
    if let Some(any) = def.get_mut("anyOf") {
        any[0]["$ref"] = json!("#/$defs/common.schema.json/$defs/id");
    }
    def
}

#[test]
fn draft_7_rewrites_refs_with_siblings_and_keeps_plan_formats_only() {
    let ours = exported(Draft::Draft7);
    let track = read_json(&ours.dir.join("track.schema.json"));
    assert_eq!(track["$schema"], "http://json-schema.org/draft-07/schema#");
    let timestamp = &track["properties"]["timestamp"];
    assert_eq!(timestamp["allOf"], json!([{"$ref": "#/definitions/common.schema.json/definitions/timestamp"}]));
    assert!(timestamp["description"].is_string());
    let def = &track["definitions"]["common.schema.json"]["definitions"]["timestamp"];
    assert!(def.get("format").is_none() && def["$comment"].as_str().unwrap().contains("date-time"), "{def}");
    let identify = read_json(&ours.dir.join("planned/identify.schema.json"));
    assert_eq!(identify["definitions"]["plan.identify.traits"]["properties"]["email"]["format"], "email");
    let v1 = read_json(&ours.dir.join("events/course-enrolled.v1.schema.json"));
    assert!(v1.get("deprecated").is_none());
}

#[test]
fn output_is_deterministic() {
    let (a, b) = (fresh_dir("twice-a"), fresh_dir("twice-b"));
    for dir in [&a, &b] {
        export::export(&Options { out: dir, plan: Some(plan()), draft: Draft::Draft7, bundle: true }).unwrap();
    }
    let written = exported(Draft::Draft7);
    for w in &written.written {
        assert_eq!(std::fs::read(a.join(&w.relative)).unwrap(), std::fs::read(b.join(&w.relative)).unwrap(), "{}", w.relative);
    }
    assert_eq!(std::fs::read(a.join("index.json")).unwrap(), std::fs::read(b.join("index.json")).unwrap());
}

#[test]
fn drafts_parse() {
    for (s, d) in [("2020-12", Draft::Draft202012), ("07", Draft::Draft7), ("7", Draft::Draft7), ("draft-07", Draft::Draft7)] {
        assert_eq!(s.parse::<Draft>(), Ok(d));
    }
    assert!("2019-09".parse::<Draft>().unwrap_err().contains("2020-12 or 07"));
}

/// A plan with one event whose version's `properties` section is `section`.
fn plan_with(section: Value) -> Plan {
    serde_json::from_value(json!({"name": "P", "events": [{"name": "E", "versions": [{"version": 1, "properties": section}]}]})).unwrap()
}

fn try_export(name: &str, plan: &Plan, draft: Draft) -> Result<Vec<Written>, ExportError> {
    export::export(&Options { out: &fresh_dir(name), plan: Some(plan), draft, bundle: false })
}

#[test]
fn keywords_without_a_draft_7_form_are_errors_naming_them() {
    let plan = plan_with(json!({"type": "object", "unevaluatedProperties": false}));
    assert!(try_export("uneval-2020", &plan, Draft::Draft202012).is_ok());
    let e = try_export("uneval-07", &plan, Draft::Draft7).unwrap_err();
    assert!(matches!(&e, ExportError::Unsupported { keyword, file, .. } if keyword == "unevaluatedProperties" && file == "events/e.v1.schema.json"), "{e}");
    assert!(e.to_string().contains("/$defs/plan.event.e.v1.properties"), "{e}");
    // `prefixItems` and `dependentRequired` have exact draft 7 forms.
    let plan = plan_with(
        json!({"properties": {"pair": {"prefixItems": [{"type": "string"}, {"type": "number"}], "items": false}}, "dependentRequired": {"a": ["b"]}}),
    );
    let dir = fresh_dir("prefix-07");
    export::export(&Options { out: &dir, plan: Some(&plan), draft: Draft::Draft7, bundle: false }).unwrap();
    let section = &read_json(&dir.join("events/e.v1.schema.json"))["definitions"]["plan.event.e.v1.properties"];
    assert_eq!(section["properties"]["pair"], json!({"items": [{"type": "string"}, {"type": "number"}], "additionalItems": false}));
    assert_eq!(section["dependencies"], json!({"a": ["b"]}));
}

#[test]
fn references_that_leave_the_contract_are_errors() {
    let plan = plan_with(json!({"properties": {"x": {"$ref": "https://example.com/x.schema.json"}}}));
    let e = try_export("external", &plan, Draft::Draft202012).unwrap_err();
    assert!(matches!(&e, ExportError::Reference { reference, .. } if reference == "https://example.com/x.schema.json"), "{e}");
    let plan = plan_with(json!({"properties": {"x": {"$ref": "#/$defs/missing"}}}));
    assert!(matches!(try_export("dangling", &plan, Draft::Draft202012), Err(ExportError::Reference { .. })));
    // References to the canonical schemas, relative or absolute, are bundled.
    let plan =
        plan_with(json!({"properties": {"a": {"$ref": "common.schema.json#/$defs/id"}, "b": {"$ref": format!("{BASE_URI}common.schema.json#/$defs/id")}}}));
    for draft in DRAFTS {
        let written = try_export(&format!("canonical-ref-{draft}"), &plan, draft).unwrap();
        let file = written.iter().find(|w| w.relative == "events/e.v1.schema.json").unwrap();
        let validator = jsonschema::options().offline().build(&read_json(&file.path)).unwrap();
        let call = |a: Value| json!({"type": "track", "event": "E", "userId": "u1", "properties": {"a": a, "b": 1}});
        assert!(validator.is_valid(&call(json!("id"))) && !validator.is_valid(&call(json!(true))));
    }
}

#[test]
fn plans_that_cannot_be_exported_say_why() {
    let no_versions: Plan = serde_json::from_value(json!({"name": "P", "events": [{"name": "E", "versions": []}]})).unwrap();
    assert!(matches!(try_export("no-versions", &no_versions, Draft::Draft202012), Err(ExportError::Plan(m)) if m.contains("no versions")));
    let clash: Plan = serde_json::from_value(json!({"name": "P", "events": [
        {"name": "Order Completed", "versions": [{"version": 1}]},
        {"name": "order_completed", "versions": [{"version": 1}]}
    ]}))
    .unwrap();
    assert!(matches!(try_export("clash", &clash, Draft::Draft202012), Err(ExportError::Plan(m)) if m.contains("order-completed")));
    let invalid = plan_with(json!({"type": "object", "properties": {"x": {"pattern": "(?<=a)b"}}}));
    assert!(matches!(try_export("lookbehind", &invalid, Draft::Draft202012), Err(ExportError::Plan(m)) if m.contains("/events/0/versions/0/properties")));
}

// ---- Verdicts ---------------------------------------------------------------------------------

/// One payload, one exported file, and the verdict `cdpspec validate` gives.
#[derive(Debug, Clone)]
struct Case {
    schema: String,
    instance: Value,
    valid: bool,
    label: String,
}

/// Every parseable document of the examples and the fixtures: (label, document).
fn corpus() -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    for dir in ["examples/seed", "examples/sdk"] {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(manifest().join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        paths.extend(entries);
    }
    paths.push(manifest().join("tests/fixtures/broken.ndjson"));
    paths.push(manifest().join("tests/fixtures/mixed.ndjson"));
    let mut docs = Vec::new();
    for path in paths {
        let label = path.strip_prefix(manifest()).unwrap().display().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let whole = path.extension().is_some_and(|e| e == "json");
        match serde_json::from_str::<Value>(&text) {
            Ok(doc) if whole => docs.push((label, doc)),
            _ => {
                for (i, line) in text.lines().enumerate() {
                    if let Ok(doc) = serde_json::from_str::<Value>(line) {
                        docs.push((format!("{label}:{}", i + 1), doc));
                    }
                }
            }
        }
    }
    docs
}

/// Payloads that exercise every rule of the test plan, valid and not.
fn plan_payloads() -> Vec<(String, Value)> {
    let lib = json!({"library": {"name": "analytics-node", "version": "2.0.1"}});
    let track = |event: &str, properties: Value| json!({"type": "track", "userId": "u1", "event": event, "properties": properties, "context": lib});
    let enrolled = |properties: Value, version: Option<u64>| {
        let mut call = track("Course Enrolled", properties);
        if let Some(v) = version {
            call["context"]["protocols"] = json!({"event_version": v});
        }
        call
    };
    let product = json!({"product_id": "p1", "name": "Basics", "price": 49.99, "quantity": 1});
    let order = |change: &dyn Fn(&mut Value)| {
        let mut p = json!({"order_id": "o1", "revenue": 49.99, "currency": "USD", "products": [product]});
        change(&mut p);
        track("Order Completed", p)
    };
    let identify = |traits: Value| json!({"type": "identify", "userId": "u1", "traits": traits});
    let page = |name: &str, properties: Option<Value>| {
        let mut call = json!({"type": "page", "anonymousId": "a1", "name": name});
        if let Some(p) = properties {
            call["properties"] = p;
        }
        call
    };
    let basics = json!({"class_name": "Basics"});
    let coded = json!({"class_name": "Basics", "class_code": "cio101"});
    let cases = vec![
        ("identify", identify(json!({"email": "cool.person@example.com", "plan": "premium"}))),
        ("identify: plan not in enum", identify(json!({"email": "cool.person@example.com", "plan": "gold"}))),
        ("identify: no traits", json!({"type": "identify", "userId": "u1"})),
        ("identify: no email", identify(json!({"plan": "free"}))),
        ("identify: email not an email (format)", identify(json!({"email": "n/a"}))),
        (
            "identify: library without name (common)",
            json!({"type": "identify", "userId": "u1", "traits": {"email": "a@example.com"}, "context": {"library": {"version": "1"}}}),
        ),
        ("group", json!({"type": "group", "groupId": "g1", "userId": "u1", "traits": {"name": "Example Co", "plan": "team"}})),
        ("group: no name", json!({"type": "group", "groupId": "g1", "userId": "u1", "traits": {"industry": "edtech"}})),
        ("group: no traits (checked as {})", json!({"type": "group", "groupId": "g1", "userId": "u1"})),
        ("page home", page("home", Some(json!({"url": "https://www.example.com"})))),
        ("page home: http", page("home", Some(json!({"url": "http://www.example.com"})))),
        ("page home: no properties", page("home", None)),
        ("page pricing", page("pricing", None)),
        ("page: no identity", json!({"type": "page", "name": "pricing"})),
        ("screen", json!({"type": "screen", "userId": "u1", "name": "home"})),
        ("screen: properties not an object", json!({"type": "screen", "userId": "u1", "name": "home", "properties": "none"})),
        ("alias: not checked against plans", json!({"type": "alias", "previousId": "a1", "userId": "u1", "context": {"library": {}}})),
        ("track v1 (oldest)", enrolled(basics.clone(), None)),
        ("track v1 explicit", enrolled(basics.clone(), Some(1))),
        ("track v2 without class_code", enrolled(basics.clone(), Some(2))),
        ("track v2", enrolled(coded.clone(), Some(2))),
        ("track unknown version 3: oldest", enrolled(basics.clone(), Some(3))),
        ("track bad class_code", enrolled(json!({"class_name": "Basics", "class_code": "CIO-101"}), Some(2))),
        ("track no properties", json!({"type": "track", "userId": "u1", "event": "Course Enrolled"})),
        ("track unplanned", track("Signed Up", json!({}))),
        ("track library name empty (common)", {
            let mut c = enrolled(basics.clone(), None);
            c["context"]["library"]["name"] = json!("");
            c
        }),
        ("order", order(&|_| {})),
        ("order: extra property", order(&|p| p["coupon"] = json!("X"))),
        ("order: quantity 0", order(&|p| p["products"][0]["quantity"] = json!(0))),
        ("order: no products", order(&|p| p["products"] = json!([]))),
        ("order: product without price", order(&|p| p["products"][0].as_object_mut().unwrap().retain(|k, _| k != "price"))),
        ("order: currency usd", order(&|p| p["currency"] = json!("usd"))),
        ("order: revenue string", order(&|p| p["revenue"] = json!("49.99"))),
        ("batch: planned", json!({"batch": [identify(json!({"email": "a@example.com"})), enrolled(coded.clone(), Some(2)), order(&|_| {})]})),
        ("batch: one unplanned", json!({"batch": [enrolled(coded, None), track("Signed Up", json!({}))]})),
    ];
    cases.into_iter().map(|(label, doc)| (format!("plan payload `{label}`"), doc)).collect()
}

/// Rules that live in code only (schema/README.md): documents where they fire are not compared.
fn code_only(finding: &cdpspec::Finding) -> bool {
    matches!(finding.rule, Rule::InvalidTimestamp | Rule::MessageIdTooLong | Rule::CallTooLarge | Rule::BatchTooLarge | Rule::BatchTooManyCalls)
        || (finding.rule == Rule::ReservedType && ["first_name", "last_name", "created_at"].iter().any(|k| finding.pointer.ends_with(&format!("/{k}"))))
}

/// cdpspec's verdict on `doc`: `Some(valid)`, or `None` when a code-only rule fires.
fn verdict(doc: &Value, default_type: Option<CallType>, plan: Option<&Arc<PlanValidator>>) -> Option<bool> {
    let options = check::Options { default_type, plan: plan.cloned(), ..Default::default() };
    let report = check_document(doc, &options);
    let findings: Vec<_> = report.findings.iter().chain(report.calls.iter().flat_map(|c| &c.findings)).collect();
    if findings.iter().any(|f| code_only(f)) {
        return None;
    }
    Some(!findings.iter().any(|f| f.rule.default_severity() == Severity::Error))
}

/// The plan as a validator; for draft 2020-12, without its `format`s, which 2020-12 validators
/// treat as annotations (cdpspec and draft 7 validators assert them).
fn plan_validator(draft: Draft) -> Arc<PlanValidator> {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.retain(|k, v| !(k == "format" && v.is_string()));
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut plan = serde_json::to_value(plan()).unwrap();
    if draft == Draft::Draft202012 {
        strip(&mut plan);
    }
    Arc::new(PlanValidator::new(serde_json::from_value(plan).unwrap(), "courses.yaml").unwrap())
}

/// Every (file, payload, verdict) to compare, for the export of `draft`.
fn cases(draft: Draft) -> Vec<Case> {
    let plan = plan_validator(draft);
    let mut docs = corpus();
    docs.extend(plan_payloads());
    let mut calls = Vec::new();
    let mut batches = Vec::new();
    for (label, doc) in docs {
        match &doc {
            Value::Object(map) if map.contains_key("batch") => batches.push((label, doc)),
            Value::Array(items) => calls.extend(items.iter().enumerate().map(|(i, d)| (format!("{label}[{i}]"), d.clone()))),
            _ => calls.push((label, doc)),
        }
    }
    let mut out = Vec::new();
    let mut add = |schema: &str, label: &str, doc: &Value, valid: Option<bool>| {
        if let Some(valid) = valid {
            out.push(Case { schema: schema.into(), instance: doc.clone(), valid, label: label.into() });
        }
    };
    for (label, doc) in &batches {
        add("batch.schema.json", label, doc, verdict(doc, None, None));
        let planned = verdict(doc, None, Some(&plan));
        add("planned/batch.schema.json", label, doc, planned);
        add("cdpspec.bundle.schema.json", label, doc, planned);
    }
    for (label, doc) in &calls {
        add("message.schema.json", label, doc, verdict(doc, None, None));
        let planned = verdict(doc, None, Some(&plan));
        add("planned/message.schema.json", label, doc, planned);
        add("cdpspec.bundle.schema.json", label, doc, planned);
        let own = doc.get("type").and_then(Value::as_str);
        for call in CallType::ALL {
            let name = call.as_str();
            if own.is_some_and(|t| t != name) || !doc.is_object() {
                continue;
            }
            add(&format!("{name}.schema.json"), label, doc, verdict(doc, Some(*call), None));
            add(&format!("planned/{name}.schema.json"), label, doc, verdict(doc, Some(*call), Some(&plan)));
        }
        // An event file is the plan's verdict with its version selected.
        let selectable = doc.is_object() && doc.get("context").is_none_or(|c| c.is_object() && c.get("protocols").is_none_or(Value::is_object));
        if own.is_none_or(|t| t == "track") && selectable {
            for event in &plan.plan().events {
                for version in &event.versions {
                    let mut selected = doc.clone();
                    selected["context"]["protocols"]["event_version"] = json!(version.version);
                    let file = format!("events/{}.v{}.schema.json", event.name.to_lowercase().replace(' ', "-"), version.version);
                    // A call of another event never matches (`event` is a const).
                    let named = doc.get("event") == Some(&json!(event.name));
                    add(&file, label, doc, if named { verdict(&selected, Some(CallType::Track), Some(&plan)) } else { Some(false) });
                }
            }
        }
    }
    out
}

#[test]
fn verdicts_match_cdpspec_validate_in_rust() {
    for draft in DRAFTS {
        let ours = exported(draft);
        let mut validators = BTreeMap::new();
        let cases = cases(draft);
        let mut mismatches = Vec::new();
        let mut seen = BTreeMap::<&str, (usize, usize)>::new();
        for case in &cases {
            let validator = validators.entry(case.schema.clone()).or_insert_with(|| {
                let schema = read_json(&ours.dir.join(&case.schema));
                jsonschema::options().offline().build(&schema).unwrap_or_else(|e| panic!("{}: {e}", case.schema))
            });
            let valid = validator.is_valid(&case.instance);
            if valid != case.valid {
                let why: Vec<String> = validator.iter_errors(&case.instance).take(3).map(|e| format!("{e} at {}", e.instance_path())).collect();
                mismatches.push(format!("{} on {}: cdpspec says {}, jsonschema {} {why:?}", case.schema, case.label, case.valid, valid));
            }
            let counts = seen.entry(case.schema.as_str()).or_default();
            if case.valid { counts.0 += 1 } else { counts.1 += 1 }
        }
        assert!(mismatches.is_empty(), "draft {draft}: {} of {} verdicts differ:\n{}", mismatches.len(), cases.len(), mismatches.join("\n"));
        // Every call, message, batch, planned and event file saw valid and invalid payloads.
        for w in &ours.written {
            if w.kind != Kind::Shared {
                let (valid, invalid) = seen.get(w.relative.as_str()).copied().unwrap_or_default();
                assert!(valid > 0 && invalid > 0, "draft {draft}: {} saw {valid} valid and {invalid} invalid payloads", w.relative);
            }
        }
    }
}

#[test]
fn plan_rules_as_written() {
    let ours = exported(Draft::Draft202012);
    let validator = |file: &str| jsonschema::options().offline().build(&read_json(&ours.dir.join(file))).unwrap();
    let track = validator("planned/track.schema.json");
    let call = |event: &str, properties: Value, version: Option<u32>| {
        let mut c = json!({"type": "track", "userId": "u1", "event": event, "properties": properties});
        if let Some(v) = version {
            c["context"] = json!({"protocols": {"event_version": v}});
        }
        c
    };
    let basics = json!({"class_name": "Basics"});
    assert!(track.is_valid(&call("Course Enrolled", basics.clone(), None)), "no version: the oldest");
    assert!(!track.is_valid(&call("Course Enrolled", basics.clone(), Some(2))), "v2 requires class_code");
    assert!(track.is_valid(&call("Course Enrolled", basics.clone(), Some(9))), "unknown version: the oldest");
    assert!(!track.is_valid(&call("Signed Up", json!({}), None)), "unplanned");
    let v2 = validator("events/course-enrolled.v2.schema.json");
    assert!(!v2.is_valid(&call("Course Enrolled", basics.clone(), None)), "the event file is its version, whatever the call selects");
    assert!(!v2.is_valid(&call("Order Completed", json!({"class_name": "Basics", "class_code": "cio101"}), None)), "event const");
    // Selection follows `Event::select`.
    let event = plan().event("Course Enrolled").unwrap();
    for requested in [None, Some(1), Some(2), Some(3)] {
        let selected = event.select(requested).unwrap().version;
        let valid = track.is_valid(&call("Course Enrolled", basics.clone(), requested.map(|v| v as u32)));
        assert_eq!(valid, selected == 1, "requested {requested:?} selects v{selected}");
    }
}

// ---- Python ----------------------------------------------------------------------------------

/// Loads every file of an export with Python's `jsonschema` (the validator class of its draft),
/// checks it against the meta-schema, checks every `$ref` is local and resolves, refuses any
/// retrieval, and compares the verdicts of the cases.
const PYTHON: &str = r##"
import json, pathlib, sys
try:
    import jsonschema
    from referencing import Registry
    from referencing.exceptions import NoSuchResource
except ImportError as e:
    print(f"cannot import: {e}")
    sys.exit(3)

root = pathlib.Path(sys.argv[1])
cases = json.loads(pathlib.Path(sys.argv[2]).read_text())
index = json.loads((root / "index.json").read_text())
classes = {"2020-12": jsonschema.Draft202012Validator, "07": jsonschema.Draft7Validator}
problems, fetched = [], []

def retrieve(uri):
    fetched.append(uri)
    raise NoSuchResource(ref=uri)

registry = Registry(retrieve=retrieve)

def refs(value):
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "$ref" and isinstance(v, str):
                yield v
            yield from refs(v)
    elif isinstance(value, list):
        for v in value:
            yield from refs(v)

def resolve(document, pointer):
    node = document
    for token in pointer.split("/")[1:] if pointer else []:
        token = token.replace("~1", "/").replace("~0", "~")
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node

validators = {}
for entry in index["files"]:
    path = entry["path"]
    schema = json.loads((root / path).read_text())
    cls = classes[entry["draft"]]
    if jsonschema.validators.validator_for(schema) is not cls:
        problems.append(f"{path}: $schema does not select {cls.__name__}")
    try:
        cls.check_schema(schema)
    except jsonschema.SchemaError as e:
        problems.append(f"{path}: not a valid schema: {e.message}")
    for ref in refs(schema):
        try:
            if not ref.startswith("#"):
                raise KeyError(ref)
            resolve(schema, ref[1:])
        except (KeyError, IndexError, ValueError, TypeError):
            problems.append(f"{path}: $ref {ref} does not resolve within the file")
    checker = cls.FORMAT_CHECKER if entry["draft"] == "07" else None
    validators[path] = cls(schema, registry=registry, format_checker=checker)

for case in cases:
    try:
        errors = list(validators[case["schema"]].iter_errors(case["instance"]))
    except Exception as e:
        problems.append(f"{case['schema']} on {case['label']}: {type(e).__name__}: {e}")
        continue
    if (not errors) != case["valid"]:
        why = "; ".join(e.message[:120] for e in errors[:2])
        problems.append(f"{case['schema']} on {case['label']}: cdpspec says {case['valid']}, python says {not errors} {why}")

if fetched:
    problems.append(f"tried to fetch {sorted(set(fetched))}")
print(f"python jsonschema {jsonschema.__name__}: {len(index['files'])} files, {len(cases)} cases, {len(problems)} problems")
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
"##;

#[test]
fn python_jsonschema_loads_every_file_and_agrees() {
    // The pinned package, installed into target/tool-cache on first use (not into the user's
    // Python environment).
    let Some(jsonschema) = pypi::install("jsonschema", "python_jsonschema_loads_every_file_and_agrees") else { return };
    for draft in DRAFTS {
        let ours = exported(draft);
        let work = fresh_dir(&format!("python-{draft}"));
        std::fs::create_dir_all(&work).unwrap();
        let script = work.join("check.py");
        std::fs::write(&script, PYTHON).unwrap();
        let cases: Vec<Value> =
            cases(draft).into_iter().map(|c| json!({"schema": c.schema, "instance": c.instance, "valid": c.valid, "label": c.label})).collect();
        let cases_path = work.join("cases.json");
        std::fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
        let output = jsonschema
            .python()
            .arg(&script)
            .arg(&ours.dir)
            .arg(&cases_path)
            .output()
            .unwrap_or_else(|e| panic!("python3 could not be run ({e}): this test needs python3 with pip"));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(3) => panic!("Python's `jsonschema` package is missing from {} ({})", jsonschema.dir.display(), stdout.trim()),
            _ => panic!("draft {draft}: Python's jsonschema disagrees with the export:\n{stdout}\n{stderr}"),
        }
    }
}

// ---- Node: ajv and quicktype -----------------------------------------------------------------

/// Loads every file of an export with ajv (Ajv2020 or Ajv for draft 07; formats checked for
/// draft 07 only, as in Python), compares the verdicts of the cases, then generates TypeScript
/// with quicktype from the message, batch and event schemas. Any attempt to fetch a schema fails.
const NODE: &str = r##"
const fs = require("fs"), path = require("path");
const [root, casesPath, draft] = process.argv.slice(2);
let Ajv, addFormats, qt;
try {
  Ajv = draft === "07" ? require("ajv").default : require("ajv/dist/2020").default;
  addFormats = require("ajv-formats").default;
  qt = require("quicktype-core");
} catch (e) { console.log("cannot require: " + e.message); process.exit(3); }
const index = JSON.parse(fs.readFileSync(path.join(root, "index.json"), "utf8"));
const cases = JSON.parse(fs.readFileSync(casesPath, "utf8"));
const problems = [];
const validators = {};
for (const entry of index.files) {
  const schema = JSON.parse(fs.readFileSync(path.join(root, entry.path), "utf8"));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: draft === "07",
    loadSchema: (uri) => { throw new Error("fetch attempted: " + uri); } });
  if (draft === "07") addFormats(ajv);
  try { validators[entry.path] = ajv.compile(schema); }
  catch (e) { problems.push(`${entry.path}: ajv cannot compile: ${e.message}`); }
}
for (const c of cases) {
  const validate = validators[c.schema];
  if (!validate) continue;
  const ok = validate(c.instance);
  if (ok !== c.valid) problems.push(`${c.schema} on ${c.label}: cdpspec says ${c.valid}, ajv says ${ok} ${JSON.stringify(validate.errors && validate.errors[0])}`);
}
class NoFetch extends qt.JSONSchemaStore { async fetch(address) { throw new Error("fetch attempted: " + address); } }
(async () => {
  const wanted = index.files.filter((f) => ["message", "batch", "event", "planned-message"].includes(f.kind));
  for (const entry of wanted) {
    const input = new qt.JSONSchemaInput(new NoFetch());
    await input.addSource({ name: entry.title.replace(/[^A-Za-z0-9]/g, "") || "Call", schema: fs.readFileSync(path.join(root, entry.path), "utf8") });
    const data = new qt.InputData();
    data.addInput(input);
    try {
      const result = await qt.quicktype({ inputData: data, lang: "typescript", rendererOptions: { "just-types": "true" } });
      const code = result.lines.join("\n");
      if (!/interface|type /.test(code)) problems.push(`${entry.path}: quicktype generated no types`);
    } catch (e) { problems.push(`${entry.path}: quicktype failed: ${e.message}`); }
  }
  console.log(`ajv+quicktype draft ${draft}: ${index.files.length} files, ${cases.length} cases, ${wanted.length} generated, ${problems.length} problems`);
  for (const p of problems) console.log(p);
  process.exit(problems.length ? 1 : 0);
})();
"##;

/// Where ajv, ajv-formats and quicktype-core live: `target/node`, installed from the npm
/// registry on first use, so `cargo test` works on a fresh machine; `None` (the test skips,
/// saying why) where they cannot be had.
fn node_modules() -> Option<PathBuf> {
    let test = "ajv_and_quicktype_load_every_file_and_agree";
    let prefix = manifest().join("target/node");
    if prefix.join("node_modules/quicktype-core").is_dir() {
        return Some(prefix);
    }
    if tools::offline() {
        tools::skip(test, "ajv and quicktype are not installed in target/node and CDPSPEC_OFFLINE is set");
        return None;
    }
    let status = Command::new("npm")
        .args(["install", "--silent", "--no-save", "--no-audit", "--no-fund", "--prefix"])
        .arg(&prefix)
        .args(["ajv@8", "ajv-formats@3", "quicktype-core@23"])
        .status();
    if status.is_ok_and(|s| s.success()) && prefix.join("node_modules/quicktype-core").is_dir() {
        Some(prefix)
    } else {
        tools::skip(test, &format!("npm could not install ajv, ajv-formats and quicktype-core into {}", prefix.display()));
        None
    }
}

#[test]
fn ajv_and_quicktype_load_every_file_and_agree() {
    let Some(node_modules) = node_modules() else { return };
    for draft in DRAFTS {
        let ours = exported(draft);
        let work = fresh_dir(&format!("node-{draft}"));
        std::fs::create_dir_all(&work).unwrap();
        let script = work.join("check.js");
        std::fs::write(&script, NODE).unwrap();
        let cases: Vec<Value> =
            cases(draft).into_iter().map(|c| json!({"schema": c.schema, "instance": c.instance, "valid": c.valid, "label": c.label})).collect();
        let cases_path = work.join("cases.json");
        std::fs::write(&cases_path, serde_json::to_string(&cases).unwrap()).unwrap();
        let output = Command::new("node")
            .arg(&script)
            .arg(&ours.dir)
            .arg(&cases_path)
            .arg(draft.as_str())
            .env("NODE_PATH", node_modules.join("node_modules"))
            .output()
            .unwrap_or_else(|e| {
                panic!("node could not be run ({e}): this test needs Node.js with ajv, ajv-formats and quicktype-core in target/node, as .ci/run installs")
            });
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {}
            Some(3) => {
                panic!("{}: install them with `npm install --no-save --prefix target/node ajv@8 ajv-formats@3 quicktype-core@23` (CI does)", stdout.trim())
            }
            _ => panic!("draft {draft}: ajv or quicktype disagrees with the export:\n{stdout}\n{stderr}"),
        }
        // Not vacuous: every file compiled, the cases ran, quicktype generated from several files.
        let numbers: Vec<usize> = stdout.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
        let [files, cases_run, generated, problems] = numbers[numbers.len().saturating_sub(4)..] else { panic!("unexpected output: {stdout}") };
        assert_eq!((files, cases_run, problems), (ours.written.len(), cases.len(), 0), "{stdout}");
        assert!(generated >= 5, "quicktype ran on too few files: {stdout}");
    }
}
