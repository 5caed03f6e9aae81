//! "Did you mean": the closest known word to a misspelled one.

/// The candidate closest to `word`: equal ignoring case, `_` and `-`, or within an edit
/// distance of a third of its length (at least 1, at most 3).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = fold(word);
    let limit = (word.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = if fold(candidate) == folded { 0 } else { edit_distance(&folded, &fold(candidate)) };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `word` lowercased without `_`, `-` and spaces: `user_id`, `UserId` and `userId` fold alike.
pub fn fold(word: &str) -> String {
    word.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

/// Edits between `a` and `b`: insertions, deletions, substitutions, and swaps of two
/// neighbouring letters (`levle` is one edit from `level`), as typing gets them wrong.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // Three rows of the optimal-string-alignment table: two back, one back, this one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut above: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            row[j] = (above[j - 1] + cost).min(row[j - 1] + 1).min(above[j] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        std::mem::swap(&mut before, &mut above);
        std::mem::swap(&mut above, &mut row);
    }
    above[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [&str; 6] = ["identify", "group", "track", "page", "screen", "alias"];

    #[test]
    fn finds_the_intended_word() {
        assert_eq!(closest("identity", TYPES), Some("identify"));
        assert_eq!(closest("Track", TYPES), Some("track"));
        assert_eq!(closest("user_id", ["userId", "anonymousId"]), Some("userId"));
        assert_eq!(closest("anonymous_id", ["userId", "anonymousId"]), Some("anonymousId"));
        assert_eq!(closest("levle", ["level", "label"]), Some("level"), "a swap is one edit");
        assert_eq!(closest("cahs", ["cash", "card"]), Some("cash"));
    }

    #[test]
    fn counts_edits_as_typing_makes_them() {
        for (a, b, n) in [("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("ab", "ba", 1), ("abcd", "acbd", 1), ("ca", "abc", 3)] {
            assert_eq!(edit_distance(a, b), n, "{a} -> {b}");
        }
    }

    #[test]
    fn leaves_unrelated_words_alone() {
        assert_eq!(closest("purchase", TYPES), None);
        assert_eq!(closest("x", TYPES), None);
    }
}
