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
pub(super) struct Parts<V> {
    /// By [`MEMBERS`].
    members: [Option<V>; 5],
}

/// The members the plan reads, with their [`signature`]s.
const MEMBERS: [&str; 5] = ["event", "name", "properties", "traits", "context"];
const SIGNATURES: [u32; 5] = [signature("event"), signature("name"), signature("properties"), signature("traits"), signature("context")];
const EVENT: usize = 0;
const NAME: usize = 1;
const PROPERTIES: usize = 2;
const TRAITS: usize = 3;
const CONTEXT: usize = 4;

/// A key's length and first byte: tells the members the plan reads from the other members of a
/// call (`type`, `sentAt`, `userId`, ...) without comparing text.
const fn signature(key: &str) -> u32 {
    let b = key.as_bytes();
    if b.is_empty() { 0 } else { (b.len() as u32) << 8 | b[0] as u32 }
}

impl<V: Json> Parts<V> {
    /// None noted yet.
    fn new() -> Parts<V> {
        Parts { members: [None; 5] }
    }

    /// The members of `call` the plan reads.
    #[inline]
    pub(super) fn of(call: V) -> Parts<V> {
        let mut parts = Parts::new();
        for (key, value) in call.members() {
            parts.note(key, value);
        }
        parts
    }

    /// Notes the member `key` of the call, if the plan reads it.
    #[inline]
    fn note(&mut self, key: &str, value: V) {
        let sig = signature(key);
        // Which one it may be, without a branch per candidate.
        let candidate = SIGNATURES.iter().enumerate().fold(usize::MAX, |found, (i, s)| if *s == sig { i } else { found });
        if candidate != usize::MAX && same_text(key, MEMBERS[candidate]) {
            self.members[candidate] = Some(value);
        }
    }

    /// The call's `section`, if it has one.
    pub(super) fn section(&self, section: Section) -> Option<V> {
        self.members[match section {
            Section::Properties => PROPERTIES,
            Section::Traits => TRAITS,
            Section::Context => CONTEXT,
        }]
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
                let name = parts.members[NAME].as_ref().and_then(Json::as_str);
                for (rule_name, compiled) in rules {
                    if rule_name == "*" || Some(rule_name.as_str()) == name {
                        visit(Applies::Rule(compiled, &Section::ALL));
                    }
                }
            }
            CallType::Track => {
                let Some(name) = parts.members[EVENT].as_ref().and_then(Json::as_str) else { return };
                let Some(index) = self.event_index.get(name) else {
                    visit(Applies::Unplanned(name));
                    return;
                };
                let event = &self.plan.events[index];
                let requested = || parts.members[CONTEXT]?.get("protocols")?.get("event_version")?.as_number()?.as_u64();
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

/// The index of the first event of each name: open addressing over the names' hashes, names
/// compared in machine words (looked up for every track call).
pub(super) struct EventIndex {
    /// `0` for a free slot, else one more than an index into `entries`.
    slots: Box<[u32]>,
    entries: Box<[(Box<str>, usize)]>,
}

impl EventIndex {
    /// The index of `names`, the first of a repeated name winning.
    pub(super) fn new<'n>(names: impl Iterator<Item = &'n str>) -> EventIndex {
        let names: Vec<&str> = names.collect();
        let mask = (names.len() * 2).next_power_of_two().max(8) - 1;
        let mut slots = vec![0u32; mask + 1];
        let mut entries: Vec<(Box<str>, usize)> = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            let mut at = hash(name) & mask;
            loop {
                match slots[at] {
                    0 => {
                        entries.push((name.into(), i));
                        slots[at] = u32::try_from(entries.len()).unwrap_or(u32::MAX);
                        break;
                    }
                    e if entries.get(e as usize - 1).is_some_and(|(n, _)| **n == *name) => break,
                    _ => at = (at + 1) & mask,
                }
            }
        }
        EventIndex { slots: slots.into_boxed_slice(), entries: entries.into_boxed_slice() }
    }

    /// The index of the first event named `name`.
    pub(super) fn get(&self, name: &str) -> Option<usize> {
        let mask = self.slots.len() - 1;
        let mut at = hash(name) & mask;
        loop {
            let (entry, index) = self.entries.get((*self.slots.get(at)? as usize).checked_sub(1)?)?;
            if same_text(entry, name) {
                return Some(*index);
            }
            at = (at + 1) & mask;
        }
    }
}

/// Mixes a name's length and its first and last eight bytes (names that share them are told
/// apart when probing).
fn hash(name: &str) -> usize {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let b = name.as_bytes();
    let n = b.len();
    let word8 = |at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap_or_default());
    let word4 = |at: usize| u64::from(u32::from_le_bytes(b[at..at + 4].try_into().unwrap_or_default()));
    let (x, y) = match n {
        8.. => (word8(0), word8(n - 8)),
        4..8 => (word4(0), word4(n - 4)),
        _ => (b.iter().fold(0, |h, &c| h << 8 | u64::from(c)), 0),
    };
    let h = (x ^ (n as u64).rotate_left(56)).wrapping_mul(K).rotate_left(23) ^ y;
    let h = h.wrapping_mul(K);
    (h ^ (h >> 29)) as usize
}

#[cfg(test)]
mod tests {
    use super::EventIndex;

    #[test]
    fn finds_the_first_event_of_each_name() {
        let names: Vec<String> = (0..40).map(|i| format!("Event {}", i % 30)).collect();
        let index = EventIndex::new(names.iter().map(String::as_str));
        for i in 0..30 {
            assert_eq!(index.get(&format!("Event {i}")), Some(i));
        }
        for missing in ["", "Event", "Event 30", "event 1", "Event 1 "] {
            assert_eq!(index.get(missing), None, "{missing}");
        }
        assert_eq!(EventIndex::new(std::iter::empty()).get("A"), None);
    }
}
