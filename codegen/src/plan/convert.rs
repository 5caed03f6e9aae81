//! Plan -> [`Module`]: checks that every event, version and traits section can be generated
//! exactly, names the types, and decides per schema how its Rust type gets the plan's schema
//! back (derived from the type, derived plus `#[schemars(...)]` attributes, or given verbatim).

use std::collections::{BTreeMap, BTreeSet};

use cdpspec_plan::{Plan, Pointer, Rule, Section};
use serde_json::{Map, Value};

use super::model::{EnumDef, EventAttrs, Extend, Extra, FieldDef, FieldSchema, Item, Module, Prim, StructDef, Ty, UnionDef, Validation};
use super::schema::{self, OPTION_UNSAFE, doc_safe};
use crate::{Error, ErrorKind, naming};

/// Type names the generated code uses unqualified, or defines itself.
const RESERVED: &[&str] = &["Option", "String", "Vec", "Box", "Result", "Default", super::PLAN_ENUM];

pub(super) fn convert(plan: &Plan, source: &str) -> Result<Module, Error> {
    let mut cx = Cx { source, names: BTreeMap::new(), module: Module::default(), raw_names: BTreeSet::new() };
    cx.plan(plan)?;
    Ok(cx.module)
}

/// How a schema's Rust type gets the schema back.
#[derive(Debug)]
enum How {
    /// From the named type alone. `option_safe`: also inside an `Option` (see [`OPTION_UNSAFE`]).
    Named { option_safe: bool },
    /// From a standard type plus attributes on the field.
    Attrs { validation: Validation, extend: Extend },
    /// Only given verbatim (`schema_with`).
    Raw,
}

/// A schema's Rust type.
#[derive(Debug)]
struct Conv {
    /// The type without the `Option` that `null` adds.
    base: Ty,
    /// Whether the schema allows `null` and `base` cannot hold it.
    nullable: bool,
    how: How,
}

impl Conv {
    fn raw(base: Ty, nullable: bool) -> Self {
        let nullable = nullable && base != Ty::Value;
        Conv { base, nullable, how: How::Raw }
    }

    /// The type with its `Option` for `null`.
    fn ty(&self) -> Ty {
        if self.nullable { self.base.clone().option() } else { self.base.clone() }
    }
}

struct Cx<'a> {
    source: &'a str,
    /// Every claimed type name and the plan location that wants it.
    names: BTreeMap<String, String>,
    module: Module,
    raw_names: BTreeSet<String>,
}

impl Cx<'_> {
    fn err(&self, pointer: &Pointer, kind: ErrorKind, message: impl Into<String>) -> Error {
        Error::new(kind, self.source, pointer.as_str(), message)
    }

    fn unsupported(&self, pointer: &Pointer, message: impl Into<String>) -> Error {
        self.err(pointer, ErrorKind::Unsupported, message)
    }

    fn claim(&mut self, name: &str, pointer: &Pointer) -> Result<String, Error> {
        if !naming::is_ident(name) {
            return Err(self.err(pointer, ErrorKind::InvalidName, format!("cannot make a Rust type name from `{name}`")));
        }
        if RESERVED.contains(&name) {
            let message = format!("type name `{name}` is reserved by the generated code (`{}` is the plan enum)", super::PLAN_ENUM);
            return Err(self.err(pointer, ErrorKind::NameCollision, message));
        }
        if let Some(other) = self.names.get(name) {
            let message = format!("type name `{name}` is also wanted by {}#{other}", self.source);
            return Err(self.err(pointer, ErrorKind::NameCollision, message));
        }
        self.names.insert(name.to_owned(), pointer.to_string());
        Ok(name.to_owned())
    }

    fn plan(&mut self, plan: &Plan) -> Result<(), Error> {
        if plan.name.trim().is_empty() {
            return Err(self.unsupported(&Pointer::root().join("name"), "the plan needs a name: `#[plan(name = ...)]` of the generated enum requires one"));
        }
        self.module.plan_name = plan.name.clone();
        self.module.plan_version = plan.version.clone();
        self.module.plan_description = plan.description.clone();
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, event) in plan.events.iter().enumerate() {
            let at = Pointer::root().join("events").join_index(i);
            if let Some(first) = seen.insert(&event.name, i) {
                return Err(self.unsupported(&at.join("name"), format!("event `{}` is also /events/{first}", event.name)));
            }
            self.event(event, &at)?;
        }
        if let Some(rule) = &plan.identify {
            self.module.identify = Some(self.traits(rule, &Pointer::root().join("identify"), "IdentifyTraits")?);
        }
        if let Some(rule) = &plan.group {
            self.module.group = Some(self.traits(rule, &Pointer::root().join("group"), "GroupTraits")?);
        }
        Ok(())
    }

    fn event(&mut self, event: &cdpspec_plan::Event, at: &Pointer) -> Result<(), Error> {
        if event.name.trim().is_empty() {
            return Err(self.unsupported(&at.join("name"), "an event name must not be empty or blank"));
        }
        let Some(base) = naming::type_name(&event.name) else {
            return Err(self.err(&at.join("name"), ErrorKind::InvalidName, format!("cannot make a Rust type name from event `{}`", event.name)));
        };
        if let Some(description) = &event.description
            && description.trim_ascii_start().starts_with('#')
        {
            let message = "an event description becomes the type's doc comment, which reads a leading `#` line as a title: reword it";
            return Err(self.unsupported(&at.join("description"), message));
        }
        for key in event.labels.keys() {
            if !label_key(key) {
                let message = format!("label `{key}` cannot be written as `#[event(label({key} = ...))]`: label keys must be Rust identifiers");
                return Err(self.unsupported(&at.join("labels").join(key), message));
            }
        }
        if event.versions.is_empty() {
            return Err(self.unsupported(&at.join("versions"), "an event needs at least one version"));
        }
        let mut versions: Vec<(usize, &cdpspec_plan::EventVersion)> = event.versions.iter().enumerate().collect();
        versions.sort_by_key(|(_, v)| v.version);
        let mut types = Vec::new();
        for (n, (j, version)) in versions.iter().enumerate() {
            let at = at.join("versions").join_index(*j);
            if version.version == 0 {
                return Err(self.unsupported(&at.join("version"), "event versions start at 1"));
            }
            if n > 0 && versions[n - 1].1.version == version.version {
                return Err(self.unsupported(&at.join("version"), format!("version {} of `{}` is listed twice", version.version, event.name)));
            }
            self.version_rule(&version.rule, &at)?;
            let name = self.claim(&format!("{base}V{}", version.version), &at)?;
            let attrs = EventAttrs {
                name: event.name.clone(),
                version: version.version,
                owner: event.owner.clone(),
                deprecated: version.deprecated.clone(),
                labels: event.labels.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            };
            let doc = event.description.as_deref().map(|d| d.trim_ascii().to_owned()).filter(|d| !d.is_empty());
            self.root(version.rule.properties.as_ref(), &at.join("properties"), &name, Root::Event(attrs, doc))?;
            if let Some(description) = &version.rule.description {
                self.module.version_descriptions.push((event.name.clone(), version.version, description.clone()));
            }
            self.module.events.push((name.clone(), event.name.clone(), version.version));
            types.push((name, version.version));
        }
        let (newest, version) = types.last().cloned().expect("an event has versions");
        let alias = self.claim(&base, at)?;
        self.module.items.insert(alias, Item::Alias { event: event.name.clone(), version, target: newest });
        Ok(())
    }

    /// A version's rule may only constrain `properties`: the derive has no place for the rest.
    fn version_rule(&self, rule: &Rule, at: &Pointer) -> Result<(), Error> {
        for section in [Section::Traits, Section::Context] {
            if rule.section(section).is_some() {
                let message = format!("typed events cannot carry rules for a track call's `{}`: only `properties` is generated", section.key());
                return Err(self.unsupported(&at.join(section.key()), message));
            }
        }
        let implied = rule.properties.as_ref().and_then(|p| p.get("required")).and_then(Value::as_array).is_some_and(|r| !r.is_empty());
        for section in &rule.requires {
            if !(*section == Section::Properties && implied) {
                let message = format!(
                    "`requires: [{}]` cannot be generated: `#[derive(cdpspec::Event)]` requires `properties` exactly when its schema requires a property",
                    section.key()
                );
                return Err(self.unsupported(&at.join("requires"), message));
            }
        }
        Ok(())
    }

    fn traits(&mut self, rule: &Rule, at: &Pointer, name: &str) -> Result<String, Error> {
        for section in [Section::Properties, Section::Context] {
            if rule.section(section).is_some() {
                let message = format!("only `traits` is generated for identify and group rules, not `{}`", section.key());
                return Err(self.unsupported(&at.join(section.key()), message));
            }
        }
        if !rule.requires.is_empty() {
            return Err(self.unsupported(&at.join("requires"), "`requires` cannot be generated for traits"));
        }
        let Some(traits) = &rule.traits else {
            return Err(self.unsupported(at, "the rule has no `traits` schema to generate a type from"));
        };
        let name = self.claim(name, at)?;
        self.root(Some(traits), &at.join("traits"), &name, Root::Traits(rule.description.clone()))?;
        Ok(name)
    }

    /// A section schema: the root struct of an event version or of traits.
    fn root(&mut self, schema: Option<&Value>, at: &Pointer, name: &str, root: Root) -> Result<(), Error> {
        let empty = Map::from_iter([("type".to_owned(), Value::from("object"))]);
        let obj = match schema {
            None => &empty,
            Some(Value::Object(obj)) => obj,
            Some(_) => return Err(self.unsupported(at, "a section schema must be an object schema with `type: object`")),
        };
        if let Some((pointer, message)) = schema::unsupported(&Value::Object(obj.clone()), at) {
            return Err(self.unsupported(&pointer, message));
        }
        if parse_type(obj.get("type")) != Ok(Some((vec![Prim::Object], false))) {
            return Err(self.unsupported(&at.join("type"), "a section schema must say `type: object`"));
        }
        for key in ["description", "title"] {
            if obj.contains_key(key) {
                let message = format!(
                    "derived section schemas have no root `{key}`: describe the {} instead",
                    if matches!(root, Root::Event(..)) { "event" } else { "rule" }
                );
                return Err(self.unsupported(&at.join(key), message));
            }
        }
        let (doc, event, extend) = match root {
            Root::Event(attrs, doc) => (doc, Some(attrs), Vec::new()),
            Root::Traits(description) => {
                let exact = description.as_ref().filter(|d| !doc_safe(d)).map(|d| ("description".to_owned(), Value::from(d.as_str())));
                (description.as_deref().and_then(safe_doc), None, exact.into_iter().collect())
            }
        };
        self.structure(obj, at, name, doc, event, extend)?;
        Ok(())
    }

    /// An object schema as a struct named `name` (already claimed).
    fn structure(
        &mut self,
        obj: &Map<String, Value>,
        at: &Pointer,
        name: &str,
        doc: Option<String>,
        event: Option<EventAttrs>,
        mut extend: Extend,
    ) -> Result<(), Error> {
        let properties = match obj.get("properties") {
            None => None,
            Some(Value::Object(p)) => Some(p),
            Some(_) => return Err(self.unsupported(&at.join("properties"), "`properties` must be an object")),
        };
        let required: Vec<&str> = match obj.get("required") {
            None => Vec::new(),
            Some(Value::Array(r)) if r.iter().all(Value::is_string) => r.iter().filter_map(Value::as_str).collect(),
            Some(_) => return Err(self.unsupported(&at.join("required"), "`required` must be a list of property names")),
        };
        for key in &required {
            if !properties.is_some_and(|p| p.contains_key(*key)) {
                let message = format!("required key `{key}` has no schema in `properties`, so it has no field: add one");
                return Err(self.unsupported(&at.join("required"), message));
            }
        }
        let extra = match obj.get("additionalProperties") {
            None => Some(Extra { ty: Ty::Map, in_schema: false }),
            Some(Value::Bool(true)) => Some(Extra { ty: Ty::Map, in_schema: true }),
            Some(Value::Bool(false)) => None,
            Some(value) => {
                let conv = self.schema(value, &at.join("additionalProperties"), &format!("{name}Value"))?;
                Some(Extra { ty: Ty::BTreeMap(Box::new(conv.ty())), in_schema: false })
            }
        };
        let structural = ["type", "properties", "required", "additionalProperties", "description"];
        for (key, value) in obj {
            let verbatim = match key.as_str() {
                "additionalProperties" => value.is_object(),
                "properties" => properties.is_some_and(Map::is_empty),
                "required" => required.is_empty(),
                "description" => !value.is_string(),
                k => !structural.contains(&k),
            };
            if verbatim {
                extend.push((key.clone(), value.clone()));
            }
        }
        self.check_fragment(&extend, obj, at)?;
        let mut fields = Vec::new();
        let mut idents: BTreeMap<String, &str> = BTreeMap::new();
        for (key, value) in properties.into_iter().flatten() {
            let field_at = at.join("properties").join(key);
            let Some(ident) = naming::field_name(key) else {
                return Err(self.err(&field_at, ErrorKind::InvalidName, format!("cannot make a Rust field name from key `{key}`")));
            };
            if extra.is_some() && ident == "extra" {
                let message = format!("key `{key}` would become field `extra`, which keeps the keys the plan does not list");
                return Err(self.err(&field_at, ErrorKind::NameCollision, message));
            }
            if let Some(other) = idents.insert(ident.clone(), key) {
                return Err(self.err(&field_at, ErrorKind::NameCollision, format!("keys `{other}` and `{key}` both become field `{ident}`")));
            }
            let hint = format!("{name}{}", naming::pascal(key));
            fields.push(self.field(key, ident, value, &field_at, &hint, required.contains(&key.as_str()), name)?);
        }
        let defaults = |n: &str| matches!(self.module.items.get(n), Some(Item::Struct(s)) if s.default);
        let default = fields.iter().all(|f| f.optional || f.ty.has_default(&defaults));
        let def = StructDef { doc, event, default, closed: extra.is_none(), extra, extend, fields };
        self.module.items.insert(name.to_owned(), Item::Struct(def));
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn field(&mut self, key: &str, ident: String, value: &Value, at: &Pointer, hint: &str, required: bool, parent: &str) -> Result<FieldDef, Error> {
        let conv = self.schema(value, at, hint)?;
        let optional = !required;
        let description = value.get("description").and_then(Value::as_str);
        let mut schema = FieldSchema::default();
        let mut ty = conv.ty();
        let raw = match conv.how {
            How::Named { option_safe } => (optional || conv.nullable) && !option_safe,
            // Stripping `null` from an optional field would also strip it from the keywords.
            How::Attrs { .. } => optional && !conv.nullable && schema::strips_null(&without(value, "type")),
            How::Raw => true,
        };
        if raw {
            let verbatim = without(value, "description");
            // An optional field is marked nullable, so only the schema's insides are normalized.
            if let Some((pointer, message)) = schema::survives(&verbatim, at) {
                return Err(self.unsupported(&pointer, message));
            }
            let function = self.raw_name(&format!("{}_{}", naming::snake(parent), naming::unraw(&ident)));
            self.module.raw_schemas.push((function.clone(), at.to_string(), verbatim));
            schema.schema_with = Some(function);
            schema.nullable = optional;
        } else if let How::Attrs { validation, extend } = conv.how {
            schema.validation = validation;
            schema.extend = extend;
            schema.nullable = optional && conv.nullable;
        } else {
            schema.nullable = optional && conv.nullable;
        }
        if let Some(d) = description.filter(|d| !doc_safe(d)) {
            schema.extend.push(("description".to_owned(), Value::from(d)));
        }
        let some = optional && (conv.nullable || conv.base == Ty::Value);
        if optional {
            ty = ty.option();
        }
        self.module.needs_some |= some;
        Ok(FieldDef { ident, key: key.to_owned(), doc: description.and_then(safe_doc), ty, optional, some, schema })
    }

    fn raw_name(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_owned();
        let mut n = 1;
        while !self.raw_names.insert(name.clone()) {
            n += 1;
            name = format!("{wanted}_{n}");
        }
        name
    }

    /// The keywords `extend` copies into a derived schema (with `required`, which decides how
    /// they are normalized) must come back unchanged.
    fn check_fragment(&self, extend: &Extend, obj: &Map<String, Value>, at: &Pointer) -> Result<(), Error> {
        if extend.is_empty() {
            return Ok(());
        }
        let mut fragment: Map<String, Value> = extend.iter().cloned().collect();
        if let Some(required) = obj.get("required") {
            fragment.entry("required").or_insert_with(|| required.clone());
        }
        match schema::survives(&Value::Object(fragment), at) {
            Some((pointer, message)) => Err(self.unsupported(&pointer, message)),
            None => Ok(()),
        }
    }

    /// The Rust type of the schema at `at`; `hint` names a type it defines.
    fn schema(&mut self, value: &Value, at: &Pointer, hint: &str) -> Result<Conv, Error> {
        let Value::Object(obj) = value else { return Ok(Conv::raw(Ty::Value, false)) };
        let types = parse_type(obj.get("type")).map_err(|message| self.unsupported(&at.join("type"), message))?;
        if let Some(conv) = self.string_enum(obj, at, hint, types.as_ref())? {
            return Ok(conv);
        }
        let Some((prims, nullable)) = types else { return Ok(Conv::raw(Ty::Value, true)) };
        match prims.as_slice() {
            [] => Ok(Conv::raw(Ty::Value, true)),
            [prim] => self.single(*prim, obj, at, hint, nullable),
            _ => self.union(prims, obj, at, hint, nullable),
        }
    }

    fn single(&mut self, prim: Prim, obj: &Map<String, Value>, at: &Pointer, hint: &str, nullable: bool) -> Result<Conv, Error> {
        let mut validation = Validation::default();
        let mut taken: Vec<&str> = vec!["type", "description"];
        let number = |key: &str| obj.get(key).and_then(|v| v.as_number()).cloned();
        let count = |key: &str| obj.get(key).and_then(|v| v.as_u64()).map(Into::into);
        let base = match prim {
            Prim::Bool => Ty::Bool,
            Prim::Integer | Prim::Number => {
                validation.range = (number("minimum"), number("maximum"));
                taken.extend(["minimum", "maximum"].into_iter().filter(|k| number(k).is_some()));
                if prim == Prim::Integer { Ty::Integer } else { Ty::Number }
            }
            Prim::String => {
                validation.pattern = obj.get("pattern").and_then(Value::as_str).map(str::to_owned);
                validation.length = (count("minLength"), count("maxLength"));
                taken.extend(["minLength", "maxLength"].into_iter().filter(|k| count(k).is_some()));
                if validation.pattern.is_some() {
                    taken.push("pattern");
                }
                Ty::String
            }
            Prim::Array => {
                let (item, inner) = match self.items(obj, at, hint)? {
                    Items::Attrs(item, inner) => (item, inner),
                    Items::Raw(item) => return Ok(Conv::raw(Ty::Vec(Box::new(item)), nullable)),
                };
                validation.inner = inner.map(Box::new);
                validation.length = (count("minItems"), count("maxItems"));
                taken.extend(["minItems", "maxItems"].into_iter().filter(|k| count(k).is_some()));
                taken.push("items");
                Ty::Vec(Box::new(item))
            }
            Prim::Object => {
                if matches!(obj.get("properties"), Some(Value::Object(p)) if !p.is_empty()) {
                    let name = self.claim(hint, at)?;
                    let description = obj.get("description").and_then(Value::as_str);
                    let exact = description.filter(|d| !doc_safe(d)).map(|d| ("description".to_owned(), Value::from(d)));
                    self.structure(obj, at, &name, description.and_then(safe_doc), None, exact.into_iter().collect())?;
                    let option_safe = !OPTION_UNSAFE.iter().any(|k| obj.contains_key(*k));
                    return Ok(Conv { base: Ty::Named(name), nullable, how: How::Named { option_safe } });
                }
                let base = match obj.get("additionalProperties") {
                    Some(value @ Value::Object(_)) => {
                        Ty::BTreeMap(Box::new(self.schema(value, &at.join("additionalProperties"), &format!("{hint}Value"))?.ty()))
                    }
                    _ => Ty::Map,
                };
                return Ok(Conv::raw(base, nullable));
            }
        };
        let extend: Extend = obj.iter().filter(|(k, _)| !taken.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
        if let Some((pointer, message)) = schema::survives(&Value::Object(extend.iter().cloned().collect()), at) {
            return Err(self.unsupported(&pointer, message));
        }
        Ok(Conv { base, nullable, how: How::Attrs { validation, extend } })
    }

    /// The item type of an array, and whether attributes on the array's field can reproduce
    /// `items` (with `inner(...)`), or the array must be given verbatim.
    fn items(&mut self, obj: &Map<String, Value>, at: &Pointer, hint: &str) -> Result<Items, Error> {
        let Some(items @ Value::Object(items_obj)) = obj.get("items") else { return Ok(Items::Raw(Ty::Value)) };
        let conv = self.schema(items, &at.join("items"), &format!("{hint}Item"))?;
        let ty = conv.ty();
        if obj.contains_key("prefixItems") {
            return Ok(Items::Raw(ty));
        }
        Ok(match conv.how {
            How::Named { option_safe } if option_safe || !conv.nullable => Items::Attrs(ty, None),
            How::Attrs { validation, extend } if extend.is_empty() && !items_obj.contains_key("description") => {
                Items::Attrs(ty, (!validation.is_empty()).then_some(validation))
            }
            _ => Items::Raw(ty),
        })
    }

    /// A string enum: an `enum` of distinct strings (and `null` exactly when `type` allows it),
    /// with no `type` or `type: string`. `None` for any other schema.
    fn string_enum(&mut self, obj: &Map<String, Value>, at: &Pointer, hint: &str, types: Option<&(Vec<Prim>, bool)>) -> Result<Option<Conv>, Error> {
        let Some(Value::Array(values)) = obj.get("enum") else { return Ok(None) };
        if types.is_some_and(|(prims, _)| prims != &[Prim::String]) {
            return Ok(None);
        }
        let nulls = values.iter().filter(|v| v.is_null()).count();
        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        let distinct: BTreeSet<&str> = strings.iter().copied().collect();
        // With `type`, `null` must be in both or neither (schemars writes it in both).
        let null_mismatch = types.is_some_and(|(_, nullable)| *nullable != (nulls == 1));
        if strings.is_empty() || strings.len() + nulls != values.len() || distinct.len() != strings.len() || nulls > 1 || null_mismatch {
            return Ok(None);
        }
        let mut variants = Vec::new();
        let mut idents = BTreeSet::new();
        for value in &strings {
            let ident = naming::variant_name(value);
            if !idents.insert(ident.clone()) {
                // Two values would be one variant: keep the schema on a `String`.
                return Ok(None);
            }
            variants.push((ident, (*value).to_owned()));
        }
        let name = self.claim(hint, at)?;
        let description = obj.get("description").and_then(Value::as_str);
        let mut extend: Extend = obj
            .iter()
            .filter(|(k, v)| !(matches!(k.as_str(), "type" | "enum") || (*k == "description" && v.is_string())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some((pointer, message)) = schema::survives(&Value::Object(extend.iter().cloned().collect()), at) {
            return Err(self.unsupported(&pointer, message));
        }
        if let Some(d) = description.filter(|d| !doc_safe(d)) {
            extend.push(("description".to_owned(), Value::from(d)));
        }
        let option_safe = !extend.iter().any(|(k, _)| OPTION_UNSAFE.contains(&k.as_str()));
        self.module.items.insert(name.clone(), Item::Enum(EnumDef { doc: description.and_then(safe_doc), extend, variants }));
        Ok(Some(Conv { base: Ty::Named(name), nullable: nulls == 1, how: How::Named { option_safe } }))
    }

    /// A schema of several JSON types: an untagged enum with the schema written out.
    fn union(&mut self, prims: Vec<Prim>, obj: &Map<String, Value>, at: &Pointer, hint: &str, nullable: bool) -> Result<Conv, Error> {
        let name = self.claim(hint, at)?;
        let mut schema = obj.clone();
        if nullable && let Some(Value::Array(types)) = schema.get_mut("type") {
            types.retain(|t| t != "null");
        }
        let schema = Value::Object(schema);
        if let Some((pointer, message)) = schema::survives(&schema, at) {
            return Err(self.unsupported(&pointer, message));
        }
        let option_safe = !OPTION_UNSAFE.iter().any(|k| obj.contains_key(*k));
        let doc = obj.get("description").and_then(Value::as_str).and_then(safe_doc);
        self.module.items.insert(name.clone(), Item::Union(UnionDef { doc, variants: prims, schema }));
        let how = if nullable { How::Raw } else { How::Named { option_safe } };
        Ok(Conv { base: Ty::Named(name), nullable, how })
    }
}

/// An array's item type, with `inner(...)` validation when attributes reproduce `items`.
enum Items {
    Attrs(Ty, Option<Validation>),
    Raw(Ty),
}

/// What a section's root struct is.
enum Root {
    /// An event version: its `#[event(...)]` and doc comment (the event's description).
    Event(EventAttrs, Option<String>),
    /// Identify or group traits: the rule's description.
    Traits(Option<String>),
}

/// `type` as (non-null types, sorted and distinct; whether `null` is allowed). `None` without
/// `type`.
fn parse_type(value: Option<&Value>) -> Result<Option<(Vec<Prim>, bool)>, String> {
    let names: Vec<&Value> = match value {
        None => return Ok(None),
        Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
        Some(single @ Value::String(_)) => vec![single],
        Some(_) => return Err("`type` must be a string or a non-empty list of strings".to_owned()),
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
            _ => return Err(format!("unknown `type` {name}")),
        }
    }
    Ok(Some((prims.into_iter().collect(), nullable)))
}

/// `value` without `key` (a copy).
fn without(value: &Value, key: &str) -> Value {
    match value {
        Value::Object(obj) if obj.get(key).is_some_and(Value::is_string) || key == "type" => {
            Value::Object(obj.iter().filter(|(k, _)| *k != key).map(|(k, v)| (k.clone(), v.clone())).collect())
        }
        other => other.clone(),
    }
}

/// The doc comment for a description: itself when schemars reads it back unchanged, otherwise a
/// readable version (the exact text then goes through `extend`).
fn safe_doc(description: &str) -> Option<String> {
    let doc = description.trim_ascii().replace('\r', "");
    if doc.is_empty() {
        return None;
    }
    Some(if doc.starts_with('#') { format!("\\{doc}") } else { doc })
}

/// Whether `#[event(label(key = "..."))]` can carry `key`.
fn label_key(key: &str) -> bool {
    key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && naming::is_ident(key)
}
