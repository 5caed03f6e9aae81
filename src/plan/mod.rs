//! Tracking plans: the model and files (from `cdpspec-plan`), and plan-aware validation.

pub use cdpspec_plan::*;
