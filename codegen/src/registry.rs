//! Schema storage: documents by `$id`, locations inside them (a document and
//! a JSON pointer), and `$ref` resolution (relative URIs against the
//! document's `$id`, JSON pointer and `$anchor` fragments).
//!
//! Only the root `$id` of a document sets its base URI; `$id`s nested in
//! subschemas are not used as bases.

use crate::{Error, ErrorKind};
use cdpspec_plan::Pointer;
use cdpspec_plan::pointer::{self, tokens};
use serde_json::Value;

/// A schema location: a document and a JSON pointer inside it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Loc {
    pub doc: usize,
    pub ptr: String,
}

impl Loc {
    pub fn root(doc: usize) -> Self {
        Self { doc, ptr: String::new() }
    }

    /// The location of `token` (a key or index) under this one.
    pub fn child(&self, token: &str) -> Self {
        Self { doc: self.doc, ptr: format!("{}{}", self.ptr, Pointer::root().join(token)) }
    }

    /// The last two pointer tokens, unescaped: (parent key, own key).
    pub fn last_two(&self) -> Option<(String, String)> {
        let mut tokens = tokens(&self.ptr);
        let own = tokens.next_back()?;
        let parent = tokens.next_back()?;
        Some((parent.into_owned(), own.into_owned()))
    }
}

/// One loaded schema document.
#[derive(Debug)]
pub(crate) struct Doc {
    /// The file path or name given when it was added; used in errors.
    pub source: String,
    /// The base URI: `$id` without fragment, or `source` without one.
    pub id: String,
    pub value: Value,
}

/// All loaded schema documents.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    docs: Vec<Doc>,
}

impl Registry {
    pub fn add(&mut self, source: &str, value: Value) -> Result<(), Error> {
        let id = match value.get("$id") {
            None => source.to_owned(),
            Some(Value::String(id)) => id.split('#').next().unwrap_or_default().to_owned(),
            Some(_) => {
                return Err(Error::new(ErrorKind::Unsupported, source, "/$id", "`$id` must be a string"));
            }
        };
        if !matches!(value, Value::Object(_) | Value::Bool(_)) {
            return Err(Error::new(ErrorKind::Unsupported, source, "", "a schema must be a JSON object or a boolean"));
        }
        if let Some(other) = self.docs.iter().find(|d| d.id == id) {
            return Err(Error::new(ErrorKind::DuplicateId, source, "/$id", format!("`$id` `{id}` is also the id of {}", other.source)));
        }
        self.docs.push(Doc { source: source.to_owned(), id, value });
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn get(&self, loc: &Loc) -> Option<&Value> {
        self.docs.get(loc.doc)?.value.pointer(&loc.ptr)
    }

    pub fn error(&self, loc: &Loc, kind: ErrorKind, message: impl Into<String>) -> Error {
        let source = self.docs.get(loc.doc).map_or("", |d| d.source.as_str());
        Error::new(kind, source, &loc.ptr, message)
    }

    /// `file#pointer` of `loc`, with the last segment of the document's
    /// `$id` as file: stable across machines, so fit for generated docs.
    pub fn describe(&self, loc: &Loc) -> String {
        let file = self.docs.get(loc.doc).map_or("", |d| last_segment(&d.id));
        format!("{file}#{}", loc.ptr)
    }

    /// The file name of a document without extensions (`context` for
    /// `.../context.schema.json`).
    pub fn stem(&self, doc: usize) -> &str {
        let file = self.docs.get(doc).map_or("", |d| last_segment(&d.id));
        file.split('.').next().unwrap_or(file)
    }

    /// Resolves the `$ref` value `reference` found in the schema at `at`.
    pub fn resolve(&self, at: &Loc, reference: &str) -> Result<Loc, Error> {
        let fail = |why: String| self.error(&at.child("$ref"), ErrorKind::UnresolvableRef, format!("unresolvable $ref `{reference}`: {why}"));
        let (uri, fragment) = split_fragment(reference);
        let doc = if uri.is_empty() {
            at.doc
        } else {
            let base = self.docs.get(at.doc).map_or("", |d| d.id.as_str());
            let target = join(base, uri);
            self.docs.iter().position(|d| d.id == target).ok_or_else(|| fail(format!("no schema has `$id` `{target}`")))?
        };
        let ptr = self.fragment(doc, fragment).map_err(fail)?;
        Ok(Loc { doc, ptr })
    }

    /// Finds a root given to `Generator::add_root`: an `$id` or source name
    /// (or their last path segments) with an optional fragment.
    pub fn lookup(&self, reference: &str) -> Result<Loc, Error> {
        let fail = |why: String| Error::new(ErrorKind::UnresolvableRef, "", "", format!("root `{reference}`: {why}"));
        let (uri, fragment) = split_fragment(reference);
        let matches = |name: &str| name == uri || name.ends_with(&format!("/{uri}"));
        let found: Vec<usize> = (0..self.docs.len()).filter(|&i| self.docs.get(i).is_some_and(|d| matches(&d.id) || matches(&d.source))).collect();
        let doc = match found.as_slice() {
            [doc] => *doc,
            [] => return Err(fail("no schema has this `$id` or file name".to_owned())),
            _ => return Err(fail("more than one schema matches".to_owned())),
        };
        let ptr = self.fragment(doc, fragment).map_err(fail)?;
        Ok(Loc { doc, ptr })
    }

    /// The JSON pointer of a fragment (a pointer or an `$anchor` name).
    fn fragment(&self, doc: usize, fragment: Option<&str>) -> Result<String, String> {
        let root = &self.docs.get(doc).ok_or("no such document")?.value;
        let fragment = pointer::percent_decode(fragment.unwrap_or_default()).ok_or("bad percent-encoding in the fragment")?;
        if fragment.is_empty() {
            Ok(String::new())
        } else if fragment.starts_with('/') {
            match root.pointer(&fragment) {
                Some(_) => Ok(fragment),
                None => Err(format!("nothing at JSON pointer `{fragment}`")),
            }
        } else {
            find_anchor(root, &fragment, &mut Pointer::root()).map(String::from).ok_or_else(|| format!("no `$anchor` `{fragment}`"))
        }
    }
}

fn split_fragment(reference: &str) -> (&str, Option<&str>) {
    match reference.split_once('#') {
        Some((uri, fragment)) => (uri, Some(fragment)),
        None => (reference, None),
    }
}

fn last_segment(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap_or(uri)
}

/// The pointer of the first subschema below `value` (found at `at`) with `$anchor` `anchor`.
fn find_anchor(value: &Value, anchor: &str, at: &mut Pointer) -> Option<Pointer> {
    match value {
        Value::Object(map) => {
            if map.get("$anchor").and_then(Value::as_str) == Some(anchor) {
                return Some(at.clone());
            }
            map.iter().find_map(|(key, child)| {
                at.push(key);
                let found = find_anchor(child, anchor, at);
                at.pop();
                found
            })
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, child)| {
            at.push_index(i);
            let found = find_anchor(child, anchor, at);
            at.pop();
            found
        }),
        _ => None,
    }
}

fn has_scheme(uri: &str) -> bool {
    match uri.split_once(':') {
        Some((scheme, _)) => scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)),
        None => false,
    }
}

/// Resolves the relative URI `rel` against `base` (RFC 3986, section 5.2,
/// without query strings).
pub(crate) fn join(base: &str, rel: &str) -> String {
    if has_scheme(rel) {
        return rel.to_owned();
    }
    // Split the base into scheme-and-authority and path.
    let (prefix, path) = match base.split_once("://") {
        Some((scheme, rest)) => {
            let cut = rest.find('/').unwrap_or(rest.len());
            let (authority, path) = rest.split_at(cut);
            (format!("{scheme}://{authority}"), path)
        }
        None if has_scheme(base) => match base.split_once(':') {
            Some((scheme, path)) => (format!("{scheme}:"), path),
            None => (String::new(), base),
        },
        None => (String::new(), base),
    };
    if let Some(rest) = rel.strip_prefix("//") {
        let scheme = prefix.split("://").next().unwrap_or_default();
        return format!("{scheme}://{rest}");
    }
    if rel.starts_with('/') {
        return format!("{prefix}{}", remove_dots(rel));
    }
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    format!("{prefix}{}", remove_dots(&format!("{dir}{rel}")))
}

fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        match *segment {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 || out.first().is_some_and(|s| !s.is_empty()) {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn joins() {
        let base = "https://cdpspec.dev/schema/v1/alias.schema.json";
        assert_eq!(join(base, "common.schema.json"), "https://cdpspec.dev/schema/v1/common.schema.json");
        assert_eq!(join(base, "../v2/a.json"), "https://cdpspec.dev/schema/v2/a.json");
        assert_eq!(join(base, "./a.json"), "https://cdpspec.dev/schema/v1/a.json");
        assert_eq!(join(base, "/x.json"), "https://cdpspec.dev/x.json");
        assert_eq!(join(base, "//other.dev/x.json"), "https://other.dev/x.json");
        assert_eq!(join(base, "urn:x"), "urn:x");
        assert_eq!(join("a.json", "b.json"), "b.json");
        assert_eq!(join("dir/a.json", "../b.json"), "b.json");
    }

    #[test]
    fn resolves() {
        let mut reg = Registry::default();
        reg.add("a", json!({"$id": "http://x/a.json", "$defs": {"p": {"$anchor": "here"}, "a/b": {}}})).unwrap();
        reg.add("b", json!({"$id": "http://x/b.json"})).unwrap();
        let at = Loc::root(1);
        assert_eq!(reg.resolve(&at, "a.json#/$defs/p").unwrap(), Loc { doc: 0, ptr: "/$defs/p".into() });
        assert_eq!(reg.resolve(&at, "a.json#/%24defs/a~1b").unwrap().ptr, "/$defs/a~1b");
        assert_eq!(reg.resolve(&at, "a.json#here").unwrap().ptr, "/$defs/p");
        assert_eq!(reg.resolve(&at, "#").unwrap(), at);
        let err = reg.resolve(&at, "c.json").unwrap_err();
        assert_eq!((err.file(), err.pointer()), ("b", "/$ref"));
        assert!(reg.resolve(&at, "a.json#/$defs/nope").is_err());
        assert_eq!(reg.lookup("a.json#/$defs/p").unwrap().doc, 0);
    }

    #[test]
    fn last_two() {
        assert_eq!(Loc::root(0).child("$defs").child("a/b").last_two(), Some(("$defs".to_owned(), "a/b".to_owned())));
        assert_eq!(Loc::root(0).child("x").last_two(), None);
    }
}
