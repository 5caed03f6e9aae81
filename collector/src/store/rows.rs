//! What goes into the database and what comes back out of it.

use cdpspec::intake::Status;

/// A call to store: one row of `calls` (see `schema.sql`).
#[derive(Debug, Clone)]
pub struct NewCall {
    /// When its request arrived, in ms since the epoch.
    pub received_ms: i64,
    /// The same, RFC 3339.
    pub received_at: String,
    /// Its tag; empty for none.
    pub tag: String,
    /// The write key it was sent with.
    pub write_key: Option<String>,
    /// The path it was sent to, without the tag prefix.
    pub endpoint: String,
    /// Its index in its batch.
    pub batch_index: Option<usize>,
    /// `type`, `event`, `name`, `userId`, `anonymousId`, `messageId`, for filtering.
    pub fields: CallFields,
    /// Valid, warnings or errors.
    pub status: Status,
    /// Its errors.
    pub errors: usize,
    /// Its warnings.
    pub warnings: usize,
    /// The call, as compact JSON.
    pub call: String,
    /// Its diagnostics, a JSON array.
    pub diagnostics: String,
    /// Its actions, a JSON array.
    pub actions: String,
}

/// The fields of a call that queries filter on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallFields {
    /// `type`.
    pub call_type: Option<String>,
    /// `event`.
    pub event: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `userId` (a number as its JSON text).
    pub user_id: Option<String>,
    /// `anonymousId` (a number as its JSON text).
    pub anonymous_id: Option<String>,
    /// `messageId`.
    pub message_id: Option<String>,
}

impl CallFields {
    /// The fields of `call`.
    pub fn of(call: &serde_json::Value) -> CallFields {
        let text = |key: &str| match call.get(key) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(n @ serde_json::Value::Number(_)) => Some(n.to_string()),
            _ => None,
        };
        CallFields {
            call_type: text("type"),
            event: text("event"),
            name: text("name"),
            user_id: text("userId"),
            anonymous_id: text("anonymousId"),
            message_id: text("messageId"),
        }
    }
}

/// A refused request to record: one row of `refusals`.
#[derive(Debug, Clone)]
pub struct NewRefusal {
    /// When it arrived, in ms since the epoch.
    pub received_ms: i64,
    /// The same, RFC 3339.
    pub received_at: String,
    /// Its tag; empty for none.
    pub tag: String,
    /// Method and path.
    pub endpoint: String,
    /// The HTTP status it was answered.
    pub http_status: u16,
    /// Why, for machines.
    pub code: String,
    /// Why, for people.
    pub message: String,
}

/// A stored call, as queries return it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCall {
    /// Its arrival order.
    pub id: i64,
    /// Its tag; empty for none.
    pub tag: String,
    /// `valid`, `warnings` or `errors`.
    pub status: String,
    /// The call, compact JSON.
    pub call: String,
    /// Its diagnostics, a JSON array.
    pub diagnostics: String,
    /// Its actions, a JSON array.
    pub actions: String,
}

/// A stored refusal, as queries return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRefusal {
    /// When it arrived, RFC 3339.
    pub received_at: String,
    /// Its tag; empty for none.
    pub tag: String,
    /// Method and path.
    pub endpoint: String,
    /// The HTTP status it was answered.
    pub http_status: u16,
    /// Why, for machines.
    pub code: String,
    /// Why, for people.
    pub message: String,
}

/// What `/_cdpspec/counts` answers: calls stored (`total` = `valid` + `errors`; `warnings`
/// counts the valid calls that have warnings) and requests refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Calls stored.
    pub total: u64,
    /// Calls without errors.
    pub valid: u64,
    /// Calls without errors but with warnings.
    pub warnings: u64,
    /// Calls with errors.
    pub errors: u64,
    /// Requests refused.
    pub refused: u64,
}
