//! Which rules of a tracking plan apply to a call, and to which of its sections: the one answer
//! both paths act on. The precise path (`PlanValidator::check`) turns it into findings, the fast
//! path (`PlanValidator::passes`, in `fast/`) into "nothing to report" or "maybe something". It
//! reads the call through the fast path's [`Json`] view, which both a `serde_json::Value` and a
//! tape value give, so the two paths cannot disagree on the selection.
//!
//! - Every call but alias: the plan's `common` rule, on `context` and on its payload (`traits`
//!   for identify and group, `properties` for track, page and screen).
//! - identify and group: the plan's `identify` or `group` rule.
//! - page and screen: every rule of that kind named `*` or the call's `name`, in plan order.
//! - track: the first event named as the call's `event`, in the version
//!   `context.protocols.event_version` selects (otherwise the oldest); an event the plan does
//!   not have is unplanned. A track call without a string `event` is not checked.

use super::Section;
use super::validator::{Compiled, PlanValidator};
use crate::CallType;
use crate::fast::json::{Json, same_text};

/// One thing the plan demands of a call.
pub(super) enum Applies<'p, 'c> {
    /// A rule, on its sections among these.
    Rule(&'p Compiled, &'static [Section]),
    /// A track call whose event (named here) the plan does not have.
    Unplanned(&'c str),
}

/// The members of a call the plan reads, noted in one pass over it (the last of a repeated key
/// wins, as serde_json keeps it).
pub(crate) struct Parts<V> {
    event: Option<V>,
    name: Option<V>,
    properties: Option<V>,
    traits: Option<V>,
    context: Option<V>,
}

impl<V: Json> Parts<V> {
    /// None noted yet.
    fn new() -> Parts<V> {
        Parts { event: None, name: None, properties: None, traits: None, context: None }
    }

    /// The members of `call` the plan reads.
    pub(crate) fn of(call: V) -> Parts<V> {
        let mut parts = Parts::new();
        for (key, value) in call.members() {
            parts.note(key, value);
        }
        parts
    }

    /// Notes the member `key` of the call, if the plan reads it.
    #[inline]
    fn note(&mut self, key: &str, value: V) {
        let (slot, name) = match key.len() {
            5 => (&mut self.event, "event"),
            4 => (&mut self.name, "name"),
            10 => (&mut self.properties, "properties"),
            6 => (&mut self.traits, "traits"),
            7 => (&mut self.context, "context"),
            _ => return,
        };
        if same_text(key, name) {
            *slot = Some(value);
        }
    }

    /// The call's `section`, if it has one.
    pub(super) fn section(&self, section: Section) -> Option<V> {
        match section {
            Section::Properties => self.properties,
            Section::Traits => self.traits,
            Section::Context => self.context,
        }
    }
}

/// The sections the plan's `common` rule constrains, by the call's payload section.
const COMMON_TRAITS: [Section; 2] = [Section::Context, Section::Traits];
const COMMON_PROPERTIES: [Section; 2] = [Section::Context, Section::Properties];

impl PlanValidator {
    /// Hands `visit` what the plan demands of a call of type `call_type` (whose members the
    /// plan reads are `parts`), in the order findings are reported.
    pub(super) fn select<V: Json>(&self, parts: &Parts<V>, call_type: CallType, mut visit: impl FnMut(Applies<'_, '_>)) {
        let common: &'static [Section] = match call_type {
            CallType::Identify | CallType::Group => &COMMON_TRAITS,
            CallType::Track | CallType::Page | CallType::Screen => &COMMON_PROPERTIES,
            CallType::Alias => return,
        };
        visit(Applies::Rule(&self.common, common));
        match call_type {
            CallType::Identify => visit(Applies::Rule(&self.identify, &Section::ALL)),
            CallType::Group => visit(Applies::Rule(&self.group, &Section::ALL)),
            CallType::Page | CallType::Screen => {
                let rules = if call_type == CallType::Page { &self.pages } else { &self.screens };
                let name = parts.name.as_ref().and_then(Json::as_str);
                for (rule_name, compiled) in rules {
                    if rule_name == "*" || Some(rule_name.as_str()) == name {
                        visit(Applies::Rule(compiled, &Section::ALL));
                    }
                }
            }
            CallType::Track => {
                let Some(name) = parts.event.as_ref().and_then(Json::as_str) else { return };
                let Some(&index) = self.event_index.get(name) else {
                    visit(Applies::Unplanned(name));
                    return;
                };
                let event = &self.plan.events[index];
                let requested = || parts.context?.get("protocols")?.get("event_version")?.as_number()?.as_u64();
                let version = if event.versions.len() == 1 { event.versions.first() } else { event.select(requested()) };
                if let Some(version) = version {
                    let j = event.versions.iter().position(|v| v.version == version.version).unwrap_or(0);
                    visit(Applies::Rule(&self.events[index][j], &Section::ALL));
                }
            }
            CallType::Alias => {}
        }
    }
}
