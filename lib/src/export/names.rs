//! File-name-safe names: `Course Enrolled` → `course-enrolled`, `orderCompleted` →
//! `order-completed`, `2.1.0` stays `2.1.0`.

/// Lowercase ASCII letters and digits, words joined by `-` (camelCase splits into words); empty
/// when the name has no ASCII letter or digit.
pub(crate) fn kebab(name: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            let boundary = c.is_ascii_uppercase() && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if (boundary || previous.is_none()) && !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            previous = Some(c);
        } else {
            previous = None;
        }
    }
    out
}

/// A version (`2.1.0`, `v3`) as one URI path segment: letters, digits, `.`, `-` and `_` kept,
/// anything else `-`.
pub(crate) fn segment(version: &str) -> String {
    version.trim().chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '-' }).collect()
}

#[cfg(test)]
mod tests {
    use super::{kebab, segment};

    #[test]
    fn names() {
        assert_eq!(kebab("Course Enrolled"), "course-enrolled");
        assert_eq!(kebab("orderCompleted"), "order-completed");
        assert_eq!(kebab("  Video  Played (v2) "), "video-played-v2");
        assert_eq!(kebab("Checkout_Step-Viewed"), "checkout-step-viewed");
        assert_eq!(kebab("*"), "");
        assert_eq!(segment("2.1.0"), "2.1.0");
        assert_eq!(segment("1 beta/2"), "1-beta-2");
    }
}
