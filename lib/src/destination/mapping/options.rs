//! The directive options that take one of a few words (`@json`'s `mode`, `@merge`'s
//! `direction`, `@case`'s `operator`), read into enums once, when the mapping is parsed.
//!
//! The reference compares these words case-sensitively when it resolves (`opts.mode ===
//! 'encode'`), although its validate.ts accepts `mode` and `direction` in any case: `"ENCODE"`
//! loads, then gives nothing on every call, and `"LEFT"` merges as `"right"`. Here only the
//! spellings the reference resolves are accepted, and any other is an error of
//! [`Mapping::parse`](super::Mapping::parse) at the option's place.

use serde_json::Value;

/// A word option: its values and their spellings.
pub(crate) trait Choice: Copy + 'static {
    /// Every value, with the one spelling the reference resolves.
    const SPELLINGS: &'static [(&'static str, Self)];

    /// The value spelled `written`, exactly.
    fn parse(written: &str) -> Option<Self> {
        Self::SPELLINGS.iter().find(|(spelling, _)| *spelling == written).map(|(_, value)| *value)
    }

    /// The spellings, as a list for messages: `encode, decode`.
    fn spellings() -> String {
        Self::SPELLINGS.iter().map(|(spelling, _)| *spelling).collect::<Vec<_>>().join(", ")
    }
}

/// `@json`'s `mode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum JsonMode {
    /// `encode`: the value as JSON text (`JSON.stringify`).
    Encode,
    /// `decode`: a string parsed as JSON (`JSON.parse`); other values as they are.
    Decode,
}

impl Choice for JsonMode {
    const SPELLINGS: &'static [(&'static str, Self)] = &[("encode", JsonMode::Encode), ("decode", JsonMode::Decode)];
}

/// `@merge`'s `direction`: which object wins a key both have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// `left`: the first object that has the key.
    Left,
    /// `right`: the last object that has the key.
    Right,
}

impl Choice for Direction {
    const SPELLINGS: &'static [(&'static str, Self)] = &[("left", Direction::Left), ("right", Direction::Right)];
}

/// `@case`'s `operator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseOperator {
    /// `lower`: `toLowerCase()`.
    Lower,
    /// `upper`: `toUpperCase()`.
    Upper,
}

impl Choice for CaseOperator {
    const SPELLINGS: &'static [(&'static str, Self)] = &[("lower", CaseOperator::Lower), ("upper", CaseOperator::Upper)];
}

/// Why `written` is no value of `T`, in validate.ts's words (`should be one of encode, decode
/// but it is "oops"`), saying which spelling to write when only the case differs.
pub(crate) fn not_one_of<T: Choice>(written: &str) -> String {
    let listed = format!("should be one of {} but it is {}", T::spellings(), Value::String(written.to_owned()));
    match T::parse(&written.to_lowercase()) {
        Some(_) => {
            format!("{listed} (write {}: the reference accepts other cases when loading, then does not recognise them)", Value::String(written.to_lowercase()))
        }
        None => listed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_reference_spellings_parse() {
        assert_eq!(JsonMode::parse("encode"), Some(JsonMode::Encode));
        assert_eq!(JsonMode::parse("decode"), Some(JsonMode::Decode));
        assert_eq!(JsonMode::parse("ENCODE"), None);
        assert_eq!(Direction::parse("left"), Some(Direction::Left));
        assert_eq!(Direction::parse("Right"), None);
        assert_eq!(CaseOperator::parse("upper"), Some(CaseOperator::Upper));
        assert_eq!(CaseOperator::parse("title"), None);
    }

    #[test]
    fn messages_list_the_spellings() {
        assert_eq!(not_one_of::<JsonMode>("oops"), "should be one of encode, decode but it is \"oops\"");
        assert_eq!(
            not_one_of::<Direction>("LEFT"),
            "should be one of left, right but it is \"LEFT\" (write \"left\": the reference accepts other cases when loading, then does not recognise them)"
        );
    }
}
