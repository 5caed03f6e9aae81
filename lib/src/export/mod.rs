//! `cdpspec schema export`: the canonical schemas, and a tracking plan's rules, as
//! self-contained schema files for other languages' tools.
//!
//! [`export`] writes into [`Options::out`]:
//!
//! - the canonical schemas, under their own names (`track.schema.json`, ...);
//! - with a plan, `events/<event>.v<N>.schema.json` per event version and
//!   `planned/<call>.schema.json` per call type, plus `planned/message.schema.json` and
//!   `planned/batch.schema.json` (see the `planned` module for what applies where);
//! - with [`Options::bundle`], also `cdpspec.bundle.schema.json`: every schema above in its
//!   `$defs`, and a root that accepts a batch (an object with `batch`) or one message, planned
//!   ones when a plan is given;
//! - `index.json`: what was written (`path` relative to the directory, `id`, `title`, `kind`,
//!   `draft`).
//!
//! Every file is self-contained: the schemas it references are copied into its `$defs`
//! (`definitions` in draft 7) under their file names and every `$ref` is a local `#/...` pointer,
//! so no validator fetches anything. Each keeps its versioned `$id`
//! (`https://cdpspec.dev/schema/v1/track.schema.json`; plan files live under
//! `https://cdpspec.dev/schema/v1/plans/<plan>/<plan version>/`). Every file is checked against
//! its draft's meta-schema before it is written. Output is deterministic: sorted keys, two-space
//! indentation, a final newline. Files from earlier exports are not removed.
//!
//! Draft 7 output follows the rules in the `draft7` module.

mod bundle;
mod draft7;
mod error;
mod index;
mod names;
mod planned;
mod uri;
mod walk;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde_json::{Value, json};

pub use error::ExportError;

use crate::plan::Plan;
use crate::schema::{BASE_URI, FILES, load};
use bundle::{Registry, Resource};

/// The name of the bundle file.
///
/// ```
/// use cdpspec::export::{BUNDLE_FILE, Draft, Kind, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let written = export(&Options { out: &out, plan: None, draft: Draft::Draft202012, bundle: true }).unwrap();
/// let bundle = written.last().unwrap();
/// assert_eq!((bundle.relative.as_str(), bundle.kind), (BUNDLE_FILE, Kind::Bundle));
/// assert!(out.join(BUNDLE_FILE).is_file());
/// ```
pub const BUNDLE_FILE: &str = "cdpspec.bundle.schema.json";
/// The name of the index file.
///
/// ```
/// use cdpspec::export::{Draft, INDEX_FILE, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let written = export(&Options { out: &out, plan: None, draft: Draft::Draft7, bundle: false }).unwrap();
/// let index: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join(INDEX_FILE)).unwrap()).unwrap();
/// assert_eq!(index["draft"], "07");
/// assert_eq!(index["files"].as_array().unwrap().len(), written.len());
/// ```
pub const INDEX_FILE: &str = "index.json";

/// The JSON Schema draft of the output.
///
/// ```
/// use cdpspec::export::Draft;
///
/// assert_eq!(Draft::default(), Draft::Draft202012);
/// assert_eq!("draft-07".parse::<Draft>(), Ok(Draft::Draft7));
/// assert!("2019-09".parse::<Draft>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Draft {
    /// Draft 2020-12, the draft of the canonical schemas.
    #[default]
    Draft202012,
    /// Draft 7, for tools without 2020-12.
    Draft7,
}

impl Draft {
    /// `2020-12` or `07`, as `--draft` takes it and `index.json` says it.
    ///
    /// ```
    /// use cdpspec::export::Draft;
    ///
    /// assert_eq!(Draft::Draft202012.as_str(), "2020-12");
    /// assert_eq!(Draft::Draft7.to_string(), "07");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Draft::Draft202012 => "2020-12",
            Draft::Draft7 => "07",
        }
    }

    /// The `$schema` of files of this draft.
    ///
    /// ```
    /// use cdpspec::export::Draft;
    ///
    /// assert_eq!(Draft::Draft202012.meta_schema(), "https://json-schema.org/draft/2020-12/schema");
    /// assert!(Draft::Draft7.meta_schema().contains("draft-07"));
    /// ```
    pub fn meta_schema(self) -> &'static str {
        match self {
            Draft::Draft202012 => "https://json-schema.org/draft/2020-12/schema",
            Draft::Draft7 => draft7::SCHEMA,
        }
    }
}

impl fmt::Display for Draft {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Draft {
    type Err = String;

    /// `2020-12` (or `202012`), `07` (or `7`, `draft-07`, `draft7`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().trim_start_matches("draft").trim_start_matches('-') {
            "2020-12" | "202012" => Ok(Draft::Draft202012),
            "07" | "7" => Ok(Draft::Draft7),
            _ => Err(format!("unknown draft `{s}`: expected 2020-12 or 07")),
        }
    }
}

/// What to export, and where.
///
/// ```
/// use cdpspec::export::{Draft, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let options = Options { out: &out, plan: None, draft: Draft::Draft7, bundle: false };
/// let written = export(&options).unwrap();
/// assert!(written.iter().all(|w| w.draft == Draft::Draft7 && w.path.starts_with(&out)));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The directory to write into (created if missing).
    pub out: &'a Path,
    /// A tracking plan whose rules to export too.
    pub plan: Option<&'a Plan>,
    /// The draft of every file written.
    pub draft: Draft,
    /// Also write `cdpspec.bundle.schema.json`, every schema in one file.
    pub bundle: bool,
}

/// What a written schema file is.
///
/// ```
/// use cdpspec::export::{Draft, Kind, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let written = export(&Options { out: &out, plan: None, draft: Draft::Draft202012, bundle: false }).unwrap();
/// let track = written.iter().find(|w| w.relative == "track.schema.json").unwrap();
/// assert_eq!(track.kind, Kind::Call);
/// assert!(written.iter().all(|w| w.kind != Kind::Event));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// One of the six calls (`track.schema.json`).
    Call,
    /// `message.schema.json`: any call, selected by `type`.
    Message,
    /// `batch.schema.json`: the batch body.
    Batch,
    /// Shared parts (`common`, `context`, `integrations`, `traits`, `properties`).
    Shared,
    /// A planned event version (`events/course-enrolled.v1.schema.json`).
    Event,
    /// A call type with the plan applied (`planned/track.schema.json`).
    PlannedCall,
    /// `planned/message.schema.json`: any call, with the plan applied.
    PlannedMessage,
    /// `planned/batch.schema.json`: a batch of planned calls.
    PlannedBatch,
    /// `cdpspec.bundle.schema.json`: everything in one file.
    Bundle,
}

impl Kind {
    /// The kebab-case name `index.json` uses.
    ///
    /// ```
    /// use cdpspec::export::Kind;
    ///
    /// assert_eq!(Kind::PlannedCall.as_str(), "planned-call");
    /// assert_eq!(Kind::Shared.to_string(), "shared");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::Message => "message",
            Kind::Batch => "batch",
            Kind::Shared => "shared",
            Kind::Event => "event",
            Kind::PlannedCall => "planned-call",
            Kind::PlannedMessage => "planned-message",
            Kind::PlannedBatch => "planned-batch",
            Kind::Bundle => "bundle",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One schema file written.
///
/// ```
/// use cdpspec::export::{Draft, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let written = export(&Options { out: &out, plan: None, draft: Draft::Draft202012, bundle: false }).unwrap();
/// let track = written.iter().find(|w| w.relative == "track.schema.json").unwrap();
/// assert_eq!(track.id, "https://cdpspec.dev/schema/v1/track.schema.json");
/// assert_eq!(track.path, out.join("track.schema.json"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Where it was written (`out` joined with `relative`).
    pub path: PathBuf,
    /// Its path relative to `out`, with `/` separators, as `index.json` lists it.
    pub relative: String,
    /// Its `$id`.
    pub id: String,
    /// Its `title`.
    pub title: String,
    /// What it is.
    pub kind: Kind,
    /// Its draft.
    pub draft: Draft,
}

/// A file to write: where, under which `$id`, and what it is.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub uri: String,
    pub path: String,
    pub title: String,
    pub kind: Kind,
}

/// Writes the schemas `options` asks for and `index.json`; returns the schema files written, in
/// the order `index.json` lists them.
///
/// # Errors
///
/// An [`ExportError`]: a file that cannot be written, a plan or `$ref` that cannot be exported, a keyword the target draft lacks, or an output its meta-schema rejects.
///
/// ```
/// use cdpspec::export::{Draft, Options, export};
///
/// let scratch = tempfile::tempdir().unwrap();
/// let out = scratch.path().join("schemas");
/// let written = export(&Options { out: &out, plan: None, draft: Draft::Draft202012, bundle: false }).unwrap();
/// let schema: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&written[0].path).unwrap()).unwrap();
/// assert_eq!(schema["$schema"], Draft::Draft202012.meta_schema());
/// assert_eq!(schema["$id"], written[0].id);
/// ```
pub fn export(options: &Options) -> Result<Vec<Written>, ExportError> {
    let mut registry = Registry::default();
    let mut outputs = Vec::new();
    for (name, _) in FILES {
        let mut schema = load(name);
        if options.draft == Draft::Draft7 {
            draft7::annotate_formats(&mut schema);
        }
        let uri = format!("{BASE_URI}{name}");
        let title = schema["title"].as_str().unwrap_or_default().to_string();
        let kind = match *name {
            "message.schema.json" => Kind::Message,
            "batch.schema.json" => Kind::Batch,
            n if crate::CallType::ALL.iter().any(|c| n == format!("{}.schema.json", c.as_str())) => Kind::Call,
            _ => Kind::Shared,
        };
        registry.add(Resource { uri: uri.clone(), name: (*name).into(), schema });
        outputs.push(Output { uri, path: (*name).into(), title, kind });
    }
    if let Some(plan) = options.plan {
        outputs.extend(planned::add(plan, &mut registry)?);
    }
    let mut written = Vec::new();
    for output in &outputs {
        let schema = &registry.get(&output.uri).expect("every output is registered").schema;
        let bundled = bundle::bundle(&output.path, &output.uri, schema, &registry, false)?;
        written.push(write_schema(options, output, bundled)?);
    }
    if options.bundle {
        let (output, root) = bundle_root(options.plan);
        let bundled = bundle::bundle(&output.path, &output.uri, &root, &registry, true)?;
        written.push(write_schema(options, &output, bundled)?);
    }
    index::write(options, &written)?;
    Ok(written)
}

/// The bundle's root: a batch or a message, planned ones with a plan.
fn bundle_root(plan: Option<&Plan>) -> (Output, Value) {
    let (base, title, targets, about) = match plan {
        Some(plan) => {
            let base = planned::base(plan);
            let targets = (format!("{base}planned/batch.schema.json"), format!("{base}planned/message.schema.json"));
            let label = planned::label(plan);
            (base, format!("cdpspec ({label})"), targets, format!(" and the tracking plan {label} (`planned.*`, `events.*`, its rules as `plan.*`)"))
        }
        None => {
            (BASE_URI.to_string(), "cdpspec".to_string(), (format!("{BASE_URI}batch.schema.json"), format!("{BASE_URI}message.schema.json")), String::new())
        }
    };
    let uri = format!("{base}{BUNDLE_FILE}");
    let root = json!({
        "$schema": Draft::Draft202012.meta_schema(),
        "$id": uri,
        "title": title,
        "description": format!(
            "Every schema of the canonical contract{about} in one file: `$defs` holds each under its file name (`track.schema.json`). The root accepts what `cdpspec validate` reads as a document: a batch (an object with `batch`) or one call with its `type`."
        ),
        "if": {"type": "object", "required": ["batch"]},
        "then": {"$ref": targets.0},
        "else": {"$ref": targets.1}
    });
    (Output { uri, path: BUNDLE_FILE.into(), title, kind: Kind::Bundle }, root)
}

/// Converts a bundled 2020-12 schema to the requested draft, checks it against its meta-schema
/// and writes it.
fn write_schema(options: &Options, output: &Output, schema: Value) -> Result<Written, ExportError> {
    let schema = match options.draft {
        Draft::Draft202012 => schema,
        Draft::Draft7 => draft7::convert(&output.path, &schema)?,
    };
    let checked = match options.draft {
        Draft::Draft202012 => jsonschema::draft202012::meta::validate(&schema),
        Draft::Draft7 => jsonschema::draft7::meta::validate(&schema),
    };
    if let Err(e) = checked {
        return Err(ExportError::MetaSchema { file: output.path.clone(), message: format!("{e} (at {})", e.instance_path()) });
    }
    let path = index::write_json(options.out, &output.path, &schema)?;
    Ok(Written { path, relative: output.path.clone(), id: output.uri.clone(), title: output.title.clone(), kind: output.kind, draft: options.draft })
}
