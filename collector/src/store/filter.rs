//! Which stored calls a query asks for, as SQL.

use rusqlite::types::Value;

/// The order calls come back in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
}

/// A query over stored calls. Every field set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only calls sent under this tag (`""`: only untagged calls).
    pub tag: Option<String>,
    /// `type`.
    pub call_type: Option<String>,
    /// `event`.
    pub event: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `userId`.
    pub user_id: Option<String>,
    /// `anonymousId`.
    pub anonymous_id: Option<String>,
    /// `messageId`.
    pub message_id: Option<String>,
    /// `valid`, `warnings` or `errors`.
    pub status: Option<String>,
    /// Received at or after, ms since the epoch.
    pub since_ms: Option<i64>,
    /// Received at or before, ms since the epoch.
    pub until_ms: Option<i64>,
    /// Holding this text anywhere in the call (keys or values; ASCII letters in any case).
    pub text: Option<String>,
    /// Stored before the call with this id (paging newest first).
    pub before_id: Option<i64>,
    /// Stored after the call with this id.
    pub after_id: Option<i64>,
}

impl Filter {
    /// The `WHERE` clause (always present: `WHERE 1` for none) and its parameters.
    pub fn to_sql(&self) -> (String, Vec<Value>) {
        let mut sql = String::from("WHERE 1");
        let mut params = Vec::new();
        let columns = [
            ("tag", &self.tag),
            ("type", &self.call_type),
            ("event", &self.event),
            ("name", &self.name),
            ("user_id", &self.user_id),
            ("anonymous_id", &self.anonymous_id),
            ("message_id", &self.message_id),
            ("status", &self.status),
        ];
        for (column, value) in columns {
            if let Some(v) = value {
                sql.push_str(&format!(" AND {column} = ?"));
                params.push(Value::Text(v.clone()));
            }
        }
        if let Some(ms) = self.since_ms {
            sql.push_str(" AND received_ms >= ?");
            params.push(Value::Integer(ms));
        }
        if let Some(ms) = self.until_ms {
            sql.push_str(" AND received_ms <= ?");
            params.push(Value::Integer(ms));
        }
        if let Some(text) = &self.text {
            sql.push_str(" AND call LIKE ? ESCAPE '\\'");
            params.push(Value::Text(like_pattern(text)));
        }
        if let Some(id) = self.before_id {
            sql.push_str(" AND id < ?");
            params.push(Value::Integer(id));
        }
        if let Some(id) = self.after_id {
            sql.push_str(" AND id > ?");
            params.push(Value::Integer(id));
        }
        (sql, params)
    }
}

/// `%text%` for `LIKE`, with `%`, `_` and the escape character taken literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_fields_set_become_conditions_in_a_fixed_order() {
        let filter = Filter { tag: Some("checkout".into()), status: Some("errors".into()), since_ms: Some(5), ..Filter::default() };
        let (sql, params) = filter.to_sql();
        assert_eq!(sql, "WHERE 1 AND tag = ? AND status = ? AND received_ms >= ?");
        assert_eq!(params, [Value::Text("checkout".into()), Value::Text("errors".into()), Value::Integer(5)]);
        assert_eq!(Filter::default().to_sql(), ("WHERE 1".to_string(), Vec::new()));
    }

    #[test]
    fn free_text_is_matched_literally_and_paging_bounds_the_ids() {
        let filter = Filter { text: Some("50%_off\\".into()), before_id: Some(10), after_id: Some(2), ..Filter::default() };
        let (sql, params) = filter.to_sql();
        assert_eq!(sql, "WHERE 1 AND call LIKE ? ESCAPE '\\' AND id < ? AND id > ?");
        assert_eq!(params, [Value::Text("%50\\%\\_off\\\\%".into()), Value::Integer(10), Value::Integer(2)]);
    }
}
