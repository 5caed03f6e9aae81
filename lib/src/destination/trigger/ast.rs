//! The parsed trigger: the reference's subscription tree (`types.ts`), with every value already
//! converted the way `validate.ts` converts it, so evaluating a call only compares.

use super::js;
use super::lexer::{Kind, Token};
use crate::destination::call::at;

/// A node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    /// One condition.
    Test(Condition),
    /// Children joined by `or` (`any`) or `and`.
    Group { any: bool, children: Vec<Node> },
    /// What the reference pushes for a parenthesised group with no condition it knows:
    /// `undefined`. Evaluating it throws, and the destination drops the call.
    Broken,
}

/// A field compared with a value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Condition {
    pub field: Field,
    pub test: Test,
}

/// What a condition reads from the call.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Field {
    Type,
    Event,
    Name,
    UserId,
    /// `properties.<path>`, `traits.<path>` or `context.<path>`, split into the segments
    /// `get.ts` walks (runs of characters other than `.`, `[` and `]`).
    Path {
        root: Root,
        segments: Box<[Box<str>]>,
    },
}

/// The object a path starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Root {
    Properties,
    Traits,
    Context,
}

impl Root {
    /// The position of its key in a [`Call`](crate::destination::Call).
    pub(super) fn slot(self) -> usize {
        match self {
            Root::Properties => at::PROPERTIES,
            Root::Traits => at::TRAITS,
            Root::Context => at::CONTEXT,
        }
    }

    /// The top-level key of the call.
    pub(super) fn key(self) -> &'static str {
        match self {
            Root::Properties => "properties",
            Root::Traits => "traits",
            Root::Context => "context",
        }
    }
}

impl Node {
    /// Whether a condition of the tree reads a path from `root`.
    pub(super) fn reads(&self, root: Root) -> bool {
        match self {
            Node::Test(Condition { field: Field::Path { root: r, .. }, .. }) => *r == root,
            Node::Test(_) | Node::Broken => false,
            Node::Group { children, .. } => children.iter().any(|c| c.reads(root)),
        }
    }
}

impl Field {
    /// A path field from a name as the reference derives it: `properties.a.b` without its
    /// `properties.` prefix (a name without the prefix is used whole).
    pub(super) fn path(root: Root, name: &str) -> Field {
        let rest = name.strip_prefix(root.key()).and_then(|r| r.strip_prefix('.')).unwrap_or(name);
        let segments = rest.split(['.', '[', ']']).filter(|s| !s.is_empty()).map(Box::from).collect();
        Field::Path { root, segments }
    }
}

/// `=`, `<`, `<=`, `>`, `>=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// The test a condition applies to the field's value (`validateValue` in `validate.ts`).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Test {
    /// `actual === String(expected)`: a string equal to the text.
    Equals(Box<str>),
    /// `actual !== String(expected)`: true for anything but that string, missing included.
    NotEquals(Box<str>),
    /// `typeof actual === 'number' && actual <op> Number(expected)`.
    Compare(Comparison, f64),
    /// `typeof actual === 'string' && [!]actual.includes(text)`.
    Contains { text: Box<str>, negated: bool },
    /// `typeof actual === 'string' && [!]actual.startsWith(text)`.
    StartsWith { text: Box<str>, negated: bool },
    /// `typeof actual === 'string' && [!]actual.endsWith(suffix)`.
    EndsWith { suffix: Suffix, negated: bool },
    /// Neither `undefined` nor `null`.
    Exists,
    /// `undefined` or `null`.
    NotExists,
    /// The boolean `true`.
    IsTrue,
    /// The boolean `false`.
    IsFalse,
    /// An operator the reference does not know: `validateValue` returns false.
    Never,
}

/// The suffix of `match(field, "*suffix")`. The reference cuts the first UTF-16 code unit off
/// the pattern, which can leave half of a surrogate pair in front of the text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Suffix {
    pub lone_low_surrogate: Option<u16>,
    pub text: Box<str>,
}

impl Suffix {
    /// `pattern.slice(1)` in JavaScript.
    pub(super) fn after_first_unit(pattern: &str) -> Suffix {
        let mut chars = pattern.chars();
        match chars.next() {
            None => Suffix { lone_low_surrogate: None, text: "".into() },
            Some(first) => {
                let mut buffer = [0u16; 2];
                let units = first.encode_utf16(&mut buffer);
                Suffix { lone_low_surrogate: units.get(1).copied(), text: chars.as_str().into() }
            }
        }
    }
}

/// A token read as a value, as `getTokenValue` in `parse-fql.ts` reads it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum TokenValue {
    Text(String),
    Number(f64),
    Bool(bool),
}

impl TokenValue {
    /// Double-quoted strings lose their quotes (single-quoted ones keep them), numbers are
    /// `Number(text)`, `true`/`false` names are booleans, anything else is its text (`null`,
    /// a bare word, even `eos` or `(`).
    pub(super) fn of(token: &Token) -> TokenValue {
        match token.kind {
            Kind::Str => {
                let text = token.value.strip_prefix('"').unwrap_or(&token.value);
                TokenValue::Text(text.strip_suffix('"').unwrap_or(text).to_owned())
            }
            Kind::Number => TokenValue::Number(js::string_to_number(&token.value)),
            Kind::Ident if token.value == "true" || token.value == "false" => TokenValue::Bool(token.value == "true"),
            _ => TokenValue::Text(token.value.clone()),
        }
    }

    /// `String(value)`.
    pub(super) fn text(&self) -> String {
        match self {
            TokenValue::Text(text) => text.clone(),
            TokenValue::Number(n) => js::number_to_string(*n),
            TokenValue::Bool(b) => b.to_string(),
        }
    }

    /// `Number(value)`.
    pub(super) fn number(&self) -> f64 {
        match self {
            TokenValue::Text(text) => js::string_to_number(text),
            TokenValue::Number(n) => *n,
            TokenValue::Bool(b) => f64::from(u8::from(*b)),
        }
    }
}

/// The operators `validateValue` knows, by the text the reference takes from the operator
/// token. Names count too: `event contains "x"` reaches `case 'contains'`.
pub(super) const OPERATOR_WORDS: &[&str] =
    &["contains", "not_contains", "starts_with", "not_starts_with", "ends_with", "not_ends_with", "exists", "not_exists", "is_true", "is_false"];

impl Test {
    /// The test `validateValue(actual, operator, expected)` applies.
    pub(super) fn from_operator(operator: &str, expected: &TokenValue) -> Test {
        let text = || expected.text().into_boxed_str();
        match operator {
            "=" => Test::Equals(text()),
            "!=" => Test::NotEquals(text()),
            "<" => Test::Compare(Comparison::Less, expected.number()),
            "<=" => Test::Compare(Comparison::LessOrEqual, expected.number()),
            ">" => Test::Compare(Comparison::Greater, expected.number()),
            ">=" => Test::Compare(Comparison::GreaterOrEqual, expected.number()),
            "contains" | "not_contains" => Test::Contains { text: text(), negated: operator == "not_contains" },
            "starts_with" | "not_starts_with" => Test::StartsWith { text: text(), negated: operator == "not_starts_with" },
            "ends_with" | "not_ends_with" => Test::EndsWith { suffix: Suffix { lone_low_surrogate: None, text: text() }, negated: operator == "not_ends_with" },
            "exists" => Test::Exists,
            "not_exists" => Test::NotExists,
            "is_true" => Test::IsTrue,
            "is_false" => Test::IsFalse,
            _ => Test::Never,
        }
    }
}

/// A compact rendering for tests: `and(type = "track", or(event = "A", event = "B"))`.
#[cfg(test)]
impl std::fmt::Display for Node {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Node::Broken => write!(f, "undefined"),
            Node::Group { any, children } => {
                write!(f, "{}(", if *any { "or" } else { "and" })?;
                for (i, child) in children.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{child}")?;
                }
                write!(f, ")")
            }
            Node::Test(Condition { field, test }) => {
                let field = match field {
                    Field::Type => "type".to_owned(),
                    Field::Event => "event".to_owned(),
                    Field::Name => "name".to_owned(),
                    Field::UserId => "userId".to_owned(),
                    Field::Path { root, segments } => format!("{}{}", root.key(), segments.iter().map(|s| format!("[{s}]")).collect::<String>()),
                };
                match test {
                    Test::Equals(t) => write!(f, "{field} = {t:?}"),
                    Test::NotEquals(t) => write!(f, "{field} != {t:?}"),
                    Test::Compare(c, n) => {
                        let op = match c {
                            Comparison::Less => "<",
                            Comparison::LessOrEqual => "<=",
                            Comparison::Greater => ">",
                            Comparison::GreaterOrEqual => ">=",
                        };
                        write!(f, "{field} {op} {n}")
                    }
                    Test::Contains { text, negated } => write!(f, "{}contains({field}, {text:?})", if *negated { "!" } else { "" }),
                    Test::StartsWith { text, negated } => write!(f, "{}starts_with({field}, {text:?})", if *negated { "!" } else { "" }),
                    Test::EndsWith { suffix, negated } => write!(f, "{}ends_with({field}, {:?})", if *negated { "!" } else { "" }, suffix.text),
                    Test::Exists => write!(f, "{field} exists"),
                    Test::NotExists => write!(f, "{field} not_exists"),
                    Test::IsTrue => write!(f, "{field} is_true"),
                    Test::IsFalse => write!(f, "{field} is_false"),
                    Test::Never => write!(f, "{field} never"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_as_get_splits_them() {
        let Field::Path { segments, .. } = Field::path(Root::Properties, "properties.a.b[0]") else { panic!() };
        assert_eq!(&*segments, &["a".into(), "b".into(), "0".into()] as &[Box<str>]);
        let Field::Path { segments, .. } = Field::path(Root::Properties, "properties") else { panic!() };
        assert_eq!(&*segments, &["properties".into()] as &[Box<str>]);
        let Field::Path { segments, .. } = Field::path(Root::Context, "contextual.x") else { panic!() };
        assert_eq!(&*segments, &["contextual".into(), "x".into()] as &[Box<str>]);
    }

    #[test]
    fn slices_the_first_code_unit() {
        assert_eq!(Suffix::after_first_unit("*ab"), Suffix { lone_low_surrogate: None, text: "ab".into() });
        assert_eq!(Suffix::after_first_unit(""), Suffix { lone_low_surrogate: None, text: "".into() });
        assert_eq!(Suffix::after_first_unit("😀x"), Suffix { lone_low_surrogate: Some(0xDE00), text: "x".into() });
    }

    #[test]
    fn converts_values_as_the_reference() {
        let token = |kind, value: &str| Token { kind, value: value.into(), start: 0, end: 0, escaped_separator: None, synthetic: false };
        assert_eq!(TokenValue::of(&token(Kind::Str, "\"a\"")), TokenValue::Text("a".into()));
        assert_eq!(TokenValue::of(&token(Kind::Str, "'a'")), TokenValue::Text("'a'".into()));
        assert_eq!(TokenValue::of(&token(Kind::Number, "+5.0")).text(), "5");
        assert_eq!(TokenValue::of(&token(Kind::Ident, "true")), TokenValue::Bool(true));
        assert_eq!(TokenValue::of(&token(Kind::Null, "null")).text(), "null");
        assert_eq!(TokenValue::of(&token(Kind::Eos, "eos")).text(), "eos");
        assert_eq!(TokenValue::Bool(true).number(), 1.0);
        assert!(TokenValue::Text("true".into()).number().is_nan());
    }
}
