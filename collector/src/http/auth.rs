//! Write keys: the SDKs send theirs as the HTTP Basic user name with an empty password
//! (analytics-node, analytics-python, the mobile SDKs), or as `writeKey` in the body (the
//! browser SDKs); Customer.io's Python SDK sends keys shaped `pk_us_...` as a Bearer token. With `--write-key` given, any other key is refused (401).

use axum::http::{HeaderMap, header};
use base64::Engine as _;

/// The write key of an `Authorization` header: the HTTP Basic user name, or a Bearer token.
pub(crate) fn write_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if scheme.eq_ignore_ascii_case("bearer") {
        let token = encoded.trim();
        return (!token.is_empty()).then(|| token.to_string());
    }
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
    (!user.is_empty()).then(|| user.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_name_is_the_write_key() {
        let mut headers = HeaderMap::new();
        assert_eq!(write_key(&headers), None);
        headers.insert(header::AUTHORIZATION, "Basic d2stMTIzOg==".parse().unwrap());
        assert_eq!(write_key(&headers).as_deref(), Some("wk-123"));
        headers.insert(header::AUTHORIZATION, "basic d2stMTIz".parse().unwrap());
        assert_eq!(write_key(&headers).as_deref(), Some("wk-123"), "no colon, lower-case scheme");
        headers.insert(header::AUTHORIZATION, "Bearer pk_us_abc123".parse().unwrap());
        assert_eq!(write_key(&headers).as_deref(), Some("pk_us_abc123"));
        headers.insert(header::AUTHORIZATION, "Digest d2stMTIzOg==".parse().unwrap());
        assert_eq!(write_key(&headers), None);
        headers.insert(header::AUTHORIZATION, "Basic !!!".parse().unwrap());
        assert_eq!(write_key(&headers), None);
    }
}
