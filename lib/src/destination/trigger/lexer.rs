//! The lexer: trigger text to tokens, exactly as the reference lexer (`@segment/fql-ts`,
//! `src/lexer.ts`) cuts it, quirks included. It reads UTF-16 code units, as JavaScript does,
//! and reports positions in characters.
//!
//! What the reference does and this reproduces:
//! - white space is only space, tab and line feed (a carriage return is an invalid character);
//! - `and`, `or`, `null`, `!=`, `<=`, `>=` and a closing quote count only when followed by white
//!   space, `,`, `]`, `)` or the end; otherwise the letters start a name (`and(` is a name) or,
//!   for a closing quote, the quote opens a new string;
//! - strings have no escapes; single-quoted strings keep their quotes in the token's value;
//! - a name is letters, digits, `_`, `-` and `\`-escaped characters, and must be followed by
//!   white space, `,`, `]`, `)`, `.`, `(`, `=`, `!` or the end;
//! - numbers are `[+-]?[0-9.]*`, with at most one `.`, not last;
//! - `!` directly before a letter or `(` is the negation operator.
//!
//! One decision where the reference is unclear: its `lexIdent` unescapes `\x`, but the stored
//! `isIdent` does not list `\`, which would make the escape unreachable. The documented
//! language ("`\` escapes other characters in a name") is followed: `\` continues a name.

/// The kinds of token, as `fql-ts` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Ident,
    Dot,
    Operator,
    Conditional,
    Str,
    Number,
    Null,
    BrackLeft,
    BrackRight,
    ParenLeft,
    ParenRight,
    Comma,
    Eos,
}

/// One token, with its place in the trigger.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub kind: Kind,
    /// The value as the reference holds it: strings keep their quotes, names are unescaped.
    pub value: String,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset just past the last character.
    pub end: usize,
    /// Character offset of a `\` that escapes `.`, `[` or `]` in a name (still a separator for
    /// the reference's path lookup).
    pub escaped_separator: Option<usize>,
    /// The end-of-group marker the parser appends to a parenthesised group's tokens.
    pub synthetic: bool,
}

/// Why the reference lexer gives up (and the reference parser with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LexError {
    /// Character offset.
    pub position: usize,
    pub message: String,
}

/// `fql-ts` refuses strings, names and numbers this long (in UTF-16 code units).
const MAXIMUM_LENGTH: usize = 100_000;

/// Cuts `source` into tokens ending with [`Kind::Eos`].
pub(super) fn lex(source: &str) -> Result<Vec<Token>, LexError> {
    Lexer::new(source).lex()
}

struct Lexer {
    units: Vec<u16>,
    /// Character offset of each code unit, and of the end.
    offsets: Vec<usize>,
    chars: Vec<char>,
    pos: usize,
}

fn is_unit(c: Option<u16>, ascii: u8) -> bool {
    c == Some(u16::from(ascii))
}

fn ascii(c: Option<u16>) -> Option<u8> {
    c.and_then(|u| u8::try_from(u).ok()).filter(u8::is_ascii)
}

fn is_whitespace(c: Option<u16>) -> bool {
    matches!(ascii(c), Some(b' ' | b'\t' | b'\n'))
}

fn is_alpha(c: Option<u16>) -> bool {
    ascii(c).is_some_and(|b| b.is_ascii_alphabetic())
}

fn is_digit(c: Option<u16>) -> bool {
    ascii(c).is_some_and(|b| b.is_ascii_digit())
}

fn is_ident(c: Option<u16>) -> bool {
    is_alpha(c) || is_digit(c) || matches!(ascii(c), Some(b'_' | b'-' | b'\\'))
}

/// `None` is the end of the trigger, which terminates everything.
fn is_terminator(c: Option<u16>) -> bool {
    c.is_none() || is_whitespace(c) || matches!(ascii(c), Some(b',' | b']' | b')'))
}

impl Lexer {
    fn new(source: &str) -> Lexer {
        let mut units = Vec::with_capacity(source.len());
        let mut offsets = Vec::with_capacity(source.len() + 1);
        for (i, c) in source.chars().enumerate() {
            let mut buffer = [0u16; 2];
            for &unit in c.encode_utf16(&mut buffer).iter() {
                units.push(unit);
                offsets.push(i);
            }
        }
        let chars: Vec<char> = source.chars().collect();
        offsets.push(chars.len());
        Lexer { units, offsets, chars, pos: 0 }
    }

    fn next(&mut self) -> Option<u16> {
        let unit = self.units.get(self.pos).copied();
        if unit.is_some() {
            self.pos += 1;
        }
        unit
    }

    fn peek(&self) -> Option<u16> {
        self.units.get(self.pos).copied()
    }

    fn backup(&mut self, count: usize) {
        self.pos = self.pos.saturating_sub(count);
    }

    /// Character offset of code unit `unit`.
    fn at(&self, unit: usize) -> usize {
        self.offsets[unit.min(self.units.len())]
    }

    /// The character at code unit `unit`, for messages.
    fn char_at(&self, unit: usize) -> String {
        self.chars.get(self.at(unit)).map_or_else(|| "the end".to_owned(), |c| format!("`{c}`"))
    }

    fn error(&self, unit: usize, message: impl Into<String>) -> LexError {
        LexError { position: self.at(unit), message: message.into() }
    }

    fn token(&self, kind: Kind, value: impl Into<String>, start: usize) -> Token {
        Token { kind, value: value.into(), start: self.at(start), end: self.at(self.pos), escaped_separator: None, synthetic: false }
    }

    fn lex(mut self) -> Result<Vec<Token>, LexError> {
        let mut tokens = Vec::new();
        loop {
            let start = self.pos;
            let Some(c) = self.next() else {
                tokens.push(self.token(Kind::Eos, "eos", start));
                return Ok(tokens);
            };
            let c = Some(c);
            if is_whitespace(c) {
                continue;
            }
            if is_unit(c, b'!') {
                let next = self.peek();
                if is_alpha(next) || is_unit(next, b'(') {
                    tokens.push(self.token(Kind::Operator, "!", start));
                    continue;
                }
            }
            let token = match ascii(c) {
                _ if is_alpha(c) => self.operator_or_conditional(start)?,
                Some(b'!' | b'=' | b'>' | b'<' | b'_') => self.operator_or_conditional(start)?,
                _ if is_digit(c) => self.number(start)?,
                Some(b'-' | b'+') => self.number(start)?,
                Some(quote @ (b'"' | b'\'')) => self.string(quote, start)?,
                Some(b'.') => self.token(Kind::Dot, ".", start),
                Some(b'[') => self.token(Kind::BrackLeft, "[", start),
                Some(b']') => self.token(Kind::BrackRight, "]", start),
                Some(b',') => self.token(Kind::Comma, ",", start),
                Some(b'(') => self.token(Kind::ParenLeft, "(", start),
                Some(b')') => self.token(Kind::ParenRight, ")", start),
                _ => return Err(self.error(start, format!("invalid character {}", self.char_at(start)))),
            };
            tokens.push(token);
        }
    }

    /// Advances over `expected` when it is there and followed by a terminator; otherwise backs
    /// up. Like the reference, a read that reaches the end returns without backing up.
    fn accept(&mut self, expected: &str) -> bool {
        let mut read = 0;
        let mut same = true;
        for want in expected.bytes() {
            let Some(unit) = self.next() else {
                return false;
            };
            read += 1;
            same &= unit == u16::from(want);
            if is_terminator(Some(unit)) {
                break;
            }
        }
        if same && read == expected.len() && is_terminator(self.peek()) {
            return true;
        }
        self.backup(read);
        false
    }

    fn operator_or_conditional(&mut self, start: usize) -> Result<Token, LexError> {
        let previous = self.units[start];
        let token = match ascii(Some(previous)) {
            Some(b'=') => self.token(Kind::Operator, "=", start),
            Some(b'!') => {
                if !self.accept("=") {
                    let message = if is_unit(self.peek(), b'=') {
                        format!("`!=` must be followed by a space, `,`, `)`, `]` or the end, not by {}", self.char_at(start + 2))
                    } else {
                        format!("`!` must be followed by `=` (`!=`) or directly by contains( or match(, not by {}", self.char_at(start + 1))
                    };
                    return Err(self.error(start, message));
                }
                self.token(Kind::Operator, "!=", start)
            }
            Some(b'a') if self.accept("nd") => self.token(Kind::Conditional, "and", start),
            Some(b'o') if self.accept("r") => self.token(Kind::Conditional, "or", start),
            Some(b'n') if self.accept("ull") => self.token(Kind::Null, "null", start),
            Some(op @ (b'<' | b'>')) => {
                let op = char::from(op);
                if self.accept("=") { self.token(Kind::Operator, format!("{op}="), start) } else { self.token(Kind::Operator, op.to_string(), start) }
            }
            _ => return self.ident(start),
        };
        Ok(token)
    }

    fn ident(&mut self, start: usize) -> Result<Token, LexError> {
        let mut value = vec![self.units[start]];
        let mut escaped_separator = None;
        while is_ident(self.peek()) {
            let Some(mut unit) = self.next() else { break };
            if unit == u16::from(b'\\') {
                let backslash = self.pos - 1;
                let Some(escaped) = self.next() else {
                    return Err(self.error(backslash, "`\\` at the end of the trigger escapes nothing"));
                };
                if matches!(ascii(Some(escaped)), Some(b'.' | b'[' | b']')) && escaped_separator.is_none() {
                    escaped_separator = Some(self.at(backslash));
                }
                unit = escaped;
            }
            value.push(unit);
            if value.len() > MAXIMUM_LENGTH {
                return Err(self.error(start, "this name is longer than the reference accepts"));
            }
        }
        let next = self.peek();
        if !(is_terminator(next) || matches!(ascii(next), Some(b'.' | b'(' | b'=' | b'!'))) {
            let name = String::from_utf16_lossy(&value);
            return Err(self.error(self.pos, format!("unexpected {} right after the name `{name}`", self.char_at(self.pos))));
        }
        let mut token = self.token(Kind::Ident, String::from_utf16_lossy(&value), start);
        token.escaped_separator = escaped_separator;
        Ok(token)
    }

    fn number(&mut self, start: usize) -> Result<Token, LexError> {
        let mut decimal = false;
        while is_digit(self.peek()) || is_unit(self.peek(), b'.') {
            let point = self.pos;
            let Some(unit) = self.next() else { break };
            if unit == u16::from(b'.') {
                if is_terminator(self.peek()) {
                    return Err(self.error(point, "a number cannot end with `.`"));
                }
                if decimal {
                    return Err(self.error(point, "a number cannot have two decimal points"));
                }
                decimal = true;
            }
            if self.pos - start > MAXIMUM_LENGTH {
                return Err(self.error(start, "this number is longer than the reference accepts"));
            }
        }
        let text = String::from_utf16_lossy(&self.units[start..self.pos]);
        Ok(self.token(Kind::Number, text, start))
    }

    fn string(&mut self, quote: u8, start: usize) -> Result<Token, LexError> {
        while !is_unit(self.peek(), quote) {
            if self.next().is_none() {
                return Err(self.error(start, format!("the string opened here is never closed (no closing `{}`)", char::from(quote))));
            }
            if self.pos - start > MAXIMUM_LENGTH {
                return Err(self.error(start, "this string is longer than the reference accepts"));
            }
        }
        let content_end = self.pos;
        // Eats the closing quote only when a terminator follows; otherwise the reference backs
        // up and the closing quote opens the next string.
        self.accept(if quote == b'"' { "\"" } else { "'" });
        let mut value = vec![u16::from(quote)];
        value.extend_from_slice(&self.units[start + 1..content_end]);
        value.push(u16::from(quote));
        Ok(self.token(Kind::Str, String::from_utf16_lossy(&value), start))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<(Kind, String)> {
        lex(source).unwrap().into_iter().map(|t| (t.kind, t.value)).collect()
    }

    fn k(kind: Kind, value: &str) -> (Kind, String) {
        (kind, value.to_owned())
    }

    use Kind::*;

    /// The fixtures of `fql-ts` `src/lexer.test.ts` (conditionals are `Conditional` tokens there
    /// too since `t.Conditional` exists; the test file predates it).
    #[test]
    fn passes_the_reference_fixtures() {
        let eos = k(Eos, "eos");
        let cases: Vec<(&str, Vec<(Kind, String)>)> = vec![
            ("", vec![eos.clone()]),
            ("   ", vec![eos.clone()]),
            ("=", vec![k(Operator, "="), eos.clone()]),
            ("!=", vec![k(Operator, "!="), eos.clone()]),
            ("and", vec![k(Conditional, "and"), eos.clone()]),
            ("or", vec![k(Conditional, "or"), eos.clone()]),
            ("<=", vec![k(Operator, "<="), eos.clone()]),
            (">=", vec![k(Operator, ">="), eos.clone()]),
            ("<", vec![k(Operator, "<"), eos.clone()]),
            (">", vec![k(Operator, ">"), eos.clone()]),
            ("null", vec![k(Null, "null"), eos.clone()]),
            ("andeverything", vec![k(Ident, "andeverything"), eos.clone()]),
            ("anna", vec![k(Ident, "anna"), eos.clone()]),
            ("anna abba", vec![k(Ident, "anna"), k(Ident, "abba"), eos.clone()]),
            ("orange", vec![k(Ident, "orange"), eos.clone()]),
            ("or orange ", vec![k(Conditional, "or"), k(Ident, "orange"), eos.clone()]),
            ("normandy", vec![k(Ident, "normandy"), eos.clone()]),
            ("nullify", vec![k(Ident, "nullify"), eos.clone()]),
            ("bed zed", vec![k(Ident, "bed"), k(Ident, "zed"), eos.clone()]),
            ("Infinity", vec![k(Ident, "Infinity"), eos.clone()]),
            ("10 10", vec![k(Number, "10"), k(Number, "10"), eos.clone()]),
            ("0.4 10.4", vec![k(Number, "0.4"), k(Number, "10.4"), eos.clone()]),
            ("-4", vec![k(Number, "-4"), eos.clone()]),
            ("+5.4", vec![k(Number, "+5.4"), eos.clone()]),
            ("\"d\"", vec![k(Str, "\"d\""), eos.clone()]),
            ("\"or and\"", vec![k(Str, "\"or and\""), eos.clone()]),
            ("\"a\" \"b\"", vec![k(Str, "\"a\""), k(Str, "\"b\""), eos.clone()]),
            ("[\"dogs\"]", vec![k(BrackLeft, "["), k(Str, "\"dogs\""), k(BrackRight, "]"), eos.clone()]),
            ("(\"dogs\")", vec![k(ParenLeft, "("), k(Str, "\"dogs\""), k(ParenRight, ")"), eos.clone()]),
            (",", vec![k(Comma, ","), eos.clone()]),
        ];
        for (source, expected) in cases {
            assert_eq!(kinds(source), expected, "{source:?}");
        }
        for source in ["\"", "\"  ", "\" \" \" ", "\"abd", "abd \"", "5.", "5. ", "5.0.", "5.0.0.0", "!"] {
            assert!(lex(source).is_err(), "{source:?} is an error");
        }
    }

    #[test]
    fn reproduces_the_terminator_rules() {
        // `and(` is a name, `<=5` is `<` then `=`, `!=` needs a space after it.
        assert_eq!(kinds("and("), vec![k(Ident, "and"), k(ParenLeft, "("), k(Eos, "eos")]);
        assert_eq!(kinds("<=5"), vec![k(Operator, "<"), k(Operator, "="), k(Number, "5"), k(Eos, "eos")]);
        let error = lex("event !=\"x\"").unwrap_err();
        assert_eq!(error.position, 6);
        // A read that reaches the end is not backed up: `an` at the end lexes as `a`.
        assert_eq!(kinds("an"), vec![k(Ident, "a"), k(Eos, "eos")]);
        // A closing quote not followed by a terminator opens the next string.
        assert!(lex("\"a\".b").is_err());
        assert_eq!(kinds("\"a\"\"b\""), vec![k(Str, "\"a\""), k(Str, "\"\""), k(Str, "\"b\""), k(Eos, "eos")]);
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(kinds("'a b'"), vec![k(Str, "'a b'"), k(Eos, "eos")]);
        assert_eq!(kinds("\"a\\\""), vec![k(Str, "\"a\\\""), k(Eos, "eos")]);
        let tokens = lex("first\\ name a\\.b").unwrap();
        assert_eq!(tokens[0].value, "first name");
        assert_eq!(tokens[0].escaped_separator, None);
        assert_eq!(tokens[1].value, "a.b");
        assert_eq!(tokens[1].escaped_separator, Some(13));
        assert!(lex("b\\").is_err());
        // ...but after `a`, `accept("nd")` reads the `\` and hits the end without backing up.
        assert_eq!(kinds("a\\"), vec![k(Ident, "a"), k(Eos, "eos")]);
        // An escaped character outside the BMP is half a surrogate pair to JavaScript: error.
        assert!(lex("a\\😀").is_err());
    }

    #[test]
    fn refuses_what_the_reference_finds_too_long() {
        let string = |n: usize| format!("\"{}\"", "x".repeat(n));
        assert!(lex(&string(MAXIMUM_LENGTH - 1)).is_ok());
        assert!(lex(&string(MAXIMUM_LENGTH)).is_err());
        assert!(lex(&"x".repeat(MAXIMUM_LENGTH)).is_ok());
        assert!(lex(&"x".repeat(MAXIMUM_LENGTH + 1)).is_err());
        assert!(lex(&"1".repeat(MAXIMUM_LENGTH)).is_ok());
        assert!(lex(&"1".repeat(MAXIMUM_LENGTH + 1)).is_err());
    }

    #[test]
    fn positions_are_characters() {
        let tokens = lex("type = \"😀é\" or x").unwrap();
        assert_eq!(tokens.iter().map(|t| (t.start, t.end)).collect::<Vec<_>>(), vec![(0, 4), (5, 6), (7, 11), (12, 14), (15, 16), (16, 16)]);
        // Letters outside ASCII are invalid characters to the reference.
        assert_eq!(lex("é").unwrap_err().position, 0);
    }

    #[test]
    fn reports_invalid_characters_where_they_are() {
        let error = lex("type * \"x\"").unwrap_err();
        assert_eq!(error.position, 5);
        assert!(error.message.contains("`*`"));
        // A carriage return is no white space: it ends no name, and a closing quote before it
        // is not eaten, so it opens an unterminated string.
        assert_eq!(lex("type\r= \"x\"").unwrap_err().position, 4);
        assert_eq!(lex("type = \"x\"\r").unwrap_err().position, 9);
    }
}
