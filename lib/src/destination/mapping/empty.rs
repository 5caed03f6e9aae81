//! Empty-value removal between resolving and validating: the reference's
//! `removeEmptyValues(payload, fieldsToJsonSchema(fields), true)` (packages/core/src/remove-empty-values.ts).
//!
//! For each key of the payload:
//! - a key that is not a field of the action is kept as it is (unless it is `""`, below);
//! - `null` is dropped unless the field allows null (`allowNull` without `multiple`);
//! - `""` is dropped unless the field's type accepts strings (`string`, `text`, `password`,
//!   `datetime`), and then dropped anyway, because it is a top-level key;
//! - in a `multiple` field's array, `null` members are dropped, and `""` members unless the type
//!   accepts strings;
//! - objects and arrays are otherwise kept untouched (nested `null`s stay).

use super::fields::{Field, Ty};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Why empty-value removal drops a top-level value, or `None` when it keeps it.
///
/// ```
/// use cdpspec::destination::mapping::{Field, FieldKind, drop_reason};
/// use serde_json::json;
///
/// let email = Field::new("email", FieldKind::String);
/// assert_eq!(drop_reason(&json!(""), Some(&email)), Some("\"\" is dropped from the top level of a payload"));
/// assert!(drop_reason(&json!(null), Some(&email)).is_some());
/// assert_eq!(drop_reason(&json!(null), None), None);
/// assert_eq!(drop_reason(&json!("cool.person@example.com"), Some(&email)), None);
/// ```
pub fn drop_reason(value: &Value, field: Option<&Field>) -> Option<&'static str> {
    match value {
        Value::String(s) if s.is_empty() => Some("\"\" is dropped from the top level of a payload"),
        Value::Null if field.is_some_and(|f| !f.schema_types().contains(&Ty::Null)) => Some("null is dropped because the field does not allow null"),
        _ => None,
    }
}

/// The payload without the values the reference removes before validating (see the module
/// documentation). A payload that is not an object, or an action without fields (which has no
/// schema in the reference), is returned as it is.
///
/// ```
/// use cdpspec::destination::mapping::{fields_from_json, remove_empty_values};
/// use serde_json::json;
///
/// let fields = fields_from_json(&json!({"email": {"type": "string"}, "created_at": {"type": "datetime", "allowNull": true}})).unwrap();
/// let payload = json!({"id": "97980cfea0067", "email": "", "created_at": null, "anonymous_id": null});
/// assert_eq!(remove_empty_values(&payload, &fields), json!({"id": "97980cfea0067", "created_at": null, "anonymous_id": null}));
/// ```
pub fn remove_empty_values(payload: &Value, fields: &BTreeMap<String, Field>) -> Value {
    let Value::Object(map) = payload else { return payload.clone() };
    if fields.is_empty() {
        return payload.clone();
    }
    let mut out = Map::new();
    for (key, value) in map {
        let field = fields.get(key);
        if drop_reason(value, field).is_some() {
            continue;
        }
        let kept = match (field, value) {
            (Some(f), Value::Array(items)) if f.multiple => {
                let base = f.kind.base_types();
                Value::Array(items.iter().filter(|item| keep_member(item, base)).cloned().collect())
            }
            _ => value.clone(),
        };
        out.insert(key.clone(), kept);
    }
    Value::Object(out)
}

/// Whether a member of a `multiple` field's array survives (its items schema never allows null).
pub(crate) fn keep_member(item: &Value, base: &[Ty]) -> bool {
    match item {
        Value::Null => false,
        Value::String(s) if s.is_empty() => base.contains(&Ty::String),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::destination::mapping::fields::{Field, FieldKind};
    use serde_json::json;

    fn field(kind: FieldKind) -> Field {
        Field::new("f", kind)
    }

    // Cases from the reference's packages/core/src/__tests__/remove-empty-values.test.ts.
    #[test]
    fn reference_cases() {
        let fields: BTreeMap<String, Field> =
            [("foo".into(), field(FieldKind::Number)), ("bar".into(), field(FieldKind::String)), ("baz".into(), field(FieldKind::Boolean))].into();
        assert_eq!(remove_empty_values(&json!({"foo": "", "bar": "1", "baz": true}), &fields), json!({"bar": "1", "baz": true}));

        let fields: BTreeMap<String, Field> = [("foo".into(), field(FieldKind::Object)), ("bar".into(), field(FieldKind::String))].into();
        assert_eq!(remove_empty_values(&json!({"foo": {}, "bar": "1"}), &fields), json!({"foo": {}, "bar": "1"}));

        let fields: BTreeMap<String, Field> = [("a".into(), field(FieldKind::String)), ("b".into(), field(FieldKind::String))].into();
        assert_eq!(remove_empty_values(&json!({"a": null, "b": "1"}), &fields), json!({"b": "1"}));

        let mut nullable = field(FieldKind::String);
        nullable.allow_null = true;
        let fields: BTreeMap<String, Field> = [("a".into(), nullable), ("b".into(), field(FieldKind::String))].into();
        assert_eq!(remove_empty_values(&json!({"a": null, "b": "1"}), &fields), json!({"a": null, "b": "1"}));
    }

    #[test]
    fn root_strings_unknown_keys_and_arrays() {
        let mut list = field(FieldKind::String);
        list.multiple = true;
        let mut numbers = field(FieldKind::Number);
        numbers.multiple = true;
        let mut nullable_list = field(FieldKind::String);
        nullable_list.multiple = true;
        nullable_list.allow_null = true;
        let fields: BTreeMap<String, Field> = [
            ("s".into(), field(FieldKind::String)),
            ("o".into(), field(FieldKind::Object)),
            ("list".into(), list),
            ("numbers".into(), numbers),
            ("nl".into(), nullable_list),
        ]
        .into();
        let payload = json!({
            "s": "", "unknown": null, "blank": "", "o": {"x": null, "y": ""},
            "list": ["a", "", null], "numbers": [1, "", null], "nl": null
        });
        assert_eq!(remove_empty_values(&payload, &fields), json!({"unknown": null, "o": {"x": null, "y": ""}, "list": ["a", ""], "numbers": [1]}));
    }
}
