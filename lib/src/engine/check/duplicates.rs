//! Duplicate keys in one object (`{"userId": "a", "userId": "b"}`): JSON parsers keep the last
//! value, some destinations the first. The parsed value cannot show them, so this scans the
//! source text once, keeping only the keys of the objects currently open.

use std::borrow::Cow;

use crate::Pointer;
use crate::engine::locate::string_end;

/// Adds a `duplicate-key` finding for every duplicate key in `text` to the call it is in
/// (by pointer: `/batch/3/...` or `/3/...` in a batch or array), or to the document.
///
/// ```
/// use cdpspec::check::{Options, check_document, duplicates};
///
/// let text = r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled","userId":"u2"}"#;
/// let mut report = check_document(&serde_json::from_str(text).unwrap(), &Options::default());
/// duplicates::check(text.as_bytes(), &mut report);
/// assert_eq!(report.calls[0].findings[0].rule, cdpspec::Rule::DuplicateKey);
/// ```
pub fn check(text: &[u8], report: &mut super::DocumentReport) {
    for dup in duplicate_keys(text) {
        let finding = crate::diagnostic::Finding::new(
            crate::rule::Rule::DuplicateKey,
            dup.pointer.clone(),
            format!("key `{}` appears twice in one object; parsers keep the last value, some destinations the first: send it once", dup.key),
        );
        report.attach(finding);
    }
}

/// A key that appears twice in one object.
///
/// ```
/// use cdpspec::check::duplicates::{DuplicateKey, duplicate_keys};
///
/// let found = duplicate_keys(br#"{"type":"identify","traits":{"plan":"free","plan":"premium"}}"#);
/// assert_eq!(found, [DuplicateKey { pointer: "/traits/plan".into(), key: "plan".into() }]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// JSON pointer of the second occurrence.
    pub pointer: String,
    /// The key.
    pub key: String,
}

/// Every duplicate key in `text`, a document that parsed as JSON.
///
/// ```
/// use cdpspec::check::duplicates::duplicate_keys;
///
/// let batch = br#"{"batch":[{"type":"page","name":"home"},{"type":"page","name":"a","name":"b"}]}"#;
/// assert_eq!(duplicate_keys(batch)[0].pointer, "/batch/1/name");
/// assert!(duplicate_keys(br#"{"type":"alias"}"#).is_empty());
/// ```
pub fn duplicate_keys(text: &[u8]) -> Vec<DuplicateKey> {
    let mut found = Vec::new();
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'{' => {
                frames.push(Frame { object: true, keys: Vec::new(), index: 0, pending: None });
                i += 1;
            }
            b'[' => {
                frames.push(Frame { object: false, keys: Vec::new(), index: 0, pending: None });
                i += 1;
            }
            b'}' | b']' => {
                frames.pop();
                i += 1;
            }
            b',' => {
                if let Some(f) = frames.last_mut() {
                    f.index += 1;
                    f.pending = None;
                }
                i += 1;
            }
            b'"' => {
                let end = string_end(text, i);
                let is_key = frames.last().is_some_and(|f| f.object && f.pending.is_none()) && next_non_space(text, end) == Some(b':');
                if is_key {
                    let key = &text[i + 1..end - 1];
                    // Compare keys as decoded text: `"a/b"` and `"a\/b"` are one key. Only keys
                    // with escapes are decoded; the rest are compared as they stand.
                    let comparable: Cow<'_, [u8]> = if key.contains(&b'\\') { Cow::Owned(decode(key).into_bytes()) } else { Cow::Borrowed(key) };
                    let frame = frames.last_mut().expect("checked above");
                    if frame.keys.contains(&comparable) {
                        found.push(DuplicateKey { pointer: pointer(&frames, key), key: decode(key) });
                    } else {
                        frame.keys.push(comparable);
                    }
                    frames.last_mut().expect("checked above").pending = Some(key);
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

struct Frame<'a> {
    object: bool,
    keys: Vec<Cow<'a, [u8]>>,
    index: usize,
    /// The key whose value is being read (objects).
    pending: Option<&'a [u8]>,
}

fn next_non_space(text: &[u8], from: usize) -> Option<u8> {
    text[from.min(text.len())..].iter().copied().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The key `raw` (the bytes between its quotes) decoded, an escaped lone surrogate read as
/// U+FFFD as the parser reads it (`surrogates::parse`).
fn decode(raw: &[u8]) -> String {
    super::surrogates::decode_string(raw).unwrap_or_else(|| String::from_utf8_lossy(raw).into_owned())
}

/// The pointer of `key` in the innermost open object.
fn pointer(frames: &[Frame<'_>], key: &[u8]) -> String {
    let mut p = Pointer::root();
    for frame in &frames[..frames.len() - 1] {
        match (frame.object, frame.pending) {
            (true, Some(k)) => p.push(&decode(k)),
            _ => p.push_index(frame.index),
        }
    }
    p.push(&decode(key));
    p.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dups(text: &str) -> Vec<(String, String)> {
        duplicate_keys(text.as_bytes()).into_iter().map(|d| (d.pointer, d.key)).collect()
    }

    #[test]
    fn finds_duplicates_at_any_depth() {
        assert_eq!(dups(r#"{"userId": "a", "userId": "b"}"#), [("/userId".into(), "userId".into())]);
        assert_eq!(dups(r#"{"batch": [{"a": 1}, {"properties": {"x": 1, "y": [1, {"z": 1}], "x": 2}}]}"#), [("/batch/1/properties/x".into(), "x".into())]);
        assert_eq!(dups(r#"{"a/b": 1, "a\/b": 2}"#), [("/a~1b".into(), "a/b".into())], "escaped keys are the same key");
    }

    #[test]
    fn same_key_in_sibling_objects_or_as_a_value_is_fine() {
        assert_eq!(dups(r#"[{"a": 1}, {"a": 2}]"#), []);
        assert_eq!(dups(r#"{"a": "a", "b": {"a": 1}, "c": ["a", "a"]}"#), []);
        assert_eq!(dups(r#"{"k": "x\"y", "k2": "\\", "k3": 1}"#), []);
    }
}
