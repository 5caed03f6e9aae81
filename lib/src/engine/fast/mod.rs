//! The fast path of `cdpspec validate`: most calls are valid, and proving that needs neither
//! serde_json nor the `jsonschema` crate's precise errors. Each NDJSON line is parsed into a
//! flat tape (`tape`: strings borrowed from the line, nothing allocated per node), checked by
//! the validators generated from the canonical schemas (`validators`) and by the code rules in
//! boolean form (`rules`, which asks each rule's fast form in `check`). Only a line that would
//! get a diagnostic goes to the precise path (`check::check_document` on a
//! `serde_json::Value`, `locate`), which alone writes diagnostics, so the output is the same as
//! without the fast path, byte for byte. A line the tape parsed reaches it as the `Value`
//! serde_json would have built; any other line is parsed by serde_json, which also words the
//! parse errors.
//!
//! With a tracking plan, the plan's rules are asked in boolean form too (`plan::fast`: each
//! section schema compiled once into a checker over the tape), after the canonical ones.
//!
//! `read` checks the lines of a source in batches on a rayon pool and hands the outcomes on in
//! input order.

mod document;
pub mod json;
pub(crate) mod outcome;
mod reader;
mod rules;
pub mod tape;
pub mod validators;
mod work;

pub use outcome::Outcome;
pub use reader::{Threads, read};
pub(crate) use document::Document;
pub(crate) use reader::read_with;
pub(crate) use work::PerRecord;

use std::cell::RefCell;

use crate::check::Options;
use tape::Tape;

/// The fast path's verdict, under one set of options.
pub struct FastPath {
    rules: rules::Rules,
}

/// What the fast path found out about a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Verdict {
    /// It parses, and no rule reports anything: it holds this many calls.
    Clean(usize),
    /// Something may be reported, and only the precise path can tell what.
    Precise(Option<Parsed>),
}

/// A document the fast path parsed, for the precise path to check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    /// The document, as serde_json reads it.
    pub value: serde_json::Value,
    /// Whether some object in it has a key twice.
    pub duplicate_keys: bool,
}

impl FastPath {
    /// The fast path for `options`.
    pub fn new(options: &Options) -> FastPath {
        FastPath { rules: rules::Rules::new(options) }
    }

    /// The number of calls in `text` (one document, such as an NDJSON line without its
    /// terminator) when it parses and no rule would report anything about it; `None` when it
    /// might not parse or something might be reported, and only the precise path can tell.
    pub fn clean_calls(&self, text: &[u8]) -> Option<usize> {
        match self.verdict(text) {
            Verdict::Clean(calls) => Some(calls),
            Verdict::Precise(_) => None,
        }
    }

    pub(crate) fn verdict(&self, text: &[u8]) -> Verdict {
        thread_local! {
            static TAPE: RefCell<Tape> = RefCell::default();
        }
        let rules = &self.rules;
        let Ok(text) = std::str::from_utf8(text) else { return Verdict::Precise(None) };
        TAPE.with_borrow_mut(|tape| {
            if !tape.parse(text) {
                return Verdict::Precise(None);
            }
            let duplicate_keys = tape.has_duplicate_keys();
            let marks = rules::Marks { duplicate_keys, lone_surrogates: tape.has_lone_surrogates() };
            match rules.clean_calls(tape.root(text), text.len(), marks) {
                Some(calls) => Verdict::Clean(calls),
                None => Verdict::Precise(tape.to_value(text).map(|value| Parsed { value, duplicate_keys })),
            }
        })
    }
}
