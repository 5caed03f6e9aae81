//! Plan schemas as the generator sees them: the keywords that hold subschemas, and a mirror of what `cdpspec::event::section_schema` does to a derived schema (rules 2 to 5
//! of its documentation), so that the generator refuses what would not come back unchanged.

use cdpspec_plan::Pointer;
use serde_json::{Map, Value};

/// `format`s that `section_schema` drops: schemars gives them to numbers, and they are not JSON
/// Schema formats.
pub(super) const NUMERIC_FORMATS: [&str; 14] =
    ["int8", "int16", "int32", "int64", "int128", "int", "uint8", "uint16", "uint32", "uint64", "uint128", "uint", "float", "double"];

/// Keywords a plan schema cannot use: derived schemas inline every reference and have no
/// `$defs`, and `x-cdpspec-nullable` is `section_schema`'s private marker.
const FORBIDDEN: [&str; 12] = [
    "$ref",
    "$dynamicRef",
    "$recursiveRef",
    "$defs",
    "definitions",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$schema",
    "$vocabulary",
    "x-cdpspec-nullable",
];

/// The subschemas of `obj`, with the pointer suffix of each.
fn subschemas(obj: &Map<String, Value>) -> Vec<(Vec<String>, &Value)> {
    let mut out = Vec::new();
    for (key, value) in obj {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                if let Value::Object(map) = value {
                    out.extend(map.iter().map(|(k, v)| (vec![key.clone(), k.clone()], v)));
                }
            }
            "prefixItems" | "allOf" | "anyOf" | "oneOf" => {
                if let Value::Array(items) = value {
                    out.extend(items.iter().enumerate().map(|(i, v)| (vec![key.clone(), i.to_string()], v)));
                }
            }
            "items" | "additionalProperties" | "unevaluatedProperties" | "unevaluatedItems" | "contains" | "propertyNames" | "not" | "if" | "then" | "else" => {
                out.push((vec![key.clone()], value))
            }
            _ => {}
        }
    }
    out
}

/// The first use, in `schema` and its subschemas, of a keyword the generator cannot reproduce:
/// (pointer, message).
pub(super) fn unsupported(schema: &Value, pointer: &Pointer) -> Option<(Pointer, String)> {
    let Value::Object(obj) = schema else { return None };
    for key in FORBIDDEN {
        if obj.contains_key(key) {
            let why = match key {
                "$schema" => "a section schema is compiled as draft 2020-12 and derived schemas carry no `$schema`",
                "x-cdpspec-nullable" => "it is the private marker of `cdpspec::event::nullable`",
                _ => "derived schemas inline every subschema: write the referenced schema in place",
            };
            return Some((pointer.join(key), format!("`{key}` cannot be generated: {why}")));
        }
    }
    if let Some(Value::String(format)) = obj.get("format")
        && NUMERIC_FORMATS.contains(&format.as_str())
    {
        let message = format!("`format: {format}` is not a JSON Schema format (derived schemas drop it); remove it, or use `minimum`/`maximum`");
        return Some((pointer.join("format"), message));
    }
    for (path, sub) in subschemas(obj) {
        let mut at = pointer.clone();
        at.extend(&path);
        if let Some(found) = unsupported(sub, &at) {
            return Some(found);
        }
    }
    None
}

/// Whether a schema lets `null` through in a way `section_schema` removes from optional
/// properties: `"null"` in a `type` list (or a one-element `type` list, which it rewrites), `null`
/// in `enum`, or a `{"type": "null"}` branch of `anyOf`/`oneOf`.
pub(super) fn strips_null(schema: &Value) -> bool {
    let Value::Object(obj) = schema else { return false };
    let types = matches!(obj.get("type"), Some(Value::Array(t)) if t.len() == 1 || t.iter().any(|t| t == "null"));
    let values = matches!(obj.get("enum"), Some(Value::Array(v)) if v.iter().any(Value::is_null));
    let branches = ["anyOf", "oneOf"].iter().any(|k| matches!(obj.get(*k), Some(Value::Array(b)) if b.iter().any(is_null_schema)));
    types || values || branches
}

/// `{"type": "null"}`, as `section_schema` recognizes a null branch.
fn is_null_schema(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| o.len() == 1 && o.get("type").is_some_and(|t| t == "null"))
}

/// Checks that a schema copied verbatim into a derived schema survives `section_schema`: no
/// optional property anywhere in it may [`strip_null`](strips_null). Returns (pointer, message)
/// of the first one that would.
pub(super) fn survives(schema: &Value, pointer: &Pointer) -> Option<(Pointer, String)> {
    let Value::Object(obj) = schema else { return None };
    if let Some(Value::Object(properties)) = obj.get("properties") {
        let required: Vec<&str> = match obj.get("required") {
            Some(Value::Array(r)) => r.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for (key, property) in properties {
            if !required.contains(&key.as_str()) && strips_null(property) {
                let at = pointer.join("properties").join(key);
                let message = "this optional property allows `null` (or writes `type` as a one-element list) inside a schema the generator copies as it is, \
                               and derived schemas drop `null` from optional properties; make the enclosing object a plain `type: object` with `properties`, \
                               or write `type` as a string";
                return Some((at, message.to_owned()));
            }
        }
    }
    for (path, sub) in subschemas(obj) {
        let mut at = pointer.clone();
        at.extend(&path);
        if let Some(found) = survives(sub, &at) {
            return Some(found);
        }
    }
    None
}

/// Keys whose presence makes schemars wrap a type's schema in `anyOf [schema, null]` (or rewrite
/// `const`) when the type is put in an `Option`: such a type cannot be an optional or nullable
/// field by derive alone.
pub(super) const OPTION_UNSAFE: [&str; 7] = ["if", "allOf", "anyOf", "oneOf", "$ref", "const", "enum"];

/// Whether `description` comes back unchanged from a doc comment (schemars trims it and reads a
/// leading `#` line as a title).
pub(super) fn doc_safe(description: &str) -> bool {
    !description.is_empty() && description.trim_ascii() == description && !description.starts_with('#') && !description.contains('\r')
}
