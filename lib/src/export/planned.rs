//! A plan's rules as schemas: per event version a track schema (`events/<name>.v<N>.schema.json`),
//! per call type the canonical call with the plan applied (`planned/<call>.schema.json`), and a
//! planned `message` and `batch`. Each is built unbundled, with `$ref`s to the canonical schemas
//! and to resources the plan adds (each rule section, each event version's rule); the bundler
//! then makes every written file self-contained.
//!
//! The rules apply as `cdpspec validate --plan` applies them (`crate::plan::PlanValidator`):
//!
//! - `common`: `context` to every call but alias, `properties` to track, page and screen,
//!   `traits` to identify and group; its `requires` only for those sections.
//! - `identify`, `group`: every section the rule has, on the call's key of that name.
//! - `pages`, `screens`: a rule named `*` applies to every call, another only when `name` equals
//!   its name (several rules may apply).
//! - alias calls: not checked against the plan (pipelines do not), so `planned/alias` is the
//!   canonical alias.
//! - events: the event file is the canonical track call, the common rules, `event` = the name,
//!   and the version's sections and `requires`. `planned/track` accepts only planned names (none
//!   when the plan has no events) and selects the version as the plan says: the one
//!   `context.protocols.event_version` names, or the oldest when it is absent or unknown.
//! - A section the call lacks is checked as `{}`: when its schema rejects `{}` (it has
//!   `required` members), the section is required.
//!
//! A section may reference `#/...` within itself, and the canonical schemas by absolute URI or
//! relative to them (`common.schema.json#/$defs/id`).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::bundle::{Registry, Resource, bundle};
use super::names::{kebab, segment};
use super::{ExportError, Kind, Output};
use crate::CallType;
use crate::plan::{NamedRule, Plan, Rule, Section};
use crate::schema::BASE_URI;

const SCHEMA_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Adds the plan's resources to `registry` and returns the files to write, in order: events (in
/// plan order, versions ascending), then `planned/` (the six calls, message, batch).
pub(crate) fn add(plan: &Plan, registry: &mut Registry) -> Result<Vec<Output>, ExportError> {
    let mut builder = Builder { plan, registry, base: base(plan), label: label(plan), outputs: Vec::new() };
    let events = builder.events()?;
    for call in CallType::ALL.iter().copied() {
        builder.call(call, &events)?;
    }
    builder.message_and_batch();
    Ok(builder.outputs)
}

/// The URI under which a plan's files get their `$id`s.
pub(crate) fn base(plan: &Plan) -> String {
    let name = Some(kebab(&plan.name)).filter(|n| !n.is_empty()).unwrap_or_else(|| "plan".into());
    match plan.version.as_deref().map(segment).filter(|v| !v.is_empty()) {
        Some(version) => format!("{BASE_URI}plans/{name}/{version}/"),
        None => format!("{BASE_URI}plans/{name}/"),
    }
}

/// The plan's name and version, as titles say it.
pub(crate) fn label(plan: &Plan) -> String {
    match &plan.version {
        Some(v) => format!("{} {v}", plan.name),
        None => plan.name.clone(),
    }
}

/// A planned event: its name and its versions (ascending) with the URI of each version's rule.
struct PlannedEvent {
    name: String,
    versions: Vec<(u32, String)>,
}

struct Builder<'a> {
    plan: &'a Plan,
    registry: &'a mut Registry,
    base: String,
    label: String,
    outputs: Vec<Output>,
}

impl Builder<'_> {
    /// Registers a section schema as its own resource; returns its URI.
    fn section(&mut self, name: &str, schema: &Value) -> String {
        // Directly under the canonical base, so relative references to canonical files resolve.
        let uri = format!("{BASE_URI}{name}");
        self.registry.add(Resource { uri: uri.clone(), name: name.into(), schema: schema.clone() });
        uri
    }

    /// What `rule` (at `location` in the plan) demands of a call, over `sections`: each
    /// section's schema on the call's key of that name, and the sections it requires. `None` when
    /// it demands nothing there.
    fn constraint(&mut self, rule: &Rule, name: &str, location: &str, sections: &[Section]) -> Result<Option<Map<String, Value>>, ExportError> {
        let mut properties = Map::new();
        let mut required: Vec<Value> = rule.requires.iter().filter(|s| sections.contains(s)).map(|s| json!(s.key())).collect();
        for section in sections {
            let Some(schema) = rule.section(*section) else { continue };
            let key = section.key();
            let uri = self.section(&format!("{name}.{key}"), schema);
            if !self.accepts_empty(&uri, &format!("{location}/{key}"))? && !required.contains(&json!(key)) {
                required.push(json!(key));
            }
            properties.insert(key.into(), json!({"$ref": uri}));
        }
        if properties.is_empty() && required.is_empty() {
            return Ok(None);
        }
        let mut out = Map::new();
        if let Some(d) = &rule.description {
            out.insert("description".into(), Value::String(d.clone()));
        }
        if !properties.is_empty() {
            out.insert("properties".into(), Value::Object(properties));
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        Ok(Some(out))
    }

    /// Whether the section at `uri` accepts `{}`, compiled as plan validation compiles it
    /// (formats checked, linear-time patterns); an error names the plan `location`.
    fn accepts_empty(&self, uri: &str, location: &str) -> Result<bool, ExportError> {
        let schema = &self.registry.get(uri).expect("the section was just added").schema;
        let bundled = bundle(location, uri, schema, self.registry, false)?;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .offline()
            .build(&bundled)
            .map_err(|e| ExportError::Plan(format!("{location} is not a valid JSON Schema: {e}")))?;
        Ok(validator.is_valid(&json!({})))
    }

    /// The common rules that apply to `call`.
    fn common(&mut self, call: CallType) -> Result<Option<Value>, ExportError> {
        let plan = self.plan;
        let Some(rule) = plan.common.as_ref() else { return Ok(None) };
        let sections: &[Section] = match call {
            CallType::Track | CallType::Page | CallType::Screen => &[Section::Context, Section::Properties],
            CallType::Identify | CallType::Group => &[Section::Context, Section::Traits],
            CallType::Alias => return Ok(None),
        };
        Ok(self.constraint(rule, "plan.common", "/common", sections)?.map(Value::Object))
    }

    fn output(&mut self, path: String, kind: Kind, schema: Map<String, Value>) {
        let uri = format!("{}{path}", self.base);
        let title = schema.get("title").and_then(Value::as_str).unwrap_or_default().to_string();
        let mut document = Map::new();
        document.insert("$schema".into(), Value::String(SCHEMA_2020_12.into()));
        document.insert("$id".into(), Value::String(uri.clone()));
        document.extend(schema);
        let name = path.replace('/', ".");
        self.registry.add(Resource { uri: uri.clone(), name, schema: Value::Object(document) });
        self.outputs.push(Output { uri, path, title, kind });
    }

    /// The event files, and the rule resource of every version.
    fn events(&mut self) -> Result<Vec<PlannedEvent>, ExportError> {
        let plan = self.plan;
        let mut files = BTreeMap::new();
        let mut planned = Vec::new();
        for (i, event) in plan.events.iter().enumerate() {
            let slug = kebab(&event.name);
            if slug.is_empty() {
                return Err(ExportError::Plan(format!("event `{}` has no letter or digit to name its file after", event.name)));
            }
            if let Some(other) = files.insert(slug.clone(), &event.name) {
                return Err(ExportError::Plan(format!("events `{other}` and `{}` would both be written as events/{slug}.v*.schema.json", event.name)));
            }
            if event.versions.is_empty() {
                return Err(ExportError::Plan(format!("event `{}` has no versions", event.name)));
            }
            let mut versions: Vec<_> = event.versions.iter().enumerate().collect();
            versions.sort_by_key(|(_, v)| v.version);
            let numbers: BTreeSet<u32> = versions.iter().map(|(_, v)| v.version).collect();
            if numbers.len() != versions.len() {
                return Err(ExportError::Plan(format!("event `{}` lists a version twice", event.name)));
            }
            let mut uris = Vec::new();
            for (j, version) in versions {
                let name = format!("plan.event.{slug}.v{}", version.version);
                let mut rule = self.constraint(&version.rule, &name, &format!("/events/{i}/versions/{j}"), &Section::ALL)?.unwrap_or_default();
                let properties = rule.entry("properties").or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(properties) = properties {
                    properties.insert("event".into(), json!({"const": event.name}));
                }
                rule.entry("required").or_insert_with(|| json!([])).as_array_mut().expect("required is an array").insert(0, json!("event"));
                let rule_uri = format!("{BASE_URI}{name}");
                self.registry.add(Resource { uri: rule_uri.clone(), name, schema: Value::Object(rule) });

                let mut description = format!(
                    "A track call of the event `{}`, version {}, in the tracking plan {}: the canonical track call, the plan's common rules, and this version's rules.",
                    event.name, version.version, self.label
                );
                if let Some(d) = &event.description {
                    description.push(' ');
                    description.push_str(d);
                }
                if let Some(owner) = &event.owner {
                    description.push_str(&format!(" Owner: {owner}."));
                }
                let mut schema = Map::new();
                schema.insert("title".into(), json!(format!("{} v{}", event.name, version.version)));
                if let Some(date) = &version.deprecated {
                    description.push_str(&format!(" Deprecated since {date}."));
                    schema.insert("deprecated".into(), json!(true));
                }
                schema.insert("description".into(), json!(description));
                let mut all = vec![json!({"$ref": canonical("track")})];
                all.extend(self.common(CallType::Track)?);
                all.push(json!({"$ref": rule_uri}));
                schema.insert("allOf".into(), Value::Array(all));
                self.output(format!("events/{slug}.v{}.schema.json", version.version), Kind::Event, schema);
                uris.push((version.version, rule_uri));
            }
            planned.push(PlannedEvent { name: event.name.clone(), versions: uris });
        }
        Ok(planned)
    }

    /// `planned/<call>.schema.json`.
    fn call(&mut self, call: CallType, events: &[PlannedEvent]) -> Result<(), ExportError> {
        let plan = self.plan;
        let name = call.as_str();
        let mut all = vec![json!({"$ref": canonical(name)})];
        all.extend(self.common(call)?);
        let mut about = String::from("the canonical call and the plan's common rules");
        match call {
            CallType::Identify | CallType::Group => {
                let rule = if call == CallType::Identify { plan.identify.as_ref() } else { plan.group.as_ref() };
                if let Some(rule) = rule
                    && let Some(c) = self.constraint(rule, &format!("plan.{name}"), &format!("/{name}"), &Section::ALL)?
                {
                    all.push(Value::Object(c));
                }
                about.push_str(&format!(", and the plan's {name} rules"));
            }
            CallType::Page | CallType::Screen => {
                let rules = if call == CallType::Page { &plan.pages } else { &plan.screens };
                all.extend(self.named(name, rules)?);
                about.push_str(&format!(", and the plan's {name} rules: a rule named `*` for every {name}, another when `name` is its name"));
            }
            CallType::Track => {
                let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
                let planned = if names.is_empty() { json!(false) } else { json!({"enum": names}) };
                all.push(json!({"properties": {"event": planned}, "description": "Only the plan's events: unplanned names are rejected."}));
                about.push_str(
                    ", and the rules of the planned event it names (unplanned names are rejected), in the version `context.protocols.event_version` selects, or the oldest when it is absent or not in the plan",
                );
                for event in events {
                    all.push(json!({"if": {"required": ["event"], "properties": {"event": {"const": event.name}}}, "then": select(&event.versions)}));
                }
            }
            CallType::Alias => about = "the canonical call: alias calls are not checked against plans".into(),
        }
        let title = canonical_title(name);
        let mut schema = Map::new();
        schema.insert("title".into(), json!(format!("{title} ({})", self.label)));
        schema.insert("description".into(), json!(format!("A {name} call under the tracking plan {}: {about}.", self.label)));
        schema.insert("allOf".into(), Value::Array(all));
        self.output(format!("planned/{name}.schema.json"), Kind::PlannedCall, schema);
        Ok(())
    }

    /// The constraints of page or screen rules, each conditional on its name unless it is `*`.
    fn named(&mut self, call: &str, rules: &[NamedRule]) -> Result<Vec<Value>, ExportError> {
        let mut seen = BTreeMap::<String, usize>::new();
        let mut out = Vec::new();
        for (i, named) in rules.iter().enumerate() {
            let slug = Some(kebab(&named.name)).filter(|s| !s.is_empty() && named.name != "*").unwrap_or_else(|| "any".into());
            let n = seen.entry(slug.clone()).or_default();
            *n += 1;
            let slug = if *n == 1 { slug } else { format!("{slug}-{n}") };
            let location = format!("/{call}s/{i}");
            let Some(constraint) = self.constraint(&named.rule, &format!("plan.{call}.{slug}"), &location, &Section::ALL)? else { continue };
            if named.name == "*" {
                out.push(Value::Object(constraint));
            } else {
                out.push(json!({"if": {"required": ["name"], "properties": {"name": {"const": named.name}}}, "then": constraint}));
            }
        }
        Ok(out)
    }

    /// `planned/message.schema.json` and `planned/batch.schema.json`.
    fn message_and_batch(&mut self) {
        let mut all = vec![json!({"$ref": canonical("message")})];
        for call in CallType::ALL {
            let name = call.as_str();
            all.push(json!({
                "if": {"required": ["type"], "properties": {"type": {"const": name}}},
                "then": {"$ref": format!("{}planned/{name}.schema.json", self.base)}
            }));
        }
        let mut message = Map::new();
        message.insert("title".into(), json!(format!("Message ({})", self.label)));
        message.insert(
            "description".into(),
            json!(format!(
                "Any one call, selected by its `type`, under the tracking plan {}: the canonical message and the planned schema of its call.",
                self.label
            )),
        );
        message.insert("allOf".into(), Value::Array(all));
        self.output("planned/message.schema.json".into(), Kind::PlannedMessage, message);

        let mut batch = Map::new();
        batch.insert("title".into(), json!(format!("Batch ({})", self.label)));
        batch.insert("description".into(), json!(format!("A batch whose every call follows the tracking plan {}.", self.label)));
        batch.insert(
            "allOf".into(),
            json!([
                {"$ref": canonical("batch")},
                {"properties": {"batch": {"items": {"$ref": format!("{}planned/message.schema.json", self.base)}}}}
            ]),
        );
        self.output("planned/batch.schema.json".into(), Kind::PlannedBatch, batch);
    }
}

/// The rule of the version a call selects: the one `context.protocols.event_version` names, or
/// the oldest (`versions` ascending, never empty).
fn select(versions: &[(u32, String)]) -> Value {
    let (_, oldest) = &versions[0];
    versions[1..].iter().fold(json!({"$ref": oldest}), |otherwise, (version, uri)| {
        json!({
            "if": {"required": ["context"], "properties": {"context": {
                "type": "object", "required": ["protocols"], "properties": {"protocols": {
                    "type": "object", "required": ["event_version"], "properties": {"event_version": {"const": version}}
                }}
            }}},
            "then": {"$ref": uri},
            "else": otherwise
        })
    })
}

/// The URI of a canonical schema.
fn canonical(stem: &str) -> String {
    format!("{BASE_URI}{stem}.schema.json")
}

/// The title of a canonical call schema (`Track`).
fn canonical_title(stem: &str) -> String {
    let mut chars = stem.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}
