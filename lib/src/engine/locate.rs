//! Finds where a JSON pointer's value starts in the source text, so diagnostics can name a line
//! and column. Parsing into `serde_json::Value` forgets positions; this re-scans the text only
//! for calls that have diagnostics (the slow path), never for valid ones. Also finds the bytes of
//! a value, for splitting a stream into its calls (`crate::split`).

use std::ops::Range;

use cdpspec_plan::pointer::tokens;

/// Byte offset of the value at `pointer` in `text` (valid JSON), or of the deepest existing
/// ancestor when the pointer names something absent. Duplicate keys resolve to the last one,
/// as the parser keeps the last value.
pub fn locate(text: &[u8], pointer: &str) -> usize {
    let mut scanner = Scanner { text, pos: 0 };
    scanner.skip_ws();
    let mut found = scanner.pos;
    if pointer.is_empty() {
        return found;
    }
    for token in tokens(pointer) {
        match scanner.child(&token) {
            Some(pos) => {
                found = pos;
                scanner.pos = pos;
            }
            None => break,
        }
    }
    found
}

/// The bytes of the value at `pointer` in `text` (valid JSON), white space around it excluded;
/// `None` when the pointer names something absent. Duplicate keys resolve to the last one.
pub fn span(text: &[u8], pointer: &str) -> Option<Range<usize>> {
    let mut scanner = Scanner { text, pos: 0 };
    scanner.skip_ws();
    for token in tokens(pointer) {
        scanner.pos = scanner.child(&token)?;
    }
    Some(scanner.value_span())
}

/// The bytes of each element of the array that starts at byte `at` of `text` (valid JSON), in
/// one pass; empty when no array starts there.
pub fn elements(text: &[u8], at: usize) -> Vec<Range<usize>> {
    let mut scanner = Scanner { text, pos: at };
    let mut spans = Vec::new();
    if scanner.peek() != Some(b'[') {
        return spans;
    }
    scanner.pos += 1;
    loop {
        scanner.skip_ws();
        match scanner.peek() {
            None | Some(b']') => return spans,
            Some(b',') => scanner.pos += 1,
            Some(_) => spans.push(scanner.value_span()),
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Start of the member `token` of the object or array at `self.pos`.
    fn child(&mut self, token: &str) -> Option<usize> {
        match self.peek()? {
            b'{' => self.member(token),
            b'[' => self.element(token.parse().ok()?),
            _ => None,
        }
    }

    fn member(&mut self, token: &str) -> Option<usize> {
        self.pos += 1;
        let mut found = None;
        loop {
            self.skip_ws();
            match self.peek()? {
                b'}' => return found,
                b',' => {
                    self.pos += 1;
                    continue;
                }
                b'"' => {}
                _ => return found,
            }
            let key_start = self.pos;
            self.skip_string();
            let key = &self.text[key_start..self.pos];
            self.skip_ws();
            if self.peek() == Some(b':') {
                self.pos += 1;
            }
            self.skip_ws();
            if key_matches(key, token) {
                found = Some(self.pos);
            }
            self.skip_value();
        }
    }

    fn element(&mut self, index: usize) -> Option<usize> {
        self.pos += 1;
        let mut i = 0;
        loop {
            self.skip_ws();
            match self.peek()? {
                b']' => return None,
                b',' => {
                    self.pos += 1;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            if i == index {
                return Some(self.pos);
            }
            self.skip_value();
        }
    }

    fn skip_string(&mut self) {
        self.pos = string_end(self.text, self.pos);
    }

    /// Skips the value at `self.pos` and returns its bytes, without the white space after it.
    fn value_span(&mut self) -> Range<usize> {
        let start = self.pos;
        self.skip_value();
        start..start + self.text[start..self.pos].trim_ascii_end().len()
    }

    /// Skips one value, iteratively (no recursion, whatever the nesting).
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => self.skip_string(),
                b'{' | b'[' => {
                    depth += 1;
                    self.pos += 1;
                }
                b'}' | b']' => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    self.pos += 1;
                }
                b',' if depth == 0 => return,
                _ => self.pos += 1,
            }
            if depth == 0 && matches!(b, b'"' | b'}' | b']') {
                return;
            }
        }
    }
}

/// Whether the raw JSON string `key` (with quotes) decodes to `token` (an escaped lone
/// surrogate decoding to U+FFFD, as the parser reads it).
fn key_matches(key: &[u8], token: &str) -> bool {
    let inner = &key[1..key.len().saturating_sub(1).max(1)];
    if !inner.contains(&b'\\') {
        return inner == token.as_bytes();
    }
    crate::check::surrogates::decode_string(inner).is_some_and(|k| k == token)
}


/// The index just past the string starting at `start` (a quote).
pub(crate) fn string_end(text: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "{\n  \"type\": \"track\",\n  \"properties\": {\"a\": [1, {\"b\": \"x\"}]},\n  \"we/ird\": 1,\n  \"esc\\u0061ped\": true\n}";

    fn at(pointer: &str) -> (usize, usize) {
        line_column(DOC.as_bytes(), locate(DOC.as_bytes(), pointer))
    }

    #[test]
    fn finds_nested_values() {
        assert_eq!(at(""), (1, 1));
        assert_eq!(at("/type"), (2, 11));
        assert_eq!(at("/properties/a/1/b"), (3, 33));
        assert_eq!(at("/we~1ird"), (4, 13));
        assert_eq!(at("/escaped"), (5, 19));
    }

    #[test]
    fn missing_members_fall_back_to_the_deepest_ancestor() {
        assert_eq!(at("/properties/missing"), (3, 17));
        assert_eq!(at("/properties/a/7"), (3, 23));
    }

    #[test]
    fn spans_cover_exactly_the_value() {
        let doc = DOC.as_bytes();
        let text = |pointer: &str| span(doc, pointer).map(|r| std::str::from_utf8(&doc[r]).unwrap().to_string());
        assert_eq!(text("/type").as_deref(), Some("\"track\""));
        assert_eq!(text("/properties/a").as_deref(), Some("[1, {\"b\": \"x\"}]"));
        assert_eq!(text("/we~1ird").as_deref(), Some("1"));
        assert_eq!(text("/escaped").as_deref(), Some("true"));
        assert_eq!(text("").as_deref(), Some(DOC));
        assert_eq!(text("/missing"), None);
        assert_eq!(text("/properties/a/2"), None);
        assert_eq!(span(b"  42 ", ""), Some(2..4));
    }

    #[test]
    fn elements_are_found_in_one_pass() {
        let doc = br#"{"batch": [ {"a": [1, 2]} , "x,y", 3.5e1,[],null ]}"#;
        let at = span(doc, "/batch").unwrap().start;
        let items: Vec<&str> = elements(doc, at).into_iter().map(|r| std::str::from_utf8(&doc[r]).unwrap()).collect();
        assert_eq!(items, [r#"{"a": [1, 2]}"#, r#""x,y""#, "3.5e1", "[]", "null"]);
        assert!(elements(b"[ ]", 0).is_empty());
        assert!(elements(b"{}", 0).is_empty());
    }

    #[test]
    fn keys_with_lone_surrogates_are_found_as_the_parser_reads_them() {
        let doc = br#"{"a": 0, "k\ud800": {"b": 1}}"#;
        assert_eq!(line_column(doc, locate(doc, "/k\u{FFFD}/b")), (1, 27));
    }

    #[test]
    fn last_duplicate_key_wins_and_columns_count_characters() {
        let doc = "{\"ü\": 1, \"k\": 1, \"k\": 2}";
        assert_eq!(line_column(doc.as_bytes(), locate(doc.as_bytes(), "/k")), (1, 23));
    }
}
