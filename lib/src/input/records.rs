//! Splitting a source into records and parsing them: one record per NDJSON line, or one per
//! JSON document, each blank, parsed, or unparsed with the parser's position and reason (or as
//! too large, read through without being held: `bounded`). Shared by `validate` and
//! `coverage`, so both read inputs alike and count every line.

pub mod bounded;

use std::io::{self, BufRead, Read};

use serde_json::Value;

use crate::check::limits::Limits;
use crate::input::{Layout, looks_like_document_line};
use bounded::{BOM, Line, Passed};
use crate::locate::line_column;
use crate::rule::Rule;

/// One record of a source.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::input::{Record, Source};
///
/// let broken = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/broken/identify-trailing-comma.json").into());
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
    /// A document that did not parse, or was too large to hold.
    Unparsed {
        /// Its bytes, as read (none for a record too large to hold).
        text: &'a [u8],
        /// `invalid-json`, `invalid-utf8` or `record-too-large`.
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
    /// let source = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/sdk/rudderstack.ndjson").into());
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
    /// let track = Source::File(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/seed/track.json").into());
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

/// Reads every record of `reader`, laid out as `layout` says, and hands each to `visit`. A
/// record over `limits.record_bytes` is handed on as `record-too-large`, without its bytes: it
/// is read through, never held.
pub fn read(mut reader: impl BufRead, layout: Layout, limits: &Limits, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
    if layout == Layout::Lines {
        return read_lines(&mut reader, limits, 0, visit);
    }
    let sniffed = sniff(&mut reader, limits)?;
    read_sniffed(sniffed, reader, layout, limits, visit)
}

/// How the first lines of a source that is not always NDJSON decided its layout (see
/// [`Layout::Sniff`]).
pub(crate) enum Sniffed {
    /// Nothing, or only blank lines (`prefix`, as read).
    Blank {
        /// The lines read, as read.
        prefix: Vec<u8>,
    },
    /// NDJSON, whose first lines are `prefix`, as read, to be read again first.
    Lines {
        /// The lines read to decide, as read.
        prefix: Vec<u8>,
    },
    /// NDJSON whose first non-blank line, after `blank` blank lines, is over the record limit:
    /// it was read through, and this is what it was.
    LinesAfterTooLarge {
        /// The blank lines before it.
        blank: usize,
        /// The line, read through.
        line: Passed,
    },
    /// One document, which starts with `prefix` (as read) and takes the rest of the source.
    Document {
        /// The lines read to decide, as read.
        prefix: Vec<u8>,
    },
    /// One document whose first non-blank line is over the record limit: what it was up to the
    /// end of that line. The rest of the source, which belongs to it, is still to read through.
    DocumentTooLarge {
        /// Its first lines, read through.
        head: Passed,
    },
}

/// Reads the lines of `reader` up to the first that is not blank, which decides between NDJSON
/// and one document: a whole object or array on that line means NDJSON. No line is held beyond
/// the record limit.
pub(crate) fn sniff(reader: &mut impl BufRead, limits: &Limits) -> io::Result<Sniffed> {
    let mut prefix = Vec::new();
    let mut number = 0;
    loop {
        number += 1;
        let start = prefix.len();
        match next_line(reader, &mut prefix, limits.record_bytes, number == 1)? {
            Next::End => return Ok(Sniffed::Blank { prefix }),
            Next::Held => {
                let line = strip(&prefix[start..], number == 1);
                if line.trim_ascii().is_empty() {
                    continue;
                }
                let document = !looks_like_document_line(line);
                return Ok(if document { Sniffed::Document { prefix } } else { Sniffed::Lines { prefix } });
            }
            // White space is not held: a line end keeps the count of lines.
            Next::Over(line) if line.is_blank() => prefix.push(b'\n'),
            Next::Over(line) if line.looks_like_document() => return Ok(Sniffed::LinesAfterTooLarge { blank: number - 1, line }),
            Next::Over(line) => {
                let head = Passed::of(&stripped_lines(&prefix)).then(line).then(Passed::of(b"\n"));
                return Ok(Sniffed::DocumentTooLarge { head });
            }
        }
    }
}

/// Reads the rest of a source `sniff` decided the layout of (`layout`, for an empty source).
pub(crate) fn read_sniffed(sniffed: Sniffed, mut reader: impl BufRead, layout: Layout, limits: &Limits, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
    match sniffed {
        // An empty `.json` file is an error; empty NDJSON or stdin is zero records.
        Sniffed::Blank { prefix } if layout == Layout::Document => visit(document(&stripped_lines(&prefix), 1, true)),
        Sniffed::Blank { prefix } => prefix.split_inclusive(|&b| b == b'\n').for_each(|_| visit(Record::Blank)),
        Sniffed::Lines { prefix } => return read_lines(&mut io::Cursor::new(prefix).chain(reader), limits, 0, visit),
        Sniffed::LinesAfterTooLarge { blank, line } => {
            (0..blank).for_each(|_| visit(Record::Blank));
            visit(too_large(blank + 1, line.line_bytes(), limits));
            return read_lines(&mut reader, limits, blank + 1, visit);
        }
        Sniffed::Document { prefix } => {
            // One JSON document: the rest of the source belongs to it.
            let mut head = stripped_lines(&prefix);
            match bounded::read_to_end(&mut reader, &mut head, limits.record_bytes)? {
                None => {
                    let trimmed = head.trim_ascii_end().len();
                    head.truncate(trimmed);
                    visit(document(&head, 1, true));
                }
                Some(passed) => visit(too_large(1, passed.trimmed_bytes(), limits)),
            }
        }
        Sniffed::DocumentTooLarge { head } => {
            let passed = head.then(bounded::pass_to_end(&mut reader)?);
            visit(too_large(1, passed.trimmed_bytes(), limits));
        }
    }
    Ok(())
}

/// Reads the lines of `reader` as NDJSON records, the first being line `after + 1`.
fn read_lines(reader: &mut impl BufRead, limits: &Limits, after: usize, visit: &mut dyn FnMut(Record<'_>)) -> io::Result<()> {
    let mut line = Vec::new();
    let mut number = after;
    loop {
        line.clear();
        number += 1;
        match next_line(reader, &mut line, limits.record_bytes, number == 1)? {
            Next::End => return Ok(()),
            Next::Held => visit(line_record(strip(&line, number == 1), number)),
            Next::Over(passed) if passed.is_blank() => visit(Record::Blank),
            Next::Over(passed) => visit(too_large(number, passed.line_bytes(), limits)),
        }
    }
}

/// How reading a line as a record ended.
enum Next {
    End,
    /// The line, as read, was appended.
    Held,
    /// Its record was over the limit; this is what the line was (its `\n`, and on line 1 a
    /// byte order mark, excluded: its [`Passed::line_bytes`] is the record's size).
    Over(Passed),
}

/// Appends the next line of `reader` to `buf`, as read, unless its record (the line without
/// its terminator and, on line 1, a byte order mark) is over `max` bytes: then it is read
/// through (past `max` bytes and a `\r`, none of it is held) and `buf` is left as it was.
fn next_line(reader: &mut impl BufRead, buf: &mut Vec<u8>, max: usize, first_line: bool) -> io::Result<Next> {
    let start = buf.len();
    Ok(match bounded::read_line(reader, buf, max.saturating_add(1), first_line)? {
        Line::End => Next::End,
        Line::Passed(line) => Next::Over(line),
        Line::Held if strip(&buf[start..], first_line).len() <= max => Next::Held,
        Line::Held => {
            let line = &buf[start..];
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = if first_line { line.strip_prefix(BOM).unwrap_or(line) } else { line };
            let passed = Passed::of(line);
            buf.truncate(start);
            Next::Over(passed)
        }
    })
}

/// The lines of `prefix` (lines as read), each without its terminator (and the first without a
/// byte order mark), each followed by `\n`.
fn stripped_lines(prefix: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(prefix.len());
    for (i, line) in prefix.split_inclusive(|&b| b == b'\n').enumerate() {
        out.extend_from_slice(strip(line, i == 0));
        out.push(b'\n');
    }
    out
}

/// The record of a line over the limit, `size` bytes long: `record-too-large`, without bytes.
pub(crate) fn too_large(line: usize, size: u64, limits: &Limits) -> Record<'static> {
    Record::Unparsed { text: b"", rule: Rule::RecordTooLarge, line, column: 1, message: crate::check::limits::record_too_large(size, limits) }
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
    // Escaped lone surrogates are read as U+FFFD, as destinations read them (`lone-surrogate`).
    match crate::check::surrogates::parse(text) {
        Ok(value) => Record::Parsed { text, first_line, value },
        Err(e) => {
            let (line, column) = place(text, first_line, parse_error_offset(text, &e));
            Record::Unparsed { text, rule: Rule::InvalidJson, line, column, message: parse_error_message(&e) }
        }
    }
}

/// A line without its terminator (`\n`, `\r\n`) and, on line 1 (`first`), a UTF-8 byte order
/// mark.
pub(crate) fn strip(line: &[u8], first: bool) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if first { line.strip_prefix(BOM).unwrap_or(line) } else { line }
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

    /// What `read` hands on, in short: `blank`, `parsed@line`, `rule@line` and, for records too
    /// large, their size.
    fn records(text: &[u8], layout: Layout, record_bytes: usize) -> Vec<String> {
        let limits = Limits { record_bytes, ..Limits::default() };
        let mut out = Vec::new();
        read(text, layout, &limits, &mut |record| {
            out.push(match record {
                Record::Blank => "blank".to_string(),
                Record::Parsed { first_line, .. } => format!("parsed@{first_line}"),
                Record::Unparsed { rule: Rule::RecordTooLarge, line, message, text, .. } => {
                    assert!(text.is_empty());
                    let size = message.split(' ').nth(2).unwrap_or_default().to_string();
                    format!("too-large@{line}:{size}")
                }
                Record::Unparsed { rule, line, .. } => format!("{rule}@{line}"),
            });
        })
        .unwrap();
        out
    }

    #[test]
    fn records_over_the_limit_are_reported_and_the_next_line_read() {
        let text = b"{\"a\":1}\n{\"a\":\"0123456789\"}\n\n{\"a\":2}\r\n{\"a\":\"01234567\"}";
        for layout in [Layout::Lines, Layout::Sniff, Layout::Document] {
            assert_eq!(records(text, layout, 15), ["parsed@1", "too-large@2:18", "blank", "parsed@4", "too-large@5:16"], "{layout:?}");
        }
        // At the limit exactly, with a `\r\n` and a byte order mark, which do not count.
        assert_eq!(records(b"\xEF\xBB\xBF{\"a\":1}\r\n{\"b\":1}\r\n", Layout::Sniff, 7), ["parsed@1", "parsed@2"]);
        assert_eq!(records(b"\xEF\xBB\xBF{\"a\":12}\r\n{\"b\":1}", Layout::Sniff, 7), ["too-large@1:8", "parsed@2"]);
        // A blank line is blank, however long.
        assert_eq!(records(&[b"  \n".repeat(2), b" ".repeat(100), b"\n{}".to_vec()].concat(), Layout::Sniff, 8), ["blank", "blank", "blank", "parsed@4"]);
    }

    #[test]
    fn a_first_line_over_the_limit_still_decides_the_layout() {
        // A whole object on it: NDJSON, read on after it.
        assert_eq!(records(b"\n{\"a\":\"0123456789\"}\n{}\n{", Layout::Sniff, 8), ["blank", "too-large@2:18", "parsed@3", "invalid-json@4"]);
        // Anything else: one document, the whole source, too large.
        assert_eq!(records(b"\n{\"a\":\"0123456789\",\n\"b\": 1}\n\n", Layout::Document, 8), ["too-large@1:27"]);
        // A document over the limit on a later line.
        assert_eq!(records(b"{\n\"a\": 1,\n\"b\": \"0123456789\"\n}\n", Layout::Sniff, 20), ["too-large@1:29"]);
        assert_eq!(records(b"{\n\"a\": 1,\n\"b\": \"0123456789\"\n}\n", Layout::Sniff, 29), ["parsed@1"]);
        // Only blank lines: nothing (or, for a `.json` file, an empty file).
        assert_eq!(records(b"\n   \n", Layout::Sniff, 2), ["blank", "blank"]);
        assert_eq!(records(b"\n   \n", Layout::Document, 2), ["invalid-json@1"]);
    }

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
