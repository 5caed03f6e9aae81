//! The tracking plan: which calls an app sends and what each carries. Every section a rule
//! constrains (`properties`, `traits`, `context`) is a JSON Schema of that part of the call, so
//! plans are read by any JSON Schema tool, and Segment Protocols rules (schemas of the whole call)
//! map onto them section by section without loss.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A tracking plan, as written in `plan.yaml` / `plan.json` (described by
/// `schema/plan/tracking-plan.schema.json`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The schema of the plan file itself, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The plan's name, such as `Courses app`.
    pub name: String,
    /// The plan's own version, such as `2.1.0`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What the plan covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Rules for every call: `context` for all, `properties` for track, page and screen calls,
    /// `traits` for identify and group calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub common: Option<Rule>,
    /// Rules for identify calls (their `traits`, `context`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identify: Option<Rule>,
    /// Rules for group calls (their `traits`, `context`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Rule>,
    /// Rules for page calls, by page name (`*` applies to every page).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<NamedRule>,
    /// Rules for screen calls, by screen name (`*` applies to every screen).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub screens: Vec<NamedRule>,
    /// The track events the app sends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
    /// Where the plan came from: an importer keeps the source plan's bookkeeping here (Segment's
    /// `id`, `slug`, `createdAt`, ...), verbatim, so nothing it read is lost.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Value>,
}

/// What a rule demands of a call, section by section. Each section is a JSON Schema (draft
/// 2020-12) of that part of the call; an absent section demands nothing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// What the rule is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// JSON Schema of the call's `properties` (track, page, screen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Value>,
    /// JSON Schema of the call's `traits` (identify, group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub traits: Option<Value>,
    /// JSON Schema of the call's `context`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// Sections the call must carry at all (`properties`, `traits`, `context`), as a Segment
    /// rule's top-level `required` says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<Section>,
    /// Bookkeeping of the rule's source (an imported rule's dates and labels), verbatim.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, Value>,
}

/// A part of a call that rules constrain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Section {
    /// `properties` (track, page, screen).
    Properties,
    /// `traits` (identify, group).
    Traits,
    /// `context`.
    Context,
}

impl Section {
    /// All sections, in the order rules list them.
    pub const ALL: [Section; 3] = [Section::Properties, Section::Traits, Section::Context];

    /// The key of the section in a call.
    pub fn key(self) -> &'static str {
        match self {
            Section::Properties => "properties",
            Section::Traits => "traits",
            Section::Context => "context",
        }
    }
}

impl Rule {
    /// The schema of `section`, if the rule has one.
    pub fn section(&self, section: Section) -> Option<&Value> {
        match section {
            Section::Properties => self.properties.as_ref(),
            Section::Traits => self.traits.as_ref(),
            Section::Context => self.context.as_ref(),
        }
    }

    /// Mutable access to the schema of `section`.
    pub fn section_mut(&mut self, section: Section) -> &mut Option<Value> {
        match section {
            Section::Properties => &mut self.properties,
            Section::Traits => &mut self.traits,
            Section::Context => &mut self.context,
        }
    }

    /// Whether the rule demands nothing.
    pub fn is_empty(&self) -> bool {
        Section::ALL.iter().all(|s| self.section(*s).is_none()) && self.requires.is_empty() && self.metadata.is_empty()
    }
}

/// A rule for the page or screen calls of one name.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedRule {
    /// The page or screen name (`name` of the call); `*` matches every name.
    pub name: String,
    /// What calls of that name must carry.
    #[serde(flatten)]
    pub rule: Rule,
}

/// A track event of the plan, in one or more versions.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The event name, as sent in `event` (`Course Enrolled`).
    pub name: String,
    /// What the event means and when it is sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who answers for the event (a team or a person).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Free-form labels (`team: growth`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The versions of the event, oldest first. A call selects one with
    /// `context.protocols.event_version`; without it (or with an unknown one) the oldest applies.
    pub versions: Vec<EventVersion>,
}

/// One version of a track event.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventVersion {
    /// The version number (1, 2, ...).
    pub version: u32,
    /// When this version was deprecated (an ISO-8601 date), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deprecated: Option<String>,
    /// What calls of this version must carry.
    #[serde(flatten)]
    pub rule: Rule,
}

impl Plan {
    /// The planned event named `name`, if any.
    pub fn event(&self, name: &str) -> Option<&Event> {
        self.events.iter().find(|e| e.name == name)
    }
}

impl Event {
    /// The version a call selects with `context.protocols.event_version`: that version when the
    /// plan has it, otherwise the oldest (as Segment Protocols does).
    pub fn select(&self, requested: Option<u64>) -> Option<&EventVersion> {
        requested.and_then(|v| self.versions.iter().find(|x| u64::from(x.version) == v)).or_else(|| self.versions.iter().min_by_key(|x| x.version))
    }

    /// The newest version.
    pub fn latest(&self) -> Option<&EventVersion> {
        self.versions.iter().max_by_key(|x| x.version)
    }
}
