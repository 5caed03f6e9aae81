//! Tracking plans: the model and files (from `cdpspec-plan`), and plan-aware validation.

mod explain;
mod fast;
mod hints;
pub mod lint;
pub mod position;
mod schema_error;
mod select;
mod validator;

pub use cdpspec_plan::*;
pub use schema_error::SchemaError;
pub use validator::{PlanError, PlanValidator, compile_section};
