//! The keywords whose exact meaning is `jsonschema`'s own, asked of `jsonschema` itself: `pattern`
//! (its ECMA-262 translation, literal shortcuts and `regex` engine), `format`, and the number
//! bounds and `multipleOf` (its mixed integer and float arithmetic). Each schema's such keywords
//! are compiled once into a small validator with the options of plan validation
//! (`validator::build`), and asked about one string or number at a time, so the fast path's
//! answer is the precise path's by construction.
//!
//! Some formats costly to ask about recognise the common case first (`formats.rs`).

use std::cell::Cell;

use jsonschema::Validator;
use serde_json::{Map, Value};

use super::formats::Shortcut;

/// Some keywords of one schema, compiled by `jsonschema` alone.
pub(super) struct Leaf {
    validator: Validator,
    /// When the leaf is only a `format` with a subset recognised without `jsonschema`.
    shortcut: Option<Shortcut>,
}

impl Leaf {
    fn new(schema: Map<String, Value>) -> Result<Leaf, ()> {
        let validator = super::super::validator::build(&Value::Object(schema.clone())).map_err(drop)?;
        let shortcut = match schema.iter().next() {
            Some((key, Value::String(format))) if schema.len() == 1 && key == "format" => Shortcut::of(format),
            _ => None,
        };
        Ok(Leaf { validator, shortcut })
    }

    /// The validator of the schema holding only `keywords` (taken from `schema`); `None` when
    /// the schema has none of them, `Some(Err(()))` when they do not compile alone.
    pub(super) fn of(schema: &Map<String, Value>, keywords: &[&str]) -> Option<Result<Leaf, ()>> {
        let only: Map<String, Value> = keywords.iter().filter_map(|k| schema.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect();
        (!only.is_empty()).then(|| Leaf::new(only))
    }

    /// The validator of `{"pattern": pattern}`, for `patternProperties`.
    pub(super) fn pattern(pattern: &str) -> Result<Leaf, ()> {
        let mut schema = Map::new();
        schema.insert("pattern".into(), Value::String(pattern.into()));
        Leaf::new(schema)
    }

    /// Whether the string `text` is valid.
    pub(super) fn string(&self, text: &str) -> bool {
        if self.shortcut.is_some_and(|shortcut| shortcut.certainly_valid(text)) {
            return true;
        }
        self.ask(text)
    }

    /// Whether the string `text` is valid, asked of `jsonschema`.
    fn ask(&self, text: &str) -> bool {
        thread_local! {
            // Backs the string handed to `jsonschema`, so checking allocates only while it grows.
            static BUFFER: Cell<String> = const { Cell::new(String::new()) };
        }
        let mut buffer = BUFFER.take();
        buffer.clear();
        buffer.push_str(text);
        let value = Value::String(buffer);
        let valid = self.validator.is_valid(&value);
        if let Value::String(buffer) = value {
            BUFFER.set(buffer);
        }
        valid
    }

    /// Whether the number `n` is valid.
    pub(super) fn number(&self, n: serde_json::Number) -> bool {
        self.validator.is_valid(&Value::Number(n))
    }
}
