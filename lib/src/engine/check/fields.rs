//! Top-level keys that are misspellings of the call's own fields (`user_id`, `anonymous_id`,
//! `Event`): destinations ignore them, so the value silently goes missing.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::RulesOn;
use crate::CallType;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::fast::json::Json;
use crate::rule::Rule;
use crate::schema;
use crate::suggest::fold;

/// For each call type, its fields keyed by their folded spelling.
static FIELDS: LazyLock<Vec<HashMap<String, String>>> = LazyLock::new(|| {
    CallType::ALL
        .iter()
        .map(|t| {
            let schema = schema::load(&format!("{}.schema.json", t.as_str()));
            schema["properties"].as_object().map(|p| p.keys().map(|k| (fold(k), k.clone())).collect()).unwrap_or_default()
        })
        .collect()
});

/// Precise form: a finding for each key of `map` (a `call` call found at `pointer`) that
/// misspells a field the call lacks.
pub(super) fn check(map: &Map<String, Value>, pointer: &Pointer, call: CallType, out: &mut Vec<Finding>) {
    let fields = &FIELDS[call as usize];
    for key in map.keys() {
        if let Some(field) = fields.get(&fold(key))
            && field != key
            && !map.contains_key(field)
        {
            out.push(
                Finding::new(
                    Rule::MisspelledField,
                    pointer.join(key),
                    format!("`{key}` is not a field of a {call} call and destinations ignore it; did you mean `{field}`?"),
                )
                .suggest(field.clone()),
            );
        }
    }
}

/// What the fast form knows of a call type's top-level fields: those spelled as their own folded
/// form maps back to them (so [`check`] cannot report them), by length, and the folded map
/// itself, in schema order.
pub(crate) struct Spellings {
    exact: Vec<Vec<String>>,
    folded: Vec<(String, String)>,
}

/// [`Spellings`] of each call type, by `CallType as usize`.
static SPELLINGS: LazyLock<Vec<Spellings>> = LazyLock::new(|| {
    CallType::ALL
        .iter()
        .map(|t| {
            let schema = schema::load(&format!("{}.schema.json", t.as_str()));
            let keys: Vec<String> = schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
            // As `FIELDS` is built: a later key with the same folded form wins.
            let mut folded: Vec<(String, String)> = Vec::new();
            for key in &keys {
                let f = fold(key);
                match folded.iter_mut().find(|(k, _)| *k == f) {
                    Some(entry) => entry.1 = key.clone(),
                    None => folded.push((f, key.clone())),
                }
            }
            let mut exact: Vec<Vec<String>> = Vec::new();
            for key in keys.iter().filter(|k| folded.iter().any(|(f, field)| field == *k && *f == fold(k))) {
                if exact.len() <= key.len() {
                    exact.resize(key.len() + 1, Vec::new());
                }
                exact[key.len()].push(key.clone());
            }
            Spellings { exact, folded }
        })
        .collect()
});

impl Spellings {
    /// The spellings of `call`'s fields.
    #[inline]
    pub(crate) fn of(call: CallType) -> &'static Spellings {
        &SPELLINGS[call as usize]
    }

    #[inline]
    fn is_exact(&self, key: &str) -> bool {
        self.exact.get(key.len()).is_some_and(|names| names.iter().any(|f| f == key))
    }

    /// Fast form of [`check`], for one top-level `key` of the call `call` (of the type these
    /// are the spellings of): whether it is not a misspelling of a field the call lacks, under
    /// the rules `on`.
    #[inline]
    pub(crate) fn passes<V: Json>(&self, key: &str, call: V, on: RulesOn) -> bool {
        if self.is_exact(key) || !on.has(Rule::MisspelledField) {
            return true;
        }
        let folded = fold(key);
        match self.folded.iter().find(|(f, _)| *f == folded) {
            Some((_, field)) => field == key || call.members().any(|(k, _)| k == field),
            None => true,
        }
    }
}
