//! Import of Segment Protocols tracking plans: the `plan.json` of Typewriter and the Public API
//! (`rules` of types COMMON, IDENTIFY, GROUP, PAGE, SCREEN, TRACK, every version), and the legacy
//! Config API shape (`rules: {global, events[], identify, group, identify_traits, group_traits}`).
//!
//! Segment rules are draft-07 schemas of the whole call; a cdpspec rule holds one draft 2020-12
//! schema per section (`properties`, `traits`, `context`). The importer splits them section by
//! section, converts the few draft-07 keywords that changed, and keeps bookkeeping (ids, dates,
//! labels of non-track rules) in `metadata`. Anything with meaning a cdpspec plan cannot hold
//! is an error naming it: nothing is dropped silently.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::{Event, EventVersion, NamedRule, Plan, Rule, Section};

/// Segment's "not deprecated" date.
const ZERO_DATE: &str = "0001-01-01T00:00:00";

/// Why a plan could not be imported: every problem found, each naming the rule and field.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    /// One line per problem.
    pub problems: Vec<String>,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.problems.join("\n"))
    }
}

impl std::error::Error for ImportError {}

/// Imports a Segment Protocols plan (any of the shapes above) from its JSON.
pub fn import(source: &Value) -> Result<Plan, ImportError> {
    let mut importer = Importer::default();
    let plan = importer.plan(source);
    if importer.problems.is_empty() { Ok(plan) } else { Err(ImportError { problems: importer.problems }) }
}

#[derive(Default)]
struct Importer {
    problems: Vec<String>,
}

impl Importer {
    fn problem(&mut self, message: String) {
        self.problems.push(message);
    }

    fn plan(&mut self, source: &Value) -> Plan {
        // The Public API wraps the plan: {"data": {"trackingPlan": {...}, "rules": [...]}}.
        let mut root = source.get("data").unwrap_or(source).clone();
        if let Some(Value::Object(inner)) = root.get("trackingPlan").cloned() {
            let rules = root.get("rules").cloned();
            root = Value::Object(inner);
            if let Some(rules) = rules {
                root["rules"] = rules;
            }
        }
        let Value::Object(mut root) = root else {
            self.problem("a Segment plan is a JSON object".into());
            return Plan::default();
        };
        let mut plan = Plan { name: take_string(&mut root, "name").unwrap_or_else(|| "Imported plan".into()), ..Plan::default() };
        plan.description = take_string(&mut root, "description").filter(|d| !d.is_empty());
        match root.remove("rules") {
            Some(Value::Array(rules)) => self.rules_v1(&rules, &mut plan),
            Some(Value::Object(legacy)) => self.legacy(legacy, &mut plan),
            Some(other) => self.problem(format!("`rules` must be an array (Protocols rules) or an object (legacy shape), got {other}")),
            None => self.problem("the plan has no `rules`".into()),
        }
        // What is left is the plan's bookkeeping (id, slug, dates, type, sources): kept verbatim.
        plan.metadata = root.into_iter().collect();
        plan
    }

    /// Public API / Typewriter rules: one entry per (type, key, version).
    fn rules_v1(&mut self, rules: &[Value], plan: &mut Plan) {
        let mut events: Vec<Event> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let Some(rule) = rule.as_object() else {
                self.problem(format!("rules[{i}] is not an object"));
                continue;
            };
            let mut rule = rule.clone();
            let kind = take_string(&mut rule, "type").unwrap_or_default();
            let key = take_string(&mut rule, "key").unwrap_or_default();
            let version = rule.remove("version").and_then(|v| v.as_u64()).unwrap_or(1);
            let name = if key.is_empty() { format!("rules[{i}] ({kind})") } else { format!("rules[{i}] ({kind} `{key}` v{version})") };
            let description = take_string(&mut rule, "description").filter(|d| !d.is_empty());
            let labels = rule.remove("labels");
            let deprecated = take_string(&mut rule, "deprecatedAt").filter(|d| !d.starts_with(ZERO_DATE));
            let schema = rule.remove("jsonSchema").unwrap_or(Value::Null);
            let mut converted = self.call_schema(&schema, &name);
            converted.description = description;
            // Remaining fields (createdAt, updatedAt, ...) are bookkeeping.
            converted.metadata.extend(rule);
            match kind.as_str() {
                "TRACK" => {
                    let labels = self.labels(labels, &name);
                    let event = match events.iter_mut().find(|e| e.name == key) {
                        Some(event) => event,
                        None => {
                            events.push(Event { name: key.clone(), ..Event::default() });
                            events.last_mut().unwrap()
                        }
                    };
                    for (k, v) in labels {
                        if event.labels.get(&k).is_some_and(|old| *old != v) {
                            self.problem(format!("{name}: label `{k}` differs between versions of `{key}`; a cdpspec event has one set of labels"));
                        }
                        event.labels.insert(k, v);
                    }
                    let Ok(version) = u32::try_from(version) else {
                        self.problem(format!("{name}: version {version} is too large"));
                        continue;
                    };
                    if event.versions.iter().any(|v| v.version == version) {
                        self.problem(format!("{name}: `{key}` v{version} appears twice"));
                        continue;
                    }
                    event.versions.push(EventVersion { version, deprecated, rule: converted });
                }
                "COMMON" | "IDENTIFY" | "GROUP" | "PAGE" | "SCREEN" => {
                    if let Some(labels) = labels.filter(|l| !is_empty_value(l)) {
                        converted.metadata.insert("labels".into(), labels);
                    }
                    if let Some(d) = deprecated {
                        converted.metadata.insert("deprecatedAt".into(), json!(d));
                    }
                    let slot = match kind.as_str() {
                        "COMMON" => &mut plan.common,
                        "IDENTIFY" => &mut plan.identify,
                        "GROUP" => &mut plan.group,
                        _ => {
                            let rules = if kind == "PAGE" { &mut plan.pages } else { &mut plan.screens };
                            let rule_name = if key.is_empty() { "*".to_string() } else { key.clone() };
                            if rules.iter().any(|r| r.name == rule_name) {
                                self.problem(format!("{name}: a second {kind} rule for `{rule_name}`; a cdpspec plan keeps one rule per page or screen name"));
                            } else {
                                rules.push(NamedRule { name: rule_name, rule: converted });
                            }
                            continue;
                        }
                    };
                    if slot.is_some() {
                        self.problem(format!("{name}: a second {kind} rule (another version?); a cdpspec plan keeps one {} rule", kind.to_lowercase()));
                    } else {
                        *slot = Some(converted);
                    }
                }
                other => self.problem(format!("{name}: rule type `{other}` is not one of COMMON, IDENTIFY, GROUP, PAGE, SCREEN, TRACK")),
            }
        }
        for event in &mut events {
            event.versions.sort_by_key(|v| v.version);
            // The event's description is its newest version's; versions keep theirs only when it differs.
            event.description = event.versions.last().and_then(|v| v.rule.description.clone());
            for v in &mut event.versions {
                if v.rule.description == event.description {
                    v.rule.description = None;
                }
            }
        }
        plan.events = events;
    }

    /// The legacy Config API shape.
    fn legacy(&mut self, mut rules: Map<String, Value>, plan: &mut Plan) {
        if let Some(global) = rules.remove("global") {
            plan.common = Some(self.call_schema(&global, "rules.global"));
        }
        for key in ["identify", "group"] {
            if let Some(schema) = rules.remove(key) {
                let rule = self.call_schema(&schema, &format!("rules.{key}"));
                if key == "identify" { plan.identify = Some(rule) } else { plan.group = Some(rule) }
            }
        }
        for key in ["identify_traits", "group_traits"] {
            let Some(list) = rules.remove(key) else { continue };
            let target = if key == "identify_traits" { &mut plan.identify } else { &mut plan.group };
            let rule = target.get_or_insert_with(Rule::default);
            self.trait_list(&list, key, rule);
        }
        if let Some(events) = rules.remove("events") {
            let Value::Array(events) = events else {
                return self.problem(format!("rules.events must be an array, got {events}"));
            };
            for (i, entry) in events.iter().enumerate() {
                let mut entry = entry.as_object().cloned().unwrap_or_default();
                let Some(name) = take_string(&mut entry, "name") else {
                    self.problem(format!("rules.events[{i}] has no `name`"));
                    continue;
                };
                let version = entry.remove("version").and_then(|v| v.as_u64()).and_then(|v| u32::try_from(v).ok()).unwrap_or(1);
                let description = take_string(&mut entry, "description").filter(|d| !d.is_empty());
                let schema = entry.remove("rules").unwrap_or(Value::Null);
                let mut rule = self.call_schema(&schema, &format!("rules.events[{i}] (`{name}`)"));
                rule.metadata.extend(entry);
                match plan.events.iter_mut().find(|e| e.name == name) {
                    Some(event) => event.versions.push(EventVersion { version, deprecated: None, rule }),
                    None => plan.events.push(Event { name, description, versions: vec![EventVersion { version, deprecated: None, rule }], ..Event::default() }),
                }
            }
            for event in &mut plan.events {
                event.versions.sort_by_key(|v| v.version);
            }
        }
        for key in rules.keys() {
            self.problem(format!("rules.{key} is not part of the legacy plan shape (global, events, identify, group, identify_traits, group_traits)"));
        }
    }

    /// Legacy trait lists: `[{"key": "email", "type": "string", "description": ..., "required": true}]`.
    fn trait_list(&mut self, list: &Value, key: &str, rule: &mut Rule) {
        let Value::Array(items) = list else {
            return self.problem(format!("rules.{key} must be an array, got {list}"));
        };
        let schema = rule.traits.get_or_insert_with(|| json!({"type": "object"}));
        for (i, item) in items.iter().enumerate() {
            let mut item = item.as_object().cloned().unwrap_or_default();
            let Some(name) = take_string(&mut item, "key").or_else(|| take_string(&mut item, "name")) else {
                self.problem(format!("rules.{key}[{i}] has no `key` naming the trait"));
                continue;
            };
            if item.remove("required") == Some(Value::Bool(true)) {
                push_required(schema, &name);
            }
            schema["properties"][name] = Value::Object(item);
        }
    }

    /// Labels as a map of strings (`{"team": "growth"}` or `[{"key": "team", "value": "growth"}]`).
    fn labels(&mut self, labels: Option<Value>, at: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        match labels {
            None | Some(Value::Null) => {}
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    match v {
                        Value::String(s) => {
                            out.insert(k, s);
                        }
                        other => self.problem(format!("{at}: label `{k}` is {other}, not a string")),
                    }
                }
            }
            Some(Value::Array(items)) => {
                for item in items {
                    match (item.get("key").and_then(Value::as_str), item.get("value").and_then(Value::as_str)) {
                        (Some(k), Some(v)) => {
                            out.insert(k.to_string(), v.to_string());
                        }
                        _ => self.problem(format!("{at}: label {item} has no string `key` and `value`")),
                    }
                }
            }
            Some(other) => self.problem(format!("{at}: labels must be an object or an array, got {other}")),
        }
        out
    }

    /// Splits a whole-call draft-07 schema into the sections of a rule.
    fn call_schema(&mut self, schema: &Value, at: &str) -> Rule {
        let mut rule = Rule::default();
        let Value::Object(schema) = schema else {
            if !schema.is_null() {
                self.problem(format!("{at}: jsonSchema must be an object, got {schema}"));
            }
            return rule;
        };
        let mut schema = schema.clone();
        let definitions = schema.remove("definitions").or_else(|| schema.remove("$defs"));
        for (key, value) in std::mem::take(&mut schema) {
            match key.as_str() {
                "$schema" | "type" if value == "object" || key == "$schema" => {}
                "properties" => {
                    let Value::Object(sections) = value else {
                        self.problem(format!("{at}: jsonSchema.properties must be an object"));
                        continue;
                    };
                    for (name, section_schema) in sections {
                        let Some(section) = Section::ALL.into_iter().find(|s| s.key() == name) else {
                            self.problem(format!(
                                "{at}: jsonSchema.properties.{name} cannot be represented: a cdpspec rule constrains only properties, traits and context"
                            ));
                            continue;
                        };
                        *rule.section_mut(section) = Some(to_2020_12(section_schema, definitions.as_ref()));
                    }
                }
                "required" => {
                    for name in value.as_array().into_iter().flatten() {
                        match Section::ALL.into_iter().find(|s| Some(s.key()) == name.as_str()) {
                            Some(section) => rule.requires.push(section),
                            None => self.problem(format!(
                                "{at}: jsonSchema.required names {name}, which a cdpspec rule cannot require (only properties, traits, context)"
                            )),
                        }
                    }
                }
                "additionalProperties" if value == Value::Bool(true) => {}
                "description" | "title" | "$comment" | "id" | "$id" | "labels" => {
                    rule.metadata.insert(format!("jsonSchema.{key}"), value);
                }
                _ => self.problem(format!(
                    "{at}: jsonSchema.{key} cannot be represented: a cdpspec rule holds one schema per section (properties, traits, context)"
                )),
            }
        }
        rule
    }
}

/// Converts a draft-07 section schema to draft 2020-12: `definitions` become `$defs` (including
/// the whole-call schema's, copied into the section), tuple `items` become `prefixItems`,
/// `additionalItems` becomes `items`, `dependencies` split into `dependentRequired` and
/// `dependentSchemas`.
fn to_2020_12(mut schema: Value, definitions: Option<&Value>) -> Value {
    convert(&mut schema);
    if let (Some(Value::Object(defs)), Value::Object(map)) = (definitions, &mut schema) {
        let text = serde_json::to_string(map).unwrap_or_default();
        if text.contains("#/definitions/") || text.contains("#/$defs/") {
            let mut defs = Value::Object(defs.clone());
            convert(&mut defs);
            map.insert("$defs".into(), defs);
        }
    }
    schema
}

fn convert(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(defs) = map.remove("definitions") {
                map.insert("$defs".into(), defs);
            }
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                *r = r.replace("#/definitions/", "#/$defs/");
            }
            if matches!(map.get("items"), Some(Value::Array(_))) {
                let tuple = map.remove("items").unwrap_or_default();
                map.insert("prefixItems".into(), tuple);
                if let Some(rest) = map.remove("additionalItems") {
                    map.insert("items".into(), rest);
                }
            }
            if let Some(Value::Object(deps)) = map.remove("dependencies") {
                let (required, schemas): (Map<String, Value>, Map<String, Value>) = deps.into_iter().partition(|(_, v)| v.is_array());
                if !required.is_empty() {
                    map.insert("dependentRequired".into(), Value::Object(required));
                }
                if !schemas.is_empty() {
                    map.insert("dependentSchemas".into(), Value::Object(schemas));
                }
            }
            map.values_mut().for_each(convert);
        }
        Value::Array(items) => items.iter_mut().for_each(convert),
        _ => {}
    }
}

fn push_required(schema: &mut Value, name: &str) {
    match schema.get_mut("required") {
        Some(Value::Array(list)) => list.push(json!(name)),
        _ => schema["required"] = json!([name]),
    }
}

fn take_string(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            map.insert(key.to_string(), other);
            None
        }
        None => None,
    }
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}
