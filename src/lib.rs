//! cdpspec: the canonical schemas of the six customer-data calls (identify, group, track, page,
//! screen, alias), typed Rust generated from them at build time, and a validator that checks
//! payloads against them with diagnostics a person can act on.
//!
//! ```
//! let report = cdpspec::check::check_document(
//!     &serde_json::json!({"type": "track", "userId": "97980cfea0067"}),
//!     0,
//!     &Default::default(),
//! );
//! let finding = &report.calls[0].findings[0];
//! assert_eq!(finding.rule, cdpspec::Rule::MissingRequired);
//! assert!(finding.message.contains("`event`"));
//! ```

pub mod calls;
pub mod check;
pub mod config;
pub mod coverage;
pub mod destination;
pub mod diagnostic;
pub mod event;
pub mod export;
pub mod fast;
pub mod input;
pub mod locate;
pub mod output;
pub mod plan;
pub mod progress;
pub mod records;
pub mod rule;
pub mod rule_docs;
pub mod schema;
pub mod split;
pub mod suggest;
pub mod summary;
pub mod timestamp;
pub mod validate;
pub mod words;

pub use calls::*;
pub use cdpspec_derive::{Event, TrackingPlan};
pub use diagnostic::{Diagnostic, Finding};
pub use event::{Event, TrackingPlan, Traits};
pub use rule::{Rule, Severity};
pub use summary::Summary;

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
