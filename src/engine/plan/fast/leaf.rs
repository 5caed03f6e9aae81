//! The keywords whose exact meaning is `jsonschema`'s own, asked of `jsonschema` itself: `pattern`
//! (its ECMA-262 translation, literal shortcuts and `regex` engine), `format`, and the number
//! bounds and `multipleOf` (its mixed integer and float arithmetic). Each schema's such keywords
//! are compiled once into a small validator with the options of plan validation
//! (`validator::build`), and asked about one string or number at a time, so the fast path's
//! answer is the precise path's by construction.

use std::cell::Cell;

use jsonschema::Validator;
use serde_json::{Map, Value};

/// Some keywords of one schema, compiled by `jsonschema` alone.
pub(super) struct Leaf(Validator);

impl Leaf {
    /// The validator of the schema holding only `keywords` (taken from `schema`); `None` when
    /// the schema has none of them, `Some(Err(()))` when they do not compile alone.
    pub(super) fn of(schema: &Map<String, Value>, keywords: &[&str]) -> Option<Result<Leaf, ()>> {
        let only: Map<String, Value> = keywords.iter().filter_map(|k| schema.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect();
        if only.is_empty() {
            return None;
        }
        Some(super::super::validator::build(&Value::Object(only)).map(Leaf).map_err(drop))
    }

    /// The validator of `{"pattern": pattern}`, for `patternProperties`.
    pub(super) fn pattern(pattern: &str) -> Result<Leaf, ()> {
        let mut schema = Map::new();
        schema.insert("pattern".into(), Value::String(pattern.into()));
        super::super::validator::build(&Value::Object(schema)).map(Leaf).map_err(drop)
    }

    /// Whether the string `text` is valid.
    pub(super) fn string(&self, text: &str) -> bool {
        thread_local! {
            // Backs the string handed to `jsonschema`, so checking allocates only while it grows.
            static BUFFER: Cell<String> = const { Cell::new(String::new()) };
        }
        let mut buffer = BUFFER.take();
        buffer.clear();
        buffer.push_str(text);
        let value = Value::String(buffer);
        let valid = self.0.is_valid(&value);
        if let Value::String(buffer) = value {
            BUFFER.set(buffer);
        }
        valid
    }

    /// Whether the number `n` is valid.
    pub(super) fn number(&self, n: serde_json::Number) -> bool {
        self.0.is_valid(&Value::Number(n))
    }
}
