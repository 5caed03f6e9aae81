//! The parser: tokens to the subscription tree, exactly as the reference `parse-fql.ts` builds
//! it, and a trace of what it did with every token for the lints.
//!
//! The reference parser, reproduced here:
//! - joins `name . name` tokens into one dotted name (`normalize`); a segment starting with a
//!   digit is a number token and is not joined;
//! - reads a level left to right. A field name takes the next two tokens as operator and value,
//!   whatever they are. `contains`/`match` (optionally after `!`) take the next five tokens by
//!   position: `(`, field, `,`, value, `)`. A `(` takes every token up to the first `)` as a
//!   group. `and`/`or` set the level's combinator: the last one wins for the whole level (no
//!   precedence). Anything else is skipped silently, unknown field names included;
//! - a group inside a group, an unclosed `(`, a missing value, or a trigger with no condition
//!   it knows make `parseFql` return an error: the subscription never matches.

use super::ast::{Condition, Field, Node, Root, Suffix, Test, TokenValue};
use super::lexer::{Kind, Token};
use super::lookup;

/// The fields a condition can read, as the reference's `tokenToConditionType` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldKind {
    Type,
    Event,
    Name,
    UserId,
    Properties,
    Traits,
    Context,
}

impl FieldKind {
    fn of_head(head: &str) -> Option<FieldKind> {
        Some(match head {
            "type" => FieldKind::Type,
            "event" => FieldKind::Event,
            "name" => FieldKind::Name,
            "userId" => FieldKind::UserId,
            "properties" => FieldKind::Properties,
            "traits" => FieldKind::Traits,
            "context" => FieldKind::Context,
            _ => return None,
        })
    }

    /// The root object of a path field.
    pub(super) fn root(self) -> Option<Root> {
        match self {
            FieldKind::Properties => Some(Root::Properties),
            FieldKind::Traits => Some(Root::Traits),
            FieldKind::Context => Some(Root::Context),
            _ => None,
        }
    }

    fn field(self, name: &str) -> Field {
        match self {
            FieldKind::Type => Field::Type,
            FieldKind::Event => Field::Event,
            FieldKind::Name => Field::Name,
            FieldKind::UserId => Field::UserId,
            FieldKind::Properties => Field::path(Root::Properties, name),
            FieldKind::Traits => Field::path(Root::Traits, name),
            FieldKind::Context => Field::path(Root::Context, name),
        }
    }
}

/// What the parser did, token by token (indices into [`Parsed::tokens`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    /// A level (the whole trigger, or a group when `group`) ended with these combinator tokens
    /// and this many nodes.
    Level { combinators: Vec<usize>, nodes: usize, group: bool },
    /// `field operator value`.
    Condition { field: usize, operator: usize, value: usize, kind: FieldKind },
    /// `[!]contains(...)` or `[!]match(...)`; `target` is `None` when the reference dropped it.
    Function {
        name: usize,
        bang: Option<usize>,
        open: Option<usize>,
        arg: usize,
        comma: Option<usize>,
        value: usize,
        close: Option<usize>,
        target: Option<FieldKind>,
    },
    /// A name that is no field. `swallowed`: the two tokens after it, taken as its operator and
    /// value because the name is a member of every JavaScript object (`constructor`).
    Unknown { token: usize, swallowed: Option<(usize, usize)> },
    /// A token skipped without effect.
    Ignored { token: usize },
    /// A parenthesised group with no condition the reference knows.
    EmptyGroup { open: usize, close: usize },
}

/// A parse that the reference accepts.
#[derive(Debug, Clone)]
pub(super) struct Parsed {
    /// Always a group, as `parseFql` returns it.
    pub root: Node,
    /// The tokens after joining dotted names, plus the end markers of groups.
    pub tokens: Vec<Token>,
    pub steps: Vec<Step>,
}

/// Why the reference parser returns an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ParseError {
    /// Character offset.
    pub position: usize,
    pub message: String,
}

/// Parses lexed tokens (ending with `Eos`) as `parseFql` does.
pub(super) fn parse(tokens: Vec<Token>) -> Result<Parsed, ParseError> {
    let mut parser = Parser { tokens: normalize(tokens), steps: Vec::new() };
    let list: Vec<usize> = (0..parser.tokens.len()).collect();
    let root = match parser.level(&list, false)? {
        None => return Err(parser.no_condition()),
        Some(Node::Broken) => {
            let open = parser.steps.iter().find_map(|s| if let Step::EmptyGroup { open, .. } = s { Some(*open) } else { None });
            let position = open.map_or(0, |o| parser.tokens[o].start);
            return Err(ParseError {
                position,
                message: "the only group has no condition the reference knows, so its parser returns nothing for this trigger".to_owned(),
            });
        }
        Some(group @ Node::Group { .. }) => group,
        Some(test) => Node::Group { any: false, children: vec![test] },
    };
    Ok(Parsed { root, tokens: parser.tokens, steps: parser.steps })
}

/// Joins `name . name` into one name token (`normalize` in `parse-fql.ts`).
fn normalize(tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let joins =
            out.last().is_some_and(|t| t.kind == Kind::Ident) && tokens[i].kind == Kind::Dot && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident);
        match out.pop() {
            Some(mut last) if joins => {
                let next = &tokens[i + 1];
                last.value = format!("{}.{}", last.value, next.value);
                last.end = next.end;
                last.escaped_separator = last.escaped_separator.or(next.escaped_separator);
                out.push(last);
                i += 2;
            }
            popped => {
                out.extend(popped);
                out.push(tokens[i].clone());
                i += 1;
            }
        }
    }
    out
}

fn is_function(token: &Token) -> bool {
    token.kind == Kind::Ident && (token.value == "contains" || token.value == "match")
}

struct Parser {
    tokens: Vec<Token>,
    steps: Vec<Step>,
}

/// `tokens.shift()` over a level's list.
fn shift(list: &[usize], i: &mut usize) -> Option<usize> {
    let token = list.get(*i).copied();
    if token.is_some() {
        *i += 1;
    }
    token
}

impl Parser {
    fn error(&self, token: usize, message: impl Into<String>) -> ParseError {
        ParseError { position: self.tokens[token].start, message: message.into() }
    }

    fn no_condition(&self) -> ParseError {
        let unknown = self.steps.iter().find_map(|s| if let Step::Unknown { token, .. } = s { Some(*token) } else { None });
        ParseError {
            position: unknown.map_or(0, |t| self.tokens[t].start),
            message: "no condition the reference knows (fields: type, event, name, userId, properties.<path>, traits.<path>, context.<path>)".to_owned(),
        }
    }

    /// One level: `parse(tokens)` in `parse-fql.ts`. `None` is its `undefined` (no node).
    fn level(&mut self, list: &[usize], in_group: bool) -> Result<Option<Node>, ParseError> {
        let mut i = 0;
        let mut nodes = Vec::new();
        let mut any = false;
        let mut combinators = Vec::new();
        while let Some(t) = shift(list, &mut i) {
            let (kind, value) = (self.tokens[t].kind, self.tokens[t].value.clone());
            match kind {
                Kind::Eos => break,
                Kind::Ident => {
                    let head = value.split('.').next().unwrap_or_default();
                    if let Some(field) = FieldKind::of_head(head) {
                        let (operator, value) = self.operands(t, list, &mut i)?;
                        nodes.push(self.condition(t, operator, value, field));
                    } else if lookup::is_object_prototype_member(head) {
                        let operands = self.operands(t, list, &mut i)?;
                        self.steps.push(Step::Unknown { token: t, swallowed: Some(operands) });
                    } else if is_function(&self.tokens[t]) {
                        self.function(t, None, list, &mut i, &mut nodes)?;
                    } else {
                        self.steps.push(Step::Unknown { token: t, swallowed: None });
                    }
                }
                Kind::Operator if value == "!" => match list.get(i) {
                    Some(&next) if is_function(&self.tokens[next]) => {
                        i += 1;
                        self.function(next, Some(t), list, &mut i, &mut nodes)?;
                    }
                    Some(_) => self.steps.push(Step::Ignored { token: t }),
                    None => return Err(self.error(t, "`!` ends the trigger")),
                },
                Kind::ParenLeft => {
                    let mut group = Vec::new();
                    let close = loop {
                        match shift(list, &mut i) {
                            None if in_group => {
                                return Err(self.error(t, "parentheses nest here: the reference supports one level of parentheses"));
                            }
                            None => return Err(self.error(t, "this `(` is never closed")),
                            Some(g) if self.tokens[g].kind == Kind::ParenRight => break g,
                            Some(g) => group.push(g),
                        }
                    };
                    let position = self.tokens[close].start;
                    self.tokens.push(Token { kind: Kind::Eos, value: "eos".into(), start: position, end: position, escaped_separator: None, synthetic: true });
                    group.push(self.tokens.len() - 1);
                    match self.level(&group, true)? {
                        Some(node) => nodes.push(node),
                        None => {
                            nodes.push(Node::Broken);
                            self.steps.push(Step::EmptyGroup { open: t, close });
                        }
                    }
                }
                Kind::Conditional => {
                    any = value == "or";
                    combinators.push(t);
                }
                _ => self.steps.push(Step::Ignored { token: t }),
            }
        }
        self.steps.push(Step::Level { combinators, nodes: nodes.len(), group: in_group });
        Ok(match nodes.len() {
            0 => None,
            1 => nodes.pop(),
            _ => Some(Node::Group { any, children: nodes }),
        })
    }

    /// The operator and value tokens after a field name.
    fn operands(&self, field: usize, list: &[usize], i: &mut usize) -> Result<(usize, usize), ParseError> {
        let name = &self.tokens[field].value;
        let operator = shift(list, i).ok_or_else(|| self.error(field, format!("`{name}` has no operator")))?;
        let value = shift(list, i).ok_or_else(|| self.error(field, format!("`{name}` has no value to compare with")))?;
        Ok((operator, value))
    }

    fn condition(&mut self, field: usize, operator: usize, value: usize, kind: FieldKind) -> Node {
        self.steps.push(Step::Condition { field, operator, value, kind });
        let (op, val) = (self.tokens[operator].value.as_str(), &self.tokens[value]);
        let exists = op == "!=" && val.value == "null";
        let not_exists = op == "=" && val.value == "null";
        let is_true = op == "=" && val.value == "true";
        let is_false = op == "=" && val.value == "false";
        let test = match kind {
            // `value: String(getTokenValue(valueToken))`, no special cases.
            FieldKind::Type | FieldKind::Event => Test::from_operator(op, &TokenValue::Text(TokenValue::of(val).text())),
            FieldKind::Name if exists => Test::Exists,
            FieldKind::Name if not_exists => Test::NotExists,
            FieldKind::Name => Test::from_operator(op, &TokenValue::Text(TokenValue::of(val).text())),
            _ if exists => Test::Exists,
            _ if not_exists => Test::NotExists,
            _ if is_true => Test::IsTrue,
            _ if is_false => Test::IsFalse,
            FieldKind::UserId => Test::from_operator(op, &TokenValue::Text(TokenValue::of(val).text())),
            // Paths keep the raw value: `Number(true)` is 1 there.
            FieldKind::Properties | FieldKind::Traits | FieldKind::Context => Test::from_operator(op, &TokenValue::of(val)),
        };
        Node::Test(Condition { field: kind.field(&self.tokens[field].value), test })
    }

    /// `parseFqlFunction`: five tokens by position, whatever they are.
    fn function(&mut self, name: usize, bang: Option<usize>, list: &[usize], i: &mut usize, nodes: &mut Vec<Node>) -> Result<(), ParseError> {
        let function = self.tokens[name].value.clone();
        let open = shift(list, i);
        let arg = shift(list, i).ok_or_else(|| self.error(name, format!("{function}() has no first argument")))?;
        let comma = shift(list, i);
        let value = shift(list, i).ok_or_else(|| self.error(name, format!("{function}() has no second argument")))?;
        let close = shift(list, i);
        let arg_name = self.tokens[arg].value.clone();
        let target = match arg_name.as_str() {
            "event" => Some(FieldKind::Event),
            "name" => Some(FieldKind::Name),
            "userId" => Some(FieldKind::UserId),
            // `/^(properties)/.test(name)`: a prefix, not a segment.
            n if n.starts_with("properties") => Some(FieldKind::Properties),
            n if n.starts_with("traits") => Some(FieldKind::Traits),
            n if n.starts_with("context") => Some(FieldKind::Context),
            _ => None,
        };
        self.steps.push(Step::Function { name, bang, open, arg, comma, value, close, target });
        let Some(target) = target else { return Ok(()) };
        let negated = bang.is_some();
        let text = TokenValue::of(&self.tokens[value]).text();
        let test = if function == "contains" {
            Test::Contains { text: text.into(), negated }
        } else if self.tokens[value].value.ends_with("*\"") {
            let mut prefix = text;
            prefix.pop();
            Test::StartsWith { text: prefix.into(), negated }
        } else {
            Test::EndsWith { suffix: Suffix::after_first_unit(&text), negated }
        };
        nodes.push(Node::Test(Condition { field: target.field(&arg_name), test }));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::lex;
    use super::*;

    fn tree(source: &str) -> String {
        parse(lex(source).unwrap()).unwrap().root.to_string()
    }

    fn error(source: &str) -> ParseError {
        parse(lex(source).unwrap()).unwrap_err()
    }

    /// The cases of `packages/destination-subscriptions/src/__tests__/fql.test.ts`
    /// (segmentio/action-destinations), expected trees written in this crate's notation.
    #[test]
    fn builds_the_reference_trees() {
        let cases = [
            ("type = \"track\"", r#"and(type = "track")"#),
            ("type = \"track\" or type = \"identify\"", r#"or(type = "track", type = "identify")"#),
            ("event = \"Product Added\"", r#"and(event = "Product Added")"#),
            ("userId != null", "and(userId exists)"),
            ("name = \"Home\"", r#"and(name = "Home")"#),
            ("event = \"Product Added\" or event = \"Order Completed\"", r#"or(event = "Product Added", event = "Order Completed")"#),
            ("type = \"track\" and event = \"Product Added\"", r#"and(type = "track", event = "Product Added")"#),
            (
                "type = \"track\" and (event = \"Product Added\" or event = \"Order Completed\")",
                r#"and(type = "track", or(event = "Product Added", event = "Order Completed"))"#,
            ),
            ("event = \"Product Added\" and properties.price >= 100", r#"and(event = "Product Added", properties[price] >= 100)"#),
            ("event = \"identify\" and traits.logins >= 10", r#"and(event = "identify", traits[logins] >= 10)"#),
            (
                "event = \"Product Added\" and properties.price >= 100 and properties.premium = \"true\"",
                r#"and(event = "Product Added", properties[price] >= 100, properties[premium] = "true")"#,
            ),
            (
                "(event = \"Product Added\" and properties.price >= 100) or (event = \"Order Completed\" and properties.total >= 500)",
                r#"or(and(event = "Product Added", properties[price] >= 100), and(event = "Order Completed", properties[total] >= 500))"#,
            ),
            ("contains(event, \"Nike\")", r#"and(contains(event, "Nike"))"#),
            ("event = \"Product Added\" and contains(properties.name, \"Nike\")", r#"and(event = "Product Added", contains(properties[name], "Nike"))"#),
            ("event = \"Product Added\" and contains(traits.name, \"Nike\")", r#"and(event = "Product Added", contains(traits[name], "Nike"))"#),
            ("!contains(event, \"Nike\")", r#"and(!contains(event, "Nike"))"#),
            ("event = \"Product Added\" and !contains(properties.name, \"Nike\")", r#"and(event = "Product Added", !contains(properties[name], "Nike"))"#),
            ("match(event, \"X*\")", r#"and(starts_with(event, "X"))"#),
            ("event = \"Product Added\" and match(properties.name, \"X*\")", r#"and(event = "Product Added", starts_with(properties[name], "X"))"#),
            ("!match(event, \"X*\")", r#"and(!starts_with(event, "X"))"#),
            ("match(event, \"*X\")", r#"and(ends_with(event, "X"))"#),
            ("event = \"Product Added\" and !match(traits.name, \"*X\")", r#"and(event = "Product Added", !ends_with(traits[name], "X"))"#),
            ("event = \"Product Added\" and properties.name != null", r#"and(event = "Product Added", properties[name] exists)"#),
            ("event = \"Product Added\" and traits.name = null", r#"and(event = "Product Added", traits[name] not_exists)"#),
            // 'should handle missing values': the end-of-statement token becomes the value.
            ("type = ", r#"and(type = "eos")"#),
        ];
        for (source, expected) in cases {
            assert_eq!(tree(source), expected, "{source}");
        }
    }

    /// 'should handle invalid payloads', 'incomplete payloads', 'empty payload' in fql.test.ts.
    #[test]
    fn rejects_what_the_reference_rejects() {
        assert_eq!(error("typo").position, 0);
        assert!(error("type").message.contains("no value"));
        assert!(parse(Vec::new()).is_err());
        assert!(parse(lex("").unwrap()).is_err());
        assert_eq!(error("type = \"a\" and (event = \"b\" or (event = \"c\"))").position, 31);
        assert_eq!(error("type = \"a\" and (event = \"b\"").position, 15);
        assert!(error("(foo = \"b\")").message.contains("group"));
        assert!(error("contains(event").message.contains("second argument"));
    }

    #[test]
    fn has_no_precedence() {
        assert_eq!(tree("type = \"a\" and event = \"b\" or event = \"c\""), r#"or(type = "a", event = "b", event = "c")"#);
        assert_eq!(tree("type = \"a\" or event = \"b\" and event = \"c\""), r#"and(type = "a", event = "b", event = "c")"#);
    }

    #[test]
    fn reproduces_the_lookup_shapes() {
        assert_eq!(tree("properties.a.b = 1"), r#"and(properties[a][b] = "1")"#);
        assert_eq!(tree("properties = \"x\""), r#"and(properties[properties] = "x")"#);
        assert_eq!(tree("contains(propertiesX.y, \"a\")"), r#"and(contains(properties[propertiesX][y], "a"))"#);
        assert_eq!(tree("properties.a\\.b = true"), "and(properties[a][b] is_true)");
        assert_eq!(tree("properties.first\\ name != false"), r#"and(properties[first name] != "false")"#);
        assert_eq!(tree("properties.0 = \"x\" and type = \"t\""), r#"and(properties[properties] never, type = "t")"#);
        assert_eq!(tree("event contains \"x\""), r#"and(contains(event, "x"))"#);
        assert_eq!(tree("name = true and userId = true"), r#"and(name = "true", userId is_true)"#);
        assert_eq!(tree("event != null"), r#"and(event != "null")"#);
        assert_eq!(tree("match(event, \"abc\")"), r#"and(ends_with(event, "bc"))"#);
    }

    #[test]
    fn drops_unknown_fields_and_ignores_stray_tokens() {
        assert_eq!(tree("typo = \"x\" and type = \"track\""), r#"and(type = "track")"#);
        assert_eq!(tree("contains(type, \"x\") or event = \"e\""), r#"and(event = "e")"#);
        assert_eq!(tree("!event = \"e\""), r#"and(event = "e")"#);
        assert_eq!(tree("constructor ( type = \"t\" ) and event = \"e\""), r#"and(event = "e")"#);
        assert_eq!(tree("type = \"t\" or ()"), r#"or(type = "t", undefined)"#);
    }

    #[test]
    fn a_function_call_closes_its_group() {
        assert_eq!(
            tree("type = \"t\" and (contains(event, \"x\") or contains(event, \"y\"))"),
            r#"or(type = "t", contains(event, "x"), contains(event, "y"))"#
        );
    }
}
