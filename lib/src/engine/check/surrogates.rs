//! Escaped lone surrogates (`"\ud83d"`): one half of a UTF-16 pair, alone. `JSON.stringify`
//! writes one for a string cut in the middle of an emoji, and JavaScript and Go parse it (Go,
//! like most pipelines, reads it as U+FFFD; JavaScript keeps the lone code unit), where
//! serde_json refuses it. So cdpspec reads each as U+FFFD ([`parse`], and the fast path's tape
//! alike), checks the call as usual, and warns at every string or key that holds one
//! ([`check`], rule `lone-surrogate`).
//!
//! In a key it is read as U+FFFD too: the warning names the member by the key destinations see.
//! Two keys of one object that differ only in their lone surrogates are then one key, which
//! `duplicate-key` reports as well (destinations keep one of the two values).

use serde_json::Value;

use super::DocumentReport;
use crate::Pointer;
use crate::diagnostic::Finding;
use crate::engine::locate::string_end;
use crate::rule::Rule;

/// An escaped lone surrogate in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoneSurrogate {
    /// The byte offset of its `\`.
    pub at: usize,
    /// The code unit it escapes (`0xD800` to `0xDFFF`).
    pub unit: u32,
}

/// Every escaped lone surrogate in the strings (and keys) of `text`: a `\uD800` to `\uDBFF` not
/// followed by a `\uDC00` to `\uDFFF`, and a `\uDC00` to `\uDFFF` not after one. A pair in the
/// wrong order is two lone surrogates.
///
/// ```
/// use cdpspec::check::surrogates::lone_surrogates;
///
/// let units = |text: &str| lone_surrogates(text.as_bytes()).iter().map(|l| (l.at, l.unit)).collect::<Vec<_>>();
/// assert_eq!(units(r#"{"event":"Shared \ud83d"}"#), [(17, 0xD83D)]);
/// assert_eq!(units(r#"["\ude00\ud83d", "\ud83d\ude00", "\\ud800"]"#), [(2, 0xDE00), (8, 0xD83D)], "reversed, a pair, an escaped backslash");
/// ```
pub fn lone_surrogates(text: &[u8]) -> Vec<LoneSurrogate> {
    let mut found = Vec::new();
    // Most texts have no `\u` escape of a surrogate at all.
    if !memchr::memmem::find_iter(text, b"\\u").any(|i| matches!(text.get(i + 2), Some(b'd' | b'D'))) {
        return found;
    }
    let (mut i, mut in_string) = (0, false);
    while i < text.len() {
        match text[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                let escaped = if text.get(i + 1) == Some(&b'u') { hex4(text, i + 2) } else { None };
                i += match escaped {
                    Some(0xD800..=0xDBFF) if text.get(i + 6..i + 8) == Some(b"\\u") && hex4(text, i + 8).is_some_and(is_low) => 12,
                    Some(unit @ 0xD800..=0xDFFF) => {
                        found.push(LoneSurrogate { at: i, unit });
                        6
                    }
                    Some(_) => 6,
                    None => 2,
                };
            }
            _ => i += 1,
        }
    }
    found
}

/// Whether `unit` is the second half of a pair.
fn is_low(unit: u32) -> bool {
    (0xDC00..=0xDFFF).contains(&unit)
}

/// The four hex digits at `at`, if there are.
fn hex4(text: &[u8], at: usize) -> Option<u32> {
    let digits = text.get(at..at + 4)?;
    digits.iter().try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
}

/// `text` parsed as serde_json parses it, but with every escaped lone surrogate read as U+FFFD,
/// as Go and most pipelines read it (serde_json refuses them).
///
/// # Errors
///
/// `text` is not JSON for another reason: serde_json's error, at the same place (the rewritten
/// escapes keep their length).
///
/// ```
/// use cdpspec::check::surrogates::parse;
///
/// let call = parse(br#"{"type":"track","userId":"u1","event":"Shared \ud83d"}"#).unwrap();
/// assert_eq!(call["event"], "Shared \u{FFFD}");
/// assert_eq!(parse(br#""\ud83d\ude00""#).unwrap(), "😀");
/// assert_eq!(parse(br#"["\ud83d", tru]"#).unwrap_err().to_string(), "expected ident at line 1 column 15", "the error after it");
/// ```
pub fn parse(text: &[u8]) -> Result<Value, serde_json::Error> {
    match serde_json::from_slice(text) {
        Err(e) if refuses_a_surrogate(&e) => {
            let lone = lone_surrogates(text);
            if lone.is_empty() {
                return Err(e);
            }
            let mut replaced = text.to_vec();
            for l in &lone {
                replaced[l.at..l.at + 6].copy_from_slice(b"\\uFFFD");
            }
            serde_json::from_slice(&replaced)
        }
        parsed => parsed,
    }
}

/// Whether serde_json stopped at a lone surrogate.
fn refuses_a_surrogate(e: &serde_json::Error) -> bool {
    let message = e.to_string();
    message.starts_with("lone leading surrogate in hex escape") || message.starts_with("unexpected end of hex escape")
}

/// The contents of a JSON string (`raw`, the bytes between its quotes) decoded as [`parse`]
/// decodes them; `None` when they are not a string's.
pub(crate) fn decode_string(raw: &[u8]) -> Option<String> {
    match parse(&[&b"\""[..], raw, b"\""].concat()) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Adds a `lone-surrogate` warning, to the call it is in, for every string and key of `text` (a
/// document that parsed) that holds escaped lone surrogates.
///
/// ```
/// use cdpspec::Rule;
/// use cdpspec::check::{Options, check_document, surrogates};
///
/// let text = br#"{"type":"track","userId":"u1","event":"Shared \ud83d"}"#;
/// let mut report = check_document(&surrogates::parse(text).unwrap(), &Options::default());
/// surrogates::check(text, &mut report);
/// let finding = &report.calls[0].findings[0];
/// assert_eq!((finding.rule, finding.pointer.as_str()), (Rule::LoneSurrogate, "/event"));
/// assert!(finding.message.contains("U+FFFD"), "{}", finding.message);
/// ```
pub fn check(text: &[u8], report: &mut DocumentReport) {
    let lone = lone_surrogates(text);
    if lone.is_empty() {
        return;
    }
    for place in places(text, &lone) {
        let message = message(&place);
        report.attach(Finding::new(Rule::LoneSurrogate, place.pointer, message));
    }
}

/// A string or key that holds lone surrogates.
struct Place {
    /// The string's pointer, or for a key, its member's.
    pointer: Pointer,
    /// The key, as read, when it is one.
    key: Option<String>,
    /// The lone code units, in order.
    units: Vec<u32>,
}

/// An object or array being read.
struct Frame {
    object: bool,
    /// The index of the element being read (arrays).
    index: usize,
    /// The key of the member being read, once read (objects).
    key: Option<String>,
}

/// Where the lone surrogates `lone` (in text order) of `text`, valid JSON, are.
fn places(text: &[u8], lone: &[LoneSurrogate]) -> Vec<Place> {
    let mut found = Vec::new();
    let mut lone = lone.iter().peekable();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < text.len() && lone.peek().is_some() {
        match text[i] {
            open @ (b'{' | b'[') => frames.push(Frame { object: open == b'{', index: 0, key: None }),
            b'}' | b']' => drop(frames.pop()),
            b',' => {
                if let Some(frame) = frames.last_mut() {
                    frame.index += 1;
                    frame.key = None;
                }
            }
            b'"' => {
                let end = string_end(text, i);
                let key = match frames.last_mut() {
                    Some(frame) if frame.object && frame.key.is_none() => {
                        let raw = text.get(i + 1..end.saturating_sub(1)).unwrap_or_default();
                        let key = decode_string(raw).unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned());
                        frame.key = Some(key.clone());
                        Some(key)
                    }
                    _ => None,
                };
                let mut units = Vec::new();
                while let Some(l) = lone.next_if(|l| l.at < end) {
                    units.push(l.unit);
                }
                if !units.is_empty() {
                    found.push(Place { pointer: pointer(&frames), key, units });
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The pointer of the value being read (of the member, right after its key).
fn pointer(frames: &[Frame]) -> Pointer {
    let mut p = Pointer::root();
    for frame in frames {
        match &frame.key {
            Some(key) if frame.object => p.push(key),
            _ if frame.object => {}
            _ => p.push_index(frame.index),
        }
    }
    p
}

/// What a place's warning says: the escapes, and what destinations see instead.
fn message(place: &Place) -> String {
    let escapes: Vec<String> = place.units.iter().map(|u| format!("`\\u{u:04x}`")).collect();
    let what = match escapes.len() {
        1 => format!("escaped lone surrogate {}", escapes[0]),
        n => format!("{n} escaped lone surrogates ({})", escapes.join(", ")),
    };
    let (place_name, fix) = match &place.key {
        Some(key) => (format!("the key `{key}`"), "send keys of whole characters"),
        None => ("this string".to_string(), "cut strings at whole characters"),
    };
    format!(
        "{what} in {place_name}: half of a UTF-16 pair, as JSON.stringify writes for a string cut inside an emoji; destinations see U+FFFD (\u{FFFD}) \
         in its place, as Go and most pipelines decode it (JavaScript keeps the lone code unit): {fix}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places_of(text: &str) -> Vec<(String, Option<String>, Vec<u32>)> {
        let lone = lone_surrogates(text.as_bytes());
        places(text.as_bytes(), &lone).into_iter().map(|p| (p.pointer.as_str().to_string(), p.key, p.units)).collect()
    }

    #[test]
    fn each_string_or_key_is_named_by_its_pointer() {
        let text = r#"{"batch":[{"a":1},{"properties":{"x":["ok","\udc00 \ud800"],"k\ud83d":{"y":"\ud83d\ude00"}}}],"z":"\uD83D"}"#;
        assert_eq!(
            places_of(text),
            [
                ("/batch/1/properties/x/1".to_string(), None, vec![0xDC00, 0xD800]),
                ("/batch/1/properties/k\u{FFFD}".to_string(), Some("k\u{FFFD}".to_string()), vec![0xD83D]),
                ("/z".to_string(), None, vec![0xD83D]),
            ]
        );
        assert_eq!(places_of(r#""\ud800""#), [(String::new(), None, vec![0xD800])], "a document that is one string");
    }

    #[test]
    fn lone_surrogates_are_read_as_go_reads_them() {
        for (text, read) in [
            (r#""\ud800""#, "\u{FFFD}"),
            (r#""\udc00""#, "\u{FFFD}"),
            (r#""\ude00\ud83d""#, "\u{FFFD}\u{FFFD}"),
            (r#""\ud83d\ud83d\ude00""#, "\u{FFFD}😀"),
            (r#""\ud800\n""#, "\u{FFFD}\n"),
            (r#""a\ud800b""#, "a\u{FFFD}b"),
        ] {
            assert_eq!(parse(text.as_bytes()).unwrap(), read, "{text}");
        }
        for text in [r#""\ud800\u12""#, r#""\ud800"#, r#"{"\ud800":}"#] {
            assert!(parse(text.as_bytes()).is_err(), "{text}");
        }
    }
}
