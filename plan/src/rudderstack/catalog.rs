//! Reading a rudder-cli project: every `rudder/v1` spec file of the data catalog (kinds
//! `properties`, `events`, `categories`, `custom-types`, `tracking-plan`) into one [`Catalog`]
//! of entities by id, each remembering the file and JSON Pointer it came from. Keys the format
//! does not have are problems, as rudder-cli's strict parsing makes them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::Pointer;

/// Where an entity or a value was read: a file and a JSON Pointer in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) file: String,
    pub(crate) pointer: Pointer,
}

impl At {
    pub(crate) fn join(&self, key: &str) -> At {
        At { file: self.file.clone(), pointer: self.pointer.join(key) }
    }

    pub(crate) fn index(&self, i: usize) -> At {
        At { file: self.file.clone(), pointer: self.pointer.join_index(i) }
    }
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: at {}", self.file, if self.pointer.is_root() { "/" } else { self.pointer.as_str() })
    }
}

/// One entity of the catalog: its value (an object) and where it was defined.
#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) at: At,
    pub(crate) value: Map<String, Value>,
}

impl Entity {
    pub(crate) fn str(&self, key: &str) -> Option<&str> {
        self.value.get(key).and_then(Value::as_str)
    }
}

/// Every entity of a project, by kind and id.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub(crate) properties: BTreeMap<String, Entity>,
    pub(crate) events: BTreeMap<String, Entity>,
    pub(crate) categories: BTreeMap<String, Entity>,
    pub(crate) custom_types: BTreeMap<String, Entity>,
    pub(crate) tracking_plans: BTreeMap<String, Entity>,
}

/// The keys each kind's entities may have (rudder-cli's `rudder/v1` model).
const PROPERTY_KEYS: &[&str] = &["id", "name", "description", "type", "types", "item_type", "item_types", "config"];
const EVENT_KEYS: &[&str] = &["id", "name", "event_type", "description", "category"];
const CATEGORY_KEYS: &[&str] = &["id", "name"];
const CUSTOM_TYPE_KEYS: &[&str] = &["id", "name", "description", "type", "item_type", "item_types", "config", "properties", "variants"];
const TRACKING_PLAN_KEYS: &[&str] = &["id", "display_name", "description", "rules"];

impl Catalog {
    /// Adds the entities of one spec file (its text, YAML); `problems` gets what is wrong.
    pub(crate) fn read(&mut self, file: &str, text: &str, problems: &mut Vec<String>) {
        let root = At { file: file.to_owned(), pointer: Pointer::root() };
        let document: Value = match serde_yaml_ng::from_str(text) {
            Ok(v) => v,
            Err(e) => return problems.push(format!("{file}: not YAML: {e}")),
        };
        let Some(top) = object(&document, &root, problems) else { return };
        check_keys(top, &root, &["version", "kind", "metadata", "spec"], problems);
        match top.get("version").and_then(Value::as_str) {
            Some("rudder/v1") => {}
            Some(v @ ("rudder/0.1" | "rudder/v0.1")) => {
                return problems.push(format!(
                    "{}: version `{v}` is rudder-cli's legacy format: run `rudder-cli migrate` to move the project to `rudder/v1`, then import it",
                    root.join("version")
                ));
            }
            Some(other) => return problems.push(format!("{}: version `{other}` is not `rudder/v1`", root.join("version"))),
            None => return problems.push(format!("{}: no `version: rudder/v1`: not a rudder-cli spec file", root)),
        }
        let kind = top.get("kind").and_then(Value::as_str).unwrap_or_default();
        let spec_at = root.join("spec");
        let Some(spec) = top.get("spec").and_then(|s| object(s, &spec_at, problems)) else { return };
        let (list_key, what, keys, into): (&str, &str, &[&str], &mut BTreeMap<String, Entity>) = match kind {
            "properties" => ("properties", "property", PROPERTY_KEYS, &mut self.properties),
            "events" => ("events", "event", EVENT_KEYS, &mut self.events),
            "categories" => ("categories", "category", CATEGORY_KEYS, &mut self.categories),
            "custom-types" => ("types", "custom type", CUSTOM_TYPE_KEYS, &mut self.custom_types),
            "tracking-plan" => {
                check_keys(spec, &spec_at, TRACKING_PLAN_KEYS, problems);
                add(&mut self.tracking_plans, Entity { at: spec_at, value: spec.clone() }, "tracking plan", problems);
                return;
            }
            other => {
                return problems.push(format!(
                    "{}: kind `{other}` is not part of a data catalog (properties, events, categories, custom-types, tracking-plan)",
                    root.join("kind")
                ));
            }
        };
        check_keys(spec, &spec_at, &[list_key], problems);
        let list_at = spec_at.join(list_key);
        let Some(items) = spec.get(list_key).and_then(Value::as_array) else {
            return problems.push(format!("{list_at}: `{list_key}` must be a list"));
        };
        for (i, item) in items.iter().enumerate() {
            let at = list_at.index(i);
            let Some(map) = object(item, &at, problems) else { continue };
            check_keys(map, &at, keys, problems);
            add(into, Entity { at, value: map.clone() }, what, problems);
        }
    }
}

/// Adds `entity` under its `id`, unless the id is missing or taken.
fn add(into: &mut BTreeMap<String, Entity>, entity: Entity, what: &str, problems: &mut Vec<String>) {
    let Some(id) = entity.str("id").map(str::to_owned) else {
        return problems.push(format!("{}: a {what} needs a string `id`", entity.at));
    };
    if let Some(first) = into.get(&id) {
        return problems.push(format!("{}: {what} id `{id}` is already defined ({})", entity.at.join("id"), first.at));
    }
    into.insert(id, entity);
}

/// `value` as an object, or a problem.
pub(crate) fn object<'v>(value: &'v Value, at: &At, problems: &mut Vec<String>) -> Option<&'v Map<String, Value>> {
    let map = value.as_object();
    if map.is_none() {
        problems.push(format!("{at}: expected a mapping"));
    }
    map
}

/// A problem for every key of `map` not in `allowed`.
pub(crate) fn check_keys(map: &Map<String, Value>, at: &At, allowed: &[&str], problems: &mut Vec<String>) {
    for key in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
        problems.push(format!("{}: `{key}` is not a key here (expected one of: {})", at.join(key), allowed.join(", ")));
    }
}
