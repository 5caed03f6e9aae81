//! `plan check`: mistakes in a tracking plan itself. Invalid or uncompilable schemas, duplicate
//! events and versions, names that differ only in case or separators (`Order Completed` beside
//! `order_completed`), mixed naming styles, required traits (traits arrive partially), section
//! schemas that do not describe objects, formats no validator knows, and keys that are not
//! JSON Schema keywords (typos, or YAML slips that turn half a description into a key).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use super::{Format, Plan, Rule, Section, keywords};
use crate::Pointer;
use crate::rule::Severity;
use crate::suggest::fold;

/// One problem in a plan.
///
/// ```
/// use cdpspec::plan::{Format, lint::lint, parse};
/// use cdpspec::rule::Severity;
///
/// let plan = parse("name: Shop\nevents:\n  - name: Order Completed\n    versions: []\n", Format::Yaml, "plan.yaml").unwrap();
/// let lints = lint(&plan);
/// assert_eq!((lints[0].severity, lints[0].code, lints[0].location.as_str()), (Severity::Error, "no-versions", "/events/0/versions"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lint {
    /// Error or warning.
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    /// What kind of problem (`duplicate-event`, ...).
    pub code: &'static str,
    /// JSON pointer into the plan document, to the exact keyword at fault
    /// (`/events/0/versions/0/properties/properties/price/type`).
    pub location: String,
    /// What is wrong and what to do.
    pub message: String,
    /// 1-based line of `location`'s value in the plan file, once [`place`]d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column (in characters) of `location`'s value in the plan file, once [`place`]d.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// Sets the line and column of each lint from the plan file's `text` (in `format`); a location
/// that is not in the text takes the position of its nearest enclosing value.
///
/// ```
/// use cdpspec::plan::{Format, lint, parse};
///
/// let text = "name: Shop\nidentify:\n  traits:\n    type: object\n    required: [email]\n";
/// let mut lints = lint::lint(&parse(text, Format::Yaml, "plan.yaml").unwrap());
/// lint::place(&mut lints, text, Format::Yaml);
/// assert_eq!((lints[0].code, lints[0].line, lints[0].column), ("required-traits", Some(5), Some(15)));
/// ```
pub fn place(lints: &mut [Lint], text: &str, format: Format) {
    for lint in lints {
        if let Some((line, column)) = super::position::line_column(text, format, &lint.location) {
            (lint.line, lint.column) = (Some(line), Some(column));
        }
    }
}

/// [`place`] with the text of the plan file at `path` (YAML or JSON by extension); places
/// nothing when the file cannot be read.
///
/// ```
/// use std::path::Path;
/// use cdpspec::plan::{lint, load};
///
/// let path = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"));
/// let mut lints = lint::lint(&load(path).unwrap());
/// lint::place_in_file(&mut lints, path);
/// assert!(lints.iter().all(|l| l.line.is_some()));
/// ```
pub fn place_in_file(lints: &mut [Lint], path: &Path) {
    if let Ok(text) = std::fs::read_to_string(path) {
        place(lints, &text, Format::of(path));
    }
}

fn severity_name<S: serde::Serializer>(s: &Severity, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(s.as_str())
}

/// String formats validators know, and so the ones `plan check` accepts; others are ignored
/// by validators, so a typo checks nothing.
pub const FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Every problem in `plan`, in plan order.
///
/// ```
/// use std::path::Path;
/// use cdpspec::plan::{Format, lint::lint, load, parse};
///
/// let courses = load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap();
/// assert!(lint(&courses).is_empty());
/// let typo = parse("name: Shop\ncommon:\n  context: {type: object, requried: [library]}\n", Format::Yaml, "plan.yaml").unwrap();
/// assert!(lint(&typo)[0].message.contains("did you mean `required`?"));
/// ```
pub fn lint(plan: &Plan) -> Vec<Lint> {
    let mut out = Vec::new();
    let mut push = |severity, code, location: String, message: String| out.push(Lint { severity, code, location, message, line: None, column: None });
    let rules = rules(plan);
    for (pointer, rule) in &rules {
        for section in Section::ALL {
            let Some(schema) = rule.section(section) else { continue };
            let at = pointer.join(section.key());
            if let Err(error) = super::compile_section(schema) {
                let problems = super::explain::problems(schema);
                if problems.is_empty() {
                    push(Severity::Error, "invalid-schema", at.to_string(), error.to_string());
                }
                let invalid = problems.iter().any(|p| p.meta);
                for problem in problems {
                    push(Severity::Error, "invalid-schema", format!("{at}{}", problem.pointer), problem.message);
                }
                if invalid {
                    continue;
                }
            }
            if let Some(t) = schema.get("type").filter(|t| !type_includes(t, "object")) {
                push(
                    Severity::Error,
                    "section-not-object",
                    at.to_string(),
                    format!("`{}` of a call is an object, but this schema's type is {t}", section.key()),
                );
            }
            walk(schema, &at, &mut |value, location| {
                // Validators ignore any other key, so a typo (`requried`) or a YAML slip
                // (`description: a, b` in a flow mapping, which makes `b` a key) checks nothing.
                for key in value.as_object().into_iter().flat_map(|m| m.keys()) {
                    if !keywords::ALL.contains(&key.as_str()) && !key.starts_with("x-") {
                        let hint = crate::suggest::closest(key, keywords::ALL.iter().copied()).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                        push(
                            Severity::Warning,
                            "unknown-keyword",
                            location.join(key).into(),
                            format!(
                                "`{key}` is not a JSON Schema keyword, so it checks nothing{hint} (a comma in an unquoted YAML value splits it into a new key)"
                            ),
                        );
                    }
                }
                if let Some(Value::String(format)) = value.get("format")
                    && !FORMATS.contains(&format.as_str())
                {
                    let hint = crate::suggest::closest(format, FORMATS.iter().copied()).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
                    push(
                        Severity::Warning,
                        "unknown-format",
                        location.join("format").into(),
                        format!("format `{format}` is not one validators know, so it checks nothing{hint}"),
                    );
                }
            });
        }
    }
    for (pointer, name) in [("/identify", "identify"), ("/group", "group"), ("/common", "common")] {
        let rule = match name {
            "identify" => plan.identify.as_ref(),
            "group" => plan.group.as_ref(),
            _ => plan.common.as_ref(),
        };
        if let Some(required) = rule.and_then(|r| r.traits.as_ref()).and_then(|t| t.get("required")).and_then(Value::as_array).filter(|r| !r.is_empty()) {
            let names: Vec<String> = required.iter().map(|r| r.to_string()).collect();
            push(
                Severity::Warning,
                "required-traits",
                format!("{pointer}/traits/required"),
                format!("{name} traits {} are required, but clients send only the traits that changed: valid calls will fail", names.join(", ")),
            );
        }
    }
    let mut seen: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    for (i, event) in plan.events.iter().enumerate() {
        let at = format!("/events/{i}");
        if event.name.trim().is_empty() {
            push(Severity::Error, "empty-event-name", format!("{at}/name"), "event name is empty".into());
        }
        if event.versions.is_empty() {
            push(Severity::Error, "no-versions", format!("{at}/versions"), format!("event `{}` has no versions", event.name));
        }
        let mut versions: Vec<u32> = Vec::new();
        for (j, v) in event.versions.iter().enumerate() {
            if v.version == 0 {
                push(Severity::Error, "invalid-version", format!("{at}/versions/{j}/version"), "versions start at 1".into());
            }
            if versions.contains(&v.version) {
                push(Severity::Error, "duplicate-version", format!("{at}/versions/{j}/version"), format!("`{}` v{} appears twice", event.name, v.version));
            }
            versions.push(v.version);
        }
        match seen.get(&fold(&event.name)) {
            Some((first, name)) if *name == event.name => push(
                Severity::Error,
                "duplicate-event",
                format!("{at}/name"),
                format!("event `{}` is already defined at /events/{first}: merge them into one event with several versions", event.name),
            ),
            Some((first, name)) => push(
                Severity::Error,
                "conflicting-event-names",
                format!("{at}/name"),
                format!("`{}` and `{name}` (/events/{first}) differ only in case or separators: destinations count them as two events", event.name),
            ),
            None => {
                seen.insert(fold(&event.name), (i, &event.name));
            }
        }
    }
    naming_styles(plan, &mut push);
    out
}

/// Flags the event names that do not follow the plan's majority style.
fn naming_styles(plan: &Plan, push: &mut impl FnMut(Severity, &'static str, String, String)) {
    let styles: Vec<(usize, &str, &str)> = plan.events.iter().enumerate().filter_map(|(i, e)| style(&e.name).map(|s| (i, e.name.as_str(), s))).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, _, s) in &styles {
        *counts.entry(s).or_default() += 1;
    }
    let Some((&majority, _)) = counts.iter().max_by_key(|(_, n)| **n) else { return };
    if counts.len() < 2 {
        return;
    }
    for (i, name, s) in styles {
        if s != majority {
            push(Severity::Warning, "inconsistent-naming", format!("/events/{i}/name"), format!("`{name}` is {s}, but most events are {majority}"));
        }
    }
}

/// The naming style of a multi-word name, if it has one.
fn style(name: &str) -> Option<&'static str> {
    if name.contains(' ') {
        Some(if name.split(' ').all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase())) { "Title Case" } else { "sentence case" })
    } else if name.contains('_') {
        Some(if name.chars().all(|c| !c.is_uppercase()) { "snake_case" } else { "mixed snake_case" })
    } else if name.contains('-') {
        Some("kebab-case")
    } else if name.chars().skip(1).any(char::is_uppercase) {
        Some(if name.starts_with(char::is_uppercase) { "PascalCase" } else { "camelCase" })
    } else {
        None
    }
}

fn type_includes(t: &Value, name: &str) -> bool {
    match t {
        Value::String(s) => s == name,
        Value::Array(a) => a.iter().any(|x| x == name),
        _ => true,
    }
}

/// Every rule of the plan with its JSON pointer.
fn rules(plan: &Plan) -> Vec<(Pointer, &Rule)> {
    let root = Pointer::root();
    let mut out = Vec::new();
    for (key, rule) in [("common", &plan.common), ("identify", &plan.identify), ("group", &plan.group)] {
        if let Some(rule) = rule {
            out.push((root.join(key), rule));
        }
    }
    for (key, named) in [("pages", &plan.pages), ("screens", &plan.screens)] {
        out.extend(named.iter().enumerate().map(|(i, r)| (root.join(key).join_index(i), &r.rule)));
    }
    for (i, e) in plan.events.iter().enumerate() {
        out.extend(e.versions.iter().enumerate().map(|(j, v)| (root.join("events").join_index(i).join("versions").join_index(j), &v.rule)));
    }
    out
}

/// Calls `f` on every subschema with its pointer.
fn walk(schema: &Value, at: &Pointer, f: &mut impl FnMut(&Value, &Pointer)) {
    f(schema, at);
    if let Value::Object(map) = schema {
        for (key, value) in map {
            match (key.as_str(), value) {
                ("properties" | "$defs" | "patternProperties" | "dependentSchemas", Value::Object(children)) => {
                    for (name, child) in children {
                        walk(child, &at.join(key).join(name), f);
                    }
                }
                ("items" | "additionalProperties" | "not" | "contains" | "if" | "then" | "else", child) => walk(child, &at.join(key), f),
                ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(children)) => {
                    for (i, child) in children.iter().enumerate() {
                        walk(child, &at.join(key).join_index(i), f);
                    }
                }
                _ => {}
            }
        }
    }
}
