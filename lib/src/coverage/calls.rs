//! The calls of a parsed document as a destination receives them: each item of a batch with the
//! batch's `context` and `integrations` merged in (the call's own keys win), and the type an
//! endpoint implies set on calls that lack one.

use serde_json::{Map, Value};

use crate::CallType;

/// One call of a document: its JSON pointer, its index in a batch or array, and the call.
///
/// ```
/// use cdpspec::coverage::calls_of;
///
/// let call = serde_json::json!({"type": "identify", "userId": "97980cfea0067"});
/// let calls = calls_of(&call, None);
/// assert_eq!((calls[0].pointer.as_str(), calls[0].index), ("", None));
/// assert_eq!(calls[0].call, call);
/// ```
pub struct DocumentCall {
    /// Where the call is in its document.
    pub pointer: String,
    /// Its index in its batch or array.
    pub index: Option<usize>,
    /// The call, as the destination sees it.
    pub call: Value,
}

/// The calls of `doc` (a call, a batch, or an array of calls).
///
/// ```
/// use cdpspec::coverage::calls_of;
///
/// let batch = serde_json::json!({"batch": [{"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"}], "context": {"library": {"name": "analytics-node"}}});
/// let calls = calls_of(&batch, None);
/// assert_eq!((calls[0].pointer.as_str(), calls[0].index), ("/batch/0", Some(0)));
/// assert_eq!(calls[0].call["context"]["library"]["name"], "analytics-node", "the batch's context is merged in");
/// ```
pub fn calls_of(doc: &Value, default_type: Option<CallType>) -> Vec<DocumentCall> {
    match doc {
        Value::Object(map) if map.contains_key("batch") => {
            let items = map.get("batch").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            items
                .iter()
                .enumerate()
                .map(|(i, item)| DocumentCall { pointer: format!("/batch/{i}"), index: Some(i), call: with_envelope(item.clone(), map) })
                .collect()
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| DocumentCall { pointer: format!("/{i}"), index: Some(i), call: with_type(item.clone(), default_type) })
            .collect(),
        other => vec![DocumentCall { pointer: String::new(), index: None, call: with_type(other.clone(), default_type) }],
    }
}

pub(crate) fn with_type(mut call: Value, default_type: Option<CallType>) -> Value {
    if let (Value::Object(map), Some(t)) = (&mut call, default_type) {
        map.entry("type").or_insert_with(|| Value::String(t.as_str().to_string()));
    }
    call
}

/// `item` of a batch as the pipeline sees it: the batch's `context` and `integrations` merged in,
/// the call's own keys winning.
pub(crate) fn with_envelope(mut call: Value, envelope: &Map<String, Value>) -> Value {
    let Value::Object(map) = &mut call else { return call };
    for key in ["context", "integrations"] {
        if let Some(Value::Object(shared)) = envelope.get(key)
            && let Value::Object(own) = map.entry(key).or_insert_with(|| Value::Object(Map::new()))
        {
            for (k, v) in shared {
                own.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
    }
    call
}
