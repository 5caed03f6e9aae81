//! Schema classification: what Rust shape a schema has (a `$ref`, a string
//! enum, one or more JSON types, a union, a tagged union, anything), decided
//! from its keywords before anything is converted.
//!
//! Keywords that only constrain values (`allOf`, `not`, `if`, `format`,
//! `minLength`, ... and `oneOf`/`anyOf` next to `type` or `properties`)
//! never change the shape. A `oneOf`/`anyOf` of `$ref`s to object schemas
//! that share a property with a distinct `const` string each is a tagged
//! union.

use crate::registry::{Loc, Registry};
use crate::{Error, ErrorKind};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How deep `$ref` chains and nested shape checks may go.
pub(crate) const MAX_DEPTH: usize = 64;

/// JSON Schema's non-null primitive types, in untagged matching order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Prim {
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
            Self::Bool => "Bool",
            Self::Integer => "Integer",
            Self::Number => "Number",
            Self::String => "String",
            Self::Array => "Array",
            Self::Object => "Object",
        }
    }
}

/// A tagged union's tag property and its members: (struct location, tag
/// value).
pub(crate) type Tagging = (String, Vec<(Loc, String)>);

/// What a schema is, before anything is converted.
#[derive(Debug)]
pub(crate) enum Shape {
    Ref(String),
    Tagged {
        tag: String,
        members: Vec<(Loc, String)>,
    },
    StringEnum {
        values: Vec<String>,
        nullable: bool,
    },
    /// From `type` (or implied by `properties`); empty `prims` = only null.
    Typed {
        prims: Vec<Prim>,
        nullable: bool,
    },
    /// `oneOf`/`anyOf` without `type`: the non-null members.
    Union {
        members: Vec<Loc>,
        nullable: bool,
    },
    /// `allOf` with one member and nothing else typing the schema.
    AllOfOne(Loc),
    Any,
}

/// Classifies schemas: what each one is, before anything is converted.
pub(crate) struct Shapes<'r> {
    reg: &'r Registry,
}

impl<'r> Shapes<'r> {
    pub fn new(reg: &'r Registry) -> Self {
        Self { reg }
    }

    fn err(&self, loc: &Loc, kind: ErrorKind, message: impl Into<String>) -> Error {
        self.reg.error(loc, kind, message)
    }

    pub fn object_at(&self, loc: &Loc) -> Result<Option<&'r Map<String, Value>>, Error> {
        match self.reg.get(loc) {
            Some(Value::Object(map)) => Ok(Some(map)),
            Some(Value::Bool(_)) => Ok(None),
            Some(_) => Err(self.err(loc, ErrorKind::Unsupported, "a schema must be a JSON object or a boolean")),
            None => Err(self.err(loc, ErrorKind::Internal, "no schema at this location")),
        }
    }

    /// Whether the schema at `loc` becomes a named type of its own.
    pub fn defines_type(&self, loc: &Loc) -> Result<bool, Error> {
        let Some(obj) = self.object_at(loc)? else { return Ok(false) };
        Ok(match self.shape(loc, obj, 0)? {
            Shape::Tagged { .. } | Shape::StringEnum { .. } => true,
            Shape::Typed { prims, .. } => prims.len() > 1 || (prims == [Prim::Object] && has_properties(obj)),
            Shape::Union { members, .. } => members.len() > 1,
            Shape::Ref(_) | Shape::AllOfOne(_) | Shape::Any => false,
        })
    }

    pub fn shape(&self, loc: &Loc, obj: &Map<String, Value>, depth: usize) -> Result<Shape, Error> {
        if let Some(reference) = obj.get("$ref") {
            return match reference {
                Value::String(r) => Ok(Shape::Ref(r.clone())),
                _ => Err(self.err(&loc.child("$ref"), ErrorKind::Unsupported, "`$ref` must be a string")),
            };
        }
        for key in ["$dynamicRef", "$recursiveRef"] {
            if obj.contains_key(key) {
                return Err(self.err(&loc.child(key), ErrorKind::Unsupported, format!("`{key}` is not supported")));
            }
        }
        for key in ["oneOf", "anyOf"] {
            if let Some((tag, members)) = self.tagged(loc, obj, key, depth)? {
                return Ok(Shape::Tagged { tag, members });
            }
        }
        let types = self.types(loc, obj)?;
        if let Some(shape) = string_enum(obj, types.as_ref()) {
            return Ok(shape);
        }
        if let Some((prims, nullable)) = types {
            return Ok(Shape::Typed { prims, nullable });
        }
        let object_keywords = ["properties", "additionalProperties", "patternProperties"];
        if object_keywords.iter().any(|k| obj.contains_key(*k)) {
            return Ok(Shape::Typed { prims: vec![Prim::Object], nullable: false });
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(items)) = obj.get(key) {
                let mut members = Vec::new();
                let mut nullable = false;
                for i in 0..items.len() {
                    let member = loc.child(key).child(&i.to_string());
                    if items.get(i).is_some_and(is_null_schema) {
                        nullable = true;
                    } else {
                        members.push(member);
                    }
                }
                if members.is_empty() {
                    return Ok(Shape::Typed { prims: Vec::new(), nullable });
                }
                return Ok(Shape::Union { members, nullable });
            }
        }
        if let Some(Value::Array(items)) = obj.get("allOf")
            && items.len() == 1
        {
            return Ok(Shape::AllOfOne(loc.child("allOf").child("0")));
        }
        Ok(Shape::Any)
    }

    /// Parses `type`: the non-null primitives (sorted, deduplicated) and
    /// whether `null` is allowed. `None` without `type`.
    fn types(&self, loc: &Loc, obj: &Map<String, Value>) -> Result<Option<(Vec<Prim>, bool)>, Error> {
        let at = loc.child("type");
        let names: Vec<&Value> = match obj.get("type") {
            None => return Ok(None),
            Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
            Some(single @ Value::String(_)) => vec![single],
            Some(_) => {
                return Err(self.err(&at, ErrorKind::Unsupported, "`type` must be a string or a non-empty array of strings"));
            }
        };
        let mut prims = BTreeSet::new();
        let mut nullable = false;
        for name in names {
            match name.as_str() {
                Some("null") => nullable = true,
                Some("boolean") => drop(prims.insert(Prim::Bool)),
                Some("integer") => drop(prims.insert(Prim::Integer)),
                Some("number") => drop(prims.insert(Prim::Number)),
                Some("string") => drop(prims.insert(Prim::String)),
                Some("array") => drop(prims.insert(Prim::Array)),
                Some("object") => drop(prims.insert(Prim::Object)),
                _ => return Err(self.err(&at, ErrorKind::Unsupported, format!("unknown `type` value {name}"))),
            }
        }
        Ok(Some((prims.into_iter().collect(), nullable)))
    }

    /// A `oneOf`/`anyOf` of `$ref`s to object schemas that share a property
    /// with a distinct `const` string each: the tag and (struct location,
    /// tag value) per member.
    fn tagged(&self, loc: &Loc, obj: &Map<String, Value>, key: &str, depth: usize) -> Result<Option<Tagging>, Error> {
        let Some(Value::Array(items)) = obj.get(key) else { return Ok(None) };
        if items.is_empty() || depth > MAX_DEPTH {
            return Ok(None);
        }
        let mut targets = Vec::new();
        let mut consts: Option<BTreeMap<String, Vec<String>>> = None;
        for i in 0..items.len() {
            let member = loc.child(key).child(&i.to_string());
            let Some(target) = self.follow_refs(&member)? else { return Ok(None) };
            let Some(target_obj) = self.object_at(&target)? else { return Ok(None) };
            let is_struct = matches!(
                self.shape(&target, target_obj, depth + 1)?,
                Shape::Typed { ref prims, nullable: false } if prims == &[Prim::Object]
            ) && has_properties(target_obj);
            if !is_struct {
                return Ok(None);
            }
            let own: BTreeMap<String, String> = match target_obj.get("properties") {
                Some(Value::Object(props)) => props.iter().filter_map(|(k, v)| Some((k.clone(), v.get("const")?.as_str()?.to_owned()))).collect(),
                _ => BTreeMap::new(),
            };
            consts = Some(match consts {
                None => own.into_iter().map(|(k, v)| (k, vec![v])).collect(),
                Some(mut acc) => {
                    acc.retain(|k, _| own.contains_key(k));
                    for (k, values) in &mut acc {
                        values.extend(own.get(k).cloned());
                    }
                    acc
                }
            });
            targets.push(target);
        }
        let chosen = consts.into_iter().flatten().find(|(_, values)| {
            let distinct: BTreeSet<&String> = values.iter().collect();
            distinct.len() == values.len()
        });
        Ok(chosen.map(|(tag, values)| (tag, targets.into_iter().zip(values).collect())))
    }

    /// If `loc` is a bare `$ref` (nothing else but annotations), where the
    /// chain of such refs ends.
    fn follow_refs(&self, loc: &Loc) -> Result<Option<Loc>, Error> {
        let mut at = loc.clone();
        for _ in 0..MAX_DEPTH {
            let Some(obj) = self.object_at(&at)? else { return Ok(None) };
            let Some(Value::String(reference)) = obj.get("$ref") else {
                return Ok((at != *loc).then_some(at));
            };
            let annotations_only = obj.keys().all(|k| matches!(k.as_str(), "$ref" | "description" | "title" | "$comment"));
            if !annotations_only {
                return Ok(None);
            }
            at = self.reg.resolve(&at, reference)?;
        }
        Ok(None)
    }
}

pub(crate) fn has_properties(obj: &Map<String, Value>) -> bool {
    matches!(obj.get("properties"), Some(Value::Object(p)) if !p.is_empty())
}

/// `{"type": "null"}`, `{"const": null}` or `{"enum": [null]}`.
fn is_null_schema(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else { return false };
    match (obj.get("type"), obj.get("const"), obj.get("enum")) {
        (Some(Value::String(t)), _, _) => t == "null",
        (Some(Value::Array(ts)), _, _) => ts.iter().all(|t| t == "null"),
        (None, Some(Value::Null), _) => true,
        (None, None, Some(Value::Array(values))) => !values.is_empty() && values.iter().all(Value::is_null),
        _ => false,
    }
}

/// An `enum` of strings (maybe with `null`) or a `const` string, when
/// `type` is absent or `string`.
fn string_enum(obj: &Map<String, Value>, types: Option<&(Vec<Prim>, bool)>) -> Option<Shape> {
    let type_ok = types.is_none_or(|(prims, _)| prims == &[Prim::String]);
    let type_nullable = types.is_none_or(|(_, nullable)| *nullable);
    if !type_ok {
        return None;
    }
    if let Some(Value::Array(values)) = obj.get("enum") {
        let mut strings: Vec<String> = Vec::new();
        let mut has_null = false;
        for value in values {
            match value {
                Value::String(s) if !strings.contains(s) => strings.push(s.clone()),
                Value::String(_) => {}
                Value::Null => has_null = true,
                _ => return None,
            }
        }
        return (!strings.is_empty()).then_some(Shape::StringEnum { values: strings, nullable: has_null && type_nullable });
    }
    match obj.get("const") {
        Some(Value::String(value)) => Some(Shape::StringEnum { values: vec![value.clone()], nullable: false }),
        _ => None,
    }
}
