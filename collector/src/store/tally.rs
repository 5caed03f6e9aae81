//! The session's tally, kept by the database thread as calls are stored, deleted and pruned:
//! calls per tag and kind (type and event or name) with their errors and warnings,
//! diagnostics per tag and rule, and calls and errors per tag and second of the last day. The
//! inspector's summary and timeline read it at once, where counting them again from the table
//! would hold the database (and so every SDK's request) for a large part of a second at
//! 100,000 calls.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;
use serde_json::Value;

use super::views::{EventCount, RuleCount, Session};

/// Calls of a kind: all, with errors, with warnings (and no errors).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Calls {
    calls: u64,
    errors: u64,
    warnings: u64,
}

/// A rule as reported: its code, name and severity.
type RuleKey = (String, String, String);

/// What the summary counts, per tag (`""` for untagged calls).
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Per tag, type and event (or page/screen name).
    kinds: HashMap<(String, Option<String>, Option<String>), Calls>,
    /// Per tag and rule: calls, diagnostics.
    rules: HashMap<(String, RuleKey), (u64, u64)>,
    /// Per tag: calls, and the newest call's id.
    tags: HashMap<String, (u64, i64)>,
    /// Per tag and second (since the epoch) of the last day: calls, calls with errors.
    seconds: HashMap<String, BTreeMap<i64, (u64, u64)>>,
}

/// How far back the timeline goes, in seconds.
const DAY: i64 = 24 * 60 * 60;

/// A stored call, as far as the tally is concerned.
pub(super) struct Counted<'a> {
    pub(super) id: i64,
    pub(super) received_ms: i64,
    pub(super) tag: &'a str,
    pub(super) call_type: Option<&'a str>,
    pub(super) event: Option<&'a str>,
    pub(super) name: Option<&'a str>,
    pub(super) status: &'a str,
    pub(super) diagnostics: &'a str,
}

impl Counted<'_> {
    /// The event for tracks, the name for pages and screens, none for other types.
    fn label(&self) -> Option<String> {
        match self.call_type {
            Some("track") => self.event.map(String::from),
            Some("page" | "screen") => self.name.map(String::from),
            _ => None,
        }
    }
}

/// A stored call as read back (`COLUMNS`), for the tally.
pub(super) struct Stored {
    id: i64,
    received_ms: i64,
    tag: String,
    call_type: Option<String>,
    event: Option<String>,
    name: Option<String>,
    status: String,
    diagnostics: String,
}

impl Stored {
    /// A row of `SELECT {COLUMNS}`.
    pub(super) fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
        Ok(Stored {
            id: row.get(0)?,
            tag: row.get(1)?,
            call_type: row.get(2)?,
            event: row.get(3)?,
            name: row.get(4)?,
            status: row.get(5)?,
            diagnostics: row.get(6)?,
            received_ms: row.get(7)?,
        })
    }

    pub(super) fn counted(&self) -> Counted<'_> {
        Counted {
            id: self.id,
            received_ms: self.received_ms,
            tag: &self.tag,
            call_type: self.call_type.as_deref(),
            event: self.event.as_deref(),
            name: self.name.as_deref(),
            status: &self.status,
            diagnostics: &self.diagnostics,
        }
    }
}

/// Most kinds and tags a summary lists.
const MOST_KINDS: usize = 2000;
const MOST_TAGS: usize = 200;

/// Columns `Counted` is read from.
pub(super) const COLUMNS: &str = "id, tag, type, event, name, status, CASE WHEN status = 'valid' THEN '[]' ELSE diagnostics END, received_ms";

impl Tally {
    /// The tally of every call stored.
    pub(super) fn of(c: &Connection) -> rusqlite::Result<Tally> {
        let mut tally = Tally::default();
        let mut statement = c.prepare(&format!("SELECT {COLUMNS} FROM calls"))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            tally.add(&Stored::read(row)?.counted(), 1);
        }
        Ok(tally)
    }

    /// Counts a call stored (`sign` 1) or deleted (-1).
    pub(super) fn add(&mut self, call: &Counted<'_>, sign: i64) {
        let step = |n: &mut u64, by: u64| *n = if sign > 0 { *n + by } else { n.saturating_sub(by) };
        let kind = self.kinds.entry((call.tag.to_string(), call.call_type.map(String::from), call.label())).or_default();
        step(&mut kind.calls, 1);
        step(&mut kind.errors, u64::from(call.status == "errors"));
        step(&mut kind.warnings, u64::from(call.status == "warnings"));
        let tag = self.tags.entry(call.tag.to_string()).or_default();
        step(&mut tag.0, 1);
        if sign > 0 {
            tag.1 = tag.1.max(call.id);
        }
        let second = call.received_ms.div_euclid(1000);
        let seconds = self.seconds.entry(call.tag.to_string()).or_default();
        let at = seconds.entry(second).or_default();
        step(&mut at.0, 1);
        step(&mut at.1, u64::from(call.status == "errors"));
        if at.0 == 0 {
            seconds.remove(&second);
        }
        // Only the last day is kept.
        while seconds.first_key_value().is_some_and(|(s, _)| *s < second - DAY) {
            seconds.pop_first();
        }
        if seconds.is_empty() {
            self.seconds.remove(call.tag);
        }
        if call.status == "valid" {
            return;
        }
        let Ok(Value::Array(diagnostics)) = serde_json::from_str::<Value>(call.diagnostics) else { return };
        let mut seen: Vec<RuleKey> = Vec::new();
        for d in &diagnostics {
            let text = |k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            let rule = (text("code"), text("rule"), text("severity"));
            let first = !seen.contains(&rule);
            let entry = self.rules.entry((call.tag.to_string(), rule.clone())).or_default();
            step(&mut entry.0, u64::from(first));
            step(&mut entry.1, 1);
            if first {
                seen.push(rule);
            }
        }
        if sign < 0 {
            self.kinds.retain(|_, k| k.calls > 0);
            self.rules.retain(|_, r| r.1 > 0);
            self.tags.retain(|_, t| t.0 > 0);
        }
    }

    /// Forgets every call (`None`) or a tag's.
    pub(super) fn reset(&mut self, tag: Option<&str>) {
        match tag {
            None => *self = Tally::default(),
            Some(tag) => {
                self.kinds.retain(|k, _| k.0 != tag);
                self.rules.retain(|k, _| k.0 != tag);
                self.tags.remove(tag);
                self.seconds.remove(tag);
            }
        }
    }

    /// Calls, calls with errors, and calls with warnings (and no errors), of every call or of
    /// `tag`'s.
    pub(super) fn counts(&self, tag: Option<&str>) -> (u64, u64, u64) {
        let mut counts = (0, 0, 0);
        for ((t, _, _), n) in &self.kinds {
            if tag.is_none_or(|tag| tag == t) {
                counts.0 += n.calls;
                counts.1 += n.errors;
                counts.2 += n.warnings;
            }
        }
        counts
    }

    /// Calls and calls with errors in each of `buckets` spans of `width_ms` ending at
    /// `end_ms`, oldest first, of every call or of `tag`'s (of the last day: older seconds are
    /// not kept). A span takes the seconds that begin in it.
    pub(super) fn timeline(&self, tag: Option<&str>, end_ms: i64, width_ms: i64, buckets: usize) -> Vec<(u64, u64)> {
        let mut counts = vec![(0, 0); buckets];
        let width_ms = width_ms.max(1);
        let start = end_ms.saturating_sub(width_ms.saturating_mul(buckets as i64));
        let range = start.div_euclid(1000)..end_ms.div_euclid(1000).saturating_add(1);
        for (t, seconds) in &self.seconds {
            if tag.is_some_and(|tag| tag != t) {
                continue;
            }
            for (second, (calls, errors)) in seconds.range(range.clone()) {
                let ms = second.saturating_mul(1000);
                if ms < start || ms >= end_ms {
                    continue;
                }
                let bucket = &mut counts[((ms - start) / width_ms) as usize];
                bucket.0 += calls;
                bucket.1 += errors;
            }
        }
        counts
    }

    /// The session of every call, or of `tag`'s: kinds and rules most calls first, tags most
    /// recently used first.
    pub(super) fn session(&self, tag: Option<&str>) -> Session {
        let mine = |t: &String| tag.is_none_or(|tag| t == tag);
        let mut kinds: HashMap<(Option<String>, Option<String>), Calls> = HashMap::new();
        for ((t, kind, label), n) in &self.kinds {
            if mine(t) {
                let total = kinds.entry((kind.clone(), label.clone())).or_default();
                total.calls += n.calls;
                total.errors += n.errors;
                total.warnings += n.warnings;
            }
        }
        let mut events: Vec<EventCount> =
            kinds.into_iter().map(|((call_type, label), n)| EventCount { call_type, label, calls: n.calls, errors: n.errors, warnings: n.warnings }).collect();
        events.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.call_type.cmp(&b.call_type)).then_with(|| a.label.cmp(&b.label)));
        events.truncate(MOST_KINDS);
        let mut rules: HashMap<&RuleKey, (u64, u64)> = HashMap::new();
        for ((t, rule), n) in &self.rules {
            if mine(t) {
                let total = rules.entry(rule).or_default();
                total.0 += n.0;
                total.1 += n.1;
            }
        }
        let mut rules: Vec<RuleCount> = rules
            .into_iter()
            .map(|((code, rule, severity), (calls, diagnostics))| RuleCount {
                code: code.clone(),
                rule: rule.clone(),
                severity: severity.clone(),
                calls,
                diagnostics,
            })
            .collect();
        rules.sort_by(|a, b| b.calls.cmp(&a.calls).then_with(|| a.code.cmp(&b.code)).then_with(|| a.severity.cmp(&b.severity)));
        let mut tags: Vec<(&String, &(u64, i64))> = self.tags.iter().filter(|(t, _)| mine(t)).collect();
        tags.sort_by_key(|t| std::cmp::Reverse(t.1.1));
        let tags = tags.into_iter().take(MOST_TAGS).map(|(t, n)| (t.clone(), n.0)).collect();
        Session { events, rules, tags }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_counts_calls_per_kind_and_rule_and_lists_tags() {
        let c = super::super::views::tests::database();
        let tally = Tally::of(&c).unwrap();
        assert_eq!(tally.timeline(None, 4_000, 1_000, 4), [(0, 0), (1, 1), (1, 0), (1, 0)]);
        assert_eq!(tally.timeline(Some("a"), 4_000, 1_000, 4), [(0, 0), (0, 0), (1, 0), (1, 0)]);
        assert_eq!(tally.timeline(None, 4_000, 1_000, 0), []);
        assert_eq!((tally.counts(None), tally.counts(Some("a")), tally.counts(Some("b"))), ((4, 1, 1), (3, 0, 1), (0, 0, 0)));
        let all = tally.session(None);
        assert_eq!(all.events[0], EventCount { call_type: Some("track".into()), label: Some("Order Completed".into()), calls: 2, errors: 1, warnings: 0 });
        assert!(all.events.iter().any(|e| e.label.as_deref() == Some("Home") && e.warnings == 1));
        assert!(all.events.iter().any(|e| e.call_type.as_deref() == Some("identify") && e.label.is_none()));
        assert_eq!(all.rules.iter().map(|r| (r.code.as_str(), r.calls)).collect::<Vec<_>>(), [("CDP107", 1), ("CDP110", 1)]);
        assert_eq!(all.tags, [("a".to_string(), 3), (String::new(), 1)]);
        let a = tally.session(Some("a"));
        assert_eq!(a.rules.len(), 1);
        assert_eq!(a.tags, [("a".to_string(), 3)]);
    }

    #[test]
    fn calls_deleted_are_counted_out_and_resets_forget_a_tag() {
        let c = super::super::views::tests::database();
        let mut tally = Tally::of(&c).unwrap();
        let diagnostics = r#"[{"severity":"error","code":"CDP107","rule":"reserved-type","pointer":"/properties/revenue","message":"m"}]"#;
        let order =
            Counted { id: 1, received_ms: 1_000, tag: "", call_type: Some("track"), event: Some("Order Completed"), name: None, status: "errors", diagnostics };
        tally.add(&order, -1);
        let all = tally.session(None);
        assert_eq!((all.events[0].calls, all.events[0].errors), (1, 0));
        assert!(all.rules.iter().all(|r| r.code != "CDP107"), "{:?}", all.rules);
        assert_eq!(all.tags, [("a".to_string(), 3)]);
        assert_eq!(tally.timeline(None, 4_000, 1_000, 4), [(0, 0), (0, 0), (1, 0), (1, 0)]);
        tally.reset(Some("a"));
        assert_eq!(tally.session(None), Session::default());
        assert_eq!(tally.timeline(None, 4_000, 1_000, 4), [(0, 0); 4]);
    }
}
