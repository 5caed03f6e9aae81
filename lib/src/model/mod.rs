//! The model every part shares: the calls (generated from the schemas), diagnostics, the rule
//! catalog, the run's summary. Pure data, no checking and no I/O.

pub mod calls;
pub mod diagnostic;
pub mod rule;
internal!(rule_docs);
pub mod summary;
pub mod words;
