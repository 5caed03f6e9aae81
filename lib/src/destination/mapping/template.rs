//! `@template`: `{{path}}` placeholders, as the reference's `render` (mapping-kit/placeholders.ts).
//!
//! Two passes, as the reference makes them: first `{{{path}}}`, then `{{path}}` over the result of
//! the first. A placeholder is the braces around one or more characters other than `}`; its path
//! is trimmed and read without removing `$.`. A missing or `null` value writes nothing; any other
//! value is written as `String(value)` (`true`, `1`, `[object Object]`, `a,b`). Nothing is escaped.
//! A template without `{{{` is compiled once into text and paths.

use super::js::{Js, View, is_js_space};
use super::path::Path;

/// A compiled template.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    /// The template as written.
    pub(crate) source: String,
    /// Text and placeholders, when the second pass does not depend on the data.
    pieces: Option<Vec<Piece>>,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Placeholder(Path),
}

impl Template {
    /// Compiles a template.
    pub(crate) fn new(source: &str) -> Template {
        let pieces = if placeholders(source, 3).is_empty() {
            let mut pieces = Vec::new();
            let mut at = 0;
            for (start, end, inner) in placeholders(source, 2) {
                pieces.push(Piece::Text(source[at..start].to_owned()));
                pieces.push(Piece::Placeholder(Path::placeholder(inner.trim_matches(is_js_space))));
                at = end;
            }
            pieces.push(Piece::Text(source[at..].to_owned()));
            pieces.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
            Some(pieces)
        } else {
            None
        };
        Template { source: source.to_owned(), pieces }
    }

    /// The paths of its placeholders; `None` when they depend on the data (`{{{...}}}`, whose
    /// result the second pass reads again).
    pub(crate) fn paths(&self) -> Option<impl Iterator<Item = &Path>> {
        let pieces = self.pieces.as_ref()?;
        Some(pieces.iter().filter_map(|piece| match piece {
            Piece::Placeholder(path) => Some(path),
            Piece::Text(_) => None,
        }))
    }

    /// Renders the template, writing each placeholder with `placeholder`; `None` when the
    /// placeholders depend on the data (see [`Template::paths`]).
    pub(crate) fn render_with(&self, mut placeholder: impl FnMut(&Path, &mut String)) -> Option<String> {
        let pieces = self.pieces.as_ref()?;
        let mut out = String::with_capacity(self.source.len());
        for piece in pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder(path) => placeholder(path, &mut out),
            }
        }
        Some(out)
    }

    /// Renders the template against a payload.
    pub(crate) fn render(&self, data: &Js<'_>) -> String {
        match &self.pieces {
            Some(pieces) => {
                let mut out = String::with_capacity(self.source.len());
                for piece in pieces {
                    match piece {
                        Piece::Text(t) => out.push_str(t),
                        Piece::Placeholder(path) => push_value(&mut out, path.lookup(data).view()),
                    }
                }
                out
            }
            None => {
                let first = substitute(&self.source, 3, data);
                substitute(&first, 2, data)
            }
        }
    }
}

pub(super) fn push_value(out: &mut String, v: View<'_, '_>) {
    if !matches!(v, View::Undefined | View::Json(serde_json::Value::Null)) {
        out.push_str(&v.to_js_string());
    }
}

fn substitute(text: &str, braces: usize, data: &Js<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, inner) in placeholders(text, braces) {
        out.push_str(&text[at..start]);
        push_value(&mut out, Path::placeholder(inner.trim_matches(is_js_space)).lookup(data).view());
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Non-overlapping matches of `\{{n}([^}]+)\}{n}`, left to right: (start, end, inner).
fn placeholders(text: &str, braces: usize) -> Vec<(usize, usize, &str)> {
    let open = &"{{{"[..braces];
    let close = &"}}}"[..braces];
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(offset) = text[i..].find(open) {
        let start = i + offset;
        let inner_start = start + braces;
        match text[inner_start..].find('}') {
            Some(len) if len > 0 && text[inner_start + len..].starts_with(close) => {
                let end = inner_start + len + braces;
                found.push((start, end, &text[inner_start..inner_start + len]));
                i = end;
            }
            Some(_) => i = start + 1,
            None => break,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn render(t: &str, data: Value) -> String {
        Template::new(t).render(&Js::Ref(&data))
    }

    // Cases from the reference's mapping-kit/__tests__/placeholders.test.ts and
    // schema-fixtures/directives/@template.json.
    #[test]
    fn reference_placeholder_fixtures() {
        assert_eq!(render("{{foo}}", json!({"foo": true})), "true");
        assert_eq!(render("{{foo}}", json!({"foo": 1})), "1");
        assert_eq!(render("{{foo}}", json!({"foo": {"bar": "baz"}})), "[object Object]");
        assert_eq!(render("{{foo}}", json!({"foo": null})), "");
        assert_eq!(render("{{foo}}", json!({})), "");
        assert_eq!(render("{{foo}}}", json!({"foo": "hello"})), "hello}");
        assert_eq!(render("Hello world", json!({})), "Hello world");
        assert_eq!(render("Hello {{foo}} {{bar}}", json!({"foo": "Mr.", "bar": "Bean"})), "Hello Mr. Bean");
        assert_eq!(render("Hello {{foo.bar}}", json!({"foo": {"bar": "World"}})), "Hello World");
        assert_eq!(render("<blink>{{a}} {{{a}}}</blink>", json!({"a": "<b>Hi</b>"})), "<blink><b>Hi</b> <b>Hi</b></blink>");
        assert_eq!(render("Hello, \"{{name}}\"!", json!({"name": "World"})), "Hello, \"World\"!");
        assert_eq!(render("{{[unknown]}}", json!({"traits": {"a": 1}})), "");
        assert_eq!(render("{{oops.yo}}", json!({})), "");
    }

    #[test]
    fn passes_and_spacing() {
        assert_eq!(render("{{ traits.email }}", json!({"traits": {"email": "a@b.c"}})), "a@b.c");
        assert_eq!(render("{{$.traits.email}}", json!({"traits": {"email": "a@b.c"}})), "");
        assert_eq!(render("{{list}}", json!({"list": [1, null, "x"]})), "1,,x");
        // The second pass reads what the first one wrote.
        assert_eq!(render("{{{a}}}", json!({"a": "{{b}}", "b": "B"})), "B");
        assert_eq!(render("{{a}}{{", json!({"a": "A"})), "A{{");
    }
}
