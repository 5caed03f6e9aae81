//! Responses in the tracking APIs' shape: `{"success": true}`, and errors as JSON with a
//! stable `code` and a message naming the place and the reason.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// `value` as a JSON response.
pub(crate) fn json(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// 200 `{"success": true}`.
pub(crate) fn accepted() -> Response {
    json(StatusCode::OK, &json!({"success": true}))
}

/// An error: `{"success": false, "code": ..., "message": ...}` plus `extra`'s keys.
pub(crate) fn error(status: StatusCode, code: &str, message: &str, extra: Option<Value>) -> Response {
    let mut body = json!({"success": false, "code": code, "message": message});
    if let (Some(Value::Object(extra)), Value::Object(map)) = (extra, &mut body) {
        map.extend(extra);
    }
    json(status, &body)
}
