//! `cdpspec coverage`: which destination actions each call triggers, which fail for lack of a
//! required field, which calls reach no action at all, and (with a plan) which planned events
//! never appear. A call is covered by an action when the preset's trigger matches and every
//! required field of the action resolves to a value of the right type.

mod calls;
mod compile;
mod evaluate;
mod handoff;
mod render;
mod report;
mod run;
internal!(tape);

pub use calls::{DocumentCall, calls_of};
pub(crate) use calls::{with_envelope, with_type};
pub use compile::{CompileError, CompiledDestination, CompiledPreset, Outcome, Problem, UnknownAction};
pub use evaluate::Evaluated;
pub use render::{Format, render};
pub use report::{CallRecord, Coverage, FieldStats, Gate, InvalidCalls, KindStats, PlanStats, PresetStats};
pub use run::Evaluation;
