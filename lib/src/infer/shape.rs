//! What the values seen at one place of a call had in common: their JSON types, for strings
//! their distinct values (up to the enum threshold) and the formats every one fits, for objects
//! their members and how often each was present, for arrays their items. A [`Shape`] becomes
//! the JSON Schema that accepts every value it was built from.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Finding;
use super::formats::Formats;
use crate::Pointer;

/// The values seen at one place.
#[derive(Debug, Default)]
pub(crate) struct Shape {
    nulls: u64,
    booleans: u64,
    integers: u64,
    numbers: u64,
    strings: Option<Strings>,
    objects: u64,
    members: BTreeMap<String, Shape>,
    arrays: u64,
    items: Option<Box<Shape>>,
}

/// The strings seen at one place.
#[derive(Debug)]
struct Strings {
    count: u64,
    /// The distinct values, until there are more than the enum threshold.
    distinct: Option<BTreeSet<String>>,
    formats: Formats,
}

/// How a shape becomes a schema.
pub(crate) struct Rules {
    /// Strings with at most this many distinct values, each seen twice on average (and three
    /// times in all), become an `enum` (0: never).
    pub(crate) enum_threshold: usize,
}

impl Shape {
    /// Notes one value; `enum_threshold` caps the distinct strings kept.
    pub(crate) fn add(&mut self, value: &Value, enum_threshold: usize) {
        match value {
            Value::Null => self.nulls += 1,
            Value::Bool(_) => self.booleans += 1,
            Value::Number(n) if n.is_i64() || n.is_u64() => self.integers += 1,
            Value::Number(_) => self.numbers += 1,
            Value::String(s) => {
                let strings = self.strings.get_or_insert_with(|| Strings { count: 0, distinct: Some(BTreeSet::new()), formats: Formats::ALL });
                strings.count += 1;
                strings.formats.narrow(s);
                if let Some(distinct) = &mut strings.distinct {
                    if !distinct.contains(s) {
                        distinct.insert(s.clone());
                    }
                    if distinct.len() > enum_threshold {
                        strings.distinct = None;
                    }
                }
            }
            Value::Array(items) => {
                self.arrays += 1;
                for item in items {
                    self.items.get_or_insert_with(Box::default).add(item, enum_threshold);
                }
            }
            Value::Object(map) => {
                self.objects += 1;
                for (key, member) in map {
                    self.members.entry(key.clone()).or_default().add(member, enum_threshold);
                }
            }
        }
    }

    /// How many values were seen here.
    pub(crate) fn count(&self) -> u64 {
        self.nulls + self.booleans + self.integers + self.numbers + self.strings.as_ref().map_or(0, |s| s.count) + self.objects + self.arrays
    }

    /// The JSON types seen, `null` last; `integer` only when no other number was seen.
    fn types(&self) -> Vec<&'static str> {
        let mut types = Vec::new();
        let seen = [
            (self.objects, "object"),
            (self.arrays, "array"),
            (self.strings.as_ref().map_or(0, |s| s.count), "string"),
            (if self.numbers == 0 { self.integers } else { 0 }, "integer"),
            (self.numbers, "number"),
            (self.booleans, "boolean"),
            (self.nulls, "null"),
        ];
        types.extend(seen.iter().filter(|(n, _)| *n > 0).map(|(_, t)| *t));
        types
    }

    /// The schema accepting every value seen, at `at` in the plan; conflicting types and
    /// members whose names differ only in case or separators are pushed onto `findings`, with
    /// `what` naming the place for people (`properties of "Order Completed"`). `required` lists
    /// the members present in every object seen.
    pub(crate) fn schema(&self, at: &Pointer, what: &str, rules: &Rules, required: bool, findings: &mut Vec<Finding>) -> Value {
        let types = self.types();
        let mut schema = Map::new();
        let solid: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        if solid.len() > 1 {
            let counts: Vec<String> = solid.iter().map(|t| format!("{t} ({})", self.count_of(t))).collect();
            findings.push(Finding {
                code: "conflicting-types",
                location: at.join("type").to_string(),
                message: format!("{what} was sent as {}: the plan accepts each; decide which is right", counts.join(", ")),
            });
        }
        match types.as_slice() {
            [] => {}
            [one] => {
                schema.insert("type".into(), json!(one));
            }
            many => {
                schema.insert("type".into(), json!(many));
            }
        }
        if let Some(strings) = &self.strings {
            if let Some(format) = strings.formats.best() {
                schema.insert("format".into(), json!(format));
            } else if let Some(distinct) = &strings.distinct
                && solid == ["string"]
                && rules.enum_threshold > 0
                && !distinct.is_empty()
                && strings.count >= (2 * distinct.len() as u64).max(3)
            {
                let mut values: Vec<Value> = distinct.iter().map(|s| json!(s)).collect();
                if self.nulls > 0 {
                    values.push(Value::Null);
                }
                schema.insert("enum".into(), Value::Array(values));
            }
        }
        if self.objects > 0 {
            let mut properties = Map::new();
            let mut must = Vec::new();
            for (key, member) in &self.members {
                let inner = at.join("properties").join(key);
                properties.insert(key.clone(), member.schema(&inner, &format!("{what}.{key}"), rules, true, findings));
                if member.count() == self.objects {
                    must.push(json!(key));
                }
            }
            near_duplicates(self.members.keys().map(|k| (k.as_str(), self.members[k].count())), &at.join("properties"), what, findings);
            if !properties.is_empty() {
                schema.insert("properties".into(), Value::Object(properties));
            }
            if required && !must.is_empty() {
                schema.insert("required".into(), Value::Array(must));
            }
        }
        if let Some(items) = &self.items {
            schema.insert("items".into(), items.schema(&at.join("items"), &format!("{what}[]"), rules, true, findings));
        }
        Value::Object(schema)
    }

    fn count_of(&self, t: &str) -> u64 {
        match t {
            "object" => self.objects,
            "array" => self.arrays,
            "string" => self.strings.as_ref().map_or(0, |s| s.count),
            "integer" => self.integers,
            "number" => self.numbers + self.integers,
            "boolean" => self.booleans,
            _ => self.nulls,
        }
    }
}

/// Pushes a finding for every group of names (with how often each was seen) that differ only
/// in case, separators or a trailing `s`: `Order Completed` / `order_completed`.
pub(crate) fn near_duplicates<'a>(names: impl Iterator<Item = (&'a str, u64)>, at: &Pointer, what: &str, findings: &mut Vec<Finding>) {
    let mut groups: BTreeMap<String, Vec<(&str, u64)>> = BTreeMap::new();
    for (name, count) in names {
        let folded = crate::suggest::fold(name);
        let key = folded.strip_suffix('s').filter(|k| !k.is_empty()).map_or(folded.clone(), str::to_owned);
        groups.entry(key).or_default().push((name, count));
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        let names: Vec<String> = group.iter().map(|(n, c)| format!("`{n}` ({c})")).collect();
        findings.push(Finding {
            code: "near-duplicate-names",
            location: at.to_string(),
            message: format!("{what}: {} differ only in case, separators or a plural: kept apart; decide which is meant", names.join(", ")),
        });
    }
}
