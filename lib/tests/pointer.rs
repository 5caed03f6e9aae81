//! `cdpspec::Pointer` against the RFC 6901 escaping it replaced (written by hand in each crate
//! before): the same text for the same tokens, the same tokens for the same text, and the same
//! value as `serde_json::Value::pointer`.

use cdpspec::Pointer;
use cdpspec_plan::pointer::tokens;
use proptest::prelude::*;
use serde_json::{Value, json};

/// The escape every crate wrote by hand.
fn old_escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The unescape every crate wrote by hand, over `split('/').skip(1)`.
fn old_tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
}

/// Tokens made mostly of the characters that matter to escaping.
fn token() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!['~', '/', '0', '1', 'a', 'é', '字', ' ']), 0..6).prop_map(|c| c.into_iter().collect())
}

/// Text that may or may not be a pointer.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec!['~', '/', '0', '1', '2', 'a', 'é']), 0..12).prop_map(|c| c.into_iter().collect())
}

/// Whether `text` is a JSON pointer by RFC 6901's grammar.
fn is_pointer(text: &str) -> bool {
    (text.is_empty() || text.starts_with('/')) && text.match_indices('~').all(|(i, _)| matches!(text.as_bytes().get(i + 1), Some(b'0' | b'1')))
}

proptest! {
    #[test]
    fn tokens_become_the_text_written_by_hand_before(keys in prop::collection::vec(token(), 0..5)) {
        let pointer: Pointer = keys.iter().collect();
        let by_hand: String = keys.iter().map(|k| format!("/{}", old_escape(k))).collect();
        prop_assert_eq!(pointer.as_str(), by_hand.as_str());
        prop_assert_eq!(pointer.to_string(), by_hand.clone());
        prop_assert_eq!(pointer.tokens().collect::<Vec<_>>(), keys.clone());
        prop_assert_eq!(old_tokens(pointer.as_str()), keys.clone());
        prop_assert_eq!(Pointer::parse(&by_hand), Ok(pointer.clone()));
        prop_assert_eq!(pointer.last().map(|t| t.into_owned()), keys.last().cloned());
        prop_assert_eq!(pointer.parent(), (!keys.is_empty()).then(|| keys[..keys.len() - 1].iter().collect::<Pointer>()));
        let mut joined = Pointer::root();
        for key in &keys {
            joined = joined.join(key);
        }
        prop_assert_eq!(&joined, &pointer);
    }

    #[test]
    fn get_finds_what_value_pointer_finds(keys in prop::collection::vec(token(), 0..5)) {
        // A document with the tokens as nested keys, and a miss beside each.
        let mut doc = json!("leaf");
        for key in keys.iter().rev() {
            doc = json!({ key.clone(): doc, "other": [1, 2] });
        }
        let pointer: Pointer = keys.iter().collect();
        prop_assert_eq!(pointer.get(&doc), Some(&json!("leaf")));
        prop_assert_eq!(pointer.get(&doc), doc.pointer(pointer.as_str()));
        let miss = pointer.join("other").join_index(1);
        prop_assert_eq!(miss.get(&doc), doc.pointer(miss.as_str()));
        prop_assert_eq!(miss.get(&Value::Null), None);
    }

    #[test]
    fn any_text_is_read_as_it_was_read_by_hand(text in text()) {
        prop_assert_eq!(tokens(&text).collect::<Vec<_>>(), old_tokens(&text));
        let mut backwards: Vec<_> = tokens(&text).rev().collect();
        backwards.reverse();
        prop_assert_eq!(backwards, old_tokens(&text));
        match Pointer::parse(&text) {
            Ok(pointer) => {
                prop_assert!(is_pointer(&text));
                prop_assert_eq!(pointer.as_str(), text.as_str());
                prop_assert_eq!(pointer.tokens().collect::<Pointer>(), pointer);
            }
            Err(_) => prop_assert!(!is_pointer(&text)),
        }
    }
}
