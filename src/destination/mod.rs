//! Destinations: their actions and presets as data, the trigger language that routes calls to
//! actions, and the mapping directives that build each action's payload.

pub mod mapping;
pub mod trigger;
