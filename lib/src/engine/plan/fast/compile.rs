//! A section schema into a [`Program`], once, when the plan is compiled. Only what the fast path
//! can decide exactly is compiled: the keywords below, local `$ref`s (`#`, `#/...`, cycles
//! included), and annotations. Anything else anywhere in what the section reaches (an unknown
//! keyword, `if`/`then`/`else`, `dependentSchemas`, `unevaluatedProperties`, a remote or anchor
//! `$ref`, `$id`, another draft's `$schema`, a keyword whose value is not of the usual shape)
//! leaves the section uncompiled: `None`, and its calls take the precise path.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::leaf::Leaf;
use super::program::{Cold, Name, Node, Program, Schema, Types};

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
    let at = compiler.reserve()?;
    let node = compiler.node(root, true)?;
    compiler.nodes[at as usize] = node;
    let mut program = Program { nodes: compiler.nodes };
    if loops_in_place(&program) {
        return None;
    }
    inline_types(&mut program);
    Some(program)
}

/// Notes beside each property whose schema is only a `type` the types, so that checking it
/// takes no step into another node.
fn inline_types(program: &mut Program) {
    let types: Vec<Option<Types>> = program.nodes.iter().map(|n| if let Node::Type(t) = n { Some(*t) } else { None }).collect();
    for node in &mut program.nodes {
        if let Node::Schema(s) = node {
            for name in &mut s.names {
                name.types = name.schema.and_then(|at| types[at as usize]);
            }
        }
    }
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
        if let Node::Schema(Schema { cold: Some(cold), .. }) = &program.nodes[at] {
            for next in cold.in_place() {
                if visit(program, next as usize, marks) {
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
    refs: HashMap<String, u32>,
}

impl<'s> Compiler<'s> {
    /// A slot for a node compiled later.
    fn reserve(&mut self) -> Option<u32> {
        self.nodes.push(Node::Any);
        u32::try_from(self.nodes.len() - 1).ok()
    }

    /// Compiles the subschema `schema` into a new node.
    fn schema(&mut self, schema: &'s Value) -> Option<u32> {
        let at = self.reserve()?;
        self.nodes[at as usize] = self.node(schema, false)?;
        Some(at)
    }

    /// Compiles the subschemas of a non-empty list.
    fn list(&mut self, schemas: &'s Value) -> Option<Vec<u32>> {
        let schemas = schemas.as_array().filter(|list| !list.is_empty())?;
        schemas.iter().map(|s| self.schema(s)).collect()
    }

    /// The node a local `$ref` points at.
    fn reference(&mut self, reference: &str) -> Option<u32> {
        let fragment = reference.strip_prefix('#').filter(|f| f.is_empty() || f.starts_with('/'))?;
        let pointer = cdpspec_plan::pointer::percent_decode(fragment)?;
        if let Some(&at) = self.refs.get(&pointer) {
            return Some(at);
        }
        let target = self.root.pointer(&pointer)?;
        let at = self.reserve()?;
        self.refs.insert(pointer.clone(), at);
        self.nodes[at as usize] = self.node(target, pointer.is_empty())?;
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
        let mut s = Schema {
            types: None,
            min_length: 0,
            max_length: u64::MAX,
            required: 0,
            additional_properties: None,
            items: None,
            names: Box::default(),
            enumeration: None,
            string: None,
            number: None,
            cold: None,
        };
        let mut names: Vec<Name> = Vec::new();
        let mut cold = Cold::default();
        for (key, value) in map {
            match key.as_str() {
                "type" => s.types = Some(types(value)?),
                "const" => cold.constant = Some(value.clone()),
                "enum" => s.enumeration = Some(value.as_array()?.clone().into_boxed_slice()),
                "minLength" => s.min_length = value.as_u64()?,
                "maxLength" => s.max_length = value.as_u64()?,
                "required" => {
                    for name in value.as_array()? {
                        name_mut(&mut names, name.as_str()?).required = true;
                    }
                }
                "properties" => {
                    for (name, sub) in value.as_object()? {
                        let at = self.schema(sub)?;
                        name_mut(&mut names, name).schema = Some(at);
                    }
                }
                "patternProperties" => {
                    for (pattern, sub) in value.as_object()? {
                        let leaf = Leaf::pattern(pattern).ok()?;
                        let at = self.schema(sub)?;
                        cold.pattern_properties.push((leaf, at));
                    }
                }
                "additionalProperties" => s.additional_properties = Some(self.schema(value)?),
                "minProperties" => cold.min_properties = Some(value.as_u64()?),
                "maxProperties" => cold.max_properties = Some(value.as_u64()?),
                "prefixItems" => cold.prefix_items = self.list(value)?,
                "items" if value.is_object() || value.is_boolean() => s.items = Some(self.schema(value)?),
                "minItems" => cold.min_items = Some(value.as_u64()?),
                "maxItems" => cold.max_items = Some(value.as_u64()?),
                "uniqueItems" => cold.unique_items = value.as_bool()?,
                "allOf" => cold.all_of.extend(self.list(value)?),
                "anyOf" => cold.any_of = self.list(value)?,
                "oneOf" => cold.one_of = self.list(value)?,
                "not" => cold.not = Some(self.schema(value)?),
                "$ref" => {
                    let at = self.reference(value.as_str()?)?;
                    cold.all_of.push(at);
                }
                "$schema" if root && is_draft_2020_12(value) => {}
                k if STRING_LEAF.contains(&k) || NUMBER_LEAF.contains(&k) || ANNOTATIONS.contains(&k) => {}
                _ => return None,
            }
        }
        s.required = u32::try_from(names.iter().filter(|n| n.required).count()).ok()?;
        s.names = names.into_boxed_slice();
        s.string = leaf(map, STRING_LEAF)?.map(Box::new);
        s.number = leaf(map, NUMBER_LEAF)?.map(Box::new);
        s.cold = (!cold.is_empty()).then(|| Box::new(cold));
        let asserts = |k: &String| !ANNOTATIONS.contains(&k.as_str()) && k != "$schema";
        Some(match s.types {
            Some(types) if map.keys().filter(|k| asserts(k)).count() == 1 => Node::Type(types),
            _ => Node::Schema(s),
        })
    }
}

/// The entry of `name` among `names`, added when missing.
fn name_mut<'n>(names: &'n mut Vec<Name>, name: &str) -> &'n mut Name {
    let at = match names.iter().position(|n| &*n.name == name) {
        Some(at) => at,
        None => {
            names.push(Name { name: name.into(), schema: None, types: None, required: false });
            names.len() - 1
        }
    };
    &mut names[at]
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
