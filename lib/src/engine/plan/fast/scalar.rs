//! A string or a number borrowed from the tape, as `jsonschema` reads values (its `Json`
//! representation), so that the leaves (`leaf.rs`) ask `jsonschema` about a member's text
//! without copying it into a `serde_json::Value`. Only strings and numbers ever reach it: it has
//! no objects or arrays, and never needs identities (no `$ref` runs over it).

use std::borrow::Cow;

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, Node, NodeIdentity, Object};
use serde_json::{Number, Value};

/// The representation.
pub(super) struct Scalar;

/// A string or a number.
#[derive(Clone, Copy)]
pub(super) enum ScalarNode<'a> {
    String(&'a str),
    Number(&'a Number),
}

/// The objects and arrays of [`Scalar`]: there are none.
pub(super) enum Never {}

impl Json for Scalar {
    type Node<'a> = ScalarNode<'a>;
    type PreparedKey = ();
    type StringBuffer = ();

    fn prepare_key(_: &str) {}

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(ScalarNode<'_>) -> T) -> T {
        f(ScalarNode::String(string))
    }
}

impl<'a> Node<'a, Scalar> for ScalarNode<'a> {
    type Object = Never;
    type Array = Never;
    type Number = &'a Number;

    fn as_object(&self) -> Option<Never> {
        None
    }

    fn as_array(&self) -> Option<Never> {
        None
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        match *self {
            ScalarNode::String(s) => Some(Cow::Borrowed(s)),
            ScalarNode::Number(_) => None,
        }
    }

    fn as_number(&self) -> Option<&'a Number> {
        match *self {
            ScalarNode::Number(n) => Some(n),
            ScalarNode::String(_) => None,
        }
    }

    fn as_boolean(&self) -> Option<bool> {
        None
    }

    fn is_null(&self) -> bool {
        false
    }

    fn json_type(&self) -> JsonType {
        match self {
            ScalarNode::String(_) => JsonType::String,
            ScalarNode::Number(_) => JsonType::Number,
        }
    }

    fn to_value(&self) -> Cow<'a, Value> {
        Cow::Owned(match *self {
            ScalarNode::String(s) => Value::String(s.to_string()),
            ScalarNode::Number(n) => Value::Number(n.clone()),
        })
    }

    fn identity(&self) -> Option<NodeIdentity> {
        None
    }
}

impl<'a> Object<'a, Scalar> for Never {
    type Node = ScalarNode<'a>;
    type MemberName = &'a str;
    type MembersIter = std::iter::Empty<(&'a str, ScalarNode<'a>)>;

    fn len(&self) -> usize {
        match *self {}
    }

    fn get(&self, (): &()) -> Option<ScalarNode<'a>> {
        match *self {}
    }

    fn members(&self) -> Self::MembersIter {
        match *self {}
    }
}

impl<'a> Array<'a, Scalar> for Never {
    type Node = ScalarNode<'a>;
    type ElementsIter = std::iter::Empty<ScalarNode<'a>>;

    fn len(&self) -> usize {
        match *self {}
    }

    fn elements(&self) -> Self::ElementsIter {
        match *self {}
    }
}
