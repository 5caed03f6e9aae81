//! Why a section schema of a plan is not a JSON Schema plans can run, in plain English and at the
//! exact keyword: `type` must be one of the seven type names (did you mean `integer`?),
//! `required` is a list at the object level, `minimum` is a number, `pattern` is a regular
//! expression the linear-time engine accepts, `$ref` points inside the schema. jsonschema's own
//! texts (meta-schema wording such as "is not valid under any of the schemas listed in the
//! 'anyOf' keyword") appear only for the rare failures nothing here recognises.

use cdpspec_plan::keywords;
use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::Pointer;

/// One reason a section schema is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// JSON pointer of the offending keyword (or element) within the section schema; empty for
    /// the schema itself.
    pub pointer: String,
    /// What is wrong and what is expected.
    pub message: String,
    /// Whether the JSON Schema meta-schema rejects it; otherwise the schema is valid JSON
    /// Schema that plans cannot run (a pattern, a `$ref` that leads nowhere).
    pub meta: bool,
}

/// The JSON types `type` may name.
const TYPES: [&str; 7] = ["array", "boolean", "integer", "null", "number", "object", "string"];

/// Every problem of `schema` (a plan section), in schema order. Empty when the schema is valid
/// and compiles as plan validation compiles it.
pub(crate) fn problems(schema: &Value) -> Vec<Problem> {
    let meta = jsonschema::draft202012::meta::validator();
    let mut out: Vec<Problem> = Vec::new();
    for error in meta.iter_errors(schema) {
        let Found { pointer, message } = meta_problem(schema, &error);
        let problem = Problem { pointer, message, meta: true };
        if !out.contains(&problem) {
            out.push(problem);
        }
    }
    if out.is_empty()
        && let Err(error) = super::validator::build(schema)
    {
        let Found { pointer, message } = compile_problem(schema, &error);
        out.push(Problem { pointer, message, meta: false });
    }
    out
}

/// A problem before it is known whether the meta-schema or the compiler found it.
struct Found {
    pointer: String,
    message: String,
}

/// Where a pointer leads in a schema: what the value there is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role<'a> {
    /// A schema (the section, or a subschema).
    Schema,
    /// A map of names to schemas (`properties`, `$defs`, ...).
    SchemaMap(&'a str),
    /// A list of schemas (`allOf`, ...).
    SchemaList,
    /// The value of a keyword.
    Keyword(&'a str),
    /// Inside a keyword's value (an element of `type`, `required`, `enum`, ...).
    Inside(&'a str),
}

/// The role of each token's value along `tokens`, the first being the schema itself.
fn roles(tokens: &[String]) -> Vec<Role<'_>> {
    let mut roles = vec![Role::Schema];
    for token in tokens {
        let last = roles.last().copied().unwrap_or(Role::Schema);
        let next = match last {
            Role::Schema if keywords::SUBSCHEMA.contains(&token.as_str()) => Role::Schema,
            Role::Schema if keywords::SUBSCHEMA_MAP.contains(&token.as_str()) => Role::SchemaMap(token),
            Role::Schema if keywords::SUBSCHEMA_LIST.contains(&token.as_str()) => Role::SchemaList,
            Role::Schema => Role::Keyword(token),
            Role::SchemaMap(_) | Role::SchemaList => Role::Schema,
            Role::Keyword(k) | Role::Inside(k) => Role::Inside(k),
        };
        roles.push(next);
    }
    roles
}

/// The decoded tokens of a JSON pointer.
fn tokens(pointer: &str) -> Vec<String> {
    cdpspec_plan::pointer::tokens(pointer).map(String::from).collect()
}

/// `null`, for pointers that lead nowhere.
static NULL: Value = Value::Null;

/// The problem one meta-schema error names.
fn meta_problem(schema: &Value, error: &ValidationError<'_>) -> Found {
    let pointer = error.instance_path().as_str().to_string();
    let tokens = tokens(&pointer);
    let roles = roles(&tokens);
    let value = schema.pointer(&pointer).unwrap_or(&NULL);
    let role = roles.last().copied().unwrap_or(Role::Schema);
    let parent = roles.len().checked_sub(2).and_then(|i| roles.get(i)).copied();
    let name = tokens.last().map(String::as_str).unwrap_or_default();
    match role {
        Role::Schema => Found { message: not_a_schema(&tokens, parent, value), pointer },
        Role::SchemaMap(keyword) | Role::Keyword(keyword) => keyword_problem(keyword, value, &tokens, pointer, error),
        Role::SchemaList if value.is_array() => Found { message: format!("`{name}` must list at least one schema"), pointer },
        Role::SchemaList => Found { message: format!("`{name}` must be a list of schemas, not {}", describe(value)), pointer },
        Role::Inside(keyword @ ("type" | "required")) => {
            // An element of `type` or `required`: these explain the whole list, at the element.
            let depth = roles.iter().position(|r| matches!(r, Role::Keyword(_))).unwrap_or(0);
            let keyword_pointer = String::from(tokens[..depth].iter().collect::<Pointer>());
            let keyword_value = schema.pointer(&keyword_pointer).unwrap_or(value);
            keyword_problem(keyword, keyword_value, &tokens[..depth], keyword_pointer, error)
        }
        Role::Inside(keyword) => Found { message: fallback(keyword, value, error), pointer },
    }
}

/// A value where a schema belongs that is not one; `tokens` lead to it.
fn not_a_schema(tokens: &[String], parent: Option<Role<'_>>, value: &Value) -> String {
    let (name, keyword) = match tokens {
        [.., keyword, name] => (name.as_str(), keyword.as_str()),
        [name] => (name.as_str(), ""),
        [] => ("", ""),
    };
    let what = match parent {
        None => "a section".to_string(),
        Some(Role::SchemaMap("properties")) => format!("property `{name}`"),
        Some(Role::SchemaMap(_)) => format!("`{name}` in `{keyword}`"),
        Some(Role::SchemaList) => format!("item {name} of `{keyword}`"),
        _ => format!("`{name}`"),
    };
    let example = if parent.is_none() { "{type: object}" } else { "{type: string}" };
    let tuple = if name == "items" && value.is_array() { ": a list of schemas, one per position, is `prefixItems` since draft 2020-12" } else { "" };
    format!("{what} must be a schema such as `{example}` (an object of keywords, or true or false), not {}{tuple}", describe(value))
}

/// The problem with `keyword`, whose value is `value`, at `pointer` (the keyword's pointer).
fn keyword_problem(keyword: &str, value: &Value, tokens: &[String], pointer: String, error: &ValidationError<'_>) -> Found {
    match keyword {
        "type" => type_problem(value, pointer),
        "required" => required_problem(value, tokens, pointer),
        _ => {
            let message = match expectation(keyword) {
                Some(expected) if !fits(keyword, value) => {
                    format!("`{keyword}` must be {expected}, not {}{}", describe(value), hint(keyword, value))
                }
                _ => fallback(keyword, value, error),
            };
            Found { pointer, message }
        }
    }
}

/// What `type` must be, at the exact name that is wrong.
fn type_problem(value: &Value, pointer: String) -> Found {
    let list = TYPES.join(", ");
    match value {
        Value::String(name) => Found { message: unknown_type(name), pointer },
        Value::Array(names) => {
            for (i, name) in names.iter().enumerate() {
                let message = match name {
                    Value::String(s) if TYPES.contains(&s.as_str()) => {
                        if names[..i].contains(name) {
                            format!("`type` lists `{s}` twice")
                        } else {
                            continue;
                        }
                    }
                    Value::String(s) => unknown_type(s),
                    other => format!("`type` lists type names ({list}), not {}", describe(other)),
                };
                return Found { message, pointer: format!("{pointer}/{i}") };
            }
            Found { message: format!("`type` must name at least one of {list}"), pointer }
        }
        other => Found { message: format!("`type` must be one of {list} (or a list of them), not {}", describe(other)), pointer },
    }
}

/// The message for a `type` name that is not a JSON type, with the likely intended one.
fn unknown_type(name: &str) -> String {
    let intended = match name.to_ascii_lowercase().as_str() {
        "int" | "long" | "short" | "int32" | "int64" => Some("integer"),
        "float" | "double" | "decimal" | "real" | "numeric" => Some("number"),
        "bool" => Some("boolean"),
        "str" | "text" | "date" | "datetime" | "date-time" | "timestamp" | "email" | "uri" | "url" | "uuid" => Some("string"),
        "list" | "tuple" => Some("array"),
        "dict" | "map" | "hash" | "struct" | "record" => Some("object"),
        "none" | "nil" => Some("null"),
        _ => None,
    }
    .or_else(|| crate::suggest::closest(name, TYPES));
    let hint = intended.map(|t| format!("; did you mean `{t}`?")).unwrap_or_default();
    format!("`type` must be one of {}{hint}", TYPES.join(", "))
}

/// What `required` must be: the draft-04 boolean and the single name are the usual slips.
fn required_problem(value: &Value, tokens: &[String], pointer: String) -> Found {
    // `.../properties/price/required`: the property the boolean was meant for.
    let property = match tokens {
        [.., map, name, _] if map == "properties" => Some(name.as_str()),
        _ => None,
    };
    let example = property.unwrap_or("id");
    let message = match value {
        Value::Bool(_) => format!(
            "`required` is a list of property names at the object level (e.g. `required: [{example}]` beside `properties`), not a boolean on the property"
        ),
        Value::String(s) => format!("`required` is a list of property names: write `required: [{s}]`"),
        Value::Array(names) => {
            for (i, name) in names.iter().enumerate() {
                let message = match name {
                    Value::String(s) if names[..i].contains(name) => format!("`required` lists `{s}` twice"),
                    Value::String(_) => continue,
                    other => format!("`required` lists property names, which are strings, not {}", describe(other)),
                };
                return Found { message, pointer: format!("{pointer}/{i}") };
            }
            "`required` must be a list of property names".to_string()
        }
        other => format!("`required` must be a list of property names (e.g. `required: [{example}]`), not {}", describe(other)),
    };
    Found { pointer, message }
}

/// What the value of a keyword must be, for the keywords with a simple shape.
fn expectation(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => "a number",
        "multipleOf" => "a number greater than 0",
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" | "minContains" | "maxContains" => "a non-negative integer",
        "enum" => "an array (the list of allowed values, e.g. `enum: [card, cash]`)",
        "examples" => "an array (a list of example values)",
        "properties" => "an object that maps each property name to its schema (e.g. `properties: {price: {type: number}}`)",
        "patternProperties" => "an object that maps each regular expression to a schema",
        "$defs" | "definitions" => "an object that maps each name to a schema",
        "dependentSchemas" => "an object that maps property names to schemas",
        "dependentRequired" => "an object that maps each property name to a list of property names",
        "pattern" => "a string (a regular expression)",
        "format" => "a string (a format name such as `date-time`)",
        "$ref" | "$dynamicRef" => "a string (a reference such as `#/$defs/money`)",
        "$id" | "$schema" | "$anchor" | "$dynamicAnchor" | "$comment" | "title" | "description" | "contentEncoding" | "contentMediaType" => "a string",
        "uniqueItems" | "deprecated" | "readOnly" | "writeOnly" => "a boolean (true or false)",
        _ => return None,
    })
}

/// Whether `value` already has the shape [`expectation`] names (so another rule failed).
fn fits(keyword: &str, value: &Value) -> bool {
    match keyword {
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => value.is_number(),
        "multipleOf" => value.as_f64().is_some_and(|n| n > 0.0),
        "minLength" | "maxLength" | "minItems" | "maxItems" | "minProperties" | "maxProperties" | "minContains" | "maxContains" => {
            value.is_u64() || value.as_f64().is_some_and(|n| n >= 0.0 && n.fract() == 0.0)
        }
        "enum" | "examples" => value.is_array(),
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" | "dependentRequired" => value.is_object(),
        "uniqueItems" | "deprecated" | "readOnly" | "writeOnly" => value.is_boolean(),
        _ => value.is_string(),
    }
}

/// A remedy for the common slips behind a wrong keyword value.
fn hint(keyword: &str, value: &Value) -> &'static str {
    match (keyword, value) {
        ("exclusiveMinimum" | "exclusiveMaximum", Value::Bool(_)) => {
            ": it is the bound itself now (`exclusiveMinimum: 0`), no longer a boolean beside `minimum` (draft-04)"
        }
        (_, Value::String(s)) if s.trim().parse::<f64>().is_ok() && !matches!(keyword, "enum" | "examples") => ": write the number without quotes",
        ("enum", Value::String(_) | Value::Number(_) | Value::Bool(_)) => ": write one allowed value as `[value]`, or use `const`",
        ("properties", Value::Array(_)) => ": list names in `required`, and describe each one under `properties`",
        _ => "",
    }
}

/// A plain message from the error's kind, for what the rules above do not cover.
fn fallback(keyword: &str, value: &Value, error: &ValidationError<'_>) -> String {
    match error.kind() {
        ValidationErrorKind::Type { kind } => format!("`{keyword}` must be {}, not {}", type_names(kind), describe(value)),
        ValidationErrorKind::Minimum { limit } => format!("`{keyword}` must be at least {limit}, not {value}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("`{keyword}` must be greater than {limit}, not {value}"),
        ValidationErrorKind::MinItems { limit } => format!("`{keyword}` must list at least {limit} item{}", if *limit == 1 { "" } else { "s" }),
        ValidationErrorKind::UniqueItems => format!("`{keyword}` must not list the same item twice"),
        _ => format!("`{keyword}` is not valid here: {error}"),
    }
}

/// `a string`, `an integer or a string`, from an expected-type error.
fn type_names(kind: &TypeKind) -> String {
    let names: Vec<&str> = match kind {
        TypeKind::Single(t) => vec![t.as_str()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
    };
    let with_article: Vec<String> = names.iter().map(|n| format!("{} {n}", article(n))).collect();
    with_article.join(" or ")
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// A value as the message names it: `the string "3"`, `the number 5`, `true`, `a list`.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The problem a compile error names, once the schema is valid under the meta-schema: a pattern
/// the regex engine rejects, a `$ref` that leads nowhere, or (rarely) something else.
fn compile_problem(schema: &Value, error: &ValidationError<'_>) -> Found {
    match error.kind() {
        ValidationErrorKind::Format { format } if format == "regex" => {
            let pointer = error.schema_path().as_str().to_string();
            let tokens = tokens(&pointer);
            let (keyword, regex) = match tokens.as_slice() {
                [.., last] if last == "pattern" => ("pattern", schema.pointer(&pointer).and_then(Value::as_str).unwrap_or_default().to_string()),
                [.., key] => ("patternProperties", key.clone()),
                [] => ("pattern", String::new()),
            };
            Found { pointer, message: regex_message(keyword, &regex) }
        }
        ValidationErrorKind::Referencing(_) => reference_problem(schema, &error.to_string()),
        // A meta-schema error the first pass did not see (an embedded resource's dialect).
        _ if !error.instance_path().as_str().is_empty() && schema.pointer(error.instance_path().as_str()).is_some() => meta_problem(schema, error),
        _ => {
            let pointer = error.schema_path().as_str().to_string();
            let pointer = if schema.pointer(&pointer).is_some() { pointer } else { String::new() };
            Found { pointer, message: format!("invalid JSON Schema: {error}") }
        }
    }
}

/// Why a regular expression is refused, naming look-around and backreferences when present.
fn regex_message(keyword: &str, regex: &str) -> String {
    let lookaround = ["(?=", "(?!", "(?<=", "(?<!"].iter().any(|l| regex.contains(l));
    let backreference = regex.as_bytes().windows(2).any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0');
    let what = if keyword == "pattern" { "`pattern`" } else { "this `patternProperties` key" };
    if lookaround || backreference {
        format!(
            "{what} `{regex}` uses {}, which plans do not support: patterns run in a linear-time regex engine",
            if lookaround { "look-around" } else { "a backreference" }
        )
    } else {
        format!("{what} `{regex}` is not a valid regular expression")
    }
}

/// The `$ref` that does not resolve (offline, within the section schema).
fn reference_problem(schema: &Value, error: &str) -> Found {
    let mut refs = Vec::new();
    walk(schema, &Pointer::root(), &mut |value, at| {
        if let Some(Value::String(target)) = value.get("$ref") {
            refs.push((String::from(at.join("$ref")), target.clone()));
        }
    });
    let broken = refs.iter().find(|(_, target)| !resolves(schema, target)).or_else(|| refs.iter().find(|(_, target)| error.contains(target.as_str())));
    match broken {
        Some((pointer, target)) if target.starts_with('#') => Found {
            pointer: pointer.clone(),
            message: format!("`$ref` `{target}` points at nothing in this schema; it must name a part of the section's schema, such as `#/$defs/money`"),
        },
        Some((pointer, target)) => Found {
            pointer: pointer.clone(),
            message: format!(
                "`$ref` `{target}` cannot be fetched: plans are checked offline, so a `$ref` must point inside the section's schema (such as `#/$defs/money`)"
            ),
        },
        None => Found { pointer: String::new(), message: format!("invalid JSON Schema: {error}") },
    }
}

/// Whether a `$ref` target resolves within `schema` (a pointer, an anchor or an `$id`).
fn resolves(schema: &Value, target: &str) -> bool {
    match target.strip_prefix('#') {
        Some("") => true,
        Some(fragment) if fragment.starts_with('/') => schema.pointer(fragment).is_some(),
        Some(anchor) => {
            let mut found = false;
            walk(schema, &Pointer::root(), &mut |value, _| found |= value.get("$anchor").and_then(Value::as_str) == Some(anchor));
            found
        }
        None => {
            let mut found = false;
            walk(schema, &Pointer::root(), &mut |value, _| found |= value.get("$id").and_then(Value::as_str) == Some(target));
            found
        }
    }
}

/// Calls `f` on every subschema of `schema` with its pointer.
fn walk(schema: &Value, at: &Pointer, f: &mut impl FnMut(&Value, &Pointer)) {
    f(schema, at);
    let Value::Object(map) = schema else { return };
    for (key, value) in map {
        let here = at.join(key);
        match value {
            _ if keywords::SUBSCHEMA.contains(&key.as_str()) => walk(value, &here, f),
            Value::Object(children) if keywords::SUBSCHEMA_MAP.contains(&key.as_str()) => {
                for (name, child) in children {
                    walk(child, &here.join(name), f);
                }
            }
            Value::Array(children) if keywords::SUBSCHEMA_LIST.contains(&key.as_str()) => {
                for (i, child) in children.iter().enumerate() {
                    walk(child, &here.join_index(i), f);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn one(schema: Value) -> (String, String) {
        let found = problems(&schema);
        assert_eq!(found.len(), 1, "{found:#?}");
        (found[0].pointer.clone(), found[0].message.clone())
    }

    #[test]
    fn valid_schemas_have_no_problems() {
        assert_eq!(problems(&json!({"type": "object", "properties": {"a": {"type": ["integer", "null"], "minimum": 0}}, "required": ["a"]})), vec![]);
    }

    #[test]
    fn type_names_are_checked_with_the_intended_one() {
        let (at, message) = one(json!({"properties": {"price": {"type": "integr"}}}));
        assert_eq!(at, "/properties/price/type");
        assert_eq!(message, "`type` must be one of array, boolean, integer, null, number, object, string; did you mean `integer`?");
        assert_eq!(one(json!({"type": ["string", "flaot"]})).0, "/type/1");
        assert!(one(json!({"type": "float"})).1.ends_with("did you mean `number`?"));
        assert!(one(json!({"type": "money"})).1.ends_with("object, string"));
        assert_eq!(one(json!({"type": ["string", "string"]})).1, "`type` lists `string` twice");
    }

    #[test]
    fn keyword_shapes_are_named() {
        let (at, message) = one(json!({"properties": {"price": {"type": "number", "required": true}}}));
        assert_eq!(at, "/properties/price/required");
        assert_eq!(
            message,
            "`required` is a list of property names at the object level (e.g. `required: [price]` beside `properties`), not a boolean on the property"
        );
        assert_eq!(
            one(json!({"minimum": "3"})),
            ("/minimum".into(), "`minimum` must be a number, not the string \"3\": write the number without quotes".into())
        );
        assert_eq!(
            one(json!({"enum": "x"})).1,
            "`enum` must be an array (the list of allowed values, e.g. `enum: [card, cash]`), not the string \"x\": write one allowed value as `[value]`, or use `const`"
        );
        assert!(one(json!({"properties": ["a"]})).1.starts_with("`properties` must be an object that maps each property name to its schema"));
        assert_eq!(
            one(json!({"properties": {"a": 5}})).1,
            "property `a` must be a schema such as `{type: string}` (an object of keywords, or true or false), not the number 5"
        );
        assert_eq!(
            one(json!({"allOf": [{"type": "string"}, "x"]})),
            (
                "/allOf/1".into(),
                "item 1 of `allOf` must be a schema such as `{type: string}` (an object of keywords, or true or false), not the string \"x\"".into()
            )
        );
        assert_eq!(one(json!({"anyOf": []})).1, "`anyOf` must list at least one schema");
        assert!(
            one(json!({"items": [{"type": "string"}]})).1.ends_with("not a list: a list of schemas, one per position, is `prefixItems` since draft 2020-12")
        );
        assert_eq!(one(json!({"items": 5})).1, "`items` must be a schema such as `{type: string}` (an object of keywords, or true or false), not the number 5");
        assert_eq!(
            one(json!(5)),
            (String::new(), "a section must be a schema such as `{type: object}` (an object of keywords, or true or false), not the number 5".into())
        );
        assert_eq!(
            one(json!({"exclusiveMinimum": true})).1,
            "`exclusiveMinimum` must be a number, not true: it is the bound itself now (`exclusiveMinimum: 0`), no longer a boolean beside `minimum` (draft-04)"
        );
        assert_eq!(one(json!({"uniqueItems": "yes"})).1, "`uniqueItems` must be a boolean (true or false), not the string \"yes\"");
        assert_eq!(one(json!({"minLength": -1})).1, "`minLength` must be a non-negative integer, not the number -1");
        assert_eq!(one(json!({"required": ["a", 3]})).0, "/required/1");
    }

    #[test]
    fn compile_errors_point_at_the_pattern_or_the_reference() {
        let (at, message) = one(json!({"properties": {"code": {"type": "string", "pattern": "(?<=a)b"}}}));
        assert_eq!(at, "/properties/code/pattern");
        assert_eq!(message, "`pattern` `(?<=a)b` uses look-around, which plans do not support: patterns run in a linear-time regex engine");
        assert_eq!(one(json!({"properties": {"plan": {"$ref": "#/x"}}})).0, "/properties/plan/$ref");
    }
}
