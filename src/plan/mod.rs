//! Tracking plans: the model and files (from `cdpspec-plan`), and plan-aware validation.

pub mod lint;
mod validator;

pub use cdpspec_plan::*;
pub use validator::{PlanError, PlanValidator, compile_section};
