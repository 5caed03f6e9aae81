//! The payload types: the six calls, `Message` (any call, tagged by `type`), `Batch`, `Context`
//! and everything they nest, generated from `schema/` by `cdpspec-codegen`.
//!
//! Optional fields are `Option<T>`; optional fields that may be `null` are `Option<Option<T>>`
//! (`None`: absent, `Some(None)`: `null`), so a payload round-trips exactly. Every object keeps
//! keys the schema does not list in `extra`. The generated source is the reviewed golden file
//! `codegen/tests/generated/calls.rs`, compiled here as it is (so the library's users do not
//! build the generator); the codegen golden test and `tests/schemas.rs` fail when it is not
//! what the generator makes of `schema/` now (`CDPSPEC_BLESS=1 cargo test -p cdpspec-codegen`).

// The generator writes `pub` helpers into private modules (`double_option`).
#![allow(unreachable_pub)]

include!("../../../codegen/tests/generated/calls.rs");

/// A call type that is not one of the six, with the closest one.
///
/// ```
/// use cdpspec::{CallType, parse_call_type};
///
/// let err = parse_call_type("identity").unwrap_err();
/// assert_eq!((err.given.as_str(), err.closest), ("identity", Some(CallType::Identify)));
/// assert!(err.to_string().starts_with("`identity` is not a call type; did you mean `identify`?"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCallType {
    /// The name as given.
    pub given: String,
    /// The call type it is probably a misspelling of (`identify` for `identity`).
    pub closest: Option<CallType>,
}

impl std::fmt::Display for UnknownCallType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}` is not a call type; ", self.given)?;
        if let Some(c) = self.closest {
            write!(f, "did you mean `{}`? ", c.as_str())?;
        }
        let names: Vec<&str> = CallType::ALL.iter().map(CallType::as_str).collect();
        write!(f, "expected one of {}", names.join(", "))
    }
}

impl std::error::Error for UnknownCallType {}

/// Parses a call type as a person types it (`--type`, a config file).
///
/// # Errors
///
/// [`UnknownCallType`], naming the closest call type.
///
/// ```
/// assert_eq!(cdpspec::parse_call_type("alias").unwrap(), cdpspec::CallType::Alias);
/// assert_eq!(cdpspec::parse_call_type("identity").unwrap_err().closest, Some(cdpspec::CallType::Identify));
/// ```
pub fn parse_call_type(s: &str) -> Result<CallType, UnknownCallType> {
    s.parse().map_err(|_| UnknownCallType {
        given: s.to_string(),
        closest: crate::suggest::closest(s, CallType::ALL.iter().map(CallType::as_str)).and_then(|c| c.parse().ok()),
    })
}
