//! The validator generator on small schemas, its refusals, and the golden file of the
//! canonical validators (`tests/generated/validator.rs`, refreshed with `CDPSPEC_BLESS=1`),
//! which the library (`lib/`) compiles as it is (its `lib/tests/differential.rs` regenerates and compares).

use super::Generator;
use crate::ErrorKind;
use serde_json::json;
use std::path::Path;

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema");
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/generated/validator.rs");

/// The same settings as the library's `lib/tests/differential.rs`.
fn canonical() -> String {
    let mut generator = Generator::new().add_dir(SCHEMA_DIR).unwrap_or_else(|e| panic!("{e}"));
    generator = generator
        .add_relaxed_copy("batch.schema.json", "https://cdpspec.dev/schema/v1/batch-envelope.schema.json", "/properties/batch/items")
        .unwrap_or_else(|e| panic!("{e}"));
    for call in ["identify", "group", "track", "page", "screen", "alias", "message", "batch"] {
        generator = generator.add_root(call, &format!("{call}.schema.json"));
    }
    generator.add_root("batch_envelope", "batch-envelope.schema.json").generate().unwrap_or_else(|e| panic!("{e}"))
}

fn generate(schema: serde_json::Value) -> Result<String, crate::Error> {
    Generator::new().add_schema("test.json", schema)?.add_root("check", "test.json").generate()
}

#[test]
fn golden_file_is_current() {
    let code = canonical();
    syn::parse_file(&code).expect("generated code parses");
    if std::env::var_os("CDPSPEC_BLESS").is_some() {
        std::fs::write(GOLDEN, &code).unwrap();
    }
    let current = std::fs::read_to_string(Path::new(GOLDEN)).unwrap_or_default();
    assert!(current == code, "tests/generated/validator.rs is stale; rerun with CDPSPEC_BLESS=1");
}

#[test]
fn is_deterministic() {
    assert_eq!(canonical(), canonical());
}

#[test]
fn emits_each_keyword() {
    let code = generate(json!({
        "type": "object",
        "properties": {
            "kind": {"const": "a"},
            "name": {"type": "string", "pattern": "\\S", "minLength": 2},
            "tags": {"type": ["array", "null"], "items": {"enum": ["x", "y"]}},
            "count": {"type": "integer"},
            "either": {"oneOf": [{"type": "string"}, {"type": "number"}]}
        },
        "required": ["kind", "extra"],
        "additionalProperties": {"type": ["boolean", "integer"]},
        "anyOf": [{"required": ["name"]}, {"required": ["tags"]}]
    }))
    .unwrap();
    for expected in [
        "pub fn check<V: Json>(value: V) -> bool",
        "v.as_str() == Some(\"a\")",
        "v.as_str().is_none_or(non_blank)",
        "'\\u{feff}'",
        "s.chars().count() >= 2",
        "matches!(v.as_str(), Some(\"x\" | \"y\"))",
        "v.kind() == Kind::Number && v.is_integer()",
        "Kind::Bool => true,",
        ".count() == 1",
        "seen == 3",
        "v.elements().all(",
    ] {
        assert!(code.contains(expected), "missing `{expected}` in:\n{code}");
    }
}

#[test]
fn bare_refs_and_annotations_get_no_function() {
    let code = generate(json!({
        "$defs": {"id": {"type": "string", "description": "an id", "format": "uuid"}, "alias": {"$ref": "#/$defs/id"}},
        "properties": {"a": {"$ref": "#/$defs/alias"}, "b": {"description": "anything"}}
    }))
    .unwrap();
    assert_eq!(code.matches("fn ").count(), 3, "{code}"); // the root, the schema, `id`
    assert!(code.contains("\"a\" => test_defs_id(&value)"), "{code}");
}

#[test]
fn recursive_schemas_compile() {
    let code = generate(json!({"type": "object", "properties": {"child": {"$ref": "#"}}})).unwrap();
    assert!(code.contains("\"child\" => test_schema(&value)"), "{code}");
}

#[test]
fn refuses_what_it_does_not_implement() {
    for (schema, pointer) in [
        (json!({"minimum": 1}), "/minimum"),
        (json!({"properties": {"a": {"pattern": "^a+$"}}}), "/properties/a/pattern"),
        (json!({"const": 1}), "/const"),
        (json!({"type": "text"}), "/type"),
        (json!({"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}), "/$defs/a"),
    ] {
        let error = generate(schema.clone()).expect_err(&schema.to_string());
        assert_eq!(error.kind(), ErrorKind::Unsupported, "{error}");
        assert_eq!(error.pointer(), pointer, "{error}");
    }
    let error = Generator::new().add_schema("t.json", json!({})).unwrap().add_root("check", "nope.json").generate().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::UnresolvableRef);
    let error = Generator::new().add_schema("t.json", json!({})).unwrap().add_root("fn", "t.json").generate().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidName);
}

#[test]
fn relaxed_copies_accept_anything_at_the_pointer() {
    let code = Generator::new()
        .add_schema("http://x/b.json", json!({"$id": "http://x/b.json", "properties": {"items": {"type": "array", "items": {"type": "string"}}}}))
        .and_then(|g| g.add_relaxed_copy("b.json", "http://x/e.json", "/properties/items/items"))
        .map(|g| g.add_root("envelope", "http://x/e.json"))
        .and_then(|g| g.generate())
        .unwrap();
    assert!(!code.contains("Kind::String"), "{code}");
    assert!(code.contains("Kind::Array"), "{code}");
}
