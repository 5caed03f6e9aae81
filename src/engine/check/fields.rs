//! Top-level keys that are misspellings of the call's own fields (`user_id`, `anonymous_id`,
//! `Event`): destinations ignore them, so the value silently goes missing.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use crate::CallType;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::rule::Rule;
use crate::schema;
use crate::suggest::fold;

/// For each call type, its fields keyed by their folded spelling.
static FIELDS: LazyLock<Vec<HashMap<String, String>>> = LazyLock::new(|| {
    CallType::ALL
        .iter()
        .map(|t| {
            let schema = schema::load(&format!("{}.schema.json", t.as_str()));
            schema["properties"].as_object().map(|p| p.keys().map(|k| (fold(k), k.clone())).collect()).unwrap_or_default()
        })
        .collect()
});

pub(super) fn check(map: &Map<String, Value>, pointer: &Pointer, call: CallType, out: &mut Vec<Finding>) {
    let fields = &FIELDS[call as usize];
    for key in map.keys() {
        if let Some(field) = fields.get(&fold(key))
            && field != key
            && !map.contains_key(field)
        {
            out.push(
                Finding::new(
                    Rule::MisspelledField,
                    pointer.join(key),
                    format!("`{key}` is not a field of a {call} call and destinations ignore it; did you mean `{field}`?"),
                )
                .suggest(field.clone()),
            );
        }
    }
}
