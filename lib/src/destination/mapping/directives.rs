//! Resolving compiled directives against a call: the reference's mapping-kit/index.ts.
//!
//! Values borrow from the call and the mapping while resolving; nothing is copied until the
//! payload is written. Where the reference throws for some data (a `@path` directive that
//! resolves to a non-string, `@json` decoding text that is not JSON, `@transform` on something
//! other than an object), resolving fails with a [`RunError`] at the directive's place in the
//! mapping. (A `@case` operator other than `lower`/`upper`, on which the reference throws for
//! strings, does not parse.)

use super::compile::{Kind, MAX_REPLACE_LEN, Node, Replace, Source};
use super::js::{Js, View, js_len, loosely_equals_empty_string, number_from_f64};
use super::options::{CaseOperator, Direction, JsonMode};
use super::path::Path;
use super::template::Template;
use serde_json::Value;
use std::collections::HashMap;

/// A directive that failed on this call (the reference throws and the action fails).
///
/// ```
/// use cdpspec::destination::mapping::Mapping;
/// use serde_json::json;
///
/// // A dynamic `@path` must resolve to a string.
/// let mapping = Mapping::parse(&json!({"id": {"@path": {"@path": "$.traits.id_path"}}})).unwrap();
/// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"id_path": 42}});
/// let error = mapping.try_resolve(&call).unwrap_err();
/// assert_eq!(error.pointer, "/id");
/// assert_eq!(error.to_string(), format!("/id {}", error.message));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunError {
    /// JSON pointer of the directive in the mapping.
    pub pointer: String,
    /// Why it failed.
    pub message: String,
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message)
    }
}

impl std::error::Error for RunError {}

fn fail<T>(node: &Node, message: impl Into<String>) -> Result<T, RunError> {
    Err(RunError { pointer: node.pointer.to_string(), message: message.into() })
}

/// The reference's `transform` on an object: the data must be an object; `undefined` members are
/// removed from the result.
pub(crate) fn transform<'p>(node: &'p Node, data: &Js<'p>) -> Result<Js<'p>, RunError> {
    let view = data.view();
    if !view.is_object() {
        return fail(node, format!("data must be an object, got {}", view.type_name()));
    }
    Ok(resolve(node, data)?.remove_undefined())
}

/// Resolves one node.
pub(crate) fn resolve<'p>(node: &'p Node, payload: &Js<'p>) -> Result<Js<'p>, RunError> {
    Ok(match &node.kind {
        Kind::Raw(v) => Js::Ref(v),
        Kind::Object(fields) => Js::Object(fields.iter().map(|(k, n)| Ok((k.clone(), resolve(n, payload)?))).collect::<Result<_, _>>()?),
        Kind::Array(items) => Js::Array(items.iter().map(|n| resolve(n, payload)).collect::<Result<_, _>>()?),
        Kind::Path(Source::Static(path)) => path.get(payload),
        Kind::Path(Source::Dynamic(inner)) => Path::new(&string_arg(node, "@path", inner, payload)?).get(payload),
        Kind::Template(Source::Static(t)) => Js::string(t.render(payload)),
        Kind::Template(Source::Dynamic(inner)) => Js::string(Template::new(&string_arg(node, "@template", inner, payload)?).render(payload)),
        Kind::Literal(inner) => resolve(inner, payload)?,
        Kind::If { blank, condition, then, otherwise } => {
            let branch = if if_holds(*blank, condition, payload)? { then } else { otherwise };
            match branch {
                Some(n) => resolve(n, payload)?,
                None => Js::Undefined,
            }
        }
        Kind::ArrayPath { source, shape } => {
            let root = match source {
                Source::Static(path) => path.get(payload),
                Source::Dynamic(inner) => resolve(inner, payload)?,
            };
            match shape {
                Some(shape) if root.view().is_object() || root.view().is_array() => {
                    Js::Array(arrify(root).iter().map(|item| resolve(shape, item)).collect::<Result<_, _>>()?)
                }
                _ => root,
            }
        }
        Kind::Case { operator, value } => match value {
            None => Js::Undefined,
            Some(value) => {
                let v = resolve(value, payload)?;
                match v.as_str() {
                    Some(s) => match operator {
                        CaseOperator::Lower => Js::string(s.to_lowercase()),
                        CaseOperator::Upper => Js::string(s.to_uppercase()),
                    },
                    None => v,
                }
            }
        },
        Kind::Replace(r) => replace(node, r, payload)?,
        Kind::Json { mode, value } => {
            let v = resolve(value, payload)?;
            match mode {
                JsonMode::Encode => super::js::stringify(v.view()).map_or(Js::Undefined, Js::string),
                JsonMode::Decode => match v.as_str() {
                    Some(text) => match serde_json::from_str::<Value>(text) {
                        Ok(decoded) => Js::Val(normalize_numbers(decoded)),
                        Err(e) => return fail(node, format!("@json could not decode the value as JSON: {e}")),
                    },
                    None => v,
                },
            }
        }
        Kind::Flatten { separator, omit_arrays, value } => {
            let mut out = Builder::default();
            flatten(resolve(value, payload)?, String::new(), separator, *omit_arrays, &mut out);
            Js::Object(out.entries)
        }
        Kind::Merge { objects, direction } => {
            let mut resolved = objects.iter().map(|n| resolve(n, payload)).collect::<Result<Vec<_>, _>>()?;
            if *direction == Direction::Left {
                resolved.reverse();
            }
            let mut out = Builder::default();
            for object in resolved {
                assign(object, &mut out);
            }
            Js::Object(out.entries)
        }
        Kind::Transform { apply, mapping } => {
            let applied = transform(apply, payload)?;
            resolve(mapping, &applied)?
        }
        Kind::ExcludeWhenNull(inner) => match resolve(inner, payload)? {
            v if v.is_null() => Js::Undefined,
            v => v,
        },
    })
}

/// Whether an `@if`'s condition holds: `exists` is "neither undefined nor null"; `blank` also
/// requires the value not to be loosely equal to `''` (so `0`, `false`, `[]` are blank).
pub(crate) fn if_holds<'p>(blank: bool, condition: &'p Node, payload: &Js<'p>) -> Result<bool, RunError> {
    let v = resolve(condition, payload)?;
    let present = !v.is_undefined() && !v.is_null();
    Ok(present && !(blank && loosely_equals_empty_string(v.view())))
}

/// The argument of `@path` or `@template` given as a directive: it must resolve to a string.
fn string_arg<'p>(node: &Node, name: &str, inner: &'p Node, payload: &Js<'p>) -> Result<String, RunError> {
    let v = resolve(inner, payload)?;
    match v.as_str() {
        Some(s) => Ok(s.to_owned()),
        None => fail(node, format!("{name}: expected string, got {}", v.view().type_name())),
    }
}

/// The reference's `arrify`: an array's members, or the value alone.
fn arrify(v: Js<'_>) -> Vec<Js<'_>> {
    match v {
        Js::Ref(Value::Array(items)) => items.iter().map(Js::Ref).collect(),
        Js::Val(Value::Array(items)) => items.into_iter().map(Js::Val).collect(),
        Js::Array(items) => items,
        other => vec![other],
    }
}

/// Members of an object or array, consumed, as `Object.entries` lists them; strings list their
/// characters (as `Object.assign` copies them).
fn entries(v: Js<'_>) -> Vec<(String, Js<'_>)> {
    match v {
        Js::Ref(Value::Object(map)) => map.iter().map(|(k, v)| (k.clone(), Js::Ref(v))).collect(),
        Js::Ref(Value::Array(items)) => items.iter().enumerate().map(|(i, v)| (i.to_string(), Js::Ref(v))).collect(),
        Js::Val(Value::Object(map)) => map.into_iter().map(|(k, v)| (k, Js::Val(v))).collect(),
        Js::Val(Value::Array(items)) => items.into_iter().enumerate().map(|(i, v)| (i.to_string(), Js::Val(v))).collect(),
        Js::Object(members) => members,
        Js::Array(items) => items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect(),
        _ => Vec::new(),
    }
}

/// An object under construction: later keys replace earlier ones in place, as in JavaScript.
#[derive(Default)]
struct Builder<'p> {
    entries: Vec<(String, Js<'p>)>,
    index: HashMap<String, usize>,
}

impl<'p> Builder<'p> {
    fn set(&mut self, key: String, value: Js<'p>) {
        match self.index.get(&key) {
            Some(&i) => self.entries[i].1 = value,
            None => {
                self.index.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }
}

/// The reference's `flattenObject` (mapping-kit/flatten.ts): objects (and arrays, unless
/// omitted) are walked, leaves land under `prefix + separator + key`; anything else, even at the
/// top, lands under the prefix (so a string `value` gives `{"": value}`).
fn flatten<'p>(v: Js<'p>, prefix: String, separator: &str, omit_arrays: bool, out: &mut Builder<'p>) {
    let view = v.view();
    if view.is_object() || (!omit_arrays && view.is_array()) {
        for (key, member) in entries(v) {
            let key = if prefix.is_empty() { key } else { format!("{prefix}{separator}{key}") };
            flatten(member, key, separator, omit_arrays, out);
        }
    } else {
        out.set(prefix, v);
    }
}

/// `Object.assign(target, source)`: objects and arrays copy their members, strings their
/// characters; `null`, `undefined`, booleans and numbers copy nothing.
fn assign<'p>(source: Js<'p>, out: &mut Builder<'p>) {
    if let Some(s) = source.as_str() {
        for (i, c) in s.chars().enumerate() {
            out.set(i.to_string(), Js::string(c.to_string()));
        }
        return;
    }
    for (key, value) in entries(source) {
        out.set(key, value);
    }
}

/// `@replace`: a literal (never a regular expression) search and replace.
fn replace<'p>(node: &Node, r: &'p Replace, payload: &Js<'p>) -> Result<Js<'p>, RunError> {
    let Some(value) = &r.value else { return Ok(Js::Undefined) };
    let v = resolve(value, payload)?;
    let text = match v.view() {
        View::Json(Value::String(s)) => s.clone(),
        View::Json(b @ Value::Bool(_)) => b.to_string(),
        View::Json(Value::Number(n)) => super::js::number_to_string(n),
        _ => return Ok(Js::string(String::new())),
    };
    let mut out = replace_literal(node, &text, &r.pattern, &r.replacement, r.global, r.ignore_case)?;
    if let Some((pattern, replacement)) = &r.second {
        out = replace_literal(node, &out, pattern, replacement, r.global, r.ignore_case)?;
    }
    Ok(Js::string(out))
}

/// The reference's `performReplace`: limits, then `String.replace` with the pattern escaped.
/// `$$`, `$&`, `` $` `` and `$'` in the replacement mean what they mean to `String.replace`.
pub(crate) fn replace_literal(node: &Node, text: &str, pattern: &str, replacement: &str, global: bool, ignore_case: bool) -> Result<String, RunError> {
    if js_len(pattern) > MAX_REPLACE_LEN {
        return fail(node, format!("@replace requires a \"pattern\" less than {MAX_REPLACE_LEN} characters"));
    }
    if js_len(replacement) > MAX_REPLACE_LEN {
        return fail(node, format!("@replace requires a \"replacement\" less than {MAX_REPLACE_LEN} characters"));
    }
    let text_chars: Vec<(usize, char)> = text.char_indices().collect();
    let pattern_chars: Vec<char> = pattern.chars().map(|c| if ignore_case { canonicalize(c) } else { c }).collect();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while !pattern_chars.is_empty() && i + pattern_chars.len() <= text_chars.len() {
        let matches = pattern_chars.iter().enumerate().all(|(j, &p)| {
            let c = text_chars[i + j].1;
            (if ignore_case { canonicalize(c) } else { c }) == p
        });
        if !matches {
            i += 1;
            continue;
        }
        let start = text_chars[i].0;
        let end = text_chars.get(i + pattern_chars.len()).map_or(text.len(), |&(b, _)| b);
        out.push_str(&text[copied..start]);
        expand(replacement, text, start, end, &mut out);
        copied = end;
        i += pattern_chars.len();
        if !global {
            break;
        }
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

fn expand(replacement: &str, text: &str, start: usize, end: usize, out: &mut String) {
    let mut chars = replacement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('$') => out.push('$'),
            Some('&') => out.push_str(&text[start..end]),
            Some('`') => out.push_str(&text[..start]),
            Some('\'') => out.push_str(&text[end..]),
            _ => {
                out.push('$');
                continue;
            }
        }
        chars.next();
    }
}

/// Case folding of a JavaScript regular expression with the `i` flag and no `u` flag.
fn canonicalize(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    if c as u32 > 0xFFFF {
        return c;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if (u as u32) <= 0xFFFF && (u as u32) >= 128 => u,
        _ => c,
    }
}

/// Numbers as JavaScript's `JSON.parse` gives them: a whole float is an integer.
fn normalize_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) if !n.is_i64() && !n.is_u64() => n.as_f64().and_then(number_from_f64).unwrap_or(Value::Number(n)),
        Value::Array(items) => Value::Array(items.into_iter().map(normalize_numbers).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, normalize_numbers(v))).collect()),
        other => other,
    }
}
