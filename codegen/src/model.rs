//! The intermediate type model between schemas and Rust tokens: named type
//! definitions (structs, string enums, untagged and tagged enums) and
//! references to types. Also the whole-model passes that need every
//! definition: boxing recursive fields and deciding which structs derive
//! `Default`.

use std::collections::{BTreeMap, BTreeSet};

/// A Rust type as used in a field or variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeRef {
    Bool,
    Integer,
    Number,
    String,
    /// `()`: the schema allows only `null`.
    Unit,
    /// `serde_json::Value`: any JSON.
    Value,
    /// `serde_json::Map<String, Value>`: any JSON object.
    Map,
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`: an object whose values all have one type.
    BTreeMap(Box<TypeRef>),
    /// `Option<T>`: the schema also allows `null`.
    Option(Box<TypeRef>),
    /// `Box<T>`: breaks a cycle of by-value fields.
    Boxed(Box<TypeRef>),
    Named(String),
}

impl TypeRef {
    /// Adds `null` to the type: `Option<T>`, unless it already allows null.
    pub fn nullable(self) -> Self {
        match self {
            Self::Option(_) | Self::Value | Self::Unit => self,
            other => Self::Option(Box::new(other)),
        }
    }

    /// Whether JSON `null` deserializes into this type.
    pub fn accepts_null(&self) -> bool {
        matches!(self, Self::Option(_) | Self::Value | Self::Unit)
    }

    /// The named type stored inline (not behind a `Vec`, map or `Box`).
    fn by_value_name(&self) -> Option<&str> {
        match self {
            Self::Named(name) => Some(name),
            Self::Option(inner) => inner.by_value_name(),
            _ => None,
        }
    }

    /// Boxes the named type stored inline.
    fn box_by_value(&mut self) {
        match self {
            Self::Named(_) => *self = Self::Boxed(Box::new(std::mem::replace(self, Self::Unit))),
            Self::Option(inner) => inner.box_by_value(),
            _ => {}
        }
    }
}

/// A generated item.
#[derive(Debug, Clone)]
pub(crate) struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    /// `file#pointer` of the schema, for the doc comment.
    pub origin: String,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Struct(Struct),
    /// A string enum; variants in schema order.
    StringEnum(Vec<EnumVariant>),
    /// `#[serde(untagged)]`; variants in matching order.
    Untagged(Vec<UntaggedVariant>),
    /// `#[serde(tag = "...")]`; each variant wraps a struct.
    Tagged {
        tag: String,
        variants: Vec<TaggedVariant>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Struct {
    pub fields: Vec<Field>,
    pub extra: Extra,
    /// Set by [`Model::finish`].
    pub default: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The Rust identifier (maybe `r#`-prefixed).
    pub ident: String,
    /// The JSON key.
    pub key: String,
    pub doc: Option<String>,
    /// The value's type, `Option<T>` when the schema allows `null`.
    pub ty: TypeRef,
    pub required: bool,
}

/// What happens to keys the schema does not list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Extra {
    /// `additionalProperties: false`: dropped.
    Closed,
    /// Kept in a `serde_json::Map`.
    Open,
    /// Kept in a `BTreeMap<String, T>`.
    Typed(TypeRef),
}

#[derive(Debug, Clone)]
pub(crate) struct EnumVariant {
    pub ident: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub(crate) struct UntaggedVariant {
    pub ident: String,
    pub ty: TypeRef,
}

#[derive(Debug, Clone)]
pub(crate) struct TaggedVariant {
    /// Also the name of the wrapped struct.
    pub ident: String,
    pub value: String,
    pub ty: TypeRef,
}

/// Every generated type, by name.
#[derive(Debug, Default)]
pub(crate) struct Model {
    pub defs: BTreeMap<String, TypeDef>,
}

impl Model {
    /// Runs the passes that need the complete model.
    pub fn finish(&mut self) {
        self.box_cycles();
        self.decide_defaults();
    }

    /// The types stored by value in `def` (fields and variant payloads).
    fn by_value_slots(kind: &mut Kind) -> Vec<&mut TypeRef> {
        match kind {
            Kind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.ty).collect(),
            Kind::StringEnum(_) => Vec::new(),
            Kind::Untagged(variants) => variants.iter_mut().map(|v| &mut v.ty).collect(),
            Kind::Tagged { variants, .. } => variants.iter_mut().map(|v| &mut v.ty).collect(),
        }
    }

    /// Boxes every by-value reference that closes a cycle, which would
    /// otherwise make an infinitely large type.
    fn box_cycles(&mut self) {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, def) in &mut self.defs {
            let targets = Self::by_value_slots(&mut def.kind).into_iter().filter_map(|t| t.by_value_name().map(str::to_owned)).collect();
            edges.insert(name.clone(), targets);
        }
        let reaches = |from: &str, to: &str| {
            let mut seen = BTreeSet::new();
            let mut stack = vec![from.to_owned()];
            while let Some(next) = stack.pop() {
                if next == to {
                    return true;
                }
                if seen.insert(next.clone()) {
                    stack.extend(edges.get(&next).into_iter().flatten().cloned());
                }
            }
            false
        };
        for (name, def) in &mut self.defs {
            for slot in Self::by_value_slots(&mut def.kind) {
                if slot.by_value_name().is_some_and(|target| reaches(target, name)) {
                    slot.box_by_value();
                }
            }
        }
    }

    /// A struct derives `Default` when every required field's type has a
    /// default (the greatest fixed point, so recursive structs qualify).
    fn decide_defaults(&mut self) {
        let mut default: BTreeMap<String, bool> = self.defs.iter().filter(|(_, d)| matches!(d.kind, Kind::Struct(_))).map(|(n, _)| (n.clone(), true)).collect();
        loop {
            let mut changed = false;
            for (name, def) in &self.defs {
                if let Kind::Struct(s) = &def.kind {
                    let ok = s.fields.iter().all(|f| !f.required || has_default(&f.ty, &default));
                    if default.get(name) != Some(&ok) {
                        default.insert(name.clone(), ok);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        for (name, def) in &mut self.defs {
            if let Kind::Struct(s) = &mut def.kind {
                s.default = default.get(name).copied().unwrap_or(false);
            }
        }
    }
}

fn has_default(ty: &TypeRef, structs: &BTreeMap<String, bool>) -> bool {
    match ty {
        TypeRef::Number => false,
        TypeRef::Named(name) => structs.get(name).copied().unwrap_or(false),
        TypeRef::Boxed(inner) => has_default(inner, structs),
        _ => true,
    }
}
