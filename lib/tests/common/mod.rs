//! Helpers shared by the integration tests.

pub mod payloads;
pub mod plans;
