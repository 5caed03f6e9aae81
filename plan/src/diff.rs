//! `plan diff`: what changed between two plans, and which changes break senders. A change breaks
//! when calls valid under the old plan can fail the new one: an event removed, a property removed
//! or retyped, a new required property, a narrowed enum, a tightened pattern, range or
//! `additionalProperties`. Changes to an event are not breaking when the event's newest version
//! was bumped: senders of the old version keep selecting it with `context.protocols.event_version`.
//!
//! Schemas are compared as they resolve, the way validation sees them. Local `$ref`s (`#/$defs/x`,
//! `#/definitions/x`, any `#/...` JSON pointer with `~0`/`~1` and percent escapes, `#anchor`) are
//! followed on both sides, against the root of the section schema that holds them. A `$ref`'s
//! sibling keywords and the `allOf` branches that can be folded in without changing their meaning
//! are merged into one view of the place, so moving a schema into `$defs` or out of it, or
//! reordering keys, is no change. Changes are reported where a payload meets them
//! (`events/Order Completed/properties.products[].price`), never inside `$defs`. A recursive
//! `$ref` stops at the first pair of schemas met again on the same path.
//!
//! `allOf`, `anyOf` and `oneOf` branches are compared branch by branch, `prefixItems` (and
//! draft-07 tuple `items`) item by item, `additionalProperties`, `patternProperties` and the other
//! subschema keywords as schemas. Where the effect of a change cannot be told (a changed `not`,
//! an unresolved `$ref`, a `oneOf` branch that may now overlap another), it is reported as
//! breaking: the gate must not miss a break.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ptr;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::keywords;
use crate::model::{Plan, Rule, Section};
use crate::pointer;

/// One difference between two plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where: `events/Course Enrolled/properties.level`, `identify/traits.email`, ...
    pub location: String,
    /// What changed, in words.
    pub message: String,
    /// Whether calls valid under the old plan can fail the new one.
    pub breaking: bool,
}

/// The changes from `old` to `new`, in plan order.
pub fn diff(old: &Plan, new: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    for event in &old.events {
        if new.event(&event.name).is_none() {
            out.push(Change { location: format!("events/{}", event.name), message: format!("event `{}` removed", event.name), breaking: true });
        }
    }
    for event in &new.events {
        let at = format!("events/{}", event.name);
        let Some(before) = old.event(&event.name) else {
            out.push(Change { location: at, message: format!("event `{}` added", event.name), breaking: false });
            continue;
        };
        let (Some(old_latest), Some(new_latest)) = (before.latest(), event.latest()) else { continue };
        let bumped = new_latest.version > old_latest.version;
        if bumped {
            out.push(Change { location: at.clone(), message: format!("new version v{} (was v{})", new_latest.version, old_latest.version), breaking: false });
        } else if new_latest.version < old_latest.version {
            out.push(Change {
                location: at.clone(),
                message: format!("newest version went back from v{} to v{}", old_latest.version, new_latest.version),
                breaking: true,
            });
        }
        let start = out.len();
        rules(&old_latest.rule, &new_latest.rule, &at, &mut out);
        if bumped {
            for change in &mut out[start..] {
                if change.breaking {
                    change.breaking = false;
                    change.message.push_str(" (versioned)");
                }
            }
        }
    }
    let pairs = [("common", &old.common, &new.common), ("identify", &old.identify, &new.identify), ("group", &old.group, &new.group)];
    for (at, before, after) in pairs {
        let empty = Rule::default();
        rules(before.as_ref().unwrap_or(&empty), after.as_ref().unwrap_or(&empty), at, &mut out);
    }
    for (key, before, after) in [("pages", &old.pages, &new.pages), ("screens", &old.screens, &new.screens)] {
        let empty = Rule::default();
        let names: BTreeSet<&str> = before.iter().chain(after.iter()).map(|r| r.name.as_str()).collect();
        for name in names {
            let find = |rules: &'_ [crate::NamedRule]| rules.iter().find(|r| r.name == name).map(|r| r.rule.clone());
            rules(&find(before).unwrap_or_else(|| empty.clone()), &find(after).unwrap_or_else(|| empty.clone()), &format!("{key}/{name}"), &mut out);
        }
    }
    out
}

/// Section by section.
fn rules(old: &Rule, new: &Rule, at: &str, out: &mut Vec<Change>) {
    for section in Section::ALL {
        let key = section.key();
        if new.requires.contains(&section) && !old.requires.contains(&section) {
            out.push(Change { location: format!("{at}/{key}"), message: format!("`{key}` now required"), breaking: true });
        }
        let (before, after) = (old.section(section).unwrap_or(&ANYTHING), new.section(section).unwrap_or(&ANYTHING));
        out.extend(Differ::new(before, after).run(&format!("{at}/{key}")));
    }
}

/// The schema that accepts every value: what an absent schema or subschema keyword demands.
static ANYTHING: Value = Value::Bool(true);

/// How many pairs of schemas deep a comparison goes (and how long a chain of `$ref`s and `allOf`
/// it folds) before it gives up on that place; far beyond any hand-written plan, it keeps a
/// crafted one from exhausting the stack.
const MAX_DEPTH: usize = 96;

/// How much one section's comparison does at most (pairs of schemas compared, changes repeated
/// for shared definitions): far more than real plans need, it bounds a crafted plan whose
/// references fan out exponentially. Past it the comparison stops and says so, as breaking.
const MAX_WORK: usize = 100_000;

/// The keywords that constrain a value, kept in a [`View`] as written: those of the validation,
/// format, applicator and unevaluated vocabularies, draft 7's `additionalItems` and the
/// [`OPAQUE`] ones, but for [`FOLDED`]. Everything else (`description`, `$defs`, `$id`, unknown
/// keywords, ...) constrains nothing and is not compared.
const ASSERTIONS: &[&[&str]] = &[keywords::VALIDATION, keywords::FORMAT, keywords::APPLICATOR, keywords::UNEVALUATED, &["additionalItems"], OPAQUE];

/// Keywords that constrain a value but are folded into a [`View`] apart (as `$ref` is).
const FOLDED: &[&str] = &["type", "required", "properties", "allOf"];

/// Whether `keyword` is one of the [`ASSERTIONS`].
fn is_assertion(keyword: &str) -> bool {
    !FOLDED.contains(&keyword) && ASSERTIONS.iter().any(|table| table.contains(&keyword))
}

/// Keywords whose meaning depends on others of the same schema object (`additionalProperties`
/// covers what `properties` and `patternProperties` do not): two conjuncts that split such a pair
/// cannot be merged into one object.
const DEPENDENT: &[(&str, &[&str])] = &[
    ("additionalProperties", &["properties", "patternProperties"]),
    ("items", &["prefixItems"]),
    ("additionalItems", &["items"]),
    ("minContains", &["contains"]),
    ("maxContains", &["contains"]),
    ("then", &["if"]),
    ("else", &["if"]),
];

/// Numeric bounds, and whether a larger value is the tighter one.
const BOUNDS: &[(&str, bool)] = &[
    ("minimum", true),
    ("exclusiveMinimum", true),
    ("minLength", true),
    ("minItems", true),
    ("minProperties", true),
    ("minContains", true),
    ("maximum", false),
    ("exclusiveMaximum", false),
    ("maxLength", false),
    ("maxItems", false),
    ("maxProperties", false),
    ("maxContains", false),
];

/// Subschema keywords that accept more the wider their schema is, and accept everything when
/// absent: a change breaks exactly when the subschema is tightened.
const COVARIANT: &[&str] = &["propertyNames", "unevaluatedProperties", "unevaluatedItems", "then", "else"];

/// Keywords compared as written: any difference is reported as breaking.
const OPAQUE: &[&str] = &["$dynamicRef", "$recursiveRef", "dependencies"];

/// A pair of schema nodes compared, old then new, by address in their plans.
type Pair = (*const Value, *const Value);

/// What one schema node asserts once its `$ref` and its mergeable `allOf` branches are folded in:
/// the keywords a payload at that place meets, however the schema spells them.
#[derive(Debug, Default)]
struct View<'a> {
    /// No value is valid: a `false` schema, or types that exclude each other.
    never: bool,
    /// `type`, with `number` including `integer`; `None` when untyped.
    types: Option<BTreeSet<String>>,
    /// `required`.
    required: BTreeSet<&'a str>,
    /// `properties`, by name.
    properties: BTreeMap<&'a str, &'a Value>,
    /// The other [`ASSERTIONS`], as written.
    keywords: BTreeMap<&'a str, &'a Value>,
    /// Conjuncts (`$ref` targets, `allOf` branches) that could not be merged in, compared as
    /// `allOf` branches.
    all_of: Vec<&'a Value>,
    /// What could not be read: unresolved `$ref`s, values that are not schemas.
    unresolved: BTreeSet<String>,
    /// Holds `unevaluated*` keywords taken from a conjunct, which see only that conjunct: merging
    /// more into it would widen what they see.
    sealed: bool,
}

impl<'a> View<'a> {
    /// The view of `node`, resolving `$ref`s against `root`.
    fn of(root: &'a Value, node: &'a Value) -> View<'a> {
        View::build(root, node, &mut HashSet::from([ptr::from_ref(node)]), 0)
    }

    /// The view of `node`, `depth` conjuncts down. `folded` holds the conjuncts already folded
    /// into the view: `allOf: [a, a]` means `a`, so each is folded once, which also stops a
    /// `$ref` cycle and an exponential fan-out of `allOf`s.
    fn build(root: &'a Value, node: &'a Value, folded: &mut HashSet<*const Value>, depth: usize) -> View<'a> {
        let map = match node {
            Value::Bool(accepts) => return View { never: !accepts, ..View::default() },
            Value::Object(map) => map,
            other => return View { unresolved: [format!("not a schema: {other}")].into(), ..View::default() },
        };
        let mut view = View::own(map);
        let mut conjuncts = Vec::new();
        if let Some(reference) = map.get("$ref") {
            match reference.as_str().and_then(|r| resolve(root, r)) {
                Some(target) => conjuncts.push(target),
                None => {
                    let shown = reference.as_str().map_or_else(|| reference.to_string(), |r| format!("`{r}`"));
                    view.unresolved.insert(format!("unresolved $ref {shown}"));
                }
            }
        }
        if let Some(Value::Array(branches)) = map.get("allOf") {
            conjuncts.extend(branches);
        }
        for conjunct in conjuncts {
            if !folded.insert(ptr::from_ref(conjunct)) {
                continue;
            }
            if depth >= MAX_DEPTH {
                view.all_of.push(conjunct);
                continue;
            }
            let part = View::build(root, conjunct, folded, depth + 1);
            view.absorb(part, conjunct);
        }
        view
    }

    /// The keywords written in `map` itself.
    fn own(map: &'a Map<String, Value>) -> View<'a> {
        let mut view = View::default();
        for (key, value) in map {
            match key.as_str() {
                "type" => view.types = types(value),
                "required" => view.required = value.as_array().into_iter().flatten().filter_map(Value::as_str).collect(),
                "properties" => view.properties = value.as_object().into_iter().flatten().map(|(k, v)| (k.as_str(), v)).collect(),
                keyword if is_assertion(keyword) => {
                    view.keywords.insert(keyword, value);
                }
                _ => {}
            }
        }
        view
    }

    /// Folds in the view of a conjunct `node`: taken whole when nothing is asserted yet, merged
    /// when that keeps its meaning, kept as an `allOf` branch otherwise.
    fn absorb(&mut self, part: View<'a>, node: &'a Value) {
        if self.is_trivial() {
            let unresolved = std::mem::take(&mut self.unresolved);
            let sealed = part.sealed || part.has_unevaluated();
            *self = part;
            self.sealed = sealed;
            self.unresolved.extend(unresolved);
        } else if self.can_merge(&part) {
            self.merge(part);
        } else {
            self.all_of.push(node);
        }
    }

    /// Whether the view asserts nothing (yet).
    fn is_trivial(&self) -> bool {
        !self.never && self.types.is_none() && self.required.is_empty() && self.properties.is_empty() && self.keywords.is_empty() && self.all_of.is_empty()
    }

    /// Whether it has `unevaluatedProperties` or `unevaluatedItems`.
    fn has_unevaluated(&self) -> bool {
        self.keywords.contains_key("unevaluatedProperties") || self.keywords.contains_key("unevaluatedItems")
    }

    /// Whether it has `keyword` (`properties` counts when non-empty).
    fn has(&self, keyword: &str) -> bool {
        if keyword == "properties" { !self.properties.is_empty() } else { self.keywords.contains_key(keyword) }
    }

    /// Whether `other` can be merged in with the meaning of `allOf: [self, other]`: no keyword
    /// or property with two different values, no dependent keyword split from what it depends on,
    /// no `unevaluated*` that would see more than before.
    fn can_merge(&self, other: &View<'a>) -> bool {
        fn clash(a: &BTreeMap<&str, &Value>, b: &BTreeMap<&str, &Value>) -> bool {
            a.iter().any(|(k, v)| b.get(k).is_some_and(|w| w != v))
        }
        let split = |a: &View, b: &View| DEPENDENT.iter().any(|(keyword, on)| a.has(keyword) && on.iter().any(|k| b.has(k)));
        !self.sealed
            && !other.sealed
            && !other.has_unevaluated()
            && !clash(&self.keywords, &other.keywords)
            && !clash(&self.properties, &other.properties)
            && !split(self, other)
            && !split(other, self)
    }

    /// Merges `other` in (see [`View::can_merge`]).
    fn merge(&mut self, other: View<'a>) {
        self.never |= other.never;
        self.types = match (self.types.take(), other.types) {
            (Some(a), Some(b)) => Some(a.intersection(&b).cloned().collect()),
            (a, b) => a.or(b),
        };
        if self.types.as_ref().is_some_and(BTreeSet::is_empty) {
            self.never = true;
        }
        self.required.extend(other.required);
        self.properties.extend(other.properties);
        self.keywords.extend(other.keywords);
        self.all_of.extend(other.all_of);
        self.unresolved.extend(other.unresolved);
    }

    /// A numeric keyword.
    fn number(&self, keyword: &str) -> Option<f64> {
        self.keywords.get(keyword).and_then(|v| v.as_f64())
    }

    /// The branches of `anyOf` or `oneOf`, if present.
    fn branches(&self, keyword: &str) -> Option<Vec<&'a Value>> {
        self.keywords.get(keyword).map(|v| match v {
            Value::Array(branches) => branches.iter().collect(),
            other => vec![*other],
        })
    }

    /// The schemas of an object-of-schemas keyword (`patternProperties`, `dependentSchemas`).
    fn schemas(&self, keyword: &str) -> BTreeMap<&'a str, &'a Value> {
        self.keywords.get(keyword).and_then(|v| v.as_object()).into_iter().flatten().map(|(k, v)| (k.as_str(), v)).collect()
    }

    /// The schemas of the leading items (`prefixItems`, or draft-07 tuple `items`), and of the
    /// items after them (`items`, or draft-07 `additionalItems`).
    fn tuple(&self) -> (&'a [Value], Option<&'a Value>) {
        let prefix = self.keywords.get("prefixItems").and_then(|v| v.as_array()).map(Vec::as_slice);
        match self.keywords.get("items").copied() {
            Some(Value::Array(tuple)) => (prefix.unwrap_or(tuple), self.keywords.get("additionalItems").copied()),
            rest => (prefix.unwrap_or(&[]), rest),
        }
    }

    /// The only values allowed (`const`, `enum`), if listed.
    fn allowed_values(&self) -> Option<Vec<&'a Value>> {
        match (self.keywords.get("const"), self.keywords.get("enum")) {
            (Some(only), _) => Some(vec![*only]),
            (None, Some(Value::Array(values))) => Some(values.iter().collect()),
            _ => None,
        }
    }
}

/// The schema `reference` points to inside `root`: `#`, a JSON pointer (`#/$defs/a~1b%20c`) or
/// an anchor (`#name`). `None` for anything else (other documents, malformed escapes, missing
/// targets).
fn resolve<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = pointer::percent_decode(reference.strip_prefix('#')?)?;
    if fragment.is_empty() {
        Some(root)
    } else if fragment.starts_with('/') {
        root.pointer(&fragment)
    } else {
        anchor(root, &fragment, 0)
    }
}

/// The schema inside `node` declaring `$anchor` (or `$dynamicAnchor`) `name`.
fn anchor<'a>(node: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    match node {
        Value::Object(map) => {
            if ["$anchor", "$dynamicAnchor"].iter().any(|k| map.get(*k).and_then(Value::as_str) == Some(name)) {
                return Some(node);
            }
            map.values().find_map(|v| anchor(v, name, depth + 1))
        }
        Value::Array(items) => items.iter().find_map(|v| anchor(v, name, depth + 1)),
        _ => None,
    }
}

/// A combinator whose branches are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Combinator {
    /// Conjuncts that could not be merged into the view.
    All,
    /// `anyOf`.
    Any,
    /// `oneOf`.
    One,
}

impl Combinator {
    /// The keyword.
    fn keyword(self) -> &'static str {
        match self {
            Combinator::All => "allOf",
            Combinator::Any => "anyOf",
            Combinator::One => "oneOf",
        }
    }
}

/// How the branches of two combinator lists correspond.
#[derive(Debug, Default)]
struct Pairing {
    /// Old and new index of branches that changed.
    changed: Vec<(usize, usize)>,
    /// New branches without an old one.
    added: Vec<usize>,
    /// Old branches without a new one.
    removed: Vec<usize>,
}

/// Compares the schemas of one section in two plans, each resolving `$ref`s against its own
/// root.
struct Differ<'a> {
    /// The old section schema.
    old_root: &'a Value,
    /// The new section schema.
    new_root: &'a Value,
    /// The changes found.
    out: Vec<Change>,
    /// The pairs being compared on the current path: meeting one again means a recursive `$ref`
    /// came round, and the comparison stops there (the outer one reports the differences).
    path: Vec<Pair>,
    /// The changes found for each pair compared so far, and where: a schema referenced from many
    /// places is compared once and its changes repeated at each place.
    done: HashMap<Pair, (String, Vec<Change>)>,
    /// Work done so far, against [`MAX_WORK`].
    work: usize,
}

impl<'a> Differ<'a> {
    fn new(old_root: &'a Value, new_root: &'a Value) -> Self {
        Differ { old_root, new_root, out: Vec::new(), path: Vec::new(), done: HashMap::new(), work: 0 }
    }

    /// The changes from the old root to the new, reported at `at`.
    fn run(mut self, at: &str) -> Vec<Change> {
        self.compare(self.old_root, self.new_root, at);
        if self.work > MAX_WORK {
            self.push(at, "too large to compare in full: the comparison stopped early".into(), true);
        }
        self.out
    }

    fn push(&mut self, location: &str, message: String, breaking: bool) {
        self.out.push(Change { location: location.to_string(), message, breaking });
    }

    /// Compares two schemas of the same place.
    fn compare(&mut self, old: &'a Value, new: &'a Value, at: &str) {
        let pair = (ptr::from_ref(old), ptr::from_ref(new));
        if self.path.contains(&pair) || self.work > MAX_WORK {
            return;
        }
        self.work += 1;
        if let Some((seen_at, changes)) = self.done.get(&pair) {
            let repeated: Vec<Change> = changes.iter().map(|c| Change { location: relocate(&c.location, seen_at, at), ..c.clone() }).collect();
            self.work += repeated.len();
            if self.work <= MAX_WORK {
                self.out.extend(repeated);
            }
            return;
        }
        if self.path.len() >= MAX_DEPTH {
            if old != new {
                self.push(at, "nested too deeply to compare".into(), true);
            }
            return;
        }
        let start = self.out.len();
        self.path.push(pair);
        let (before, after) = (View::of(self.old_root, old), View::of(self.new_root, new));
        self.views(&before, &after, at);
        self.path.pop();
        self.done.insert(pair, (at.to_string(), self.out[start..].to_vec()));
    }

    /// The changes from `old` to `new`, apart from those reported so far.
    fn probe(&mut self, old: &'a Value, new: &'a Value, at: &str) -> Vec<Change> {
        let outer = std::mem::take(&mut self.out);
        self.compare(old, new, at);
        std::mem::replace(&mut self.out, outer)
    }

    /// Reports `changes` with `prefix` before each message.
    fn adopt(&mut self, changes: Vec<Change>, prefix: &str) {
        self.out.extend(changes.into_iter().map(|c| Change { message: format!("{prefix}{}", c.message), ..c }));
    }

    /// Compares two views of the same place, keyword by keyword.
    fn views(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        if o.never || n.never {
            if !o.never {
                self.push(at, "no value allowed any more".into(), true);
            } else if !n.never {
                self.push(at, "values allowed again".into(), false);
            }
            return;
        }
        self.types(o, n, at);
        self.enums(o, n, at);
        self.exact(o, n, at);
        self.bounds(o, n, at);
        self.multiples(o, n, at);
        self.additional(o, n, at);
        self.properties(o, n, at);
        self.dependent_required(o, n, at);
        self.items(o, n, at);
        self.pattern_properties(o, n, at);
        self.subschemas(o, n, at);
        self.opaque(o, n, at);
        self.combinators(o, n, at);
        self.unresolved(o, n, at);
    }

    /// `type`.
    fn types(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        match (&o.types, &n.types) {
            (Some(before), Some(after)) if !before.is_subset(after) => self.push(at, format!("retyped from {} to {}", list(before), list(after)), true),
            (Some(before), Some(after)) if before != after => self.push(at, format!("type widened from {} to {}", list(before), list(after)), false),
            (None, Some(after)) => self.push(at, format!("now typed {}", list(after)), true),
            _ => {}
        }
    }

    /// `enum`.
    fn enums(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        if const_against_enum(o, n) {
            self.allowed_values(o, n, at);
            return;
        }
        let values = |v: &View<'a>| v.keywords.get("enum").and_then(|e| e.as_array());
        match (values(o), values(n)) {
            (Some(before), Some(after)) => {
                let removed: Vec<_> = before.iter().filter(|v| !after.contains(v)).map(Value::to_string).collect();
                let added: Vec<_> = after.iter().filter(|v| !before.contains(v)).map(Value::to_string).collect();
                if !removed.is_empty() {
                    self.push(at, format!("enum narrowed: {} removed", removed.join(", ")), true);
                }
                if !added.is_empty() {
                    self.push(at, format!("enum widened: {} added", added.join(", ")), false);
                }
            }
            (None, Some(after)) => self.push(at, format!("now limited to {}", after.iter().map(Value::to_string).collect::<Vec<_>>().join(", ")), true),
            (Some(_), None) => self.push(at, "enum removed (any value allowed)".into(), false),
            (None, None) => {}
        }
    }

    /// The values listed by `const` on one side and `enum` on the other, compared as sets.
    fn allowed_values(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        let (before, after) = (o.allowed_values().unwrap_or_default(), n.allowed_values().unwrap_or_default());
        let missing =
            |from: &[&Value], to: &[&Value]| -> Vec<String> { from.iter().filter(|v| !to.iter().any(|w| same_value(v, w))).map(ToString::to_string).collect() };
        let (removed, added) = (missing(&before, &after), missing(&after, &before));
        if !removed.is_empty() {
            self.push(at, format!("allowed values narrowed: {} removed", removed.join(", ")), true);
        }
        if !added.is_empty() {
            self.push(at, format!("allowed values widened: {} added", added.join(", ")), false);
        }
    }

    /// `pattern`, `format`, `const`: any new value may reject old ones.
    fn exact(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for keyword in ["pattern", "format", "const"] {
            if keyword == "const" && const_against_enum(o, n) {
                continue;
            }
            match (o.keywords.get(keyword), n.keywords.get(keyword)) {
                (before, Some(after)) if before != Some(after) => {
                    self.push(at, format!("{keyword} {} {after}", if before.is_some() { "changed to" } else { "added:" }), true);
                }
                (Some(before), None) => self.push(at, format!("{keyword} {before} removed"), false),
                _ => {}
            }
        }
    }

    /// The numeric [`BOUNDS`].
    fn bounds(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for &(keyword, tighter_is_larger) in BOUNDS {
            let (before, after) = (o.number(keyword), n.number(keyword));
            let tighter = match (before, after) {
                (None, Some(_)) => true,
                (Some(before), Some(after)) => {
                    if tighter_is_larger {
                        after > before
                    } else {
                        after < before
                    }
                }
                _ => false,
            };
            if tighter {
                let shown = n.keywords.get(keyword).map(ToString::to_string).unwrap_or_default();
                self.push(at, format!("{keyword} tightened to {shown}"), true);
            } else if before != after {
                self.push(at, format!("{keyword} loosened"), false);
            }
        }
    }

    /// `multipleOf` and `uniqueItems`.
    fn multiples(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        match (o.number("multipleOf"), n.number("multipleOf")) {
            (None, Some(after)) => self.push(at, format!("multipleOf added: {after}"), true),
            (Some(_), None) => self.push(at, "multipleOf removed".into(), false),
            // Every multiple of `before` is one of `after` when `after` divides `before`.
            (Some(before), Some(after)) if before != after => {
                let looser = after != 0.0 && (before / after).fract() == 0.0;
                self.push(at, format!("multipleOf changed to {after}"), !looser);
            }
            _ => {}
        }
        let unique = |v: &View<'a>| v.keywords.get("uniqueItems") == Some(&&Value::Bool(true));
        match (unique(o), unique(n)) {
            (false, true) => self.push(at, "items must now be unique".into(), true),
            (true, false) => self.push(at, "items no longer need be unique".into(), false),
            _ => {}
        }
    }

    /// `additionalProperties`: `false` forbids extra properties; a schema constrains them, compared
    /// at `{at}.*`.
    fn additional(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        let (before, after) = (o.keywords.get("additionalProperties").copied(), n.keywords.get("additionalProperties").copied());
        if before.is_none() && after.is_none() {
            return;
        }
        let (before, after) = (before.unwrap_or(&ANYTHING), after.unwrap_or(&ANYTHING));
        match (View::of(self.old_root, before).never, View::of(self.new_root, after).never) {
            (false, true) => self.push(at, "extra properties no longer allowed".into(), true),
            (true, false) => self.push(at, "extra properties allowed again".into(), false),
            (true, true) => {}
            (false, false) => self.compare(before, after, &format!("{at}.*")),
        }
    }

    /// `required` and `properties`, each property compared at `{at}.{name}`.
    fn properties(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for name in o.properties.keys() {
            if !n.properties.contains_key(name) {
                // Senders still send it; a plan without it no longer checks or documents it, and
                // generated code drops it.
                self.push(&format!("{at}.{name}"), format!("property `{name}` removed"), true);
            }
        }
        for (name, after) in &n.properties {
            let location = format!("{at}.{name}");
            let (required_before, required_after) = (o.required.contains(name), n.required.contains(name));
            match o.properties.get(name) {
                None if required_after => self.push(&location, format!("new required property `{name}`"), true),
                None => self.push(&location, format!("new optional property `{name}`"), false),
                Some(before) => {
                    if required_after && !required_before {
                        self.push(&location, format!("property `{name}` now required"), true);
                    } else if required_before && !required_after {
                        self.push(&location, format!("property `{name}` now optional"), false);
                    }
                    self.compare(before, after, &location);
                }
            }
        }
        // Names required without a schema of their own.
        let bare = |name: &&&str| !o.properties.contains_key(**name) && !n.properties.contains_key(**name);
        for name in n.required.difference(&o.required).filter(bare) {
            self.push(&format!("{at}.{name}"), format!("property `{name}` now required"), true);
        }
        for name in o.required.difference(&n.required).filter(bare) {
            self.push(&format!("{at}.{name}"), format!("property `{name}` now optional"), false);
        }
    }

    /// `dependentRequired`: a property that now requires more breaks.
    fn dependent_required(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        let lists = |v: &View<'a>| -> BTreeMap<&'a str, BTreeSet<&'a str>> {
            let map = v.keywords.get("dependentRequired").and_then(|d| d.as_object());
            map.into_iter().flatten().map(|(k, names)| (k.as_str(), names.as_array().into_iter().flatten().filter_map(Value::as_str).collect())).collect()
        };
        let (before, after) = (lists(o), lists(n));
        let empty = BTreeSet::new();
        for name in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
            let (was, now) = (before.get(name).unwrap_or(&empty), after.get(name).unwrap_or(&empty));
            for other in now.difference(was) {
                self.push(&format!("{at}.{name}"), format!("property `{name}` now requires `{other}`"), true);
            }
            for other in was.difference(now) {
                self.push(&format!("{at}.{name}"), format!("property `{name}` no longer requires `{other}`"), false);
            }
        }
    }

    /// Array items: the leading ones by position at `{at}[i]`, the rest at `{at}[]`.
    fn items(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        let ((old_prefix, old_rest), (new_prefix, new_rest)) = (o.tuple(), n.tuple());
        for i in 0..old_prefix.len().max(new_prefix.len()) {
            let before = old_prefix.get(i).or(old_rest).unwrap_or(&ANYTHING);
            let after = new_prefix.get(i).or(new_rest).unwrap_or(&ANYTHING);
            self.compare(before, after, &format!("{at}[{i}]"));
        }
        if old_rest.is_some() || new_rest.is_some() {
            self.compare(old_rest.unwrap_or(&ANYTHING), new_rest.unwrap_or(&ANYTHING), &format!("{at}[]"));
        }
    }

    /// `patternProperties`, each pattern's schema at `{at}./{pattern}/`.
    fn pattern_properties(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        let (before, after) = (o.schemas("patternProperties"), n.schemas("patternProperties"));
        for pattern in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
            let (was, now) = (before.get(pattern).copied().unwrap_or(&ANYTHING), after.get(pattern).copied().unwrap_or(&ANYTHING));
            self.compare(was, now, &format!("{at}./{pattern}/"));
        }
    }

    /// The other subschema keywords: [`COVARIANT`] ones and `dependentSchemas` by their changes,
    /// `contains` likewise once present on both sides, `not` and `if` as breaking on any change.
    fn subschemas(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for &keyword in COVARIANT {
            let (before, after) = (o.keywords.get(keyword).copied(), n.keywords.get(keyword).copied());
            if before.is_some() || after.is_some() {
                let changes = self.probe(before.unwrap_or(&ANYTHING), after.unwrap_or(&ANYTHING), at);
                self.adopt(changes, &format!("`{keyword}`: "));
            }
        }
        let (before, after) = (o.schemas("dependentSchemas"), n.schemas("dependentSchemas"));
        for name in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
            let (was, now) = (before.get(name).copied().unwrap_or(&ANYTHING), after.get(name).copied().unwrap_or(&ANYTHING));
            let changes = self.probe(was, now, at);
            self.adopt(changes, &format!("`dependentSchemas.{name}`: "));
        }
        for keyword in ["contains", "not", "if"] {
            match (o.keywords.get(keyword).copied(), n.keywords.get(keyword).copied()) {
                (Some(before), Some(after)) => {
                    let changes = self.probe(before, after, at);
                    if keyword == "contains" {
                        self.adopt(changes, "`contains`: ");
                    } else if !changes.is_empty() {
                        self.push(at, format!("`{keyword}` changed"), true);
                    }
                }
                (None, Some(_)) => self.push(at, format!("`{keyword}` added"), true),
                (Some(_), None) => self.push(at, format!("`{keyword}` removed"), false),
                (None, None) => {}
            }
        }
    }

    /// [`OPAQUE`] keywords, compared as written.
    fn opaque(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for &keyword in OPAQUE {
            let (before, after) = (o.keywords.get(keyword), n.keywords.get(keyword));
            if before != after {
                self.push(at, format!("`{keyword}` changed (not compared)"), true);
            }
        }
    }

    /// `allOf` branches that were not merged into the view, `anyOf`, `oneOf`.
    fn combinators(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        self.branches(Combinator::All, &o.all_of, &n.all_of, at);
        for kind in [Combinator::Any, Combinator::One] {
            let keyword = kind.keyword();
            match (o.branches(keyword), n.branches(keyword)) {
                (None, None) => {}
                (Some(_), None) => self.push(at, format!("`{keyword}` removed"), false),
                // No `anyOf` is one that accepts anything.
                (None, Some(after)) => self.branches(kind, &[&ANYTHING], &after, at),
                (Some(before), Some(after)) => self.branches(kind, &before, &after, at),
            }
        }
    }

    /// Compares the branches of a combinator: each changed branch's changes, then branches added
    /// and removed. Adding an `allOf` branch tightens, removing one loosens; adding an `anyOf`
    /// branch widens, removing one narrows. A `oneOf` branch added or widened breaks unless it
    /// surely excludes the others (a call matching two fails).
    fn branches(&mut self, kind: Combinator, old: &[&'a Value], new: &[&'a Value], at: &str) {
        if old.is_empty() && new.is_empty() {
            return;
        }
        let keyword = kind.keyword();
        let pairing = self.pair(old, new, at);
        for (i, j) in pairing.changed {
            let changes = self.probe(old[i], new[j], at);
            let widened = !changes.iter().any(|c| c.breaking);
            self.adopt(changes, &if kind == Combinator::All { "allOf branch: ".to_string() } else { format!("{keyword} branch {j}: ") });
            if kind == Combinator::One && widened && !self.exclusive(new, j) {
                self.push(at, format!("oneOf branch {j} widened: a call may now match more than one branch"), true);
            }
        }
        for j in pairing.added {
            match kind {
                Combinator::All => {
                    let breaking = self.probe(&ANYTHING, new[j], at).iter().any(|c| c.breaking);
                    self.push(at, "allOf branch added".into(), breaking);
                }
                Combinator::Any => self.push(at, format!("anyOf branch {j} added"), false),
                Combinator::One if self.exclusive(new, j) => self.push(at, format!("oneOf branch {j} added"), false),
                Combinator::One => self.push(at, format!("oneOf branch {j} added: a call may now match more than one branch"), true),
            }
        }
        for i in pairing.removed {
            match kind {
                Combinator::All => self.push(at, "allOf branch removed".into(), false),
                _ => self.push(at, format!("{keyword} branch {i} removed"), true),
            }
        }
    }

    /// Pairs old and new branches: unchanged ones wherever they are (same index first), then the
    /// rest in order.
    fn pair(&mut self, old: &[&'a Value], new: &[&'a Value], at: &str) -> Pairing {
        let (mut old_free, mut new_free) = (vec![true; old.len()], vec![true; new.len()]);
        for i in 0..old.len().min(new.len()) {
            if self.probe(old[i], new[i], at).is_empty() {
                (old_free[i], new_free[i]) = (false, false);
            }
        }
        for j in 0..new.len() {
            for i in 0..old.len() {
                if new_free[j] && old_free[i] && self.probe(old[i], new[j], at).is_empty() {
                    (old_free[i], new_free[j]) = (false, false);
                }
            }
        }
        let free = |flags: &[bool]| flags.iter().enumerate().filter(|(_, f)| **f).map(|(i, _)| i).collect::<Vec<_>>();
        let (old_left, new_left) = (free(&old_free), free(&new_free));
        let paired = old_left.len().min(new_left.len());
        Pairing {
            changed: old_left.iter().copied().zip(new_left.iter().copied()).collect(),
            added: new_left[paired..].to_vec(),
            removed: old_left[paired..].to_vec(),
        }
    }

    /// Whether no value can match both `branches[j]` and another of the (new) branches.
    fn exclusive(&self, branches: &[&'a Value], j: usize) -> bool {
        let this = View::of(self.new_root, branches[j]);
        branches.iter().enumerate().filter(|(k, _)| *k != j).all(|(_, other)| disjoint(self.new_root, &this, &View::of(self.new_root, other)))
    }

    /// `$ref`s that could not be resolved, and values that are not schemas: when they differ, the
    /// schemas cannot be compared, which is reported as breaking.
    fn unresolved(&mut self, o: &View<'a>, n: &View<'a>, at: &str) {
        for what in n.unresolved.difference(&o.unresolved) {
            self.push(at, format!("{what}: cannot compare"), true);
        }
        for what in o.unresolved.difference(&n.unresolved) {
            self.push(at, format!("{what} in the old plan: cannot compare"), true);
        }
    }
}

/// `location`, found under `from`, moved under `to`.
fn relocate(location: &str, from: &str, to: &str) -> String {
    location.strip_prefix(from).map_or_else(|| location.to_string(), |rest| format!("{to}{rest}"))
}

/// Whether no value is valid under both views: their types or listed values exclude each other,
/// or a property one of them requires has values the other excludes.
fn disjoint(root: &Value, a: &View, b: &View) -> bool {
    excludes(a, b)
        || a.properties.iter().any(|(name, left)| {
            b.properties
                .get(name)
                .is_some_and(|right| (a.required.contains(name) || b.required.contains(name)) && excludes(&View::of(root, left), &View::of(root, right)))
        })
}

/// Whether no value is valid under both views, judged by their types and listed values alone.
fn excludes(a: &View, b: &View) -> bool {
    if a.never || b.never {
        return true;
    }
    if let (Some(x), Some(y)) = (&a.types, &b.types)
        && x.is_disjoint(y)
    {
        return true;
    }
    match (a.allowed_values(), b.allowed_values()) {
        (Some(x), Some(y)) => !x.iter().any(|v| y.iter().any(|w| same_value(v, w))),
        _ => false,
    }
}

/// Whether one side lists its values with `const` and the other with `enum` (the same constraint
/// spelled two ways, compared as sets of values).
fn const_against_enum(o: &View, n: &View) -> bool {
    let lists = |v: &View| v.keywords.contains_key("const") || v.keywords.contains_key("enum");
    o.keywords.contains_key("const") != n.keywords.contains_key("const") && lists(o) && lists(n)
}

/// JSON Schema equality of two values: numbers by value (`1` equals `1.0`).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// The types `type` names, with `number` including `integer`.
fn types(v: &Value) -> Option<BTreeSet<String>> {
    let mut set: BTreeSet<String> = match v {
        Value::String(t) => [t.clone()].into(),
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str().map(String::from)).collect(),
        _ => return None,
    };
    // JSON Schema's `number` includes integers.
    if set.contains("number") {
        set.insert("integer".into());
    }
    Some(set)
}

fn list(set: &BTreeSet<String>) -> String {
    let shown: Vec<&str> = set.iter().map(String::as_str).filter(|t| !(*t == "integer" && set.contains("number"))).collect();
    shown.join("|")
}
