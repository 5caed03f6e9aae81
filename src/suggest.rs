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

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
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
    }

    #[test]
    fn leaves_unrelated_words_alone() {
        assert_eq!(closest("purchase", TYPES), None);
        assert_eq!(closest("x", TYPES), None);
    }
}
