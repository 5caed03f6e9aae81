//! Tracking plans for customer-data calls: the model ([`Plan`]), plan files in YAML or JSON,
//! import of Segment Protocols plans, lint and diff; and JSON Pointers ([`Pointer`]), which every
//! crate of cdpspec builds and reads through.

pub mod diff;
mod file;
mod model;
pub mod pointer;
pub mod segment;

pub use file::{Error, Format, load, parse, write};
pub use model::{Event, EventVersion, NamedRule, Plan, Rule, Section};
pub use pointer::{Pointer, PointerError};
