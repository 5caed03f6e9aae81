//! Paths into a call: `$.a.b[0].c`, `integrations.Actions Amplitude.session_id`, `a['b']`.
//!
//! Mirrors the reference's `get` (packages/core/src/get.ts) and `@path`'s `path.replace('$.', '')`:
//! the first `$.` anywhere is removed; `""` and `"."` are the whole call; the rest is split on
//! `.`, on `[` before a quote or digit, and on runs of `]` after a quote or digit; empty pieces are
//! skipped and quotes removed. Walking stops at the first falsy value (`a && a[key]`), so
//! `$.a.b` on `{"a": null}` is `null` and on `{"a": 0}` is `0`. Arrays and strings answer
//! `length` and indexes; other members of JavaScript prototypes are not modelled.

use super::js::{Js, View, js_len};
use crate::destination::call::slot;
use serde_json::Value;

/// A path compiled once: the text as written and its segments.
#[derive(Clone, Debug)]
pub(crate) struct Path {
    /// The path as written in the mapping.
    pub(crate) source: String,
    /// `None` for the whole payload.
    segments: Option<Vec<String>>,
    /// Where the first segment is in a [`Call`](crate::destination::Call), if it has a place.
    first_slot: Option<usize>,
}

impl Path {
    /// A `@path` or `@arrayPath` path: the first `$.` is removed, as the reference does.
    pub(crate) fn new(source: &str) -> Path {
        Path::from_stripped(source, &source.replacen("$.", "", 1))
    }

    /// A template placeholder's path, used as written.
    pub(crate) fn placeholder(source: &str) -> Path {
        Path::from_stripped(source, source)
    }

    fn from_stripped(source: &str, path: &str) -> Path {
        let segments = if path.is_empty() || path == "." { None } else { Some(split(path)) };
        let first_slot = segments.as_ref().and_then(|s| s.first()).and_then(|key| slot(key));
        Path { source: source.to_owned(), segments, first_slot }
    }

    /// The segments walked, in order; `None` for the whole payload.
    pub(crate) fn segments(&self) -> Option<&[String]> {
        self.segments.as_deref()
    }

    /// `call::slot` of the first segment.
    pub(crate) fn first_slot(&self) -> Option<usize> {
        self.first_slot
    }

    /// The value at the path.
    pub(crate) fn get<'p>(&self, payload: &Js<'p>) -> Js<'p> {
        self.lookup(payload).into_js()
    }

    /// The value at the path, borrowed where possible.
    pub(crate) fn lookup<'r, 'p>(&self, payload: &'r Js<'p>) -> Cursor<'r, 'p> {
        let mut cur = Cursor::Js(payload);
        for segment in self.segments.iter().flatten() {
            if !cur.view().truthy() {
                return cur;
            }
            cur = cur.member(segment);
        }
        cur
    }

    /// The longest prefix of the path (as segments joined by `.`) that exists in the payload,
    /// and the first segment that does not; `None` when the whole path exists.
    pub(crate) fn first_missing(&self, payload: &Js<'_>) -> Option<(String, String)> {
        let mut cur = Cursor::Js(payload);
        let mut found: Vec<&str> = Vec::new();
        for segment in self.segments.iter().flatten() {
            if !cur.view().truthy() {
                break;
            }
            cur = cur.member(segment);
            if matches!(cur, Cursor::Undefined) {
                return Some((found.join("."), segment.clone()));
            }
            found.push(segment);
        }
        None
    }
}

/// Splits a path the way the reference's `get` does (see the module documentation).
fn split(path: &str) -> Vec<String> {
    let chars: Vec<char> = path.chars().collect();
    let quote_or_digit = |c: char| c == '"' || c == '\'' || c.is_ascii_digit();
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '.' || (c == '[' && chars.get(i + 1).is_some_and(|&n| quote_or_digit(n))) {
            pieces.push(std::mem::take(&mut current));
            i += 1;
        } else if c == ']' && i > 0 && quote_or_digit(chars[i - 1]) {
            pieces.push(std::mem::take(&mut current));
            while chars.get(i) == Some(&']') {
                i += 1;
            }
        } else {
            current.push(c);
            i += 1;
        }
    }
    pieces.push(current);
    pieces.into_iter().filter(|p| !p.is_empty()).map(|p| p.replace(['\'', '"'], "")).collect()
}

/// A position reached while walking a path.
#[derive(Debug)]
pub(crate) enum Cursor<'r, 'p> {
    /// Nothing there.
    Undefined,
    /// A value built while resolving.
    Js(&'r Js<'p>),
    /// JSON that lives as long as the call.
    Json(&'p Value),
    /// JSON inside a value built while resolving.
    Local(&'r Value),
    /// A computed member: a `length` or a character of a string.
    Owned(Value),
}

impl<'r, 'p> Cursor<'r, 'p> {
    /// A read-only view.
    pub(crate) fn view(&self) -> View<'_, 'p> {
        match self {
            Cursor::Undefined => View::Undefined,
            Cursor::Js(js) => js.view(),
            Cursor::Json(v) => View::Json(v),
            Cursor::Local(v) => View::Json(v),
            Cursor::Owned(v) => View::Json(v),
        }
    }

    /// The value, copying only what was built while resolving.
    pub(crate) fn into_js(self) -> Js<'p> {
        match self {
            Cursor::Undefined => Js::Undefined,
            Cursor::Js(js) => js.clone(),
            Cursor::Json(v) => Js::Ref(v),
            Cursor::Local(v) => Js::Val(v.clone()),
            Cursor::Owned(v) => Js::Val(v),
        }
    }

    fn member(self, key: &str) -> Cursor<'r, 'p> {
        match self {
            Cursor::Undefined => Cursor::Undefined,
            Cursor::Json(v) => json_member(v, key, Cursor::Json),
            Cursor::Local(v) => json_member(v, key, Cursor::Local),
            Cursor::Owned(v) => match json_member(&v, key, |_| Cursor::Undefined) {
                Cursor::Owned(m) => Cursor::Owned(m),
                _ => Cursor::Undefined,
            },
            Cursor::Js(js) => match js {
                Js::Undefined => Cursor::Undefined,
                Js::Ref(v) => json_member(v, key, Cursor::Json),
                Js::Val(v) => json_member(v, key, Cursor::Local),
                Js::Array(a) => match key {
                    "length" => Cursor::Owned(Value::from(a.len())),
                    _ => index(key).and_then(|i| a.get(i)).map_or(Cursor::Undefined, Cursor::Js),
                },
                Js::Object(o) => o.iter().rev().find(|(k, _)| k == key).map_or(Cursor::Undefined, |(_, v)| Cursor::Js(v)),
            },
        }
    }
}

pub(super) fn json_member<'v, 'r, 'p>(v: &'v Value, key: &str, wrap: impl Fn(&'v Value) -> Cursor<'r, 'p>) -> Cursor<'r, 'p> {
    match v {
        Value::Object(map) => map.get(key).map_or(Cursor::Undefined, wrap),
        Value::Array(a) => match key {
            "length" => Cursor::Owned(Value::from(a.len())),
            _ => index(key).and_then(|i| a.get(i)).map_or(Cursor::Undefined, wrap),
        },
        Value::String(s) => match key {
            "length" => Cursor::Owned(Value::from(js_len(s))),
            _ => index(key).and_then(|i| char_at(s, i)).map_or(Cursor::Undefined, |c| Cursor::Owned(Value::String(c.to_string()))),
        },
        _ => Cursor::Undefined,
    }
}

/// The character at a UTF-16 index, when it is a whole character there.
pub(super) fn char_at(s: &str, index: usize) -> Option<char> {
    let mut at = 0;
    for c in s.chars() {
        if at == index {
            return (c.len_utf16() == 1).then_some(c);
        }
        at += c.len_utf16();
        if at > index {
            return None;
        }
    }
    None
}

/// A canonical array index (`0`, `12`; not `01`, `-1`, `1.0`).
pub(super) fn index(key: &str) -> Option<usize> {
    if key.is_empty() || (key.len() > 1 && key.starts_with('0')) || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get(data: &Value, path: &str) -> Option<Value> {
        Path::new(path).get(&Js::Ref(data)).into_json()
    }

    // Cases from the reference's packages/core/src/__tests__/get.iso.test.ts.
    #[test]
    fn reference_get_fixtures() {
        let obj = json!({
            "a": {"b": {"c": 42, "d": true, "e": "hello", "f": [{"g": "yay"}, {"g": "nay"}]}, "h": null},
            "[txt] non": true,
            "[txt] nest": {"inner": true}
        });
        assert_eq!(get(&obj, ""), Some(obj.clone()));
        assert_eq!(get(&obj, "a"), Some(obj["a"].clone()));
        assert_eq!(get(&obj, "['a'].b"), Some(obj["a"]["b"].clone()));
        assert_eq!(get(&obj, "a.b.c"), Some(json!(42)));
        assert_eq!(get(&obj, "a.b.f[0]"), Some(json!({"g": "yay"})));
        assert_eq!(get(&obj, "a.b.f[0].g"), Some(json!("yay")));
        assert_eq!(get(&obj, "a.h"), Some(json!(null)));
        assert_eq!(get(&obj, "a.b.x"), None);
        assert_eq!(get(&obj, "[txt] non"), Some(json!(true)));
        assert_eq!(get(&obj, "[txt] nest.inner"), Some(json!(true)));
        assert_eq!(get(&obj, "u"), None);
    }

    #[test]
    fn dollar_dot_and_quirks() {
        let data = json!({"foo": "bar", "n": null, "z": 0, "list": [1, 2], "integrations": {"Actions Amplitude": {"session_id": 7}}});
        assert_eq!(get(&data, "$."), Some(data.clone()));
        assert_eq!(get(&data, "$.."), Some(data.clone()));
        assert_eq!(get(&data, "$.foo"), Some(json!("bar")));
        assert_eq!(get(&data, "foo"), Some(json!("bar")));
        assert_eq!(get(&data, "$.foo.bar."), None);
        assert_eq!(get(&data, "$.{{foo}}"), None);
        assert_eq!(get(&data, "$.n.deeper.still"), Some(json!(null)));
        assert_eq!(get(&data, "$.z.x"), Some(json!(0)));
        assert_eq!(get(&data, "$.foo.length"), Some(json!(3)));
        assert_eq!(get(&data, "$.foo[0]"), Some(json!("b")));
        assert_eq!(get(&data, "$.list.length"), Some(json!(2)));
        assert_eq!(get(&data, "$.list[01]"), None);
        assert_eq!(get(&data, "$.integrations.Actions Amplitude.session_id"), Some(json!(7)));
        assert_eq!(get(&data, "$.integrations['Actions Amplitude'].session_id"), Some(json!(7)));
    }

    #[test]
    fn first_missing_names_the_gap() {
        let data = json!({"context": {"device": {"type": "ios"}}});
        let p = Path::new("$.context.device.token");
        assert_eq!(p.first_missing(&Js::Ref(&data)), Some(("context.device".to_owned(), "token".to_owned())));
        assert_eq!(Path::new("$.context").first_missing(&Js::Ref(&data)), None);
    }
}
