//! `check::check_document` asked in boolean form: "would this document get any diagnostic?".
//! This walks a document as `check` does (batch, array or call; each call's type, schema and
//! members) and asks each rule's fast form, which lives beside its precise form in its module
//! of `engine/check/` (the reference, and the only source of messages). A `None` here sends the
//! document to the precise path, so the answer may err towards "something to report"
//! (duplicate keys: every occurrence is checked, where the parser keeps the last) but never
//! towards "nothing". A tracking plan is asked last, in its boolean form (`plan::fast`).
//! `tests/differential.rs` holds the two to the same verdicts.

use std::sync::Arc;

use super::json::{Json, Kind};
use super::validators;
use crate::CallType;
use crate::check::fields::Spellings;
use crate::check::limits::{self, Limits};
use crate::check::{Options, RulesOn, fast_call_type, identifiers, reserved, timestamps};
use crate::plan::PlanValidator;
use crate::rule::Rule;

/// What parsing noticed about a document's text, which its value does not show: the fast forms
/// of `duplicate-key` and `lone-surrogate`.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Marks {
    /// Some object has a key twice.
    pub duplicate_keys: bool,
    /// Some string or key holds an escaped lone surrogate.
    pub lone_surrogates: bool,
}

/// The boolean form of `check::check_document` under one set of options.
pub(super) struct Rules {
    on: RulesOn,
    default_type: Option<CallType>,
    limits: Limits,
    /// The tracking plan, asked in its boolean form too (`plan::fast`).
    plan: Option<Arc<PlanValidator>>,
}

impl Rules {
    /// The rules of `options`.
    pub(super) fn new(options: &Options) -> Rules {
        Rules { on: RulesOn::of(&options.severities), default_type: options.default_type, limits: options.limits, plan: options.plan.clone() }
    }

    /// The number of calls in `doc` (`raw_len` bytes in the source, with duplicate keys and
    /// lone surrogates somewhere or not, as `marks` says) when no rule would report anything,
    /// `None` when one might.
    pub(super) fn clean_calls<V: Json>(&self, doc: V, raw_len: usize, marks: Marks) -> Option<usize> {
        // With a plan, which member the parser keeps matters everywhere: the precise path tells.
        if !limits::sizes_pass(raw_len, &self.limits)
            || (marks.duplicate_keys && (self.on.has(Rule::DuplicateKey) || self.plan.is_some()))
            || (marks.lone_surrogates && self.on.has(Rule::LoneSurrogate))
        {
            return None;
        }
        match doc.kind() {
            Kind::Object if doc.members().any(|(k, _)| k == "batch") => self.batch(doc),
            Kind::Array => {
                let mut calls = 0;
                for item in doc.elements() {
                    if !self.call(item, self.default_type) {
                        return None;
                    }
                    calls += 1;
                }
                Some(calls)
            }
            _ => self.call(doc, self.default_type).then_some(1),
        }
    }

    /// `check::check_batch`: the envelope, its timestamps, then every call.
    fn batch<V: Json>(&self, doc: V) -> Option<usize> {
        if !validators::batch_envelope(doc) {
            return None;
        }
        let mut items = None;
        for (key, value) in doc.members() {
            match key {
                "sentAt" | "timestamp" if !timestamps::passes(value, self.on) => return None,
                // The parser keeps the last `batch`: do not guess which.
                "batch" if items.is_some() => return None,
                "batch" => items = Some(value),
                _ => {}
            }
        }
        let items = items?;
        let mut calls = 0;
        for item in items.elements() {
            // Inside a batch no endpoint implies the type.
            if !self.call(item, None) {
                return None;
            }
            calls += 1;
        }
        limits::batch_calls_pass(calls, &self.limits, self.on).then_some(calls)
    }

    /// `check::check_call`: whether the call `v` gets no finding at all.
    fn call<V: Json>(&self, v: V, default_type: Option<CallType>) -> bool {
        if v.kind() != Kind::Object {
            return false;
        }
        let Some(call) = fast_call_type(v, default_type) else { return false };
        if !validators::call(call, v) {
            return false;
        }
        let on = self.on;
        let spellings = Spellings::of(call);
        for (key, value) in v.members() {
            let ok = match key {
                "messageId" => limits::message_id_passes(value, &self.limits, on),
                "timestamp" | "originalTimestamp" | "sentAt" | "receivedAt" => timestamps::passes(value, on),
                "userId" | "anonymousId" | "groupId" | "previousId" => identifiers::passes(key, value, call, on),
                "email" | "traits" | "context" | "properties" => reserved::member_passes(key, value, call, on),
                _ => true,
            };
            if !ok || !spellings.passes(key, v, on) {
                return false;
            }
        }
        // The plan walks the call on its own (noting its members in the walk above costs the
        // walk without a plan: measured).
        self.plan.as_ref().is_none_or(|plan| plan.passes(v, call, on))
    }
}
