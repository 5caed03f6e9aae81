//! The JSON a destination reads from a call: the fast path's [`Json`] (kinds, strings, members,
//! elements) and what triggers and mappings need besides (a member by key, numbers, a copy as a
//! `serde_json::Value`). Implemented for `&serde_json::Value` and for the fast path's tape, so
//! one trigger evaluator serves both, and `coverage` answers most calls from the tape without
//! building a `Value`.

use crate::fast::json::{Json, Kind};
use crate::fast::tape;

/// A call's JSON, or any value in it, as triggers and mappings read it (a member by key is
/// [`Json::get`]).
pub(crate) trait CallJson: Json {
    /// A number as serde_json's `as_f64` gives it; `None` for anything but a number.
    fn as_f64(&self) -> Option<f64>;

    /// The value as serde_json reads it; `None` only if it cannot (never for a document both
    /// parse).
    fn to_value(&self) -> Option<serde_json::Value>;
}

impl CallJson for &serde_json::Value {
    #[inline]
    fn as_f64(&self) -> Option<f64> {
        serde_json::Value::as_f64(self)
    }

    fn to_value(&self) -> Option<serde_json::Value> {
        Some((*self).clone())
    }
}

impl CallJson for tape::Value<'_> {
    #[inline]
    fn as_f64(&self) -> Option<f64> {
        // Read by serde_json itself, so the number is the one the precise path sees.
        if self.kind() != Kind::Number {
            return None;
        }
        tape::Value::to_value(*self)?.as_f64()
    }

    fn to_value(&self) -> Option<serde_json::Value> {
        tape::Value::to_value(*self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::tape::Tape;

    #[test]
    fn the_tape_reads_as_serde_json_reads() {
        let text = r#"{"a": 1, "b": [1.5e1, "x"], "a": -0.25, "c": {"d": null}}"#;
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let mut tape = Tape::default();
        assert!(tape.parse(text));
        let root = tape.root(text);
        for key in ["a", "b", "c", "x"] {
            assert_eq!(root.get(key).and_then(|v| v.to_value()), value.get(key).cloned(), "{key}");
        }
        assert_eq!(root.get("a").and_then(|v| v.as_f64()), Some(-0.25), "the last of duplicate keys");
        assert_eq!(root.get("b").and_then(|b| b.elements().next()).and_then(|n| n.as_f64()), Some(15.0));
        assert_eq!(root.get("c").and_then(|c| c.get("d")).map(|d| d.kind()), Some(Kind::Null));
        assert!(root.get("b").is_some_and(|b| b.get("x").is_none() && b.as_f64().is_none()));
    }
}
