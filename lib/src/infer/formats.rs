//! The string formats `plan infer` writes (`date-time`, `email`, `uri`, `uuid`), each decided
//! by the plan validator itself, so an inferred `format` never rejects a value it was inferred
//! from.

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::{Value, json};

/// The formats inferred, most specific first: a string that is a UUID is not reported as a URI.
pub(crate) const FORMATS: [&str; 4] = ["uuid", "date-time", "email", "uri"];

/// A set of [`FORMATS`], by bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Formats(u8);

impl Formats {
    /// Every format: no string has ruled any out yet.
    pub(crate) const ALL: Formats = Formats(0b1111);

    /// Keeps only the formats `s` has.
    pub(crate) fn narrow(&mut self, s: &str) {
        for (bit, format) in FORMATS.iter().enumerate() {
            if self.0 & (1 << bit) != 0 && !(plausible(format, s) && checker(bit).is_some_and(|v| v.is_valid(&Value::String(s.to_owned())))) {
                self.0 &= !(1 << bit);
            }
        }
    }

    /// The most specific format left, if any.
    pub(crate) fn best(self) -> Option<&'static str> {
        FORMATS.iter().enumerate().find(|(bit, _)| self.0 & (1 << bit) != 0).map(|(_, f)| *f)
    }
}

/// A cheap test that rules out most strings before the validator is asked.
fn plausible(format: &str, s: &str) -> bool {
    match format {
        "uuid" => s.len() == 36,
        "date-time" => s.len() >= 20 && s.as_bytes()[0].is_ascii_digit(),
        "email" => s.contains('@'),
        "uri" => s.contains(':') && !s.contains(char::is_whitespace),
        _ => false,
    }
}

/// The plan validator's verdict on format number `bit`, compiled once.
fn checker(bit: usize) -> Option<&'static Validator> {
    static CHECKERS: OnceLock<Vec<Option<Validator>>> = OnceLock::new();
    CHECKERS
        .get_or_init(|| FORMATS.iter().map(|f| crate::plan::compile_section(&json!({"type": "string", "format": f})).ok()).collect())
        .get(bit)
        .and_then(Option::as_ref)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn best(values: &[&str]) -> Option<&'static str> {
        let mut f = Formats::ALL;
        values.iter().for_each(|v| f.narrow(v));
        f.best()
    }

    #[test]
    fn every_value_must_fit() {
        assert_eq!(best(&["2024-06-01T10:00:00Z", "2024-06-01T10:00:00.123+02:00"]), Some("date-time"));
        assert_eq!(best(&["2024-06-01T10:00:00Z", "yesterday"]), None);
        assert_eq!(best(&["9b2f3c2e-1d4a-4b7e-9a55-0c1d2e3f4a5b"]), Some("uuid"));
        assert_eq!(best(&["ada@example.com"]), Some("email"));
        assert_eq!(best(&["https://example.com/a?b=c"]), Some("uri"));
        assert_eq!(best(&["beginner"]), None);
    }
}
