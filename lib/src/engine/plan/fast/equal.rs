//! JSON equality as `jsonschema` decides it for `const`, `enum` and `uniqueItems`: numbers
//! compare by value (`1` equals `1.0`, through `jsonschema`'s own number comparison), strings,
//! booleans and `null` exactly, arrays element by element, objects by the same keys with equal
//! values. Documents with duplicate keys never reach it (the fast path leaves them to the
//! precise path), so counting members counts keys.

use serde_json::Value;

use crate::fast::json::{Json, Kind};

/// Whether `v` equals `expected`; `None` when a number cannot be read (never for parsed JSON).
pub(super) fn equals<V: Json>(v: V, expected: &Value) -> Option<bool> {
    Some(match (v.kind(), expected) {
        (Kind::Null, Value::Null) => true,
        (Kind::Bool, Value::Bool(b)) => v.as_bool() == Some(*b),
        (Kind::String, Value::String(s)) => v.as_str() == Some(s.as_str()),
        (Kind::Number, Value::Number(_)) => jsonschema::json::cmp::equal(&Value::Number(v.as_number()?), expected),
        (Kind::Array, Value::Array(items)) => {
            let mut count = 0;
            for element in v.elements() {
                match items.get(count) {
                    Some(item) if equals(element, item)? => count += 1,
                    _ => return Some(false),
                }
            }
            count == items.len()
        }
        (Kind::Object, Value::Object(map)) => {
            let mut count = 0;
            for (key, value) in v.members() {
                match map.get(key) {
                    Some(other) if equals(value, other)? => count += 1,
                    _ => return Some(false),
                }
            }
            count == map.len()
        }
        _ => false,
    })
}

/// Whether the values `a` and `b` are equal; `None` when a number cannot be read.
pub(super) fn same<V: Json>(a: V, b: V) -> Option<bool> {
    Some(match (a.kind(), b.kind()) {
        (Kind::Null, Kind::Null) => true,
        (Kind::Bool, Kind::Bool) => a.as_bool() == b.as_bool(),
        (Kind::String, Kind::String) => a.as_str() == b.as_str(),
        (Kind::Number, Kind::Number) => jsonschema::json::cmp::equal(&Value::Number(a.as_number()?), &Value::Number(b.as_number()?)),
        (Kind::Array, Kind::Array) => {
            let (mut left, mut right) = (a.elements(), b.elements());
            loop {
                match (left.next(), right.next()) {
                    (None, None) => break true,
                    (Some(x), Some(y)) if same(x, y)? => {}
                    _ => break false,
                }
            }
        }
        (Kind::Object, Kind::Object) => {
            let mut count = 0;
            for (key, value) in a.members() {
                match b.get(key) {
                    Some(other) if same(value, other)? => count += 1,
                    _ => return Some(false),
                }
            }
            count == b.members().count()
        }
        _ => false,
    })
}
