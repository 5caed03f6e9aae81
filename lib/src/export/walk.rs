//! Where subschemas live: the slot of each keyword in drafts 2020-12 and 7 (from
//! [`cdpspec_plan::keywords`]), a pre-order walk over every subschema of a document.

use cdpspec_plan::keywords;
use serde_json::{Map, Value};

use crate::Pointer;

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
        k if keywords::SUBSCHEMA.contains(&k) => Slot::One,
        k if keywords::SUBSCHEMA_MAP.contains(&k) => Slot::Map,
        k if keywords::SUBSCHEMA_LIST.contains(&k) => Slot::Array,
        _ => Slot::Data,
    }
}

/// Calls `f` on every schema object of `schema` (the root first, then its subschemas in key
/// order), with the JSON Pointer of each. Boolean schemas are skipped; `f` may edit the object
/// it is given, and the walk then descends into the edited object.
pub(crate) fn walk_mut<E>(schema: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>, &Pointer) -> Result<(), E>) -> Result<(), E> {
    walk_at(schema, &mut Pointer::root(), f)
}

/// The walk below `schema`, found at `at`; `at` is as it was when this returns `Ok`.
fn walk_at<E>(schema: &mut Value, at: &mut Pointer, f: &mut impl FnMut(&mut Map<String, Value>, &Pointer) -> Result<(), E>) -> Result<(), E> {
    let Value::Object(map) = schema else { return Ok(()) };
    f(map, at)?;
    for (keyword, value) in map.iter_mut() {
        at.push(keyword);
        match slot(keyword, value) {
            Slot::One => walk_at(value, at, f)?,
            Slot::Map => {
                if let Value::Object(children) = value {
                    for (name, child) in children.iter_mut() {
                        at.push(name);
                        // `dependencies` also holds arrays of names: only objects are schemas.
                        walk_at(child, at, f)?;
                        at.pop();
                    }
                }
            }
            Slot::Array => {
                if let Value::Array(items) = value {
                    for (i, child) in items.iter_mut().enumerate() {
                        at.push_index(i);
                        walk_at(child, at, f)?;
                        at.pop();
                    }
                }
            }
            Slot::Data => {}
        }
        at.pop();
    }
    Ok(())
}
