//! The lints: what the reference parser did with a trigger that its author probably did not
//! mean, as notes with a place and a sentence saying what the destination will do. They read
//! the parser's steps; verdicts never depend on them.

use std::collections::HashSet;

use super::TriggerNote;
use super::ast::{OPERATOR_WORDS, Suffix, TokenValue};
use super::lexer::{Kind, Token};
use super::parser::{FieldKind, Parsed, Step};

/// The fields, for "did you mean".
const FIELDS: [&str; 7] = ["type", "event", "name", "userId", "properties", "traits", "context"];

const FIELD_LIST: &str = "`type`, `event`, `name`, `userId`, `properties.<path>`, `traits.<path>` and `context.<path>`";

/// The notes for a parsed trigger, in the order of their positions.
pub(super) fn notes(source: &str, parsed: &Parsed) -> Vec<TriggerNote> {
    let mut lints = Lints { tokens: &parsed.tokens, chars: source.chars().collect(), notes: Vec::new(), covered: HashSet::new() };
    lints.cover_parentheses_closed_by_calls(&parsed.steps);
    for step in &parsed.steps {
        match step {
            Step::Level { combinators, nodes, group } => lints.combinators(combinators, *nodes, *group),
            Step::Condition { field, operator, value, kind } => lints.condition(*field, *operator, *value, *kind),
            Step::Function { name, open, arg, comma, value, close, target, .. } => lints.function(*name, *open, *arg, *comma, *value, *close, *target),
            Step::Unknown { token, swallowed } => lints.unknown(*token, *swallowed),
            Step::Ignored { token } => lints.ignored(*token),
            Step::EmptyGroup { open, close } => lints.note(
                *open,
                *close,
                "this group has no condition the reference knows: its parser puts `undefined` in the tree, and the destination \
                 throws when it evaluates it, so a call whose verdict the conditions before it do not settle is dropped with an error"
                    .to_owned(),
            ),
        }
    }
    let mut notes = lints.notes;
    notes.sort_by_key(|n| (n.position, n.length));
    notes.dedup();
    notes
}

struct Lints<'a> {
    tokens: &'a [Token],
    chars: Vec<char>,
    notes: Vec<TriggerNote>,
    /// Tokens already explained by another note.
    covered: HashSet<usize>,
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

impl Lints<'_> {
    /// The trigger's text of tokens `first..=last`.
    fn source(&self, first: usize, last: usize) -> String {
        let (start, end) = (self.tokens[first].start, self.tokens[last].end.max(self.tokens[first].start));
        self.chars[start..end.min(self.chars.len())].iter().collect()
    }

    fn note(&mut self, first: usize, last: usize, message: String) {
        let (start, end) = (self.tokens[first].start, self.tokens[last].end);
        self.notes.push(TriggerNote { position: start, length: end.saturating_sub(start), message });
    }

    /// Covers `operator value` after token `t` when they look like one (`typo = "x"`); returns
    /// the last covered token.
    fn cover_operands(&mut self, t: usize) -> usize {
        let (Some(operator), Some(value)) = (self.tokens.get(t + 1), self.tokens.get(t + 2)) else { return t };
        let operator_like = operator.kind == Kind::Operator && operator.value != "!";
        // A name after the operator is only taken as the value when it is `true` or `false`:
        // any other name is read by the parser as a field or an unknown name of its own.
        let value_like =
            matches!(value.kind, Kind::Str | Kind::Number | Kind::Null) || (value.kind == Kind::Ident && matches!(value.value.as_str(), "true" | "false"));
        if operator_like && value_like && !operator.synthetic && !value.synthetic {
            self.covered.extend([t + 1, t + 2]);
            t + 2
        } else {
            t
        }
    }

    /// A call whose `)` ended its group leaves the group's own `)` unmatched: that one is
    /// explained by the call's note.
    fn cover_parentheses_closed_by_calls(&mut self, steps: &[Step]) {
        for (i, step) in steps.iter().enumerate() {
            let Step::Function { close: Some(close), .. } = step else { continue };
            if !self.tokens[*close].synthetic {
                continue;
            }
            let stray = steps[i..].iter().find_map(|s| match s {
                Step::Ignored { token } if self.tokens[*token].kind == Kind::ParenRight => Some(*token),
                _ => None,
            });
            self.covered.extend(stray);
        }
    }

    fn combinators(&mut self, combinators: &[usize], nodes: usize, group: bool) {
        let Some(&last) = combinators.last() else { return };
        let winner = self.tokens[last].value.clone();
        let when = if winner == "or" { "any one of them holds" } else { "all of them hold" };
        let level = if group { "group" } else { "trigger" };
        for &c in combinators {
            if self.tokens[c].value != winner {
                let message = format!(
                    "`{}` has no effect: the reference has no precedence between `and` and `or`, so the last combinator of this {level}, \
                     `{winner}` at character {}, joins all {nodes} of its conditions, and the destination runs the action when {when}; \
                     group with parentheses instead (`a and (b or c)`)",
                    self.tokens[c].value, self.tokens[last].start
                );
                self.note(c, c, message);
            }
        }
    }

    fn unknown(&mut self, t: usize, swallowed: Option<(usize, usize)>) {
        if self.covered.contains(&t) {
            return;
        }
        let name = self.tokens[t].value.clone();
        let last = match swallowed {
            Some((_, value)) if self.tokens[value].end >= self.tokens[t].end && !self.tokens[value].synthetic => value,
            Some(_) => t,
            None => self.cover_operands(t),
        };
        let message = if name == "and" || name == "or" {
            format!(
                "`{name}` directly followed by `(` is a name to the reference, not a combinator (those need a space, `,`, `)`, `]` or \
                 the end after them): it is ignored, so the conditions around it are joined by this level's other combinator, or by \
                 `and` when there is none"
            )
        } else if name.eq_ignore_ascii_case("and") || name.eq_ignore_ascii_case("or") {
            format!(
                "`{name}` is not a combinator to the reference (only lowercase `and` and `or` are): it is read as an unknown field and \
                 ignored, so the conditions around it are joined by this level's other combinator, or by `and` when there is none"
            )
        } else {
            let head = name.split('.').next().unwrap_or_default();
            let suggestion = crate::suggest::closest(head, FIELDS).map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default();
            format!(
                "`{name}` is not a field the reference reads{suggestion}: the condition is dropped silently, and the destination decides \
                 on the other conditions alone; the fields are {FIELD_LIST}"
            )
        };
        self.note(t, last, message);
    }

    fn ignored(&mut self, t: usize) {
        if self.covered.contains(&t) {
            return;
        }
        let tokens = self.tokens;
        let token = &tokens[t];
        let message = match token.kind {
            Kind::Operator if token.value == "!" => {
                if self.tokens.get(t + 1).is_some_and(|n| n.kind == Kind::ParenLeft) {
                    "`!` cannot negate a parenthesised group in the reference: it is ignored, and the group counts as written".to_owned()
                } else {
                    "`!` only negates contains() and match() in the reference: here it is ignored, so what follows is not negated".to_owned()
                }
            }
            Kind::ParenRight => "this `)` closes nothing: the reference ignores it".to_owned(),
            _ => format!("`{}` is not part of any condition: the reference ignores it", self.source(t, t)),
        };
        self.note(t, t, message);
    }

    fn condition(&mut self, field: usize, operator: usize, value: usize, kind: FieldKind) {
        let tokens = self.tokens;
        let (f, op, val) = (&tokens[field], &tokens[operator], &tokens[value]);
        let name = f.value.clone();
        if op.kind == Kind::Dot {
            let last = self.cover_operands(value);
            let message = format!(
                "`{name}.{}`: a path segment that starts with a digit is not joined to the name by the reference, which reads `.` as \
                 the operator, so this condition never holds (and what follows it up to the next condition is ignored)",
                val.value
            );
            self.note(field, last, message);
            return;
        }
        if matches!(op.value.as_str(), "<" | ">") && val.kind == Kind::Operator && val.value == "=" && op.end == val.start {
            let last = if self.tokens.get(value + 1).is_some_and(|t| t.kind == Kind::Number) {
                self.covered.insert(value + 1);
                value + 1
            } else {
                value
            };
            let message = format!(
                "`{0}=` must be followed by a space for the reference: it reads `{0}` as the operator and `=` as the value, so this \
                 condition never holds",
                op.value
            );
            self.note(operator, last, message);
            return;
        }
        let symbol = op.kind == Kind::Operator && matches!(op.value.as_str(), "=" | "!=" | "<" | "<=" | ">" | ">=");
        let word = op.kind == Kind::Ident && OPERATOR_WORDS.contains(&op.value.as_str());
        if word {
            let message = format!(
                "`{}` is not an operator of the trigger language, but the reference accepts the word and applies its `{}` test to \
                 `{name}`; write it as a function (contains(field, \"x\"), match(field, \"x*\")) or with `!= null` / `= null`",
                op.value, op.value
            );
            self.note(operator, operator, message);
        } else if !symbol {
            let also =
                if val.kind == Kind::Conditional { format!("; the `{}` after it is taken as the value and joins nothing", val.value) } else { String::new() };
            let message = format!(
                "`{}` stands where the operator of `{name}` should be: the reference takes it as the operator anyway, and a condition \
                 with an unknown operator never holds{also}",
                self.source(operator, operator)
            );
            self.note(operator, operator, message);
            return;
        }
        self.value(field, operator, value, kind);
        if let Some(root) = kind.root() {
            if !name.contains('.') {
                let message = format!("`{name}` has no path: the reference looks up `{0}.{0}`, a key named `{0}` inside `{0}`", root.key());
                self.note(field, field, message);
            }
            self.escaped_separator(field);
        }
    }

    /// Notes on the value of `field operator value`.
    fn value(&mut self, field: usize, operator: usize, value: usize, kind: FieldKind) {
        let tokens = self.tokens;
        let (name, op, val) = (tokens[field].value.clone(), tokens[operator].value.clone(), &tokens[value]);
        let path = kind.root().is_some();
        let texty = matches!(kind, FieldKind::Type | FieldKind::Event | FieldKind::Name);
        let numeric = matches!(op.as_str(), "<" | "<=" | ">" | ">=");
        let shown = self.source(value, value);
        let message = match val.kind {
            Kind::Str if val.value.starts_with('\'') => Some(self.single_quoted(&op, &val.value)),
            Kind::Ident if val.value == "true" || val.value == "false" => {
                let b = &val.value;
                if texty {
                    Some(format!("for `{name}`, `{b}` is compared as the text {}, not as a boolean", quoted(b)))
                } else if op == "!=" {
                    Some(format!(
                        "`!= {b}` compares `{name}` as text with {}, so the boolean {b} still passes; only `= true` and `= false` test \
                         booleans",
                        quoted(b)
                    ))
                } else {
                    None
                }
            }
            Kind::Ident => Some(format!("`{shown}` is not quoted: the reference compares with the text {}; quote it", quoted(&val.value))),
            Kind::Null if matches!(kind, FieldKind::Type | FieldKind::Event) => Some(format!(
                "for `{name}`, `null` is compared as the text \"null\": `{name} != null` holds for every call, even one without `{name}`, \
                 and `{name} = null` only for the text \"null\""
            )),
            Kind::Number if op == "=" || op == "!=" => {
                let text = TokenValue::of(val).text();
                Some(format!(
                    "`{op} {shown}` compares `{name}` as text with {}: a JSON number never equals it{}; for a number, write \
                     `{name} >= {text} and {name} <= {text}`",
                    quoted(&text),
                    if op == "!=" { " (so `!=` holds for every number)" } else { "" }
                ))
            }
            Kind::Eos => Some(format!(
                "the {} ends before the value of `{name}`: the reference compares with the text \"eos\"",
                if val.synthetic { "group" } else { "trigger" }
            )),
            Kind::ParenLeft | Kind::ParenRight | Kind::Comma | Kind::Dot | Kind::BrackLeft | Kind::BrackRight | Kind::Operator | Kind::Conditional => {
                let also = if val.kind == Kind::Conditional { format!(", and this `{}` joins nothing", val.value) } else { String::new() };
                Some(format!(
                    "`{shown}` stands where the value of `{name}` should be: the reference takes it as the value anyway and compares with \
                     the text {}{also}",
                    quoted(&val.value)
                ))
            }
            _ => None,
        };
        let message = message.or_else(|| {
            if !numeric {
                return None;
            }
            let expected = if path { TokenValue::of(val).number() } else { TokenValue::Text(TokenValue::of(val).text()).number() };
            expected.is_nan().then(|| format!("`{shown}` is not a number to the reference, so `{name} {op} {shown}` never holds"))
        });
        if let Some(message) = message {
            self.note(value, value, message);
        }
    }

    fn single_quoted(&self, op: &str, value: &str) -> String {
        let consequence = match op {
            "=" => ", so this condition never holds for an ordinary value",
            "!=" => ", so this condition holds for every ordinary value",
            _ => "",
        };
        format!("single quotes do not delimit strings in the reference: it compares with `{value}`, quotes included{consequence}")
    }

    fn escaped_separator(&mut self, field: usize) {
        if let Some(position) = self.tokens[field].escaped_separator {
            self.notes.push(TriggerNote {
                position,
                length: 2,
                message: "an escaped `.`, `[` or `]` still separates path segments for the reference, which looks up the parts on \
                          either side of it one inside the other, not one key containing it"
                    .to_owned(),
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn function(&mut self, name: usize, open: Option<usize>, arg: usize, comma: Option<usize>, value: usize, close: Option<usize>, target: Option<FieldKind>) {
        let function = self.tokens[name].value.clone();
        let arg_name = self.tokens[arg].value.clone();
        let last = close.filter(|&c| !self.tokens[c].synthetic).unwrap_or(value);
        let Some(kind) = target else {
            let message = format!(
                "{function}() cannot read `{arg_name}` in the reference, only `event`, `name`, `userId` and paths under `properties`, \
                 `traits` or `context`: the condition is dropped silently, and the destination decides on the other conditions alone"
            );
            self.note(name, last, message);
            return;
        };
        let closed_early = close.is_some_and(|c| self.tokens[c].synthetic);
        if closed_early {
            let message = format!(
                "the `)` of this {function}() also closes the surrounding `(` for the reference, which ends a group at its first `)`: the \
                 conditions after it are joined at the outer level, by its last combinator, and the group's own `)` is ignored"
            );
            self.note(name, value, message);
        } else {
            let is = |t: Option<usize>, kind: Kind| t.is_some_and(|t| self.tokens[t].kind == kind);
            if !is(open, Kind::ParenLeft) || !is(comma, Kind::Comma) || !is(close, Kind::ParenRight) {
                let message = format!(
                    "the reference reads the arguments of {function}() by position without checking `(`, `,` and `)`: here it takes \
                     `{}` as the field and `{}` as the value",
                    self.source(arg, arg),
                    self.source(value, value)
                );
                self.note(name, last, message);
            }
        }
        let tokens = self.tokens;
        let val = &tokens[value];
        if val.kind == Kind::Str && val.value.starts_with('\'') {
            let message = self.single_quoted("", &val.value);
            self.note(value, value, message);
        } else if val.kind == Kind::Ident {
            let message = format!("`{}` is not quoted: the reference uses the text {}; quote it", self.source(value, value), quoted(&val.value));
            self.note(value, value, message);
        }
        if let Some(root) = kind.root() {
            if !arg_name.starts_with(&format!("{}.", root.key())) {
                let message =
                    format!("`{arg_name}` is read as `{}.{arg_name}` by the reference, whose name only has to start with `{}`", root.key(), root.key());
                self.note(arg, arg, message);
            }
            self.escaped_separator(arg);
        }
        if function == "match" {
            self.pattern(value);
        }
    }

    /// `match` patterns other than `"prefix*"` and `"*suffix"`.
    fn pattern(&mut self, value: usize) {
        let tokens = self.tokens;
        let val = &tokens[value];
        if val.kind != Kind::Str || val.value.starts_with('\'') {
            return;
        }
        let text = TokenValue::of(val).text();
        let message = if val.value.ends_with("*\"") {
            let prefix = &text[..text.len() - 1];
            prefix
                .contains('*')
                .then(|| format!("only the final `*` is a wildcard for the reference: this matches values that start with `{prefix}`, `*` included"))
        } else if let Some(suffix) = text.strip_prefix('*') {
            suffix
                .contains('*')
                .then(|| format!("only the leading `*` is a wildcard for the reference: this matches values that end with `{suffix}`, `*` included"))
        } else if text.is_empty() {
            Some("an empty pattern: the reference matches every string".to_owned())
        } else {
            let rest = Suffix::after_first_unit(&text).text;
            Some(format!(
                "this pattern has no `*` at either end: the reference drops its first character and matches every value that ends \
                 with `{rest}`"
            ))
        };
        if let Some(message) = message {
            self.note(value, value, message);
        }
    }
}
