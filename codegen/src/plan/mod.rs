//! Plan-first typed events: a tracking plan in, a Rust module out, whose types derive
//! `cdpspec::Event` and `schemars::JsonSchema` so that the plan they rebuild is the plan they
//! came from.
//!
//! ```no_run
//! // build.rs of an app; its src/main.rs has:
//! //     mod plan { include!(concat!(env!("OUT_DIR"), "/plan.rs")); }
//! let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").unwrap());
//! cdpspec_codegen::plan::Builder::new("tracking-plan.yaml").generate_to(out.join("plan.rs"))?;
//! # Ok::<(), cdpspec_codegen::Error>(())
//! ```
//!
//! The module needs `serde`, `serde_json`, `schemars` and `cdpspec` and can be `include!`d at
//! module level. Output is formatted by `prettyplease` and deterministic.
//!
//! # Names
//!
//! | plan | Rust |
//! |---|---|
//! | version `N` of event `Course Enrolled` | struct `CourseEnrolledVN` (`#[event(name = "Course Enrolled", version = N, ...)]`) |
//! | the event, newest version | `pub type CourseEnrolled = CourseEnrolledV2;` |
//! | `identify.traits`, `group.traits` | structs `IdentifyTraits`, `GroupTraits` |
//! | the whole plan | `enum Plan` deriving `cdpspec::TrackingPlan`: one variant per version type, `Identify`, `Group` |
//! | property `level` of a type `T` | field `level`; a type it needs is `TLevel` |
//! | `items` of property `products` of `T` | `TProductsItem` |
//! | `additionalProperties` of `T` | `TValue` |
//!
//! Field names are snake case (`#[serde(rename)]` keeps the key), enum variants Pascal case.
//! Two schemas that want one name are an error naming both.
//!
//! # Schemas
//!
//! | plan schema | Rust |
//! |---|---|
//! | `type: string` / `integer` / `number` / `boolean` | `String` / `i64` / `f64` / `bool` |
//! | `type: object` with `properties` | a struct; fields in key order |
//! | `required` | required fields are `T`, the others `Option<T>` with `skip_serializing_if` |
//! | `type: [T, "null"]` | `Option<T>`; optional and nullable: `Option<Option<T>>` (absent vs `null`) |
//! | `additionalProperties` absent / `true` | unlisted keys kept in a flattened `extra` map |
//! | `additionalProperties: false` | `#[serde(deny_unknown_fields)]`, no `extra` |
//! | `additionalProperties: {schema}` | `extra: BTreeMap<String, T>` |
//! | `enum` of distinct strings (maybe with `null`) | a Rust enum with serde renames, `Display`, `FromStr`, `as_str`, `ALL` |
//! | `type: array` with `items` | `Vec<T>` |
//! | several types (`[integer, string]`) | an untagged enum with `From` impls, schema written out |
//! | `type: object` without `properties` | `serde_json::Map` (or `BTreeMap<String, T>`) |
//! | no `type` (`anyOf`, `oneOf`, `{}`, ...), only `null`, `true`/`false` | `serde_json::Value` |
//! | `description` | doc comment |
//! | `pattern`, `minLength`/`maxLength`, `minItems`/`maxItems`, `minimum`/`maximum` | `#[schemars(regex(pattern), length(..), range(..), inner(..))]` |
//! | every other keyword (`format`, `const`, `title`, `uniqueItems`, `allOf`, ...) | `#[schemars(extend("keyword" = value))]`, as written |
//!
//! A schema that attributes cannot reproduce exactly (an array without `items`, an object
//! without `properties`, a nullable multi-type value, a `Value`, an enum with odd `null`s, items
//! with keywords `inner` cannot carry, ...) keeps its Rust type and gets its plan schema verbatim
//! through `#[schemars(schema_with = ...)]`; such fields are listed in the private helper module.
//!
//! # Not generated (errors naming the plan location)
//!
//! - `$ref`, `$defs`, `$id`, `$anchor`, `$schema` anywhere, and numeric `format`s (`int32`, ...):
//!   derived schemas inline everything and drop those formats.
//! - A section schema that does not say `type: object`, or has a root `description`/`title`
//!   (derived sections have none: describe the event or rule).
//! - `required` naming a key that `properties` does not list.
//! - An optional property that allows `null` inside a schema copied verbatim (derived schemas
//!   drop `null` from optional properties, and only the generated fields can keep it).
//! - Event versions with `traits` or `context` rules, `requires` other than the `properties` its
//!   schema already implies, version 0, duplicate versions or events, blank names, event
//!   descriptions starting with `#`, label keys that are not Rust identifiers; identify and group
//!   rules with sections other than `traits`, or with `requires`.
//! - Names: keys or event names without ASCII letters or digits, and collisions.
//!
//! `common`, `pages`, `screens` and `metadata` are not generated. A version's own `description`
//! has no place in `#[derive(cdpspec::Event)]`; it is kept in `Plan::VERSION_DESCRIPTIONS`.
//! Event descriptions are doc comments, so surrounding whitespace is trimmed.

mod convert;
mod emit;
mod model;
mod schema;

use std::path::{Path, PathBuf};

use cdpspec_plan::Plan;

use crate::{Error, ErrorKind};

/// The name of the generated enum that derives `cdpspec::TrackingPlan`.
pub const PLAN_ENUM: &str = "Plan";

/// Generates the module of `plan`; errors name the plan as `plan`.
pub fn generate(plan: &Plan) -> Result<String, Error> {
    generate_named(plan, "plan")
}

/// Generates the module of `plan`; errors name the plan `source` (a file name), with the JSON
/// pointer of what cannot be generated (`courses.yaml#/events/0/versions/1/properties`).
pub fn generate_named(plan: &Plan, source: &str) -> Result<String, Error> {
    let module = convert::convert(plan, source)?;
    emit::emit(&module)
}

/// Generates typed events from a plan file, for a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    plan: PathBuf,
}

impl Builder {
    /// A builder for the plan file at `plan` (YAML, or JSON by extension), relative to the
    /// working directory (a build script's is the package root).
    pub fn new(plan: impl Into<PathBuf>) -> Self {
        Self { plan: plan.into() }
    }

    /// Reads the plan and generates its module.
    pub fn generate(&self) -> Result<String, Error> {
        let name = self.plan.display().to_string();
        let plan = cdpspec_plan::load(&self.plan).map_err(|e| {
            let kind = if e.line.is_some() { ErrorKind::Json } else { ErrorKind::Io };
            let mut error = Error::new(kind, "", "", e.to_string());
            error.source = Some(Box::new(e));
            error
        })?;
        generate_named(&plan, &name)
    }

    /// Prints `cargo::rerun-if-changed` for the plan, generates its module and writes it to
    /// `out` (only when it changed, so that dependents are not rebuilt for nothing).
    pub fn generate_to(&self, out: impl AsRef<Path>) -> Result<(), Error> {
        println!("cargo::rerun-if-changed={}", self.plan.display());
        let code = self.generate()?;
        let out = out.as_ref();
        if std::fs::read_to_string(out).ok().as_deref() != Some(code.as_str()) {
            std::fs::write(out, code).map_err(|e| Error::io(&out.display().to_string(), e))?;
        }
        Ok(())
    }
}
