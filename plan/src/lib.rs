//! Tracking plans for customer-data calls: the model ([`Plan`]), plan files in YAML or JSON,
//! import of Segment Protocols plans, lint and diff.

pub mod diff;
mod file;
mod model;
pub mod segment;

pub use file::{Error, Format, load, parse, write};
pub use model::{Event, EventVersion, NamedRule, Plan, Rule, Section};
