//! `GET /v1/projects/{writeKey}/settings` and `GET /projects/{writeKey}/settings`: the settings
//! object the browser and mobile SDKs fetch before they send anything. It points their API
//! host back at this collector (under the same `/t/{tag}` prefix), so an SDK started with only
//! its CDN host set to the collector sends every call here.
//!
//! The browser SDKs load code from their CDN for every integration but their own, which fails
//! offline, so browser settings name one integration: `Segment.io` (analytics-next) by default,
//! `Customer.io Data Pipelines` (cdp-analytics-browser) when the CDN URL ends in `/customerio`.
//! The two SDKs' requests are otherwise the same. Mobile SDKs (`/projects/...`) get both.

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::reply::json;
use super::{App, Tag};

/// The integration names the SDKs read their API host from: Segment's analytics-next and
/// mobile SDKs, and Customer.io's (cdp-analytics-js and its mobile SDKs).
pub(crate) const INTEGRATIONS: [&str; 2] = ["Segment.io", "Customer.io Data Pipelines"];

/// The integration names a settings request asks for, by the path segment before `/v1`.
fn integrations_for(sdk: Option<&str>) -> Option<&'static [&'static str]> {
    match sdk {
        None | Some("segment") => Some(&INTEGRATIONS[..1]),
        Some("customerio") => Some(&INTEGRATIONS[1..]),
        Some("mobile") => Some(&INTEGRATIONS),
        Some(_) => None,
    }
}

/// The settings for `write_key` naming `integrations`, with `api_host` (`host:port/v1`, or
/// `host:port/t/{tag}/v1`).
/// Only what the SDKs need: an integration per name with the API host (no scheme, and
/// `protocol: http`), and metrics off (analytics-next would otherwise post them to Segment).
pub(crate) fn settings(write_key: &str, api_host: &str, names: &[&str]) -> Value {
    let integration = json!({"apiKey": write_key, "apiHost": api_host, "protocol": "http"});
    let mut integrations = serde_json::Map::new();
    for name in names {
        integrations.insert(name.to_string(), integration.clone());
    }
    json!({"integrations": integrations, "metrics": {"sampleRate": 0}})
}

/// `GET /v1/projects/{writeKey}/settings`: for analytics-next.
pub(crate) async fn browser(State(app): State<Arc<App>>, Extension(tag): Extension<Tag>, Path(write_key): Path<String>, headers: HeaderMap) -> Response {
    answer(&app, tag, None, &write_key, &headers)
}

/// `GET /{sdk}/v1/projects/{writeKey}/settings`, `sdk` being `segment` or `customerio`.
pub(crate) async fn browser_for(
    State(app): State<Arc<App>>,
    Extension(tag): Extension<Tag>,
    Path((sdk, write_key)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    answer(&app, tag, Some(&sdk), &write_key, &headers)
}

/// `GET /projects/{writeKey}/settings`: for the mobile SDKs.
pub(crate) async fn mobile(State(app): State<Arc<App>>, Extension(tag): Extension<Tag>, Path(write_key): Path<String>, headers: HeaderMap) -> Response {
    answer(&app, tag, Some("mobile"), &write_key, &headers)
}

fn answer(app: &App, Tag(tag): Tag, sdk: Option<&str>, write_key: &str, headers: &HeaderMap) -> Response {
    let Some(names) = integrations_for(sdk) else {
        let message = format!(
            "no settings for `{}`: the browser SDKs' CDN URL is the collector (analytics-next), or the collector plus /customerio (cdp-analytics-browser)",
            sdk.unwrap_or_default()
        );
        return super::reply::error(StatusCode::NOT_FOUND, "no-such-endpoint", &message, None);
    };
    if !app.options.write_keys.is_empty() && !app.options.write_keys.iter().any(|k| k == write_key) {
        let message = format!("the write key `{write_key}` is not one this collector accepts (--write-key)");
        return super::reply::error(StatusCode::UNAUTHORIZED, "invalid-write-key", &message, None);
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(String::from).unwrap_or_else(|| app.address.to_string());
    let api_host = match tag {
        Some(tag) => format!("{host}/t/{tag}/v1"),
        None => format!("{host}/v1"),
    };
    json(StatusCode::OK, &settings(write_key, &api_host, names))
}
