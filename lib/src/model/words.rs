//! Counts in words: `1 call`, `2 calls`. Every count a person reads goes through here, so no
//! message says `1 warnings` or `4 problem(s)`.

/// `n` and `word`, with an `s` unless `n` is 1: `1 call`, `0 calls`, `2 calls`.
///
/// ```
/// use cdpspec::words::plural;
///
/// assert_eq!(plural(1, "call"), "1 call");
/// assert_eq!(plural(3, "warning"), "3 warnings");
/// ```
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// `n` and the form of the noun that fits it, for nouns that do not just take an `s`:
/// `counted(1, "entry", "entries")`.
///
/// ```
/// use cdpspec::words::counted;
///
/// assert_eq!(counted(1, "entry", "entries"), "1 entry");
/// assert_eq!(counted(2, "entry", "entries"), "2 entries");
/// ```
pub fn counted(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("{n} {one}") } else { format!("{n} {many}") }
}

/// `a call`, `2 calls`: for phrases where `1 call` reads oddly.
///
/// ```
/// use cdpspec::words::a_or_plural;
///
/// assert_eq!(format!("1 error in {}", a_or_plural(1, "call")), "1 error in a call");
/// assert_eq!(format!("4 errors in {}", a_or_plural(2, "call")), "4 errors in 2 calls");
/// ```
pub fn a_or_plural(n: usize, word: &str) -> String {
    if n == 1 { format!("a {word}") } else { plural(n, word) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_agree_with_their_nouns() {
        assert_eq!(plural(0, "call"), "0 calls");
        assert_eq!(plural(1, "warning"), "1 warning");
        assert_eq!(plural(4, "problem"), "4 problems");
        assert_eq!(counted(1, "entry", "entries"), "1 entry");
        assert_eq!(counted(3, "entry", "entries"), "3 entries");
        assert_eq!(a_or_plural(1, "call"), "a call");
        assert_eq!(a_or_plural(2, "call"), "2 calls");
    }
}
