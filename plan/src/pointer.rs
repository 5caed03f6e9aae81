//! JSON Pointers (RFC 6901): the one place where reference tokens are escaped (`~` as `~0`,
//! `/` as `~1`) and unescaped. Every crate of the workspace builds and reads pointers through
//! [`Pointer`] (or [`tokens`], for text that may not be a valid pointer), so findings, plan
//! locations, schema locations and generated names all agree on what `/a~1b` means.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// A JSON Pointer: empty (the whole document) or `/`-separated reference tokens, each escaped.
///
/// Always valid: it is built from unescaped tokens ([`Pointer::join`], [`Pointer::push`],
/// [`FromIterator`]) or parsed and checked ([`Pointer::parse`]).
///
/// ```
/// use cdpspec_plan::Pointer;
///
/// let p = Pointer::root().join("traits").join("a/b~c");
/// assert_eq!(p.as_str(), "/traits/a~1b~0c");
/// assert_eq!(p.tokens().collect::<Vec<_>>(), ["traits", "a/b~c"]);
/// assert_eq!(p.last().as_deref(), Some("a/b~c"));
/// assert_eq!("/traits/a~1b~0c".parse::<Pointer>(), Ok(p));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

/// Why a text is not a JSON Pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointerError {
    text: String,
    kind: ErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ErrorKind {
    /// It is not empty and does not start with `/`.
    NoLeadingSlash,
    /// A `~` at this byte offset is not followed by `0` or `1`.
    BadEscape(usize),
}

impl Pointer {
    /// The empty pointer: the whole document.
    pub const fn root() -> Pointer {
        Pointer(String::new())
    }

    /// Reads `text` as a JSON Pointer: empty, or starting with `/`, with every `~` followed by
    /// `0` or `1`.
    ///
    /// ```
    /// use cdpspec_plan::Pointer;
    ///
    /// assert!(Pointer::parse("").is_ok());
    /// assert!(Pointer::parse("/a~01").is_ok());
    /// assert!(Pointer::parse("a").is_err());
    /// assert!(Pointer::parse("/a~2").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Pointer, PointerError> {
        if !text.is_empty() && !text.starts_with('/') {
            return Err(PointerError { text: text.to_owned(), kind: ErrorKind::NoLeadingSlash });
        }
        let bytes = text.as_bytes();
        for (at, _) in text.match_indices('~') {
            if !matches!(bytes.get(at + 1), Some(b'0' | b'1')) {
                return Err(PointerError { text: text.to_owned(), kind: ErrorKind::BadEscape(at) });
            }
        }
        Ok(Pointer(text.to_owned()))
    }

    /// This pointer extended by `token` (a key or an index, unescaped).
    #[must_use]
    pub fn join(&self, token: &str) -> Pointer {
        let mut out = String::with_capacity(self.0.len() + token.len() + 1);
        out.push_str(&self.0);
        let mut out = Pointer(out);
        out.push(token);
        out
    }

    /// This pointer extended by an array index.
    #[must_use]
    pub fn join_index(&self, index: usize) -> Pointer {
        let mut out = self.clone();
        out.push_index(index);
        out
    }

    /// Extends this pointer by `token` (a key or an index, unescaped).
    pub fn push(&mut self, token: &str) {
        self.0.push('/');
        self.0.push_str(&escape(token));
    }

    /// Extends this pointer by an array index.
    pub fn push_index(&mut self, index: usize) {
        use fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = write!(self.0, "/{index}");
    }

    /// Removes the last token; `false` (and nothing changes) at the root.
    pub fn pop(&mut self) -> bool {
        match self.0.rfind('/') {
            Some(at) => {
                self.0.truncate(at);
                true
            }
            None => false,
        }
    }

    /// The pointer without its last token; `None` at the root.
    pub fn parent(&self) -> Option<Pointer> {
        self.0.rfind('/').map(|at| Pointer(self.0[..at].to_owned()))
    }

    /// The last token, unescaped; `None` at the root.
    pub fn last(&self) -> Option<Cow<'_, str>> {
        self.tokens().next_back()
    }

    /// The reference tokens, unescaped, first to last (none at the root).
    pub fn tokens(&self) -> Tokens<'_> {
        tokens(&self.0)
    }

    /// Whether this is the empty pointer, the whole document.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The pointer as text, escaped (`/a~1b`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value this pointer names in `value`, as [`serde_json::Value::pointer`] finds it
    /// (array indices are decimal, without a sign or leading zeros).
    pub fn get<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.pointer(&self.0)
    }
}

/// The reference tokens of `pointer`, unescaped, read as leniently as
/// [`serde_json::Value::pointer`] reads them: the text before the first `/` is ignored (so `""`
/// has no tokens), and a `~` followed by neither `0` nor `1` is kept as it is. For text that
/// comes from elsewhere (a validator's error path, a `$ref` fragment) and is used as it is;
/// a [`Pointer`] gives the same with [`Pointer::tokens`].
///
/// ```
/// let tokens: Vec<_> = cdpspec_plan::pointer::tokens("/a~1b/0/~01").collect();
/// assert_eq!(tokens, ["a/b", "0", "~1"]);
/// ```
pub fn tokens(pointer: &str) -> Tokens<'_> {
    Tokens { rest: pointer.split_once('/').map(|(_, rest)| rest) }
}

/// A URI fragment (the text after `#` in a `$ref`) with its `%XX` escapes decoded (RFC 3986,
/// as RFC 6901 section 6 writes pointers in fragments): the JSON Pointer text or the anchor name
/// it stands for. `None` when a `%` is not followed by two hex digits, or the bytes decoded are
/// not UTF-8.
///
/// ```
/// use cdpspec_plan::pointer::percent_decode;
///
/// assert_eq!(percent_decode("/$defs/a~1b%20c").as_deref(), Some("/$defs/a~1b c"));
/// assert_eq!(percent_decode("caf%C3%A9").as_deref(), Some("café"));
/// assert_eq!(percent_decode("%2"), None);
/// assert_eq!(percent_decode("%FF"), None);
/// ```
pub fn percent_decode(fragment: &str) -> Option<String> {
    let bytes = fragment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(byte);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The unescaped tokens of a pointer, from either end ([`tokens`], [`Pointer::tokens`]).
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    /// The escaped tokens not yet read, `/`-separated; `None` when there are none.
    rest: Option<&'a str>,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Cow<'a, str>;

    fn next(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest?;
        let (token, tail) = match rest.split_once('/') {
            Some((token, tail)) => (token, Some(tail)),
            None => (rest, None),
        };
        self.rest = tail;
        Some(unescape(token))
    }
}

impl<'a> DoubleEndedIterator for Tokens<'a> {
    fn next_back(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest?;
        let (head, token) = match rest.rsplit_once('/') {
            Some((head, token)) => (Some(head), token),
            None => (None, rest),
        };
        self.rest = head;
        Some(unescape(token))
    }
}

/// A reference token escaped: `~` as `~0`, then `/` as `~1`.
fn escape(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) { Cow::Owned(token.replace('~', "~0").replace('/', "~1")) } else { Cow::Borrowed(token) }
}

/// A reference token unescaped: `~1` as `/`, then `~0` as `~` (so `~01` is `~1`).
fn unescape(token: &str) -> Cow<'_, str> {
    if token.contains('~') { Cow::Owned(token.replace("~1", "/").replace("~0", "~")) } else { Cow::Borrowed(token) }
}

impl<T: AsRef<str>> FromIterator<T> for Pointer {
    /// The pointer of these unescaped tokens.
    fn from_iter<I: IntoIterator<Item = T>>(tokens: I) -> Pointer {
        let mut out = Pointer::root();
        out.extend(tokens);
        out
    }
}

impl<T: AsRef<str>> Extend<T> for Pointer {
    /// Pushes each unescaped token.
    fn extend<I: IntoIterator<Item = T>>(&mut self, tokens: I) {
        for token in tokens {
            self.push(token.as_ref());
        }
    }
}

impl fmt::Display for Pointer {
    /// The escaped text (`/a~1b`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Pointer {
    type Err = PointerError;

    fn from_str(text: &str) -> Result<Pointer, PointerError> {
        Pointer::parse(text)
    }
}

impl TryFrom<String> for Pointer {
    type Error = PointerError;

    fn try_from(text: String) -> Result<Pointer, PointerError> {
        Pointer::parse(&text)
    }
}

impl From<Pointer> for String {
    fn from(pointer: Pointer) -> String {
        pointer.0
    }
}

impl From<&Pointer> for String {
    fn from(pointer: &Pointer) -> String {
        pointer.0.clone()
    }
}

impl AsRef<str> for Pointer {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Pointer {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Pointer {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Serialize for Pointer {
    /// As its escaped text.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Pointer {
    /// From its escaped text, checked as [`Pointer::parse`] checks it.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Pointer, D::Error> {
        let text = String::deserialize(deserializer)?;
        Pointer::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Display for PointerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = &self.text;
        match self.kind {
            ErrorKind::NoLeadingSlash => write!(f, "`{text}` is not a JSON pointer: it must be empty or start with `/`"),
            ErrorKind::BadEscape(at) => {
                write!(f, "`{text}` is not a JSON pointer: the `~` at byte {at} must be followed by 0 or 1 (`~0` is `~`, `~1` is `/`)")
            }
        }
    }
}

impl std::error::Error for PointerError {}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Keys that need escaping, or look as if they did.
    const AWKWARD: &[&str] = &["", "a/b", "~", "~1", "~0", "~01", "/", "//", "~~", "a~/b", "ünï/cødé~", "0", "-", " ", "%2F"];

    #[test]
    fn join_escapes_and_tokens_unescape() {
        for key in AWKWARD {
            let p = Pointer::root().join("x").join(key);
            assert_eq!(p.tokens().collect::<Vec<_>>(), ["x", *key], "{key:?} via {p}");
            assert_eq!(p.last().as_deref(), Some(*key));
            assert_eq!(p.parent(), Some(Pointer::root().join("x")));
            assert_eq!(Pointer::parse(p.as_str()).as_ref(), Ok(&p), "{p} parses back");
        }
        assert_eq!(Pointer::root().join("a/b").as_str(), "/a~1b");
        assert_eq!(Pointer::root().join("~1").as_str(), "/~01");
        assert_eq!(Pointer::root().join("").as_str(), "/");
        assert_eq!(Pointer::root().join("").join("").as_str(), "//");
    }

    #[test]
    fn the_root_has_no_tokens_parent_or_last() {
        let root = Pointer::root();
        assert!(root.is_root());
        assert_eq!(root.tokens().count(), 0);
        assert_eq!(root.parent(), None);
        assert_eq!(root.last(), None);
        assert_eq!(root.to_string(), "");
        assert_eq!(root, Pointer::default());
        let mut p = root.clone();
        assert!(!p.pop());
        p.push("a");
        p.push_index(3);
        assert_eq!(p, "/a/3");
        assert!(p.pop());
        assert!(p.pop());
        assert!(p.is_root());
    }

    #[test]
    fn parse_checks_the_leading_slash_and_escapes() {
        for good in ["", "/", "/a", "/a~0b~1c", "/~01", "//", "/0/-"] {
            assert_eq!(good.parse::<Pointer>().map(String::from).as_deref(), Ok(good));
        }
        for (bad, why) in [("a", "start with `/`"), ("#/a", "start with `/`"), ("/a~", "byte 2"), ("/~2", "byte 1"), ("/a/~x", "byte 3")] {
            let error = bad.parse::<Pointer>().expect_err(bad).to_string();
            assert!(error.contains(why), "{bad}: {error}");
        }
    }

    #[test]
    fn lenient_tokens_read_as_serde_json_does() {
        assert_eq!(tokens("").count(), 0);
        assert_eq!(tokens("/").collect::<Vec<_>>(), [""]);
        assert_eq!(tokens("/a~2b/~").collect::<Vec<_>>(), ["a~2b", "~"]);
        assert_eq!(tokens("x/y").collect::<Vec<_>>(), ["y"]);
        assert_eq!(tokens("/a/b/c").rev().collect::<Vec<_>>(), ["c", "b", "a"]);
        let mut both = tokens("/a/b/c");
        assert_eq!((both.next().as_deref(), both.next_back().as_deref(), both.next().as_deref(), both.next()), (Some("a"), Some("c"), Some("b"), None));
    }

    #[test]
    fn percent_decode_takes_exactly_two_hex_digits() {
        assert_eq!(percent_decode("").as_deref(), Some(""));
        assert_eq!(percent_decode("/a%2Fb%2fc%25%7E0").as_deref(), Some("/a/b/c%~0"));
        assert_eq!(percent_decode("%41%").as_deref(), None);
        // a sign is not a hex digit, although `u8::from_str_radix` takes one
        assert_eq!(percent_decode("%+4"), None);
        assert_eq!(percent_decode("%-4"), None);
        assert_eq!(percent_decode("%é0"), None);
        assert_eq!(percent_decode("%C3"), None);
        assert_eq!(percent_decode("ünï%20cødé").as_deref(), Some("ünï cødé"));
    }

    #[test]
    fn get_resolves_as_value_pointer() {
        let doc = json!({"a/b": {"~": [1, {"": 2}]}, "": 3, "0": 4, "list": [5, 6]});
        let get = |tokens: &[&str]| tokens.iter().collect::<Pointer>().get(&doc).cloned();
        assert_eq!(get(&["a/b", "~", "1", ""]), Some(json!(2)));
        assert_eq!(get(&[""]), Some(json!(3)));
        assert_eq!(get(&["0"]), Some(json!(4)));
        assert_eq!(get(&["list", "1"]), Some(json!(6)));
        assert_eq!(get(&["list", "01"]), None);
        assert_eq!(get(&["list", "-"]), None);
        assert_eq!(get(&[]), Some(doc.clone()));
    }

    #[test]
    fn serializes_as_its_text() {
        let p = Pointer::root().join("a/b").join_index(0);
        assert_eq!(serde_json::to_value(&p).ok(), Some(json!("/a~1b/0")));
        assert_eq!(serde_json::from_value::<Pointer>(json!("/a~1b/0")).ok(), Some(p));
        assert!(serde_json::from_value::<Pointer>(json!("a~1b")).is_err());
    }
}
