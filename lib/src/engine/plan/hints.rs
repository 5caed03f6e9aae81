//! "Did you mean" for plan violations: the planned property a misspelled key was meant to be
//! (`prodcut_id` → `product_id`), both where the key is not allowed and where the planned one
//! is missing, and the allowed value closest to a wrong enum value (`Card` → `card`).

use serde_json::Value;

/// The subschema that holds the keyword at `keyword_path` (a schema path ending in the keyword),
/// when the path leads through `schema` (paths through `$ref` do not).
fn holder<'s>(schema: &'s Value, keyword_path: &str) -> Option<&'s Value> {
    let parent = &keyword_path[..keyword_path.rfind('/')?];
    schema.pointer(parent)
}

/// The property names the subschema declares in `properties`.
fn declared(holder: &Value) -> Vec<&str> {
    holder.get("properties").and_then(Value::as_object).map(|p| p.keys().map(String::as_str).collect()).unwrap_or_default()
}

/// The key of `object` that likely misspells the missing required property `missing`: a key the
/// subschema neither declares nor requires, close to `missing`. `required_path` is the schema
/// path of the failed `required` keyword.
pub(crate) fn misspelling_of<'v>(schema: &Value, required_path: &str, object: &'v Value, missing: &str) -> Option<&'v str> {
    let holder = holder(schema, required_path)?;
    let declared = declared(holder);
    let required: Vec<&str> = holder.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let unknown = object.as_object()?.keys().map(String::as_str).filter(|k| !declared.contains(k) && !required.contains(k));
    crate::suggest::closest(missing, unknown)
}

/// The declared property that the key `unexpected` of `object` was likely meant to be: one the
/// object lacks, close to it. `keyword_path` is the schema path of the failed
/// `additionalProperties` (or `unevaluatedProperties`) keyword.
pub(crate) fn intended<'s>(schema: &'s Value, keyword_path: &str, object: &Value, unexpected: &str) -> Option<&'s str> {
    let holder = holder(schema, keyword_path)?;
    let absent = declared(holder).into_iter().filter(|name| object.get(name).is_none());
    crate::suggest::closest(unexpected, absent)
}

/// The allowed value closest to the string `value`: one equal ignoring case first, then the
/// closest by edit distance (ignoring case, `_`, `-` and spaces).
pub(crate) fn closest_option<'o>(value: &str, options: &'o Value) -> Option<&'o str> {
    let strings: Vec<&str> = options.as_array()?.iter().filter_map(Value::as_str).collect();
    let lower = value.to_lowercase();
    strings.iter().copied().find(|o| o.to_lowercase() == lower).or_else(|| crate::suggest::closest(value, strings.iter().copied()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn enum_values_match_case_first_then_distance() {
        let options = json!(["card", "cash", "Credit Card", "credit_card", 3]);
        assert_eq!(closest_option("Card", &options), Some("card"));
        assert_eq!(closest_option("credit card", &options), Some("Credit Card"));
        assert_eq!(closest_option("cashh", &options), Some("cash"));
        assert_eq!(closest_option("voucher", &options), None);
        assert_eq!(closest_option("x", &json!("not a list")), None);
    }

    #[test]
    fn misspelled_keys_link_to_the_planned_property() {
        let schema = json!({"properties": {"items": {"items": {"properties": {"product_id": {}, "price": {}}, "required": ["product_id", "price"]}}}});
        let object = json!({"prodcut_id": "p1", "price": 3});
        assert_eq!(misspelling_of(&schema, "/properties/items/items/required", &object, "product_id"), Some("prodcut_id"));
        assert_eq!(misspelling_of(&schema, "/properties/items/items/required", &object, "price"), None);
        assert_eq!(intended(&schema, "/properties/items/items/additionalProperties", &object, "prodcut_id"), Some("product_id"));
        assert_eq!(intended(&schema, "/properties/items/items/additionalProperties", &json!({"product_id": 1}), "prodcut_id"), None);
        assert_eq!(intended(&schema, "/$ref/additionalProperties", &object, "prodcut_id"), None);
    }
}
