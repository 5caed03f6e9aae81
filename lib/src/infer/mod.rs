//! `plan infer`: a draft tracking plan from real traffic. Every call is noted by kind (each
//! track event, identify, group, each page and screen name) with the shape of its `properties`
//! or `traits`; [`Inference::finish`] turns what was seen into a [`Plan`] whose rules accept
//! every call they were inferred from, and lists what a person should decide ([`Finding`]):
//! types that conflict and names that differ only in case or separators, kept apart, never
//! merged.
//!
//! ```
//! use cdpspec::infer::{Inference, Options};
//!
//! let mut inference = Inference::new(Options::default());
//! for level in ["beginner", "advanced", "beginner", "advanced"] {
//!     let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "properties": {"level": level, "price": 12}});
//!     inference.add_document(&call, None);
//! }
//! let inferred = inference.finish();
//! let schema = inferred.plan.events[0].versions[0].rule.properties.as_ref().unwrap();
//! assert_eq!(schema["properties"]["level"]["enum"], serde_json::json!(["advanced", "beginner"]));
//! assert_eq!(schema["properties"]["price"]["type"], "integer");
//! assert_eq!(schema["required"], serde_json::json!(["level", "price"]));
//! ```

mod finding;
mod formats;
mod seen;
mod shape;

pub use finding::Finding;

use std::collections::BTreeMap;

use cdpspec_plan::{Event, EventVersion, NamedRule, Plan, Rule};
use serde_json::Value;

use crate::{CallType, Pointer};
use seen::Seen;
use shape::{Rules, near_duplicates};

/// How to infer.
#[derive(Debug, Clone)]
pub struct Options {
    /// The plan's name.
    pub name: String,
    /// Strings with at most this many distinct values, each seen at least twice on average,
    /// become an `enum` (0: never). Default 10.
    pub enum_threshold: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { name: "Inferred plan".into(), enum_threshold: 10 }
    }
}

/// What the traffic read so far holds, kind by kind.
#[derive(Debug)]
pub struct Inference {
    options: Options,
    calls: u64,
    events: BTreeMap<String, Seen>,
    identify: Seen,
    group: Seen,
    pages: Named,
    screens: Named,
    /// Calls without a usable type, and track calls without an event name.
    untyped: u64,
    unnamed_tracks: u64,
}

/// Page or screen calls: by name, and all of them (for the `*` rule when some have no name).
#[derive(Debug, Default)]
struct Named {
    by_name: BTreeMap<String, Seen>,
    all: Seen,
    unnamed: u64,
}

/// The draft plan and what a person should decide about it.
#[derive(Debug)]
pub struct Inferred {
    /// The plan: every event, identify, group, page and screen seen.
    pub plan: Plan,
    /// Conflicting types, near-duplicate names, calls that could not be planned.
    pub findings: Vec<Finding>,
    /// How many calls were read.
    pub calls: u64,
}

impl Inference {
    /// An inference that has seen nothing yet.
    pub fn new(options: Options) -> Inference {
        Inference {
            options,
            calls: 0,
            events: BTreeMap::new(),
            identify: Seen::default(),
            group: Seen::default(),
            pages: Named::default(),
            screens: Named::default(),
            untyped: 0,
            unnamed_tracks: 0,
        }
    }

    /// Notes every call of a document (a call, a batch, an array of calls), as `validate`
    /// reads it; `default_type` is the type of calls without one (`--type`, or the file name's).
    pub fn add_document(&mut self, document: &Value, default_type: Option<CallType>) {
        for call in crate::coverage::calls_of(document, default_type) {
            self.add_call(&call.call);
        }
    }

    /// Notes one call (with its batch's context merged in, if it came in one).
    pub fn add_call(&mut self, call: &Value) {
        self.calls += 1;
        let threshold = self.options.enum_threshold;
        let Some(call_type) = call.get("type").and_then(Value::as_str).and_then(|t| t.parse::<CallType>().ok()) else {
            self.untyped += 1;
            return;
        };
        match call_type {
            CallType::Track => match call.get("event").and_then(Value::as_str).filter(|e| !e.trim().is_empty()) {
                Some(event) => self.events.entry(event.to_owned()).or_default().add(call, call.get("properties"), threshold),
                None => self.unnamed_tracks += 1,
            },
            CallType::Identify => self.identify.add(call, call.get("traits"), threshold),
            CallType::Group => self.group.add(call, call.get("traits"), threshold),
            CallType::Page => self.pages.add(call, threshold),
            CallType::Screen => self.screens.add(call, threshold),
            CallType::Alias => {}
        }
    }

    /// The plan that accepts every call noted, and the findings.
    pub fn finish(self) -> Inferred {
        let rules = Rules { enum_threshold: self.options.enum_threshold };
        let mut findings = Vec::new();
        let root = Pointer::root();
        let mut plan = Plan { name: self.options.name.clone(), description: Some(self.description()), ..Plan::default() };
        for (key, seen, what) in [("identify", &self.identify, "identify traits"), ("group", &self.group, "group traits")] {
            if seen.calls == 0 {
                continue;
            }
            // Clients send only the traits that changed: none is required.
            let traits = (seen.section.count() > 0).then(|| seen.section.schema(&root.join(key).join("traits"), what, &rules, false, &mut findings));
            let rule = Rule { description: Some(seen.description()), traits, ..Rule::default() };
            match key {
                "identify" => plan.identify = Some(rule),
                _ => plan.group = Some(rule),
            }
        }
        plan.pages = self.pages.rules(&root.join("pages"), "page", &rules, &mut findings);
        plan.screens = self.screens.rules(&root.join("screens"), "screen", &rules, &mut findings);
        for (i, (name, seen)) in self.events.iter().enumerate() {
            let at = root.join("events").join_index(i).join("versions").join_index(0).join("properties");
            let properties =
                (seen.section.count() > 0).then(|| seen.section.schema(&at, &format!("properties of `{name}`"), &rules, seen.always_sent(), &mut findings));
            plan.events.push(Event {
                name: name.clone(),
                description: Some(seen.description()),
                versions: vec![EventVersion { version: 1, rule: Rule { properties, ..Rule::default() }, ..EventVersion::default() }],
                ..Event::default()
            });
        }
        near_duplicates(self.events.iter().map(|(n, s)| (n.as_str(), s.calls)), &root.join("events"), "event names", &mut findings);
        if self.unnamed_tracks > 0 {
            findings.push(Finding {
                code: "not-planned",
                location: String::new(),
                message: format!("{} without an event name: not planned", crate::words::plural(to_usize(self.unnamed_tracks), "track call")),
            });
        }
        if self.untyped > 0 {
            findings.push(Finding {
                code: "not-planned",
                location: String::new(),
                message: format!(
                    "{} without a known `type` (give --type for files of one type): not planned",
                    crate::words::plural(to_usize(self.untyped), "call")
                ),
            });
        }
        Inferred { plan, findings, calls: self.calls }
    }

    fn description(&self) -> String {
        format!("Inferred by `cdpspec plan infer` from {}: review it before use.", crate::words::plural(to_usize(self.calls), "call"))
    }
}

impl Named {
    fn add(&mut self, call: &Value, threshold: usize) {
        let properties = call.get("properties");
        self.all.add(call, properties, threshold);
        // A page literally named `*` would read as the rule for every page: it counts as unnamed.
        match call.get("name").and_then(Value::as_str).filter(|n| *n != "*") {
            Some(name) => self.by_name.entry(name.to_owned()).or_default().add(call, properties, threshold),
            None => self.unnamed += 1,
        }
    }

    /// One rule per name, and a `*` rule (from every call of the kind) first when some calls
    /// had no name.
    fn rules(&self, at: &Pointer, kind: &str, rules: &Rules, findings: &mut Vec<Finding>) -> Vec<NamedRule> {
        let mut out = Vec::new();
        let mut entries: Vec<(&str, &Seen)> = Vec::new();
        if self.unnamed > 0 {
            entries.push(("*", &self.all));
        }
        entries.extend(self.by_name.iter().map(|(n, s)| (n.as_str(), s)));
        for (i, (name, seen)) in entries.into_iter().enumerate() {
            let what = if name == "*" { format!("properties of every {kind}") } else { format!("properties of {kind} `{name}`") };
            let properties =
                (seen.section.count() > 0).then(|| seen.section.schema(&at.join_index(i).join("properties"), &what, rules, seen.always_sent(), findings));
            out.push(NamedRule { name: name.to_owned(), rule: Rule { description: Some(seen.description()), properties, ..Rule::default() } });
        }
        near_duplicates(self.by_name.iter().map(|(n, s)| (n.as_str(), s.calls)), at, &format!("{kind} names"), findings);
        out
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
