//! Schemas -> the check model: resolves `$ref`s, gives every schema location that checks
//! anything one node (a `$ref` alone is its target, `true` and annotation-only schemas are
//! `Always`), and refuses keywords it does not implement.

use super::model::{Check, Literal, Node, Program, Target, Type};
use crate::naming;
use crate::registry::{Loc, Registry};
use crate::{Error, ErrorKind};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Keywords that do not change validity (`format` is an annotation in 2020-12).
const ANNOTATIONS: &[&str] =
    &["$schema", "$id", "$defs", "$comment", "title", "description", "format", "examples", "default", "deprecated", "readOnly", "writeOnly"];

/// Keywords this generator implements.
const CHECKED: &[&str] =
    &["type", "const", "enum", "pattern", "minLength", "properties", "required", "additionalProperties", "items", "allOf", "anyOf", "oneOf", "$ref"];

/// The one pattern supported, and what it means.
const NON_BLANK_PATTERN: &str = "\\S";

/// At most this many required keys per object (a bit each in a `u64`).
const MAX_REQUIRED: usize = 64;

pub(super) fn compile(reg: &Registry, roots: &[(String, String)]) -> Result<Program, Error> {
    let mut compiler = Compiler { reg, program: Program::default(), cache: HashMap::new(), resolving: HashSet::new(), names: HashSet::new() };
    for (name, _) in roots {
        if !naming::is_ident(name) || name.starts_with("r#") {
            return Err(Error::new(ErrorKind::InvalidName, "", "", format!("root name `{name}` is not a Rust identifier")));
        }
        if !compiler.names.insert(name.clone()) {
            return Err(Error::new(ErrorKind::NameCollision, "", "", format!("two roots are named `{name}`")));
        }
    }
    for (name, reference) in roots {
        let loc = reg.lookup(reference)?;
        let origin = reg.describe(&loc);
        let target = compiler.target(&loc)?;
        compiler.program.roots.push((name.clone(), target, origin));
    }
    Ok(compiler.program)
}

struct Compiler<'r> {
    reg: &'r Registry,
    program: Program,
    /// The target of every location compiled so far.
    cache: HashMap<Loc, Target>,
    /// `$ref`-only locations being resolved (a cycle of them checks nothing: an error).
    resolving: HashSet<Loc>,
    /// Function names taken.
    names: HashSet<String>,
}

impl Compiler<'_> {
    fn target(&mut self, loc: &Loc) -> Result<Target, Error> {
        if let Some(target) = self.cache.get(loc) {
            return Ok(*target);
        }
        let map = match self.reg.get(loc) {
            Some(Value::Bool(true)) => return Ok(Target::Always),
            Some(Value::Bool(false)) => return Ok(Target::Never),
            Some(Value::Object(map)) => map,
            Some(_) => return Err(self.reg.error(loc, ErrorKind::Unsupported, "a schema must be a JSON object or a boolean")),
            None => return Err(Error::internal(format!("no schema at {}", self.reg.describe(loc)))),
        };
        for key in map.keys() {
            if !CHECKED.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) {
                return Err(self.reg.error(&loc.child(key), ErrorKind::Unsupported, format!("the validator generator does not implement `{key}`")));
            }
        }
        if map.contains_key("$id") && !loc.ptr.is_empty() {
            return Err(self.reg.error(&loc.child("$id"), ErrorKind::Unsupported, "`$id` is supported only at the root of a file"));
        }
        let checked: Vec<&str> = map.keys().map(String::as_str).filter(|k| CHECKED.contains(k)).collect();
        if checked.is_empty() {
            self.cache.insert(loc.clone(), Target::Always);
            return Ok(Target::Always);
        }
        if checked == ["$ref"] {
            // A bare reference is its target: no function of its own.
            if !self.resolving.insert(loc.clone()) {
                return Err(self.reg.error(loc, ErrorKind::Unsupported, "a cycle of `$ref`s that checks nothing"));
            }
            let target = self.reference(loc, map)?;
            self.resolving.remove(loc);
            self.cache.insert(loc.clone(), target);
            return Ok(target);
        }
        let id = self.program.nodes.len();
        let name = self.name(loc);
        self.program.nodes.push(Node { name, origin: self.reg.describe(loc), checks: Vec::new() });
        self.cache.insert(loc.clone(), Target::Node(id));
        let checks = self.checks(loc, map)?;
        self.program.nodes[id].checks = checks;
        Ok(Target::Node(id))
    }

    /// The checks of a schema object, cheap ones first.
    fn checks(&mut self, loc: &Loc, map: &Map<String, Value>) -> Result<Vec<Check>, Error> {
        let mut checks = Vec::new();
        if let Some(types) = map.get("type") {
            checks.push(Check::Types(self.types(&loc.child("type"), types)?));
        }
        if let Some(value) = map.get("const") {
            checks.push(Check::Const(self.literal(&loc.child("const"), value)?));
        }
        if let Some(values) = map.get("enum") {
            let at = loc.child("enum");
            let Value::Array(values) = values else { return Err(self.reg.error(&at, ErrorKind::Unsupported, "`enum` must be an array")) };
            let literals = values.iter().enumerate().map(|(i, v)| self.literal(&at.child(&i.to_string()), v)).collect::<Result<_, _>>()?;
            checks.push(Check::Enum(literals));
        }
        if let Some(pattern) = map.get("pattern") {
            if pattern.as_str() != Some(NON_BLANK_PATTERN) {
                return Err(self.reg.error(
                    &loc.child("pattern"),
                    ErrorKind::Unsupported,
                    format!("only the pattern `{NON_BLANK_PATTERN}` is supported, not {pattern}"),
                ));
            }
            checks.push(Check::NonBlank);
        }
        if let Some(min) = map.get("minLength") {
            let min =
                min.as_u64().ok_or_else(|| self.reg.error(&loc.child("minLength"), ErrorKind::Unsupported, "`minLength` must be a non-negative integer"))?;
            checks.push(Check::MinLength(min));
        }
        if ["properties", "required", "additionalProperties"].iter().any(|k| map.contains_key(*k)) {
            checks.push(self.object(loc, map)?);
        }
        if map.contains_key("items") {
            checks.push(Check::Items(self.target(&loc.child("items"))?));
        }
        if map.contains_key("$ref") {
            checks.push(Check::Ref(self.reference(loc, map)?));
        }
        for (key, make) in [("allOf", Check::AllOf as fn(Vec<Target>) -> Check), ("anyOf", Check::AnyOf), ("oneOf", Check::OneOf)] {
            if let Some(branches) = map.get(key) {
                let at = loc.child(key);
                let Value::Array(branches) = branches else {
                    return Err(self.reg.error(&at, ErrorKind::Unsupported, format!("`{key}` must be an array")));
                };
                let targets = (0..branches.len()).map(|i| self.target(&at.child(&i.to_string()))).collect::<Result<_, _>>()?;
                checks.push(make(targets));
            }
        }
        Ok(checks)
    }

    fn reference(&mut self, loc: &Loc, map: &Map<String, Value>) -> Result<Target, Error> {
        let Some(Value::String(reference)) = map.get("$ref") else {
            return Err(self.reg.error(&loc.child("$ref"), ErrorKind::Unsupported, "`$ref` must be a string"));
        };
        let resolved = self.reg.resolve(loc, reference)?;
        self.target(&resolved)
    }

    fn object(&mut self, loc: &Loc, map: &Map<String, Value>) -> Result<Check, Error> {
        let mut properties = Vec::new();
        if let Some(props) = map.get("properties") {
            let at = loc.child("properties");
            let Value::Object(props) = props else { return Err(self.reg.error(&at, ErrorKind::Unsupported, "`properties` must be an object")) };
            for key in props.keys() {
                properties.push((key.clone(), self.target(&at.child(key))?));
            }
        }
        let mut required = Vec::new();
        if let Some(keys) = map.get("required") {
            let at = loc.child("required");
            let keys = keys.as_array().filter(|k| k.iter().all(Value::is_string));
            let Some(keys) = keys else { return Err(self.reg.error(&at, ErrorKind::Unsupported, "`required` must be an array of strings")) };
            for key in keys.iter().filter_map(Value::as_str) {
                if !required.iter().any(|k| k == key) {
                    required.push(key.to_owned());
                }
            }
            if required.len() > MAX_REQUIRED {
                return Err(self.reg.error(&at, ErrorKind::Unsupported, format!("at most {MAX_REQUIRED} required keys are supported")));
            }
        }
        let additional = if map.contains_key("additionalProperties") { self.target(&loc.child("additionalProperties"))? } else { Target::Always };
        Ok(Check::Object { properties, required, additional })
    }

    fn types(&self, at: &Loc, value: &Value) -> Result<Vec<Type>, Error> {
        let names: Vec<&Value> = match value {
            Value::Array(names) => names.iter().collect(),
            one => vec![one],
        };
        let mut types = Vec::new();
        for name in names {
            let t = match name.as_str() {
                Some("null") => Type::Null,
                Some("boolean") => Type::Boolean,
                Some("integer") => Type::Integer,
                Some("number") => Type::Number,
                Some("string") => Type::String,
                Some("array") => Type::Array,
                Some("object") => Type::Object,
                _ => return Err(self.reg.error(at, ErrorKind::Unsupported, format!("{name} is not a JSON Schema type"))),
            };
            if !types.contains(&t) {
                types.push(t);
            }
        }
        types.sort();
        Ok(types)
    }

    fn literal(&self, at: &Loc, value: &Value) -> Result<Literal, Error> {
        match value {
            Value::String(s) => Ok(Literal::String(s.clone())),
            Value::Bool(b) => Ok(Literal::Bool(*b)),
            Value::Null => Ok(Literal::Null),
            _ => Err(self.reg.error(at, ErrorKind::Unsupported, format!("only string, boolean and null constants are supported, not {value}"))),
        }
    }

    /// A function name from the location: the file's stem and the pointer's tokens, in
    /// snake case (`track_properties_event`; a file's root is `track_schema`).
    fn name(&mut self, loc: &Loc) -> String {
        let mut words = vec![naming::snake(self.reg.stem(loc.doc))];
        if loc.ptr.is_empty() {
            words.push("schema".to_owned());
        }
        for token in cdpspec_plan::pointer::tokens(&loc.ptr) {
            let word = naming::snake(if token == "$defs" { "defs" } else { &token });
            if !word.is_empty() {
                words.push(word);
            }
        }
        let mut base = words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_");
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("schema_{base}");
        }
        let mut name = base.clone();
        let mut n = 2;
        while !naming::is_ident(&name) || name.starts_with("r#") || self.names.contains(&name) || is_keyword(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.names.insert(name.clone());
        name
    }
}

fn is_keyword(name: &str) -> bool {
    naming::field_name(name).is_some_and(|f| f != name)
}
