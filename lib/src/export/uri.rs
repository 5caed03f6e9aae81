//! Resolving a `$ref` against the URI of the schema that holds it (RFC 3986, the parts schemas
//! use: fragments, relative paths with `.` and `..`, absolute-path and absolute references).

/// The absolute URI (without fragment) and the fragment (without `#`) that `reference` names
/// when it appears in the resource whose URI is `base`.
pub(crate) fn resolve(base: &str, reference: &str) -> (String, String) {
    let (path, fragment) = match reference.split_once('#') {
        Some((p, f)) => (p, f.to_string()),
        None => (reference, String::new()),
    };
    let base = base.split_once('#').map_or(base, |(b, _)| b);
    let uri = if path.is_empty() {
        base.to_string()
    } else if has_scheme(path) {
        path.to_string()
    } else if path.starts_with("//") {
        format!("{}:{path}", base.split_once(':').map_or("", |(s, _)| s))
    } else if path.starts_with('/') {
        format!("{}{}", origin(base), normalize(path))
    } else {
        let dir = base.rfind('/').map_or("", |i| &base[..=i]);
        let origin = origin(dir);
        format!("{origin}{}", normalize(&format!("{}{path}", &dir[origin.len()..])))
    };
    (uri, fragment)
}

/// Whether `s` starts with a URI scheme (`https:`, `urn:`).
fn has_scheme(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, _)| {
        scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// `scheme://authority` of a hierarchical URI, or `""`.
fn origin(uri: &str) -> &str {
    let Some(i) = uri.find("://") else { return "" };
    let rest = &uri[i + 3..];
    &uri[..i + 3 + rest.find('/').unwrap_or(rest.len())]
}

/// A path with its `.` and `..` segments removed.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." if last => out.push(""),
            "." => {}
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
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
    use super::resolve;

    const BASE: &str = "https://cdpspec.dev/schema/v1/track.schema.json";

    #[test]
    fn resolves_the_forms_schemas_use() {
        let r = |s| resolve(BASE, s);
        assert_eq!(r("#/$defs/a"), (BASE.to_string(), "/$defs/a".to_string()));
        assert_eq!(r("common.schema.json#/$defs/id").0, "https://cdpspec.dev/schema/v1/common.schema.json");
        assert_eq!(r("./context.schema.json").0, "https://cdpspec.dev/schema/v1/context.schema.json");
        assert_eq!(r("../v2/x.json").0, "https://cdpspec.dev/schema/v2/x.json");
        assert_eq!(r("/other.json").0, "https://cdpspec.dev/other.json");
        assert_eq!(r("https://example.com/s.json#/a"), ("https://example.com/s.json".to_string(), "/a".to_string()));
        assert_eq!(r("urn:example:s").0, "urn:example:s");
    }
}
