//! What a boolean validator checks: one node per schema location, each a conjunction of
//! checks, with references to other nodes for subschemas.

/// A subschema, as its parent refers to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    /// `true`, or a schema with nothing to check.
    Always,
    /// `false`.
    Never,
    /// The node with this index.
    Node(usize),
}

/// The JSON types of the `type` keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Type {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

/// A `const` or `enum` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Literal {
    String(String),
    Bool(bool),
    Null,
}

/// One keyword's check (object keywords are one check together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Check {
    /// `type`: one of these.
    Types(Vec<Type>),
    /// `const`.
    Const(Literal),
    /// `enum`.
    Enum(Vec<Literal>),
    /// `pattern: "\S"`: strings need a character that is not white space.
    NonBlank,
    /// `minLength`, in characters.
    MinLength(u64),
    /// `properties`, `required` and `additionalProperties` of objects.
    Object { properties: Vec<(String, Target)>, required: Vec<String>, additional: Target },
    /// `items`: every element of arrays.
    Items(Target),
    /// `allOf`.
    AllOf(Vec<Target>),
    /// `anyOf`.
    AnyOf(Vec<Target>),
    /// `oneOf`.
    OneOf(Vec<Target>),
    /// `$ref` beside other keywords.
    Ref(Target),
}

/// The validator of one schema location.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// The function's name.
    pub name: String,
    /// `file#pointer`, for the function's doc comment.
    pub origin: String,
    /// All must pass.
    pub checks: Vec<Check>,
}

/// Everything to emit.
#[derive(Debug, Default)]
pub(super) struct Program {
    /// Public functions: (name, the schema they check, its origin).
    pub roots: Vec<(String, Target, String)>,
    pub nodes: Vec<Node>,
}
