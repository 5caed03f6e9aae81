//! The coverage report: per preset (triggered, ok, failed, missing fields with example places),
//! per call type and event (which actions consumed it), calls that reached no action, and the
//! plan's events that never appeared. Built in one pass over the calls.

use std::collections::BTreeMap;

use serde::Serialize;

use super::compile::{CompiledDestination, Outcome};
use crate::plan::Plan;
use crate::rule::Rule;
use crate::words::plural;

/// How many example places a report keeps per line.
const EXAMPLES: usize = 3;

/// One evaluated call and where it came from.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
/// let record = CallRecord {
///     path: "events.ndjson".into(), line: 12, index: None, call_type: Some("track".into()),
///     event: Some("Course Enrolled".into()), outcomes: customerio.evaluate(&call), errors: vec![],
/// };
/// assert!(record.outcomes[0].ok);
/// ```
#[derive(Debug, Clone)]
pub struct CallRecord {
    /// The input's path.
    pub path: String,
    /// The line the call starts on.
    pub line: usize,
    /// Its index in its batch or array.
    pub index: Option<usize>,
    /// `type`, if any.
    pub call_type: Option<String>,
    /// `event` of a track call, `name` of a page or screen call.
    pub event: Option<String>,
    /// What each matching preset did.
    pub outcomes: Vec<Outcome>,
    /// The rules `cdpspec validate` reports errors of in this call (empty for a valid call).
    pub errors: Vec<Rule>,
}

impl CallRecord {
    /// `path:line` (and `#index` in a batch or array), for examples.
    ///
    /// ```
    /// use cdpspec::coverage::CallRecord;
    ///
    /// let record = CallRecord { path: "batch.json".into(), line: 1, index: Some(3), call_type: None, event: None, outcomes: vec![], errors: vec![] };
    /// assert_eq!(record.place(), "batch.json:1#3");
    /// ```
    pub fn place(&self) -> String {
        match self.index {
            Some(i) => format!("{}:{}#{i}", self.path, self.line),
            None => format!("{}:{}", self.path, self.line),
        }
    }
}

/// A CI gate of `--fail-on`.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage, Gate};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: None, outcomes: vec![], errors: vec![] });
/// assert_eq!(coverage.failures(None, &[Gate::Failed]), Vec::<String>::new());
/// assert_eq!(coverage.failures(None, &[Gate::Dropped]), ["1 call reached no action (--fail-on dropped)"]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum Gate {
    /// Fail when any call reached no action.
    Dropped,
    /// Fail when any action failed on a call for lack of a required field.
    Failed,
}

/// One preset's results, as [`Coverage::presets`] holds them.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let page = serde_json::json!({"type": "page", "userId": "97980cfea0067", "name": "home"});
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "pages.ndjson".into(), line: 4, index: None, call_type: Some("page".into()), event: Some("home".into()), outcomes: customerio.evaluate(&page), errors: vec![] });
/// let stats = coverage.presets.iter().find(|p| p.preset == "Track Page View").unwrap();
/// assert_eq!((stats.triggered, stats.ok, stats.failed), (1, 0, 1));
/// assert_eq!(stats.missing["url"].examples, ["pages.ndjson:4"]);
/// ```
#[derive(Debug, Clone, Default, Serialize)]
pub struct PresetStats {
    /// The preset's name.
    pub preset: String,
    /// Its action's key.
    pub action: String,
    /// Its action's title.
    pub title: String,
    /// Calls whose trigger matched.
    pub triggered: usize,
    /// Calls the action accepted.
    pub ok: usize,
    /// Calls the action failed on.
    pub failed: usize,
    /// Per missing (or invalid) field: how often, and example places.
    pub missing: BTreeMap<String, FieldStats>,
}

/// How often one field was missing or invalid, with example places.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let call = serde_json::json!({"type": "group", "userId": "97980cfea0067", "traits": {"name": "Acme"}});
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "groups.ndjson".into(), line: 2, index: None, call_type: Some("group".into()), event: None, outcomes: customerio.evaluate(&call), errors: vec![] });
/// let id = &coverage.presets[customerio.find("createUpdateObject").unwrap()].missing["id"];
/// assert_eq!((id.count, id.examples.as_slice()), (1, ["groups.ndjson:2".to_string()].as_slice()));
/// ```
#[derive(Debug, Clone, Default, Serialize)]
pub struct FieldStats {
    /// How many calls.
    pub count: usize,
    /// Where, a few of them.
    pub examples: Vec<String>,
}

/// One kind of call: a call type, with its event (track) or name (page, screen), as
/// [`Coverage::kinds`] holds them.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: Some("Course Enrolled".into()), outcomes: customerio.evaluate(&call), errors: vec![] });
/// let kind = &coverage.kinds[0];
/// assert_eq!((kind.call_type.as_str(), kind.event.as_deref(), kind.covered), ("track", Some("Course Enrolled"), 1));
/// assert_eq!(kind.actions["Track Event"], 1);
/// ```
#[derive(Debug, Clone, Default, Serialize)]
pub struct KindStats {
    /// `type`.
    #[serde(rename = "type")]
    pub call_type: String,
    /// `event` or `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    /// Calls of this kind: `covered + failed + dropped`.
    pub calls: usize,
    /// Calls covered by at least one action.
    pub covered: usize,
    /// Calls some preset triggered on but no action accepted (and, with
    /// [`InvalidCalls::Failed`], calls with validation errors).
    pub failed: usize,
    /// Calls that reached no action.
    pub dropped: usize,
    /// Calls of this kind with validation errors.
    pub with_errors: usize,
    /// Presets that accepted calls of this kind, with counts.
    pub actions: BTreeMap<String, usize>,
    /// Presets that triggered on calls of this kind but failed, with counts.
    pub failed_actions: BTreeMap<String, usize>,
    /// Where dropped calls of this kind are, a few of them.
    pub dropped_examples: Vec<String>,
}

/// How calls that `cdpspec validate` reports errors in are counted.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage, InvalidCalls};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let call = serde_json::json!({"type": "track", "userId": 42, "event": "Course Enrolled"});
/// let record = CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: None, outcomes: customerio.evaluate(&call), errors: vec![Rule::NumericIdentifier] };
/// for (treatment, covered) in [(InvalidCalls::Evaluated, 1), (InvalidCalls::Failed, 0)] {
///     let mut coverage = Coverage::new(&customerio).with_invalid_calls(treatment);
///     coverage.add(&record);
///     assert_eq!((coverage.covered, coverage.with_errors), (covered, 1));
/// }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InvalidCalls {
    /// Evaluated as they were sent, like any other call (the default): a destination may still
    /// accept them.
    #[default]
    Evaluated,
    /// Counted as failed whatever the actions did (`--invalid-as-failed`).
    Failed,
}

/// What the plan says the corpus lacks or has too much of.
///
/// ```
/// use std::path::Path;
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let plan = cdpspec::plan::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap();
/// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enroled"});
/// let mut coverage = Coverage::new(&customerio);
/// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: Some("Course Enroled".into()), outcomes: customerio.evaluate(&call), errors: vec![] });
/// coverage.finish(Some(&plan));
/// let plan_stats = coverage.plan.unwrap();
/// assert_eq!(plan_stats.unplanned["Course Enroled"], 1);
/// assert!(plan_stats.never_seen.contains(&"Course Enrolled".to_string()));
/// ```
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanStats {
    /// Planned events never seen in the corpus.
    pub never_seen: Vec<String>,
    /// Events seen in the corpus that the plan lacks, with counts.
    pub unplanned: BTreeMap<String, usize>,
}

/// The whole report.
///
/// ```
/// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage, calls_of};
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let batch = serde_json::json!({"batch": [
///     {"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}},
///     {"type": "page", "userId": "97980cfea0067", "name": "home"},
/// ]});
/// let mut coverage = Coverage::new(&customerio);
/// for call in calls_of(&batch, None) {
///     let call_type = call.call["type"].as_str().map(String::from);
///     coverage.add(&CallRecord { path: "batch.json".into(), line: 1, index: call.index, call_type, event: None, outcomes: customerio.evaluate(&call.call), errors: vec![] });
/// }
/// coverage.finish(None);
/// assert_eq!((coverage.calls, coverage.covered, coverage.failed, coverage.dropped), (2, 1, 1, 0));
/// ```
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// The destination's display name.
    pub destination: String,
    /// Calls evaluated: `covered + failed + dropped`.
    pub calls: usize,
    /// Calls at least one action accepted.
    pub covered: usize,
    /// Calls some preset triggered on but no action accepted (and, with
    /// [`InvalidCalls::Failed`], calls with validation errors).
    pub failed: usize,
    /// Calls no preset triggered on.
    pub dropped: usize,
    /// Calls that `cdpspec validate` reports errors in (a missing identity, a wrong type...).
    pub with_errors: usize,
    /// How those calls are counted.
    pub invalid_calls: InvalidCalls,
    /// Records that did not parse (not evaluated; `cdpspec validate` says why).
    pub unparsed: usize,
    /// Per preset, in destination order.
    pub presets: Vec<PresetStats>,
    /// Actions no preset runs at all.
    pub actions_without_presets: Vec<String>,
    /// Per kind of call.
    pub kinds: Vec<KindStats>,
    /// With a plan: what it lacks or the corpus lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanStats>,
    /// Trigger quirks in the destination's presets.
    pub notes: Vec<String>,
    /// Where each kind is in `kinds`: by call type, then without or with each event.
    #[serde(skip)]
    kind_index: BTreeMap<String, (Option<usize>, BTreeMap<String, usize>)>,
    #[serde(skip)]
    seen_events: BTreeMap<String, usize>,
}

impl Coverage {
    /// An empty report for `destination`.
    ///
    /// ```
    /// use cdpspec::coverage::{CompiledDestination, Coverage};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let coverage = Coverage::new(&customerio);
    /// assert_eq!((coverage.destination.as_str(), coverage.calls), ("Actions Customerio", 0));
    /// assert_eq!(coverage.presets.len(), customerio.presets.len());
    /// ```
    pub fn new(destination: &CompiledDestination) -> Self {
        let presets = destination
            .presets
            .iter()
            .map(|p| PresetStats { preset: p.name.clone(), action: p.action.clone(), title: p.action_title.clone(), ..PresetStats::default() })
            .collect();
        let used: Vec<&str> = destination.presets.iter().map(|p| p.action.as_str()).collect();
        let actions_without_presets = destination.actions.iter().filter(|(k, _)| !used.contains(&k.as_str())).map(|(_, title)| title.clone()).collect();
        let notes = destination
            .presets
            .iter()
            .flat_map(|p| p.trigger.notes().iter().map(move |n| format!("preset `{}`: trigger at {}: {}", p.name, n.position, n.message)))
            .collect();
        Coverage { destination: destination.name.clone(), presets, actions_without_presets, notes, ..Coverage::default() }
    }

    /// Counts calls with validation errors as failed (`--invalid-as-failed`).
    ///
    /// ```
    /// use cdpspec::coverage::{CompiledDestination, Coverage, InvalidCalls};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let coverage = Coverage::new(&customerio).with_invalid_calls(InvalidCalls::Failed);
    /// assert_eq!(coverage.invalid_calls, InvalidCalls::Failed);
    /// ```
    pub fn with_invalid_calls(mut self, treatment: InvalidCalls) -> Self {
        self.invalid_calls = treatment;
        self
    }

    /// What became of `record`: covered, failed or dropped, exactly one.
    fn verdict(&self, record: &CallRecord) -> Verdict {
        if self.invalid_calls == InvalidCalls::Failed && !record.errors.is_empty() {
            Verdict::Failed
        } else if record.outcomes.iter().any(|o| o.ok) {
            Verdict::Covered
        } else if record.outcomes.is_empty() {
            Verdict::Dropped
        } else {
            Verdict::Failed
        }
    }

    /// Adds one evaluated call.
    ///
    /// ```
    /// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let call = serde_json::json!({"type": "alias", "userId": "97980cfea0067", "previousId": "a1f5e8b2"});
    /// let mut coverage = Coverage::new(&customerio);
    /// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("alias".into()), event: None, outcomes: customerio.evaluate(&call), errors: vec![] });
    /// assert_eq!((coverage.calls, coverage.covered), (1, 1));
    /// ```
    pub fn add(&mut self, record: &CallRecord) {
        self.calls += 1;
        let verdict = self.verdict(record);
        match verdict {
            Verdict::Covered => self.covered += 1,
            Verdict::Failed => self.failed += 1,
            Verdict::Dropped => self.dropped += 1,
        }
        let invalid = !record.errors.is_empty();
        if invalid {
            self.with_errors += 1;
        }
        for outcome in &record.outcomes {
            let stats = &mut self.presets[outcome.preset];
            stats.triggered += 1;
            if outcome.ok {
                stats.ok += 1;
                continue;
            }
            stats.failed += 1;
            let invalid = outcome.invalid.iter().map(|(f, why)| format!("{f} ({why})"));
            for field in outcome.missing.iter().map(|f| std::borrow::Cow::Borrowed(f.as_str())).chain(invalid.map(std::borrow::Cow::Owned)) {
                let entry = entry(&mut stats.missing, &field);
                entry.count += 1;
                if entry.examples.len() < EXAMPLES {
                    entry.examples.push(record.place());
                }
            }
        }
        if record.call_type.as_deref() == Some("track")
            && let Some(event) = &record.event
        {
            *entry(&mut self.seen_events, event) += 1;
        }
        let index = self.kind_of(record);
        let kind = &mut self.kinds[index];
        kind.calls += 1;
        kind.with_errors += usize::from(invalid);
        match verdict {
            Verdict::Covered => kind.covered += 1,
            Verdict::Failed => kind.failed += 1,
            Verdict::Dropped => {
                kind.dropped += 1;
                if kind.dropped_examples.len() < EXAMPLES {
                    kind.dropped_examples.push(record.place());
                }
            }
        }
        for outcome in &record.outcomes {
            let counts = if outcome.ok { &mut kind.actions } else { &mut kind.failed_actions };
            *entry(counts, &self.presets[outcome.preset].preset) += 1;
        }
    }

    /// The index in `kinds` of the kind of `record`, added when new.
    fn kind_of(&mut self, record: &CallRecord) -> usize {
        let call_type = record.call_type.as_deref().unwrap_or("(no type)");
        let (without_event, events) = entry(&mut self.kind_index, call_type);
        let found = match &record.event {
            None => without_event.as_mut(),
            Some(event) => events.get_mut(event.as_str()),
        };
        if let Some(index) = found {
            return *index;
        }
        let index = self.kinds.len();
        match &record.event {
            None => *without_event = Some(index),
            Some(event) => {
                events.insert(event.clone(), index);
            }
        }
        self.kinds.push(KindStats { call_type: call_type.to_owned(), event: record.event.clone(), ..KindStats::default() });
        index
    }

    /// Compares the events seen with `plan`'s, and orders kinds for reading.
    ///
    /// ```
    /// use std::path::Path;
    /// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let plan = cdpspec::plan::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml"))).unwrap();
    /// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
    /// let mut coverage = Coverage::new(&customerio);
    /// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("track".into()), event: Some("Course Enrolled".into()), outcomes: customerio.evaluate(&call), errors: vec![] });
    /// coverage.finish(Some(&plan));
    /// assert!(coverage.plan.unwrap().never_seen.contains(&"Order Completed".to_string()));
    /// ```
    pub fn finish(&mut self, plan: Option<&Plan>) {
        self.kinds.sort_by(|a, b| (&a.call_type, &a.event).cmp(&(&b.call_type, &b.event)));
        if let Some(plan) = plan {
            let never_seen = plan.events.iter().filter(|e| !self.seen_events.contains_key(&e.name)).map(|e| e.name.clone()).collect();
            let unplanned = self.seen_events.iter().filter(|(name, _)| plan.event(name).is_none()).map(|(n, c)| (n.clone(), *c)).collect();
            self.plan = Some(PlanStats { never_seen, unplanned });
        }
    }

    /// The share of calls covered, in percent; `None` when there was nothing to cover.
    ///
    /// ```
    /// use cdpspec::coverage::{CallRecord, CompiledDestination, Coverage};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let mut coverage = Coverage::new(&customerio);
    /// assert_eq!(coverage.percent(), None);
    /// let call = serde_json::json!({"type": "screen", "userId": "97980cfea0067", "name": "Course List"});
    /// coverage.add(&CallRecord { path: "-".into(), line: 1, index: None, call_type: Some("screen".into()), event: None, outcomes: customerio.evaluate(&call), errors: vec![] });
    /// assert_eq!(coverage.percent(), Some(100.0));
    /// ```
    pub fn percent(&self) -> Option<f64> {
        (self.calls > 0).then(|| self.covered as f64 * 100.0 / self.calls as f64)
    }

    /// The gates that fail, as sentences.
    ///
    /// ```
    /// use cdpspec::coverage::{CompiledDestination, Coverage, Gate};
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let coverage = Coverage::new(&customerio);
    /// assert_eq!(coverage.failures(Some(80.0), &[Gate::Dropped]), ["no calls were read, so nothing is covered (--fail-under 80%)"]);
    /// assert!(coverage.failures(None, &[Gate::Dropped, Gate::Failed]).is_empty());
    /// ```
    pub fn failures(&self, fail_under: Option<f64>, fail_on: &[Gate]) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(min) = fail_under {
            match self.percent() {
                None => out.push(format!("no calls were read, so nothing is covered (--fail-under {min}%)")),
                Some(percent) if percent < min => out.push(format!("coverage {percent:.1}% is under --fail-under {min}%")),
                Some(_) => {}
            }
        }
        if fail_on.contains(&Gate::Dropped) && self.dropped > 0 {
            out.push(format!("{} reached no action (--fail-on dropped)", plural(self.dropped, "call")));
        }
        let failed: usize = self.presets.iter().map(|p| p.failed).sum();
        if fail_on.contains(&Gate::Failed) && failed > 0 {
            let times = if failed == 1 { "once".to_string() } else { format!("{failed} times") };
            out.push(format!("actions failed {times} for lack of required fields (--fail-on failed)"));
        }
        if fail_on.contains(&Gate::Failed) && self.invalid_calls == InvalidCalls::Failed && self.with_errors > 0 {
            out.push(format!("{} with validation errors counted as failed (--fail-on failed, --invalid-as-failed)", plural(self.with_errors, "call")));
        }
        out
    }
}

/// The entry of `map` for `key`, added (default) when missing: a key is copied only when new.
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("just inserted")
}

/// What became of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// An action accepted it.
    Covered,
    /// A preset triggered but no action accepted it, or it is invalid and counted as failed.
    Failed,
    /// No preset triggered on it.
    Dropped,
}
