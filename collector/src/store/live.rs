//! The live feed: what the database thread announces after each commit (a summary of every
//! call stored, and resets), for the inspector's server-sent events. It is a bounded
//! broadcast: a reader that falls further behind than the backlog is told it missed calls
//! (and refetches), so a slow page never makes the collector hold more.

use std::sync::Arc;

use serde_json::{Value, json};

use super::NewCall;

/// What a commit announces.
#[derive(Debug, Clone, PartialEq)]
pub enum Live {
    /// A call was stored.
    Call(Arc<CallSummary>),
    /// Every call (`None`) or a tag's calls were deleted.
    Reset(Option<String>),
}

/// A stored call as the inspector's list shows it: where it came from, what it is, and its
/// first problem; not the call itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallSummary {
    /// Its arrival order.
    pub id: i64,
    /// When its request arrived, in ms since the epoch.
    pub received_ms: i64,
    /// The same, RFC 3339.
    pub received_at: String,
    /// Its tag; empty for none.
    pub tag: String,
    /// The write key it was sent with.
    pub write_key: Option<String>,
    /// The path it was sent to.
    pub endpoint: String,
    /// `type`, `event`, `name`, `userId`, `anonymousId`, `messageId`.
    pub fields: super::CallFields,
    /// `valid`, `warnings` or `errors`.
    pub status: String,
    /// Its errors.
    pub errors: u64,
    /// Its warnings.
    pub warnings: u64,
    /// Its first error, or failing that its first warning: the diagnostic as stored.
    pub problem: Option<Value>,
}

/// Longest message kept in a summary's problem, in characters.
const MESSAGE_CHARS: usize = 300;

impl CallSummary {
    /// The summary of `call`, stored with `id`.
    pub(super) fn of(id: i64, call: &NewCall) -> CallSummary {
        CallSummary {
            id,
            received_ms: call.received_ms,
            received_at: call.received_at.clone(),
            tag: call.tag.clone(),
            write_key: call.write_key.clone(),
            endpoint: call.endpoint.clone(),
            fields: call.fields.clone(),
            status: call.status.as_str().to_string(),
            errors: call.errors as u64,
            warnings: call.warnings as u64,
            problem: if call.errors + call.warnings > 0 { first_problem(&call.diagnostics) } else { None },
        }
    }

    /// As JSON: `id`, `receivedAt`, `receivedMs`, `tag`, `writeKey`, `endpoint`, `type`,
    /// `event`, `name`, `userId`, `anonymousId`, `messageId`, `status`, `errors`, `warnings`
    /// and `problem` (`code`, `rule`, `severity`, `pointer`, `message`), `null` where none.
    pub fn to_json(&self) -> Value {
        let f = &self.fields;
        json!({
            "id": self.id,
            "receivedAt": self.received_at,
            "receivedMs": self.received_ms,
            "tag": if self.tag.is_empty() { None } else { Some(&self.tag) },
            "writeKey": self.write_key,
            "endpoint": self.endpoint,
            "type": f.call_type,
            "event": f.event,
            "name": f.name,
            "userId": f.user_id,
            "anonymousId": f.anonymous_id,
            "messageId": f.message_id,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "problem": self.problem,
        })
    }
}

/// The first error of a stored diagnostics array, or failing that its first diagnostic, with
/// only the fields a list shows and its message cut short.
pub(super) fn first_problem(diagnostics: &str) -> Option<Value> {
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(diagnostics) else { return None };
    let first = list.iter().find(|d| d["severity"] == "error").or_else(|| list.first())?;
    let text = |key: &str| first.get(key).and_then(Value::as_str).unwrap_or_default();
    let message = text("message");
    let message = match message.char_indices().nth(MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", &message[..end]),
        None => message.to_string(),
    };
    Some(json!({"code": text("code"), "rule": text("rule"), "severity": text("severity"), "pointer": text("pointer"), "message": message}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_error_wins_over_an_earlier_warning_and_long_messages_are_cut() {
        let diagnostics = json!([
            {"severity": "warning", "code": "CDP110", "rule": "numeric-identifier", "pointer": "/userId", "message": "w"},
            {"severity": "error", "code": "CDP107", "rule": "reserved-type", "pointer": "/properties/revenue", "message": "é".repeat(400)}
        ]);
        let problem = first_problem(&diagnostics.to_string()).unwrap();
        assert_eq!((problem["code"].as_str(), problem["pointer"].as_str()), (Some("CDP107"), Some("/properties/revenue")));
        assert_eq!(problem["message"].as_str().unwrap().chars().count(), MESSAGE_CHARS + 1);
        assert_eq!(first_problem("[]"), None);
        assert_eq!(first_problem("not json"), None);
    }
}
