//! `plan diff`: what changed between two plans, and which changes break senders. A change breaks
//! when calls valid under the old plan can fail the new one: an event removed, a property removed
//! or retyped, a new required property, a narrowed enum, a tightened pattern, range or
//! `additionalProperties`. Changes to an event are not breaking when the event's newest version
//! was bumped: senders of the old version keep selecting it with `context.protocols.event_version`.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::model::{Plan, Rule, Section};

/// One difference between two plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where: `events/Course Enrolled/properties.level`, `identify/traits.email`, ...
    pub location: String,
    /// What changed, in words.
    pub message: String,
    /// Whether calls valid under the old plan can fail the new one.
    pub breaking: bool,
}

/// The changes from `old` to `new`, in plan order.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    for event in &old.events {
        if new.event(&event.name).is_none() {
            out.push(Change { location: format!("events/{}", event.name), message: format!("event `{}` removed", event.name), breaking: true });
        }
    }
    for event in &new.events {
        let at = format!("events/{}", event.name);
        let Some(before) = old.event(&event.name) else {
            out.push(Change { location: at, message: format!("event `{}` added", event.name), breaking: false });
            continue;
        };
        let (Some(old_latest), Some(new_latest)) = (before.latest(), event.latest()) else { continue };
        let bumped = new_latest.version > old_latest.version;
        if bumped {
            out.push(Change { location: at.clone(), message: format!("new version v{} (was v{})", new_latest.version, old_latest.version), breaking: false });
        } else if new_latest.version < old_latest.version {
            out.push(Change {
                location: at.clone(),
                message: format!("newest version went back from v{} to v{}", old_latest.version, new_latest.version),
                breaking: true,
            });
        }
        let start = out.len();
        rules(&old_latest.rule, &new_latest.rule, &at, &mut out);
        if bumped {
            for change in &mut out[start..] {
                if change.breaking {
                    change.breaking = false;
                    change.message.push_str(" (versioned)");
                }
            }
        }
    }
    let pairs = [("common", &old.common, &new.common), ("identify", &old.identify, &new.identify), ("group", &old.group, &new.group)];
    for (at, before, after) in pairs {
        let empty = Rule::default();
        rules(before.as_ref().unwrap_or(&empty), after.as_ref().unwrap_or(&empty), at, &mut out);
    }
    for (key, before, after) in [("pages", &old.pages, &new.pages), ("screens", &old.screens, &new.screens)] {
        let empty = Rule::default();
        let names: BTreeSet<&str> = before.iter().chain(after.iter()).map(|r| r.name.as_str()).collect();
        for name in names {
            let find = |rules: &'_ [crate::NamedRule]| rules.iter().find(|r| r.name == name).map(|r| r.rule.clone());
            rules(&find(before).unwrap_or_else(|| empty.clone()), &find(after).unwrap_or_else(|| empty.clone()), &format!("{key}/{name}"), &mut out);
        }
    }
    out
}

/// Section by section.
fn rules(old: &Rule, new: &Rule, at: &str, out: &mut Vec<Change>) {
    for section in Section::ALL {
        let key = section.key();
        if new.requires.contains(&section) && !old.requires.contains(&section) {
            out.push(Change { location: format!("{at}/{key}"), message: format!("`{key}` now required"), breaking: true });
        }
        let empty = Value::Bool(true);
        schema(old.section(section).unwrap_or(&empty), new.section(section).unwrap_or(&empty), &format!("{at}/{key}"), out);
    }
}

/// Compares two schemas of the same place.
fn schema(old: &Value, new: &Value, at: &str, out: &mut Vec<Change>) {
    let mut push = |message: String, breaking: bool| out.push(Change { location: at.to_string(), message, breaking });
    let (old_types, new_types) = (types(old), types(new));
    if let (Some(o), Some(n)) = (&old_types, &new_types) {
        if !o.is_subset(n) {
            push(format!("retyped from {} to {}", list(o), list(n)), true);
        } else if o != n {
            push(format!("type widened from {} to {}", list(o), list(n)), false);
        }
    } else if let (None, Some(n)) = (&old_types, &new_types) {
        push(format!("now typed {}", list(n)), true);
    }
    match (enum_values(old), enum_values(new)) {
        (Some(o), Some(n)) => {
            let removed: Vec<_> = o.iter().filter(|v| !n.contains(v)).map(Value::to_string).collect();
            let added: Vec<_> = n.iter().filter(|v| !o.contains(v)).map(Value::to_string).collect();
            if !removed.is_empty() {
                push(format!("enum narrowed: {} removed", removed.join(", ")), true);
            }
            if !added.is_empty() {
                push(format!("enum widened: {} added", added.join(", ")), false);
            }
        }
        (None, Some(n)) => push(format!("now limited to {}", n.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")), true),
        (Some(_), None) => push("enum removed (any value allowed)".into(), false),
        (None, None) => {}
    }
    for keyword in ["pattern", "format", "const"] {
        match (old.get(keyword), new.get(keyword)) {
            (o, Some(n)) if o != Some(n) => push(format!("{keyword} {} {n}", if o.is_some() { "changed to" } else { "added:" }), true),
            (Some(o), None) => push(format!("{keyword} {o} removed"), false),
            _ => {}
        }
    }
    for (keyword, tighter_is_larger) in [
        ("minimum", true),
        ("exclusiveMinimum", true),
        ("minLength", true),
        ("minItems", true),
        ("maximum", false),
        ("exclusiveMaximum", false),
        ("maxLength", false),
        ("maxItems", false),
    ] {
        let (o, n) = (old.get(keyword).and_then(Value::as_f64), new.get(keyword).and_then(Value::as_f64));
        let tighter = match (o, n) {
            (None, Some(_)) => true,
            (Some(o), Some(n)) => {
                if tighter_is_larger {
                    n > o
                } else {
                    n < o
                }
            }
            _ => false,
        };
        if tighter {
            push(format!("{keyword} tightened to {}", new[keyword]), true);
        } else if o != n {
            push(format!("{keyword} loosened"), false);
        }
    }
    if new.get("additionalProperties") == Some(&Value::Bool(false)) && old.get("additionalProperties") != Some(&Value::Bool(false)) {
        push("extra properties no longer allowed".into(), true);
    }
    let required = |v: &Value| -> BTreeSet<String> {
        v.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(|s| s.as_str().map(String::from)).collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    let props = |v: &Value| v.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_props, new_props) = (props(old), props(new));
    for name in old_props.keys() {
        if !new_props.contains_key(name) {
            // Senders still send it; a plan without it no longer checks or documents it, and
            // generated code drops it.
            out.push(Change { location: format!("{at}.{name}"), message: format!("property `{name}` removed"), breaking: true });
        }
    }
    for (name, after) in &new_props {
        let location = format!("{at}.{name}");
        match old_props.get(name) {
            None if new_required.contains(name) => out.push(Change { location, message: format!("new required property `{name}`"), breaking: true }),
            None => out.push(Change { location, message: format!("new optional property `{name}`"), breaking: false }),
            Some(before) => {
                if new_required.contains(name) && !old_required.contains(name) {
                    out.push(Change { location: location.clone(), message: format!("property `{name}` now required"), breaking: true });
                } else if old_required.contains(name) && !new_required.contains(name) {
                    out.push(Change { location: location.clone(), message: format!("property `{name}` now optional"), breaking: false });
                }
                schema(before, after, &location, out);
            }
        }
    }
    if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
        schema(o, n, &format!("{at}[]"), out);
    }
}

fn types(v: &Value) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match v.get("type")? {
        Value::String(t) => [t.clone()].into(),
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str().map(String::from)).collect(),
        _ => return None,
    };
    // JSON Schema's `number` includes integers.
    if set.contains("number") {
        set.insert("integer".into());
    }
    Some(set)
}

fn enum_values(v: &Value) -> Option<Vec<Value>> {
    v.get("enum").and_then(Value::as_array).cloned()
}

fn list(set: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = set.iter().map(String::as_str).filter(|t| !(*t == "integer" && set.contains("number"))).collect();
    shown.join("|")
}
