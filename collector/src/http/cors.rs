//! CORS, so that pages on any origin (a dev server, a test page) can send calls and read the
//! API: every response names the request's origin, and preflight requests are answered
//! before routing with the methods and the headers asked for.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Headers allowed when a preflight request names none.
const DEFAULT_HEADERS: &str = "Content-Type, Content-Encoding, Authorization, X-Strict-Mode";

/// Answers preflight requests, and adds the CORS headers to every other response.
pub(crate) async fn cors(request: Request, next: Next) -> Response {
    let origin = request.headers().get(header::ORIGIN).cloned();
    if request.method() == Method::OPTIONS {
        let mut response = StatusCode::NO_CONTENT.into_response();
        let asked = request.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
        let headers = response.headers_mut();
        allow(headers, origin);
        headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, OPTIONS"));
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.unwrap_or(HeaderValue::from_static(DEFAULT_HEADERS)));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
        // Chrome's Private Network Access: a public page may reach this loopback collector.
        if request.headers().contains_key("access-control-request-private-network") {
            headers.insert("access-control-allow-private-network", HeaderValue::from_static("true"));
        }
        return response;
    }
    let mut response = next.run(request).await;
    allow(response.headers_mut(), origin);
    response
}

fn allow(headers: &mut HeaderMap, origin: Option<HeaderValue>) {
    match origin {
        Some(origin) => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            headers.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, HeaderValue::from_static("true"));
            headers.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        None => {
            headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
        }
    }
}
