//! Line and column of a JSON pointer in a plan file's text, so plan problems point at the exact
//! keyword (`plan.yaml:12:19`). JSON text is scanned by the engine's pointer locator; YAML text is walked
//! with the YAML parser itself (`serde_yaml_ng`, whose errors carry libyaml's marks), so block
//! and flow styles, quoted keys, comments and anchors are all read as the plan loader read them.
//! A pointer that names something absent falls back to its nearest enclosing value. In YAML
//! text with a syntax error, values before the error are placed and nothing after it is (JSON
//! text is scanned as far as it goes). Never panics.

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Format;

/// 1-based line and column (in characters) of the value at `pointer` (RFC 6901) in `text`, a
/// plan file in `format`; when the pointer names something absent, of its nearest enclosing
/// value. `None` when nothing in the text could be located.
///
/// ```
/// use cdpspec::plan::{Format, position::line_column};
///
/// let yaml = "name: Shop\nevents:\n  - name: Order Completed\n";
/// assert_eq!(line_column(yaml, Format::Yaml, "/events/0/name"), Some((3, 11)));
/// let json = "{\n  \"name\": \"Shop\",\n  \"events\": []\n}";
/// assert_eq!(line_column(json, Format::Json, "/events"), Some((3, 13)));
/// ```
pub fn line_column(text: &str, format: Format, pointer: &str) -> Option<(usize, usize)> {
    catch_unwind(AssertUnwindSafe(|| match format {
        Format::Json => {
            let offset = crate::locate::locate(text.as_bytes(), pointer);
            Some(crate::locate::line_column(text.as_bytes(), offset))
        }
        Format::Yaml => yaml(text, pointer),
    }))
    .ok()
    .flatten()
}

/// Walks the YAML document down `pointer` and stops with an error at the value it names (or at
/// the deepest enclosing value that exists): the parser marks that error with the position.
fn yaml(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let tokens: Vec<String> = cdpspec_plan::pointer::tokens(pointer).map(String::from).collect();
    let deserializer = serde_yaml_ng::Deserializer::from_str(text);
    let seek = Seek { tokens: &tokens };
    match seek.deserialize(deserializer) {
        // Only the walk's own stops place; a syntax error's position is not a value's.
        Err(e) if e.to_string().contains(STOP) => e.location().map(|l| (l.line(), l.column())),
        _ => None,
    }
}

/// Descends one pointer token per level; fails (so the error takes the current value's mark)
/// when the pointer ends here or names no child.
struct Seek<'p> {
    tokens: &'p [String],
}

/// The message of the errors that stop the walk (and the visitor's "expected" text, which
/// serde's errors for scalars quote); never shown.
const STOP: &str = "cdpspec plan position";

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(STOP)
    }

    // Scalars keep serde's default methods: they fail, which stops the walk at the scalar.

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.tokens.split_first() else { return Err(de::Error::custom(STOP)) };
        while let Some(key) = map.next_key::<serde_yaml_ng::Value>()? {
            if key_is(&key, first) {
                return map.next_value_seed(Seek { tokens: rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Err(de::Error::custom(STOP))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((first, rest)) = self.tokens.split_first() else { return Err(de::Error::custom(STOP)) };
        let Ok(index) = first.parse::<usize>() else { return Err(de::Error::custom(STOP)) };
        for _ in 0..index {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(de::Error::custom(STOP));
            }
        }
        match seq.next_element_seed(Seek { tokens: rest })? {
            Some(()) => Ok(()),
            None => Err(de::Error::custom(STOP)),
        }
    }
}

/// Whether a YAML key reads as `token` (plain scalars such as `1` or `true` are keys too).
fn key_is(key: &serde_yaml_ng::Value, token: &str) -> bool {
    match key {
        serde_yaml_ng::Value::String(s) => s == token,
        serde_yaml_ng::Value::Number(n) => n.to_string() == token,
        serde_yaml_ng::Value::Bool(b) => b.to_string() == token,
        serde_yaml_ng::Value::Null => token == "null" || token == "~" || token.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "\
# A plan.
name: Shop
events:
  - name: Order Completed
    versions:
      - version: 1
        properties:
          type: object
          properties:
            price: {type: numbr, \"min imum\": 3}
            'sku/code':
              type: string
          required: [price]
";

    fn at(pointer: &str) -> Option<(usize, usize)> {
        line_column(YAML, Format::Yaml, pointer)
    }

    #[test]
    fn finds_block_and_flow_values_and_quoted_keys() {
        assert_eq!(at(""), Some((2, 1)));
        assert_eq!(at("/name"), Some((2, 7)));
        assert_eq!(at("/events/0/versions/0/properties/type"), Some((8, 17)));
        assert_eq!(at("/events/0/versions/0/properties/properties/price/type"), Some((10, 27)));
        assert_eq!(at("/events/0/versions/0/properties/properties/price/min imum"), Some((10, 46)));
        assert_eq!(at("/events/0/versions/0/properties/properties/sku~1code/type"), Some((12, 21)));
        assert_eq!(at("/events/0/versions/0/properties/required/0"), Some((13, 22)));
    }

    #[test]
    fn absent_members_fall_back_to_the_nearest_enclosing_value() {
        assert_eq!(at("/events/0/versions/0/properties/properties/price/maximum"), Some((10, 20)));
        assert_eq!(at("/events/0/versions/3/properties"), Some((6, 7)));
        assert_eq!(at("/events/x"), Some((4, 3)));
    }

    #[test]
    fn anchors_lead_to_their_definition_and_syntax_errors_place_nothing_after_them() {
        let text = "base: &b {type: string}\nname: *b\nlater: [1, 2\n";
        assert_eq!(line_column(text, Format::Yaml, "/name/type"), Some((1, 17)));
        assert_eq!(line_column(text, Format::Yaml, "/base"), Some((1, 7)), "a value starts at its anchor");
        assert_eq!(line_column(text, Format::Yaml, "/later/1"), Some((3, 12)), "parsed before the error");
        assert_eq!(line_column(text, Format::Yaml, "/later/5"), None, "the walk ran into the error");
    }

    #[test]
    fn json_plans_use_the_json_locator() {
        let json = "{\n  \"name\": \"Shop\",\n  \"events\": [{\"name\": \"A\", \"versions\": [{\"version\": 1}]}]\n}";
        assert_eq!(line_column(json, Format::Json, "/events/0/versions/0/version"), Some((3, 53)));
        assert_eq!(line_column(json, Format::Json, "/events/0/versions/0/missing"), Some((3, 41)));
    }

    #[test]
    fn never_panics_on_any_text() {
        let texts = ["", ":", "- [", "{a: [1, 2", "a: *x", "? [a]\n: 1", "\u{feff}a: b", "a: |\n  x\n b: c", "---\na: 1\n---\nb: 2", "\"", "{\"a\": [}"];
        for text in texts {
            for format in [Format::Yaml, Format::Json] {
                for pointer in ["", "/a", "/a/0/b", "/0", "/~2"] {
                    let _ = line_column(text, format, pointer);
                }
            }
        }
    }
}
