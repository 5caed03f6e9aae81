//! Import of RudderStack data catalogs, as rudder-cli keeps them: a project directory of
//! `rudder/v1` YAML spec files of kinds `properties`, `events`, `categories`, `custom-types` and
//! `tracking-plan`, joined by `#property:`, `#event:`, `#category:`, `#custom-type:` references
//! (and `#/tp/<plan>/event_rule/<rule|*>` includes). One tracking plan becomes one cdpspec plan:
//!
//! - a `track` event rule becomes an event (version 1) with its `properties` schema, the event's
//!   description, and its category as the label `category`;
//! - `identify` and `group` rules become the plan's `identify` and `group` traits, `page` and
//!   `screen` rules page and screen rules by name (`*` for an event without one);
//! - `identity_section` (`properties`, `traits`, `context.traits`) picks the section;
//!   `additional_properties: false` (the default) forbids unplanned properties;
//! - properties carry their `type` / `types`, `item_type` / `item_types`, `config` constraints
//!   (as JSON Schema keywords), nested `properties`; custom types are inlined; discriminator
//!   `variants` become `if` / `then` / `else`;
//! - ids and rule ids stay in `metadata`.
//!
//! Anything a cdpspec plan cannot hold, and anything malformed, is a problem naming the file and
//! the key: nothing is dropped silently. Catalog entries the tracking plan does not use are
//! listed as notes.

mod catalog;
mod schema;

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::model::{Event, EventVersion, NamedRule, Plan, Rule};
use crate::segment::ImportError;
use catalog::{At, Catalog, Entity, check_keys, object};
use schema::{Schemas, reference};

/// A plan imported from a data catalog, and what of the catalog it does not use.
#[derive(Debug)]
pub struct Imported {
    /// The plan.
    pub plan: Plan,
    /// Catalog entries no rule of the tracking plan uses, one line each.
    pub unused: Vec<String>,
}

/// Reads the spec files of a project: every `.yaml` / `.yml` file under `dir`, in sorted
/// order, as (path, text).
///
/// # Errors
///
/// A file or folder cannot be read, or there is no YAML file at all.
pub fn read_project(dir: &Path) -> Result<Vec<(String, String)>, ImportError> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    walk(dir, &mut files, &mut problems);
    if files.is_empty() && problems.is_empty() {
        problems.push(format!("{}: no .yaml or .yml files: not a rudder-cli project", dir.display()));
    }
    if problems.is_empty() { Ok(files) } else { Err(ImportError { problems }) }
}

fn walk(dir: &Path, files: &mut Vec<(String, String)>, problems: &mut Vec<String>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) => return problems.push(format!("{}: cannot read: {e}", dir.display())),
    };
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk(&path, files, problems);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((path.display().to_string(), text)),
                Err(e) => problems.push(format!("{}: cannot read: {e}", path.display())),
            }
        }
    }
}

/// Imports the tracking plan `tracking_plan` (its id; may be left out when the project has
/// one) from a project's spec files, given as (path, text).
///
/// # Errors
///
/// Every problem found, each naming its file and key.
pub fn import(files: &[(String, String)], tracking_plan: Option<&str>) -> Result<Imported, ImportError> {
    let mut problems = Vec::new();
    let mut catalog = Catalog::default();
    for (path, text) in files {
        catalog.read(path, text, &mut problems);
    }
    let chosen = match (tracking_plan, catalog.tracking_plans.len()) {
        (Some(id), _) => catalog.tracking_plans.get(id).or_else(|| {
            let ids: Vec<&str> = catalog.tracking_plans.keys().map(String::as_str).collect();
            problems.push(format!("no tracking plan has id `{id}` (the project has: {})", if ids.is_empty() { "none".into() } else { ids.join(", ") }));
            None
        }),
        (None, 1) => catalog.tracking_plans.values().next(),
        (None, 0) => {
            problems.push("the project has no `kind: tracking-plan` file: there is no plan to import".into());
            None
        }
        (None, _) => {
            let ids: Vec<&str> = catalog.tracking_plans.keys().map(String::as_str).collect();
            problems.push(format!("the project has {} tracking plans ({}): choose one with --tracking-plan ID", ids.len(), ids.join(", ")));
            None
        }
    };
    let Some(chosen) = chosen else { return Err(ImportError { problems }) };
    let mut importer = Importer { schemas: Schemas::new(&catalog), plan: Plan::default(), used_events: Vec::new() };
    importer.tracking_plan(chosen);
    // Every definition is checked, used or not: a mistake in the catalog is never passed over.
    for property in catalog.properties.values() {
        importer.schemas.of_property(property);
    }
    for (id, custom) in &catalog.custom_types {
        importer.schemas.custom_type(id, &custom.at);
    }
    for problem in std::mem::take(&mut importer.schemas.problems) {
        if !problems.contains(&problem) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        return Err(ImportError { problems });
    }
    let unused = catalog
        .events
        .iter()
        .filter(|(id, _)| !importer.used_events.contains(id))
        .map(|(id, e)| format!("{}: event `{id}` is in the catalog but in no rule of the tracking plan: not planned", e.at))
        .collect();
    Ok(Imported { plan: importer.plan, unused })
}

struct Importer<'c> {
    schemas: Schemas<'c>,
    plan: Plan,
    used_events: Vec<String>,
}

impl<'c> Importer<'c> {
    fn problem(&mut self, at: &At, message: String) {
        self.schemas.problems.push(format!("{at}: {message}"));
    }

    fn tracking_plan(&mut self, tp: &'c Entity) {
        self.plan.name = tp.str("display_name").map_or_else(|| tp.str("id").unwrap_or_default().to_owned(), str::to_owned);
        if tp.str("display_name").is_none() {
            self.problem(&tp.at.join("display_name"), "a tracking plan needs a `display_name`".into());
        }
        self.plan.description = tp.str("description").map(str::to_owned);
        self.plan.metadata.insert("rudderstack".into(), json!({"trackingPlan": tp.str("id")}));
        let rules = tp.value.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, rule) in rules.iter().enumerate() {
            self.rule(rule, &tp.at.join("rules").index(i), tp.str("id").unwrap_or_default());
        }
    }

    /// One rule: an event rule, or an include of another plan's rules.
    fn rule(&mut self, rule: &Value, at: &At, plan_id: &str) {
        let mut problems = Vec::new();
        let Some(map) = object(rule, at, &mut problems) else { return self.schemas.problems.extend(problems) };
        check_keys(map, at, &["type", "id", "event", "identity_section", "additional_properties", "properties", "includes", "variants"], &mut problems);
        self.schemas.problems.extend(problems);
        if map.get("type").and_then(Value::as_str) != Some("event_rule") {
            self.problem(&at.join("type"), "the only rule type is `event_rule`".into());
        }
        match (map.get("event"), map.get("includes")) {
            (Some(_), None) => self.event_rule(map, at),
            (None, Some(includes)) => self.includes(includes, &at.join("includes"), plan_id),
            (Some(_), Some(_)) => self.problem(&at.join("includes"), "a rule has either `event` or `includes`".into()),
            (None, None) => self.problem(at, "a rule needs `event` (`#event:<id>`) or `includes`".into()),
        }
    }

    /// `includes: {$ref: "#/tp/<plan>/event_rule/<rule|*>"}`: the event rules of another plan.
    fn includes(&mut self, includes: &Value, at: &At, plan_id: &str) {
        let text = includes.get("$ref").and_then(Value::as_str).unwrap_or_default();
        let parts: Option<(&str, &str)> = text.strip_prefix("#/tp/").and_then(|r| r.split_once("/event_rule/"));
        let Some((tp, rule_id)) = parts else { return self.problem(&at.join("$ref"), format!("`{text}` is not `#/tp/<plan>/event_rule/<rule|*>`")) };
        if tp == plan_id {
            return self.problem(&at.join("$ref"), "a tracking plan cannot include its own rules".into());
        }
        let catalog = self.schemas.catalog;
        let Some(other) = catalog.tracking_plans.get(tp) else { return self.problem(&at.join("$ref"), format!("no tracking plan has id `{tp}`")) };
        let rules = other.value.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut found = false;
        for (i, rule) in rules.iter().enumerate() {
            if (rule_id == "*" || rule.get("id").and_then(Value::as_str) == Some(rule_id)) && rule.get("event").is_some() {
                found = true;
                self.rule(rule, &other.at.join("rules").index(i), tp);
            }
        }
        if !found {
            self.problem(&at.join("$ref"), format!("tracking plan `{tp}` has no event rule `{rule_id}`"));
        }
    }

    fn event_rule(&mut self, rule: &Map<String, Value>, at: &At) {
        let catalog = self.schemas.catalog;
        let event_ref = rule.get("event").and_then(Value::as_str).unwrap_or_default();
        let Some(id) = reference(event_ref, "event", "events") else { return self.problem(&at.join("event"), format!("`{event_ref}` is not `#event:<id>`")) };
        let Some(event) = catalog.events.get(id) else { return self.problem(&at.join("event"), format!("no event has id `{id}`")) };
        self.used_events.push(id.to_owned());
        let event_type = event.str("event_type").unwrap_or_default();
        let name = event.str("name").unwrap_or_default();
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        self.schemas.members(rule.get("properties"), rule.get("variants"), at, &mut schema, "property");
        match rule.get("additional_properties") {
            Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) | None => {
                schema.insert("additionalProperties".into(), json!(false));
            }
            Some(other) => self.problem(&at.join("additional_properties"), format!("{other} is not true or false")),
        }
        let default_section = if matches!(event_type, "identify" | "group") { "traits" } else { "properties" };
        let section = rule.get("identity_section").and_then(Value::as_str).unwrap_or(default_section);
        let mut planned = Rule { description: event.str("description").map(str::to_owned), ..Rule::default() };
        planned.metadata.insert("rudderstack".into(), json!({"rule": rule.get("id"), "event": id}));
        match section {
            "properties" => planned.properties = Some(Value::Object(schema)),
            "traits" => planned.traits = Some(Value::Object(schema)),
            "context.traits" => {
                let required = schema.get("required").is_some();
                let mut context = json!({"type": "object", "properties": {"traits": schema}});
                if required {
                    context["required"] = json!(["traits"]);
                }
                planned.context = Some(context);
            }
            other => return self.problem(&at.join("identity_section"), format!("`{other}` is not properties, traits or context.traits")),
        }
        let category = event.value.get("category").map(|c| self.category(c, &event.at.join("category")));
        match event_type {
            "track" => {
                if name.trim().is_empty() {
                    return self.problem(&event.at.join("name"), "a track event needs a `name`".into());
                }
                if self.plan.events.iter().any(|e| e.name == name) {
                    return self.problem(&at.join("event"), format!("event `{name}` has a rule already: a cdpspec plan holds one rule per event"));
                }
                let mut labels = std::collections::BTreeMap::new();
                if let Some(Some(category)) = category {
                    labels.insert("category".to_owned(), category);
                }
                let description = planned.description.take();
                self.plan.events.push(Event {
                    name: name.to_owned(),
                    description,
                    labels,
                    versions: vec![EventVersion { version: 1, rule: planned, ..EventVersion::default() }],
                    ..Event::default()
                });
            }
            "identify" | "group" => {
                if let Some(Some(category)) = category {
                    planned.metadata.insert("category".into(), json!(category));
                }
                let slot = if event_type == "identify" { &mut self.plan.identify } else { &mut self.plan.group };
                if slot.is_some() {
                    return self.problem(&at.join("event"), format!("a second {event_type} rule: a cdpspec plan holds one"));
                }
                *slot = Some(planned);
            }
            "page" | "screen" => {
                if let Some(Some(category)) = category {
                    planned.metadata.insert("category".into(), json!(category));
                }
                let rule_name = if name.trim().is_empty() { "*".to_owned() } else { name.to_owned() };
                let list = if event_type == "page" { &mut self.plan.pages } else { &mut self.plan.screens };
                if list.iter().any(|r| r.name == rule_name) {
                    return self.problem(&at.join("event"), format!("{event_type} `{rule_name}` has a rule already"));
                }
                list.push(NamedRule { name: rule_name, rule: planned });
            }
            other => self.problem(&event.at.join("event_type"), format!("`{other}` is not track, identify, group, page or screen")),
        }
    }

    /// The name of the category a `#category:` reference names.
    fn category(&mut self, reference_text: &Value, at: &At) -> Option<String> {
        let catalog = self.schemas.catalog;
        let text = reference_text.as_str().unwrap_or_default();
        let Some(id) = reference(text, "category", "categories") else {
            self.problem(at, format!("{reference_text} is not `#category:<id>`"));
            return None;
        };
        match catalog.categories.get(id) {
            Some(category) => category.str("name").map(str::to_owned),
            None => {
                self.problem(at, format!("no category has id `{id}`"));
                None
            }
        }
    }
}
