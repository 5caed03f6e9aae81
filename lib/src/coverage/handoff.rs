//! What evaluating one record carries from the thread that evaluated it to the thread that
//! reads the source, which turns it into an [`Evaluated`] (with its [`CallRecord`]s) and hands
//! it on. In the common case (one call, at most one preset triggered, its strings unescaped in
//! the record) it holds no heap memory: memory allocated on one thread and freed on another
//! costs both threads (the allocator's slow paths, locks, cache lines moving between cores), and
//! with two threads made coverage slower than with one.

use std::mem;

use super::compile::Outcome;
use super::evaluate::Evaluated;
use super::report::CallRecord;
use crate::rule::Rule;

/// One record, evaluated.
pub(crate) enum Pending {
    Blank,
    Unparsed,
    Calls(Calls),
}

/// The calls of a record.
pub(crate) enum Calls {
    One(PendingCall),
    Many(Vec<PendingCall>),
}

/// One call, evaluated: a [`CallRecord`] without its path, and with its strings where they are.
pub(crate) struct PendingCall {
    pub(crate) line: usize,
    pub(crate) index: Option<usize>,
    pub(crate) call_type: Option<Text>,
    pub(crate) event: Option<Text>,
    pub(crate) outcomes: Outcomes,
    pub(crate) errors: Vec<Rule>,
}

/// A string of a call.
pub(crate) enum Text {
    /// At these bytes of the record's text: (start, length).
    In(usize, usize),
    /// Anywhere else (decoded from escapes, or in a `serde_json::Value`).
    Owned(String),
}

/// The outcomes of a call, in preset order.
#[derive(Default)]
pub(crate) enum Outcomes {
    #[default]
    None,
    One(Outcome),
    Many(Vec<Outcome>),
}

impl Text {
    /// `text` as it is found in `record`, the bytes the call was read from.
    pub(crate) fn of(text: &str, record: &[u8]) -> Text {
        let start = (text.as_ptr() as usize).wrapping_sub(record.as_ptr() as usize);
        if start <= record.len() && text.len() <= record.len() - start { Text::In(start, text.len()) } else { Text::Owned(text.to_owned()) }
    }

    fn into_string(self, record: &[u8]) -> String {
        match self {
            Text::In(start, len) => {
                let bytes = &record[start..start + len];
                // The bytes of a `&str` the tape gave: valid UTF-8.
                std::str::from_utf8(bytes).map_or_else(|_| String::from_utf8_lossy(bytes).into_owned(), str::to_owned)
            }
            Text::Owned(text) => text,
        }
    }
}

impl Outcomes {
    /// Adds the next outcome.
    pub(crate) fn push(&mut self, outcome: Outcome) {
        *self = match mem::take(self) {
            Outcomes::None => Outcomes::One(outcome),
            Outcomes::One(first) => Outcomes::Many(vec![first, outcome]),
            Outcomes::Many(mut all) => {
                all.push(outcome);
                Outcomes::Many(all)
            }
        };
    }

    /// The outcomes, in order.
    pub(crate) fn into_vec(self) -> Vec<Outcome> {
        match self {
            Outcomes::None => Vec::new(),
            Outcomes::One(outcome) => vec![outcome],
            Outcomes::Many(all) => all,
        }
    }
}

impl From<Vec<Outcome>> for Outcomes {
    fn from(all: Vec<Outcome>) -> Outcomes {
        Outcomes::Many(all)
    }
}

impl Pending {
    /// The record of the source `path` whose bytes are `record`, handed on.
    pub(crate) fn finish(self, path: &str, record: &[u8]) -> Evaluated {
        let call = |call: PendingCall| CallRecord {
            path: path.to_owned(),
            line: call.line,
            index: call.index,
            call_type: call.call_type.map(|t| t.into_string(record)),
            event: call.event.map(|t| t.into_string(record)),
            outcomes: call.outcomes.into_vec(),
            errors: call.errors,
        };
        match self {
            Pending::Blank => Evaluated::Blank,
            Pending::Unparsed => Evaluated::Unparsed,
            Pending::Calls(Calls::One(one)) => Evaluated::Calls(vec![call(one)]),
            Pending::Calls(Calls::Many(many)) => Evaluated::Calls(many.into_iter().map(call).collect()),
        }
    }
}
