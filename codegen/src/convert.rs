//! Schema -> model: turns each schema's shape (see `shape`) into a Rust
//! type, names the types it creates (title, `$defs` key, file name, or
//! parent + field), and builds struct fields. The tag property of a tagged
//! union is left out of the member structs.

use crate::model::{EnumVariant, Extra, Field, Kind, Model, Struct, TaggedVariant, TypeDef, TypeRef, UntaggedVariant};
use crate::naming;
use crate::registry::{Loc, Registry};
use crate::shape::{MAX_DEPTH, Prim, Shape, Shapes};
use crate::{Error, ErrorKind};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Type names the generated code uses unqualified; a schema type must not
/// shadow them.
const RESERVED_NAMES: &[&str] = &["Option", "String", "Vec"];

/// Converts every default root (titled file-level schemas that define a
/// type) and every extra root to a model.
pub(crate) fn convert(reg: &Registry, roots: &[String]) -> Result<Model, Error> {
    // A struct converted before the union that wraps it still has the tag
    // field; convert again until the set of tag properties to skip is
    // stable (it only grows, so this ends).
    let mut skip = BTreeSet::new();
    loop {
        let mut converter = Converter::new(reg, &skip);
        converter.run(roots)?;
        if converter.tag_targets.is_subset(&skip) {
            let mut model = Model { defs: converter.defs };
            model.finish();
            return Ok(model);
        }
        skip.extend(converter.tag_targets);
    }
}

/// What kind of named type a name stands for (for untagged ordering and
/// tagged union checks, before the definition is complete).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NamedKind {
    Struct,
    StringEnum,
    Enum,
}

struct Converter<'r> {
    reg: &'r Registry,
    shapes: Shapes<'r>,
    /// (struct location, property) pairs to leave out: union tags.
    skip: &'r BTreeSet<(Loc, String)>,
    /// Union tags found in this round.
    tag_targets: BTreeSet<(Loc, String)>,
    /// The type of every converted location.
    cache: HashMap<Loc, TypeRef>,
    /// Locations being converted (cycle detection for unnamed types).
    active: HashSet<Loc>,
    /// Every claimed type name: where it comes from and its kind.
    names: BTreeMap<String, (Loc, NamedKind)>,
    defs: BTreeMap<String, TypeDef>,
}

impl<'r> Converter<'r> {
    fn new(reg: &'r Registry, skip: &'r BTreeSet<(Loc, String)>) -> Self {
        Self {
            reg,
            shapes: Shapes::new(reg),
            skip,
            tag_targets: BTreeSet::new(),
            cache: HashMap::new(),
            active: HashSet::new(),
            names: BTreeMap::new(),
            defs: BTreeMap::new(),
        }
    }

    fn run(&mut self, roots: &[String]) -> Result<(), Error> {
        for doc in 0..self.reg.len() {
            let loc = Loc::root(doc);
            let titled = self.reg.get(&loc).and_then(|v| v.get("title")).is_some_and(Value::is_string);
            if titled && self.shapes.defines_type(&loc)? {
                self.ty(&loc, "")?;
            }
        }
        for root in roots {
            let loc = self.reg.lookup(root)?;
            if !self.shapes.defines_type(&loc)? {
                return Err(self.err(&loc, ErrorKind::Unsupported, format!("root `{root}` is not an object or enum schema")));
            }
            self.ty(&loc, "")?;
        }
        Ok(())
    }

    fn err(&self, loc: &Loc, kind: ErrorKind, message: impl Into<String>) -> Error {
        self.reg.error(loc, kind, message)
    }

    /// The Rust type of the schema at `loc`. `hint` names it if it needs a
    /// name and has no title, `$defs` key or file of its own.
    fn ty(&mut self, loc: &Loc, hint: &str) -> Result<TypeRef, Error> {
        if let Some(ty) = self.cache.get(loc) {
            return Ok(ty.clone());
        }
        if !self.active.insert(loc.clone()) {
            return Err(self.err(loc, ErrorKind::Unsupported, "recursive schema without a named object type in the cycle"));
        }
        let result = self.ty_uncached(loc, hint);
        self.active.remove(loc);
        let ty = result?;
        self.cache.insert(loc.clone(), ty.clone());
        Ok(ty)
    }

    fn ty_uncached(&mut self, loc: &Loc, hint: &str) -> Result<TypeRef, Error> {
        let Some(obj) = self.shapes.object_at(loc)? else { return Ok(TypeRef::Value) };
        let name = self.name_for(loc, obj, hint);
        match self.shapes.shape(loc, obj, 0)? {
            Shape::Ref(reference) => {
                let target = self.reg.resolve(loc, &reference)?;
                self.ty(&target, &name)
            }
            Shape::AllOfOne(member) => self.ty(&member, &name),
            Shape::Any => Ok(TypeRef::Value),
            Shape::StringEnum { values, nullable } => self.string_enum(loc, obj, &name, values, nullable),
            Shape::Tagged { tag, members } => self.tagged_enum(loc, obj, &name, tag, members),
            Shape::Typed { prims, nullable } => match prims.as_slice() {
                [] => Ok(TypeRef::Unit),
                [prim] => self.single(loc, obj, *prim, &name, nullable, true),
                _ => self.untagged_prims(loc, obj, &name, &prims, nullable),
            },
            Shape::Union { members, nullable } => match members.as_slice() {
                [member] => Ok(wrap(self.ty(member, &name)?, nullable)),
                _ => self.untagged_members(loc, obj, &name, &members, nullable),
            },
        }
    }

    /// The type name for a schema: its title, its `$defs` key, its file
    /// name, or else `hint`.
    fn name_for(&self, loc: &Loc, obj: &Map<String, Value>, hint: &str) -> String {
        let title = obj.get("title").and_then(Value::as_str).and_then(naming::type_name);
        let key = || match loc.last_two() {
            Some((parent, key)) if parent == "$defs" || parent == "definitions" => naming::type_name(&key),
            _ => None,
        };
        let file = || if loc.ptr.is_empty() { naming::type_name(self.reg.stem(loc.doc)) } else { None };
        title.or_else(key).or_else(file).unwrap_or_else(|| hint.to_owned())
    }

    /// Claims `name` for the type defined at `loc`.
    fn claim(&mut self, loc: &Loc, name: &str, kind: NamedKind) -> Result<String, Error> {
        if name.is_empty() || !naming::is_ident(name) {
            return Err(self.err(loc, ErrorKind::InvalidName, "cannot name this type: give the schema a `title`"));
        }
        if RESERVED_NAMES.contains(&name) {
            return Err(self.err(loc, ErrorKind::InvalidName, format!("type name `{name}` would shadow std's `{name}`")));
        }
        if let Some((other, _)) = self.names.get(name) {
            let other = self.reg.describe(other);
            return Err(self.err(loc, ErrorKind::NameCollision, format!("type name `{name}` is also wanted by {other}")));
        }
        self.names.insert(name.to_owned(), (loc.clone(), kind));
        Ok(name.to_owned())
    }

    fn define(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, kind: Kind) {
        let doc = obj.get("description").and_then(Value::as_str).map(str::to_owned);
        let origin = self.reg.describe(loc);
        self.defs.insert(name.to_owned(), TypeDef { name: name.to_owned(), doc, origin, kind });
    }

    fn string_enum(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, values: Vec<String>, nullable: bool) -> Result<TypeRef, Error> {
        let name = self.claim(loc, name, NamedKind::StringEnum)?;
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut variants = Vec::new();
        for value in values {
            let ident = naming::variant_name(&value);
            if let Some(other) = seen.insert(ident.clone(), value.clone()) {
                let message = format!("enum values `{other}` and `{value}` both become variant `{ident}`");
                return Err(self.err(loc, ErrorKind::NameCollision, message));
            }
            variants.push(EnumVariant { ident, value });
        }
        self.define(loc, obj, &name, Kind::StringEnum(variants));
        Ok(wrap(TypeRef::Named(name), nullable))
    }

    fn tagged_enum(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, tag: String, members: Vec<(Loc, String)>) -> Result<TypeRef, Error> {
        let name = self.claim(loc, name, NamedKind::Enum)?;
        self.cache.insert(loc.clone(), TypeRef::Named(name.clone()));
        let mut variants = Vec::new();
        for (target, value) in members {
            self.tag_targets.insert((target.clone(), tag.clone()));
            let hint = format!("{name}{}", naming::variant_name(&value));
            let ty = self.ty(&target, &hint)?;
            let ident = match &ty {
                TypeRef::Named(n) if self.names.get(n).is_some_and(|(_, k)| *k == NamedKind::Struct) => n.clone(),
                _ => return Err(self.err(&target, ErrorKind::Internal, "a tagged union member is not a struct")),
            };
            variants.push(TaggedVariant { ident, value, ty });
        }
        self.define(loc, obj, &name, Kind::Tagged { tag, variants });
        Ok(TypeRef::Named(name))
    }

    /// A schema with one non-null `type`. `cache_loc`: whether a struct made
    /// here is the type of `loc` (not one variant of a multi-type union).
    fn single(&mut self, loc: &Loc, obj: &Map<String, Value>, prim: Prim, name: &str, nullable: bool, cache_loc: bool) -> Result<TypeRef, Error> {
        let ty = match prim {
            Prim::Bool => TypeRef::Bool,
            Prim::Integer => TypeRef::Integer,
            Prim::Number => TypeRef::Number,
            Prim::String => TypeRef::String,
            Prim::Array => TypeRef::Vec(Box::new(self.items(loc, obj, name)?)),
            Prim::Object => return self.object(loc, obj, name, nullable, cache_loc),
        };
        Ok(wrap(ty, nullable))
    }

    fn items(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str) -> Result<TypeRef, Error> {
        if obj.contains_key("prefixItems") {
            return Ok(TypeRef::Value);
        }
        match obj.get("items") {
            None | Some(Value::Bool(_)) => Ok(TypeRef::Value),
            Some(Value::Object(_)) => self.ty(&loc.child("items"), &format!("{name}Item")),
            Some(_) => Err(self.err(&loc.child("items"), ErrorKind::Unsupported, "`items` must be a schema (for tuples, use `prefixItems`)")),
        }
    }

    fn object(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, nullable: bool, cache_loc: bool) -> Result<TypeRef, Error> {
        let props = match obj.get("properties") {
            None => None,
            Some(Value::Object(props)) if props.is_empty() => None,
            Some(Value::Object(props)) => Some(props),
            Some(_) => return Err(self.err(&loc.child("properties"), ErrorKind::Unsupported, "`properties` must be an object")),
        };
        let pattern = matches!(obj.get("patternProperties"), Some(Value::Object(p)) if !p.is_empty());
        let additional = match obj.get("additionalProperties") {
            _ if pattern => None,
            None | Some(Value::Bool(true)) => None,
            Some(Value::Bool(false)) => Some(false),
            Some(Value::Object(_)) => Some(true),
            Some(_) => {
                let at = loc.child("additionalProperties");
                return Err(self.err(&at, ErrorKind::Unsupported, "`additionalProperties` must be a schema"));
            }
        };
        let Some(props) = props else {
            return Ok(wrap(
                match additional {
                    Some(true) => TypeRef::BTreeMap(Box::new(self.ty(&loc.child("additionalProperties"), &format!("{name}Value"))?)),
                    _ => TypeRef::Map,
                },
                nullable,
            ));
        };
        let name = self.claim(loc, name, NamedKind::Struct)?;
        if cache_loc {
            self.cache.insert(loc.clone(), wrap(TypeRef::Named(name.clone()), nullable));
        }
        let extra = match additional {
            None => Extra::Open,
            Some(false) => Extra::Closed,
            Some(true) => Extra::Typed(self.ty(&loc.child("additionalProperties"), &format!("{name}Value"))?),
        };
        let fields = self.fields(loc, obj, props, &name, extra != Extra::Closed)?;
        self.define(loc, obj, &name, Kind::Struct(Struct { fields, extra, default: false }));
        Ok(wrap(TypeRef::Named(name), nullable))
    }

    fn fields(&mut self, loc: &Loc, obj: &Map<String, Value>, props: &Map<String, Value>, name: &str, has_extra: bool) -> Result<Vec<Field>, Error> {
        let required: HashSet<&str> = match obj.get("required") {
            Some(Value::Array(keys)) => keys.iter().filter_map(Value::as_str).collect(),
            _ => HashSet::new(),
        };
        let mut keys: Vec<&String> = props.keys().collect();
        keys.sort();
        let mut idents: HashMap<String, String> = HashMap::new();
        let mut fields = Vec::new();
        for key in keys {
            if self.skip.contains(&(loc.clone(), key.clone())) || props.get(key) == Some(&Value::Bool(false)) {
                continue;
            }
            let at = loc.child("properties").child(key);
            let Some(ident) = naming::field_name(key) else {
                return Err(self.err(&at, ErrorKind::InvalidName, format!("cannot make a Rust field name from key `{key}`")));
            };
            if has_extra && ident == "extra" {
                let message = format!("key `{key}` would become field `extra`, which keeps the keys not listed");
                return Err(self.err(&at, ErrorKind::NameCollision, message));
            }
            if let Some(other) = idents.insert(ident.clone(), key.clone()) {
                let message = format!("keys `{other}` and `{key}` both become field `{ident}`");
                return Err(self.err(&at, ErrorKind::NameCollision, message));
            }
            let hint = format!("{name}{}", naming::pascal(key));
            let ty = self.ty(&at, &hint)?;
            let doc = self.doc_of(&at);
            fields.push(Field { ident, key: key.clone(), doc, ty, required: required.contains(key.as_str()) });
        }
        Ok(fields)
    }

    /// A field's doc: its `description`, or that of the schema it refers to.
    fn doc_of(&self, loc: &Loc) -> Option<String> {
        let mut at = loc.clone();
        for _ in 0..MAX_DEPTH {
            let obj = self.reg.get(&at)?.as_object()?;
            if let Some(description) = obj.get("description").and_then(Value::as_str) {
                return Some(description.to_owned());
            }
            at = self.reg.resolve(&at, obj.get("$ref")?.as_str()?).ok()?;
        }
        None
    }

    fn untagged_prims(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, prims: &[Prim], nullable: bool) -> Result<TypeRef, Error> {
        let name = self.claim(loc, name, NamedKind::Enum)?;
        self.cache.insert(loc.clone(), wrap(TypeRef::Named(name.clone()), nullable));
        let mut variants = Vec::new();
        for &prim in prims {
            let hint = format!("{name}{}", prim.variant());
            let ty = self.single(loc, obj, prim, &hint, false, false)?;
            variants.push(UntaggedVariant { ident: prim.variant().to_owned(), ty });
        }
        self.define(loc, obj, &name, Kind::Untagged(variants));
        Ok(wrap(TypeRef::Named(name), nullable))
    }

    fn untagged_members(&mut self, loc: &Loc, obj: &Map<String, Value>, name: &str, members: &[Loc], mut nullable: bool) -> Result<TypeRef, Error> {
        let name = self.claim(loc, name, NamedKind::Enum)?;
        self.cache.insert(loc.clone(), wrap(TypeRef::Named(name.clone()), nullable));
        let mut variants: Vec<(u8, UntaggedVariant)> = Vec::new();
        for (i, member) in members.iter().enumerate() {
            let hint = format!("{name}Variant{}", i + 1);
            let mut ty = self.ty(member, &hint)?;
            if let TypeRef::Option(inner) = ty {
                nullable = true;
                ty = *inner;
            }
            let (ident, rank) = self.variant_of(&ty);
            if variants.iter().any(|(_, v)| v.ident == ident) {
                let message = format!("two members of this union are `{ident}`; cannot tell them apart");
                return Err(self.err(member, ErrorKind::Unsupported, message));
            }
            variants.push((rank, UntaggedVariant { ident, ty }));
        }
        variants.sort_by_key(|(rank, _)| *rank);
        let variants = variants.into_iter().map(|(_, v)| v).collect();
        self.define(loc, obj, &name, Kind::Untagged(variants));
        Ok(wrap(TypeRef::Named(name), nullable))
    }

    /// Variant name and matching rank (bool, numbers, strings, arrays,
    /// objects, anything) of a union member's type.
    fn variant_of(&self, ty: &TypeRef) -> (String, u8) {
        let (ident, rank) = match ty {
            TypeRef::Unit => ("Null", 0),
            TypeRef::Bool => ("Bool", 1),
            TypeRef::Integer => ("Integer", 2),
            TypeRef::Number => ("Number", 3),
            TypeRef::String => ("String", 4),
            TypeRef::Vec(_) => ("Array", 5),
            TypeRef::Map | TypeRef::BTreeMap(_) => ("Object", 6),
            TypeRef::Value => ("Value", 7),
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => return self.variant_of(inner),
            TypeRef::Named(name) => {
                let rank = match self.names.get(name) {
                    Some((_, NamedKind::StringEnum)) => 4,
                    _ => 6,
                };
                return (name.clone(), rank);
            }
        };
        (ident.to_owned(), rank)
    }
}

fn wrap(ty: TypeRef, nullable: bool) -> TypeRef {
    if nullable { ty.nullable() } else { ty }
}
