//! Plan-aware validation: checks calls against a tracking plan's rules and names violations as
//! pipelines name them (`unplanned-event`, `required-missing`, `datatype-mismatch`,
//! `additional-properties`, `advanced-rule`), each with the call's JSON pointer and the plan
//! location that demanded it. Every section schema is compiled once, with format checks on and
//! the linear-time regex engine (plans are user input).

use std::fmt;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{PatternOptions, ValidationError, Validator};
use serde_json::{Value, json};

use super::{Plan, Rule, Section};
use crate::CallType;
use crate::diagnostic::Finding;
use crate::rule::Rule as Check;

/// A plan whose schemas are compiled, ready to check calls.
pub struct PlanValidator {
    plan: Plan,
    /// Where the plan came from, for plan locations (`plan.yaml`).
    source: String,
    common: Compiled,
    identify: Compiled,
    group: Compiled,
    pages: Vec<(String, Compiled)>,
    screens: Vec<(String, Compiled)>,
    /// Per event, per version (in plan order).
    events: Vec<Vec<Compiled>>,
}

/// A plan schema that does not compile.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    /// Where in the plan (`plan.yaml#/events/0/versions/0/properties`).
    pub location: String,
    /// Why.
    pub message: String,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

impl std::error::Error for PlanError {}

/// The compiled sections of one rule, with the plan pointer of the rule.
#[derive(Default)]
struct Compiled {
    pointer: String,
    sections: Vec<(Section, Validator)>,
    requires: Vec<Section>,
    description: String,
}

impl PlanValidator {
    /// Compiles every schema of `plan`; `source` names the plan in locations.
    pub fn new(plan: Plan, source: impl Into<String>) -> Result<Self, PlanError> {
        let source = source.into();
        let compile = |rule: Option<&Rule>, pointer: String, description: String| compile(&source, rule, pointer, description);
        let common = compile(plan.common.as_ref(), "/common".into(), "the plan's common rules".into())?;
        let identify = compile(plan.identify.as_ref(), "/identify".into(), "the plan's identify rules".into())?;
        let group = compile(plan.group.as_ref(), "/group".into(), "the plan's group rules".into())?;
        let named = |rules: &[super::NamedRule], key: &str, what: &str| -> Result<Vec<(String, Compiled)>, PlanError> {
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| Ok((r.name.clone(), compile(Some(&r.rule), format!("/{key}/{i}"), format!("the plan's {what} `{}`", r.name))?)))
                .collect()
        };
        let pages = named(&plan.pages, "pages", "page")?;
        let screens = named(&plan.screens, "screens", "screen")?;
        let mut events = Vec::new();
        for (i, event) in plan.events.iter().enumerate() {
            let versions = event
                .versions
                .iter()
                .enumerate()
                .map(|(j, v)| compile(Some(&v.rule), format!("/events/{i}/versions/{j}"), format!("{} v{}", event.name, v.version)))
                .collect::<Result<Vec<_>, _>>()?;
            events.push(versions);
        }
        Ok(PlanValidator { plan, source, common, identify, group, pages, screens, events })
    }

    /// The plan being checked.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Violations of the plan by `call` (an object whose type is `call_type`), found at
    /// `pointer` in its document. Alias calls are not checked, as pipelines do not check them.
    pub fn check(&self, call: &Value, call_type: CallType, pointer: &str, out: &mut Vec<Finding>) {
        let payload = match call_type {
            CallType::Identify | CallType::Group => Section::Traits,
            CallType::Track | CallType::Page | CallType::Screen => Section::Properties,
            CallType::Alias => return,
        };
        self.apply(&self.common, call, pointer, &[Section::Context, payload], out);
        let name = call.get("name").and_then(Value::as_str);
        match call_type {
            CallType::Identify => self.apply(&self.identify, call, pointer, &Section::ALL, out),
            CallType::Group => self.apply(&self.group, call, pointer, &Section::ALL, out),
            CallType::Page | CallType::Screen => {
                let rules = if call_type == CallType::Page { &self.pages } else { &self.screens };
                for (rule_name, compiled) in rules {
                    if rule_name == "*" || Some(rule_name.as_str()) == name {
                        self.apply(compiled, call, pointer, &Section::ALL, out);
                    }
                }
            }
            CallType::Track => self.check_track(call, pointer, out),
            CallType::Alias => {}
        }
    }

    fn check_track(&self, call: &Value, pointer: &str, out: &mut Vec<Finding>) {
        let Some(name) = call.get("event").and_then(Value::as_str) else { return };
        let Some(index) = self.plan.events.iter().position(|e| e.name == name) else {
            let mut finding =
                Finding::new(Check::UnplannedEvent, format!("{pointer}/event"), format!("event `{name}` is not in the tracking plan `{}`", self.plan.name));
            let names = self.plan.events.iter().map(|e| e.name.as_str());
            if let Some(closest) = crate::suggest::closest(name, names) {
                finding.message.push_str(&format!("; did you mean `{closest}`?"));
                finding = finding.suggest(closest);
            }
            out.push(finding.at_plan(format!("{}#/events", self.source)));
            return;
        };
        let event = &self.plan.events[index];
        let requested = call.pointer("/context/protocols/event_version").and_then(Value::as_u64);
        if let Some(version) = event.select(requested) {
            let j = event.versions.iter().position(|v| v.version == version.version).unwrap_or(0);
            self.apply(&self.events[index][j], call, pointer, &Section::ALL, out);
        }
    }

    /// Checks the sections of `call` that `compiled` constrains (among `only`).
    fn apply(&self, compiled: &Compiled, call: &Value, pointer: &str, only: &[Section], out: &mut Vec<Finding>) {
        for section in &compiled.requires {
            if only.contains(section) && call.get(section.key()).is_none() {
                out.push(
                    Finding::new(Check::RequiredMissing, pointer, format!("`{}` is required by {}", section.key(), compiled.description))
                        .at_plan(format!("{}#{}/requires", self.source, compiled.pointer)),
                );
            }
        }
        for (section, validator) in &compiled.sections {
            if !only.contains(section) {
                continue;
            }
            // An absent section is checked as empty, so its required members are reported.
            let empty = json!({});
            let value = call.get(section.key()).unwrap_or(&empty);
            if validator.is_valid(value) {
                continue;
            }
            let base = format!("{pointer}/{}", section.key());
            let location = format!("{}#{}/{}", self.source, compiled.pointer, section.key());
            for error in validator.iter_errors(value) {
                out.push(violation(&error, &base, section.key(), &location, &compiled.description));
            }
        }
    }
}

/// Compiles one section schema as plan validation runs it: draft 2020-12, formats checked,
/// patterns in a linear-time regex engine (no look-around or backreferences), no network.
pub fn compile_section(schema: &Value) -> Result<Validator, String> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_pattern_options(PatternOptions::regex())
        .offline()
        .build(schema)
        .map_err(|e| format!("invalid JSON Schema: {e}"))
}

fn compile(source: &str, rule: Option<&Rule>, pointer: String, description: String) -> Result<Compiled, PlanError> {
    let Some(rule) = rule else { return Ok(Compiled::default()) };
    let mut sections = Vec::new();
    for section in Section::ALL {
        if let Some(schema) = rule.section(section) {
            let validator = compile_section(schema).map_err(|message| PlanError { location: format!("{source}#{pointer}/{}", section.key()), message })?;
            sections.push((section, validator));
        }
    }
    Ok(Compiled { pointer, sections, requires: rule.requires.clone(), description })
}

/// One violation from a section schema's error.
fn violation(error: &ValidationError<'_>, base: &str, section: &str, location: &str, rule: &str) -> Finding {
    let path = error.instance_path().as_str();
    let field = format!("{section}{}", path.replace('/', "."));
    let at = format!("{location}{}", error.schema_path().as_str());
    let (check, pointer, message) = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            (Check::RequiredMissing, format!("{base}{path}"), format!("`{field}.{name}` is required by {rule}"))
        }
        ValidationErrorKind::Type { .. } => (Check::DatatypeMismatch, format!("{base}{path}"), format!("`{field}`: {error} ({rule})")),
        ValidationErrorKind::AdditionalProperties { unexpected } | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let first = unexpected.first().map(String::as_str).unwrap_or_default();
            let list = unexpected.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ");
            (Check::AdditionalProperties, format!("{base}{path}/{}", escape(first)), format!("`{field}` has {list}, which {rule} does not allow"))
        }
        _ => (Check::AdvancedRule, format!("{base}{path}"), format!("`{field}`: {error} ({rule})")),
    };
    Finding::new(check, pointer, message).at_plan(at)
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
