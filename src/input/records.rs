//! Splitting a source into records and parsing them: one record per NDJSON line, or one per
//! JSON document, each blank, parsed, or unparsed with the parser's position and reason.
//! Shared by `validate` and `coverage`, so both read inputs alike and count every line.

use std::io::{self, BufRead};

use serde_json::Value;

use crate::input::{Layout, looks_like_document_line};
use crate::locate::line_column;
use crate::rule::Rule;

/// One record of a source.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::input::{Record, Source};
///
/// let broken = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/broken/identify-trailing-comma.json").into());
/// let mut rules = Vec::new();
/// broken.records(&mut |record| if let Record::Unparsed { rule, .. } = record { rules.push(rule) }).unwrap();
/// assert_eq!(rules, [Rule::InvalidJson]);
/// ```
pub enum Record<'a> {
    /// A line of only white space.
    Blank,
    /// A document that parsed.
    Parsed {
        /// Its bytes, to locate JSON pointers in.
        text: &'a [u8],
        /// The line its first byte is on.
        first_line: usize,
        /// The parsed document.
        value: Value,
    },
    /// A document that did not parse.
    Unparsed {
        /// Its bytes, as read.
        text: &'a [u8],
        /// `invalid-json` or `invalid-utf8`.
        rule: Rule,
        /// Where the parser stopped.
        line: usize,
        /// Where the parser stopped (characters).
        column: usize,
        /// The parser's reason.
        message: String,
    },
}

impl<'a> Record<'a> {
    /// The record's bytes as read (empty for a blank line).
    ///
    /// ```
    /// use cdpspec::input::{Record, Source};
    ///
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sdk/rudderstack.ndjson").into());
    /// let mut lengths = Vec::new();
    /// source.records(&mut |record: Record<'_>| lengths.push(record.text().len())).unwrap();
    /// assert_eq!((lengths.len(), lengths[2]), (4, 0), "line 3 is blank");
    /// ```
    pub fn text(&self) -> &'a [u8] {
        match self {
            Record::Blank => b"",
            Record::Parsed { text, .. } | Record::Unparsed { text, .. } => text,
        }
    }

    /// The line the value at JSON `pointer` is on, in a record that parsed (its nearest
    /// enclosing value when it is missing).
    ///
    /// ```
    /// use cdpspec::input::Source;
    ///
    /// let track = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/seed/track.json").into());
    /// let mut lines = Vec::new();
    /// track.records(&mut |record| lines.push((record.line_of_pointer("/event"), record.line_of_pointer("/properties/class_code")))).unwrap();
    /// assert_eq!(lines, [(Some(12), Some(8))]);
    /// ```
    pub fn line_of_pointer(&self, pointer: &str) -> Option<usize> {
        let Record::Parsed { text, first_line, .. } = self else { return None };
        Some(place(text, *first_line, crate::locate::locate(text, pointer)).0)
    }
}

/// Line `line` (1-based, in its source) of a record whose bytes are `text`, without its
/// terminator, invalid UTF-8 replaced (as `locate::line_column` counts columns). A record is
/// one line (an NDJSON line, a one-line file), or a whole source from its line 1 (a document
/// that spans lines): nothing else spans lines. `None` for an empty record or a line it lacks.
pub fn line_of(text: &[u8], line: usize) -> Option<String> {
    let line_text =
        if memchr::memchr(b'\n', text).is_none() { (!text.is_empty()).then_some(text)? } else { text.split(|&b| b == b'\n').nth(line.checked_sub(1)?)? };
    let line_text = line_text.strip_suffix(b"\r").unwrap_or(line_text);
    Some(String::from_utf8_lossy(line_text).into_owned())
}

/// The line and column of byte `offset` of a document that starts on `first_line`.
pub fn place(text: &[u8], first_line: usize, offset: usize) -> (usize, usize) {
    let (line, column) = line_column(text, offset);
    (first_line + line - 1, column)
}

/// Reads every record of `reader`, laid out as `layout` says, and hands each to `visit`.
pub fn read(mut reader: impl BufRead, layout: Layout, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = 0;
    let mut head = Vec::new();
    // Blank lines before the first document, kept in case the source is one document.
    let mut blank_head = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        strip_line_end(&mut line, number);
        if line.trim_ascii().is_empty() && layout != Layout::Lines {
            blank_head += 1;
            head.extend_from_slice(&line);
            head.push(b'\n');
            continue;
        }
        if layout != Layout::Lines && !looks_like_document_line(&line) {
            // One JSON document: the rest of the source belongs to it.
            head.extend_from_slice(&line);
            head.push(b'\n');
            reader.read_to_end(&mut head)?;
            let trimmed = head.trim_ascii_end().len();
            head.truncate(trimmed);
            visit(document(&head, 1, true));
            return Ok(());
        }
        for _ in 0..blank_head {
            visit(Record::Blank);
        }
        visit(line_record(&line, number));
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                return Ok(());
            }
            number += 1;
            strip_line_end(&mut line, number);
            visit(line_record(&line, number));
        }
    }
    // Only blank lines, or nothing at all.
    if layout == Layout::Document {
        visit(document(&head, 1, true));
    } else {
        for _ in 0..blank_head {
            visit(Record::Blank);
        }
    }
    Ok(())
}

fn line_record(line: &[u8], number: usize) -> Record<'_> {
    if line.trim_ascii().is_empty() { Record::Blank } else { document(line, number, false) }
}

/// Parses one document whose first byte is on line `first_line`.
pub(crate) fn document(text: &[u8], first_line: usize, whole_file: bool) -> Record<'_> {
    if let Err(e) = std::str::from_utf8(text) {
        let (line, column) = place(text, first_line, e.valid_up_to());
        let message = format!("invalid UTF-8 (byte 0x{:02x}); JSON must be UTF-8", text[e.valid_up_to()]);
        return Record::Unparsed { text, rule: Rule::InvalidUtf8, line, column, message };
    }
    if whole_file && text.trim_ascii().is_empty() {
        return Record::Unparsed {
            text,
            rule: Rule::InvalidJson,
            line: first_line,
            column: 1,
            message: "file is empty; expected a call, a batch or an array of calls".into(),
        };
    }
    match serde_json::from_slice(text) {
        Ok(value) => Record::Parsed { text, first_line, value },
        Err(e) => {
            let (line, column) = place(text, first_line, parse_error_offset(text, &e));
            Record::Unparsed { text, rule: Rule::InvalidJson, line, column, message: parse_error_message(&e) }
        }
    }
}

/// Drops the line terminator (`\n`, `\r\n`) and, on the first line, a UTF-8 byte order mark.
fn strip_line_end(line: &mut Vec<u8>, number: usize) {
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if number == 1 && line.starts_with(b"\xEF\xBB\xBF") {
        line.drain(..3);
    }
}

/// The byte offset serde_json's error points at; for a trailing comma, the comma itself
/// (serde_json points at the bracket after it).
fn parse_error_offset(text: &[u8], e: &serde_json::Error) -> usize {
    let line_start = text.split_inclusive(|&b| b == b'\n').take(e.line().saturating_sub(1)).map(<[u8]>::len).sum::<usize>();
    let offset = (line_start + e.column().saturating_sub(1)).min(text.len());
    if e.to_string().starts_with("trailing comma")
        && let Some(comma) = text[..offset].iter().rposition(|&b| b == b',')
    {
        return comma;
    }
    offset
}

/// The parser's reason without its own position (diagnostics carry the position).
fn parse_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let reason = text.rfind(" at line ").map_or(text.as_str(), |i| &text[..i]);
    match reason {
        "recursion limit exceeded" => "nesting is deeper than 128 levels (recursion limit exceeded); no call nests that deep".to_string(),
        _ => format!("malformed JSON: {reason}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_gives_the_line_a_diagnostic_names() {
        // An NDJSON line is its own line, whatever its number.
        assert_eq!(line_of(br#"{"type":"identity"}"#, 42).as_deref(), Some(r#"{"type":"identity"}"#));
        // A document that spans lines is a whole source from line 1.
        let document = b"\n{\r\n  \"type\": \"track\",\r\n  \"e\": \"caf\xe9\"\n}";
        assert_eq!(line_of(document, 3).as_deref(), Some("  \"type\": \"track\","));
        assert_eq!(line_of(document, 4).as_deref(), Some("  \"e\": \"caf\u{FFFD}\""));
        assert_eq!(line_of(document, 1).as_deref(), Some(""));
        assert_eq!(line_of(document, 9), None);
        assert_eq!(line_of(b"", 1), None);
    }
}
