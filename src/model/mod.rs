//! The model every part shares: the calls (generated from the schemas), diagnostics, the rule
//! catalog, the run's summary. Pure data, no checking and no I/O.

pub mod calls;
pub mod diagnostic;
pub mod rule;
#[cfg(feature = "testing")]
pub mod rule_docs;
#[cfg(not(feature = "testing"))]
#[allow(dead_code, unreachable_pub)] // Parts only tests reach (through `testing`).
pub(crate) mod rule_docs;
pub mod summary;
pub mod words;
