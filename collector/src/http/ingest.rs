//! `POST /v1/{identify,track,page,screen,group,alias,batch,import}` and the browser SDKs'
//! `/v1/{i,t,p,s,g,a,b}`: read the body as the SDK sent it, check every call with the engine,
//! store them and/or write them to a Kafka topic (`--sink`), and answer only once they are
//! committed and acknowledged.

use std::sync::Arc;
use std::time::SystemTime;

use axum::Extension;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use cdpspec::intake::{self, CheckedCall, Encoding, Endpoint, Refusal, Status};
use cdpspec_stream::TopicSink;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde_json::{Value, json};

use super::reply::{accepted, error};
use super::{App, Tag};
use crate::store::{CallFields, NewCall, NewRefusal};

/// Extra room for the compressed form of a body at the limit (gzip adds a little to data it
/// cannot compress).
const GZIP_SLACK: usize = 64 * 1024;

/// A request and when it arrived, as refusals record it.
struct Arrival {
    tag: String,
    endpoint: String,
    received_ms: i64,
    received_at: String,
}

/// Handles one request sent to `/v1/{segment}`.
pub(crate) async fn ingest(
    State(app): State<Arc<App>>,
    Extension(Tag(tag)): Extension<Tag>,
    Path(segment): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let now = SystemTime::now();
    let arrival = Arrival {
        tag: tag.unwrap_or_default(),
        endpoint: format!("POST /v1/{segment}"),
        received_ms: now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64),
        received_at: intake::rfc3339_millis(now),
    };
    let Some(endpoint) = Endpoint::from_segment(&segment) else {
        let message = format!(
            "no such endpoint: /v1/{segment}; calls go to /v1/identify, track, page, screen, group, alias, batch or import (or /v1/i, t, p, s, g, a, b)"
        );
        return app.refuse(&arrival, StatusCode::NOT_FOUND, "no-such-endpoint", &message, None).await;
    };
    match read(&app, &arrival, endpoint, &headers, body).await {
        Ok(response) | Err(response) => response,
    }
}

fn stopping() -> Response {
    error(StatusCode::SERVICE_UNAVAILABLE, "shutting-down", "the collector is stopping", None)
}

async fn read(app: &App, arrival: &Arrival, endpoint: Endpoint, headers: &HeaderMap, body: Body) -> Result<Response, Response> {
    let limit = endpoint.body_limit(&app.intake.engine().options().limits);
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !accepted_content_type(content_type) {
        let message = format!("`Content-Type: {content_type}` is not JSON; send application/json (or text/plain, as the browser SDKs do)");
        return Err(app.refuse(arrival, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-content-type", &message, None).await);
    }
    let encoding_header = headers.get(header::CONTENT_ENCODING).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let Some(encoding) = Encoding::from_header(encoding_header.as_deref()) else {
        let refusal = Refusal::UnsupportedEncoding(encoding_header.unwrap_or_default());
        return Err(app.refuse(arrival, StatusCode::UNSUPPORTED_MEDIA_TYPE, refusal.code(), &refusal.to_string(), None).await);
    };
    let cap = match encoding {
        Encoding::Identity => limit,
        Encoding::Gzip => limit + GZIP_SLACK,
    };
    // Bodies being received are bounded in bytes, by what each says it will send.
    let declared = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok()).unwrap_or(cap).clamp(1, cap);
    let permits = u32::try_from(declared.min(app.options.bounds.body_bytes)).unwrap_or(u32::MAX);
    let Ok(_receiving) = app.receiving.acquire_many(permits).await else { return Err(stopping()) };
    let collected = tokio::time::timeout(app.options.bounds.body_timeout, Limited::new(body, cap).collect()).await;
    let raw = match collected {
        Err(_) => {
            let message = format!("the body did not arrive within {} s", app.options.bounds.body_timeout.as_secs());
            return Err(app.refuse(arrival, StatusCode::REQUEST_TIMEOUT, "body-timeout", &message, None).await);
        }
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            let refusal = Refusal::TooLarge { bytes: cap + 1, limit: cap, what: "request body" };
            return Err(app.refuse(arrival, StatusCode::BAD_REQUEST, refusal.code(), &refusal.to_string(), None).await);
        }
        Ok(Err(e)) => return Err(app.refuse(arrival, StatusCode::BAD_REQUEST, "unreadable-body", &format!("the body could not be read: {e}"), None).await),
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    if app.options.http_only {
        return Ok(accepted());
    }
    // Requests checked at once are bounded; more wait here, their bodies in.
    let Ok(_checking) = app.checking.acquire().await else { return Err(stopping()) };
    let received = intake::decode(&raw, encoding, limit).and_then(|body| app.intake.read(&body, endpoint));
    let received = match received {
        Ok(received) => received,
        Err(refusal) => return Err(app.refuse(arrival, StatusCode::BAD_REQUEST, refusal.code(), &refusal.to_string(), None).await),
    };
    let write_key = super::auth::write_key(headers).or(received.write_key);
    if !app.options.write_keys.is_empty() && !write_key.as_ref().is_some_and(|k| app.options.write_keys.contains(k)) {
        let message = match &write_key {
            Some(key) => format!("the write key `{key}` is not one this collector accepts (--write-key)"),
            None => "no write key: send it as the HTTP Basic user name, or `writeKey` in the body".to_string(),
        };
        return Err(app.refuse(arrival, StatusCode::UNAUTHORIZED, "invalid-write-key", &message, None).await);
    }
    let checked: Vec<CheckedCall> = received.calls.into_iter().map(|c| app.intake.check(c, &arrival.received_at, &arrival.endpoint)).collect();
    let strict = app.options.strict || headers.get("x-strict-mode").is_some_and(|v| v.as_bytes().trim_ascii() == b"1");
    if strict && checked.iter().any(|c| c.status == Status::Errors) {
        let violations: Vec<Value> = checked
            .iter()
            .flat_map(|c| c.diagnostics.iter().filter(|d| d.severity == cdpspec::Severity::Error).map(move |d| (c.index, d)))
            .map(|(index, d)| {
                let mut v = cdpspec::output::json::to_value(d);
                if let (Some(i), Value::Object(map)) = (index, &mut v) {
                    map.insert("index".into(), json!(i));
                    map.insert("path".into(), json!(format!("/batch/{i}")));
                } else if let Value::Object(map) = &mut v {
                    map.insert("path".into(), json!(""));
                }
                v
            })
            .collect();
        let message = format!(
            "strict mode: {} of {} calls have errors; nothing was stored",
            checked.iter().filter(|c| c.status == Status::Errors).count(),
            checked.len()
        );
        app.log.calls(&arrival.tag, &checked);
        return Err(app.refuse(arrival, StatusCode::BAD_REQUEST, "errors", &message, Some(json!({"violations": violations}))).await);
    }
    if let Some(sink) = &app.options.sink.kafka {
        let calls: Vec<_> = checked.iter().map(|c| (TopicSink::key(&c.call), c.text.clone())).collect();
        if let Err(e) = sink.write(&calls).await {
            return Err(error(StatusCode::SERVICE_UNAVAILABLE, "sink-failed", &e.to_string(), None));
        }
    }
    if app.options.sink.db {
        let rows = checked.iter().map(|c| row(app, arrival, &write_key, c)).collect();
        if let Err(e) = app.store.insert(rows).await {
            return Err(error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None));
        }
    }
    app.log.calls(&arrival.tag, &checked);
    Ok(accepted())
}

/// JSON, the browser SDKs' `text/plain`, or none said.
fn accepted_content_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence.is_empty() || essence == "application/json" || essence == "text/plain" || essence.ends_with("+json")
}

fn row(app: &App, arrival: &Arrival, write_key: &Option<String>, call: &CheckedCall) -> NewCall {
    let diagnostics: Vec<Value> = call.diagnostics.iter().map(cdpspec::output::json::to_value).collect();
    NewCall {
        received_ms: arrival.received_ms,
        received_at: arrival.received_at.clone(),
        tag: arrival.tag.clone(),
        write_key: write_key.clone(),
        endpoint: arrival.endpoint.trim_start_matches("POST ").to_string(),
        batch_index: call.index,
        fields: CallFields::of(&call.call),
        status: call.status,
        errors: call.errors(),
        warnings: call.warnings(),
        call: call.text.clone(),
        diagnostics: Value::Array(diagnostics).to_string(),
        actions: app.intake.actions_json(call).to_string(),
    }
}

impl App {
    /// Records a refused request, logs it, and answers it.
    async fn refuse(&self, arrival: &Arrival, status: StatusCode, code: &str, message: &str, extra: Option<Value>) -> Response {
        let refusal = NewRefusal {
            received_ms: arrival.received_ms,
            received_at: arrival.received_at.clone(),
            tag: arrival.tag.clone(),
            endpoint: arrival.endpoint.clone(),
            http_status: status.as_u16(),
            code: code.to_string(),
            message: message.to_string(),
        };
        if let Err(e) = self.store.refuse(refusal).await {
            return error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None);
        }
        self.log.refused(&arrival.tag, &arrival.endpoint, status.as_u16(), message);
        error(status, code, message, extra)
    }
}
