//! Patterns simple enough to match without `jsonschema`, when a string certainly matches them:
//! anchored at both ends (`^...$`), a sequence of ASCII literals (metacharacters escaped) and
//! bracket classes of ASCII letters, digits, ranges between them and a few punctuation
//! characters, each with an optional quantifier (`?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`), where
//! every item whose count may vary is followed by the end or by an item of fixed count that
//! shares no character with it. Such a pattern means the same in ECMA-262 and in the engine
//! `jsonschema` translates it for, and matches exactly when each item, taken greedily in turn,
//! finds its count (`^cio[0-9]{3}$`, `^[A-Z]{3}$`, `^[0-9]+\.[0-9]+\.[0-9]+$`). Anything else,
//! and any string this does not match, is asked of `jsonschema` (`leaf.rs`).

/// One item of a [`Simple`] pattern: a set of ASCII characters and how many of them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    /// The characters, one bit each (ASCII only).
    chars: u128,
    min: usize,
    max: usize,
}

/// A pattern in the subset above.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Simple {
    items: Vec<Item>,
}

/// Counts above this are left to `jsonschema`.
const MAX_COUNT: usize = 1000;

impl Simple {
    /// The pattern, if it is in the subset.
    pub(super) fn parse(pattern: &str) -> Option<Simple> {
        let body = pattern.strip_prefix('^')?.strip_suffix('$')?;
        if body.ends_with('\\') {
            return None;
        }
        let bytes = body.as_bytes();
        let mut items: Vec<Item> = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let (chars, next) = atom(bytes, i)?;
            let (min, max, next) = quantifier(bytes, next)?;
            items.push(Item { chars, min, max });
            i = next;
        }
        // Greedy is exact only when what follows a varying item cannot be taken by it.
        for (at, item) in items.iter().enumerate() {
            if item.min != item.max {
                let next = items.get(at + 1);
                if next.is_some_and(|n| n.min != n.max || n.min == 0 || n.chars & item.chars != 0) {
                    return None;
                }
            }
        }
        (!items.is_empty()).then_some(Simple { items })
    }

    /// Whether `text` certainly matches (`false` means only "ask `jsonschema`").
    pub(super) fn matches(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut at = 0;
        for item in &self.items {
            let mut count = 0;
            while count < item.max && bytes.get(at).is_some_and(|&b| b < 128 && item.chars & (1 << b) != 0) {
                at += 1;
                count += 1;
            }
            if count < item.min {
                return false;
            }
        }
        at == bytes.len()
    }
}

/// Punctuation that is a literal outside a class, unescaped.
const LITERAL: &[u8] = b" _-,:;/@#%&=~!'\"<>";
/// Punctuation that is a literal inside a class (none of the class set operations of the
/// engine `jsonschema` translates for, `&&`, `--`, `~~`).
const IN_CLASS: &[u8] = b" _.,:;/@#%=+!'\"<>";
/// Metacharacters, literal when escaped.
const META: &[u8] = b".*+?()[]{}|\\^$";

/// The atom at `i`: its characters, and where it ends.
fn atom(bytes: &[u8], i: usize) -> Option<(u128, usize)> {
    match bytes[i] {
        b'\\' => {
            let c = *bytes.get(i + 1)?;
            META.contains(&c).then_some((1 << c, i + 2))
        }
        b'[' => class(bytes, i + 1),
        c if c.is_ascii_alphanumeric() || LITERAL.contains(&c) => Some((1 << c, i + 1)),
        _ => None,
    }
}

/// The class whose content starts at `i` (after `[`): its characters, and where it ends.
fn class(bytes: &[u8], mut i: usize) -> Option<(u128, usize)> {
    let mut chars: u128 = 0;
    if bytes.get(i) == Some(&b'^') {
        return None;
    }
    loop {
        let c = *bytes.get(i)?;
        match c {
            b']' if chars != 0 => return Some((chars, i + 1)),
            c if c.is_ascii_alphanumeric() && bytes.get(i + 1) == Some(&b'-') && bytes.get(i + 2).is_some_and(|e| *e != b']') => {
                let end = *bytes.get(i + 2)?;
                let same_kind = (c.is_ascii_digit() && end.is_ascii_digit())
                    || (c.is_ascii_lowercase() && end.is_ascii_lowercase())
                    || (c.is_ascii_uppercase() && end.is_ascii_uppercase());
                if !same_kind || end < c {
                    return None;
                }
                for b in c..=end {
                    chars |= 1 << b;
                }
                i += 3;
            }
            c if c.is_ascii_alphanumeric() || IN_CLASS.contains(&c) => {
                chars |= 1 << c;
                i += 1;
            }
            _ => return None,
        }
    }
}

/// The quantifier at `i`, if any: its bounds, and where it ends.
fn quantifier(bytes: &[u8], i: usize) -> Option<(usize, usize, usize)> {
    let (min, max, next) = match bytes.get(i) {
        Some(b'?') => (0, 1, i + 1),
        Some(b'*') => (0, MAX_COUNT, i + 1),
        Some(b'+') => (1, MAX_COUNT, i + 1),
        Some(b'{') => {
            let close = i + bytes[i..].iter().position(|&b| b == b'}')?;
            let inside = std::str::from_utf8(&bytes[i + 1..close]).ok()?;
            let number =
                |s: &str| -> Option<usize> { (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?.filter(|n| *n <= MAX_COUNT) };
            let (min, max) = match inside.split_once(',') {
                None => (number(inside)?, number(inside)?),
                Some((min, "")) => (number(min)?, MAX_COUNT),
                Some((min, max)) => (number(min)?, number(max)?),
            };
            (min <= max).then_some((min, max, close + 1))?
        }
        _ => (1, 1, i),
    };
    // A lazy or possessive suffix is left to `jsonschema`.
    if matches!(bytes.get(next), Some(b'?' | b'+' | b'*' | b'{')) {
        return None;
    }
    Some((min, max, next))
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Simple;

    fn jsonschema_matches(pattern: &str, text: &str) -> bool {
        let validator = crate::plan::compile_section(&json!({"pattern": pattern})).expect("compiles");
        validator.is_valid(&Value::String(text.to_string()))
    }

    #[test]
    fn reads_the_subset_and_nothing_else() {
        for pattern in ["^cio[0-9]{3}$", "^[A-Z]{3}$", "^[0-9]+\\.[0-9]+\\.[0-9]+$", "^[0-9a-f]{12}$", "^a?b$", "^[a-z_]+$", "^x{2,}-y{0,3}$", "^\\$[0-9]+$"] {
            assert!(Simple::parse(pattern).is_some(), "{pattern}");
        }
        for pattern in [
            "cio[0-9]{3}",
            "^cio",
            "^[a-z]+[a-z]$",
            "^[0-9]+[0-9.]+$",
            "^a*b?$",
            "^\\d+$",
            "^\\w$",
            "^.$",
            "^[^a]$",
            "^(a|b)$",
            "^a+?$",
            "^é$",
            "^[a-Z]$",
            "^a{3,2}$",
            "^a{1001}$",
            "^[]$",
            "^$",
            "^a\\$",
        ] {
            assert!(Simple::parse(pattern).is_none(), "{pattern}");
        }
    }

    #[test]
    fn what_it_matches_jsonschema_matches() {
        let patterns = [
            "^cio[0-9]{3}$",
            "^[A-Z]{3}$",
            "^[0-9]+\\.[0-9]+\\.[0-9]+$",
            "^[0-9a-f]{12}$",
            "^a?b$",
            "^[a-z_]+$",
            "^x{2,}-y{0,3}$",
            "^[a-c]{1,2}\\.[0-9]*$",
            "^p[0-9]+$",
            "^\\$[0-9]+$",
            "^[A-Za-z0-9+/=]{4,}$",
        ];
        let alphabet: Vec<char> = "abcxyzABCZ0129.-_$+/=pé \n".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut matched = 0;
        for pattern in patterns {
            let simple = Simple::parse(pattern).expect("in the subset");
            for _ in 0..3000 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                let len = (state % 9) as usize;
                let text: String = (0..len)
                    .map(|k| {
                        let r = state.rotate_left(7 * k as u32);
                        alphabet[(r % alphabet.len() as u64) as usize]
                    })
                    .collect();
                if simple.matches(&text) {
                    matched += 1;
                    assert!(jsonschema_matches(pattern, &text), "{pattern} {text:?}");
                }
            }
            for text in ["cio123", "ABC", "2.11.1", "0123456789ab", "b", "ab", "a_b", "xx-", "xxx-yyy", "ab.", "p9", "$12", "abcd"] {
                if simple.matches(text) {
                    matched += 1;
                    assert!(jsonschema_matches(pattern, text), "{pattern} {text:?}");
                }
            }
        }
        assert!(matched > 200, "the strings reach the patterns ({matched})");
    }

    #[test]
    fn random_patterns_of_the_subset_match_only_what_jsonschema_matches() {
        let atoms = ["a", "b", "Z", "7", "-", "_", "\\.", "\\$", "[a-c]", "[0-9]", "[A-Z_]", "[x.]", "[0-9a-f]", "/", "@"];
        let quantifiers = ["", "", "?", "*", "+", "{2}", "{1,3}", "{0,}", "{3,}"];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut parsed, mut matched) = (0, 0);
        for _ in 0..400 {
            let items: Vec<(&str, &str)> = (0..1 + next(4)).map(|_| (atoms[next(atoms.len())], quantifiers[next(quantifiers.len())])).collect();
            let pattern = format!("^{}$", items.iter().map(|(a, q)| format!("{a}{q}")).collect::<String>());
            let Some(simple) = Simple::parse(&pattern) else { continue };
            parsed += 1;
            for _ in 0..40 {
                // Mostly characters the items take, in order, now and then another one.
                let mut text = String::new();
                for (atom, _) in &items {
                    let sample: Vec<char> = match *atom {
                        "\\." => vec!['.'],
                        "\\$" => vec!['$'],
                        "[a-c]" => vec!['a', 'b', 'c'],
                        "[0-9]" => vec!['0', '5', '9'],
                        "[A-Z_]" => vec!['A', 'Q', '_'],
                        "[x.]" => vec!['x', '.'],
                        "[0-9a-f]" => vec!['0', 'a', 'f'],
                        other => other.chars().collect(),
                    };
                    for _ in 0..next(4) {
                        text.push(sample[next(sample.len())]);
                    }
                    if next(10) == 0 {
                        text.push(['é', 'g', '\n', '1', '.'][next(5)]);
                    }
                }
                if simple.matches(&text) {
                    matched += 1;
                    assert!(jsonschema_matches(&pattern, &text), "{pattern} {text:?}");
                }
            }
        }
        assert!(parsed > 100 && matched > 500, "patterns {parsed}, matches {matched}");
    }
}
