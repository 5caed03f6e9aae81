//! Case conversion and keyword escaping: turns JSON keys, titles and enum
//! values into valid Rust identifiers (`PascalCase` types and variants,
//! `snake_case` fields).
//!
//! Only ASCII letters and digits survive; everything else separates words.
//! The functions never produce an invalid identifier: they return `None`
//! when nothing usable is left, and the caller reports an error.

/// Keywords that may be written as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for",
    "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const NON_RAW_KEYWORDS: &[&str] = &["crate", "self", "Self", "super"];

/// Splits `s` into words at non-alphanumeric characters and case boundaries
/// (`anonymousId` -> `anonymous`, `Id`; `IPAddress` -> `IP`, `Address`).
/// Digits stay attached to the word before them (`wow64`).
pub(crate) fn words(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let (false, Some(&prev)) = (current.is_empty(), i.checked_sub(1).and_then(|p| chars.get(p))) {
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            let boundary = c.is_ascii_uppercase() && (prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower));
            if boundary {
                words.push(std::mem::take(&mut current));
            }
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// `PascalCase` of `s`: every word capitalised, the rest of it lower case.
/// Empty when `s` has no ASCII letters or digits.
pub(crate) fn pascal(s: &str) -> String {
    words(s)
        .iter()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `snake_case` of `s`. Empty when `s` has no ASCII letters or digits.
pub(crate) fn snake(s: &str) -> String {
    words(s).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_")
}

/// A type name from a title, `$defs` key or file name, or `None` if `s`
/// has nothing to build one from.
pub(crate) fn type_name(s: &str) -> Option<String> {
    let name = pascal(s);
    if name.is_empty() {
        return None;
    }
    Some(escape_pascal(name, "T"))
}

/// A variant name for the string enum value `value`.
pub(crate) fn variant_name(value: &str) -> String {
    let name = pascal(value);
    if name.is_empty() {
        return "Empty".to_owned();
    }
    escape_pascal(name, "V")
}

fn escape_pascal(name: String, digit_prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// The field identifier for the JSON key `key` (`anonymousId` ->
/// `anonymous_id`, `type` -> `r#type`, `_metadata` -> `metadata`), or `None`
/// if `key` has no ASCII letters or digits.
pub(crate) fn field_name(key: &str) -> Option<String> {
    let name = snake(key);
    if name.is_empty() {
        return None;
    }
    Some(if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    })
}

/// The identifier without its `r#` prefix, as serde sees it.
pub(crate) fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Whether `s` is an identifier `proc_macro2::Ident` accepts (ASCII only,
/// optionally `r#`-prefixed).
pub(crate) fn is_ident(s: &str) -> bool {
    let (raw, body) = match s.strip_prefix("r#") {
        Some(body) => (true, body),
        None => (false, s),
    };
    let mut chars = body.chars();
    let starts_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let body_ok = chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    let not_bare_keyword = raw || !(RAW_KEYWORDS.contains(&body) || NON_RAW_KEYWORDS.contains(&body));
    let raw_ok = !raw || !NON_RAW_KEYWORDS.contains(&body);
    starts_ok && body_ok && body != "_" && not_bare_keyword && raw_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field_name("anonymousId").as_deref(), Some("anonymous_id"));
        assert_eq!(field_name("_metadata").as_deref(), Some("metadata"));
        assert_eq!(field_name("cio_subscription_preferences").as_deref(), Some("cio_subscription_preferences"));
        assert_eq!(field_name("All").as_deref(), Some("all"));
        assert_eq!(field_name("type").as_deref(), Some("r#type"));
        assert_eq!(field_name("self").as_deref(), Some("self_"));
        assert_eq!(field_name("uaFullVersion").as_deref(), Some("ua_full_version"));
        assert_eq!(field_name("IPAddress").as_deref(), Some("ip_address"));
        assert_eq!(field_name("wow64").as_deref(), Some("wow64"));
        assert_eq!(field_name("3d").as_deref(), Some("_3d"));
        assert_eq!(field_name("é"), None);
        assert_eq!(field_name("__"), None);
    }

    #[test]
    fn types_and_variants() {
        assert_eq!(type_name("userTraits").as_deref(), Some("UserTraits"));
        assert_eq!(type_name("PageContext").as_deref(), Some("PageContext"));
        assert_eq!(type_name("context.schema").as_deref(), Some("ContextSchema"));
        assert_eq!(type_name("Self").as_deref(), Some("Self_"));
        assert_eq!(type_name("..."), None);
        assert_eq!(variant_name("identify"), "Identify");
        assert_eq!(variant_name("1.1"), "V11");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("in-app"), "InApp");
    }

    #[test]
    fn idents() {
        for ok in ["a", "r#type", "Self_", "_3d", "UserTraits"] {
            assert!(is_ident(ok), "{ok}");
        }
        for bad in ["", "_", "type", "r#self", "3d", "a-b", "é"] {
            assert!(!is_ident(bad), "{bad}");
        }
    }
}
