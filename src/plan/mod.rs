//! Tracking plans: the model and files (from `cdpspec-plan`), and plan-aware validation.

mod explain;
mod hints;
pub mod lint;
pub mod position;
mod validator;

pub use cdpspec_plan::*;
pub use validator::{PlanError, PlanValidator, compile_section};
