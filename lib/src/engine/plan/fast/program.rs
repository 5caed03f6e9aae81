//! A section schema compiled for the fast path: a flat list of schemas that point at each other
//! by index (`$ref` cycles included), each with its keywords decoded once, so checking a call
//! reads no JSON Schema and allocates nothing. `compile.rs` builds it, `eval.rs` runs it.
//!
//! Laid out for the checks of every call: a schema keeps what most plans use (types, lengths,
//! `enum`, properties, `required`, `additionalProperties`, `items`, patterns and formats, number
//! bounds) in two cache lines, in place in the list, and the rest behind one pointer ([`Cold`]).

use serde_json::Value;

use super::leaf::Leaf;
use crate::fast::json::same_text;

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
    Schema(Schema),
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

/// The assertions of one schema object. Indices are into [`Program::nodes`].
pub(super) struct Schema {
    /// `type`.
    pub(super) types: Option<Types>,
    /// `minLength` (0 when absent) and `maxLength` (`u64::MAX` when absent), in characters.
    pub(super) min_length: u64,
    pub(super) max_length: u64,
    /// How many of [`Schema::names`] `required` lists.
    pub(super) required: u32,
    /// `additionalProperties`.
    pub(super) additional_properties: Option<u32>,
    /// `items` (the elements after `prefixItems`).
    pub(super) items: Option<u32>,
    /// The names `properties` and `required` mention, each once.
    pub(super) names: Box<[Name]>,
    /// `enum`.
    pub(super) enumeration: Option<Box<[Value]>>,
    /// `pattern` and `format`, asked of `jsonschema` itself.
    pub(super) string: Option<Box<Leaf>>,
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, asked of
    /// `jsonschema` itself.
    pub(super) number: Option<Box<Leaf>>,
    /// The keywords plans use less.
    pub(super) cold: Option<Box<Cold>>,
}

/// The keywords of a schema that plans use less.
#[derive(Default)]
pub(super) struct Cold {
    /// `const`.
    pub(super) constant: Option<Value>,
    /// `patternProperties`: the key's pattern (asked of `jsonschema`) and the schema.
    pub(super) pattern_properties: Vec<(Leaf, u32)>,
    /// `minProperties`, `maxProperties`.
    pub(super) min_properties: Option<u64>,
    pub(super) max_properties: Option<u64>,
    /// `prefixItems`.
    pub(super) prefix_items: Vec<u32>,
    /// `minItems`, `maxItems`.
    pub(super) min_items: Option<u64>,
    pub(super) max_items: Option<u64>,
    /// `uniqueItems: true`.
    pub(super) unique_items: bool,
    /// `allOf`, and the target of `$ref` (which applies beside its siblings in 2020-12).
    pub(super) all_of: Vec<u32>,
    /// `anyOf`.
    pub(super) any_of: Vec<u32>,
    /// `oneOf`.
    pub(super) one_of: Vec<u32>,
    /// `not`.
    pub(super) not: Option<u32>,
}

impl Cold {
    /// Whether it holds no keyword.
    pub(super) fn is_empty(&self) -> bool {
        self.constant.is_none()
            && self.pattern_properties.is_empty()
            && self.min_properties.is_none()
            && self.max_properties.is_none()
            && self.prefix_items.is_empty()
            && self.min_items.is_none()
            && self.max_items.is_none()
            && !self.unique_items
            && self.all_of.is_empty()
            && self.any_of.is_empty()
            && self.one_of.is_empty()
            && self.not.is_none()
    }

    /// The schemas that apply to the value itself (`allOf` and `$ref`, `anyOf`, `oneOf`, `not`).
    pub(super) fn in_place(&self) -> impl Iterator<Item = u32> + '_ {
        self.all_of.iter().chain(&self.any_of).chain(&self.one_of).chain(&self.not).copied()
    }
}

/// A member name a schema mentions: its schema in `properties`, and whether it is `required`.
pub(super) struct Name {
    pub(super) name: Box<str>,
    pub(super) schema: Option<u32>,
    /// When the schema is only a `type` ([`Node::Type`]): the types, checked in place.
    pub(super) types: Option<Types>,
    pub(super) required: bool,
}

impl Schema {
    /// The entry of the member name `key`, if the schema mentions it.
    #[inline]
    pub(super) fn name(&self, key: &str) -> Option<&Name> {
        self.names.iter().find(|n| same_text(&n.name, key))
    }
}
