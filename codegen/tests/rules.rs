//! One small inline schema per mapping rule, checking the generated source
//! (whitespace-insensitively) or the error.

use cdpspec_codegen::{Error, ErrorKind, Generator};
use serde_json::{Value, json};

fn generate(schemas: &[(&str, Value)]) -> Result<String, Error> {
    let mut generator = Generator::new();
    for (name, schema) in schemas {
        generator = generator.add_schema(name, schema.clone())?;
    }
    generator.generate()
}

fn one(schema: Value) -> String {
    generate(&[("test.json", schema)]).unwrap_or_else(|e| panic!("{e}"))
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect()
}

#[track_caller]
fn assert_has(code: &str, needle: &str) {
    assert!(squash(code).contains(&squash(needle)), "missing `{needle}` in:\n{code}");
}

#[track_caller]
fn assert_lacks(code: &str, needle: &str) {
    assert!(!squash(code).contains(&squash(needle)), "unexpected `{needle}` in:\n{code}");
}

fn object(title: &str, properties: Value) -> Value {
    json!({"$id": "https://x.dev/test.json", "title": title, "type": "object", "properties": properties})
}

#[test]
fn primitives() {
    let code = one(object(
        "Prims",
        json!({
            "s": {"type": "string", "format": "date-time", "minLength": 1},
            "b": {"type": "boolean"},
            "n": {"type": "number"},
            "i": {"type": "integer"},
            "o": {"type": "object"},
            "a": {"type": "array"},
            "t": {"type": "array", "items": {"type": "string"}},
            "any": {"description": "Anything."},
            "nil": {"type": "null"}
        }),
    ));
    assert_has(&code, "pub s: Option<String>,");
    assert_has(&code, "pub b: Option<bool>,");
    assert_has(&code, "pub n: Option<::serde_json::Number>,");
    assert_has(&code, "pub i: Option<i64>,");
    assert_has(&code, "pub o: Option<::serde_json::Map<String, ::serde_json::Value>>,");
    assert_has(&code, "pub a: Option<Vec<::serde_json::Value>>,");
    assert_has(&code, "pub t: Option<Vec<String>>,");
    // Value and () accept null themselves, so absent and null stay apart.
    assert_has(&code, r#"deserialize_with = "double_option::deserialize")] pub any: Option<::serde_json::Value>,"#);
    assert_has(&code, r#"deserialize_with = "double_option::deserialize")] pub nil: Option<()>,"#);
    // Every field is optional, so the struct has a Default.
    assert_has(&code, "#[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)] pub struct Prims");
}

#[test]
fn required_and_nullable() {
    let mut schema = object(
        "Call",
        json!({
            "req": {"type": "string"},
            "reqNull": {"type": ["string", "null"]},
            "opt": {"type": "number"},
            "optNull": {"anyOf": [{"type": "null"}, {"type": "string"}]},
            "num": {"type": "number"}
        }),
    );
    schema["required"] = json!(["req", "reqNull", "num", "notAProperty"]);
    let code = one(schema);
    assert_has(&code, "pub req: String,");
    assert_has(&code, r#"#[serde(rename = "reqNull")] pub req_null: Option<String>,"#);
    assert_has(&code, r#"#[serde(default, skip_serializing_if = "Option::is_none")] pub opt: Option<::serde_json::Number>,"#);
    assert_has(
        &code,
        r#"#[serde(rename = "optNull", default, skip_serializing_if = "Option::is_none",
            deserialize_with = "double_option::deserialize")] pub opt_null: Option<Option<String>>,"#,
    );
    assert_has(&code, "pub num: ::serde_json::Number,");
    assert_has(&code, "mod double_option {");
    // A required Number has no Default.
    assert_lacks(&code, "Default");
}

#[test]
fn field_names_and_docs() {
    let schema = json!({
        "$id": "https://x.dev/test.json",
        "title": "Names",
        "type": "object",
        "properties": {
            "anonymousId": {"$ref": "#/$defs/id"},
            "_metadata": {"$ref": "#/$defs/id", "description": "Sibling description wins."},
            "All": {"type": "boolean"},
            "type": {"type": "string"},
            "cio_subscription_preferences": {"type": "object"}
        },
        "$defs": {"id": {"description": "An id.", "type": "string"}}
    });
    let code = one(schema);
    assert_has(&code, r#"/// An id. #[serde(rename = "anonymousId", default, skip_serializing_if = "Option::is_none")] pub anonymous_id: Option<String>,"#);
    assert_has(&code, r#"/// Sibling description wins. #[serde(rename = "_metadata","#);
    assert_has(&code, r#"#[serde(rename = "All","#);
    assert_has(&code, "pub r#type: Option<String>,");
    assert_lacks(&code, r#"rename = "type""#);
    assert_has(&code, "pub cio_subscription_preferences:");
}

#[test]
fn refs_to_nullable_wrappers_resolve_to_the_underlying_type() {
    let common = json!({
        "$id": "https://x.dev/common.json",
        "$defs": {
            "id": {"title": "Id", "type": ["string", "number"]},
            "userId": {"description": "A user.", "anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]}
        }
    });
    let mut call = object("Call", json!({"userId": {"$ref": "common.json#/$defs/userId"}, "groupId": {"$ref": "common.json#/$defs/id"}}));
    call["$id"] = json!("https://x.dev/call.json");
    call["required"] = json!(["userId", "groupId"]);
    let code = generate(&[("common.json", common), ("call.json", call)]).unwrap();
    assert_has(&code, r#"/// A user. #[serde(rename = "userId")] pub user_id: Option<Id>,"#);
    assert_has(&code, r#"#[serde(rename = "groupId")] pub group_id: Id,"#);
    assert_lacks(&code, "UserId");
    // common.json has no title and no type: it generates nothing itself.
    assert_lacks(&code, "pub struct Common");
}

#[test]
fn string_enum_has_display_fromstr_and_as_str() {
    let code = one(object(
        "Call",
        json!({
            "kind": {"title": "CallType", "type": "string", "enum": ["identify", "page-view"]},
            "fixed": {"const": "always"}
        }),
    ));
    assert_has(&code, "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)] pub enum CallType");
    assert_has(&code, r#"#[serde(rename = "page-view")] PageView,"#);
    assert_has(&code, "pub const ALL: &'static [Self] = &[Self::Identify, Self::PageView];");
    assert_has(&code, r#"pub fn as_str(&self) -> &'static str { match self { Self::Identify => "identify", Self::PageView => "page-view", } }"#);
    assert_has(&code, "impl ::std::fmt::Display for CallType");
    assert_has(&code, "impl ::std::str::FromStr for CallType { type Err = String;");
    // A const outside a tagged union is a one-value enum.
    assert_has(&code, r#"pub enum CallFixed { /// `"always"` #[serde(rename = "always")] Always, }"#);
    assert_has(&code, "pub fixed: Option<CallFixed>,");
}

#[test]
fn multi_type_is_an_untagged_enum_in_matching_order() {
    let code = one(object("Call", json!({"v": {"type": ["object", "string", "null", "array", "integer", "boolean", "number"]}})));
    assert_has(
        &code,
        "#[serde(untagged)] #[allow(clippy::large_enum_variant)] pub enum CallV {
            /// A JSON bool. Bool(bool),
            /// A JSON integer. Integer(i64),
            /// A JSON number. Number(::serde_json::Number),
            /// A JSON string. String(String),
            /// A JSON array. Array(Vec<::serde_json::Value>),
            /// A JSON object. Object(::serde_json::Map<String, ::serde_json::Value>),
        }",
    );
    assert_has(&code, "pub v: Option<Option<CallV>>,");
    for from in ["bool", "i64", "::serde_json::Number", "String", "&str", "Vec<::serde_json::Value>"] {
        assert_has(&code, &format!("impl ::std::convert::From<{from}> for CallV"));
    }
}

#[test]
fn anyof_of_named_types_is_an_untagged_enum() {
    let schema = json!({
        "$id": "https://x.dev/test.json",
        "title": "Holder",
        "type": "object",
        "properties": {"either": {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "string"}]}},
        "$defs": {"a": {"type": "object", "properties": {"x": {"type": "string"}}}}
    });
    let code = one(schema);
    assert_has(&code, "pub enum HolderEither { /// A JSON string. String(String), /// A [`A`]. A(A), }");
    assert_has(&code, "pub struct A {");
}

#[test]
fn tagged_union_skips_the_discriminator() {
    let member = |title: &str, tag: &str| {
        json!({
            "$id": format!("https://x.dev/{tag}.json"),
            "title": title,
            "type": "object",
            "properties": {"type": {"const": tag}, "name": {"type": "string"}},
            "allOf": [{"$ref": "common.json#/$defs/identified"}]
        })
    };
    let union = json!({
        "$id": "https://x.dev/message.json",
        "title": "Message",
        "type": "object",
        "required": ["type"],
        "properties": {"type": {"type": "string"}},
        "oneOf": [{"$ref": "first.json"}, {"$ref": "second.json"}]
    });
    let common = json!({"$id": "https://x.dev/common.json", "$defs": {"identified": {"required": ["name"]}}});
    // The union file sorts between the members: the struct converted first
    // must still lose its tag.
    let code =
        generate(&[("first.json", member("First", "first")), ("message.json", union), ("second.json", member("Second", "second")), ("common.json", common)])
            .unwrap();
    assert_has(
        &code,
        r#"#[serde(tag = "type")] #[allow(clippy::large_enum_variant)] pub enum Message {
            /// `"type": "first"` #[serde(rename = "first")] First(First),
            /// `"type": "second"` #[serde(rename = "second")] Second(Second),
        }"#,
    );
    assert_lacks(&code, "r#type");
    assert_lacks(&code, "FirstType");
    assert_has(
        &code,
        r#"impl ::std::convert::From<First> for Message { fn from(mut value: First) -> Self { value.extra.remove("type"); Self::First(value) } }"#,
    );
}

#[test]
fn additional_properties() {
    let schema = json!({
        "$id": "https://x.dev/test.json",
        "title": "Holder",
        "type": "object",
        "properties": {
            "open": {"type": "object", "properties": {"a": {"type": "string"}}},
            "closed": {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
            "typed": {"type": "object", "properties": {"All": {"type": "boolean"}}, "additionalProperties": {"$ref": "#/$defs/setting"}},
            "map": {"type": "object", "additionalProperties": {"type": "integer"}},
            "patterned": {"type": "object", "properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": {"type": "string"}}
        },
        "$defs": {"setting": {"title": "Setting", "type": ["boolean", "object", "null"]}}
    });
    let code = one(schema);
    let open = "#[serde(flatten)] pub extra: ::serde_json::Map<String, ::serde_json::Value>, }";
    assert_has(
        &code,
        &format!(
            "pub struct HolderOpen {{ /// The `a` key. #[serde(default, skip_serializing_if = \"Option::is_none\")] pub a: Option<String>, /// Keys the schema does not list, kept so that they round-trip. {open}"
        ),
    );
    assert_has(&code, "pub struct HolderClosed { /// The `a` key. #[serde(default, skip_serializing_if = \"Option::is_none\")] pub a: Option<String>, }");
    assert_has(&code, "#[serde(flatten)] pub extra: ::std::collections::BTreeMap<String, Option<Setting>>, }");
    assert_has(&code, "pub map: Option<::std::collections::BTreeMap<String, i64>>,");
    assert_has(
        &code,
        &format!(
            "pub struct HolderPatterned {{ /// The `a` key. #[serde(default, skip_serializing_if = \"Option::is_none\")] pub a: Option<String>, /// Keys the schema does not list, kept so that they round-trip. {open}"
        ),
    );
}

#[test]
fn inline_names_and_recursion() {
    let schema = json!({
        "$id": "https://x.dev/tree.json",
        "title": "Node",
        "type": "object",
        "required": ["next"],
        "properties": {
            "next": {"anyOf": [{"$ref": "#"}, {"type": "null"}]},
            "children": {"type": "array", "items": {"$ref": "#"}},
            "meta": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "object", "properties": {"k": {"type": "string"}}}}}}
        }
    });
    let code = one(schema);
    assert_has(&code, "pub next: Option<::std::boxed::Box<Node>>,");
    assert_has(&code, "pub children: Option<Vec<Node>>,");
    assert_has(&code, "pub struct NodeMeta {");
    assert_has(&code, "pub tags: Option<Vec<NodeMetaTagsItem>>,");
    assert_has(&code, "pub struct NodeMetaTagsItem {");
}

#[test]
fn add_root_generates_an_unreferenced_def() {
    let common = json!({
        "$id": "https://x.dev/common.json",
        "$defs": {"callType": {"title": "CallType", "enum": ["a", "b"]}, "plain": {"type": "string"}}
    });
    let code = Generator::new().add_schema("common.json", common.clone()).unwrap().add_root("common.json#/$defs/callType").generate().unwrap();
    assert_has(&code, "pub enum CallType {");
    let err = Generator::new().add_schema("common.json", common).unwrap().add_root("https://x.dev/common.json#/$defs/plain").generate().unwrap_err();
    assert_eq!((err.kind(), err.file(), err.pointer()), (ErrorKind::Unsupported, "common.json", "/$defs/plain"));
}

#[test]
fn unresolvable_ref_names_file_and_pointer() {
    let schema = object("Call", json!({"userId": {"$ref": "common.json#/$defs/userId"}}));
    let err = generate(&[("call.schema.json", schema)]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnresolvableRef);
    assert_eq!(err.file(), "call.schema.json");
    assert_eq!(err.pointer(), "/properties/userId/$ref");
    assert_eq!(
        err.to_string(),
        "call.schema.json#/properties/userId/$ref: unresolvable $ref `common.json#/$defs/userId`: \
         no schema has `$id` `https://x.dev/common.json`"
    );
    let schema = object("Call", json!({"userId": {"$ref": "#/$defs/missing"}}));
    let err = generate(&[("call.schema.json", schema)]).unwrap_err();
    assert!(err.to_string().contains("nothing at JSON pointer `/$defs/missing`"), "{err}");
}

#[test]
fn type_name_collision_is_an_error() {
    let schema = json!({
        "$id": "https://x.dev/test.json",
        "title": "Holder",
        "type": "object",
        "properties": {"a": {"$ref": "#/$defs/a"}, "b": {"$ref": "#/$defs/b"}},
        "$defs": {
            "a": {"title": "Thing", "type": "object", "properties": {"x": {"type": "string"}}},
            "b": {"title": "Thing", "type": "object", "properties": {"y": {"type": "string"}}}
        }
    });
    let err = generate(&[("test.json", schema)]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NameCollision);
    assert_eq!(err.pointer(), "/$defs/b");
    assert!(err.message().contains("type name `Thing` is also wanted by test.json#/$defs/a"), "{err}");
}

#[test]
fn field_name_collision_is_an_error() {
    let err = generate(&[("t.json", object("T", json!({"firstName": {}, "first_name": {}})))]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NameCollision);
    assert_eq!(err.pointer(), "/properties/first_name");
    assert!(err.message().contains("keys `firstName` and `first_name` both become field `first_name`"), "{err}");
    let err = generate(&[("t.json", object("T", json!({"extra": {}})))]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NameCollision);
}

#[test]
fn unknown_type_is_an_error() {
    let err = generate(&[("t.json", object("T", json!({"when": {"type": "date"}})))]).unwrap_err();
    assert_eq!((err.kind(), err.pointer()), (ErrorKind::Unsupported, "/properties/when/type"));
    assert!(err.to_string().starts_with("t.json#/properties/when/type: unknown `type` value \"date\""), "{err}");
}

#[test]
fn reserved_and_empty_names_are_errors() {
    let err = generate(&[("t.json", object("String", json!({"a": {}})))]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidName);
    let err = generate(&[("t.json", object("T", json!({"é": {}})))]).unwrap_err();
    assert_eq!((err.kind(), err.pointer()), (ErrorKind::InvalidName, "/properties/é"));
}

#[test]
fn odd_schemas_return_errors_instead_of_panicking() {
    let odd = [
        json!({"type": 5}),
        json!({"type": []}),
        json!({"properties": []}),
        json!({"type": "array", "items": [{"type": "string"}]}),
        json!({"$ref": 3}),
        json!({"$ref": "#/$defs/loop", "$defs": {"loop": {"$ref": "#/$defs/loop"}}}),
        json!({"$dynamicRef": "#x"}),
        json!({"enum": []}),
        json!({"enum": [1, "a"]}),
        json!({"oneOf": [{"$ref": "#/nowhere"}]}),
        json!({"additionalProperties": 3}),
        json!(7),
        json!(false),
    ];
    for (i, schema) in odd.into_iter().enumerate() {
        let wrapped = object("T", json!({"f": schema}));
        let result = generate(&[("t.json", wrapped)]);
        if let Err(e) = &result {
            assert!(!e.to_string().is_empty());
        }
        // A bare odd document must not panic either.
        let _ = generate(&[("odd.json", json!({"title": format!("Odd{i}"), "oneOf": [schema]}))]);
    }
    let err = generate(&[("t.json", json!([1]))]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported);
    let err = generate(&[("a.json", json!({"$id": "x"})), ("b.json", json!({"$id": "x"}))]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateId);
}

#[test]
fn add_dir_reports_missing_dir_and_bad_json() {
    let err = Generator::new().add_dir("/nonexistent/schema/dir").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(std::error::Error::source(&err).is_some());
    let scratch = tempfile::Builder::new().prefix("cdpspec-codegen-test-").tempdir().unwrap();
    let dir = scratch.path();
    std::fs::write(dir.join("bad.json"), "{").unwrap();
    let err = Generator::new().add_dir(dir).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Json);
    assert!(err.file().ends_with("bad.json"));
}
