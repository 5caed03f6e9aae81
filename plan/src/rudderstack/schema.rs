//! Data-catalog entities as JSON Schema: a property's `type` / `types` / `item_type(s)` and its
//! `config` constraints, custom types (inlined where used), the properties of an event rule or
//! an object (`required`, `additional_properties`, nested `properties`), and discriminator
//! `variants` (as `if` / `then` / `else`).

use serde_json::{Map, Value, json};

use super::catalog::{At, Catalog, Entity, check_keys, object};

/// JSON types rudder-cli allows.
const PRIMITIVES: [&str; 7] = ["string", "number", "integer", "boolean", "null", "array", "object"];

/// `config` keys of `rudder/v1` and the JSON Schema keyword of each.
const CONFIG: [(&str, &str); 14] = [
    ("enum", "enum"),
    ("minimum", "minimum"),
    ("maximum", "maximum"),
    ("exclusive_minimum", "exclusiveMinimum"),
    ("exclusive_maximum", "exclusiveMaximum"),
    ("multiple_of", "multipleOf"),
    ("pattern", "pattern"),
    ("format", "format"),
    ("min_length", "minLength"),
    ("max_length", "maxLength"),
    ("min_items", "minItems"),
    ("max_items", "maxItems"),
    ("unique_items", "uniqueItems"),
    ("additional_properties", "additionalProperties"),
];

/// The id a reference names: `#property:id` (or the legacy `#/properties/group/id`) for
/// `kind` `property`, and so on.
pub(crate) fn reference<'r>(text: &'r str, kind: &str, legacy: &str) -> Option<&'r str> {
    if let Some(id) = text.strip_prefix(&format!("#{kind}:")) {
        return (!id.is_empty()).then_some(id);
    }
    let rest = text.strip_prefix(&format!("#/{legacy}/"))?;
    let (_, id) = rest.split_once('/')?;
    (!id.is_empty() && !id.contains('/')).then_some(id)
}

/// Builds schemas from a catalog; problems name the file and key.
pub(crate) struct Schemas<'c> {
    pub(crate) catalog: &'c Catalog,
    pub(crate) problems: Vec<String>,
    /// Custom types being inlined, to refuse a type that contains itself.
    stack: Vec<String>,
}

impl<'c> Schemas<'c> {
    pub(crate) fn new(catalog: &'c Catalog) -> Schemas<'c> {
        Schemas { catalog, problems: Vec::new(), stack: Vec::new() }
    }

    fn problem(&mut self, at: &At, message: String) {
        self.problems.push(format!("{at}: {message}"));
    }

    /// The property a `#property:` reference at `at` names.
    pub(crate) fn property(&mut self, text: &Value, at: &At) -> Option<&'c Entity> {
        let catalog = self.catalog;
        let Some(id) = text.as_str().and_then(|t| reference(t, "property", "properties")) else {
            self.problem(at, format!("{text} is not a property reference (`#property:<id>`)"));
            return None;
        };
        let found = catalog.properties.get(id);
        if found.is_none() {
            self.problem(at, format!("no property has id `{id}`"));
        }
        found
    }

    /// The schema of a property (its type, items and config), with its description.
    pub(crate) fn of_property(&mut self, property: &Entity) -> Value {
        let mut schema = self.typed(&property.value, &property.at);
        if let (Some(d), Value::Object(map)) = (property.str("description"), &mut schema) {
            map.entry("description").or_insert_with(|| json!(d));
        }
        schema
    }

    /// The schema of a value with `type` or `types`, `item_type` or `item_types`, `config` (a
    /// property or a custom type).
    fn typed(&mut self, entity: &Map<String, Value>, at: &At) -> Value {
        let mut schema = Map::new();
        match (entity.get("type"), entity.get("types")) {
            (Some(_), Some(_)) => self.problem(&at.join("types"), "`type` and `types` exclude each other".into()),
            (Some(Value::String(t)), None) if t.is_empty() => {}
            (Some(Value::String(t)), None) if PRIMITIVES.contains(&t.as_str()) => {
                schema.insert("type".into(), json!(t));
            }
            (Some(Value::String(t)), None) => match reference(t, "custom-type", "custom-types") {
                Some(id) => {
                    if let Value::Object(inner) = self.custom_type(id, &at.join("type")) {
                        schema = inner;
                    }
                }
                None => self.problem(&at.join("type"), format!("`{t}` is neither a JSON type ({}) nor `#custom-type:<id>`", PRIMITIVES.join(", "))),
            },
            (None, Some(Value::Array(types))) => {
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                if names.len() != types.len() || names.iter().any(|t| !PRIMITIVES.contains(t)) {
                    self.problem(&at.join("types"), format!("`types` lists JSON types ({}) only", PRIMITIVES.join(", ")));
                }
                schema.insert("type".into(), json!(names));
            }
            (None, None) => {}
            (Some(other), None) | (None, Some(other)) => {
                self.problem(&at.join(if entity.contains_key("type") { "type" } else { "types" }), format!("{other} is not a type"))
            }
        }
        match (entity.get("item_type"), entity.get("item_types")) {
            (Some(_), Some(_)) => self.problem(&at.join("item_types"), "`item_type` and `item_types` exclude each other".into()),
            (Some(item), None) => {
                let items = self.item(item, &at.join("item_type"));
                schema.insert("items".into(), items);
            }
            (None, Some(Value::Array(list))) => {
                let branches: Vec<Value> = list.iter().enumerate().map(|(i, t)| self.item(t, &at.join("item_types").index(i))).collect();
                let all_primitive = branches.iter().all(|b| b.as_object().is_some_and(|m| m.len() == 1 && m.contains_key("type")));
                let items =
                    if all_primitive { json!({"type": branches.iter().map(|b| b["type"].clone()).collect::<Vec<_>>()}) } else { json!({"anyOf": branches}) };
                schema.insert("items".into(), items);
            }
            (None, Some(other)) => self.problem(&at.join("item_types"), format!("{other} is not a list of types")),
            (None, None) => {}
        }
        if let Some(config) = entity.get("config") {
            self.config(config, &at.join("config"), &mut schema);
        }
        Value::Object(schema)
    }

    /// The schema of array items of one type: a JSON type or a custom type.
    fn item(&mut self, item: &Value, at: &At) -> Value {
        match item.as_str() {
            Some(t) if PRIMITIVES.contains(&t) => json!({"type": t}),
            Some(t) => match reference(t, "custom-type", "custom-types") {
                Some(id) => self.custom_type(id, at),
                None => {
                    self.problem(at, format!("`{t}` is neither a JSON type nor `#custom-type:<id>`"));
                    json!({})
                }
            },
            None => {
                self.problem(at, format!("{item} is not a type"));
                json!({})
            }
        }
    }

    /// `config` keys as JSON Schema keywords, into `schema`.
    fn config(&mut self, config: &Value, at: &At, schema: &mut Map<String, Value>) {
        let mut problems = Vec::new();
        let Some(config) = object(config, at, &mut problems) else { return self.problems.extend(problems) };
        for (key, value) in config {
            match CONFIG.iter().find(|(k, _)| k == key) {
                Some((_, keyword)) => {
                    schema.insert((*keyword).to_owned(), value.clone());
                }
                None => {
                    let known: Vec<&str> = CONFIG.iter().map(|(k, _)| *k).collect();
                    self.problem(&at.join(key), format!("`{key}` is not a config key of rudder/v1 (known: {})", known.join(", ")));
                }
            }
        }
    }

    /// The schema of custom type `id`, inlined.
    pub(crate) fn custom_type(&mut self, id: &str, at: &At) -> Value {
        let catalog = self.catalog;
        let Some(custom) = catalog.custom_types.get(id) else {
            self.problem(at, format!("no custom type has id `{id}`"));
            return json!({});
        };
        if self.stack.iter().any(|s| s == id) {
            self.problem(at, format!("custom type `{id}` contains itself: a cdpspec plan inlines custom types, so it cannot hold a recursive one"));
            return json!({});
        }
        self.stack.push(id.to_owned());
        let mut schema = match self.typed(&custom.value, &custom.at) {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        if let Some(d) = custom.str("description") {
            schema.insert("description".into(), json!(d));
        }
        if let Some(name) = custom.str("name") {
            schema.insert("title".into(), json!(name));
        }
        let list = custom.value.get("properties");
        let variants = custom.value.get("variants");
        if list.is_some() || variants.is_some() {
            if custom.str("type") != Some("object") {
                self.problem(&custom.at.join("properties"), "only custom types of type `object` have properties or variants".into());
            }
            self.members(list, variants, &custom.at, &mut schema, "property");
        }
        self.stack.pop();
        Value::Object(schema)
    }

    /// `properties` (a list of `{property, required, additional_properties, properties}`) and
    /// `variants` of a rule or an object custom type, into `schema` (the object's).
    pub(crate) fn members(&mut self, list: Option<&Value>, variants: Option<&Value>, at: &At, schema: &mut Map<String, Value>, reference_key: &str) {
        let mut properties = schema.remove("properties").and_then(|p| p.as_object().cloned()).unwrap_or_default();
        let mut required: Vec<Value> = Vec::new();
        if let Some(list) = list {
            self.list(list, &at.join("properties"), reference_key, &mut properties, &mut required);
        }
        if let Some(variants) = variants {
            self.variants(variants, &at.join("variants"), &mut properties, schema);
        }
        if !properties.is_empty() {
            schema.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            schema.insert("required".into(), Value::Array(required));
        }
    }

    /// A list of property references into `properties` (by payload name) and `required`.
    fn list(&mut self, list: &Value, at: &At, reference_key: &str, properties: &mut Map<String, Value>, required: &mut Vec<Value>) {
        let Some(items) = list.as_array() else { return self.problem(at, "`properties` must be a list".into()) };
        for (i, item) in items.iter().enumerate() {
            let at = at.index(i);
            let mut problems = Vec::new();
            let Some(map) = object(item, &at, &mut problems) else {
                self.problems.extend(problems);
                continue;
            };
            let allowed: &[&str] = if reference_key == "property" && at.pointer.as_str().contains("/rules/") {
                &["property", "required", "additional_properties", "properties"]
            } else {
                &["property", "required"]
            };
            check_keys(map, &at, allowed, &mut problems);
            self.problems.extend(problems);
            let Some(property) = self.property(map.get("property").unwrap_or(&Value::Null), &at.join("property")) else { continue };
            let Some(name) = property.str("name") else {
                self.problem(&property.at, "a property needs a string `name` (the key calls carry)".into());
                continue;
            };
            let mut schema = self.of_property(property);
            if map.contains_key("properties") || map.contains_key("additional_properties") {
                let Value::Object(object_schema) = &mut schema else { continue };
                if !type_allows_object(object_schema) {
                    self.problem(&at.join("properties"), format!("nested properties need property `{name}` to be of type object"));
                }
                self.members(map.get("properties"), None, &at, object_schema, "property");
                if let Some(flag) = map.get("additional_properties") {
                    match flag {
                        Value::Bool(b) => {
                            object_schema.insert("additionalProperties".into(), json!(b));
                        }
                        other => self.problem(&at.join("additional_properties"), format!("{other} is not true or false")),
                    }
                }
            }
            if properties.contains_key(name) && properties.get(name) != Some(&schema) {
                self.problem(&at.join("property"), format!("two properties here are sent as `{name}`, with different definitions"));
            }
            properties.insert(name.to_owned(), schema);
            match map.get("required") {
                Some(Value::Bool(true)) if !required.contains(&json!(name)) => required.push(json!(name)),
                Some(Value::Bool(_)) | None => {}
                Some(other) => self.problem(&at.join("required"), format!("{other} is not true or false")),
            }
        }
    }

    /// Discriminator variants (at most one, as rudder-cli allows): each case's properties join
    /// the object's `properties`, and an `if` on the discriminator's value requires the case's
    /// required ones (`else`: the default's).
    fn variants(&mut self, variants: &Value, at: &At, properties: &mut Map<String, Value>, schema: &mut Map<String, Value>) {
        let Some(list) = variants.as_array() else { return self.problem(at, "`variants` must be a list".into()) };
        if list.len() > 1 {
            self.problem(at, "rudder-cli allows one variant per rule or custom type".into());
        }
        let Some(variant) = list.first() else { return };
        let at = at.index(0);
        let mut problems = Vec::new();
        let Some(map) = object(variant, &at, &mut problems) else { return self.problems.extend(problems) };
        check_keys(map, &at, &["type", "discriminator", "cases", "default"], &mut problems);
        self.problems.extend(problems);
        if map.get("type").and_then(Value::as_str) != Some("discriminator") {
            self.problem(&at.join("type"), "the only variant type is `discriminator`".into());
        }
        let Some(discriminator) = self.property(map.get("discriminator").unwrap_or(&Value::Null), &at.join("discriminator")) else { return };
        let Some(key) = discriminator.str("name").map(str::to_owned) else { return };
        let mut cases = Vec::new();
        for (i, case) in map.get("cases").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
            let at = at.join("cases").index(i);
            let mut problems = Vec::new();
            let Some(case) = object(case, &at, &mut problems) else {
                self.problems.extend(problems);
                continue;
            };
            check_keys(case, &at, &["display_name", "match", "description", "properties"], &mut problems);
            self.problems.extend(problems);
            let matches = case.get("match").and_then(Value::as_array).cloned().unwrap_or_default();
            if matches.is_empty() || matches.iter().any(|m| !(m.is_string() || m.is_boolean() || m.is_i64() || m.is_u64())) {
                self.problem(&at.join("match"), "`match` lists the discriminator's values (strings, booleans, integers)".into());
            }
            let mut required = Vec::new();
            if let Some(list) = case.get("properties") {
                self.list(list, &at.join("properties"), "property", properties, &mut required);
            }
            let mut when = json!({"properties": {key.clone(): {"enum": matches}}, "required": [key]});
            if let Some(name) = case.get("display_name").and_then(Value::as_str) {
                when["title"] = json!(name);
            }
            cases.push((when, required, case.get("description").cloned()));
        }
        if cases.is_empty() {
            self.problem(&at.join("cases"), "a discriminator needs at least one case".into());
        }
        let mut otherwise = Vec::new();
        if let Some(default) = map.get("default") {
            let default_at = at.join("default");
            let mut problems = Vec::new();
            if let Some(default) = object(default, &default_at, &mut problems) {
                check_keys(default, &default_at, &["properties"], &mut problems);
                if let Some(list) = default.get("properties") {
                    self.list(list, &default_at.join("properties"), "property", properties, &mut otherwise);
                }
            }
            self.problems.extend(problems);
        }
        // Innermost first: case 1 else (case 2 else (... else default)).
        let mut chain: Option<Value> = (!otherwise.is_empty()).then(|| json!({"required": otherwise}));
        for (when, required, description) in cases.into_iter().rev() {
            let mut then = json!({"required": required});
            if let Some(d) = description {
                then["description"] = d;
            }
            let mut step = json!({"if": when, "then": then});
            if let Some(rest) = chain {
                step["else"] = rest;
            }
            chain = Some(step);
        }
        if let Some(chain) = chain {
            schema.insert("allOf".into(), json!([chain]));
        }
    }
}

fn type_allows_object(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "object"),
        _ => true,
    }
}
