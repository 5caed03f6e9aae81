//! Reading a field of a call as the reference engine does: `data.type` for top-level fields and
//! `get(data.properties, "a.b")` for paths, where `get` walks the segments with
//! `value && value[key]` in JavaScript. So a falsy value (`0`, `""`, `false`, `null`) ends the
//! walk and is the result, strings and arrays answer `length` and indices, and built-in methods
//! (`constructor`, `toString`, `push`, ...) exist on every value. The model follows Node 20;
//! anything read from a built-in method is treated as missing.

use crate::destination::{Call, CallJson};
use crate::fast::json::Kind;

/// A JavaScript value read from a call `J`, borrowed from it: no allocation per lookup.
#[derive(Clone, Copy)]
pub(super) enum Js<J> {
    /// `undefined`: the field is not there.
    Undefined,
    /// A value of the call itself.
    Json(J),
    /// A number the engine computed (`length`).
    Number(f64),
    /// A one-code-unit string read by index from a string (`"abc"[0]`). UTF-16, as in
    /// JavaScript, so it can be half of a surrogate pair.
    Unit(u16),
    /// A built-in function or prototype object: it exists but is no string, number or boolean.
    Builtin,
}

/// Members of `Object.prototype`, which every value inherits.
const OBJECT_PROTOTYPE: &[&str] = &[
    "constructor",
    "__defineGetter__",
    "__defineSetter__",
    "hasOwnProperty",
    "__lookupGetter__",
    "__lookupSetter__",
    "isPrototypeOf",
    "propertyIsEnumerable",
    "toString",
    "valueOf",
    "__proto__",
    "toLocaleString",
];

const ARRAY_PROTOTYPE: &[&str] = &[
    "at",
    "concat",
    "copyWithin",
    "fill",
    "find",
    "findIndex",
    "findLast",
    "findLastIndex",
    "lastIndexOf",
    "pop",
    "push",
    "reverse",
    "shift",
    "unshift",
    "slice",
    "sort",
    "splice",
    "includes",
    "indexOf",
    "join",
    "keys",
    "entries",
    "values",
    "forEach",
    "filter",
    "flat",
    "flatMap",
    "map",
    "every",
    "some",
    "reduce",
    "reduceRight",
    "toReversed",
    "toSorted",
    "toSpliced",
    "with",
];

const STRING_PROTOTYPE: &[&str] = &[
    "anchor",
    "at",
    "big",
    "blink",
    "bold",
    "charAt",
    "charCodeAt",
    "codePointAt",
    "concat",
    "endsWith",
    "fontcolor",
    "fontsize",
    "fixed",
    "includes",
    "indexOf",
    "isWellFormed",
    "italics",
    "lastIndexOf",
    "link",
    "localeCompare",
    "match",
    "matchAll",
    "normalize",
    "padEnd",
    "padStart",
    "repeat",
    "replace",
    "replaceAll",
    "search",
    "slice",
    "small",
    "split",
    "strike",
    "sub",
    "substr",
    "substring",
    "sup",
    "startsWith",
    "toWellFormed",
    "trim",
    "trimStart",
    "trimLeft",
    "trimEnd",
    "trimRight",
    "toLocaleLowerCase",
    "toLocaleUpperCase",
    "toLowerCase",
    "toUpperCase",
];

const NUMBER_PROTOTYPE: &[&str] = &["toExponential", "toFixed", "toPrecision"];

/// Whether `name` is a member every JavaScript object inherits (`tokenToConditionType[name]`
/// is then truthy in the reference parser, although `name` is no field).
pub(super) fn is_object_prototype_member(name: &str) -> bool {
    OBJECT_PROTOTYPE.contains(&name)
}

/// `data[key]` for a top-level field of the call. `None` when `data` is `null`: reading a field
/// of `null` throws in JavaScript, and the destination drops the call.
pub(super) fn top_level<J: CallJson>(call: &Call<J>, slot: usize, key: &str) -> Option<Js<J>> {
    // The fields the engine reads (type, event, name, userId, properties, traits, context) are
    // no members of strings, numbers, booleans or arrays.
    (call.value().kind() != Kind::Null).then(|| call.get_at(Some(slot), key).map_or(Js::Undefined, Js::Json))
}

impl<J: CallJson> Js<J> {
    /// `value && value[key]`: one step of `get`.
    pub(super) fn step(self, key: &str) -> Js<J> {
        if !self.is_truthy() {
            return self;
        }
        let inherited = |own: &[&str]| if own.contains(&key) || OBJECT_PROTOTYPE.contains(&key) { Js::Builtin } else { Js::Undefined };
        match self {
            Js::Json(value) => match value.kind() {
                Kind::Object => value.get(key).map_or_else(|| inherited(&[]), Js::Json),
                Kind::Array => {
                    if key == "length" {
                        Js::Number(value.elements().count() as f64)
                    } else if let Some(index) = array_index(key) {
                        value.elements().nth(index).map_or(Js::Undefined, Js::Json)
                    } else {
                        inherited(ARRAY_PROTOTYPE)
                    }
                }
                Kind::String => {
                    let text = value.as_str().unwrap_or_default();
                    if key == "length" {
                        Js::Number(text.encode_utf16().count() as f64)
                    } else if let Some(index) = array_index(key) {
                        text.encode_utf16().nth(index).map_or(Js::Undefined, Js::Unit)
                    } else {
                        inherited(STRING_PROTOTYPE)
                    }
                }
                Kind::Number => inherited(NUMBER_PROTOTYPE),
                Kind::Bool => inherited(&[]),
                Kind::Null => Js::Undefined,
            },
            Js::Unit(_) => match key {
                "length" => Js::Number(1.0),
                "0" => self,
                _ => inherited(STRING_PROTOTYPE),
            },
            Js::Number(_) => inherited(NUMBER_PROTOTYPE),
            // Members of built-ins (`constructor.name`, ...) are not modelled: missing.
            Js::Builtin | Js::Undefined => Js::Undefined,
        }
    }

    /// JavaScript truthiness.
    fn is_truthy(self) -> bool {
        match self {
            Js::Undefined => false,
            Js::Json(value) => match value.kind() {
                Kind::Null => false,
                Kind::Bool => value.as_bool() == Some(true),
                Kind::Number => value.as_f64().is_some_and(|n| n != 0.0),
                Kind::String => value.as_str().is_some_and(|s| !s.is_empty()),
                Kind::Array | Kind::Object => true,
            },
            Js::Number(n) => n != 0.0 && !n.is_nan(),
            Js::Unit(_) | Js::Builtin => true,
        }
    }
}

/// A canonical array index (`"0"`, `"12"`, not `"01"` or `"-1"`), as JavaScript reads keys of
/// arrays and strings.
fn array_index(key: &str) -> Option<usize> {
    let canonical = key == "0" || (!key.starts_with('0') && !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()));
    if !canonical {
        return None;
    }
    key.parse::<u32>().ok().filter(|&i| i != u32::MAX).map(|i| i as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn get<'a>(value: &'a Value, path: &[&str]) -> Js<&'a Value> {
        path.iter().fold(Js::Json(value), |acc, key| acc.step(key))
    }

    #[test]
    fn walks_objects_and_arrays() {
        let v = json!({"a": {"b": [10, {"c": "x"}]}});
        assert!(matches!(get(&v, &["a", "b", "0"]), Js::Json(Value::Number(_))));
        assert!(matches!(get(&v, &["a", "b", "1", "c"]), Js::Json(Value::String(s)) if s == "x"));
        assert!(matches!(get(&v, &["a", "b", "length"]), Js::Number(n) if n == 2.0));
        assert!(matches!(get(&v, &["a", "b", "01"]), Js::Undefined));
        assert!(matches!(get(&v, &["a", "x", "y"]), Js::Undefined));
    }

    #[test]
    fn falsy_values_end_the_walk() {
        let v = json!({"zero": 0, "empty": "", "no": false, "null": null});
        assert!(matches!(get(&v, &["zero", "b"]), Js::Json(Value::Number(_))));
        assert!(matches!(get(&v, &["empty", "b"]), Js::Json(Value::String(s)) if s.is_empty()));
        assert!(matches!(get(&v, &["no", "b"]), Js::Json(Value::Bool(false))));
        assert!(matches!(get(&v, &["null", "b"]), Js::Json(Value::Null)));
    }

    #[test]
    fn strings_answer_length_and_indices_in_utf16() {
        let v = json!({"s": "a😀"});
        assert!(matches!(get(&v, &["s", "length"]), Js::Number(n) if n == 3.0));
        assert!(matches!(get(&v, &["s", "0"]), Js::Unit(0x61)));
        assert!(matches!(get(&v, &["s", "1"]), Js::Unit(0xD83D)));
        assert!(matches!(get(&v, &["s", "3"]), Js::Undefined));
    }

    #[test]
    fn built_in_members_exist() {
        let v = json!({"o": {}, "a": [], "s": "x", "n": 5, "t": true});
        for path in [["o", "constructor"], ["a", "push"], ["s", "trim"], ["n", "toFixed"], ["t", "valueOf"], ["o", "__proto__"]] {
            assert!(matches!(get(&v, &path), Js::Builtin), "{path:?}");
        }
        assert!(matches!(get(&v, &["o", "push"]), Js::Undefined));
        assert!(matches!(get(&v, &["o", "constructor", "name"]), Js::Undefined));
    }

    #[test]
    fn null_calls_throw_at_the_top_level() {
        assert!(top_level(&Call::of(&Value::Null), 0, "type").is_none());
        assert!(matches!(top_level(&Call::of(&json!("x")), 0, "type"), Some(Js::Undefined)));
        let call = json!({"type": "track", "userId": 1});
        assert!(matches!(top_level(&Call::of(&call), 0, "type"), Some(Js::Json(Value::String(t))) if t == "track"));
        assert!(matches!(top_level(&Call::of(&call), 1, "event"), Some(Js::Undefined)));
    }
}
