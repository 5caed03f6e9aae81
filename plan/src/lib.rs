//! Tracking plans for customer-data calls: the model ([`Plan`]), plan files in YAML or JSON,
//! import of Segment Protocols plans and RudderStack data catalogs, lint and diff; JSON Pointers ([`Pointer`]), which every
//! crate of cdpspec builds and reads through; and the JSON Schema keywords ([`keywords`]), which
//! every crate learns from.

pub mod diff;
mod file;
pub mod keywords;
mod model;
pub mod pointer;
pub mod rudderstack;
pub mod segment;

pub use file::{Error, Format, SCHEMA_URL, YAML_MODELINE, load, parse, write};
pub use model::{Event, EventVersion, NamedRule, Plan, Rule, Section};
pub use pointer::{Pointer, PointerError};
