//! Property tests of `plan diff` on random plans:
//!
//! - a meaning-preserving rewrite (sub-schemas moved into `$defs` or `definitions` behind
//!   `$ref`s spelled in several ways, or inlined back; key order shuffled in the plan's text)
//!   diffs to no change;
//! - a random tightening, applied anywhere (inside a `$defs` target too once rewritten), diffs to
//!   at least one breaking change, and to exactly the changes it has without the rewrite: a
//!   payload location never names `$defs`.
//!
//! The generator is a small seeded one rather than proptest: adding proptest as a dev-dependency
//! of this crate changes its entry in Cargo.lock, which `--locked` builds refuse. Cases are
//! reproducible from their seed (printed on failure); `DIFF_PROPS_SEED` and `DIFF_PROPS_CASES`
//! pick other ones.

use std::collections::{BTreeMap, HashMap};

use cdpspec_plan::diff::{Change, diff};
use cdpspec_plan::{Format, Plan, parse, write};
use serde_json::{Map, Value, json};

/// Cases per property unless `DIFF_PROPS_CASES` says otherwise (kept modest for CI).
const CASES: u64 = 128;

/// SplitMix64: small, seedable, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Runs `property` on `CASES` seeds, naming the failing one.
fn check(name: &str, property: impl Fn(&mut Rng)) {
    let env = |key: &str| std::env::var(key).ok().and_then(|v| v.parse::<u64>().ok());
    let (base, cases) = (env("DIFF_PROPS_SEED").unwrap_or(0x00C0_FFEE), env("DIFF_PROPS_CASES").unwrap_or(CASES));
    for case in 0..cases {
        let seed = base.wrapping_add(case.wrapping_mul(0x2545_F491_4F6C_DD1D));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| property(&mut Rng(seed))));
        if let Err(panic) = result {
            eprintln!("{name}: case {case} failed; rerun it with DIFF_PROPS_SEED={seed} DIFF_PROPS_CASES=1");
            std::panic::resume_unwind(panic);
        }
    }
}

// ---- random plans ----

const NAMES: &[&str] = &["id", "name", "price", "tags", "meta", "level", "a/b", "t~x", "with space", "n"];
const WORDS: &[&str] = &["free", "premium", "enterprise", "red", "green", "blue"];
const SCALARS: &[&str] = &["string", "integer", "number", "boolean"];

/// A scalar schema of `kind` with random constraints.
fn scalar(rng: &mut Rng, kind: &str) -> Value {
    let mut s = json!({"type": kind});
    match kind {
        "string" => {
            if rng.chance(30) {
                let mut words = WORDS.to_vec();
                rng.shuffle(&mut words);
                s["enum"] = json!(words[..2 + rng.below(3)]);
            } else if rng.chance(30) {
                s["pattern"] = json!("^[a-z]+$");
            }
            if rng.chance(30) {
                s["minLength"] = json!(rng.below(3));
                s["maxLength"] = json!(5 + rng.below(20));
            }
            if rng.chance(10) {
                s["format"] = json!("email");
            }
        }
        "integer" | "number" => {
            let min = rng.below(10);
            if rng.chance(50) {
                s["minimum"] = json!(min);
            }
            if rng.chance(50) {
                s["maximum"] = json!(min + 5 + rng.below(20));
            }
            if kind == "integer" && rng.chance(20) {
                s["enum"] = json!([1, 2, 3]);
            }
        }
        _ => {}
    }
    if rng.chance(20) {
        s["description"] = json!("Some words.");
    }
    s
}

/// A random schema, at most `depth` levels of objects and arrays deep.
fn schema(rng: &mut Rng, depth: usize) -> Value {
    if depth == 0 {
        let kind = *rng.pick(SCALARS);
        return scalar(rng, kind);
    }
    match rng.below(10) {
        0..=3 => object(rng, depth),
        4 | 5 => array(rng, depth),
        6 => {
            // Branches of distinct types: each one adds values the others do not have.
            let mut kinds = SCALARS.to_vec();
            rng.shuffle(&mut kinds);
            let keyword = if rng.chance(50) { "anyOf" } else { "oneOf" };
            let mut branches: Vec<Value> = kinds[..2 + rng.below(2)].iter().map(|k| scalar(rng, k)).collect();
            if rng.chance(30) {
                branches.push(object(rng, depth - 1));
            }
            json!({keyword: branches})
        }
        _ => {
            let kind = *rng.pick(SCALARS);
            scalar(rng, kind)
        }
    }
}

/// An object schema with 1-4 properties, some required, maybe closed.
fn object(rng: &mut Rng, depth: usize) -> Value {
    let mut names = NAMES.to_vec();
    rng.shuffle(&mut names);
    let names = &names[..1 + rng.below(4)];
    let properties: Map<String, Value> = names.iter().map(|n| (n.to_string(), schema(rng, depth.saturating_sub(1)))).collect();
    let required: Vec<&str> = names.iter().copied().filter(|_| rng.chance(50)).collect();
    let mut s = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    match rng.below(10) {
        0 | 1 => s["additionalProperties"] = json!(false),
        2 => s["additionalProperties"] = scalar(rng, "string"),
        _ => {}
    }
    s
}

/// An array schema: items of one schema, or a closed tuple.
fn array(rng: &mut Rng, depth: usize) -> Value {
    if rng.chance(20) {
        let kinds = [*rng.pick(SCALARS), *rng.pick(SCALARS)];
        return json!({"type": "array", "prefixItems": [scalar(rng, kinds[0]), scalar(rng, kinds[1])], "items": false});
    }
    let mut s = json!({"type": "array", "items": schema(rng, depth - 1)});
    if rng.chance(30) {
        s["minItems"] = json!(rng.below(2));
        s["maxItems"] = json!(3 + rng.below(5));
    }
    s
}

/// A plan of 1-3 events, each with a random properties schema, and maybe identify traits.
fn plan(rng: &mut Rng) -> Plan {
    let events: Vec<Value> =
        (0..1 + rng.below(3)).map(|i| json!({"name": format!("Event {i}"), "versions": [{"version": 1, "properties": object(rng, 3)}]})).collect();
    let mut plan = json!({"name": "Random", "events": events});
    if rng.chance(30) {
        plan["identify"] = json!({"traits": object(rng, 2)});
    }
    serde_json::from_value(plan).unwrap()
}

/// Every schema of the plan, for editing.
fn sections(plan: &mut Plan) -> Vec<&mut Value> {
    let mut out: Vec<&mut Value> = plan.events.iter_mut().flat_map(|e| e.versions.iter_mut()).filter_map(|v| v.rule.properties.as_mut()).collect();
    out.extend(plan.identify.as_mut().and_then(|r| r.traits.as_mut()));
    out
}

// ---- meaning-preserving rewrites ----

/// Definitions being collected for one section schema.
struct Defs {
    /// `$defs` or `definitions`.
    container: &'static str,
    /// Name to schema.
    entries: BTreeMap<String, Value>,
    /// Schema text to name, so identical schemas share one definition.
    names: HashMap<String, String>,
}

impl Defs {
    /// The `$ref` to `name`: a JSON pointer, escaped (`~0`, `~1`) and percent-encoded.
    fn reference(&self, name: &str) -> String {
        let token = name.replace('~', "~0").replace('/', "~1").replace('%', "%25").replace(' ', "%20");
        format!("#/{}/{token}", self.container)
    }

    /// Files `schema` under a (new or shared) name, and returns the name.
    fn add(&mut self, rng: &mut Rng, schema: Value) -> String {
        let text = schema.to_string();
        if let Some(name) = self.names.get(&text) {
            return name.clone();
        }
        let k = self.entries.len();
        let name = match rng.below(5) {
            0 => format!("def/{k}"),
            1 => format!("t~{k}"),
            2 => format!("with space {k}"),
            3 => format!("100%{k}"),
            _ => format!("d{k}"),
        };
        self.entries.insert(name.clone(), schema);
        self.names.insert(text, name.clone());
        name
    }

    /// A schema that means `name`'s definition, spelled one of several ways.
    fn spell(&mut self, rng: &mut Rng, name: &str) -> Value {
        let reference = self.reference(name);
        match rng.below(6) {
            0 => json!({"$ref": reference, "description": "See the definition."}),
            1 => json!({"allOf": [{"$ref": reference}], "title": "Wrapped"}),
            2 => {
                // An alias: a definition that is only a `$ref` to another.
                let alias = self.add(rng, json!({"$ref": reference}));
                json!({"$ref": self.reference(&alias)})
            }
            _ => json!({"$ref": reference}),
        }
    }
}

/// `schema` with about `density` percent of its sub-schemas (and maybe itself) moved into
/// definitions behind `$ref`s; the same meaning.
fn extract(rng: &mut Rng, schema: Value, density: u64) -> Value {
    let container = if rng.chance(20) { "definitions" } else { "$defs" };
    let mut defs = Defs { container, entries: BTreeMap::new(), names: HashMap::new() };
    let mut root = children(rng, schema, density, &mut defs);
    if density > 0 && rng.chance(20) {
        let name = defs.add(rng, root);
        root = json!({"$ref": defs.reference(&name)});
    }
    if !defs.entries.is_empty() {
        root[container] = json!(defs.entries);
    }
    root
}

/// `node` with its sub-schemas (bottom-up) and maybe itself moved into `defs`.
fn moved(rng: &mut Rng, node: Value, density: u64, defs: &mut Defs) -> Value {
    let node = children(rng, node, density, defs);
    if rng.chance(density) {
        let name = defs.add(rng, node);
        defs.spell(rng, &name)
    } else {
        node
    }
}

/// `node` with its sub-schemas moved into `defs`.
fn children(rng: &mut Rng, mut node: Value, density: u64, defs: &mut Defs) -> Value {
    let Value::Object(map) = &mut node else { return node };
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for value in props.values_mut() {
            *value = moved(rng, value.take(), density, defs);
        }
    }
    for key in ["prefixItems", "anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            for value in items.iter_mut() {
                *value = moved(rng, value.take(), density, defs);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(value) = map.get_mut(key).filter(|v| v.is_object()) {
            *value = moved(rng, value.take(), density, defs);
        }
    }
    node
}

/// `plan` with each section schema rewritten by [`extract`] at a random density (0: unchanged).
fn rewrite(rng: &mut Rng, plan: &Plan) -> Plan {
    let mut plan = plan.clone();
    for section in sections(&mut plan) {
        let density = *rng.pick(&[0, 20, 50, 100]);
        *section = extract(rng, section.take(), density);
    }
    plan
}

/// `value` as JSON text with every object's keys in a random order.
fn shuffled_json(rng: &mut Rng, value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            rng.shuffle(&mut entries);
            let fields: Vec<String> = entries.into_iter().map(|(k, v)| format!("{}:{}", Value::String(k.clone()), shuffled_json(rng, v))).collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(|v| shuffled_json(rng, v)).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// `plan` written with shuffled keys and read back, as JSON or as YAML. serde_json's maps are
/// sorted here (no `preserve_order`), so the loaded plan is the same value; this guards the
/// loading path and a later switch to ordered maps.
fn reloaded(rng: &mut Rng, plan: &Plan) -> Plan {
    if rng.chance(50) {
        let text = shuffled_json(rng, &serde_json::to_value(plan).unwrap());
        parse(&text, Format::Json, "<shuffled>").unwrap()
    } else {
        parse(&write(plan, Format::Yaml), Format::Yaml, "<yaml>").unwrap()
    }
}

// ---- tightenings ----

/// JSON pointers to every schema node of `schema`.
fn nodes(schema: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, value) in props {
            nodes(value, format!("{at}/properties/{}", escape(name)), out);
        }
    }
    for key in ["prefixItems", "anyOf", "oneOf"] {
        for (i, value) in schema.get(key).and_then(Value::as_array).into_iter().flatten().enumerate() {
            nodes(value, format!("{at}/{key}/{i}"), out);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(value) = schema.get(key).filter(|v| v.is_object()) {
            nodes(value, format!("{at}/{key}"), out);
        }
    }
}

/// The number of kinds of [`tightening`].
const TIGHTENINGS: usize = 10;

/// Applies a random one of the tightenings that fit `s`: each rejects some value the old schema
/// accepted. Returns what it did, or `None` when none fits.
fn tighten(rng: &mut Rng, s: &mut Value) -> Option<&'static str> {
    let fits: Vec<usize> = (0..TIGHTENINGS).filter(|&kind| tightening(&mut s.clone(), kind).is_some()).collect();
    if fits.is_empty() {
        return None;
    }
    let kind = *rng.pick(&fits);
    tightening(s, kind)
}

/// Tightening number `kind` of `s`, if it fits.
fn tightening(s: &mut Value, kind: usize) -> Option<&'static str> {
    let typed = s.get("type").and_then(Value::as_str).map(String::from);
    let numeric = matches!(typed.as_deref(), Some("integer" | "number"));
    match kind {
        0 => {
            let to = match typed.as_deref()? {
                "string" => "integer",
                "integer" | "number" | "boolean" => "string",
                "object" => "array",
                _ => "object",
            };
            s["type"] = json!(to);
            Some("retype")
        }
        1 => {
            let values = s.get_mut("enum")?.as_array_mut().filter(|v| v.len() >= 2)?;
            values.pop();
            Some("narrow enum")
        }
        2 if numeric => {
            let max = s.get("maximum").and_then(Value::as_f64).map_or(50.0, |m| m - 1.0);
            s["maximum"] = json!(max);
            Some("lower maximum")
        }
        3 if numeric => {
            let min = s.get("minimum").and_then(Value::as_f64).map_or(-50.0, |m| m + 1.0);
            s["minimum"] = json!(min);
            Some("raise minimum")
        }
        4 => {
            let names: Vec<String> = s.get("properties")?.as_object()?.keys().cloned().collect();
            let required: Vec<String> =
                s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect();
            let name = names.into_iter().find(|n| !required.contains(n))?;
            push_required(s, &name);
            Some("require an existing property")
        }
        5 if typed.as_deref() == Some("object") => {
            s["properties"]["zz_new"] = json!({"type": "string"});
            push_required(s, "zz_new");
            Some("add a required property")
        }
        6 if typed.as_deref() == Some("object") && s.get("additionalProperties") != Some(&json!(false)) => {
            s["additionalProperties"] = json!(false);
            Some("forbid extra properties")
        }
        7 if typed.as_deref() == Some("string") && s.get("pattern").is_none() => {
            s["pattern"] = json!("^zz");
            Some("add a pattern")
        }
        8 => {
            let key = ["anyOf", "oneOf"].into_iter().find(|k| s.get(k).and_then(Value::as_array).is_some_and(|b| b.len() >= 2))?;
            s[key].as_array_mut()?.pop();
            Some("remove a branch")
        }
        9 if typed.as_deref() == Some("array") && s.get("prefixItems").is_none() => {
            let min = s.get("minItems").and_then(Value::as_u64).map_or(1, |m| m + 1);
            s["minItems"] = json!(min);
            Some("raise minItems")
        }
        _ => None,
    }
}

fn push_required(s: &mut Value, name: &str) {
    match s.get_mut("required").and_then(Value::as_array_mut) {
        Some(list) => list.push(json!(name)),
        None => s["required"] = json!([name]),
    }
}

/// `plan` with one random schema node of one section tightened.
fn tightened(rng: &mut Rng, plan: &Plan) -> (Plan, String) {
    let mut plan = plan.clone();
    let mut schemas = sections(&mut plan);
    let section = rng.below(schemas.len());
    let schema = &mut schemas[section];
    let mut pointers = Vec::new();
    nodes(schema, String::new(), &mut pointers);
    let pointer = rng.pick(&pointers).clone();
    let node = schema.pointer_mut(&pointer).unwrap();
    let done = tighten(rng, node).expect("some tightening fits every generated schema");
    (plan, format!("{done} at section {section} {pointer:?}"))
}

/// The changes as JSON, for failure messages.
fn shown(changes: &[Change]) -> String {
    serde_json::to_string_pretty(changes).unwrap()
}

fn assert_payload_locations(changes: &[Change]) {
    for c in changes {
        assert!(!c.location.contains("$defs") && !c.location.contains("definitions"), "a location names a definition: {}", shown(changes));
    }
}

#[test]
fn meaning_preserving_rewrites_are_no_change() {
    check("meaning_preserving_rewrites_are_no_change", |rng| {
        let base = plan(rng);
        let (old, new) = (rewrite(rng, &base), rewrite(rng, &base));
        let new = if rng.chance(30) { reloaded(rng, &new) } else { new };
        let changes = diff(&old, &new);
        assert!(
            changes.is_empty(),
            "old: {}\nnew: {}\nchanges: {}",
            serde_json::to_string(&old).unwrap(),
            serde_json::to_string(&new).unwrap(),
            shown(&changes)
        );
        assert_eq!(diff(&base, &new), vec![], "inlining everything is no change either");
    });
}

#[test]
fn tightenings_break_wherever_they_are_written() {
    check("tightenings_break_wherever_they_are_written", |rng| {
        let base = plan(rng);
        let (strict, what) = tightened(rng, &base);
        let expected = diff(&base, &strict);
        assert!(expected.iter().any(|c| c.breaking), "{what}: no breaking change in {}", shown(&expected));
        let (old, new) = (rewrite(rng, &base), rewrite(rng, &strict));
        let changes = diff(&old, &new);
        assert_payload_locations(&changes);
        assert_eq!(
            changes,
            expected,
            "{what}: the rewrite changed the diff\nold: {}\nnew: {}",
            serde_json::to_string(&old).unwrap(),
            serde_json::to_string(&new).unwrap()
        );
    });
}
