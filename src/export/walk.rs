//! Where subschemas live: the keyword tables of drafts 2020-12 and 7, a pre-order walk over every
//! subschema of a document, and JSON Pointer helpers.

use serde_json::{Map, Value};

/// Keywords whose value is an object of subschemas.
pub(crate) const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];
/// Keywords whose value is one subschema.
pub(crate) const SCHEMA_ONE: &[&str] = &[
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
    "additionalItems",
    "contentSchema",
];
/// Keywords whose value is an array of subschemas.
pub(crate) const SCHEMA_ARRAYS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// What the value under a keyword of a schema object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// One subschema.
    One,
    /// An object of subschemas, by name.
    Map,
    /// An array of subschemas.
    Array,
    /// Data (`const`, `enum`, `required`, annotations, unknown keywords).
    Data,
}

/// The kind of value `keyword` holds in a schema object (`items` is one schema, or an array of
/// them in draft 7; `dependencies` is a map whose schema values are subschemas).
pub(crate) fn slot(keyword: &str, value: &Value) -> Slot {
    match keyword {
        "items" if value.is_array() => Slot::Array,
        "items" => Slot::One,
        "dependencies" => Slot::Map,
        k if SCHEMA_ONE.contains(&k) => Slot::One,
        k if SCHEMA_MAPS.contains(&k) => Slot::Map,
        k if SCHEMA_ARRAYS.contains(&k) => Slot::Array,
        _ => Slot::Data,
    }
}

/// Calls `f` on every schema object of `schema` (the root first, then its subschemas in key
/// order), with the JSON Pointer of each. Boolean schemas are skipped; `f` may edit the object
/// it is given, and the walk then descends into the edited object.
pub(crate) fn walk_mut<E>(schema: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>, &str) -> Result<(), E>) -> Result<(), E> {
    walk_at(schema, &mut String::new(), f)
}

fn walk_at<E>(schema: &mut Value, at: &mut String, f: &mut impl FnMut(&mut Map<String, Value>, &str) -> Result<(), E>) -> Result<(), E> {
    let Value::Object(map) = schema else { return Ok(()) };
    f(map, at)?;
    let len = at.len();
    for (keyword, value) in map.iter_mut() {
        push(at, keyword);
        match slot(keyword, value) {
            Slot::One => walk_at(value, at, f)?,
            Slot::Map => {
                if let Value::Object(children) = value {
                    let inner = at.len();
                    for (name, child) in children.iter_mut() {
                        push(at, name);
                        // `dependencies` also holds arrays of names: only objects are schemas.
                        walk_at(child, at, f)?;
                        at.truncate(inner);
                    }
                }
            }
            Slot::Array => {
                if let Value::Array(items) = value {
                    let inner = at.len();
                    for (i, child) in items.iter_mut().enumerate() {
                        push(at, &i.to_string());
                        walk_at(child, at, f)?;
                        at.truncate(inner);
                    }
                }
            }
            Slot::Data => {}
        }
        at.truncate(len);
    }
    Ok(())
}

/// Appends one escaped reference token to a JSON Pointer.
pub(crate) fn push(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&escape(token));
}

/// A reference token escaped for a JSON Pointer (RFC 6901).
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The reference tokens of a JSON Pointer (`""` has none), unescaped; `None` if it is not one.
pub(crate) fn tokens(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect())
}
