//! A record read by the engine for a front end that needs its calls as well as the verdict
//! (`coverage` evaluates them against a destination): the fast path's question asked as in
//! [`Engine::check_record`], but the answer keeps the parsed document. A document nothing is
//! to be reported about stays on the fast path's tape, where it can be read without building a
//! `serde_json::Value`; any other comes as the `Value` the precise path checks.

use super::tape::{self, Tape};
use crate::engine::Engine;
use crate::records::{self, Record};

/// One record as the engine read it.
pub(crate) enum Document<'t> {
    /// A line of only white space.
    Blank,
    /// A record that did not parse.
    Unparsed,
    /// A record that parses and that no rule reports anything about: its document, on the tape.
    Clean(tape::Value<'t>),
    /// A record that parses and that a rule may report something about (or that the fast path
    /// does not read): its document, as serde_json reads it.
    Parsed(serde_json::Value),
}

impl Engine {
    /// Reads one record (an NDJSON line without its terminator) as
    /// [`check_record`](Engine::check_record) checks it, parsing it into `tape` when the fast
    /// path can.
    pub(crate) fn read_record<'t>(&self, text: &'t [u8], tape: &'t mut Tape) -> Document<'t> {
        if text.trim_ascii().is_empty() {
            return Document::Blank;
        }
        if let Some(fast) = self.fast.as_ref()
            && let Ok(text) = std::str::from_utf8(text)
            && tape.parse(text)
        {
            let tape: &'t Tape = tape;
            let marks = super::rules::Marks { duplicate_keys: tape.has_duplicate_keys(), lone_surrogates: tape.has_lone_surrogates() };
            if fast.rules.clean_calls(tape.root(text), text.len(), marks).is_some() {
                return Document::Clean(tape.root(text));
            }
            if let Some(value) = tape.to_value(text) {
                return Document::Parsed(value);
            }
        }
        match records::document(text, 1, false) {
            Record::Parsed { value, .. } => Document::Parsed(value),
            Record::Blank | Record::Unparsed { .. } => Document::Unparsed,
        }
    }
}
