//! A section schema into a [`Program`], once, when the plan is compiled. Only what the fast path
//! can decide exactly is compiled: the keywords below, local `$ref`s (`#`, `#/...`, cycles
//! included), and annotations. Anything else anywhere in what the section reaches (an unknown
//! keyword, `if`/`then`/`else`, `dependentSchemas`, `unevaluatedProperties`, a remote or anchor
//! `$ref`, `$id`, another draft's `$schema`, a keyword whose value is not of the usual shape)
//! leaves the section uncompiled: `None`, and its calls take the precise path.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::leaf::Leaf;
use super::program::{Node, Program, Schema, Types};

/// Keywords that assert nothing, or hold schemas only `$ref` reaches.
const ANNOTATIONS: &[&str] = &["title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly", "$comment", "$defs", "definitions"];

/// Keywords `jsonschema` decides for strings, asked of it (see `leaf.rs`).
const STRING_LEAF: &[&str] = &["pattern", "format"];

/// Keywords `jsonschema` decides for numbers, asked of it (see `leaf.rs`).
const NUMBER_LEAF: &[&str] = &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

/// Keywords that change how references resolve, or resolve dynamically: a section holding one
/// anywhere is not compiled.
const RESOLUTION: &[&str] = &["$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "$vocabulary"];

/// The program of the section schema `root`, `None` when some part of it is not compiled.
pub(super) fn compile(root: &Value) -> Option<Program> {
    if mentions(root, RESOLUTION) {
        return None;
    }
    let mut compiler = Compiler { root, nodes: Vec::new(), refs: HashMap::new() };
    let at = compiler.reserve();
    let node = compiler.node(root, true)?;
    compiler.nodes[at] = node;
    let program = Program { nodes: compiler.nodes };
    (!loops_in_place(&program)).then_some(program)
}

/// Whether some schema of `program` reaches itself without stepping into a member or an element
/// (`{"$ref": "#"}` at the root, `allOf` through `$defs` back to itself): what that means is
/// `jsonschema`'s choice, so such sections are left to it. Any other recursion ends with the
/// value it descends into.
fn loops_in_place(program: &Program) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(program: &Program, at: usize, marks: &mut [Mark]) -> bool {
        match marks[at] {
            Mark::Open => return true,
            Mark::Done => return false,
            Mark::New => marks[at] = Mark::Open,
        }
        if let Node::Schema(s) = &program.nodes[at] {
            let in_place = s.all_of.iter().chain(&s.any_of).chain(&s.one_of).chain(&s.not);
            for &next in in_place {
                if visit(program, next, marks) {
                    return true;
                }
            }
        }
        marks[at] = Mark::Done;
        false
    }
    let mut marks = vec![Mark::New; program.nodes.len()];
    (0..program.nodes.len()).any(|at| visit(program, at, &mut marks))
}

/// Whether any object in `value`, at any depth, has one of `keys`.
fn mentions(value: &Value, keys: &[&str]) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| keys.contains(&k.as_str()) || mentions(v, keys)),
        Value::Array(items) => items.iter().any(|v| mentions(v, keys)),
        _ => false,
    }
}

struct Compiler<'s> {
    /// The section schema, which `#` refers to.
    root: &'s Value,
    nodes: Vec<Node>,
    /// The node of each JSON pointer `$ref` reached, so that cycles close.
    refs: HashMap<String, usize>,
}

impl<'s> Compiler<'s> {
    /// A slot for a node compiled later.
    fn reserve(&mut self) -> usize {
        self.nodes.push(Node::Any);
        self.nodes.len() - 1
    }

    /// Compiles the subschema `schema` into a new node.
    fn schema(&mut self, schema: &'s Value) -> Option<usize> {
        let at = self.reserve();
        self.nodes[at] = self.node(schema, false)?;
        Some(at)
    }

    /// Compiles the subschemas of a non-empty list.
    fn list(&mut self, schemas: &'s Value) -> Option<Vec<usize>> {
        let schemas = schemas.as_array().filter(|list| !list.is_empty())?;
        schemas.iter().map(|s| self.schema(s)).collect()
    }

    /// The node a local `$ref` points at.
    fn reference(&mut self, reference: &str) -> Option<usize> {
        let fragment = reference.strip_prefix('#').filter(|f| f.is_empty() || f.starts_with('/'))?;
        let pointer = cdpspec_plan::pointer::percent_decode(fragment)?;
        if let Some(&at) = self.refs.get(&pointer) {
            return Some(at);
        }
        let target = self.root.pointer(&pointer)?;
        let at = self.reserve();
        self.refs.insert(pointer.clone(), at);
        self.nodes[at] = self.node(target, pointer.is_empty())?;
        Some(at)
    }

    /// The node of one schema (`root` when it is the section schema itself).
    fn node(&mut self, schema: &'s Value, root: bool) -> Option<Node> {
        let map = match schema {
            Value::Bool(true) => return Some(Node::Any),
            Value::Bool(false) => return Some(Node::Never),
            Value::Object(map) => map,
            _ => return None,
        };
        let mut s = Schema::default();
        for (key, value) in map {
            match key.as_str() {
                "type" => s.types = Some(types(value)?),
                "const" => s.constant = Some(value.clone()),
                "enum" => s.enumeration = Some(value.as_array()?.clone()),
                "minLength" => s.min_length = Some(value.as_u64()?),
                "maxLength" => s.max_length = Some(value.as_u64()?),
                "required" => {
                    for name in value.as_array()? {
                        s.name(name.as_str()?).required = true;
                    }
                }
                "properties" => {
                    for (name, sub) in value.as_object()? {
                        let at = self.schema(sub)?;
                        s.name(name).schema = Some(at);
                    }
                }
                "patternProperties" => {
                    for (pattern, sub) in value.as_object()? {
                        let leaf = Leaf::pattern(pattern).ok()?;
                        let at = self.schema(sub)?;
                        s.pattern_properties.push((leaf, at));
                    }
                }
                "additionalProperties" => s.additional_properties = Some(self.schema(value)?),
                "minProperties" => s.min_properties = Some(value.as_u64()?),
                "maxProperties" => s.max_properties = Some(value.as_u64()?),
                "prefixItems" => s.prefix_items = self.list(value)?,
                "items" if value.is_object() || value.is_boolean() => s.items = Some(self.schema(value)?),
                "minItems" => s.min_items = Some(value.as_u64()?),
                "maxItems" => s.max_items = Some(value.as_u64()?),
                "uniqueItems" => s.unique_items = value.as_bool()?,
                "allOf" => s.all_of.extend(self.list(value)?),
                "anyOf" => s.any_of = self.list(value)?,
                "oneOf" => s.one_of = self.list(value)?,
                "not" => s.not = Some(self.schema(value)?),
                "$ref" => {
                    let at = self.reference(value.as_str()?)?;
                    s.all_of.push(at);
                }
                "$schema" if root && is_draft_2020_12(value) => {}
                k if STRING_LEAF.contains(&k) || NUMBER_LEAF.contains(&k) || ANNOTATIONS.contains(&k) => {}
                _ => return None,
            }
        }
        s.required = s.names.iter().filter(|n| n.required).count();
        s.string = leaf(map, STRING_LEAF)?;
        s.number = leaf(map, NUMBER_LEAF)?;
        s.applicators = !s.all_of.is_empty() || !s.any_of.is_empty() || !s.one_of.is_empty() || s.not.is_some();
        let asserts = |k: &String| !ANNOTATIONS.contains(&k.as_str()) && k != "$schema";
        Some(match s.types {
            Some(types) if map.keys().filter(|k| asserts(k)).count() == 1 => Node::Type(types),
            _ => Node::Schema(Box::new(s)),
        })
    }
}

/// The keywords `keywords` of `map` compiled by `jsonschema`: `Some(None)` when there are none,
/// `None` when they do not compile alone.
fn leaf(map: &Map<String, Value>, keywords: &[&str]) -> Option<Option<Leaf>> {
    Leaf::of(map, keywords).transpose().ok()
}

/// The types `type` allows: one name or a list of names.
fn types(value: &Value) -> Option<Types> {
    let names: Vec<&Value> = match value {
        Value::Array(names) => names.iter().collect(),
        name => vec![name],
    };
    let mut bits = 0;
    for name in names {
        bits |= Types::bit(name.as_str()?)?;
    }
    Some(Types(bits))
}

/// Whether `$schema` names draft 2020-12, the draft plan sections are compiled in.
fn is_draft_2020_12(value: &Value) -> bool {
    matches!(value.as_str(), Some("https://json-schema.org/draft/2020-12/schema" | "https://json-schema.org/draft/2020-12/schema#"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::compile;

    #[test]
    fn compiles_what_it_can_decide_exactly() {
        for schema in [
            json!(true),
            json!({"type": "object", "properties": {"a": {"type": ["integer", "null"], "minimum": 0}}, "required": ["a"], "additionalProperties": false}),
            json!({"$defs": {"node": {"type": "object", "properties": {"next": {"$ref": "#/$defs/node"}}}}, "$ref": "#/$defs/node"}),
            json!({"items": {"$ref": "#"}, "anyOf": [{"type": "array"}, {"const": 1}]}),
            json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "properties": {"x": {"pattern": "^a+$", "format": "email"}}}),
            json!({"properties": {"a~b/c": {"type": "string"}}, "$ref": "#/properties/a~0b~1c"}),
        ] {
            assert!(compile(&schema).is_some(), "{schema}");
        }
    }

    #[test]
    fn leaves_everything_else_to_the_precise_path() {
        for schema in [
            json!({"if": {"type": "string"}, "then": {"minLength": 1}}),
            json!({"properties": {"a": {"dependentSchemas": {}}}}),
            json!({"unevaluatedProperties": false}),
            json!({"$ref": "other.json#/a"}),
            json!({"$ref": "#anchor"}),
            json!({"$ref": "#/$defs/missing"}),
            json!({"$defs": {"a": {"$id": "a.json"}}, "$ref": "#/$defs/a"}),
            json!({"$schema": "http://json-schema.org/draft-07/schema#"}),
            json!({"properties": {"a": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}}),
            json!({"items": [{"type": "string"}]}),
            json!({"type": "text"}),
            json!({"minLength": 1.5}),
            json!({"dependencies": {"a": ["b"]}}),
            json!({"x-custom": 1}),
            json!(1),
            json!({"$ref": "#"}),
            json!({"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/b"}]}, "b": {"not": {"$ref": "#/$defs/a"}}}, "properties": {"x": {"$ref": "#/$defs/a"}}}),
        ] {
            assert!(compile(&schema).is_none(), "{schema}");
        }
    }
}
