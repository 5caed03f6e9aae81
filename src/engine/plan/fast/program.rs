//! A section schema compiled for the fast path: a flat list of schemas that point at each other
//! by index (`$ref` cycles included), each with its keywords decoded once, so checking a call
//! reads no JSON Schema and allocates nothing. `compile.rs` builds it, `eval.rs` runs it.

use serde_json::Value;

use super::leaf::Leaf;

/// A compiled section schema: `nodes[0]` is its root.
pub(super) struct Program {
    pub(super) nodes: Vec<Node>,
}

/// One schema of a program.
pub(super) enum Node {
    /// `true`, or an object with no assertion: every value is valid.
    Any,
    /// `false`: no value is.
    Never,
    /// A schema object whose only assertion is `type` (most properties of a plan).
    Type(Types),
    /// A schema object.
    Schema(Box<Schema>),
}

/// The JSON types `type` allows, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Types(pub(super) u8);

impl Types {
    pub(super) const NULL: u8 = 1;
    pub(super) const BOOLEAN: u8 = 1 << 1;
    pub(super) const INTEGER: u8 = 1 << 2;
    pub(super) const NUMBER: u8 = 1 << 3;
    pub(super) const STRING: u8 = 1 << 4;
    pub(super) const ARRAY: u8 = 1 << 5;
    pub(super) const OBJECT: u8 = 1 << 6;

    /// The bit of a type name, `None` for a name that is not a JSON Schema type.
    pub(super) fn bit(name: &str) -> Option<u8> {
        Some(match name {
            "null" => Self::NULL,
            "boolean" => Self::BOOLEAN,
            "integer" => Self::INTEGER,
            "number" => Self::NUMBER,
            "string" => Self::STRING,
            "array" => Self::ARRAY,
            "object" => Self::OBJECT,
            _ => return None,
        })
    }
}

/// The assertions of one schema object, by the kind of value they apply to. Indices are into
/// [`Program::nodes`].
#[derive(Default)]
pub(super) struct Schema {
    /// `type`.
    pub(super) types: Option<Types>,
    /// `const`.
    pub(super) constant: Option<Value>,
    /// `enum`.
    pub(super) enumeration: Option<Vec<Value>>,

    /// `minLength`, `maxLength` (in characters).
    pub(super) min_length: Option<u64>,
    pub(super) max_length: Option<u64>,
    /// `pattern` and `format`, asked of `jsonschema` itself.
    pub(super) string: Option<Leaf>,
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, asked of
    /// `jsonschema` itself.
    pub(super) number: Option<Leaf>,

    /// The names `properties` and `required` mention, each once.
    pub(super) names: Vec<Name>,
    /// How many of them `required` lists.
    pub(super) required: usize,
    /// `patternProperties`: the key's pattern (asked of `jsonschema`) and the schema.
    pub(super) pattern_properties: Vec<(Leaf, usize)>,
    /// `additionalProperties`.
    pub(super) additional_properties: Option<usize>,
    /// `minProperties`, `maxProperties`.
    pub(super) min_properties: Option<u64>,
    pub(super) max_properties: Option<u64>,

    /// `prefixItems`.
    pub(super) prefix_items: Vec<usize>,
    /// `items` (the elements after `prefixItems`).
    pub(super) items: Option<usize>,
    /// `minItems`, `maxItems`.
    pub(super) min_items: Option<u64>,
    pub(super) max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub(super) unique_items: bool,

    /// `allOf`, and the target of `$ref` (which applies beside its siblings in 2020-12).
    pub(super) all_of: Vec<usize>,
    /// `anyOf`.
    pub(super) any_of: Vec<usize>,
    /// `oneOf`.
    pub(super) one_of: Vec<usize>,
    /// `not`.
    pub(super) not: Option<usize>,
    /// Whether any of `allOf`, `$ref`, `anyOf`, `oneOf` or `not` is there.
    pub(super) applicators: bool,
}

/// A member name a schema mentions: its schema in `properties`, and whether it is `required`.
pub(super) struct Name {
    pub(super) name: String,
    pub(super) schema: Option<usize>,
    pub(super) required: bool,
}

impl Schema {
    /// The entry of `name` in [`Schema::names`], added when missing.
    pub(super) fn name(&mut self, name: &str) -> &mut Name {
        let at = match self.names.iter().position(|n| n.name == name) {
            Some(at) => at,
            None => {
                self.names.push(Name { name: name.to_string(), schema: None, required: false });
                self.names.len() - 1
            }
        };
        &mut self.names[at]
    }
}
