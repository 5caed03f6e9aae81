//! What the plan generator emits, before it becomes tokens: one definition per Rust item, with
//! the attributes that make each derived schema reproduce the plan's.

use serde_json::{Number, Value};

/// A Rust type as a field, item or variant uses it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty {
    Bool,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    String,
    /// `serde_json::Value`: any JSON, `null` included.
    Value,
    /// `serde_json::Map<String, Value>`.
    Map,
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    BTreeMap(Box<Ty>),
    Option(Box<Ty>),
    Named(String),
}

impl Ty {
    /// `Option<Self>`.
    pub fn option(self) -> Self {
        Ty::Option(Box::new(self))
    }

    /// Whether `Default` is implemented (`defaults` says it of named structs).
    pub fn has_default(&self, defaults: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Ty::Named(name) => defaults(name),
            _ => true,
        }
    }
}

/// The generated module.
#[derive(Debug, Default)]
pub(super) struct Module {
    /// The plan's name, version and description, for `#[plan(...)]`.
    pub plan_name: String,
    pub plan_version: Option<String>,
    pub plan_description: Option<String>,
    /// Every type, by name (emitted in this order).
    pub items: std::collections::BTreeMap<String, Item>,
    /// The event version types in plan order (each event's versions oldest first), with the
    /// event name and version.
    pub events: Vec<(String, String, u32)>,
    /// The identify and group traits types.
    pub identify: Option<String>,
    pub group: Option<String>,
    /// (event, version, description) of versions with a description of their own.
    pub version_descriptions: Vec<(String, u32, String)>,
    /// Schemas given verbatim through `#[schemars(schema_with = ...)]`: function name, plan
    /// location, schema.
    pub raw_schemas: Vec<(String, String, Value)>,
    /// Whether a field deserializes `null` as `Some` (`Option<Option<T>>`, `Option<Value>`).
    pub needs_some: bool,
}

/// A generated item.
#[derive(Debug)]
pub(super) enum Item {
    Struct(StructDef),
    Enum(EnumDef),
    Union(UnionDef),
    /// `pub type name = target;`: an event's newest version.
    Alias {
        event: String,
        version: u32,
        target: String,
    },
}

/// Keywords copied into a derived schema as they are: `#[schemars(extend("key" = value))]`.
pub(super) type Extend = Vec<(String, Value)>;

#[derive(Debug)]
pub(super) struct StructDef {
    /// The type's doc comment (also its schema's `description`, or the event's).
    pub doc: Option<String>,
    /// `#[event(...)]` of an event version type.
    pub event: Option<EventAttrs>,
    pub default: bool,
    /// `additionalProperties: false`: `#[serde(deny_unknown_fields)]`.
    pub closed: bool,
    pub extra: Option<Extra>,
    pub extend: Extend,
    pub fields: Vec<FieldDef>,
}

/// The flattened map of keys the plan does not list.
#[derive(Debug)]
pub(super) struct Extra {
    pub ty: Ty,
    /// Whether the map is part of the derived schema (`additionalProperties: true`), or hidden
    /// with `#[schemars(skip)]` (no `additionalProperties`, or a schema given through `extend`).
    pub in_schema: bool,
}

#[derive(Debug, Clone)]
pub(super) struct EventAttrs {
    pub name: String,
    pub version: u32,
    pub owner: Option<String>,
    pub deprecated: Option<String>,
    pub labels: Vec<(String, String)>,
}

#[derive(Debug)]
pub(super) struct FieldDef {
    /// The Rust identifier (maybe `r#`-prefixed).
    pub ident: String,
    /// The JSON key.
    pub key: String,
    pub doc: Option<String>,
    /// The whole field type, `Option`s included.
    pub ty: Ty,
    /// Not in `required`: `#[serde(default, skip_serializing_if = "Option::is_none")]`.
    pub optional: bool,
    /// `deserialize_with` the helper that keeps `null` apart from absent.
    pub some: bool,
    pub schema: FieldSchema,
}

/// The `#[schemars(...)]` of a field.
#[derive(Debug, Default)]
pub(super) struct FieldSchema {
    pub validation: Validation,
    pub extend: Extend,
    /// The name of the function in the helper module that returns the field's schema.
    pub schema_with: Option<String>,
    /// `transform = ::cdpspec::event::nullable`: keep `null` in an optional field's schema.
    pub nullable: bool,
}

/// schemars' validation attributes: `regex`, `length`, `range` and `inner(...)`.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) struct Validation {
    pub pattern: Option<String>,
    pub length: (Option<Number>, Option<Number>),
    pub range: (Option<Number>, Option<Number>),
    pub inner: Option<Box<Validation>>,
}

impl Validation {
    pub fn is_empty(&self) -> bool {
        *self == Validation::default()
    }
}

#[derive(Debug)]
pub(super) struct EnumDef {
    pub doc: Option<String>,
    pub extend: Extend,
    /// (variant, JSON string), in plan order.
    pub variants: Vec<(String, String)>,
}

/// A value of several JSON types: an untagged enum whose `JsonSchema` is written out.
#[derive(Debug)]
pub(super) struct UnionDef {
    pub doc: Option<String>,
    pub variants: Vec<Prim>,
    pub schema: Value,
}

/// JSON Schema's non-null types, in untagged matching order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Prim {
    Bool,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Prim {
    pub fn variant(self) -> &'static str {
        match self {
            Prim::Bool => "Bool",
            Prim::Integer => "Integer",
            Prim::Number => "Number",
            Prim::String => "String",
            Prim::Array => "Array",
            Prim::Object => "Object",
        }
    }

    /// The Rust type of a union variant of this type.
    pub fn ty(self) -> Ty {
        match self {
            Prim::Bool => Ty::Bool,
            Prim::Integer => Ty::Integer,
            Prim::Number => Ty::Number,
            Prim::String => Ty::String,
            Prim::Array => Ty::Vec(Box::new(Ty::Value)),
            Prim::Object => Ty::Map,
        }
    }
}
