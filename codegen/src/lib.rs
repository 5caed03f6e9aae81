//! Turns JSON Schemas (draft 2020-12) into typed Rust: serde structs and
//! enums, printed by `prettyplease` from a `syn::File` built with `quote`.
//!
//! ```no_run
//! # fn main() -> Result<(), cdpspec_codegen::Error> {
//! let code = cdpspec_codegen::Generator::new()
//!     .add_dir("schema")?
//!     .generate()?;
//! # let _ = code;
//! # Ok(())
//! # }
//! ```
//!
//! By default a type is generated for every file-level schema that has a
//! `title` and maps to a struct or an enum, plus every schema those reach
//! through `$ref`, `properties`, `items` and `additionalProperties`.
//! [`Generator::add_root`] asks for more. The output needs only `serde`
//! and `serde_json` and can be `include!`d at module level.
//!
//! The crate is split by job: `registry` loads schemas and resolves `$ref`,
//! `shape` classifies schemas, `convert` maps them to the type model in
//! `model`, `emit` prints the model, `naming` makes identifiers.

mod convert;
mod emit;
mod model;
mod naming;
pub mod plan;
mod registry;
mod shape;
pub mod validator;

use registry::Registry;
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// Collects schemas and generates Rust source from them.
#[derive(Debug, Default)]
pub struct Generator {
    registry: Registry,
    roots: Vec<String>,
}

impl Generator {
    /// A generator with no schemas.
    pub fn new() -> Self {
        Self::default()
    }

    /// Loads every `*.json` file directly in `dir`, in file-name order.
    /// Each file is one schema, identified by its `$id` (or, without one, by
    /// its path).
    pub fn add_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| Error::io(&dir.display().to_string(), e);
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
                paths.push(path);
            }
        }
        paths.sort();
        for path in paths {
            self = self.add_file(path)?;
        }
        Ok(self)
    }

    /// Loads one schema file.
    pub fn add_file(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(&name, e))?;
        let value = serde_json::from_str(&text).map_err(|e| Error::json(&name, e))?;
        self.add_schema(&name, value)
    }

    /// Adds a schema that is not on disk. `source_name` names it in errors,
    /// and is its `$id` when it has none.
    pub fn add_schema(mut self, source_name: &str, value: Value) -> Result<Self, Error> {
        self.registry.add(source_name, value)?;
        Ok(self)
    }

    /// Also generates the type of the schema at `reference`, a URI with an
    /// optional fragment: an absolute `$id`, or a file name such as
    /// `common.schema.json#/$defs/callType`. It must map to a struct or an
    /// enum. Checked by [`generate`](Self::generate).
    pub fn add_root(mut self, reference: &str) -> Self {
        self.roots.push(reference.to_owned());
        self
    }

    /// Generates the Rust source: one item per type, sorted by name.
    pub fn generate(&self) -> Result<String, Error> {
        let model = convert::convert(&self.registry, &self.roots)?;
        emit::emit(&model)
    }
}

/// What went wrong, broadly. [`Error`]'s message has the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A schema file or directory could not be read.
    Io,
    /// A schema file is not JSON.
    Json,
    /// Two schemas have the same `$id`.
    DuplicateId,
    /// A `$ref` (or a root given to [`Generator::add_root`]) points nowhere.
    UnresolvableRef,
    /// A schema uses a construct this generator cannot map to Rust.
    Unsupported,
    /// Two schemas want the same type name, or two keys the same field name.
    NameCollision,
    /// No valid Rust name can be made for a schema or key.
    InvalidName,
    /// A bug in the generator.
    Internal,
}

/// An error with the schema file and the JSON pointer it is about.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    file: String,
    pointer: String,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Self { kind, file: file.to_owned(), pointer: pointer.to_owned(), message: message.into(), source: None }
    }

    fn io(file: &str, e: std::io::Error) -> Self {
        let mut error = Self::new(ErrorKind::Io, file, "", e.to_string());
        error.source = Some(Box::new(e));
        error
    }

    fn json(file: &str, e: serde_json::Error) -> Self {
        let mut error = Self::new(ErrorKind::Json, file, "", format!("not valid JSON: {e}"));
        error.source = Some(Box::new(e));
        error
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "", "", message)
    }

    /// What went wrong, broadly.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The schema file (or source name) the error is about; empty if none.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The JSON pointer, inside [`file`](Self::file), of the problem
    /// (`""` for the whole file).
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The message, without file and pointer.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.file.is_empty(), self.pointer.is_empty()) {
            (true, _) => f.write_str(&self.message),
            (false, true) => write!(f, "{}: {}", self.file, self.message),
            (false, false) => write!(f, "{}#{}: {}", self.file, self.pointer, self.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
