//! One record of a source, evaluated: checked by the engine (fast path first), then each of its
//! calls evaluated against the destination. Runs on the batched reader's threads, and hands a
//! `Pending` record to the thread that reads. A record the
//! fast path vouches for is read on its tape (no errors to report, the calls evaluated by
//! [`TapeEvaluator`]); any other is checked by the precise path, for each call's error rules,
//! and evaluated as `serde_json::Value`s.

use std::cell::RefCell;

use serde_json::Value;

use super::calls::calls_of;
use super::handoff::{Calls, Outcomes, Pending, PendingCall, Text};
use super::report::CallRecord;
use super::tape::TapeEvaluator;
use crate::check::CallReport;
use crate::destination::call::at;
use crate::destination::{Call, CallJson};
use crate::engine::Engine;
use crate::fast::json::{Json, Kind};
use crate::fast::tape::{self, Tape};
use crate::fast::{Document, PerRecord};
use crate::locate::locate;
use crate::records::{self, Record};
use crate::rule::{Rule, Severity};

/// What coverage made of one record.
#[derive(Debug, Clone)]
pub enum Evaluated {
    /// A line of only white space.
    Blank,
    /// A record that did not parse (not evaluated; `cdpspec validate` says why).
    Unparsed,
    /// A record that parsed: its calls, evaluated, in document order.
    Calls(Vec<CallRecord>),
}

/// Evaluates each record of a source.
pub(crate) struct Evaluate<'a> {
    /// What checks the records (the source's implied type applied).
    pub(crate) engine: &'a Engine,
    /// What evaluates their calls.
    pub(crate) evaluator: &'a TapeEvaluator,
}

impl PerRecord for Evaluate<'_> {
    type Out = Pending;

    fn engine(&self) -> &Engine {
        self.engine
    }

    fn line(&self, text: &[u8], line: usize) -> Pending {
        thread_local! {
            static TAPE: RefCell<Tape> = RefCell::default();
        }
        TAPE.with_borrow_mut(|tape| match self.engine.read_record(text, tape) {
            Document::Blank => Pending::Blank,
            Document::Unparsed => Pending::Unparsed,
            // A line is one line: every call in it is on it.
            Document::Clean(doc) => match self.clean(doc, text, line) {
                Some(calls) => Pending::Calls(calls),
                None => doc.to_value().map_or(Pending::Unparsed, |value| self.precise(&value, text, line)),
            },
            Document::Parsed(value) => self.precise(&value, text, line),
        })
    }

    fn record(&self, record: Record<'_>) -> Pending {
        match record {
            Record::Blank => Pending::Blank,
            Record::Unparsed { .. } => Pending::Unparsed,
            Record::Parsed { text, first_line, value } => self.precise(&value, text, first_line),
        }
    }
}

impl Evaluate<'_> {
    /// The calls of a document no rule reports anything about, read from `text` on line `line`,
    /// evaluated on the tape; `None` when one of them needs its `serde_json::Value`.
    fn clean(&self, doc: tape::Value<'_>, text: &[u8], line: usize) -> Option<Calls> {
        let default_type = self.engine.options().default_type;
        let evaluate = |call: tape::Value<'_>, index: Option<usize>, envelope: Option<tape::Value<'_>>| -> Option<PendingCall> {
            let call = Call::of(call);
            let outcomes = self.evaluator.evaluate(&call, envelope, default_type)?;
            Some(self.call(text, line, index, &call, outcomes, Vec::new()))
        };
        let mut calls = Vec::new();
        let mut add = |call, index, envelope| -> Option<()> {
            calls.push(evaluate(call, index, envelope)?);
            Some(())
        };
        // The calls `calls_of` finds.
        match doc.kind() {
            Kind::Object if doc.members().any(|(key, _)| key == "batch") => {
                if let Some(batch) = doc.get("batch") {
                    for (i, item) in batch.elements().enumerate() {
                        add(item, Some(i), Some(doc))?;
                    }
                }
            }
            Kind::Array => {
                for (i, item) in doc.elements().enumerate() {
                    add(item, Some(i), None)?;
                }
            }
            _ => return evaluate(doc, None, None).map(Calls::One),
        }
        Some(Calls::Many(calls))
    }

    /// The calls of a parsed document whose text `text` starts on line `first_line`: each
    /// checked by the precise path for its errors, and evaluated.
    fn precise(&self, value: &Value, text: &[u8], first_line: usize) -> Pending {
        let report = self.engine.check_parsed(value, text.len());
        let destination = self.evaluator.destination();
        let calls = calls_of(value, self.engine.options().default_type)
            .into_iter()
            .zip(report.calls)
            .map(|(call, checked)| {
                let line = records::place(text, first_line, locate(text, &call.pointer)).0;
                self.call(text, line, call.index, &Call::of(&call.call), destination.evaluate(&call.call).into(), errors_of(&checked, self.engine))
            })
            .collect();
        Pending::Calls(Calls::Many(calls))
    }

    /// One evaluated call, read from `record`.
    fn call<J: CallJson>(&self, record: &[u8], line: usize, index: Option<usize>, call: &Call<J>, outcomes: Outcomes, errors: Vec<Rule>) -> PendingCall {
        let text = |slot, key| call.get_at(Some(slot), key).and_then(|v| v.as_str().map(|s| Text::of(s, record)));
        let call_type = text(at::TYPE, "type");
        // `event` for track calls, `name` for page and screen calls.
        let kind = call.get_at(Some(at::TYPE), "type");
        let event = match kind.as_ref().and_then(|t| t.as_str()) {
            Some("track") => text(at::EVENT, "event"),
            Some("page" | "screen") => text(at::NAME, "name"),
            _ => None,
        };
        PendingCall { line, index, call_type, event, outcomes, errors }
    }
}

/// The rules with errors in one checked call, at the run's severities.
fn errors_of(checked: &CallReport, engine: &Engine) -> Vec<Rule> {
    let mut rules: Vec<Rule> = checked.findings.iter().filter(|f| engine.severity(f.rule) == Some(Severity::Error)).map(|f| f.rule).collect();
    rules.dedup();
    rules
}
