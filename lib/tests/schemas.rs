//! The canonical schemas as a published contract: valid draft 2020-12, versioned `$id`s, a
//! description on every field, the six call schemas consistent with each other, and the
//! `message` and `batch` schemas accepting what the seed and the SDKs send.

use std::collections::BTreeSet;

use cdpspec::schema::{BASE_URI, FILES, load};
use jsonschema::{Registry, Resource};
use serde_json::{Value, json};

const CALLS: [&str; 6] = ["identify", "group", "track", "page", "screen", "alias"];

#[test]
fn every_file_in_schema_dir_is_embedded_and_valid_2020_12() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let embedded: BTreeSet<String> = FILES.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(on_disk, embedded);
    for (name, _) in FILES {
        let schema = load(name);
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{name}");
        assert_eq!(schema["$id"], format!("{BASE_URI}{name}"), "{name}");
        assert!(BASE_URI.contains("/v1/"), "ids carry a version");
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{name} is not a valid draft 2020-12 schema: {e}");
        }
        assert!(schema["description"].as_str().is_some_and(|d| d.len() > 20), "{name} needs a description");
    }
}

/// Every property of every object schema, with where it is, following only schema keywords.
fn properties(schema: &Value, at: &str, out: &mut Vec<(String, Value)>) {
    let Value::Object(map) = schema else { return };
    for keyword in ["properties", "$defs"] {
        if let Some(Value::Object(children)) = map.get(keyword) {
            for (key, child) in children {
                if keyword == "properties" {
                    out.push((format!("{at}/properties/{key}"), child.clone()));
                }
                properties(child, &format!("{at}/{keyword}/{key}"), out);
            }
        }
    }
    for keyword in ["items", "additionalProperties"] {
        if let Some(child) = map.get(keyword) {
            properties(child, &format!("{at}/{keyword}"), out);
        }
    }
    for keyword in ["anyOf", "allOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get(keyword) {
            for (i, child) in branches.iter().enumerate() {
                properties(child, &format!("{at}/{keyword}/{i}"), out);
            }
        }
    }
}

/// The description a property shows: its own, or the one of the definition it points to.
fn description(schema: &Value, file: &str) -> Option<String> {
    if let Some(d) = schema["description"].as_str() {
        return Some(d.to_string());
    }
    let reference = schema["$ref"].as_str()?;
    let (target, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if target.is_empty() { file } else { target };
    load(target).pointer(fragment).and_then(|d| d["description"].as_str()).map(String::from)
}

#[test]
fn every_field_has_a_description() {
    for (name, _) in FILES {
        let mut found = Vec::new();
        properties(&load(name), "", &mut found);
        for (at, schema) in found {
            // Properties inside composition branches only restate constraints of described fields.
            if at.contains("/anyOf/") || at.contains("/allOf/") {
                continue;
            }
            assert!(description(&schema, name).is_some_and(|d| !d.is_empty()), "{name}#{at} has no description");
        }
    }
}

#[test]
fn the_six_calls_share_the_common_fields_and_own_type_const() {
    let common: Vec<String> = load("track.schema.json")["properties"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !["event", "properties", "type"].contains(&k.as_str()))
        .cloned()
        .collect();
    for call in CALLS {
        let schema = load(&format!("{call}.schema.json"));
        let props = schema["properties"].as_object().unwrap();
        assert_eq!(props["type"]["const"], call);
        for field in &common {
            assert!(props.contains_key(field), "{call} lacks common field {field}");
        }
        assert!(!schema["required"].as_array().is_some_and(|r| r.contains(&json!("type"))), "{call}: the endpoint may imply type");
    }
    let message = load("message.schema.json");
    let refs: Vec<&str> = message["oneOf"].as_array().unwrap().iter().map(|r| r["$ref"].as_str().unwrap()).collect();
    assert_eq!(refs, CALLS.map(|c| format!("{c}.schema.json")));
}

fn validator(file: &str) -> jsonschema::Validator {
    let resources = FILES.iter().map(|(name, _)| (format!("{BASE_URI}{name}"), Resource::from_contents(load(name))));
    let registry = Registry::new().extend(resources).unwrap().prepare().unwrap();
    jsonschema::options().offline().with_registry(&registry).build(&load(file)).unwrap()
}

#[test]
fn message_and_batch_schemas_accept_the_seed_and_sdk_payloads_alone() {
    let message = validator("message.schema.json");
    let batch = validator("batch.schema.json");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed");
    for call in CALLS {
        let text = std::fs::read_to_string(format!("{dir}/{call}.json")).unwrap();
        // The seed's identify example ends with a trailing comma; its content is otherwise valid.
        let text = text.replace("\"1679407797\",\n}", "\"1679407797\"\n}");
        let mut payload: Value = serde_json::from_str(&text).unwrap();
        payload["type"] = json!(call);
        assert!(message.is_valid(&payload), "{call}: {:?}", message.iter_errors(&payload).map(|e| e.to_string()).collect::<Vec<_>>());
        let mut untyped = payload.clone();
        untyped.as_object_mut().unwrap().remove("type");
        assert!(!message.is_valid(&untyped), "{call}: a message needs its type");
        assert!(validator(&format!("{call}.schema.json")).is_valid(&untyped), "{call}: the call schema lets the endpoint imply the type");
    }
    let python: Value =
        serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/python-batch.json")).unwrap()).unwrap();
    assert!(batch.is_valid(&python));
    assert!(!batch.is_valid(&json!({"batch": [{"type": "track", "userId": "u1"}]})), "track without event");
    assert!(!message.is_valid(&json!({"type": "identify", "userId": "u1", "anonymousId": "a1", "traits": {"email": 3}})));
    assert!(message.is_valid(&json!({"type": "identify", "userId": "u1", "anonymousId": "a1"})), "both ids are allowed");
}

#[test]
fn the_code_checks_are_documented_beside_the_schemas() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/README.md")).unwrap();
    for rule in [
        "call-too-large",
        "batch-too-large",
        "batch-too-many-calls",
        "message-id-too-long",
        "invalid-timestamp",
        "timestamp-not-rfc3339",
        "reserved-type",
        "empty-identifier",
    ] {
        let rule = cdpspec::Rule::find(rule).expect("a rule");
        assert!(doc.contains(&format!("`{}` {}", rule.name(), rule.code())), "schema/README.md does not document {rule:?}");
    }
}

/// The types this crate compiles (`src/model/calls.rs` includes the reviewed golden file) are
/// what the generator makes of `schema/` now.
#[test]
fn the_types_this_crate_compiles_are_the_reviewed_golden_file() {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
    let built = cdpspec_codegen::Generator::new()
        .add_dir(schema)
        .map(|g| g.add_root("common.schema.json#/$defs/callType"))
        .and_then(|g| g.generate())
        .unwrap_or_else(|e| panic!("cannot generate types from schema/: {e}"));
    let golden = include_str!("../../codegen/tests/generated/calls.rs");
    assert!(built == golden, "codegen/tests/generated/calls.rs is stale: run `CDPSPEC_BLESS=1 cargo test -p cdpspec-codegen`");
}
