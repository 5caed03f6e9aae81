//! The evaluator: a call against the parsed tree, as `validate.ts` decides. Groups short-circuit
//! in order (`every`/`some`); reaching a [`Node::Broken`] group throws, as reading a field of a
//! `null` call does, and a throw means the destination does not run the action. No allocation.
//! The call is any [`CallJson`]: a `serde_json::Value`, or the fast path's tape.

use super::ast::{Comparison, Condition, Field, Node, Suffix, Test};
use super::lookup::{self, Js};
use crate::destination::Call;
use crate::destination::CallJson;
use crate::destination::call::at;
use crate::fast::json::Kind;

/// The reference engine threw while evaluating: the action does not run for this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Thrown;

/// Whether `node` holds for `call`.
pub(super) fn holds<J: CallJson>(node: &Node, call: &Call<J>) -> Result<bool, Thrown> {
    match node {
        Node::Test(condition) => Ok(test(&condition.test, read(condition, call)?)),
        Node::Group { any: true, children } => {
            for child in children {
                if holds(child, call)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Node::Group { any: false, children } => {
            for child in children {
                if !holds(child, call)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Node::Broken => Err(Thrown),
    }
}

/// The value of the condition's field in the call.
fn read<J: CallJson>(condition: &Condition, call: &Call<J>) -> Result<Js<J>, Thrown> {
    let top = |slot, key| lookup::top_level(call, slot, key).ok_or(Thrown);
    Ok(match &condition.field {
        Field::Type => top(at::TYPE, "type")?,
        Field::Event => top(at::EVENT, "event")?,
        Field::Name => top(at::NAME, "name")?,
        Field::UserId => top(at::USER_ID, "userId")?,
        Field::Path { segments, .. } if segments.is_empty() => Js::Undefined,
        Field::Path { root, segments } => segments.iter().fold(top(root.slot(), root.key())?, |value, key| value.step(key)),
    })
}

/// A string as JavaScript sees it: text of the call, or one UTF-16 code unit of it.
#[derive(Clone, Copy)]
enum JsStr<'a> {
    Text(&'a str),
    Unit(u16),
}

fn as_str<J: CallJson>(value: &Js<J>) -> Option<JsStr<'_>> {
    match value {
        Js::Json(v) => v.as_str().map(JsStr::Text),
        Js::Unit(u) => Some(JsStr::Unit(*u)),
        _ => None,
    }
}

fn as_number<J: CallJson>(value: &Js<J>) -> Option<f64> {
    match value {
        Js::Json(v) => v.as_f64(),
        Js::Number(n) => Some(*n),
        _ => None,
    }
}

/// `undefined` or `null`.
fn is_nullish<J: CallJson>(value: &Js<J>) -> bool {
    match value {
        Js::Undefined => true,
        Js::Json(v) => v.kind() == Kind::Null,
        _ => false,
    }
}

/// Whether `text` is exactly the one code unit `unit`.
fn is_unit(unit: u16, text: &str) -> bool {
    let mut units = text.encode_utf16();
    units.next() == Some(unit) && units.next().is_none()
}

fn equals(s: JsStr<'_>, text: &str) -> bool {
    match s {
        JsStr::Text(actual) => actual == text,
        JsStr::Unit(u) => is_unit(u, text),
    }
}

/// `includes`, `startsWith` and `endsWith` on one code unit: true for the empty text and the
/// unit itself.
fn unit_affix(u: u16, text: &str) -> bool {
    text.is_empty() || is_unit(u, text)
}

fn ends_with(s: JsStr<'_>, suffix: &Suffix) -> bool {
    match (s, suffix.lone_low_surrogate) {
        (JsStr::Text(actual), None) => actual.ends_with(&*suffix.text),
        (JsStr::Text(actual), Some(low)) => {
            let Some(head) = actual.strip_suffix(&*suffix.text) else { return false };
            head.chars().next_back().is_some_and(|c| {
                let mut buffer = [0u16; 2];
                c.encode_utf16(&mut buffer).get(1) == Some(&low)
            })
        }
        (JsStr::Unit(u), None) => unit_affix(u, &suffix.text),
        (JsStr::Unit(u), Some(low)) => suffix.text.is_empty() && u == low,
    }
}

/// `validateValue(actual, operator, expected)`.
fn test<J: CallJson>(test: &Test, actual: Js<J>) -> bool {
    let actual = &actual;
    match test {
        Test::Equals(text) => as_str(actual).is_some_and(|s| equals(s, text)),
        Test::NotEquals(text) => !as_str(actual).is_some_and(|s| equals(s, text)),
        Test::Compare(comparison, expected) => as_number(actual).is_some_and(|n| match comparison {
            Comparison::Less => n < *expected,
            Comparison::LessOrEqual => n <= *expected,
            Comparison::Greater => n > *expected,
            Comparison::GreaterOrEqual => n >= *expected,
        }),
        Test::Contains { text, negated } => as_str(actual).is_some_and(|s| {
            negated
                ^ match s {
                    JsStr::Text(actual) => actual.contains(&**text),
                    JsStr::Unit(u) => unit_affix(u, text),
                }
        }),
        Test::StartsWith { text, negated } => as_str(actual).is_some_and(|s| {
            negated
                ^ match s {
                    JsStr::Text(actual) => actual.starts_with(&**text),
                    JsStr::Unit(u) => unit_affix(u, text),
                }
        }),
        Test::EndsWith { suffix, negated } => as_str(actual).is_some_and(|s| negated ^ ends_with(s, suffix)),
        Test::Exists => !is_nullish(actual),
        Test::NotExists => is_nullish(actual),
        Test::IsTrue => matches!(actual, Js::Json(v) if v.as_bool() == Some(true)),
        Test::IsFalse => matches!(actual, Js::Json(v) if v.as_bool() == Some(false)),
        Test::Never => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::ast::Root;
    use super::*;
    use serde_json::{Value, json};

    fn property(test: Test) -> Node {
        Node::Test(Condition { field: Field::path(Root::Properties, "properties.value"), test })
    }

    fn group(any: bool, children: Vec<Node>) -> Node {
        Node::Group { any, children }
    }

    /// The verdict on `call`, the same whether it is read as a `Value` or from the tape.
    fn verdict(node: &Node, call: Value) -> bool {
        let node = group(false, vec![node.clone()]);
        let on_value = holds(&node, &Call::of(&call)).unwrap_or(false);
        let text = call.to_string();
        let mut tape = crate::fast::tape::Tape::default();
        assert!(tape.parse(&text));
        assert_eq!(holds(&node, &Call::of(tape.root(&text))).unwrap_or(false), on_value, "{node} on {text}");
        on_value
    }

    fn with_value(value: Value) -> Value {
        json!({ "properties": { "value": value } })
    }

    /// `validate.test.ts` (destination-subscriptions), 'operators - *', against the version of
    /// `validate.ts` that compares strictly (`actual === String(expected)`, numbers only for
    /// `<`...): where the older test expects loose equality, the strict verdict is asserted.
    #[test]
    fn applies_each_operator() {
        let eq = property(Test::Equals("x".into()));
        assert!(verdict(&eq, with_value(json!("x"))));
        assert!(!verdict(&eq, with_value(json!("y"))));
        // 'operators - equals (numbers)': strict, so the number 123 never equals "123".
        let eq = property(Test::Equals("123".into()));
        assert!(!verdict(&eq, with_value(json!(123))));
        assert!(verdict(&eq, with_value(json!("123"))));
        let ne = property(Test::NotEquals("123".into()));
        assert!(verdict(&ne, with_value(json!(123))));
        assert!(!verdict(&ne, with_value(json!("123"))));
        assert!(verdict(&ne, json!({})));
        let lt = property(Test::Compare(Comparison::Less, 10.0));
        assert!(verdict(&lt, with_value(json!(5))));
        assert!(!verdict(&lt, with_value(json!("5"))));
        assert!(!verdict(&lt, with_value(json!(10))));
        let le = property(Test::Compare(Comparison::LessOrEqual, 10.0));
        assert!(verdict(&le, with_value(json!(10))));
        assert!(!verdict(&le, with_value(json!(11))));
        let gt = property(Test::Compare(Comparison::Greater, 10.0));
        assert!(verdict(&gt, with_value(json!(11))));
        assert!(!verdict(&gt, with_value(json!(10))));
        let ge = property(Test::Compare(Comparison::GreaterOrEqual, 10.0));
        assert!(verdict(&ge, with_value(json!(10))));
        assert!(!verdict(&ge, with_value(json!(5))));
        let contains = property(Test::Contains { text: "b".into(), negated: false });
        assert!(verdict(&contains, with_value(json!("abc"))));
        assert!(!verdict(&contains, with_value(json!("xyz"))));
        let not_contains = property(Test::Contains { text: "b".into(), negated: true });
        assert!(!verdict(&not_contains, with_value(json!("abc"))));
        assert!(verdict(&not_contains, with_value(json!("xyz"))));
        assert!(!verdict(&not_contains, json!({})), "negated functions still need a string");
        let starts = property(Test::StartsWith { text: "x".into(), negated: false });
        assert!(verdict(&starts, with_value(json!("xabc"))));
        assert!(!verdict(&starts, with_value(json!("abc"))));
        let not_starts = property(Test::StartsWith { text: "x".into(), negated: true });
        assert!(verdict(&not_starts, with_value(json!("abc"))));
        let ends = property(Test::EndsWith { suffix: Suffix::after_first_unit("*x"), negated: false });
        assert!(verdict(&ends, with_value(json!("abcx"))));
        assert!(!verdict(&ends, with_value(json!("abc"))));
        let not_ends = property(Test::EndsWith { suffix: Suffix::after_first_unit("*x"), negated: true });
        assert!(verdict(&not_ends, with_value(json!("abc"))));
        let exists = property(Test::Exists);
        assert!(verdict(&exists, with_value(json!("abcx"))));
        assert!(!verdict(&exists, json!({"properties": {}})));
        assert!(!verdict(&exists, with_value(Value::Null)));
        let not_exists = property(Test::NotExists);
        assert!(!verdict(&not_exists, with_value(json!("abcx"))));
        assert!(verdict(&not_exists, json!({"properties": {}})));
        assert!(verdict(&not_exists, with_value(Value::Null)));
        assert!(verdict(&property(Test::IsTrue), with_value(json!(true))));
        assert!(!verdict(&property(Test::IsTrue), with_value(json!("true"))));
        assert!(verdict(&property(Test::IsFalse), with_value(json!(false))));
        assert!(!verdict(&property(Test::IsFalse), with_value(json!(0))));
        assert!(!verdict(&property(Test::Never), with_value(json!("x"))));
    }

    #[test]
    fn groups_short_circuit_and_broken_groups_throw() {
        let track = Node::Test(Condition { field: Field::Type, test: Test::Equals("track".into()) });
        let or = group(true, vec![track.clone(), Node::Broken]);
        assert_eq!(holds(&or, &Call::of(&json!({"type": "track"}))), Ok(true));
        assert_eq!(holds(&or, &Call::of(&json!({"type": "page"}))), Err(Thrown));
        let and = group(false, vec![track, Node::Broken]);
        assert_eq!(holds(&and, &Call::of(&json!({"type": "page"}))), Ok(false));
        assert_eq!(holds(&and, &Call::of(&json!({"type": "track"}))), Err(Thrown));
    }

    /// 'should handle undefined event', 'empty string as event', 'empty event' in validate.test.ts.
    #[test]
    fn odd_calls() {
        let eq = property(Test::Equals("x".into()));
        assert_eq!(holds(&group(false, vec![eq.clone()]), &Call::of(&Value::Null)), Err(Thrown));
        assert!(!verdict(&eq, json!("")));
        assert!(!verdict(&eq, json!({})));
        assert!(verdict(&property(Test::NotEquals("x".into())), json!([1])));
    }

    #[test]
    fn surrogate_halves() {
        let ends = property(Test::EndsWith { suffix: Suffix::after_first_unit("😀"), negated: false });
        // "😀".slice(1) is the low surrogate 0xDE00, which 😀 (D83D DE00) and 🈀 (D83C DE00) end with.
        assert!(verdict(&ends, with_value(json!("a😀"))));
        assert!(verdict(&ends, with_value(json!("🈀"))));
        assert!(!verdict(&ends, with_value(json!("😁"))));
        let first = Node::Test(Condition { field: Field::path(Root::Properties, "properties.value.0"), test: Test::Equals("a".into()) });
        assert!(verdict(&first, with_value(json!("abc"))));
        let length = Node::Test(Condition { field: Field::path(Root::Properties, "properties.value.length"), test: Test::Compare(Comparison::Greater, 2.0) });
        assert!(verdict(&length, with_value(json!([1, 2, 3]))));
        assert!(!verdict(&length, with_value(json!([1, 2]))));
    }
}
