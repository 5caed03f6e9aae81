//! An action's fields and the check of a resolved payload against them.
//!
//! The reference compiles fields to JSON Schema (destination-kit/fields-to-jsonschema.ts) and
//! validates with Ajv (`coerceTypes: 'array'`, `removeAdditional: true`, ajv-formats plus
//! `date-like`, schema-validation.ts), after empty-value removal. So, as there:
//! - `string`, `text`, `password` are strings; `datetime` is a string or a number, and a string
//!   must be date-like; `number`, `integer`, `boolean`, `object` are what they say; `multiple`
//!   makes an array of the type (a single value is wrapped); `allowNull` adds `null`;
//! - values are coerced first, as Ajv does: `"5"` is a fine `number`, `5` a fine `string`,
//!   `"true"` a fine `boolean`, `["x"]` a fine `string`;
//! - `choices` limit the (coerced) value, or each member of a `multiple` field;
//! - keys that are not fields are ignored (Ajv removes them);
//! - a required field is missing when it is absent after empty-value removal.

use super::date_like::is_date_like;
use super::empty::{drop_reason, keep_member};
use super::formats;
use super::js::{json_to_js_string, json_type_name, number_from_f64, string_to_number};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The type of an action's field.
///
/// ```
/// use cdpspec::destination::mapping::{FieldKind, fields_from_json};
///
/// let customerio = cdpspec::destination::load("customerio").unwrap();
/// let fields = &customerio.actions["createUpdatePerson"].fields;
/// let fields = fields_from_json(&serde_json::to_value(fields).unwrap()).unwrap();
/// assert_eq!(fields["id"].kind, FieldKind::String);
/// assert_eq!(fields["convert_timestamp"].kind, FieldKind::Boolean);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// A string.
    String,
    /// A string (multi-line in the reference's UI).
    Text,
    /// A string (hidden in the reference's UI).
    Password,
    /// Any number.
    Number,
    /// A whole number.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// A date-like string, or a number.
    Datetime,
    /// An object.
    Object,
}

/// A JSON Schema type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    Null,
}

impl FieldKind {
    /// The JSON Schema types of one value of this kind (`toJsonSchemaType`).
    pub(crate) fn base_types(self) -> &'static [Ty] {
        match self {
            FieldKind::String | FieldKind::Text | FieldKind::Password => &[Ty::String],
            FieldKind::Datetime => &[Ty::String, Ty::Number],
            FieldKind::Number => &[Ty::Number],
            FieldKind::Integer => &[Ty::Integer],
            FieldKind::Boolean => &[Ty::Boolean],
            FieldKind::Object => &[Ty::Object],
        }
    }
}

/// One field of an action, as the reference destinations declare it (the entries of an action's
/// `fields`). Deserializes from those entries; unknown members (`label`, `description`, ...) are
/// ignored. `name` is not in the entries: [`fields_from_json`] sets it from the key.
///
/// ```
/// use cdpspec::destination::mapping::{Field, FieldKind};
/// use serde_json::json;
///
/// let field: Field = serde_json::from_value(json!({"label": "Platform", "type": "string", "required": true, "choices": [{"label": "iOS", "value": "ios"}, "android"]})).unwrap();
/// assert_eq!(field.kind, FieldKind::String);
/// assert!(field.required && !field.multiple);
/// assert_eq!(field.choices, Some(vec![json!("ios"), json!("android")]));
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Field {
    /// The field's key.
    #[serde(default)]
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Whether the action fails without it. A conditional `required` (an object) counts as not
    /// required.
    #[serde(default, deserialize_with = "required_flag")]
    pub required: bool,
    /// Whether `null` is a value (it is otherwise removed before validation).
    #[serde(default, rename = "allowNull")]
    pub allow_null: bool,
    /// Whether the value is an array of the type.
    #[serde(default)]
    pub multiple: bool,
    /// The allowed values (a choice given as `{label, value}` is its `value`).
    #[serde(default, deserialize_with = "choice_values")]
    pub choices: Option<Vec<Value>>,
    /// The default mapping or value.
    #[serde(default)]
    pub default: Option<Value>,
    /// A string format (`uri`, `date-time`, `email`, ...); ignored for `datetime`, `text` and
    /// `password`, which have their own.
    #[serde(default)]
    pub format: Option<String>,
}

fn required_flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)? == Value::Bool(true))
}

fn choice_values<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Value>>, D::Error> {
    let choices: Option<Vec<Value>> = Option::deserialize(d)?;
    Ok(choices.map(|cs| {
        cs.into_iter()
            .map(|c| match c {
                Value::Object(mut m) if m.contains_key("value") => m.remove("value").unwrap_or(Value::Null),
                other => other,
            })
            .collect()
    }))
}

impl Field {
    /// A field of a kind, optional, not nullable, single, without choices.
    ///
    /// ```
    /// use cdpspec::destination::mapping::{Field, FieldKind, check_fields};
    /// use serde_json::json;
    ///
    /// let id = Field { required: true, ..Field::new("id", FieldKind::String) };
    /// let fields = [("id".to_owned(), id)].into_iter().collect();
    /// assert!(check_fields(&json!({"id": "97980cfea0067"}), &fields).is_ok());
    /// assert_eq!(check_fields(&json!({"id": ""}), &fields).missing, ["id"]);
    /// ```
    pub fn new(name: &str, kind: FieldKind) -> Field {
        Field { name: name.to_owned(), kind, required: false, allow_null: false, multiple: false, choices: None, default: None, format: None }
    }

    /// The JSON Schema types of the field's value.
    pub(crate) fn schema_types(&self) -> Types {
        let mut types = Types { list: [Ty::Null; 3], len: 0 };
        let base = if self.multiple { &[Ty::Array][..] } else { self.kind.base_types() };
        for &t in base.iter().chain((self.allow_null && !self.multiple).then_some(&Ty::Null)) {
            types.list[types.len] = t;
            types.len += 1;
        }
        types
    }
}

/// A field's JSON Schema types (at most two base types and `null`), without allocating.
pub(crate) struct Types {
    list: [Ty; 3],
    len: usize,
}

impl std::ops::Deref for Types {
    type Target = [Ty];

    fn deref(&self) -> &[Ty] {
        &self.list[..self.len]
    }
}

/// Reads an action's `fields` object (name -> field entry), naming each field after its key.
///
/// # Errors
///
/// A field definition that is not valid JSON for a field (a wrong type, an unknown key).
///
/// ```
/// use cdpspec::destination::mapping::fields_from_json;
/// use serde_json::json;
///
/// let fields = fields_from_json(&json!({"email": {"label": "Email", "type": "string", "format": "email"}})).unwrap();
/// assert_eq!(fields["email"].name, "email");
/// assert_eq!(fields["email"].format.as_deref(), Some("email"));
/// assert!(fields_from_json(&json!({"email": {"type": "varchar"}})).is_err());
/// ```
pub fn fields_from_json(fields: &Value) -> Result<BTreeMap<String, Field>, serde_json::Error> {
    let mut map: BTreeMap<String, Field> = serde_json::from_value(fields.clone())?;
    for (name, field) in &mut map {
        field.name.clone_from(name);
    }
    Ok(map)
}

/// The outcome of checking a payload against an action's fields.
///
/// ```
/// use cdpspec::destination::mapping::{check_fields, fields_from_json};
/// use serde_json::json;
///
/// let fields = fields_from_json(&json!({"person_id": {"type": "string", "required": true}, "batch_size": {"type": "number"}})).unwrap();
/// let check = check_fields(&json!({"batch_size": "fifty"}), &fields);
/// assert_eq!(check.missing, ["person_id"]);
/// assert_eq!(check.invalid[0].0, "batch_size");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldCheck {
    /// Required fields that resolved to nothing (or to a value that empty-value removal drops).
    pub missing: Vec<String>,
    /// Fields whose value the action rejects, with why.
    pub invalid: Vec<(String, String)>,
}

impl FieldCheck {
    /// Whether the action accepts the payload.
    ///
    /// ```
    /// use cdpspec::destination::mapping::{check_fields, fields_from_json};
    /// use serde_json::json;
    ///
    /// let fields = fields_from_json(&json!({"person_id": {"type": "string", "required": true}})).unwrap();
    /// assert!(check_fields(&json!({"person_id": "97980cfea0067"}), &fields).is_ok());
    /// assert!(!check_fields(&json!({}), &fields).is_ok());
    /// ```
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.invalid.is_empty()
    }
}

/// Checks a resolved payload against an action's fields, as the reference does before calling the
/// action: empty-value removal (so the payload may be given before or after it), then types with
/// coercion, choices, formats, and required fields.
///
/// ```
/// use cdpspec::destination::mapping::{check_fields, fields_from_json};
/// use serde_json::json;
///
/// let fields = fields_from_json(&json!({"email": {"type": "string", "format": "email"}, "batch_size": {"type": "number"}})).unwrap();
/// // `"50"` is coerced to a number, as Ajv does; the email is not one.
/// let check = check_fields(&json!({"email": "cool.person", "batch_size": "50"}), &fields);
/// assert!(check.missing.is_empty());
/// assert_eq!(check.invalid.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["email"]);
/// ```
pub fn check_fields(payload: &Value, fields: &BTreeMap<String, Field>) -> FieldCheck {
    let mut check = FieldCheck::default();
    let Value::Object(map) = payload else {
        check.invalid.push((String::new(), format!("the payload should be an object but it is {}", described(payload))));
        check.missing = fields.iter().filter(|(_, f)| f.required).map(|(k, _)| k.clone()).collect();
        return check;
    };
    for (key, field) in fields {
        check_field(key, map.get(key), field, &mut check);
    }
    check
}

/// Checks the value a payload has for the field `key` (none when the key is absent), as
/// [`check_fields`] checks each field, adding what is wrong to `check`.
pub(crate) fn check_field(key: &str, value: Option<&Value>, field: &Field, check: &mut FieldCheck) {
    // Empty-value removal, field by field (see `remove_empty_values`), without copying.
    match value.filter(|v| drop_reason(v, Some(field)).is_none()) {
        None if field.required => check.missing.push(key.to_owned()),
        None => {}
        Some(Value::Array(items)) if field.multiple => {
            let kept: Vec<&Value> = items.iter().filter(|item| keep_member(item, field.kind.base_types())).collect();
            if let Err(why) = check_members(kept, field) {
                check.invalid.push((key.to_owned(), why));
            }
        }
        Some(v) => {
            if let Err(why) = check_value(v, field) {
                check.invalid.push((key.to_owned(), why));
            }
        }
    }
}

/// [`check_field`] for a string value (not `""`) when its check needs no `Value`: a field that
/// takes strings as they are (not `multiple`, no `choices`); `false`, with nothing checked, for
/// any other field.
pub(crate) fn check_text(key: &str, text: &str, field: &Field, check: &mut FieldCheck) -> bool {
    if text.is_empty() || field.multiple || field.choices.is_some() || !field.kind.base_types().contains(&Ty::String) {
        return false;
    }
    // `check_value`: the string has the type, so it is not coerced; no choices; its format.
    if let Err(why) = check_format(text, field) {
        check.invalid.push((key.to_owned(), why));
    }
    true
}

/// Whether [`check_field`] accepts any object for `field` (not `multiple`, no `choices`, an
/// `object` type), so that an object needs no `Value` to be checked.
pub(crate) fn accepts_any_object(field: &Field) -> bool {
    !field.multiple && field.choices.is_none() && field.kind.base_types().contains(&Ty::Object)
}

fn check_value(v: &Value, field: &Field) -> Result<(), String> {
    if field.multiple {
        let members = match v {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        return check_members(members, field);
    }
    let types = field.schema_types();
    let coerced = coerce(v, &types).ok_or_else(|| type_error(&types, v))?;
    check_choice(&coerced, field)?;
    if let Value::String(s) = &*coerced {
        check_format(s, field)?;
    }
    Ok(())
}

/// The members of a `multiple` field (a single value counts as one member).
fn check_members(members: Vec<&Value>, field: &Field) -> Result<(), String> {
    for (i, item) in members.into_iter().enumerate() {
        let coerced = coerce(item, field.kind.base_types()).ok_or_else(|| format!("item {i} {}", type_error(field.kind.base_types(), item)))?;
        check_choice(&coerced, field).map_err(|e| format!("item {i} {e}"))?;
    }
    Ok(())
}

fn described(v: &Value) -> String {
    let t = json_type_name(v);
    let article = if t.starts_with(['a', 'o']) { "an" } else { "a" };
    format!("{article} {t} ({v})")
}

fn type_error(types: &[Ty], v: &Value) -> String {
    let names: Vec<&str> = types
        .iter()
        .map(|t| match t {
            Ty::String => "a string",
            Ty::Number => "a number",
            Ty::Integer => "an integer",
            Ty::Boolean => "a boolean",
            Ty::Object => "an object",
            Ty::Array => "an array",
            Ty::Null => "null",
        })
        .collect();
    format!("should be {} but it is {}", names.join(" or "), described(v))
}

fn check_choice(v: &Value, field: &Field) -> Result<(), String> {
    let Some(choices) = &field.choices else { return Ok(()) };
    if choices.iter().any(|c| same(c, v)) || (field.allow_null && v.is_null()) {
        return Ok(());
    }
    let listed: Vec<String> = choices.iter().map(Value::to_string).collect();
    Err(format!("should be one of {} but it is {v}", listed.join(", ")))
}

fn check_format(s: &str, field: &Field) -> Result<(), String> {
    let ok = match field.kind {
        FieldKind::Datetime => is_date_like(s),
        FieldKind::Text | FieldKind::Password => true,
        _ => field.format.as_deref().is_none_or(|f| formats::check(f, s)),
    };
    if ok {
        return Ok(());
    }
    let format = if field.kind == FieldKind::Datetime { "date-like" } else { field.format.as_deref().unwrap_or_default() };
    Err(format!("should be a {format} string but it is {}", Value::String(s.to_owned())))
}

/// Deep equality as Ajv's `enum` sees it (numbers by value).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

fn is(v: &Value, t: Ty) -> bool {
    match t {
        Ty::String => v.is_string(),
        Ty::Number => v.is_number(),
        Ty::Integer => v.as_f64().is_some_and(|f| f.fract() == 0.0),
        Ty::Boolean => v.is_boolean(),
        Ty::Object => v.is_object(),
        Ty::Array => v.is_array(),
        Ty::Null => v.is_null(),
    }
}

/// Ajv's `coerceTypes: 'array'`: the value when it has one of the types, else the first
/// coercion that applies (after unwrapping a one-member array), else `None`. Borrowed when no
/// coercion applies.
pub(crate) fn coerce<'v>(v: &'v Value, types: &[Ty]) -> Option<Cow<'v, Value>> {
    if types.iter().any(|&t| is(v, t)) {
        return Some(Cow::Borrowed(v));
    }
    let mut data = v;
    if let Value::Array(items) = v
        && items.len() == 1
    {
        data = &items[0];
        if types.iter().any(|&t| is(data, t)) {
            return Some(Cow::Borrowed(data));
        }
    }
    types.iter().find_map(|&t| coerce_to(data, t)).map(Cow::Owned)
}

fn coerce_to(v: &Value, t: Ty) -> Option<Value> {
    let number = |integer: bool| -> Option<Value> {
        let f = match v {
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Null => 0.0,
            Value::String(s) if !s.is_empty() => string_to_number(s),
            _ => return None,
        };
        (f.is_finite() && (!integer || f.fract() == 0.0)).then(|| number_from_f64(f)).flatten()
    };
    match t {
        Ty::String => match v {
            Value::Number(_) | Value::Bool(_) => Some(Value::String(json_to_js_string(v))),
            Value::Null => Some(Value::String(String::new())),
            _ => None,
        },
        Ty::Number => number(false),
        Ty::Integer => number(true),
        Ty::Boolean => match v {
            Value::Null => Some(Value::Bool(false)),
            Value::String(s) if s == "false" => Some(Value::Bool(false)),
            Value::String(s) if s == "true" => Some(Value::Bool(true)),
            Value::Number(n) if n.as_f64() == Some(0.0) => Some(Value::Bool(false)),
            Value::Number(n) if n.as_f64() == Some(1.0) => Some(Value::Bool(true)),
            _ => None,
        },
        Ty::Null => match v {
            Value::String(s) if s.is_empty() => Some(Value::Null),
            Value::Bool(false) => Some(Value::Null),
            Value::Number(n) if n.as_f64() == Some(0.0) => Some(Value::Null),
            _ => None,
        },
        Ty::Array => match v {
            Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => Some(Value::Array(vec![v.clone()])),
            _ => None,
        },
        Ty::Object => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> BTreeMap<String, Field> {
        fields_from_json(&v).unwrap()
    }

    #[test]
    fn reads_reference_field_entries() {
        let f = fields(json!({
            "metric": {"label": "Metric", "type": "string", "required": true, "choices": ["opened", {"label": "Clicked", "value": "clicked"}]},
            "user_id": {"type": "string", "allowNull": true, "default": {"@path": "$.userId"}},
            "products": {"type": "object", "multiple": true},
            "cond": {"type": "string", "required": {"conditions": []}}
        }));
        assert_eq!(f["metric"].name, "metric");
        assert!(f["metric"].required);
        assert_eq!(f["metric"].choices, Some(vec![json!("opened"), json!("clicked")]));
        assert!(f["user_id"].allow_null);
        assert_eq!(f["user_id"].default, Some(json!({"@path": "$.userId"})));
        assert!(f["products"].multiple);
        assert!(!f["cond"].required);
    }

    #[test]
    fn coerces_like_ajv() {
        let coerce = |v: &Value, types: &[Ty]| coerce(v, types).map(Cow::into_owned);
        assert_eq!(coerce(&json!("5"), &[Ty::Number]), Some(json!(5)));
        assert_eq!(coerce(&json!(" 5 "), &[Ty::Number]), Some(json!(5)));
        assert_eq!(coerce(&json!("5.5"), &[Ty::Integer]), None);
        assert_eq!(coerce(&json!("abc"), &[Ty::Number]), None);
        assert_eq!(coerce(&json!(""), &[Ty::Number]), None);
        assert_eq!(coerce(&json!(5), &[Ty::String]), Some(json!("5")));
        assert_eq!(coerce(&json!(1.5), &[Ty::String]), Some(json!("1.5")));
        assert_eq!(coerce(&json!(true), &[Ty::String]), Some(json!("true")));
        assert_eq!(coerce(&json!("true"), &[Ty::Boolean]), Some(json!(true)));
        assert_eq!(coerce(&json!(0), &[Ty::Boolean]), Some(json!(false)));
        assert_eq!(coerce(&json!("yes"), &[Ty::Boolean]), None);
        assert_eq!(coerce(&json!(["x"]), &[Ty::String]), Some(json!("x")));
        assert_eq!(coerce(&json!([5]), &[Ty::String]), Some(json!("5")));
        assert_eq!(coerce(&json!(["a", "b"]), &[Ty::String]), None);
        assert_eq!(coerce(&json!([{"a": 1}]), &[Ty::Object]), Some(json!({"a": 1})));
        assert_eq!(coerce(&json!("x"), &[Ty::Object]), None);
        assert_eq!(coerce(&json!(true), &[Ty::String, Ty::Number]), Some(json!("true")));
        assert_eq!(coerce(&json!(2.0), &[Ty::Integer]), Some(json!(2.0)));
    }

    #[test]
    fn checks_types_choices_formats_and_required() {
        let f = fields(json!({
            "name": {"type": "string", "required": true},
            "metric": {"type": "string", "choices": ["delivered", "opened"]},
            "count": {"type": "integer"},
            "when": {"type": "datetime"},
            "url": {"type": "string", "format": "uri"},
            "tags": {"type": "string", "multiple": true, "choices": ["a", "b"]},
            "data": {"type": "object"}
        }));
        let ok =
            check_fields(&json!({"name": 5, "metric": "opened", "count": "3", "when": 1679407797, "url": "https://x.io/a?b=c", "tags": "a", "extra": 1}), &f);
        assert!(ok.is_ok(), "{ok:?}");
        let bad = check_fields(&json!({"metric": "bounced", "count": "3.5", "when": "yesterday", "url": "not a uri", "tags": ["a", "c"], "data": "x"}), &f);
        assert_eq!(bad.missing, ["name"]);
        let names: Vec<&str> = bad.invalid.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["count", "data", "metric", "tags", "url", "when"]);
        assert!(bad.invalid.iter().any(|(n, why)| n == "metric" && why.contains("should be one of \"delivered\", \"opened\"")));
        let empty = check_fields(&json!({"name": ""}), &f);
        assert_eq!(empty.missing, ["name"], "\"\" is dropped at the root, so a required field is missing");
        let null = check_fields(&json!({"name": null}), &f);
        assert_eq!(null.missing, ["name"]);
    }

    #[test]
    fn null_is_a_value_only_when_allowed() {
        let f = fields(json!({"user_id": {"type": "string", "allowNull": true, "required": true}, "n": {"type": "integer", "allowNull": true}}));
        assert!(check_fields(&json!({"user_id": null, "n": null}), &f).is_ok());
        assert!(check_fields(&json!({"user_id": "u", "n": false}), &f).is_ok(), "false coerces to 0");
    }
}
