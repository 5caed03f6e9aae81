//! The keywords whose exact meaning is `jsonschema`'s own, asked of `jsonschema` itself: `pattern`
//! (its ECMA-262 translation, literal shortcuts and `regex` engine), `format`, and the number
//! bounds and `multipleOf` (its mixed integer and float arithmetic). Each schema's such keywords
//! are compiled once into a small validator with the options of plan validation
//! (`validator::build_for`), and asked about one string or number of the tape at a time (read
//! in place, `scalar.rs`), so the fast path's answer is the precise path's by construction.
//!
//! `format: email` and simple patterns recognise the strings they certainly accept first
//! (`formats.rs`, `patterns.rs`), and ask `jsonschema` about the others.

use jsonschema::Validator;
use serde_json::{Map, Value};

use super::formats;
use super::patterns::Simple;
use super::scalar::{Scalar, ScalarNode};

/// Some keywords of one schema, compiled by `jsonschema` alone.
pub(super) struct Leaf {
    validator: Validator<Scalar>,
    /// When the leaf is only a `format` or a `pattern` with a subset recognised without
    /// `jsonschema`.
    shortcut: Option<Shortcut>,
}

/// Strings certainly valid, recognised without `jsonschema` (others are asked of it).
enum Shortcut {
    /// `format: email`, for the subset of `formats.rs`.
    Email,
    /// A `pattern` in the subset of `patterns.rs`.
    Pattern(Simple),
}

impl Leaf {
    fn new(schema: Map<String, Value>) -> Result<Leaf, ()> {
        let validator = super::super::validator::build_for(&Value::Object(schema.clone())).map_err(drop)?;
        let shortcut = match schema.iter().next() {
            Some((key, Value::String(format))) if schema.len() == 1 && key == "format" => (format == "email").then_some(Shortcut::Email),
            Some((key, Value::String(pattern))) if schema.len() == 1 && key == "pattern" => Simple::parse(pattern).map(Shortcut::Pattern),
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
        let certainly = match &self.shortcut {
            Some(Shortcut::Email) => formats::email(text),
            Some(Shortcut::Pattern(pattern)) => pattern.matches(text),
            None => false,
        };
        if certainly {
            return true;
        }
        self.ask(text)
    }

    /// Whether the string `text` is valid, asked of `jsonschema`.
    fn ask(&self, text: &str) -> bool {
        self.validator.is_valid(ScalarNode::String(text))
    }

    /// Whether the number `n` is valid.
    pub(super) fn number(&self, n: &serde_json::Number) -> bool {
        self.validator.is_valid(ScalarNode::Number(n))
    }
}
