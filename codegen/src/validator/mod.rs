//! JSON Schemas -> boolean validators in Rust: one `fn` per schema location, each answering
//! "is this value valid?" without allocating, as the fast path of a validator that builds its
//! precise errors elsewhere (jsonschema-rs's `is_valid` beside `iter_errors`).
//!
//! ```no_run
//! # fn main() -> Result<(), cdpspec_codegen::Error> {
//! let code = cdpspec_codegen::validator::Generator::new()
//!     .add_dir("schema")?
//!     .add_root("track", "track.schema.json")
//!     .generate()?;
//! # let _ = code;
//! # Ok(())
//! # }
//! ```
//!
//! Only the keywords cdpspec's canonical schemas use are supported, each with its 2020-12
//! meaning: `type` (a name or a list), `properties`, `required`, `additionalProperties`,
//! `items`, `allOf`, `anyOf`, `oneOf`, `$ref`, `const` and `enum` (strings, booleans, null),
//! `minLength`, and `pattern` only as `\S` ("has a character that is not white space"). `format`
//! is an annotation, as in 2020-12, and so are `title`, `description` and the like. Any other
//! keyword is an error naming its location: a validator that skipped a keyword would accept
//! what the schema rejects.
//!
//! The output is generic over the value type. It expects, in scope where it is `include!`d, a
//! trait `Json: Copy` (a handle to a value) with `kind(&self) -> Kind`, `is_integer`, `as_str`,
//! `as_bool`, `members(&self) -> impl Iterator<Item = (&str, Self)>` (every member in document
//! order, duplicates included; none for non-objects) and `elements` (likewise for arrays), and an enum
//! `Kind { Null, Bool, Number, String, Array, Object }` deriving `PartialEq`. Every member of an
//! object is checked, duplicates too, so a value with duplicate keys is valid only if it is
//! valid whichever duplicate a parser keeps (for schemas without `oneOf`).
//!
//! The crate is split by job: `compile` turns schemas into the `model` of checks, `emit`
//! prints it.

mod compile;
mod emit;
mod model;
#[cfg(test)]
mod tests;

use crate::registry::Registry;
use crate::{Error, ErrorKind};
use serde_json::Value;
use std::path::Path;

/// Collects schemas and generates boolean validators for chosen roots.
#[derive(Debug, Default)]
pub struct Generator {
    registry: Registry,
    roots: Vec<(String, String)>,
}

impl Generator {
    /// A generator with no schemas.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every `*.json` file directly in `dir`, in file-name order, each identified by its
    /// `$id` (or, without one, by its path).
    pub fn add_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| Error::new(ErrorKind::Io, &dir.display().to_string(), "", e.to_string());
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|e| Error::new(ErrorKind::Io, &name, "", e.to_string()))?;
            let value = serde_json::from_str(&text).map_err(|e| Error::new(ErrorKind::Json, &name, "", format!("not valid JSON: {e}")))?;
            self = self.add_schema(&name, value)?;
        }
        Ok(self)
    }

    /// Adds a schema that is not on disk. `source_name` names it in errors, and is its `$id`
    /// when it has none.
    pub fn add_schema(mut self, source_name: &str, value: Value) -> Result<Self, Error> {
        self.registry.add(source_name, value)?;
        Ok(self)
    }

    /// Adds a copy of the loaded schema `reference` (an `$id` or file name) under the `$id`
    /// `id`, with the subschema at JSON pointer `pointer` replaced by `true`, so that part
    /// accepts anything. cdpspec checks the calls of a batch one by one, each against its own
    /// call's schema, so its envelope validator is the batch schema with
    /// `/properties/batch/items` accepting anything.
    pub fn add_relaxed_copy(self, reference: &str, id: &str, pointer: &str) -> Result<Self, Error> {
        let loc = self.registry.lookup(reference)?;
        let mut value = self.registry.get(&loc).cloned().unwrap_or(Value::Null);
        let Some(slot) = value.pointer_mut(pointer) else {
            return Err(self.registry.error(&loc, ErrorKind::UnresolvableRef, format!("nothing at JSON pointer `{pointer}` to relax")));
        };
        *slot = Value::Bool(true);
        if let Value::Object(map) = &mut value {
            map.insert("$id".to_owned(), Value::String(id.to_owned()));
        }
        self.add_schema(id, value)
    }

    /// Generates a public `fn name<V: Json>(value: V) -> bool` for the schema at `reference`,
    /// a URI with an optional fragment: an absolute `$id`, or a file name such as
    /// `track.schema.json` or `common.schema.json#/$defs/id`. Checked by
    /// [`generate`](Self::generate).
    pub fn add_root(mut self, name: &str, reference: &str) -> Self {
        self.roots.push((name.to_owned(), reference.to_owned()));
        self
    }

    /// Generates the Rust source: the roots in the order they were added, then one private
    /// function per schema location they reach, in the order they were reached.
    pub fn generate(&self) -> Result<String, Error> {
        let program = compile::compile(&self.registry, &self.roots)?;
        emit::emit(&program)
    }
}
