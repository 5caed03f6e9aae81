//! Random tracking-plan section schemas and payloads for them, for the property tests of the
//! plan on the fast path: schemas nest every keyword the fast path compiles (types, `enum`,
//! `const`, lengths, patterns, formats, bounds, `multipleOf`, objects, arrays, `anyOf`, `oneOf`,
//! `allOf`, `not`, local `$ref`s into `$defs`, recursive ones included) and now and then one it
//! leaves to the precise path; payloads are mostly valid and then mutated towards the edges
//! (`1` against `1.0`, lengths in characters, boundaries, near-misses of patterns and formats).
//! Deterministic from a seed, so a failing case reproduces.
#![allow(dead_code)]

use serde_json::{Map, Value, json};

/// A small deterministic generator (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) as usize
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.next() % n.max(1)
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Property names: none of them reserved by the canonical rules.
pub const NAMES: &[&str] = &["a", "b", "c", "code", "level", "items_x", "n", "é", "a/b", "a~b", "x y", "plan_id"];

/// Patterns of every shape `jsonschema` compiles its own way: literals, prefixes, alternations,
/// classes, counted repetitions, ECMA-262 escapes, `^\S*$`.
pub const PATTERNS: &[&str] = &[
    "^cio[0-9]{3}$",
    "^[A-Z]{3}$",
    "^[a-z]+$",
    "^\\d+$",
    "\\d",
    "^(foo|bar)$",
    "^foo",
    "^abc$",
    "^\\S*$",
    "^.{2,4}$",
    "é",
    "^[0-9]+\\.[0-9]+\\.[0-9]+$",
    "^\\w+@\\w+\\.com$",
    "a|b",
    "^$",
    "x*",
    "^[^@]+@[^@]+$",
    "^\\p{L}+$",
];

/// Formats `plan check` accepts.
pub const FORMATS: &[&str] = cdpspec::plan::lint::FORMATS;

/// Strings that match or narrowly miss the patterns and formats above.
pub const STRINGS: &[&str] = &[
    "",
    "a",
    "ab",
    "abc",
    "abcde",
    "ABC",
    "AB",
    "cio123",
    "cio12",
    "CIO123",
    "123",
    "1.2.3",
    "1.2",
    "foo",
    "foobar",
    "bar",
    "a b",
    "é",
    "éé",
    "日本語",
    "😀😀",
    "x@y.com",
    "user@example.com",
    "not an email",
    "a@b",
    "https://example.com/x?y=1",
    "/relative/path",
    "ht tp://bad",
    "192.168.0.1",
    "256.1.1.1",
    "::1",
    "2001:db8::1",
    "550e8400-e29b-41d4-a716-446655440000",
    "550e8400-e29b-41d4-a716-44665544000",
    "P1D",
    "PT1H30M",
    "2026-11-28",
    "2026-02-30",
    "2026-11-28T18:02:43.022Z",
    "2026-11-28T18:02:43",
    "12:00:00Z",
    "25:00:00Z",
    "example.com",
    "-bad-.com",
    "/a/b",
    "0/a",
    "a/b",
    "[a-z",
    "^a+$",
    "{a}",
    "tab\there",
    "line\nbreak",
    "\u{a0}",
    "x\u{2028}",
];

/// Numbers at the edges: integers written as floats, negative zero, big ones, fractions.
pub fn numbers() -> Vec<Value> {
    vec![
        json!(0),
        json!(-0.0),
        json!(1),
        json!(1.0),
        json!(1.5),
        json!(-1),
        json!(2),
        json!(2.0),
        json!(3),
        json!(4.5),
        json!(10),
        json!(0.1),
        json!(0.3),
        json!(100.0),
        json!(-7.25),
        json!(9_007_199_254_740_993u64),
        json!(18_446_744_073_709_551_615u64),
        json!(i64::MIN),
        json!(1e300),
    ]
}

/// Values of every type, for `enum`, `const` and mutations.
pub fn values() -> Vec<Value> {
    let mut values = numbers();
    values.extend([
        Value::Null,
        json!(true),
        json!(false),
        json!("a"),
        json!("A"),
        json!(""),
        json!("é"),
        json!([]),
        json!([1]),
        json!([1.0]),
        json!([1, "a"]),
        json!({}),
        json!({"a": 1}),
        json!({"a": 1.0}),
        json!({"a": 1, "b": null}),
    ]);
    values
}

/// A random section schema: an object schema at the root, with `$defs` the rest may refer to.
pub fn section(rng: &mut Rng) -> Value {
    let defs: Vec<String> = (0..rng.below(3)).map(|i| format!("d{i}")).collect();
    let mut defs_map = Map::new();
    for name in &defs {
        defs_map.insert(name.clone(), schema(rng, 2, &defs));
    }
    let mut root = object_schema(rng, 3, &defs);
    if !defs_map.is_empty() {
        root.as_object_mut().expect("an object").insert("$defs".into(), Value::Object(defs_map));
    }
    root
}

/// A random schema, `depth` levels deep at most, that may refer to `defs`.
pub fn schema(rng: &mut Rng, depth: usize, defs: &[String]) -> Value {
    if depth == 0 {
        return leaf_schema(rng);
    }
    let schema = match rng.below(16) {
        0..=4 => leaf_schema(rng),
        5..=7 => object_schema(rng, depth - 1, defs),
        8 | 9 => array_schema(rng, depth - 1, defs),
        10 => {
            let key = *rng.pick(&["anyOf", "oneOf", "allOf"]);
            let branches: Vec<Value> = (0..1 + rng.below(3)).map(|_| schema(rng, depth - 1, defs)).collect();
            json!({ key: branches })
        }
        11 => json!({"not": schema(rng, depth - 1, defs)}),
        12 if !defs.is_empty() => json!({"$ref": format!("#/$defs/{}", rng.pick(defs))}),
        12 => json!({"$ref": "#"}),
        13 => json!(rng.one_in(2)),
        14 => {
            let options: Vec<Value> = (0..1 + rng.below(4)).map(|_| rng.pick(&values()).clone()).collect();
            json!({"enum": options})
        }
        _ => json!({"const": rng.pick(&values()).clone()}),
    };
    maybe_unsupported(rng, schema)
}

/// Now and then, a keyword the fast path does not compile.
fn maybe_unsupported(rng: &mut Rng, mut schema: Value) -> Value {
    if rng.one_in(12)
        && let Some(map) = schema.as_object_mut()
    {
        let (key, value) = rng
            .pick(&[
                ("if", json!({"type": "string"})),
                ("dependentRequired", json!({"a": ["b"]})),
                ("propertyNames", json!({"maxLength": 3})),
                ("contains", json!({"type": "integer"})),
                ("x-note", json!("ignored by validators")),
                ("unevaluatedProperties", json!(false)),
            ])
            .clone();
        map.insert(key.to_string(), value);
    }
    schema
}

/// A schema of a string, a number, a boolean or null, or of several types.
fn leaf_schema(rng: &mut Rng) -> Value {
    let mut map = Map::new();
    match rng.below(6) {
        0 | 1 => {
            map.insert("type".into(), json!("string"));
            if rng.one_in(3) {
                map.insert("minLength".into(), json!(rng.below(4)));
            }
            if rng.one_in(3) {
                map.insert("maxLength".into(), json!(1 + rng.below(5)));
            }
            if rng.one_in(2) {
                map.insert("pattern".into(), json!(rng.pick(PATTERNS)));
            }
            if rng.one_in(3) {
                map.insert("format".into(), json!(rng.pick(FORMATS)));
            }
            if rng.one_in(6) {
                let options: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(STRINGS)).collect();
                map.insert("enum".into(), json!(options));
            }
        }
        2 | 3 => {
            map.insert("type".into(), json!(if rng.one_in(2) { "integer" } else { "number" }));
            for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
                if rng.one_in(4) {
                    map.insert(key.into(), rng.pick(&[json!(0), json!(1), json!(1.5), json!(-1), json!(10), json!(2.0)]).clone());
                }
            }
            if rng.one_in(4) {
                map.insert("multipleOf".into(), rng.pick(&[json!(2), json!(0.5), json!(0.1), json!(3), json!(1.0)]).clone());
            }
        }
        4 => {
            let types: Vec<&str> = (0..1 + rng.below(3)).map(|_| *rng.pick(&["string", "integer", "number", "boolean", "null", "object", "array"])).collect();
            map.insert("type".into(), json!(types));
        }
        _ => {
            map.insert("type".into(), json!(*rng.pick(&["boolean", "null", "integer", "number"])));
        }
    }
    if rng.one_in(8) {
        map.insert("description".into(), json!("annotated"));
    }
    Value::Object(map)
}

/// A schema of an object.
fn object_schema(rng: &mut Rng, depth: usize, defs: &[String]) -> Value {
    let mut map = Map::new();
    map.insert("type".into(), json!("object"));
    let mut properties = Map::new();
    for _ in 0..rng.below(4) {
        properties.insert(rng.pick(NAMES).to_string(), schema(rng, depth, defs));
    }
    let names: Vec<String> = properties.keys().cloned().collect();
    if !properties.is_empty() {
        map.insert("properties".into(), Value::Object(properties));
    }
    if rng.one_in(2) && !names.is_empty() {
        let required: Vec<&String> = names.iter().filter(|_| rng.one_in(2)).collect();
        map.insert("required".into(), json!(required));
    }
    if rng.one_in(6) {
        map.insert("required".into(), json!([rng.pick(NAMES)]));
    }
    match rng.below(6) {
        0 => drop(map.insert("additionalProperties".into(), json!(false))),
        1 => drop(map.insert("additionalProperties".into(), leaf_schema(rng))),
        _ => {}
    }
    if rng.one_in(6) {
        map.insert("patternProperties".into(), json!({ *rng.pick(&["^x", "^[a-c]$", "é", "/"]): leaf_schema(rng) }));
    }
    if rng.one_in(8) {
        map.insert(if rng.one_in(2) { "minProperties" } else { "maxProperties" }.into(), json!(rng.below(3)));
    }
    maybe_unsupported(rng, Value::Object(map))
}

/// A schema of an array.
fn array_schema(rng: &mut Rng, depth: usize, defs: &[String]) -> Value {
    let mut map = Map::new();
    map.insert("type".into(), json!("array"));
    if rng.one_in(3) {
        let prefix: Vec<Value> = (0..1 + rng.below(2)).map(|_| schema(rng, depth, defs)).collect();
        map.insert("prefixItems".into(), json!(prefix));
    }
    if rng.one_in(4) {
        map.insert("items".into(), json!(false));
    } else if !rng.one_in(4) {
        map.insert("items".into(), schema(rng, depth, defs));
    }
    if rng.one_in(4) {
        map.insert("minItems".into(), json!(rng.below(3)));
    }
    if rng.one_in(4) {
        map.insert("maxItems".into(), json!(1 + rng.below(3)));
    }
    if rng.one_in(4) {
        map.insert("uniqueItems".into(), json!(true));
    }
    Value::Object(map)
}

/// A value meant to be valid against `schema` (in the section `root`), often enough.
pub fn instance(rng: &mut Rng, schema: &Value, root: &Value, depth: usize) -> Value {
    if depth > 6 {
        return Value::Null;
    }
    let Some(map) = schema.as_object() else { return rng.pick(&values()).clone() };
    if let Some(Value::String(reference)) = map.get("$ref") {
        let pointer = reference.trim_start_matches('#');
        if let Some(target) = root.pointer(pointer) {
            return instance(rng, target, root, depth + 1);
        }
    }
    if let Some(constant) = map.get("const") {
        return constant.clone();
    }
    if let Some(Value::Array(options)) = map.get("enum")
        && !options.is_empty()
    {
        return rng.pick(options).clone();
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(branches)) = map.get(key)
            && !branches.is_empty()
        {
            let branch = rng.pick(branches).clone();
            return instance(rng, &branch, root, depth + 1);
        }
    }
    let ty = match map.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(types)) if !types.is_empty() => rng.pick(types).as_str().unwrap_or("null").to_string(),
        _ => return rng.pick(&values()).clone(),
    };
    match ty.as_str() {
        "string" => json!(rng.pick(STRINGS)),
        "integer" => rng.pick(&[json!(0), json!(1), json!(2), json!(3), json!(10), json!(-1), json!(2.0), json!(100)]).clone(),
        "number" => rng.pick(&numbers()).clone(),
        "boolean" => json!(rng.one_in(2)),
        "null" => Value::Null,
        "array" => {
            let prefix = map.get("prefixItems").and_then(Value::as_array).cloned().unwrap_or_default();
            let mut items: Vec<Value> = prefix.iter().map(|s| instance(rng, s, root, depth + 1)).collect();
            if let Some(item) = map.get("items").filter(|i| i.is_object()) {
                for _ in 0..rng.below(3) {
                    items.push(instance(rng, item, root, depth + 1));
                }
            }
            Value::Array(items)
        }
        _ => {
            let mut object = Map::new();
            if let Some(Value::Object(properties)) = map.get("properties") {
                for (name, sub) in properties {
                    if !rng.one_in(4) {
                        object.insert(name.clone(), instance(rng, sub, root, depth + 1));
                    }
                }
            }
            if rng.one_in(5) {
                object.insert(rng.pick(NAMES).to_string(), rng.pick(&values()).clone());
            }
            Value::Object(object)
        }
    }
}

/// Changes one value somewhere in `v` to an edge case.
pub fn mutate(rng: &mut Rng, v: &mut Value) {
    match v {
        Value::Object(map) if !map.is_empty() && !rng.one_in(4) => {
            let key = map.keys().nth(rng.below(map.len())).cloned().unwrap_or_default();
            match rng.below(4) {
                0 => drop(map.remove(&key)),
                1 => drop(map.insert(rng.pick(NAMES).to_string(), edge(rng))),
                _ => {
                    if let Some(inner) = map.get_mut(&key) {
                        mutate(rng, inner);
                    }
                }
            }
        }
        Value::Array(items) if !items.is_empty() && !rng.one_in(4) => {
            let i = rng.below(items.len());
            match rng.below(3) {
                0 => drop(items.remove(i)),
                1 => items.push(items[i].clone()),
                _ => mutate(rng, &mut items[i]),
            }
        }
        other => *other = edge(rng),
    }
}

/// An edge-case value: a string of the pool, a number, or any value.
fn edge(rng: &mut Rng) -> Value {
    match rng.below(3) {
        0 => json!(rng.pick(STRINGS)),
        1 => rng.pick(&numbers()).clone(),
        _ => rng.pick(&values()).clone(),
    }
}
