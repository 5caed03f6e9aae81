//! cdpspec: the canonical schemas of the six customer-data calls (identify, group, track, page,
//! screen, alias), typed Rust generated from them, and a validator that checks
//! payloads against them, and against a tracking plan, with diagnostics a person can act on.
//!
//! The `cdpspec` command line is built on the entry points below; each works on a parsed
//! `serde_json::Value` and does no I/O.
//!
//! # Validate a payload
//!
//! [`check::check_document`] takes a call, a batch (`{"batch": [...]}`) or an array of calls and
//! returns the findings of every rule, call by call. Each [`Finding`] names its [`Rule`], the
//! JSON pointer of the offending value, a message and, when the fix is obvious, a suggestion.
//!
//! ```
//! use cdpspec::check::{Options, check_document};
//!
//! let call = serde_json::json!({"type": "track", "userId": "97980cfea0067"});
//! let report = check_document(&call, &Options::default());
//! let finding = &report.calls[0].findings[0];
//! assert_eq!(finding.rule, cdpspec::Rule::MissingRequired);
//! assert_eq!(finding.pointer, "");
//! assert!(finding.message.contains("`event`"));
//! ```
//!
//! [`Options`](check::Options) carry what the payload does not say: the type an endpoint
//! implies, severity overrides ([`rule::Severities`]), size limits, and a plan.
//!
//! # Validate with a tracking plan
//!
//! A plan (YAML or JSON, see `examples/plan/courses.yaml`) is compiled once into a
//! [`plan::PlanValidator`]; its violations come back as findings of the plan rules
//! (`unplanned-event`, `required-missing`, `datatype-mismatch`, ...).
//!
//! ```
//! use std::sync::Arc;
//! use cdpspec::check::{Options, check_document};
//! use cdpspec::plan::{Format, PlanValidator, parse};
//!
//! let plan = parse(r#"
//! name: Shop
//! events:
//!   - name: Order Completed
//!     versions:
//!       - version: 1
//!         properties:
//!           type: object
//!           properties:
//!             order_id: {type: string}
//!           required: [order_id]
//! "#, Format::Yaml, "plan.yaml").unwrap();
//! let options = Options { plan: Some(Arc::new(PlanValidator::new(plan, "plan.yaml").unwrap())), ..Options::default() };
//!
//! let call = serde_json::json!({"type": "track", "userId": "u1", "event": "Order Completed", "properties": {}});
//! let findings = &check_document(&call, &options).calls[0].findings;
//! assert_eq!(findings[0].rule, cdpspec::Rule::RequiredMissing);
//! assert_eq!(findings[0].pointer, "/properties");
//! ```
//!
//! # Evaluate destination coverage
//!
//! A destination ([`destination::load`]: a bundled one by name, or a file) is compiled once;
//! [`coverage::CompiledDestination::evaluate`] tells, for one call, which presets' triggers
//! match and whether each action's required fields resolve. [`coverage::Coverage`] adds such
//! results up into the report `cdpspec coverage` prints.
//!
//! ```
//! use cdpspec::coverage::CompiledDestination;
//!
//! let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
//! let call = serde_json::json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}});
//! let outcomes = customerio.evaluate(&call);
//! let preset = &customerio.presets[outcomes[0].preset];
//! assert_eq!((preset.action_title.as_str(), outcomes[0].ok), ("Create or Update Person", true));
//! ```
//!
//! # Use the typed calls
//!
//! [`Message`] (any call, by its `type`), [`Identify`], [`Track`], ... and [`Batch`] are
//! generated from the schemas, so they accept exactly what the contract accepts and keep unknown
//! keys. Code-first tracking plans use `#[derive(Event)]` and `#[derive(TrackingPlan)]`.
//!
//! ```
//! use cdpspec::Message;
//!
//! let text = r#"{"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "properties": {"level": "beginner"}}"#;
//! let Message::Track(track) = serde_json::from_str(text).unwrap() else { unreachable!() };
//! assert_eq!(track.event, "Course Enrolled");
//! ```

// Library code never exits, prints or decides about terminals (the command line does), and
// says what is public by where it is re-exported. The lints keep it so.
#![warn(unreachable_pub, clippy::exit, clippy::print_stdout, clippy::print_stderr)]

// The layout: `model` (what every part shares), `engine` (checking one record: the fast path,
// the precise path, rules, plans, routing), `input` (sources and records), `output` (emitters
// and split files), `validate` (the pipeline that wires them), `config`; then destinations,
// coverage, export and code-first plans. The command line is the `cdpspec-cli` crate.
/// Declares an internal module: private, but public under the `testing` feature, so that the
/// crate's own tests, benchmarks and fuzz target reach it through [`testing`].
macro_rules! internal {
    ($name:ident) => {
        #[cfg(feature = "testing")]
        pub mod $name;
        #[cfg(not(feature = "testing"))]
        #[allow(dead_code, unreachable_pub)] // Parts only tests reach (through `testing`).
        pub(crate) mod $name;
    };
}

pub mod config;
pub mod coverage;
pub mod destination;
pub mod engine;
pub mod event;
pub mod export;
pub mod infer;
pub mod input;
pub mod intake;
pub mod model;
pub mod output;
pub mod validate;

pub use engine::{check, plan, route, schema};
pub(crate) use engine::{fast, locate, suggest, timestamp};
pub(crate) use input::records;
pub(crate) use model::rule_docs;
pub use model::{calls, diagnostic, rule, summary, words};
pub use output::split;

pub use calls::*;
pub use cdpspec_derive::{Event, TrackingPlan};
pub use cdpspec_plan::Pointer;
pub use diagnostic::{Diagnostic, Finding};
pub use event::{Event, TrackingPlan, Traits};
pub use rule::{Rule, Severity};
pub use summary::Summary;

/// Internals for the crate's own tests, benchmarks and fuzz targets (the fast path's tape and
/// generated validators, records, pointer location, suggestions, rule docs), behind the
/// `testing` feature: not part of the API, and free to change.
#[cfg(feature = "testing")]
#[doc(hidden)]
pub mod testing {
    pub use crate::engine::{fast, locate, suggest, timestamp};
    pub use crate::input::records;
    pub use crate::model::rule_docs;
}

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
