//! What of a call a mapping reads, found once from its directives, and a copy of just that part
//! of a call: resolving the mapping against the copy gives what resolving it against the whole
//! call gives. `coverage` copies only this much of each call out of the fast path's tape.
//!
//! A static path (`@path`, `@arrayPath`, a template's placeholders) reads the members along it
//! and the whole value at its end. A path or template computed from the data (`{"@path":
//! {"@path": ...}}`, `{{{...}}}`) could read anything: the whole call. `@transform` resolves its
//! mapping against what its `apply` built, so only `apply` reads the call.
//!
//! The copy holds, of each object on a path, the members read (with the last of duplicate keys,
//! as serde_json keeps it), and any other value whole. Walking a path finds the same values in
//! it, since every member a walk looks up is copied; a member it lacks is lacking in the call.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Mapping;
use super::compile::{Kind, Node, Source};
use super::fields::Field;
use super::path::Path;
use crate::destination::CallJson;
use crate::fast::json::Kind as JsonKind;

/// The part of a value a mapping reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Needs {
    /// Nothing.
    #[default]
    Nothing,
    /// The members with these keys, each as far as it says (anything but an object whole).
    Members(BTreeMap<String, Needs>),
    /// The whole value.
    All,
}

impl Needs {
    /// Adds what walking `path` reads.
    fn add_path(&mut self, path: &Path) {
        let mut at = self;
        for segment in path.segments().unwrap_or_default() {
            match at {
                Needs::All => return,
                Needs::Nothing => *at = Needs::Members(BTreeMap::new()),
                Needs::Members(_) => {}
            }
            let Needs::Members(members) = at else { return };
            at = members.entry(segment.clone()).or_default();
        }
        *at = Needs::All;
    }

    /// Adds what `node` reads of the payload it resolves against.
    fn add_node(&mut self, node: &Node) {
        let mut add = |child: &Node| self.add_node(child);
        match &node.kind {
            Kind::Raw(_) => {}
            Kind::Object(fields) => fields.iter().for_each(|(_, child)| add(child)),
            Kind::Array(items) | Kind::Merge { objects: items, .. } => items.iter().for_each(add),
            Kind::Path(Source::Static(path)) | Kind::ArrayPath { source: Source::Static(path), .. } => self.add_path(path),
            // Items are resolved against the shape, which reads what the source gave (whole).
            Kind::ArrayPath { source: Source::Dynamic(inner), .. } => add(inner),
            Kind::Path(Source::Dynamic(_)) | Kind::Template(Source::Dynamic(_)) => *self = Needs::All,
            Kind::Template(Source::Static(template)) => match template.paths() {
                Some(paths) => paths.for_each(|path| self.add_path(path)),
                None => *self = Needs::All,
            },
            Kind::If { condition, then, otherwise, .. } => {
                add(condition);
                then.iter().chain(otherwise).for_each(|n| add(n));
            }
            Kind::Literal(inner) | Kind::Json { value: inner, .. } | Kind::Flatten { value: inner, .. } | Kind::ExcludeWhenNull(inner) => add(inner),
            Kind::Case { value, .. } => value.iter().for_each(|n| add(n)),
            Kind::Replace(replace) => replace.value.iter().for_each(add),
            Kind::Transform { apply, .. } => add(apply),
        }
    }

    /// A copy of the part of `value` this says, as serde_json reads it (of an object that
    /// nothing is read of, `{}`); `None` only if the tape holds a number serde_json does not read
    /// (never, for a parsed document).
    pub(crate) fn copy<J: CallJson>(&self, value: J) -> Option<Value> {
        match self {
            Needs::Nothing | Needs::Members(_) if value.kind() == JsonKind::Object => {
                let mut copy = Map::new();
                if let Needs::Members(members) = self {
                    for (key, member) in value.members() {
                        if let Some(needs) = members.get(key) {
                            // A later duplicate replaces an earlier one, as in serde_json.
                            copy.insert(key.to_owned(), needs.copy(member)?);
                        }
                    }
                }
                Some(Value::Object(copy))
            }
            Needs::Nothing | Needs::Members(_) | Needs::All => value.to_value(),
        }
    }
}

impl Mapping {
    /// What resolving the mapping's keys that are among `fields` reads of a call (what
    /// [`Mapping::check`] reads); the whole call for a mapping that is not an object of keys.
    pub(crate) fn needs(&self, fields: &BTreeMap<String, Field>) -> Needs {
        let Kind::Object(keys) = &self.root.kind else { return Needs::All };
        let mut needs = Needs::Nothing;
        for (_, node) in keys.iter().filter(|(key, _)| fields.contains_key(key)) {
            needs.add_node(node);
        }
        needs
    }
}
