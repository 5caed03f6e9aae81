//! The inspector: the web page at `/` (and `/t/{tag}/`, scoped to the tag) that lists calls
//! as they arrive, with each diagnostic at its place in the call. Its files
//! (`collector/inspector/`: HTML, CSS and JavaScript modules, no build step) are compiled into
//! the binary, so it works offline; a content security policy keeps it to this origin.
//! `--no-ui` leaves these routes out.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

use super::Tag;

/// Every file the page loads, by name under `/inspector/`, with its media type.
const ASSETS: &[(&str, &str, &str)] = &[
    ("style.css", "text/css; charset=utf-8", include_str!("../../inspector/style.css")),
    ("app.js", "text/javascript; charset=utf-8", include_str!("../../inspector/app.js")),
    ("api.js", "text/javascript; charset=utf-8", include_str!("../../inspector/api.js")),
    ("filters.js", "text/javascript; charset=utf-8", include_str!("../../inspector/filters.js")),
    ("list.js", "text/javascript; charset=utf-8", include_str!("../../inspector/list.js")),
    ("detail.js", "text/javascript; charset=utf-8", include_str!("../../inspector/detail.js")),
    ("json.js", "text/javascript; charset=utf-8", include_str!("../../inspector/json.js")),
    ("timeline.js", "text/javascript; charset=utf-8", include_str!("../../inspector/timeline.js")),
    ("summary.js", "text/javascript; charset=utf-8", include_str!("../../inspector/summary.js")),
    ("rules.js", "text/javascript; charset=utf-8", include_str!("../../inspector/rules.js")),
    ("format.js", "text/javascript; charset=utf-8", include_str!("../../inspector/format.js")),
    ("icon.svg", "image/svg+xml", include_str!("../../inspector/icon.svg")),
];

/// Only this origin: no CDN, no fonts, no inline script.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The page's routes, added to `router`.
pub(crate) fn routes<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    router.route("/", get(index)).route("/inspector/{file}", get(asset))
}

fn with_headers(body: impl Into<axum::body::Body>, media_type: &'static str) -> Response {
    let mut response = (StatusCode::OK, body.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    // Revalidated on each load: a new binary's page is never mixed with an old one's files.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// `GET /` (and `/t/{tag}`, `/t/{tag}/`): the page, its files named from the root (under the
/// tag's prefix), so that it loads whether or not its address ends in a slash.
async fn index(Extension(Tag(tag)): Extension<Tag>) -> Response {
    let prefix = tag.map(|t| format!("/t/{t}")).unwrap_or_default();
    let page = include_str!("../../inspector/index.html").replace("\"inspector/", &format!("\"{prefix}/inspector/"));
    with_headers(page, "text/html; charset=utf-8")
}

/// `GET /inspector/{file}`.
async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, media_type, body)) => with_headers(*body, media_type),
        None => super::reply::error(StatusCode::NOT_FOUND, "no-such-endpoint", &format!("the inspector has no file `{file}`"), None),
    }
}
