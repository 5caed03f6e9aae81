//! Test isolation by path: a call sent under `/t/{tag}/` (`/t/checkout-test/v1/batch`) is
//! tagged with that name, and `/t/{tag}/_cdpspec/...` scopes queries, counts and resets to it.
//! The prefix is taken off before routing, so every route works under it.

use axum::http::{Request, Uri};

/// The tag a request was sent under, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Tag(pub(crate) Option<String>);

/// Where a request with a tag that is not one goes: a route answering 400.
pub(crate) const INVALID_TAG: &str = "/_cdpspec/invalid-tag";

/// Longest tag.
const MAX_TAG: usize = 128;

/// Whether `tag` can name a test: 1 to 128 of `A-Z a-z 0-9 . _ - ~ :`.
pub(crate) fn is_valid(tag: &str) -> bool {
    !tag.is_empty() && tag.len() <= MAX_TAG && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-~:".contains(&b))
}

/// Takes a `/t/{tag}` prefix off the path and records the tag (as [`Tag`]).
pub(crate) fn untag<B>(mut request: Request<B>) -> Request<B> {
    let path = request.uri().path();
    let Some(rest) = path.strip_prefix("/t/") else {
        request.extensions_mut().insert(Tag(None));
        return request;
    };
    let (tag, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let (tag, new_path) = if is_valid(tag) { (Some(tag.to_string()), format!("/{tail}")) } else { (None, INVALID_TAG.to_string()) };
    let target = match request.uri().query() {
        Some(q) => format!("{new_path}?{q}"),
        None => new_path,
    };
    let mut parts = request.uri().clone().into_parts();
    parts.path_and_query = target.parse().ok();
    if let Ok(uri) = Uri::from_parts(parts) {
        *request.uri_mut() = uri;
    }
    request.extensions_mut().insert(Tag(tag));
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(uri: &str) -> (String, Option<String>) {
        let request = untag(Request::builder().uri(uri).body(()).unwrap());
        (request.uri().to_string(), request.extensions().get::<Tag>().unwrap().0.clone())
    }

    #[test]
    fn the_prefix_is_taken_off_and_kept_as_the_tag() {
        assert_eq!(run("/t/checkout-test/v1/batch"), ("/v1/batch".into(), Some("checkout-test".into())));
        assert_eq!(run("/t/a.b/_cdpspec/calls?type=track"), ("/_cdpspec/calls?type=track".into(), Some("a.b".into())));
        assert_eq!(run("/v1/batch"), ("/v1/batch".into(), None));
        assert_eq!(run("/t/bad%20tag/v1/batch"), (INVALID_TAG.into(), None));
        assert_eq!(run("/t//v1/batch"), (INVALID_TAG.into(), None));
        assert_eq!(run("/t/only"), ("/".into(), Some("only".into())));
    }
}
