//! The API for tests (and the inspector): `/_cdpspec/counts`, `/_cdpspec/calls` (filtered,
//! paged, and waiting for calls instead of polling), `/_cdpspec/calls.ndjson`, `/_cdpspec/refusals`, `/_cdpspec/reset` and
//! `/health`. Every one is scoped to a tag by `?tag=` or the `/t/{tag}/` prefix.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use super::reply::{error, json};
use super::{App, Tag};
use crate::store::{Filter, Order, StoredCall};

/// Calls a query returns when it sets no `limit`.
const DEFAULT_LIMIT: u64 = 1000;
/// The most calls one query returns.
const MAX_LIMIT: u64 = 100_000;
/// Calls read from the database at once for `calls.ndjson`.
const PAGE: u64 = 2000;

/// The parameters `/_cdpspec/calls` takes.
const CALL_PARAMETERS: &[&str] = &[
    "type",
    "event",
    "name",
    "userId",
    "anonymousId",
    "messageId",
    "status",
    "since",
    "until",
    "q",
    "before",
    "after",
    "tag",
    "limit",
    "order",
    "min",
    "wait",
    "fields",
];

/// A query over calls, read from its parameters.
struct CallQuery {
    filter: Filter,
    order: Option<Order>,
    limit: Option<u64>,
    min: Option<u64>,
    wait: Option<Duration>,
    /// `fields=summary`: what the inspector's list shows of each call, not the call.
    summary: bool,
}

fn bad_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "bad-query", message, None)
}

/// Reads the parameters; a tag from the path wins over `?tag=`.
fn call_query(app: &App, tag: Option<String>, params: &[(String, String)]) -> Result<CallQuery, Response> {
    let mut query = CallQuery { filter: Filter { tag, ..Filter::default() }, order: None, limit: None, min: None, wait: None, summary: false };
    for (key, value) in params {
        let text = || Some(value.clone());
        let number = |what: &str| value.parse::<u64>().map_err(|_| bad_request(&format!("`{what}={value}`: expected a whole number")));
        let id = |what: &str| number(what).map(|n| Some(n.min(i64::MAX as u64) as i64));
        let time = |what: &str| {
            cdpspec::intake::parse_millis(value).map(Some).ok_or_else(|| {
                bad_request(&format!("`{what}={value}`: expected an RFC 3339 time (2026-12-06T09:30:00Z), a date or milliseconds since the epoch"))
            })
        };
        let f = &mut query.filter;
        match key.as_str() {
            "type" => f.call_type = text(),
            "event" => f.event = text(),
            "name" => f.name = text(),
            "userId" => f.user_id = text(),
            "anonymousId" => f.anonymous_id = text(),
            "messageId" => f.message_id = text(),
            "status" => {
                if cdpspec::intake::Status::parse(value).is_none() {
                    return Err(bad_request(&format!("`status={value}`: expected valid, warnings or errors")));
                }
                f.status = text();
            }
            "since" => f.since_ms = time("since")?,
            "until" => f.until_ms = time("until")?,
            "q" => f.text = Some(value.clone()).filter(|q| !q.is_empty()),
            "before" => f.before_id = id("before")?,
            "after" => f.after_id = id("after")?,
            "fields" => {
                query.summary = match value.as_str() {
                    "summary" => true,
                    "all" => false,
                    _ => return Err(bad_request(&format!("`fields={value}`: expected summary or all"))),
                }
            }
            "tag" => {
                if f.tag.is_none() {
                    f.tag = text();
                }
            }
            "limit" => query.limit = Some(number("limit")?),
            "min" => query.min = Some(number("min")?),
            "wait" => {
                let seconds: f64 =
                    value.parse().ok().filter(|s: &f64| s.is_finite() && *s >= 0.0).ok_or_else(|| bad_request(&format!("`wait={value}`: expected seconds")))?;
                query.wait = Some(Duration::from_secs_f64(seconds).min(app.options.bounds.max_wait));
            }
            "order" => {
                query.order = Some(match value.as_str() {
                    "newest" => Order::Newest,
                    "oldest" => Order::Oldest,
                    _ => return Err(bad_request(&format!("`order={value}`: expected newest or oldest"))),
                })
            }
            other => {
                let closest = CALL_PARAMETERS.iter().find(|p| p.eq_ignore_ascii_case(other));
                let hint = closest.map(|c| format!(" (did you mean `{c}`?)")).unwrap_or_default();
                return Err(bad_request(&format!("unknown parameter `{other}`{hint}; expected one of {}", CALL_PARAMETERS.join(", "))));
            }
        }
    }
    Ok(query)
}

/// A stored call as the API gives it: the call's own keys, then `tag`, `status`,
/// `diagnostics` and `actions`.
pub(crate) fn entry(stored: &StoredCall) -> Value {
    let mut map = match serde_json::from_str(&stored.call) {
        Ok(Value::Object(map)) => map,
        Ok(other) => Map::from_iter([("call".to_string(), other)]),
        Err(_) => Map::new(),
    };
    map.insert("tag".into(), if stored.tag.is_empty() { Value::Null } else { Value::String(stored.tag.clone()) });
    map.insert("status".into(), Value::String(stored.status.clone()));
    map.insert("diagnostics".into(), serde_json::from_str(&stored.diagnostics).unwrap_or(Value::Array(Vec::new())));
    map.insert("actions".into(), serde_json::from_str(&stored.actions).unwrap_or(Value::Array(Vec::new())));
    Value::Object(map)
}

/// `GET /_cdpspec/calls`.
pub(crate) async fn calls(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let query = match call_query(&app, tag, &params) {
        Ok(q) => q,
        Err(response) => return response,
    };
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let order = query.order.unwrap_or_default();
    let min = query.min.unwrap_or(u64::from(query.wait.is_some()));
    let deadline = query.wait.map(|w| tokio::time::Instant::now() + w);
    if query.summary && order == Order::Oldest {
        return bad_request("`fields=summary` lists calls newest first (page on with `before`): drop `order=oldest`");
    }
    let mut commits = app.store.commits();
    loop {
        commits.borrow_and_update();
        let found = if query.summary {
            app.store.summaries(query.filter.clone(), limit).await.map(|(list, count)| (list.iter().map(|s| s.to_json()).collect::<Vec<_>>(), count))
        } else {
            app.store.calls(query.filter.clone(), order, limit).await.map(|(list, count)| (list.iter().map(entry).collect(), count))
        };
        let (calls, count) = match found {
            Ok(found) => found,
            Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None),
        };
        let done = match deadline {
            // A commit, or the wait is over (or the store closed).
            Some(deadline) if count < min => !matches!(tokio::time::timeout_at(deadline, commits.changed()).await, Ok(Ok(()))),
            _ => true,
        };
        if done {
            let mut body = json!({"calls": calls, "count": count});
            if deadline.is_some() {
                body["timedOut"] = Value::Bool(count < min);
            }
            return json(StatusCode::OK, &body);
        }
    }
}

/// `GET /_cdpspec/calls.ndjson`: the matching calls, oldest first, one per line as received
/// (batch context merged): input for `cdpspec validate` and `cdpspec coverage`.
pub(crate) async fn ndjson(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let query = match call_query(&app, tag, &params) {
        Ok(q) => q,
        Err(response) => return response,
    };
    if query.order == Some(Order::Newest) || query.min.is_some() || query.wait.is_some() || query.summary {
        return bad_request("calls.ndjson lists calls oldest first, without waiting, as received: drop `order`, `min`, `wait` and `fields`");
    }
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    let limit = query.limit.unwrap_or(u64::MAX);
    tokio::spawn(async move {
        let (mut after, mut sent) = (0, 0);
        while sent < limit {
            let page = match app.store.page(query.filter.clone(), after, PAGE.min(limit - sent)).await {
                Ok(page) => page,
                Err(e) => {
                    let _ = sender.send(Err(std::io::Error::other(e))).await;
                    return;
                }
            };
            let Some(last) = page.last() else { return };
            after = last.id;
            sent += page.len() as u64;
            let mut chunk = Vec::with_capacity(page.iter().map(|c| c.call.len() + 1).sum());
            for call in &page {
                chunk.extend_from_slice(call.call.as_bytes());
                chunk.push(b'\n');
            }
            if sender.send(Ok(chunk)).await.is_err() {
                return;
            }
        }
    });
    let mut response = Body::new(super::stream::ChannelBody(receiver)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    response
}

/// `GET /_cdpspec/counts`.
pub(crate) async fn counts(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let tag = match scope(tag, &params) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    match app.store.counts(tag).await {
        Ok(c) => json(StatusCode::OK, &json!({"total": c.total, "valid": c.valid, "warnings": c.warnings, "errors": c.errors, "refused": c.refused})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None),
    }
}

/// `GET /_cdpspec/refusals`: the newest refused requests, why, and what they were answered.
pub(crate) async fn refusals(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let limit = params.iter().find(|(k, _)| k == "limit").and_then(|(_, v)| v.parse().ok()).unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let rest: Vec<(String, String)> = params.into_iter().filter(|(k, _)| k != "limit").collect();
    let tag = match scope(tag, &rest) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    match app.store.refusals(tag, limit).await {
        Ok(list) => {
            let list: Vec<Value> = list
                .iter()
                .map(|r| json!({"receivedAt": r.received_at, "tag": if r.tag.is_empty() { Value::Null } else { json!(r.tag) }, "endpoint": r.endpoint, "httpStatus": r.http_status, "code": r.code, "message": r.message}))
                .collect();
            json(StatusCode::OK, &json!({ "refusals": list }))
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None),
    }
}

/// `POST /_cdpspec/reset`: deletes every call and refusal, or a tag's.
pub(crate) async fn reset(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let tag = match scope(tag, &params) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    match app.store.reset(tag).await {
        Ok(()) => json(StatusCode::OK, &json!({"success": true})),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None),
    }
}

/// `GET /health`.
pub(crate) async fn health() -> Response {
    json(StatusCode::OK, &json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

/// A request under a `/t/{tag}/` prefix that is not a tag.
pub(crate) async fn invalid_tag() -> Response {
    error(StatusCode::BAD_REQUEST, "invalid-tag", "a tag (`/t/{tag}/...`) is 1 to 128 of the characters A-Z a-z 0-9 . _ - ~ :", None)
}

/// The tag of a request that takes only `tag`: the path's, else `?tag=`.
pub(crate) fn scope(tag: Option<String>, params: &[(String, String)]) -> Result<Option<String>, Response> {
    let mut tag = tag;
    for (key, value) in params {
        if key != "tag" {
            return Err(bad_request(&format!("unknown parameter `{key}`; this endpoint takes only `tag`")));
        }
        tag = tag.or_else(|| Some(value.clone()));
    }
    Ok(tag)
}
