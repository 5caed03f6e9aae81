//! What the batched reader (`reader.rs`) does with each record on its threads. `validate` checks
//! it with the engine ([`Check`]: an `Outcome`); `coverage` checks it and evaluates its calls
//! against a destination (`crate::coverage::evaluate`). The reader cuts, schedules and orders the
//! records the same way for both, so one reader serves every front end that reads sources.

use super::outcome::{self, Outcome};
use crate::engine::{Engine, Origin};
use crate::records::Record;

/// Work done on each record of a source, on whichever thread the reader picks, so results are
/// `Send` and the work is `Sync`. The reader hands results on in input order.
pub(crate) trait PerRecord: Sync {
    /// What one record gives.
    type Out: Send;
    /// The engine that checks the records (its limits bound what the reader holds).
    fn engine(&self) -> &Engine;
    /// An NDJSON line without its terminator, line `line` of its source.
    fn line(&self, text: &[u8], line: usize) -> Self::Out;
    /// A record `records::read` split and parsed (a source read as one document).
    fn record(&self, record: Record<'_>) -> Self::Out;
}

/// The engine's check of each record, for `validate`: its [`Outcome`].
pub(crate) struct Check<'a> {
    /// The source's name, for diagnostics.
    pub(crate) name: &'a str,
    /// What checks.
    pub(crate) engine: &'a Engine,
}

impl PerRecord for Check<'_> {
    type Out = Outcome;

    fn engine(&self) -> &Engine {
        self.engine
    }

    #[inline]
    fn line(&self, text: &[u8], line: usize) -> Outcome {
        self.engine.check_record(text, Origin { name: self.name, line })
    }

    fn record(&self, record: Record<'_>) -> Outcome {
        outcome::from_record(self.name, record, &|n| n, self.engine.options())
    }
}
