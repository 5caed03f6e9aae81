//! Triggers: the subscription language that decides which calls reach a destination action
//! (`type = "track" and event != "Order Completed"`), evaluated exactly as Segment's reference
//! engine evaluates it (`@segment/destination-subscriptions`: `parse-fql.ts`, `validate.ts`,
//! `get.ts`, over the `@segment/fql-ts` lexer), quirks included, and with notes where those
//! quirks make a trigger mean something other than what it says.
//!
//! ```
//! use cdpspec::destination::trigger::Trigger;
//! use serde_json::json;
//!
//! let trigger = Trigger::parse(r#"type = "track" and event != "Order Completed""#).unwrap();
//! assert!(trigger.matches(&json!({"type": "track", "event": "Course Enrolled"})));
//! assert!(!trigger.matches(&json!({"type": "track", "event": "Order Completed"})));
//! assert!(trigger.notes().is_empty());
//!
//! // No precedence: the last combinator joins the whole level, and a note says so.
//! let trigger = Trigger::parse(r#"type = "track" and event = "A" or event = "B""#).unwrap();
//! assert!(trigger.matches(&json!({"type": "page", "event": "B"})));
//! assert_eq!(trigger.notes()[0].position, 15);
//! ```
//!
//! # Semantics (of the reference version with strict comparisons)
//! - Fields: `type`, `event`, `name`, `userId`, `properties.<path>`, `traits.<path>`,
//!   `context.<path>`. Paths are split at `.`, `[` and `]` and walked as JavaScript walks them
//!   (`0`, `""`, `false` end the walk; arrays and strings answer `length` and indices).
//!   `properties.x` always reads the call's `properties`, `traits.x` its top-level `traits`.
//! - `=` holds for a string equal to the value's text: a number never equals, `1.50` is the
//!   text `"1.5"`. `!=` is its negation, so it holds when the field is missing.
//! - `<`, `<=`, `>`, `>=` hold only for a JSON number, compared with `Number(value)`.
//! - `contains`, `match` (`"x*"` starts with, anything else ends with the pattern minus its
//!   first character) and their `!` forms hold only for strings.
//! - `x != null` is "exists" and `x = null` "missing or null" for `name`, `userId` and paths;
//!   for `type` and `event`, `null` is the text `"null"`. `x = true`/`false` needs a boolean for
//!   `userId` and paths; for `type`, `event` and `name` it is the text.
//!
//! # Decisions where the reference is unclear or throws
//! - The reference version followed is the one whose `validate.ts` compares strictly
//!   (`actual === String(expected)`, `typeof actual === 'number'`) and whose `parse-fql.ts`
//!   knows `context`, `name`/`userId` conditions and `= true`/`= false`. Later versions compare
//!   `= 5` as numbers and join path segments that start with a digit (`properties.0`); those
//!   triggers get a note, since their verdict depends on the version.
//! - Anything that makes `parseFql` return an error is a [`TriggerError`]: the destination
//!   would never run the action. That covers lexer errors, nested parentheses, an unclosed
//!   `(`, a field without a value, a trigger with no known condition.
//! - An evaluation that throws in the reference (a `null` call, reaching an empty group) is a
//!   `false` verdict: the destination does not run the action.
//! - `\` escapes any character in a name (`properties.first\ name`), as the language is
//!   documented, although the stored `fql-ts` `isIdent` does not list `\`.
//! - Built-in JavaScript members (`properties.items.length`, `properties.constructor`) follow
//!   Node 20; members of built-in functions read as missing.
//!
//! # Notes
//! Each [`TriggerNote`] marks a quirk that changes what the trigger means: mixed `and`/`or`
//! (the last one wins), a function call whose `)` closes its group, unknown fields and
//! `contains(type, ...)` (dropped), uppercase `AND`/`OR`, single-quoted strings (quotes kept),
//! `= 5` and `!= true` (compared as text), `null`/`true` as text for `type`/`event`/`name`,
//! `!` before anything but a function (ignored), `<=5` without a space, `match` patterns
//! without a leading or trailing `*`, empty groups (throw), paths without a segment, with an
//! escaped separator or a segment starting with a digit, operator words (`event contains "x"`),
//! bare-word and missing values, non-numeric values of `<`..., and stray tokens (ignored).

mod ast;
mod eval;
mod js;
mod lexer;
mod lints;
mod lookup;
mod parser;

use std::fmt;

use serde_json::Value;

use crate::destination::{Call, CallJson};

/// A parsed trigger: parse once, then [`Trigger::matches`] each call without allocating.
///
/// ```
/// use cdpspec::destination::trigger::Trigger;
/// use serde_json::json;
///
/// let customerio = cdpspec::destination::load("customerio").unwrap();
/// let preset = &customerio.presets.unwrap()[0];
/// let trigger = Trigger::parse(&preset.trigger).unwrap();
/// let call = json!({"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}});
/// assert!(trigger.matches(&call));
/// ```
#[derive(Debug, Clone)]
pub struct Trigger {
    source: String,
    root: ast::Node,
    notes: Vec<TriggerNote>,
}

/// A trigger the reference engine rejects: the destination never runs its action.
///
/// ```
/// use cdpspec::destination::trigger::Trigger;
///
/// let error = Trigger::parse(r#"type = "track" && event = "Course Enrolled""#).unwrap_err();
/// assert_eq!(error.position, 15);
/// assert!(error.to_string().starts_with("at character 15: invalid character `&`"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerError {
    /// Character offset (0-based) in the trigger where the reference gives up.
    pub position: usize,
    /// What is wrong and what the destination does about it.
    pub message: String,
}

/// A quirk of the reference engine that changes what a trigger means: the verdicts follow the
/// reference, the note says how.
///
/// ```
/// use cdpspec::destination::trigger::Trigger;
///
/// // Uppercase `AND` is not the combinator the reference knows.
/// let trigger = Trigger::parse(r#"type = "track" AND event = "Course Enrolled""#).unwrap();
/// let note = &trigger.notes()[0];
/// assert_eq!((note.position, note.length), (15, 3));
/// assert_eq!(note.to_string(), format!("at character 15: {}", note.message));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerNote {
    /// Character offset (0-based) of the first character concerned.
    pub position: usize,
    /// Number of characters concerned.
    pub length: usize,
    /// What the reference does there and what the destination will actually do.
    pub message: String,
}

/// The consequence of every error, said once.
const REJECTED: &str = "the reference parser rejects the whole trigger, so the destination never runs this action";

impl Trigger {
    /// Parses `source` as the reference engine does, collecting [notes](Trigger::notes) on its
    /// quirks. Fails where the reference's parser returns an error.
    ///
    /// # Errors
    ///
    /// A [`TriggerError`] at the character where the subscription stops parsing.
    ///
    /// ```
    /// use cdpspec::destination::trigger::Trigger;
    ///
    /// assert!(Trigger::parse(r#"event = "Application Installed" or event = "Application Opened""#).is_ok());
    /// assert!(Trigger::parse(r#"(type = "track""#).is_err());
    /// ```
    pub fn parse(source: &str) -> Result<Trigger, TriggerError> {
        let reject = |position, message: String| TriggerError { position, message: format!("{message}; {REJECTED}") };
        let tokens = lexer::lex(source).map_err(|e| reject(e.position, e.message))?;
        let parsed = parser::parse(tokens).map_err(|e| reject(e.position, e.message))?;
        let notes = lints::notes(source, &parsed);
        Ok(Trigger { source: source.to_owned(), root: parsed.root, notes })
    }

    /// Whether the destination runs the action for `call`, as the reference engine decides.
    /// Calls are the JSON objects destinations receive; anything on which the reference throws
    /// (a `null` call) does not match.
    ///
    /// ```
    /// use cdpspec::destination::trigger::Trigger;
    /// use serde_json::json;
    ///
    /// let trigger = Trigger::parse(r#"type = "track" and properties.revenue > 10"#).unwrap();
    /// assert!(trigger.matches(&json!({"type": "track", "event": "Order Completed", "properties": {"revenue": 29.99}})));
    /// // `<`, `>`... hold only for JSON numbers.
    /// assert!(!trigger.matches(&json!({"type": "track", "event": "Order Completed", "properties": {"revenue": "29.99"}})));
    /// assert!(!trigger.matches(&json!(null)));
    /// ```
    pub fn matches(&self, call: &Value) -> bool {
        self.matches_call(&Call::of(call))
    }

    /// [`Trigger::matches`] for a call read as any [`CallJson`] (the fast path's tape), its
    /// fields found once for all of a destination's triggers.
    pub(crate) fn matches_call<J: CallJson>(&self, call: &Call<J>) -> bool {
        eval::holds(&self.root, call).unwrap_or(false)
    }

    /// Whether any condition reads a path under `context` (which a batch's `context` merges
    /// into).
    pub(crate) fn reads_context(&self) -> bool {
        self.root.reads(ast::Root::Context)
    }

    /// The quirks found while parsing, in the order of their positions. Empty for every trigger
    /// the bundled destinations ship.
    ///
    /// ```
    /// use cdpspec::destination::trigger::Trigger;
    ///
    /// assert!(Trigger::parse(r#"type = "identify""#).unwrap().notes().is_empty());
    /// let trigger = Trigger::parse(r#"type = 'track'"#).unwrap();
    /// assert_eq!(trigger.notes().len(), 1);
    /// ```
    pub fn notes(&self) -> &[TriggerNote] {
        &self.notes
    }

    /// The trigger as written.
    ///
    /// ```
    /// use cdpspec::destination::trigger::Trigger;
    ///
    /// let trigger = Trigger::parse(r#"type = "page""#).unwrap();
    /// assert_eq!(trigger.source(), r#"type = "page""#);
    /// ```
    pub fn source(&self) -> &str {
        &self.source
    }
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

impl std::error::Error for TriggerError {}

impl fmt::Display for TriggerNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: {}", self.position, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_say_where_and_what_happens() {
        let error = Trigger::parse("type = \"track\" && event = \"x\"").unwrap_err();
        assert_eq!(error.position, 15);
        assert!(error.to_string().starts_with("at character 15: invalid character `&`"));
        assert!(error.message.ends_with(REJECTED));
    }

    #[test]
    fn keeps_the_source() {
        let trigger = Trigger::parse("type = \"page\"").unwrap();
        assert_eq!(trigger.source(), "type = \"page\"");
        assert!(trigger.matches(&json!({"type": "page"})));
        assert!(!trigger.matches(&Value::Null));
    }
}
