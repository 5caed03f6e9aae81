//! The JSON value abstraction the generated validators and the fast rules read: enough to ask
//! a value its type, its text, its members and elements. Implemented for the fast path's
//! [`tape::Value`](super::tape::Value) and for `&serde_json::Value` (the precise path's), so one
//! validator serves both and the two can be compared on the same input.

/// The JSON type of a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool,
    /// Any number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// A handle to a parsed JSON value (cheap to copy: a reference, or a position in a tape).
pub trait Json: Copy {
    /// Its JSON type.
    fn kind(&self) -> Kind;
    /// Whether it is a number without a fractional part (`1` and `1.0`, as JSON Schema says).
    fn is_integer(&self) -> bool;
    /// The string, if it is one.
    fn as_str(&self) -> Option<&str>;
    /// The boolean, if it is one.
    fn as_bool(&self) -> Option<bool>;
    /// The number, if it is one, as serde_json reads it (`1` an integer, `1.0` and `-0` floats),
    /// for the comparisons `jsonschema` makes; `None` for other values.
    fn as_number(&self) -> Option<serde_json::Number>;
    /// Every member of an object, in document order, duplicate keys included; none for other
    /// values.
    fn members(&self) -> impl Iterator<Item = (&str, Self)>;
    /// Every element of an array; none for other values.
    fn elements(&self) -> impl Iterator<Item = Self>;

    /// The member `key` of an object, the last one when the key repeats (as serde_json keeps
    /// it); `None` for other values.
    #[inline]
    fn get(&self, key: &str) -> Option<Self> {
        self.members().filter(|(k, _)| *k == key).last().map(|(_, v)| v)
    }
}

impl Json for &serde_json::Value {
    #[inline]
    fn kind(&self) -> Kind {
        match *self {
            serde_json::Value::Null => Kind::Null,
            serde_json::Value::Bool(_) => Kind::Bool,
            serde_json::Value::Number(_) => Kind::Number,
            serde_json::Value::String(_) => Kind::String,
            serde_json::Value::Array(_) => Kind::Array,
            serde_json::Value::Object(_) => Kind::Object,
        }
    }

    #[inline]
    fn is_integer(&self) -> bool {
        match *self {
            serde_json::Value::Number(n) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            _ => false,
        }
    }

    #[inline]
    fn as_str(&self) -> Option<&str> {
        serde_json::Value::as_str(self)
    }

    #[inline]
    fn as_bool(&self) -> Option<bool> {
        serde_json::Value::as_bool(self)
    }

    #[inline]
    fn as_number(&self) -> Option<serde_json::Number> {
        match *self {
            serde_json::Value::Number(n) => Some(n.clone()),
            _ => None,
        }
    }

    #[inline]
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }

    #[inline]
    fn members(&self) -> impl Iterator<Item = (&str, Self)> {
        self.as_object().into_iter().flat_map(|map| map.iter().map(|(k, v)| (k.as_str(), v)))
    }

    #[inline]
    fn elements(&self) -> impl Iterator<Item = Self> {
        self.as_array().into_iter().flatten()
    }
}

/// Whether two texts are equal, compared in machine words when they are short (member names
/// are), without the call `==` makes to `memcmp`.
#[inline]
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word4 = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().unwrap_or_default());
    let word8 = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default());
    match n {
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        // Two overlapping words cover the text.
        4..=8 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        9..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn texts_are_equal_exactly_when_their_bytes_are() {
        let texts = ["", "a", "b", "ab", "abc", "abd", "name", "type", "event", "évent", "context", "contexT", "properties", "propertieZ", "class_code", "class_name"];
        let long = ["a".repeat(17), format!("{}b", "a".repeat(16)), "x".repeat(40)];
        let all: Vec<&str> = texts.iter().copied().chain(long.iter().map(String::as_str)).collect();
        for a in &all {
            for b in &all {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
