//! A call's top-level members, found in one pass: the members of a canonical call (`type`,
//! `event`, `userId`, `properties`, `context`, ...) by position, so that every trigger and
//! every mapping of a destination reads them without looking them up again; any other member
//! by a look-up.

use crate::destination::CallJson;
use crate::fast::json::Kind;

/// How many members have a position.
const FIELDS: usize = 19;

/// The position of a top-level member of a canonical call (found once, where a key is known in
/// advance: a trigger's field, the first segment of a mapping's path).
#[inline]
pub(crate) fn slot(key: &str) -> Option<usize> {
    Some(match key {
        "type" => at::TYPE,
        "event" => at::EVENT,
        "name" => at::NAME,
        "userId" => at::USER_ID,
        "anonymousId" => 4,
        "messageId" => 5,
        "timestamp" => 6,
        "originalTimestamp" => 7,
        "sentAt" => 8,
        "receivedAt" => 9,
        "properties" => at::PROPERTIES,
        "traits" => at::TRAITS,
        "context" => at::CONTEXT,
        "integrations" => 13,
        "groupId" => 14,
        "previousId" => 15,
        "category" => 16,
        "version" => 17,
        "channel" => 18,
        _ => return None,
    })
}

/// The positions of the members triggers read.
pub(crate) mod at {
    pub(crate) const TYPE: usize = 0;
    pub(crate) const EVENT: usize = 1;
    pub(crate) const NAME: usize = 2;
    pub(crate) const USER_ID: usize = 3;
    pub(crate) const PROPERTIES: usize = 10;
    pub(crate) const TRAITS: usize = 11;
    pub(crate) const CONTEXT: usize = 12;
}

/// A call (any JSON value) with its top-level members found.
#[derive(Clone, Copy)]
pub(crate) struct Call<J> {
    value: J,
    /// The members with a position; `None` when the call is not an object.
    fields: Option<[Option<J>; FIELDS]>,
}

impl<J: CallJson> Call<J> {
    /// Finds the members of `value` (of duplicate keys the last, as serde_json keeps it).
    pub(crate) fn of(value: J) -> Call<J> {
        let fields = (value.kind() == Kind::Object).then(|| {
            let mut fields = [None; FIELDS];
            for (key, member) in value.members() {
                if let Some(i) = slot(key) {
                    fields[i] = Some(member);
                }
            }
            fields
        });
        Call { value, fields }
    }

    /// The call itself.
    #[inline]
    pub(crate) fn value(&self) -> J {
        self.value
    }

    /// The member `key`; `None` when it is missing or the call is not an object.
    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<J> {
        self.get_at(slot(key), key)
    }

    /// The member `key`, whose position is `slot` (`slot(key)`, found in advance).
    #[inline]
    pub(crate) fn get_at(&self, slot: Option<usize>, key: &str) -> Option<J> {
        let fields = self.fields.as_ref()?;
        match slot {
            Some(i) => fields[i],
            None => self.value.get(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::json::Json;
    use serde_json::{Value, json};

    #[test]
    fn finds_members_by_position_and_others_by_look_up() {
        let value = json!({"type": "track", "event": "Course Enrolled", "x_custom": 1});
        let call = Call::of(&value);
        assert_eq!(call.get("event").and_then(Value::as_str), Some("Course Enrolled"));
        assert_eq!(call.get("x_custom"), value.get("x_custom"));
        assert!(call.get("userId").is_none() && call.get("nothing").is_none());
        assert!(Call::of(&json!("track")).get("type").is_none());
        let mut tape = crate::fast::tape::Tape::default();
        let text = r#"{"type": "page", "type": "screen"}"#;
        assert!(tape.parse(text));
        assert_eq!(Call::of(tape.root(text)).get("type").and_then(|t| t.as_str().map(String::from)).as_deref(), Some("screen"));
    }
}
