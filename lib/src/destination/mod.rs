//! Destinations: their actions and presets as data, the trigger language that routes calls to
//! actions, and the mapping directives that build each action's payload.

pub(crate) mod call;
mod json;
mod load;
pub mod mapping;
mod model;
pub mod trigger;

pub(crate) use call::Call;
pub(crate) use json::CallJson;
pub use load::{BUNDLED, LoadError, bundled, load, names};
pub use model::{Action, DestinationFile, Preset};
