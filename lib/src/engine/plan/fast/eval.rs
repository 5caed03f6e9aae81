//! Runs a [`Program`] over a value of the fast path's [`Json`] view. Each keyword is decided as
//! `jsonschema` decides it, so the answer is exact both ways (which `not` and `oneOf` need),
//! except where evaluation gives up: a number that cannot be read, `uniqueItems` over a long
//! array, or a budget of steps and depth (recursive references). Giving up marks the whole run
//! unsure, and an unsure run never vouches for a value.

use super::equal;
use super::program::{Cold, Node, Program, Schema, Types};
use crate::fast::json::{Json, Kind};

/// Schemas visited before a run gives up (several `anyOf`s through recursive references can
/// make the work grow with the product of their branches).
const MAX_STEPS: u32 = 20_000;
/// Schemas nested (through applicators and references) before a run gives up.
const MAX_DEPTH: u32 = 256;
/// `uniqueItems` compares every pair of elements of arrays up to this length, and gives up on
/// longer ones.
const MAX_UNIQUE: usize = 128;

/// Whether `v` is certainly valid against `program`: `false` when it is invalid, or when the
/// run gave up.
pub(super) fn certainly_valid<V: Json>(program: &Program, v: V) -> bool {
    let mut run = Run { program, steps: 0, unsure: false };
    run.valid(0, v, 0) && !run.unsure
}

struct Run<'p> {
    program: &'p Program,
    steps: u32,
    /// Whether some answer of this run is a guess (then the run's answer is only "maybe").
    unsure: bool,
}

impl Run<'_> {
    /// Gives up: the run's answer will be "maybe", whatever this one is.
    fn give_up(&mut self) -> bool {
        self.unsure = true;
        false
    }

    fn valid<V: Json>(&mut self, at: u32, v: V, depth: u32) -> bool {
        self.steps += 1;
        if self.unsure || self.steps > MAX_STEPS || depth > MAX_DEPTH {
            return self.give_up();
        }
        match &self.program.nodes[at as usize] {
            Node::Any => true,
            Node::Never => false,
            Node::Type(types) => has_type(*types, v.kind(), v),
            Node::Schema(schema) => self.schema(schema, v, depth),
        }
    }

    fn schema<V: Json>(&mut self, s: &Schema, v: V, depth: u32) -> bool {
        let kind = v.kind();
        if let Some(types) = s.types
            && !has_type(types, kind, v)
        {
            return false;
        }
        let own = match kind {
            // Strings are compared with `enum` here, read once.
            Kind::String => string(s, v.as_str().unwrap_or_default()),
            _ if s.enumeration.as_ref().is_some_and(|options| !options.iter().any(|option| self.equals(v, option))) => false,
            Kind::Number => match &s.number {
                None => true,
                Some(leaf) => match v.as_number() {
                    Some(n) => leaf.number(&n),
                    None => self.give_up(),
                },
            },
            Kind::Object => self.object(s, v, depth),
            Kind::Array => self.array(s, v, depth),
            Kind::Null | Kind::Bool => true,
        };
        own && s.cold.as_ref().is_none_or(|cold| self.cold(cold, v, depth))
    }

    /// `const`, then `allOf` (and `$ref`), `anyOf`, `oneOf`, `not`.
    fn cold<V: Json>(&mut self, c: &Cold, v: V, depth: u32) -> bool {
        if let Some(constant) = &c.constant
            && !self.equals(v, constant)
        {
            return false;
        }
        let depth = depth + 1;
        if !c.all_of.iter().all(|&at| self.valid(at, v, depth)) {
            return false;
        }
        if !c.any_of.is_empty() && !c.any_of.iter().any(|&at| self.valid(at, v, depth)) {
            return false;
        }
        if !c.one_of.is_empty() {
            let mut passed = 0;
            for &at in &c.one_of {
                passed += usize::from(self.valid(at, v, depth));
                if passed > 1 {
                    return false;
                }
            }
            if passed != 1 {
                return false;
            }
        }
        !c.not.is_some_and(|at| self.valid(at, v, depth))
    }

    /// The keywords on objects, in one pass over the members (keys are unique: documents with
    /// duplicate keys do not reach the plan on the fast path).
    fn object<V: Json>(&mut self, s: &Schema, v: V, depth: u32) -> bool {
        let cold = s.cold.as_deref().filter(|c| !c.pattern_properties.is_empty() || c.min_properties.is_some() || c.max_properties.is_some());
        if s.names.is_empty() && s.additional_properties.is_none() && cold.is_none() {
            return true;
        }
        // Without keywords on the other members, the walk ends once every name is found.
        let others = s.additional_properties.is_some() || cold.is_some();
        let depth = depth + 1;
        let (mut count, mut required, mut found) = (0, 0, 0);
        for (key, value) in v.members() {
            count += 1;
            let mut matched = false;
            if let Some(name) = s.name(key) {
                found += 1;
                required += u32::from(name.required);
                if let Some(at) = name.schema {
                    matched = true;
                    let valid = match name.types {
                        Some(types) => has_type(types, value.kind(), value),
                        None => self.valid(at, value, depth),
                    };
                    if !valid {
                        return false;
                    }
                }
            }
            for (pattern, at) in cold.iter().flat_map(|c| &c.pattern_properties) {
                if pattern.string(key) {
                    matched = true;
                    if !self.valid(*at, value, depth) {
                        return false;
                    }
                }
            }
            if !matched
                && let Some(at) = s.additional_properties
                && !self.valid(at, value, depth)
            {
                return false;
            }
            if !others && found == s.names.len() {
                break;
            }
        }
        required == s.required && cold.is_none_or(|c| within(count, c.min_properties, c.max_properties))
    }

    /// The keywords on arrays.
    fn array<V: Json>(&mut self, s: &Schema, v: V, depth: u32) -> bool {
        let cold = s.cold.as_deref();
        let prefix = cold.map_or(&[][..], |c| &c.prefix_items[..]);
        let depth = depth + 1;
        let mut count = 0;
        for (index, element) in v.elements().enumerate() {
            count += 1;
            if let Some(at) = prefix.get(index).copied().or(s.items)
                && !self.valid(at, element, depth)
            {
                return false;
            }
        }
        let Some(c) = cold else { return true };
        if !within(count, c.min_items, c.max_items) {
            return false;
        }
        !c.unique_items || self.unique(v, count)
    }

    /// `uniqueItems` over the `count` elements of `v`.
    fn unique<V: Json>(&mut self, v: V, count: usize) -> bool {
        if count > MAX_UNIQUE {
            return self.give_up();
        }
        let elements: Vec<V> = v.elements().collect();
        for (i, a) in elements.iter().enumerate() {
            for b in &elements[i + 1..] {
                match equal::same(*a, *b) {
                    Some(false) => {}
                    Some(true) => return false,
                    None => return self.give_up(),
                }
            }
        }
        true
    }

    /// Whether `v` equals `expected`, as `const` and `enum` compare.
    fn equals<V: Json>(&mut self, v: V, expected: &serde_json::Value) -> bool {
        equal::equals(v, expected).unwrap_or_else(|| self.give_up())
    }
}

/// The keywords on strings: `enum`, lengths in characters, then `pattern` and `format`.
fn string(s: &Schema, text: &str) -> bool {
    if let Some(options) = &s.enumeration
        && !options.iter().any(|option| option.as_str() == Some(text))
    {
        return false;
    }
    if s.min_length > 0 || s.max_length < u64::MAX {
        // A character takes one to four bytes: the bounds often decide without counting.
        let bytes = text.len() as u64;
        let certainly = s.min_length <= bytes.div_ceil(4) && bytes <= s.max_length;
        if !certainly {
            let chars = text.chars().count() as u64;
            if chars < s.min_length || chars > s.max_length {
                return false;
            }
        }
    }
    s.string.as_ref().is_none_or(|leaf| leaf.string(text))
}

/// Whether `count` lies within the bounds given.
fn within(count: usize, min: Option<u64>, max: Option<u64>) -> bool {
    let count = count as u64;
    min.is_none_or(|min| count >= min) && max.is_none_or(|max| count <= max)
}

/// Whether `type` allows `v` (of kind `kind`): integers are numbers without a fractional part,
/// `1.0` included.
fn has_type<V: Json>(types: Types, kind: Kind, v: V) -> bool {
    let bits = types.0;
    match kind {
        Kind::Null => bits & Types::NULL != 0,
        Kind::Bool => bits & Types::BOOLEAN != 0,
        Kind::String => bits & Types::STRING != 0,
        Kind::Array => bits & Types::ARRAY != 0,
        Kind::Object => bits & Types::OBJECT != 0,
        Kind::Number => bits & Types::NUMBER != 0 || (bits & Types::INTEGER != 0 && v.is_integer()),
    }
}
