//! The canonical schemas as boolean validators, generated at build time by
//! `cdpspec_codegen::validator` (see build.rs; reviewed as the golden file
//! `codegen/tests/generated/validator.rs`): one public `fn` per call type, `message`, `batch`
//! and `batch_envelope` (the batch without its items), each generic over [`Json`] and giving the
//! same verdict as the `jsonschema` crate's `is_valid` with the same schema.

use super::json::{Json, Kind};

include!(concat!(env!("OUT_DIR"), "/validator.rs"));

/// The validator of one call type.
#[inline]
pub fn call<V: Json>(call: crate::CallType, value: V) -> bool {
    match call {
        crate::CallType::Identify => identify(value),
        crate::CallType::Group => group(value),
        crate::CallType::Track => track(value),
        crate::CallType::Page => page(value),
        crate::CallType::Screen => screen(value),
        crate::CallType::Alias => alias(value),
    }
}
