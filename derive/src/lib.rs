//! Derive macros of cdpspec's code-first tracking plans: `#[derive(Event)]` on a struct whose
//! fields are a track event's properties, and `#[derive(TrackingPlan)]` on an enum that lists a
//! plan's events and traits. Use them through the `cdpspec` crate (`cdpspec::Event`,
//! `cdpspec::TrackingPlan`), whose `event` module documents the traits and the schemas.
//!
//! The crate follows serde_derive: `ast` (the input as a model), `attr` (every attribute parsed
//! once into typed settings), `check` (cross-checks), then the emitters `event` and `plan`, which
//! only produce tokens. Errors are collected in a `Ctxt` with the spans of the tokens at fault
//! and reported together.
//!
//! # `#[derive(Event)]`
//!
//! On a struct with named fields that also derives `serde::Serialize` and `schemars::JsonSchema`:
//!
//! ```text
//! /// A person enrolled in a class.              <- the event's description
//! #[event(
//!     name = "Course Enrolled",                  // required, not blank
//!     version = 2,                               // optional, from 1; default 1
//!     owner = "growth",                          // optional
//!     deprecated = "2024-05-01",                 // optional
//!     label(team = "growth", tier = "core"),     // optional, repeatable
//! )]
//! struct CourseEnrolled { ... }
//! ```
//!
//! Compile errors, each at the tokens at fault: a missing, empty or blank name; version 0 or a
//! version that is not a whole number; an unknown key (naming the valid ones and the closest); a
//! duplicate key or label; an enum, tuple struct, unit struct or union; type or const parameters
//! (lifetimes are fine); `#[event]` on a field; and these field types, also nested in `Vec`,
//! `Option`, references or arrays (fields serde skips are not checked):
//!
//! - raw pointers and function pointers (they do not serialize);
//! - trait objects and `impl Trait` (a plan needs one concrete type per property);
//! - tuples (JSON arrays whose items have no names) and `()` (always `null`);
//! - `!`.
//!
//! # `#[derive(TrackingPlan)]`
//!
//! On an enum whose variants each hold one type:
//!
//! ```text
//! /// What the app sends.                        <- the plan's description, unless given below
//! #[plan(name = "Courses app", version = "1.0.0", description = "...")]
//! enum Courses {
//!     Enrolled(CourseEnrolled),                  // an event (implements cdpspec::Event)
//!     EnrolledV2(CourseEnrolledV2),              // another version of the same event: merged
//!     #[plan(identify)] Person(PersonTraits),    // identify traits (Serialize + JsonSchema)
//!     #[plan(group)] Company(CompanyTraits),     // group traits
//! }
//! ```
//!
//! Compile errors: a missing or blank name; an unknown key; a struct or union; a variant that
//! does not hold exactly one type; two identify or two group variants; generic parameters;
//! `#[plan]` on a field; and two variants that are the same event name and version (a constant assertion,
//! reported at the later variant and naming both).

mod ast;
mod attr;
mod check;
mod ctxt;
mod event;
mod plan;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `cdpspec::Event` for a struct with named fields; see the crate documentation.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    event::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// Implements `cdpspec::TrackingPlan` for an enum listing a plan's events and traits; see the
/// crate documentation.
#[proc_macro_derive(TrackingPlan, attributes(plan))]
pub fn derive_tracking_plan(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    plan::expand(&input).unwrap_or_else(syn::Error::into_compile_error).into()
}
