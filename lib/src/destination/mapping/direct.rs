//! Checking a mapping's fields against a call read as any [`CallJson`] (the fast path's tape),
//! without building the payload, for the mappings whose fields all use the common directives:
//! a static `@path`, `@if` over these, a template with plain placeholders, `@literal` of these,
//! and values as written. [`Mapping::check_direct`] gives what [`Mapping::check`] gives on the
//! call as a `serde_json::Value`: values are read where they are, a string of a field taking
//! strings and an object of a field taking objects are checked as they are, and any other value
//! is copied to be checked as [`check_fields`](super::check_fields) checks it.
//!
//! Paths are walked as `path.rs` walks them (a falsy value ends the walk; arrays and strings
//! answer `length` and indexes), and templates written as `template.rs` writes them.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Mapping;
use super::compile::{Kind, Node, Source};
use super::fields::{self, Field, FieldCheck};
use super::js::{self, View, js_len, loosely_equals_empty_string};
use super::path::{self, Cursor, Path};
use super::template::{self, Template};
use crate::destination::{Call, CallJson};
use crate::fast::json::Kind as JsonKind;

/// How to check an action's fields directly: for each field, in order, the mapping's key for
/// it, if any.
#[derive(Debug, Clone)]
pub(crate) struct Direct {
    keys: Vec<Option<usize>>,
}

/// A value a directive resolved to.
enum Got<'m, J> {
    /// `undefined`.
    Undefined,
    /// A value in the call.
    Json(J),
    /// A value written in the mapping.
    Mapping(&'m Value),
    /// A value computed (a `length`, a character, a rendered template).
    Owned(Value),
}

impl Mapping {
    /// How to check `fields` directly, when every field's directive is one this module
    /// resolves; `None` otherwise.
    pub(crate) fn direct(&self, fields: &BTreeMap<String, Field>) -> Option<Direct> {
        let Kind::Object(keys) = &self.root.kind else { return None };
        let mut direct = Vec::with_capacity(fields.len());
        for key in fields.keys() {
            // The key `check` resolves: the first with the field's name.
            let at = keys.iter().position(|(k, _)| k == key);
            if at.is_some_and(|i| !simple(&keys[i].1)) {
                return None;
            }
            direct.push(at);
        }
        Some(Direct { keys: direct })
    }

    /// What [`Mapping::check`] gives for `call` as a `serde_json::Value`, `direct` being
    /// [`Mapping::direct`] of the same `fields`; `None` for a call that is not an object.
    pub(crate) fn check_direct<J: CallJson>(&self, direct: &Direct, call: &Call<J>, fields: &BTreeMap<String, Field>) -> Option<FieldCheck> {
        let Kind::Object(keys) = &self.root.kind else { return None };
        if call.value().kind() != JsonKind::Object || direct.keys.len() != fields.len() {
            return None;
        }
        let mut check = FieldCheck::default();
        for ((key, field), at) in fields.iter().zip(&direct.keys) {
            let got = match at {
                Some(i) => resolve(&keys[*i].1, call)?,
                None => Got::Undefined,
            };
            match got {
                Got::Undefined => fields::check_field(key, None, field, &mut check),
                Got::Mapping(value) => fields::check_field(key, Some(value), field, &mut check),
                Got::Owned(value) => fields::check_field(key, Some(&value), field, &mut check),
                Got::Json(value) => {
                    let checked = match value.kind() {
                        JsonKind::String => value.as_str().is_some_and(|text| fields::check_text(key, text, field, &mut check)),
                        JsonKind::Object => fields::accepts_any_object(field),
                        _ => false,
                    };
                    if !checked {
                        fields::check_field(key, Some(&value.to_value()?), field, &mut check);
                    }
                }
            }
        }
        Some(check)
    }
}

/// Whether [`resolve`] resolves `node`.
fn simple(node: &Node) -> bool {
    match &node.kind {
        Kind::Raw(_) | Kind::Path(Source::Static(_)) => true,
        Kind::Template(Source::Static(template)) => template.paths().is_some(),
        Kind::If { condition, then, otherwise, .. } => simple(condition) && then.iter().chain(otherwise).all(|n| simple(n)),
        Kind::Literal(inner) => simple(inner),
        _ => false,
    }
}

/// `directives::resolve` of a [`simple`] node; `None` for any other, or a value the tape cannot
/// give as a `Value`.
fn resolve<'m, J: CallJson>(node: &'m Node, call: &Call<J>) -> Option<Got<'m, J>> {
    Some(match &node.kind {
        Kind::Raw(value) => Got::Mapping(value),
        Kind::Path(Source::Static(path)) => walk(path, call),
        Kind::Template(Source::Static(template)) => Got::Owned(Value::String(render(template, call)?)),
        Kind::If { blank, condition, then, otherwise } => {
            // `directives::if_holds`.
            let condition = resolve(condition, call)?;
            let present = !matches!(condition, Got::Undefined) && !condition.is_null();
            let holds = present && !(*blank && loosely_equals_empty_string(View::Json(&condition.into_value()?)));
            match if holds { then } else { otherwise } {
                Some(branch) => resolve(branch, call)?,
                None => Got::Undefined,
            }
        }
        Kind::Literal(inner) => resolve(inner, call)?,
        _ => return None,
    })
}

/// `Path::get`: the value at `path` in `call`, an object.
fn walk<'m, J: CallJson>(path: &Path, call: &Call<J>) -> Got<'m, J> {
    let Some((first, rest)) = path.segments().and_then(<[String]>::split_first) else { return Got::Json(call.value()) };
    // An object is truthy: the walk takes its first step.
    let mut at = call.get_at(path.first_slot(), first).map_or(Got::Undefined, Got::Json);
    for segment in rest {
        if !at.truthy() {
            break;
        }
        at = at.member(segment);
    }
    at
}

/// `Template::render`, when its placeholders are plain; `None` for a value the tape cannot give.
fn render<J: CallJson>(template: &Template, call: &Call<J>) -> Option<String> {
    let mut unread = false;
    let text = template.render_with(|path, out| match walk(path, call) {
        Got::Undefined => {}
        Got::Json(value) => match value.as_str() {
            Some(text) => out.push_str(text),
            None => match value.to_value() {
                Some(value) => template::push_value(out, View::Json(&value)),
                None => unread = true,
            },
        },
        Got::Mapping(value) => template::push_value(out, View::Json(value)),
        Got::Owned(value) => template::push_value(out, View::Json(&value)),
    })?;
    (!unread).then_some(text)
}

impl<J: CallJson> Got<'_, J> {
    fn is_null(&self) -> bool {
        match self {
            Got::Undefined => false,
            Got::Json(value) => value.kind() == JsonKind::Null,
            Got::Mapping(value) => value.is_null(),
            Got::Owned(value) => value.is_null(),
        }
    }

    /// JavaScript truthiness (`js::truthy`).
    fn truthy(&self) -> bool {
        match self {
            Got::Undefined => false,
            Got::Json(value) => match value.kind() {
                JsonKind::Null => false,
                JsonKind::Bool => value.as_bool() == Some(true),
                JsonKind::Number => value.as_f64().is_some_and(|n| n != 0.0),
                JsonKind::String => value.as_str().is_some_and(|s| !s.is_empty()),
                JsonKind::Array | JsonKind::Object => true,
            },
            Got::Mapping(value) => js::truthy(value),
            Got::Owned(value) => js::truthy(value),
        }
    }

    /// The value as a `Value`; `None` for `undefined` or a value the tape cannot give.
    fn into_value(self) -> Option<Value> {
        match self {
            Got::Undefined => None,
            Got::Json(value) => value.to_value(),
            Got::Mapping(value) => Some(value.clone()),
            Got::Owned(value) => Some(value),
        }
    }

    /// One step of a walk (`Cursor::member`).
    fn member(self, key: &str) -> Self {
        match self {
            Got::Undefined | Got::Mapping(_) => Got::Undefined,
            Got::Json(value) => match value.kind() {
                JsonKind::Object => value.get(key).map_or(Got::Undefined, Got::Json),
                JsonKind::Array if key == "length" => Got::Owned(Value::from(value.elements().count())),
                JsonKind::Array => path::index(key).and_then(|i| value.elements().nth(i)).map_or(Got::Undefined, Got::Json),
                JsonKind::String => {
                    let text = value.as_str().unwrap_or_default();
                    if key == "length" {
                        Got::Owned(Value::from(js_len(text)))
                    } else {
                        path::index(key).and_then(|i| path::char_at(text, i)).map_or(Got::Undefined, |c| Got::Owned(Value::String(c.to_string())))
                    }
                }
                JsonKind::Null | JsonKind::Bool | JsonKind::Number => Got::Undefined,
            },
            // Members of computed values, as `Cursor::Owned` has them.
            Got::Owned(value) => match path::json_member(&value, key, |_| Cursor::Undefined) {
                Cursor::Owned(member) => Got::Owned(member),
                _ => Got::Undefined,
            },
        }
    }
}
