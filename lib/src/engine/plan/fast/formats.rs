//! Strings `jsonschema` certainly accepts for a format, recognised without asking it: a strict
//! subset of what it accepts, for formats costly to ask about on every call. A string outside the
//! subset is asked of `jsonschema` as before (`leaf.rs`), so answers stay exact.
//!
//! - `email`: `jsonschema` accepts what the `email_address` crate parses (default options), with
//!   an ASCII local part and a domain that is a valid hostname, in which labels with `--` in
//!   third and fourth place must be valid A-labels. The subset here: a local part of 1 to 64
//!   characters from `A-Z a-z 0-9 . _ + -`, without a dot at either end or two in a row; one
//!   `@`; a domain of at most 253 characters of two labels or more, each of 1 to 63 characters
//!   from `A-Z a-z 0-9 -`, starting and ending with a letter or digit, with no `--` in third and
//!   fourth place.

/// Whether `text` is in the `email` subset, and so certainly valid.
pub(super) fn email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'));
    local_ok && domain.len() <= 253 && domain.contains('.') && domain.split('.').all(label)
}

/// A hostname label: 1 to 63 letters, digits and hyphens, a letter or digit at both ends, and no
/// `--` in third and fourth place (which would make it an A-label to decode).
fn label(label: &str) -> bool {
    let b = label.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            b.len() <= 63
                && first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && !(b.len() >= 4 && &b[2..4] == b"--")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::email;

    fn jsonschema_accepts(text: &str) -> bool {
        let validator = crate::plan::compile_section(&json!({"format": "email"})).expect("compiles");
        validator.is_valid(&Value::String(text.to_string()))
    }

    #[test]
    fn emails_in_the_subset_are_ones_jsonschema_accepts() {
        let inside = [
            "user123@example.com",
            "a@b.co",
            "first.last+tag@sub.example.co.uk",
            "x_y-z@a-b.c1",
            "A.B@EXAMPLE.ORG",
            "0@0.0",
            &format!("{}@{}.com", "l".repeat(64), "d".repeat(63)),
            &format!("u@{}.{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(61)),
        ];
        for text in inside {
            assert!(email(text), "{text}");
            assert!(jsonschema_accepts(text), "{text}");
        }
        let outside = [
            "",
            "user",
            "@example.com",
            "user@",
            "user@localhost",
            ".user@example.com",
            "user.@example.com",
            "us..er@example.com",
            "us er@example.com",
            "user@exa_mple.com",
            "user@-example.com",
            "user@example-.com",
            "user@example..com",
            "user@example.com.",
            "user@xn--80ak6aa92e.com",
            "user@ab--cd.com",
            "a@b@example.com",
            "\"quoted\"@example.com",
            "user@[127.0.0.1]",
            "usér@example.com",
            "user@exämple.com",
            &format!("{}@example.com", "l".repeat(65)),
            &format!("u@{}.com", "d".repeat(64)),
            &format!("u@{}.{}.{}.{}", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62)),
        ];
        for text in outside {
            assert!(!email(text), "{text}");
        }
    }

    #[test]
    fn random_strings_the_subset_accepts_jsonschema_accepts() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let word = |alphabet: &[char], next: &mut dyn FnMut(usize) -> usize| -> String { (0..1 + next(6)).map(|_| alphabet[next(alphabet.len())]).collect() };
        // Mostly characters of the subset, now and then one outside it.
        let local: Vec<char> = "abcdeZ09_+-.abcdeabcdeZ9é \"@".chars().collect();
        let host: Vec<char> = "abcdeZ09-abcdeabcdeZ9_é.".chars().collect();
        let mut accepted = 0;
        for _ in 0..20_000 {
            let labels: Vec<String> = (0..1 + next(3)).map(|_| word(&host, &mut next)).collect();
            let text = format!("{}@{}", word(&local, &mut next), labels.join("."));
            if email(&text) {
                accepted += 1;
                assert!(jsonschema_accepts(&text), "{text}");
            }
        }
        assert!(accepted > 1000, "the generator reaches the subset ({accepted})");
    }
}
