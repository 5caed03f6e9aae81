//! Draft 2020-12 to draft 7, for tools that lack 2020-12. Applied to a bundled (self-contained)
//! schema:
//!
//! - `$schema` becomes `http://json-schema.org/draft-07/schema#`;
//! - `$defs` becomes `definitions`, and `$ref` pointers follow;
//! - a `$ref` with siblings becomes `allOf: [{"$ref": ...}]` beside them (draft 7 ignores the
//!   siblings of `$ref`, so a `description` or a `properties` next to it would be lost);
//! - `prefixItems` becomes the array form of `items`, and `items` beside it `additionalItems`;
//! - `dependentRequired` and `dependentSchemas` become `dependencies`;
//! - the canonical schemas' `format`s (`date-time` of timestamps) become `$comment`s: in the
//!   contract they are annotations (dates are checked in code, ambiguous ones only warn), while
//!   draft 7 validators commonly assert `format` (AJV, jsonschema-rs) and would reject what cdpspec
//!   accepts. A plan's `format`s stay: `cdpspec validate --plan` asserts them, as draft 7
//!   validators commonly do ([`annotate_formats`] runs on the canonical resources only);
//! - the annotations `deprecated`, `contentSchema`, `$anchor` and `$dynamicAnchor` are dropped.
//!
//! `unevaluatedProperties`, `unevaluatedItems`, `minContains`, `maxContains`, `$dynamicRef` and
//! `$recursiveRef` have no draft 7 form, and `dependencies`, `additionalItems` and the array form
//! of `items` mean nothing in 2020-12 but would be assertions in draft 7: each is an error.

use serde_json::{Map, Value, json};

use super::ExportError;
use super::walk::{Slot, slot, walk_mut};
use crate::Pointer;

/// The draft 7 meta-schema URI.
pub(crate) const SCHEMA: &str = "http://json-schema.org/draft-07/schema#";

/// Keywords with no draft 7 form, and why.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("unevaluatedProperties", "draft 7 has no `unevaluatedProperties`; list the properties with `additionalProperties: false` in one schema"),
    ("unevaluatedItems", "draft 7 has no `unevaluatedItems`; use `prefixItems` with `items: false`"),
    ("minContains", "draft 7 has no `minContains`"),
    ("maxContains", "draft 7 has no `maxContains`"),
    ("$dynamicRef", "draft 7 has no dynamic references; use `$ref`"),
    ("$recursiveRef", "draft 7 has no dynamic references; use `$ref`"),
    ("$vocabulary", "vocabularies belong to meta-schemas"),
    ("dependencies", "not a 2020-12 keyword (ignored there) but an assertion in draft 7; use `dependentRequired` or `dependentSchemas`"),
    ("additionalItems", "not a 2020-12 keyword without `prefixItems` (ignored there) but an assertion in draft 7; use `prefixItems` and `items`"),
];

/// Annotation keywords of 2019-09 and later that draft 7 lacks: dropped.
const DROPPED: &[&str] = &["deprecated", "contentSchema", "$anchor", "$dynamicAnchor"];

/// `schema` (self-contained, draft 2020-12) as draft 7. `file` names the output in errors.
pub(crate) fn convert(file: &str, schema: &Value) -> Result<Value, ExportError> {
    let mut out = schema.clone();
    // Pass 1, on the 2020-12 structure: refuse what draft 7 cannot say, map `$ref` pointers.
    walk_mut(&mut out, &mut |map: &mut Map<String, Value>, at: &Pointer| {
        let unsupported =
            |keyword: &str, reason: &str| ExportError::Unsupported { file: file.into(), pointer: at.into(), keyword: keyword.into(), reason: reason.into() };
        if let Some((keyword, reason)) = UNSUPPORTED.iter().find(|(k, _)| map.contains_key(*k)) {
            return Err(unsupported(keyword, reason));
        }
        if map.get("items").is_some_and(Value::is_array) {
            return Err(unsupported("items", "the array form of `items` is not 2020-12; use `prefixItems`"));
        }
        if map.contains_key("$defs") && map.contains_key("definitions") {
            return Err(unsupported("definitions", "both `$defs` and `definitions`: draft 7 has only `definitions`; merge them into `$defs`"));
        }
        if let Some(Value::String(reference)) = map.get("$ref") {
            let mapped = reference.strip_prefix('#').and_then(|fragment| map_pointer(schema, fragment));
            let Some(mapped) = mapped else {
                return Err(ExportError::Reference {
                    file: file.into(),
                    pointer: at.into(),
                    reference: reference.clone(),
                    reason: "not a local pointer into the bundled schema".into(),
                });
            };
            map.insert("$ref".into(), Value::String(format!("#{mapped}")));
        }
        Ok(())
    })?;
    // Pass 2: rename and restructure.
    walk_mut(&mut out, &mut |map: &mut Map<String, Value>, at: &Pointer| {
        if at.is_root() {
            map.insert("$schema".into(), Value::String(SCHEMA.into()));
        }
        rewrite(map);
        Ok::<(), ExportError>(())
    })?;
    Ok(out)
}

/// The draft 7 form of one schema object (its subschemas are rewritten by the walk).
fn rewrite(map: &mut Map<String, Value>) {
    if let Some(defs) = map.remove("$defs") {
        map.insert("definitions".into(), defs);
    }
    if let Some(prefix) = map.remove("prefixItems") {
        if let Some(rest) = map.remove("items") {
            map.insert("additionalItems".into(), rest);
        }
        map.insert("items".into(), prefix);
    }
    let mut dependencies = Map::new();
    for keyword in ["dependentRequired", "dependentSchemas"] {
        if let Some(Value::Object(entries)) = map.remove(keyword) {
            for (property, value) in entries {
                match dependencies.remove(&property) {
                    // Both for one property: the schema form says both.
                    Some(Value::Array(names)) => {
                        dependencies.insert(property, json!({"required": names, "allOf": [value]}));
                    }
                    _ => {
                        dependencies.insert(property, value);
                    }
                }
            }
        }
    }
    if !dependencies.is_empty() {
        map.insert("dependencies".into(), Value::Object(dependencies));
    }
    for keyword in DROPPED {
        map.remove(*keyword);
    }
    if map.len() > 1
        && let Some(reference) = map.remove("$ref")
    {
        let wrapped = json!({"$ref": reference});
        match map.get_mut("allOf") {
            Some(Value::Array(all)) => all.push(wrapped),
            _ => {
                map.insert("allOf".into(), Value::Array(vec![wrapped]));
            }
        }
    }
}

/// Turns every `format` of `schema` into a `$comment`, so that draft 7 validators, which
/// commonly assert `format`, keep treating it as the annotation it is in the contract.
pub(crate) fn annotate_formats(schema: &mut Value) {
    let _ = walk_mut(schema, &mut |map: &mut Map<String, Value>, _: &Pointer| {
        if let Some(format) = map.remove("format") {
            let note = format!("format: {} (an annotation in the contract: not asserted; cdpspec checks it in code)", format.as_str().unwrap_or_default());
            let comment = match map.remove("$comment") {
                Some(Value::String(c)) => format!("{c}; {note}"),
                _ => note,
            };
            map.insert("$comment".into(), Value::String(comment));
        }
        Ok::<(), ()>(())
    });
}

/// A JSON Pointer into the 2020-12 `schema`, rewritten for its draft 7 form (`None` if it
/// points at nothing).
fn map_pointer(schema: &Value, pointer: &str) -> Option<String> {
    let mut node = schema;
    let mut kind = Slot::One;
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return None;
    }
    let mut out = Pointer::root();
    for token in cdpspec_plan::pointer::tokens(pointer) {
        match kind {
            Slot::One => {
                let map = node.as_object()?;
                let value = map.get(token.as_ref())?;
                let renamed = match token.as_ref() {
                    "$defs" => "definitions",
                    "prefixItems" => "items",
                    "items" if map.contains_key("prefixItems") => "additionalItems",
                    "dependentSchemas" => "dependencies",
                    other => other,
                };
                out.push(renamed);
                kind = slot(&token, value);
                node = value;
            }
            Slot::Map | Slot::Array | Slot::Data => {
                node = match node {
                    Value::Object(map) => map.get(token.as_ref())?,
                    Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                    _ => return None,
                };
                out.push(&token);
                kind = if kind == Slot::Data { Slot::Data } else { Slot::One };
            }
        }
    }
    Some(out.into())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{annotate_formats, convert};

    #[test]
    fn converts_the_2020_12_forms() {
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://cdpspec.dev/schema/v1/x.schema.json",
            "properties": {
                "a": {"$ref": "#/$defs/a", "description": "A."},
                "t": {"prefixItems": [{"type": "string"}, {"$ref": "#/$defs/a"}], "items": false},
                "d": {"type": "string", "format": "date-time"}
            },
            "dependentRequired": {"a": ["t"]},
            "$defs": {"a": {"type": "object", "$defs": {"b": {"type": "number"}}, "properties": {"b": {"$ref": "#/$defs/a/$defs/b"}}}}
        });
        let out = convert("x.schema.json", &schema).unwrap();
        assert_eq!(out["$schema"], "http://json-schema.org/draft-07/schema#");
        assert_eq!(out["$id"], schema["$id"]);
        assert_eq!(out["properties"]["a"], json!({"description": "A.", "allOf": [{"$ref": "#/definitions/a"}]}));
        assert_eq!(out["properties"]["t"], json!({"items": [{"type": "string"}, {"$ref": "#/definitions/a"}], "additionalItems": false}));
        assert_eq!(out["properties"]["d"]["format"], "date-time", "formats are kept unless annotated");
        assert_eq!(out["dependencies"], json!({"a": ["t"]}));
        assert_eq!(out["definitions"]["a"]["properties"]["b"]["$ref"], "#/definitions/a/definitions/b");
        assert!(out.get("$defs").is_none());
    }

    #[test]
    fn annotates_formats() {
        let mut schema = json!({"properties": {"d": {"type": "string", "format": "date-time"}}});
        annotate_formats(&mut schema);
        assert!(schema["properties"]["d"].get("format").is_none());
        assert!(schema["properties"]["d"]["$comment"].as_str().unwrap().starts_with("format: date-time"));
    }

    #[test]
    fn refuses_what_draft_7_cannot_say() {
        let schema = json!({"properties": {"p": {"type": "object", "unevaluatedProperties": false}}});
        let e = convert("f.json", &schema).unwrap_err().to_string();
        assert!(e.contains("unevaluatedProperties") && e.contains("/properties/p"), "{e}");
    }
}
