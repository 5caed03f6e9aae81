//! Validating a mapping and compiling it into a tree of directives, once.
//!
//! The checks and messages are the reference's mapping-kit/validate.ts. Besides, everything that
//! would make the reference throw on every call whatever the data (an `@if` without a truthy
//! `exists` or `blank`, a `@case` without an operator, a `@json` with a falsy `value`, a `@flatten`
//! with an empty separator, a bad `__segment_internal_directive`, an unknown directive nested where
//! validate.ts does not look) is reported here, at the place in the mapping, instead of at run time.
//! So are option words the reference would not recognise when resolving (a `@json` `mode`, a
//! `@merge` `direction` or a `@case` `operator` it does not spell as it compares them): they are
//! read into enums here (see the `options` module).

use super::MappingError;
use super::js::{js_len, json_type_name, truthy};
use super::options::{CaseOperator, Choice, Direction, JsonMode, not_one_of};
use super::path::Path;
use super::template::Template;
use crate::Pointer;
use serde_json::{Map, Value};

/// The longest `pattern` and `replacement` of `@replace`, in UTF-16 code units.
pub(crate) const MAX_REPLACE_LEN: usize = 10;

/// The key under which a mapping nests a root directive (the reference's `ROOT_MAPPING_FIELD_KEY`).
pub(crate) const ROOT_KEY: &str = "__segment_internal_directive";

/// A compiled mapping node.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub(crate) kind: Kind,
    /// JSON pointer of the node in the mapping.
    pub(crate) pointer: Pointer,
}

/// What a node does.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    /// JSON without directives: used as written.
    Raw(Value),
    /// An object with directives inside.
    Object(Vec<(String, Node)>),
    /// An array with directives inside.
    Array(Vec<Node>),
    Path(Source<Path>),
    If {
        blank: bool,
        condition: Box<Node>,
        then: Option<Box<Node>>,
        otherwise: Option<Box<Node>>,
    },
    Template(Source<Template>),
    Literal(Box<Node>),
    ArrayPath {
        source: Source<Path>,
        shape: Option<Box<Node>>,
    },
    Case {
        operator: CaseOperator,
        value: Option<Box<Node>>,
    },
    Replace(Box<Replace>),
    Json {
        mode: JsonMode,
        value: Box<Node>,
    },
    Flatten {
        separator: String,
        omit_arrays: bool,
        value: Box<Node>,
    },
    Merge {
        objects: Vec<Node>,
        direction: Direction,
    },
    Transform {
        apply: Box<Node>,
        mapping: Box<Node>,
    },
    ExcludeWhenNull(Box<Node>),
}

/// A string argument written in the mapping, or a directive that resolves to one.
#[derive(Clone, Debug)]
pub(crate) enum Source<T> {
    Static(T),
    Dynamic(Box<Node>),
}

/// `@replace`'s options.
#[derive(Clone, Debug)]
pub(crate) struct Replace {
    pub(crate) pattern: String,
    pub(crate) replacement: String,
    pub(crate) global: bool,
    pub(crate) ignore_case: bool,
    pub(crate) value: Option<Node>,
    /// `pattern2` and `replacement2`, when both apply.
    pub(crate) second: Option<(String, String)>,
}

impl Node {
    /// The directive's name (`@path`), or `value`, `object` or `array` for a node that is not one.
    pub(crate) fn directive_name(&self) -> &'static str {
        match &self.kind {
            Kind::Raw(_) => "value",
            Kind::Object(_) => "object",
            Kind::Array(_) => "array",
            Kind::Path(_) => "@path",
            Kind::If { .. } => "@if",
            Kind::Template(_) => "@template",
            Kind::Literal(_) => "@literal",
            Kind::ArrayPath { .. } => "@arrayPath",
            Kind::Case { .. } => "@case",
            Kind::Replace(_) => "@replace",
            Kind::Json { .. } => "@json",
            Kind::Flatten { .. } => "@flatten",
            Kind::Merge { .. } => "@merge",
            Kind::Transform { .. } => "@transform",
            Kind::ExcludeWhenNull(_) => "@excludeWhenNull",
        }
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// The reference's `realTypeOrDirective`.
fn type_or_directive(v: &Value) -> &'static str {
    match v {
        Value::Object(m) if m.keys().any(|k| k.starts_with('@')) => "directive",
        other => json_type_name(other),
    }
}

fn is_directive(v: &Value) -> bool {
    type_or_directive(v) == "directive"
}

/// Collects errors while compiling.
#[derive(Default)]
pub(crate) struct Compiler {
    pub(crate) errors: Vec<MappingError>,
}

impl Compiler {
    fn error(&mut self, pointer: &Pointer, message: impl Into<String>) -> Node {
        let error = MappingError { pointer: pointer.into(), message: message.into() };
        if !self.errors.contains(&error) {
            self.errors.push(error);
        }
        Node { kind: Kind::Raw(Value::Null), pointer: pointer.to_owned() }
    }

    fn type_error(&mut self, pointer: &Pointer, expected: &str, v: &Value) -> Node {
        let found = type_or_directive(v);
        self.error(pointer, format!("should be {expected} but it is {} {found}", article(found)))
    }

    /// A whole mapping: handles a root directive under [`ROOT_KEY`], as the reference's
    /// `getMappingToProcess` does, then compiles.
    pub(crate) fn root(&mut self, mapping: &Value, pointer: &Pointer) -> Node {
        let Value::Object(map) = mapping else { return self.any(mapping, pointer) };
        let Some(root) = map.get(ROOT_KEY) else { return self.any(mapping, pointer) };
        let root_pointer = pointer.join(ROOT_KEY);
        let customer: Map<String, Value> = map.iter().filter(|(k, _)| *k != ROOT_KEY).map(|(k, v)| (k.clone(), v.clone())).collect();
        let before = self.errors.len();
        self.any(&Value::Object(customer.clone()), pointer);
        if self.errors.len() > before {
            return Node { kind: Kind::Raw(Value::Null), pointer: pointer.to_owned() };
        }
        let Value::Object(root_map) = root else {
            return self.error(&root_pointer, "The root directive must be an object");
        };
        if root_map.len() > 1 {
            return self.error(&root_pointer, "The root mapping must only have a single directive object");
        }
        let Some((name, Value::Object(directive))) = root_map.iter().next() else {
            return self.error(&root_pointer, "The root directive must be an object");
        };
        let mut directive = directive.clone();
        directive.insert("mapping".to_owned(), Value::Object(customer));
        let mut injected = Map::new();
        injected.insert(name.clone(), Value::Object(directive));
        self.any(&Value::Object(injected), &root_pointer)
    }

    /// Any mapping value (the reference's `validate` plus `resolve`'s walk).
    pub(crate) fn any(&mut self, v: &Value, pointer: &Pointer) -> Node {
        let kind = match v {
            Value::Object(map) if is_directive(v) => return self.directive(map, pointer),
            Value::Object(map) => {
                let fields: Vec<(String, Node)> = map.iter().map(|(k, v)| (k.clone(), self.any(v, &pointer.join(k)))).collect();
                if fields.iter().all(|(_, n)| matches!(n.kind, Kind::Raw(_))) { Kind::Raw(v.clone()) } else { Kind::Object(fields) }
            }
            Value::Array(items) => {
                let nodes: Vec<Node> = items.iter().enumerate().map(|(i, v)| self.any(v, &pointer.join_index(i))).collect();
                if nodes.iter().all(|n| matches!(n.kind, Kind::Raw(_))) { Kind::Raw(v.clone()) } else { Kind::Array(nodes) }
            }
            _ => Kind::Raw(v.clone()),
        };
        Node { kind, pointer: pointer.to_owned() }
    }

    /// A string, or a directive that resolves to one.
    fn string_source<T>(&mut self, v: &Value, pointer: &Pointer, make: impl Fn(&str) -> T) -> Option<Source<T>> {
        match v {
            Value::String(s) => Some(Source::Static(make(s))),
            _ if is_directive(v) => Some(Source::Dynamic(Box::new(self.any(v, pointer)))),
            _ => {
                self.type_error(pointer, "a string or a mapping directive", v);
                None
            }
        }
    }

    /// The options object of a directive: an object (not a directive), every member validated.
    fn options<'v>(&mut self, v: &'v Value, pointer: &Pointer) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(map) if !is_directive(v) => Some(map),
            _ => {
                self.type_error(pointer, "an object", v);
                None
            }
        }
    }

    /// Validates the members that a directive does not read itself.
    fn other_members(&mut self, options: &Map<String, Value>, known: &[&str], pointer: &Pointer) {
        for (k, v) in options.iter().filter(|(k, _)| !known.contains(&k.as_str())) {
            self.any(v, &pointer.join(k));
        }
    }

    fn required<'v>(&mut self, options: &'v Map<String, Value>, key: &str, pointer: &Pointer) -> Option<&'v Value> {
        let found = options.get(key);
        if found.is_none() {
            self.error(pointer, format!("should have field \"{key}\" but it doesn't"));
        }
        found
    }

    fn optional_bool(&mut self, options: &Map<String, Value>, key: &str, pointer: &Pointer) -> Option<bool> {
        match options.get(key)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.type_error(&pointer.join(key), "a boolean", other);
                None
            }
        }
    }

    fn string_member(&mut self, options: &Map<String, Value>, key: &str, pointer: &Pointer, required: bool) -> Option<String> {
        let v = if required { self.required(options, key, pointer)? } else { options.get(key)? };
        match v {
            Value::String(s) => Some(s.clone()),
            other => {
                self.type_error(&pointer.join(key), "a string", other);
                None
            }
        }
    }

    /// A required word option, read into its enum; an error at the option lists the spellings.
    fn one_of<T: Choice>(&mut self, options: &Map<String, Value>, key: &str, pointer: &Pointer) -> Option<T> {
        let s = self.string_member(options, key, pointer, true)?;
        let parsed = T::parse(&s);
        if parsed.is_none() {
            self.error(&pointer.join(key), not_one_of::<T>(&s));
        }
        parsed
    }

    fn directive(&mut self, map: &Map<String, Value>, pointer: &Pointer) -> Node {
        let names: Vec<&String> = map.keys().filter(|k| k.starts_with('@')).collect();
        if names.len() > 1 {
            return self.error(pointer, format!("should only have one @-prefixed key but it has {} keys", names.len()));
        }
        if map.keys().any(|k| !k.starts_with('@') && k != "_metadata") {
            return self.error(pointer, format!("should only have one @-prefixed key but it has {} keys", map.len()));
        }
        let name = names[0].as_str();
        let arg = &map[name];
        let at = pointer.join(name);
        let kind = match name {
            "@path" => self.string_source(arg, &at, Path::new).map(Kind::Path),
            "@template" => self.string_source(arg, &at, Template::new).map(Kind::Template),
            "@literal" => Some(Kind::Literal(Box::new(self.any(arg, &at)))),
            "@excludeWhenNull" => Some(Kind::ExcludeWhenNull(Box::new(self.any(arg, &at)))),
            "@if" => self.if_directive(arg, &at),
            "@case" => self.case(arg, &at),
            "@replace" => self.replace(arg, &at),
            "@arrayPath" => self.array_path(arg, &at),
            "@json" => self.json(arg, &at),
            "@flatten" => self.flatten(arg, &at),
            "@merge" => self.merge(arg, &at),
            "@transform" => self.transform(arg, &at),
            "@liquid" => {
                return self.error(
                    pointer,
                    "uses @liquid, which cdpspec does not implement (Liquid templates are not supported); use @template, @path or @if instead",
                );
            }
            _ => return self.error(pointer, format!("has an invalid directive: {name}")),
        };
        match kind {
            Some(kind) => Node { kind, pointer: pointer.to_owned() },
            None => Node { kind: Kind::Raw(Value::Null), pointer: pointer.to_owned() },
        }
    }

    fn if_directive(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["exists", "blank", "then", "else"], at);
        let compile = |c: &mut Compiler, key: &str| options.get(key).map(|v| (v, Box::new(c.any(v, &at.join(key)))));
        let exists = compile(self, "exists");
        let blank = compile(self, "blank");
        let then = compile(self, "then").map(|(_, n)| n);
        let otherwise = compile(self, "else").and_then(|(v, n)| truthy(v).then_some(n));
        let is_truthy = |o: &Option<(&Value, Box<Node>)>| o.as_ref().is_some_and(|(v, _)| truthy(v));
        if !is_truthy(&exists) && !is_truthy(&blank) {
            self.error(at, "@if requires an \"exists\" key or a \"blank\" key");
            return None;
        }
        let (blank, condition) = match (exists, blank) {
            (Some((_, node)), _) => (false, node),
            (None, Some((_, node))) => (true, node),
            (None, None) => return None,
        };
        Some(Kind::If { blank, condition, then, otherwise })
    }

    fn case(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["operator", "value"], at);
        let operator = self.string_member(options, "operator", at, false);
        let value = match options.get("value") {
            Some(v) if is_directive(v) || v.is_string() => {
                let node = self.any(v, &at.join("value"));
                truthy(v).then(|| Box::new(node))
            }
            Some(v) => {
                self.type_error(&at.join("value"), "a string or a mapping directive", v);
                None
            }
            None => None,
        };
        match operator {
            Some(operator) if !operator.is_empty() => match CaseOperator::parse(&operator) {
                Some(operator) => Some(Kind::Case { operator, value }),
                None => {
                    // The reference throws this on every string value; said once, here.
                    let written = Value::String(operator);
                    self.error(at, format!("operator key should have a value of \"lower\" or \"upper\" but it is {written}"));
                    None
                }
            },
            _ if options.get("operator").is_some_and(|o| !o.is_string()) => None,
            _ => {
                self.error(at, "@case requires a \"operator\" key");
                None
            }
        }
    }

    fn replace(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["pattern", "replacement", "value", "ignorecase", "global"], at);
        let pattern = self.string_member(options, "pattern", at, true);
        if let Some(p) = &pattern {
            if js_len(p) < 1 {
                self.error(&at.join("pattern"), "should be a string of length 1 or greater");
            } else if js_len(p) > MAX_REPLACE_LEN {
                self.error(&at.join("pattern"), format!("should be a string of length {MAX_REPLACE_LEN} or less"));
            }
        }
        let replacement = self.string_member(options, "replacement", at, false);
        if replacement.as_deref().is_some_and(|r| js_len(r) > MAX_REPLACE_LEN) {
            self.error(&at.join("replacement"), format!("should be a string of length {MAX_REPLACE_LEN} or less"));
        }
        let value = match self.required(options, "value", at) {
            Some(v) if is_directive(v) || v.is_string() => {
                let node = self.any(v, &at.join("value"));
                truthy(v).then_some(node)
            }
            Some(v) => {
                self.type_error(&at.join("value"), "a string or a mapping directive", v);
                None
            }
            None => None,
        };
        let ignore_case = self.optional_bool(options, "ignorecase", at).unwrap_or(false);
        let global = self.optional_bool(options, "global", at).unwrap_or(true);
        let second = match (options.get("pattern2"), options.get("replacement2")) {
            (Some(Value::String(p)), None | Some(Value::Null)) if !p.is_empty() => Some((p.clone(), String::new())),
            (Some(Value::String(p)), Some(Value::String(r))) if !p.is_empty() => Some((p.clone(), r.clone())),
            _ => None,
        };
        let pattern = pattern.filter(|p| (1..=MAX_REPLACE_LEN).contains(&js_len(p)))?;
        Some(Kind::Replace(Box::new(Replace { pattern, replacement: replacement.unwrap_or_default(), global, ignore_case, value, second })))
    }

    fn array_path(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let Value::Array(items) = arg else {
            self.type_error(at, "an array", arg);
            return None;
        };
        let first = items.first().unwrap_or(&Value::Null);
        let source = match (items.first(), first) {
            (None, _) => {
                self.error(at, "should be a string or a mapping directive but it is an undefined");
                None
            }
            (Some(_), v) => self.string_source(v, &at.join("0"), Path::new),
        };
        let shape = items.get(1).map(|v| (v, self.any(v, &at.join("1"))));
        let shape = shape.and_then(|(v, node)| matches!(v, Value::Object(m) if !m.is_empty()).then(|| Box::new(node)));
        Some(Kind::ArrayPath { source: source?, shape })
    }

    fn json(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["value", "mode"], at);
        let value = self.required(options, "value", at).map(|v| (v, self.any(v, &at.join("value"))));
        let mode = self.one_of::<JsonMode>(options, "mode", at);
        let (raw, value) = value?;
        if !truthy(raw) {
            self.error(at, "@json requires a \"value\" key");
            return None;
        }
        Some(Kind::Json { mode: mode?, value: Box::new(value) })
    }

    fn flatten(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["value", "separator", "omitArrays"], at);
        let separator = self.string_member(options, "separator", at, true);
        let value = self.required(options, "value", at).map(|v| self.any(v, &at.join("value")));
        let separator = separator?;
        if separator.is_empty() {
            self.error(at, "@flatten requires a \"separator\" key");
            return None;
        }
        let omit_arrays = options.get("omitArrays").is_some_and(truthy);
        Some(Kind::Flatten { separator, omit_arrays, value: Box::new(value?) })
    }

    fn merge(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["objects", "direction"], at);
        let direction = self.one_of::<Direction>(options, "direction", at);
        let objects = match self.required(options, "objects", at) {
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let pointer = at.join("objects").join_index(i);
                        if v.is_object() { self.any(v, &pointer) } else { self.type_error(&pointer, "an object", v) }
                    })
                    .collect(),
            ),
            Some(other) => {
                self.type_error(&at.join("objects"), "an array", other);
                None
            }
            None => None,
        };
        Some(Kind::Merge { objects: objects?, direction: direction? })
    }

    fn transform(&mut self, arg: &Value, at: &Pointer) -> Option<Kind> {
        let options = self.options(arg, at)?;
        self.other_members(options, &["apply", "mapping"], at);
        let object = |c: &mut Compiler, key: &str, root: bool| match c.required(options, key, at) {
            Some(v @ Value::Object(_)) if !is_directive(v) => {
                let pointer = at.join(key);
                Some(Box::new(if root { c.root(v, &pointer) } else { c.any(v, &pointer) }))
            }
            Some(other) => {
                c.type_error(&at.join(key), "an object", other);
                None
            }
            None => None,
        };
        let apply = object(self, "apply", true);
        let mapping = object(self, "mapping", false);
        Some(Kind::Transform { apply: apply?, mapping: mapping? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn errors(v: Value) -> Vec<String> {
        let mut c = Compiler::default();
        c.root(&v, &Pointer::root());
        c.errors.iter().map(ToString::to_string).collect()
    }

    // The reference's mapping-kit/schema-fixtures/invalid/*.json, with their expected messages.
    #[test]
    fn reference_invalid_fixtures() {
        assert_eq!(errors(json!({"@arrayPath": "nope"})), ["/@arrayPath should be an array but it is a string."]);
        assert_eq!(errors(json!({"@if": {"exists": true, "then": {"@oops": {}}}})), ["/@if/then has an invalid directive: @oops."]);
        assert_eq!(errors(json!({"@replace": {"value": {"@path": "$.a"}}})), ["/@replace should have field \"pattern\" but it doesn't."]);
        assert_eq!(errors(json!({"@replace": {"pattern": "bla"}})), ["/@replace should have field \"value\" but it doesn't."]);
        assert_eq!(
            errors(json!({"@replace": {"pattern": "waaaaayyytoooooloooong", "value": {"@path": "$.a"}}})),
            ["/@replace/pattern should be a string of length 10 or less."]
        );
        assert_eq!(
            errors(json!({"@replace": {"pattern": "+", "replacement": "-", "value": {"@path": "$.a"}, "global": "bla"}})),
            ["/@replace/global should be a boolean but it is a string."]
        );
        assert_eq!(
            errors(json!({"@replace": {"pattern": "+", "replacement": "-", "value": {"@path": "$.a"}, "ignorecase": "bla"}})),
            ["/@replace/ignorecase should be a boolean but it is a string."]
        );
        assert_eq!(errors(json!({"@template": 123})), ["/@template should be a string or a mapping directive but it is a number."]);
        assert_eq!(errors(json!({"@path": "$.foo", "bar": "baz"})), ["/ should only have one @-prefixed key but it has 2 keys."]);
        assert_eq!(errors(json!({"@path": "$.foo", "@bar": "baz"})), ["/ should only have one @-prefixed key but it has 2 keys."]);
        assert_eq!(errors(json!({"@oops": {}})), ["/ has an invalid directive: @oops."]);
        assert_eq!(
            errors(json!({"obj": {"@path": "foo.bar", "oops": true}, "hash": {"@template": {}}})),
            ["/hash/@template should be a string or a mapping directive but it is an object.", "/obj should only have one @-prefixed key but it has 2 keys."]
        );
    }

    // The reference's mapping-kit/schema-fixtures/valid/*.json.
    #[test]
    fn reference_valid_fixtures() {
        for v in [
            json!({"@arrayPath": ["$.products", {"cash_money": {"@path": "$.price"}, "product_id": {"@path": "$.productId"}}]}),
            json!({"@if": {"exists": {"@path": "$.a"}, "then": {"@if": {"exists": {"@path": "$.b"}, "then": 1}}}}),
            json!({"@if": {"exists": 1, "else": 3}}),
            json!({"@if": {"exists": {"@path": "$.a"}, "then": 1, "else": 2}}),
            json!({"@path": {"@path": "$.a"}}),
            json!({"@replace": {"pattern": "AaB", "value": {"@path": "$.a"}, "ignorecase": true}}),
            json!({"@replace": {"pattern": "_", "value": {"@path": "$.a"}}}),
            json!({"@template": "Hello, {{who}}!"}),
            json!([1, 2]),
            json!({"@path": "$..", "_metadata": {"type": "variable"}}),
        ] {
            assert_eq!(errors(v.clone()), Vec::<String>::new(), "{v}");
        }
    }

    // Messages of the reference's schema-fixtures/directives/*.json error scenarios.
    #[test]
    fn directive_fixture_errors() {
        let first = |v: Value| errors(v).into_iter().next().unwrap_or_default();
        assert!(first(json!({"neat": {"@flatten": "abcdefgh"}})).contains("@flatten should be an object but it is a string"));
        assert!(first(json!({"neat": {"@flatten": {"value": {"@path": "$.foo"}}}})).contains("@flatten should have field \"separator\""));
        assert!(
            first(json!({"neat": {"@flatten": {"value": 1, "separator": {"@path": "$.x"}}}}))
                .contains("@flatten/separator should be a string but it is a directive")
        );
        assert!(first(json!({"neat": {"@flatten": {"separator": ","}}})).contains("@flatten should have field \"value\""));
        assert!(first(json!({"@merge": {"direction": "left", "objects": {"oops": true}}})).contains("@merge/objects should be an array but it is an object"));
        assert!(first(json!({"@merge": {"direction": "left", "objects": [{}, 1]}})).contains("should be an object"));
        assert!(first(json!({"@merge": {"direction": "up", "objects": [{}]}})).contains("@merge/direction should be one of left, right but it is \"up\""));
        assert!(first(json!({"@merge": {"direction": "left"}})).contains("@merge should have field \"objects\""));
        assert!(first(json!({"@transform": {"mapping": {}}})).contains("@transform should have field \"apply\""));
        assert!(first(json!({"@transform": {"apply": "string", "mapping": {}}})).contains("@transform/apply should be an object"));
        assert!(first(json!({"@transform": {"apply": {}}})).contains("@transform should have field \"mapping\""));
        assert!(first(json!({"@transform": "string"})).contains("@transform should be an object but it is a string"));
        assert!(first(json!({"@transform": {"@path": {}}})).contains("should be an object but it is a directive"));
        assert!(first(json!({"neat": {"@json": {"mode": "oops", "value": {"@path": "$.foo"}}}})).contains("@json/mode should be one of encode, decode"));
        assert!(first(json!({"neat": {"@json": {"mode": "encode"}}})).contains("@json should have field \"value\""));
        assert!(first(json!({"neat": {"@json": {"value": {"@path": "$.foo"}}}})).contains("@json should have field \"mode\""));
        assert!(first(json!({"neat": {"@json": "not an object"}})).contains("@json should be an object but it is a string"));
        assert!(first(json!({"neat": {"@path": {}}})).contains("should be a string or a mapping directive"));
        assert!(first(json!({"neat": {"@arrayPath": [true]}})).contains("@arrayPath/0 should be a string or a mapping directive"));
        assert!(first(json!({"@case": {"wrongKey": "lower", "value": {"@path": "$.b"}}})).contains("@case requires a \"operator\" key"));
        assert!(first(json!({"@case": "not an object"})).contains("/@case should be an object but it is a string."));
        assert!(first(json!({"__segment_internal_directive": {"@path": "$.properties"}, "a": 1})).contains("The root directive must be an object"));
        assert!(first(json!({"__segment_internal_directive": {"hello": "world"}, "a": 1})).contains("The root directive must be an object"));
    }

    #[test]
    fn liquid_is_rejected_where_it_is() {
        assert_eq!(
            errors(json!({"ios": {"@liquid": "{{ context.device.id }}"}})),
            ["/ios uses @liquid, which cdpspec does not implement (Liquid templates are not supported); use @template, @path or @if instead."]
        );
    }

    #[test]
    fn runtime_certainties_are_reported_at_parse() {
        assert_eq!(errors(json!({"@if": {"then": 1}})), ["/@if @if requires an \"exists\" key or a \"blank\" key."]);
        assert_eq!(errors(json!({"@if": {"exists": false, "then": 1}})), ["/@if @if requires an \"exists\" key or a \"blank\" key."]);
        assert_eq!(errors(json!({"@json": {"mode": "encode", "value": ""}})), ["/@json @json requires a \"value\" key."]);
        assert_eq!(errors(json!({"@flatten": {"value": 1, "separator": ""}})), ["/@flatten @flatten requires a \"separator\" key."]);
        assert_eq!(errors(json!({"a": [{"@oops": 1}]})), ["/a/0 has an invalid directive: @oops."]);
        assert_eq!(errors(json!({"a/b": {"@oops": 1}})), ["/a~1b has an invalid directive: @oops."]);
    }
}
