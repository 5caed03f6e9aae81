//! The payload types: the six calls, `Message` (any call, tagged by `type`), `Batch`, `Context`
//! and everything they nest, generated at build time from `schema/` by `cdpspec-codegen`.
//!
//! Optional fields are `Option<T>`; optional fields that may be `null` are `Option<Option<T>>`
//! (`None`: absent, `Some(None)`: `null`), so a payload round-trips exactly. Every object keeps
//! keys the schema does not list in `extra`. The generated source is reviewed as a golden file:
//! `codegen/tests/generated/calls.rs`.

// The generator writes `pub` helpers into private modules (`double_option`).
#![allow(unreachable_pub)]

include!(concat!(env!("OUT_DIR"), "/calls.rs"));
