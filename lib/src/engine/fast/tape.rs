//! A JSON parser for the fast path: one pass over a document's text into a flat tape of
//! nodes that point into the text (only strings with escapes are decoded, into the tape's own
//! storage). The tape is reused from document to document, so parsing allocates nothing once
//! it has grown. It also notes whether any object has a key twice, which the `duplicate-key`
//! rule reports, and whether any string holds an escaped lone surrogate, which it reads as
//! U+FFFD as `check::surrogates::parse` does, and the `lone-surrogate` rule reports.
//!
//! It accepts a subset of what the precise path accepts (serde_json, lone surrogates read as
//! U+FFFD) and reads it the same way (the same strings, keys, numbers and nesting), and answers
//! `false` for everything else (malformed input, nesting serde_json refuses, numbers whose
//! range it would have to think about): the precise path then decides, with serde_json's own
//! error. Never accepting more than the precise path is what makes the fast path safe;
//! `tests/differential.rs` checks it on mutated inputs.

use super::json::{Json, Kind};

/// serde_json refuses documents nested this deep (its recursion limit).
const MAX_DEPTH: usize = 128;
/// Numbers with more digits than this, or an exponent, are kept only if finite as `f64`.
const MAX_PLAIN_DIGITS: usize = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Null,
    True,
    False,
    Number,
    /// A string without escapes: `start`, `len` in the text.
    String,
    /// A string with escapes: `start` indexes the decoded strings.
    Decoded,
    Array,
    Object,
    /// A member's key (its value follows), without escapes.
    Key,
    /// A member's key with escapes, decoded.
    DecodedKey,
}

#[derive(Debug, Clone, Copy)]
struct Node {
    tag: Tag,
    /// Containers: how many nodes the container spans, itself included; keys: how many the
    /// member spans (the key and its value).
    span: u32,
    start: u32,
    len: u32,
}

/// Parsed documents, one at a time: reuse one per thread.
#[derive(Debug, Default)]
pub struct Tape {
    nodes: Vec<Node>,
    decoded: Vec<String>,
    /// Fingerprints of the keys of the objects being parsed (duplicate detection).
    keys: Vec<u32>,
    duplicate_keys: bool,
    lone_surrogates: bool,
}

impl Tape {
    /// Parses `text` into this tape, replacing what it held; `false` when serde_json might not
    /// read it as this parser does (then the tape holds nothing usable).
    pub fn parse(&mut self, text: &str) -> bool {
        self.nodes.clear();
        self.decoded.clear();
        self.keys.clear();
        self.duplicate_keys = false;
        self.lone_surrogates = false;
        if u32::try_from(text.len()).is_err() {
            return false;
        }
        let mut parser = Parser { text, bytes: text.as_bytes(), pos: 0, depth: 0, tape: self };
        parser.skip_ws();
        parser.value().is_some() && {
            parser.skip_ws();
            parser.pos == parser.bytes.len()
        }
    }

    /// The root of the document `text` last parsed into this tape.
    pub fn root<'t>(&'t self, text: &'t str) -> Value<'t> {
        Value { doc: Document { tape: self, text }, at: 0 }
    }

    /// Whether an object of the last document has a key twice (keys compared decoded).
    pub fn has_duplicate_keys(&self) -> bool {
        self.duplicate_keys
    }

    /// Whether a string or key of the last document holds an escaped lone surrogate (read as
    /// U+FFFD).
    pub fn has_lone_surrogates(&self) -> bool {
        self.lone_surrogates
    }

    /// The document `text` last parsed into this tape as serde_json would have parsed it (the
    /// last of duplicate keys wins; numbers are read by serde_json itself), so the precise path
    /// need not parse it again.
    pub fn to_value(&self, text: &str) -> Option<serde_json::Value> {
        let doc = Document { tape: self, text };
        let mut at = 0;
        doc.value(&mut at)
    }
}

#[derive(Clone, Copy)]
struct Document<'t> {
    tape: &'t Tape,
    text: &'t str,
}

impl<'t> Document<'t> {
    #[inline]
    fn str(&self, node: &Node) -> &'t str {
        match node.tag {
            Tag::Decoded | Tag::DecodedKey => self.tape.decoded.get(node.start as usize).map_or("", String::as_str),
            _ => self.text.get(node.start as usize..(node.start + node.len) as usize).unwrap_or_default(),
        }
    }

    /// How many nodes the value at `at` spans.
    #[inline]
    fn span(&self, at: usize) -> usize {
        let node = &self.tape.nodes[at];
        match node.tag {
            Tag::Array | Tag::Object => node.span as usize,
            _ => 1,
        }
    }
}

impl Document<'_> {
    /// The value at `*at` as serde_json's `Value`; leaves `*at` after it.
    fn value(&self, at: &mut usize) -> Option<serde_json::Value> {
        use serde_json::Value as V;
        let node = self.tape.nodes.get(*at)?;
        *at += 1;
        Some(match node.tag {
            Tag::Null => V::Null,
            Tag::True => V::Bool(true),
            Tag::False => V::Bool(false),
            Tag::Number => V::Number(serde_json::from_str(self.str(node)).ok()?),
            Tag::String | Tag::Decoded | Tag::Key | Tag::DecodedKey => V::String(self.str(node).to_string()),
            Tag::Array => {
                let end = *at - 1 + node.span as usize;
                let mut items = Vec::new();
                while *at < end {
                    items.push(self.value(at)?);
                }
                V::Array(items)
            }
            Tag::Object => {
                let end = *at - 1 + node.span as usize;
                let mut map = serde_json::Map::new();
                while *at < end {
                    let key = self.str(self.tape.nodes.get(*at)?).to_string();
                    *at += 1;
                    map.insert(key, self.value(at)?);
                }
                V::Object(map)
            }
        })
    }
}

/// A value of a parsed document.
#[derive(Clone, Copy)]
pub struct Value<'t> {
    doc: Document<'t>,
    at: usize,
}

impl<'t> Value<'t> {
    #[inline]
    fn node(&self) -> &'t Node {
        &self.doc.tape.nodes[self.at]
    }

    /// The children of a container of type `tag` (for objects, alternately key and value);
    /// none for other values.
    #[inline]
    fn children(&self, tag: Tag) -> Children<'t> {
        let node = self.node();
        let end = if node.tag == tag { self.at + node.span as usize } else { self.at + 1 };
        Children { doc: self.doc, next: self.at + 1, end }
    }

    /// This value as serde_json would have parsed it (see [`Tape::to_value`]): for the few
    /// parts of a document a reader of the tape needs as a `serde_json::Value`.
    pub fn to_value(self) -> Option<serde_json::Value> {
        let mut at = self.at;
        self.doc.value(&mut at)
    }
}

struct Children<'t> {
    doc: Document<'t>,
    next: usize,
    end: usize,
}

impl<'t> Iterator for Children<'t> {
    type Item = Value<'t>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let value = Value { doc: self.doc, at: self.next };
        self.next += self.doc.span(self.next);
        Some(value)
    }
}

struct Members<'t>(Children<'t>);

impl<'t> Iterator for Members<'t> {
    type Item = (&'t str, Value<'t>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let children = &mut self.0;
        if children.next >= children.end {
            return None;
        }
        let node = &children.doc.tape.nodes[children.next];
        let value = Value { doc: children.doc, at: children.next + 1 };
        children.next += node.span as usize;
        Some((children.doc.str(node), value))
    }
}

impl<'t> Json for Value<'t> {
    #[inline]
    fn kind(&self) -> Kind {
        match self.node().tag {
            Tag::Null => Kind::Null,
            Tag::True | Tag::False => Kind::Bool,
            Tag::Number => Kind::Number,
            Tag::String | Tag::Decoded | Tag::Key | Tag::DecodedKey => Kind::String,
            Tag::Array => Kind::Array,
            Tag::Object => Kind::Object,
        }
    }

    fn is_integer(&self) -> bool {
        let node = self.node();
        let text = self.doc.str(node);
        node.tag == Tag::Number && (!text.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) || text.parse::<f64>().is_ok_and(|f| f.fract() == 0.0))
    }

    #[inline]
    fn as_str(&self) -> Option<&str> {
        let node = self.node();
        matches!(node.tag, Tag::String | Tag::Decoded).then(|| self.doc.str(node))
    }

    #[inline]
    fn as_bool(&self) -> Option<bool> {
        match self.node().tag {
            Tag::True => Some(true),
            Tag::False => Some(false),
            _ => None,
        }
    }

    fn as_number(&self) -> Option<serde_json::Number> {
        let node = self.node();
        (node.tag == Tag::Number).then(|| number(self.doc.str(node)))?
    }

    #[inline]
    fn members(&self) -> impl Iterator<Item = (&str, Self)> {
        Members(self.children(Tag::Object)).map(|(key, value)| -> (&str, Self) { (key, value) })
    }

    #[inline]
    fn elements(&self) -> impl Iterator<Item = Self> {
        self.children(Tag::Array)
    }
}

/// The number `text` (valid JSON) as serde_json reads it: integers that fit as `u64` or `i64`
/// (other than `-0`), read here; anything else by serde_json itself.
fn number(text: &str) -> Option<serde_json::Number> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = digits.parse().ok()?;
        if text.starts_with('-') {
            // `-0` is a float to serde_json.
            return if n == 0 { serde_json::from_str(text).ok() } else { Some((-n).into()) };
        }
        return Some(n.into());
    }
    serde_json::from_str(text).ok()
}

/// Bytes that end the plain run of a string: a quote, a backslash, a control character.
#[inline]
fn special(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The offset of the first [`special`] byte of `bytes`, eight bytes at a time.
#[inline]
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        // A flag in the lowest byte that matches is exact: borrows only run upwards.
        let flags = zero(x ^ (ONES * u64::from(b'"'))) | zero(x ^ (ONES * u64::from(b'\\'))) | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        if flags != 0 {
            return Some(i + (flags.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i..].iter().position(|&b| special(b)).map(|p| i + p)
}

/// Tells keys apart cheaply: length, first and last byte.
#[inline]
fn fingerprint(key: &str) -> u32 {
    let b = key.as_bytes();
    let (first, last) = (b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0));
    (b.len() as u32) << 16 | u32::from(first) << 8 | u32::from(last)
}

struct Parser<'a, 't> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    tape: &'t mut Tape,
}

impl Parser<'_, '_> {
    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn push(&mut self, tag: Tag, start: usize, len: usize) -> usize {
        // The text is shorter than 4 GiB (checked in `parse`).
        self.tape.nodes.push(Node { tag, span: 1, start: start as u32, len: len as u32 });
        self.tape.nodes.len() - 1
    }

    fn value(&mut self) -> Option<()> {
        match *self.bytes.get(self.pos)? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(false),
            b't' => self.literal(b"true", Tag::True),
            b'f' => self.literal(b"false", Tag::False),
            b'n' => self.literal(b"null", Tag::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &[u8], tag: Tag) -> Option<()> {
        if !self.bytes[self.pos..].starts_with(word) {
            return None;
        }
        self.push(tag, self.pos, word.len());
        self.pos += word.len();
        Some(())
    }

    fn object(&mut self) -> Option<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let at = self.push(Tag::Object, self.pos, 0);
        let keys_from = self.tape.keys.len();
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.bytes.get(self.pos) != Some(&b'"') {
                    return None;
                }
                self.string(true)?;
                let key = self.tape.nodes.len() - 1;
                self.note_key(at, keys_from);
                self.skip_ws();
                if self.bytes.get(self.pos) != Some(&b':') {
                    return None;
                }
                self.pos += 1;
                self.skip_ws();
                self.value()?;
                self.tape.nodes[key].span = u32::try_from(self.tape.nodes.len() - key).ok()?;
                self.skip_ws();
                match self.bytes.get(self.pos)? {
                    b',' => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    b'}' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.tape.keys.truncate(keys_from);
        self.close(at)
    }

    /// Notes the key just pushed among the keys of its object (the node at `object`, whose
    /// keys' fingerprints start at `keys_from`).
    fn note_key(&mut self, object: usize, keys_from: usize) {
        let tape = &*self.tape;
        let doc = Document { tape, text: self.text };
        let key_at = tape.nodes.len() - 1;
        let key = doc.str(&tape.nodes[key_at]);
        let print = fingerprint(key);
        let mut duplicate = false;
        if !tape.duplicate_keys && tape.keys[keys_from..].contains(&print) {
            // The same fingerprint: compare with the object's earlier keys in full.
            let mut j = object + 1;
            while j < key_at && !duplicate {
                duplicate = doc.str(&tape.nodes[j]) == key;
                j += tape.nodes[j].span as usize;
            }
        }
        self.tape.duplicate_keys |= duplicate;
        self.tape.keys.push(print);
    }

    fn array(&mut self) -> Option<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return None;
        }
        let at = self.push(Tag::Array, self.pos, 0);
        self.pos += 1;
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
        } else {
            loop {
                self.value()?;
                self.skip_ws();
                match self.bytes.get(self.pos)? {
                    b',' => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.close(at)
    }

    fn close(&mut self, at: usize) -> Option<()> {
        self.depth -= 1;
        self.tape.nodes[at].span = u32::try_from(self.tape.nodes.len() - at).ok()?;
        Some(())
    }

    /// The string (a key when `key`) starting at the quote at `self.pos`; leaves `self.pos`
    /// after its closing quote.
    fn string(&mut self, key: bool) -> Option<()> {
        let start = self.pos + 1;
        let end = start + find_special(&self.bytes[start..])?;
        match self.bytes[end] {
            b'"' => {
                self.pos = end + 1;
                self.push(if key { Tag::Key } else { Tag::String }, start, end - start);
                return Some(());
            }
            b'\\' => {}
            _ => return None,
        }
        let mut decoded = String::with_capacity(end - start + 16);
        decoded.push_str(self.text.get(start..end)?);
        self.pos = end;
        loop {
            match self.bytes[self.pos] {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape(&mut decoded)?;
                }
                _ => {
                    let from = self.pos;
                    self.pos = from + find_special(&self.bytes[from..])?;
                    if self.bytes[self.pos] < 0x20 {
                        return None;
                    }
                    decoded.push_str(self.text.get(from..self.pos)?);
                }
            }
            if self.pos >= self.bytes.len() {
                return None;
            }
        }
        self.tape.decoded.push(decoded);
        self.push(if key { Tag::DecodedKey } else { Tag::Decoded }, self.tape.decoded.len() - 1, 0);
        Some(())
    }

    /// One escape after its backslash, as serde_json decodes it, but for a lone UTF-16
    /// surrogate, which is read as U+FFFD (as `check::surrogates::parse` reads it) and noted.
    fn escape(&mut self, out: &mut String) -> Option<()> {
        let c = *self.bytes.get(self.pos)?;
        self.pos += 1;
        let decoded = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => match self.hex4()? {
                high @ 0xD800..=0xDBFF => match self.low_surrogate() {
                    Some(low) => char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?,
                    None => self.lone_surrogate(),
                },
                0xDC00..=0xDFFF => self.lone_surrogate(),
                n => char::from_u32(n)?,
            },
            _ => return None,
        };
        out.push(decoded);
        Some(())
    }

    /// The second half of a UTF-16 pair, when a `\\uDC00` to `\\uDFFF` escape comes next (and
    /// is then read); otherwise nothing is read.
    fn low_surrogate(&mut self) -> Option<u32> {
        if self.bytes.get(self.pos..self.pos + 2)? != b"\\u" {
            return None;
        }
        let digits = self.bytes.get(self.pos + 2..self.pos + 6)?;
        let low = digits.iter().try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))?;
        (0xDC00..=0xDFFF).contains(&low).then(|| {
            self.pos += 6;
            low
        })
    }

    /// What a lone surrogate is read as (and the tape notes it).
    fn lone_surrogate(&mut self) -> char {
        self.tape.lone_surrogates = true;
        '\u{FFFD}'
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16)?;
        }
        self.pos += 4;
        Some(n)
    }

    /// A number by the JSON grammar. Plain ones (no exponent, at most 15 digits) cannot
    /// overflow; others are kept only if they are finite as `f64` (serde_json's range).
    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        let b = self.bytes;
        let digits = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        let mut i = start + usize::from(b[start] == b'-');
        let int_end = match b.get(i)? {
            b'0' => i + 1,
            b'1'..=b'9' => digits(i + 1),
            _ => return None,
        };
        let mut count = int_end - i;
        let mut plain = true;
        i = int_end;
        if b.get(i) == Some(&b'.') {
            let frac_end = digits(i + 1);
            if frac_end == i + 1 {
                return None;
            }
            count += frac_end - i - 1;
            i = frac_end;
        }
        if let Some(b'e' | b'E') = b.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            let exp_end = digits(i);
            if exp_end == i {
                return None;
            }
            i = exp_end;
            plain = false;
        }
        if (!plain || count > MAX_PLAIN_DIGITS) && !self.text.get(start..i)?.parse::<f64>().is_ok_and(f64::is_finite) {
            return None;
        }
        self.pos = i;
        self.push(Tag::Number, start, i - start);
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parses(text: &str) -> bool {
        Tape::default().parse(text)
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let text = r#" {"a": [1, -2.5e-3, "x\"\u00e9\ud83d\ude00", true, null], "b": {}, "a\u0062": false} "#;
        let mut tape = Tape::default();
        assert!(tape.parse(text));
        let root = tape.root(text);
        let members: Vec<(&str, Kind)> = root.members().map(|(k, v)| (k, v.kind())).collect();
        assert_eq!(members, [("a", Kind::Array), ("b", Kind::Object), ("ab", Kind::Bool)]);
        let items: Vec<_> = root.members().next().unwrap().1.elements().collect();
        assert_eq!(items.len(), 5);
        assert!(items[0].is_integer() && !items[1].is_integer());
        assert_eq!(items[2].as_str(), Some("x\"é😀"));
        assert_eq!(items[3].as_bool(), Some(true));
        assert!(!tape.has_duplicate_keys());
    }

    #[test]
    fn finds_duplicate_keys_at_any_depth() {
        let mut tape = Tape::default();
        for (text, duplicates) in [
            (r#"{"a": 1, "b": 2}"#, false),
            (r#"{"a": 1, "a": 2}"#, true),
            (r#"{"a/b": 1, "a\/b": 2}"#, true),
            (r#"{"x": {"a": [1, {"c": 1}], "b": 1, "a": 2}}"#, true),
            (r#"[{"a": 1}, {"a": 2}]"#, false),
            (r#"{"a": {"a": 1}, "b": {"a": 1}}"#, false),
            (r#"{"ab": 1, "ab ": 1, "a": {"ab": 1}, "ba": 2}"#, false),
            (r#"{"k": {"x": 1, "y": 2}, "l": 1, "k2": 3, "l": 4}"#, true),
        ] {
            assert!(tape.parse(text), "{text}");
            assert_eq!(tape.has_duplicate_keys(), duplicates, "{text}");
            let found = !crate::check::duplicates::duplicate_keys(text.as_bytes()).is_empty();
            assert_eq!(found, duplicates, "the precise rule on {text}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses_but_lone_surrogates() {
        for text in [
            "",
            "{",
            "{}x",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "-",
            "1e",
            ".5",
            "+1",
            "\"\\x\"",
            "\"a\tb\"",
            "tru",
            "nul",
            "{1:2}",
            "1e400",
            "[1 2]",
            "{\"a\" 1}",
            "\"abc",
            "\"ab\\",
            "\"\\u12\"",
        ] {
            assert!(!parses(text), "{text:?}");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn reads_lone_surrogates_as_the_precise_path_does() {
        let mut tape = Tape::default();
        for (text, lone) in [
            (r#""\ud800""#, true),
            (r#""\udc00""#, true),
            (r#""\ude00\ud83d""#, true),
            (r#""\ud83d\ud83d\ude00x""#, true),
            (r#""\ud800\n""#, true),
            (r#"{"k\ud800":1}"#, true),
            (r#""\ud83d\ude00""#, false),
            (r#""\\ud800""#, false),
        ] {
            assert!(tape.parse(text), "{text}");
            assert_eq!(tape.has_lone_surrogates(), lone, "{text}");
            assert_eq!(tape.to_value(text), crate::check::surrogates::parse(text.as_bytes()).ok(), "{text}");
        }
        for text in [r#""\ud800\u12""#, r#""\ud800"#, r#""\ud800\x""#] {
            assert!(!tape.parse(text), "{text}");
            assert!(crate::check::surrogates::parse(text.as_bytes()).is_err(), "{text}");
        }
    }

    #[test]
    fn finds_the_first_special_byte() {
        for (text, at) in [("abcdefghij\"", Some(10)), ("ab\\cdefghij\"", Some(2)), ("abcdefgh\u{1}ij", Some(8)), ("é\u{7f}xyz\"", Some(6)), ("abc", None)] {
            assert_eq!(find_special(text.as_bytes()), at, "{text:?}");
        }
    }

    #[test]
    fn nesting_stops_where_serde_json_stops() {
        for n in [126, 127, 128, 129] {
            let doc = format!("{{\"a\":{}{}}}", "[".repeat(n), "]".repeat(n));
            assert_eq!(parses(&doc), serde_json::from_str::<serde_json::Value>(&doc).is_ok(), "{n}");
        }
    }

    #[test]
    fn integers_as_json_schema_counts_them() {
        let mut tape = Tape::default();
        for (text, integer) in [("1", true), ("-0", true), ("1.0", true), ("1.5", false), ("1e2", true), ("1.5e1", true), ("1.25e1", false)] {
            assert!(tape.parse(text));
            assert_eq!(tape.root(text).is_integer(), integer, "{text}");
        }
    }

    #[test]
    fn numbers_as_serde_json_reads_them() {
        let mut tape = Tape::default();
        for text in [
            "0",
            "-0",
            "7",
            "-7",
            "1.0",
            "-0.0",
            "1e2",
            "123456789012345678",
            "-123456789012345678",
            "9223372036854775807",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "12.34",
            "1.7976931348623157e308",
        ] {
            assert!(tape.parse(text), "{text}");
            let expected: serde_json::Number = serde_json::from_str(text).unwrap();
            assert_eq!(tape.root(text).as_number(), Some(expected), "{text}");
        }
        assert!(tape.parse("\"1\""));
        assert_eq!(tape.root("\"1\"").as_number(), None);
    }
}
