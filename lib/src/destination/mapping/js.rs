//! JavaScript value semantics the reference engine relies on: a resolved value that can be
//! `undefined` and that borrows from the call where it can, truthiness, `String(x)`, `Number(s)`,
//! loose `== ''`, and `JSON.stringify`.

use serde_json::{Map, Number, Value};
use std::borrow::Cow;

/// A value produced while resolving a mapping. It mirrors a JavaScript value: it can be
/// `undefined`, and objects and arrays built by directives can hold `undefined` members (dropped
/// from objects, `null` in arrays, when the payload is finally written as JSON).
#[derive(Clone, Debug)]
pub(crate) enum Js<'a> {
    /// JavaScript `undefined`: the key is dropped.
    Undefined,
    /// JSON borrowed from the call or the mapping: no copy until the payload is written.
    Ref(&'a Value),
    /// JSON computed by a directive.
    Val(Value),
    /// An array built by a directive (members may be `undefined`).
    Array(Vec<Js<'a>>),
    /// An object built by a directive, in insertion order (members may be `undefined`).
    Object(Vec<(String, Js<'a>)>),
}

/// A read-only view of a [`Js`] value, with references into it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum View<'v, 'a> {
    Undefined,
    Json(&'v Value),
    Array(&'v [Js<'a>]),
    Object(&'v [(String, Js<'a>)]),
}

impl<'a> Js<'a> {
    /// A string value.
    pub(crate) fn string(s: String) -> Js<'a> {
        Js::Val(Value::String(s))
    }

    /// Looks through the representation.
    pub(crate) fn view(&self) -> View<'_, 'a> {
        match self {
            Js::Undefined => View::Undefined,
            Js::Ref(v) => View::Json(v),
            Js::Val(v) => View::Json(v),
            Js::Array(a) => View::Array(a),
            Js::Object(o) => View::Object(o),
        }
    }

    /// Whether this is `undefined`.
    pub(crate) fn is_undefined(&self) -> bool {
        matches!(self, Js::Undefined)
    }

    /// Whether this is `null`.
    pub(crate) fn is_null(&self) -> bool {
        matches!(self.view(), View::Json(Value::Null))
    }

    /// The string, when the value is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self.view() {
            View::Json(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The value as JSON, as `JSON.stringify` would write it: `None` for `undefined`, `undefined`
    /// members dropped from objects and written as `null` in arrays.
    pub(crate) fn into_json(self) -> Option<Value> {
        match self {
            Js::Undefined => None,
            Js::Ref(v) => Some(v.clone()),
            Js::Val(v) => Some(v),
            Js::Array(a) => Some(Value::Array(a.into_iter().map(|v| v.into_json().unwrap_or(Value::Null)).collect())),
            Js::Object(o) => Some(Value::Object(o.into_iter().filter_map(|(k, v)| Some((k, v.into_json()?))).collect::<Map<_, _>>())),
        }
    }

    /// The reference's `removeUndefined`: drops `undefined` members of objects, recursively;
    /// arrays keep theirs.
    pub(crate) fn remove_undefined(self) -> Js<'a> {
        match self {
            Js::Array(a) => Js::Array(a.into_iter().map(Js::remove_undefined).collect()),
            Js::Object(o) => Js::Object(o.into_iter().filter(|(_, v)| !v.is_undefined()).map(|(k, v)| (k, v.remove_undefined())).collect()),
            other => other,
        }
    }
}

impl<'v, 'a> View<'v, 'a> {
    /// The reference's `realTypeOf`: `undefined`, `null`, `boolean`, `number`, `string`, `array`
    /// or `object`.
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            View::Undefined => "undefined",
            View::Json(v) => json_type_name(v),
            View::Array(_) => "array",
            View::Object(_) => "object",
        }
    }

    /// Whether this is a (non-array) object.
    pub(crate) fn is_object(self) -> bool {
        matches!(self, View::Object(_) | View::Json(Value::Object(_)))
    }

    /// Whether this is an array.
    pub(crate) fn is_array(self) -> bool {
        matches!(self, View::Array(_) | View::Json(Value::Array(_)))
    }

    /// JavaScript truthiness.
    pub(crate) fn truthy(self) -> bool {
        match self {
            View::Undefined => false,
            View::Json(v) => truthy(v),
            View::Array(_) | View::Object(_) => true,
        }
    }

    /// Members of an object, or of an array by index, as `Object.entries` lists them. Strings
    /// list their characters. Anything else has none.
    pub(crate) fn entries(self) -> Vec<(Cow<'v, str>, View<'v, 'a>)> {
        match self {
            View::Object(o) => o.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), v.view())).collect(),
            View::Array(a) => a.iter().enumerate().map(|(i, v)| (Cow::Owned(i.to_string()), v.view())).collect(),
            View::Json(Value::Object(o)) => o.iter().map(|(k, v)| (Cow::Borrowed(k.as_str()), View::Json(v))).collect(),
            View::Json(Value::Array(a)) => a.iter().enumerate().map(|(i, v)| (Cow::Owned(i.to_string()), View::Json(v))).collect(),
            _ => Vec::new(),
        }
    }

    /// `String(x)`: what a template placeholder or `"" + x` writes.
    pub(crate) fn to_js_string(self) -> Cow<'v, str> {
        match self {
            View::Undefined => Cow::Borrowed("undefined"),
            View::Json(Value::String(s)) => Cow::Borrowed(s),
            View::Json(v) => Cow::Owned(json_to_js_string(v)),
            View::Array(a) => Cow::Owned(a.iter().map(|v| array_member_string(v.view())).collect::<Vec<_>>().join(",")),
            View::Object(_) => Cow::Borrowed("[object Object]"),
        }
    }
}

fn array_member_string(v: View<'_, '_>) -> String {
    match v {
        View::Undefined | View::Json(Value::Null) => String::new(),
        other => other.to_js_string().into_owned(),
    }
}

/// `String(x)` for JSON.
pub(crate) fn json_to_js_string(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => number_to_string(n),
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(|v| array_member_string(View::Json(v))).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// The reference's `realTypeOf` for JSON: the same names cdpspec's messages use.
pub(crate) use crate::check::json_type as json_type_name;

/// JavaScript truthiness of JSON: `null`, `false`, `0` and `""` are falsy.
pub(crate) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// JavaScript's loose `x == ''` for a defined, non-null value: `false`, `0`, `""`, `[]`,
/// `[""]`, `[null]`, `[[]]` are all "blank"; `"0"`, `" "`, `{}` are not.
pub(crate) fn loosely_equals_empty_string(v: View<'_, '_>) -> bool {
    fn joins_empty(v: View<'_, '_>) -> bool {
        match v {
            View::Undefined | View::Json(Value::Null) => true,
            View::Json(Value::String(s)) => s.is_empty(),
            View::Json(Value::Array(_)) | View::Array(_) => {
                let members = v.entries();
                members.is_empty() || (members.len() == 1 && joins_empty(members[0].1))
            }
            _ => false,
        }
    }
    match v {
        View::Json(Value::Bool(b)) => !b,
        View::Json(Value::Number(n)) => n.as_f64() == Some(0.0),
        View::Json(Value::String(s)) => s.is_empty(),
        View::Json(Value::Array(_)) | View::Array(_) => joins_empty(v),
        _ => false,
    }
}

/// `Number.prototype.toString()` for a JSON number (the shortest digits that round-trip, in
/// JavaScript's layout: `1`, not `1.0`; `1e+21`; `1e-7`). Integers beyond 2^53 are rounded as
/// JavaScript would have read them.
pub(crate) fn number_to_string(n: &Number) -> String {
    if let Some(i) = n.as_i64()
        && i.unsigned_abs() <= 1 << 53
    {
        return i.to_string();
    }
    f64_to_string(n.as_f64().unwrap_or(f64::NAN))
}

/// `Number.prototype.toString()` for a double.
pub(crate) fn f64_to_string(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if f == 0.0 {
        return "0".to_owned();
    }
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let k = digits.len() as i64;
    let n = exp.parse::<i64>().unwrap_or(0) + 1;
    let mut out = String::new();
    if f < 0.0 {
        out.push('-');
    }
    if k <= n && n <= 21 {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (n - k) as usize));
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-n) as usize));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n >= 1 { '+' } else { '-' });
        out.push_str(&(n - 1).abs().to_string());
    }
    out
}

/// Whether `c` is JavaScript white space or a line terminator (what `trim()` removes).
pub(crate) fn is_js_space(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{a}' | '\u{b}' | '\u{c}' | '\u{d}' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}')
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}')
}

/// `Number(s)` for a string: trims, accepts `0x`/`0o`/`0b`, `Infinity`, decimals with an
/// optional sign and exponent; the empty string is `0`; anything else is `NaN`.
pub(crate) fn string_to_number(s: &str) -> f64 {
    let t = s.trim_matches(is_js_space);
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(rest) = t.strip_prefix(prefix) {
            if rest.is_empty() || !rest.chars().all(|c| c.is_digit(radix)) {
                return f64::NAN;
            }
            return rest.chars().fold(0.0, |acc, c| acc * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0)));
        }
    }
    let (sign, body) = match t.as_bytes()[0] {
        b'+' => (1.0, &t[1..]),
        b'-' => (-1.0, &t[1..]),
        _ => (1.0, t),
    };
    if body == "Infinity" {
        return sign * f64::INFINITY;
    }
    if !is_decimal_literal(body) {
        return f64::NAN;
    }
    body.parse::<f64>().map_or(f64::NAN, |f| sign * f)
}

/// `digits[.digits][e[+-]digits]` or `.digits[e...]`, unsigned.
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits + frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == b.len()
}

/// JSON for a finite double: an integer when it is one (as JavaScript keeps no distinction).
pub(crate) fn number_from_f64(f: f64) -> Option<Value> {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 { Some(Value::from(f as i64)) } else { Number::from_f64(f).map(Value::Number) }
}

/// `JSON.stringify(x)`; `None` for `undefined`.
pub(crate) fn stringify(v: View<'_, '_>) -> Option<String> {
    let mut out = String::new();
    write_json(v, &mut out).then_some(out)
}

fn write_json(v: View<'_, '_>, out: &mut String) -> bool {
    match v {
        View::Undefined => return false,
        View::Json(Value::Null) => out.push_str("null"),
        View::Json(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
        View::Json(Value::Number(n)) => out.push_str(&number_to_string(n)),
        View::Json(Value::String(s)) => quote(s, out),
        View::Json(Value::Array(_)) | View::Array(_) => {
            out.push('[');
            for (i, (_, member)) in v.entries().into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if !write_json(member, out) {
                    out.push_str("null");
                }
            }
            out.push(']');
        }
        View::Json(Value::Object(_)) | View::Object(_) => {
            out.push('{');
            let mut first = true;
            for (key, member) in v.entries() {
                if member.type_name() == "undefined" {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                quote(&key, out);
                out.push(':');
                write_json(member, out);
            }
            out.push('}');
        }
    }
    true
}

fn quote(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The length of a string as JavaScript counts it (UTF-16 code units).
pub(crate) fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_javascript() {
        for (f, s) in [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1, "0.1"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123456.789, "123456.789"),
            (f64::INFINITY, "Infinity"),
        ] {
            assert_eq!(f64_to_string(f), s, "{f}");
        }
        assert_eq!(number_to_string(&Number::from(9_007_199_254_740_993u64)), "9007199254740992");
    }

    #[test]
    fn strings_convert_like_number() {
        assert_eq!(string_to_number(" 42 "), 42.0);
        assert_eq!(string_to_number("0x1A"), 26.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number(".5"), 0.5);
        assert_eq!(string_to_number("5."), 5.0);
        assert_eq!(string_to_number("-1e3"), -1000.0);
        assert!(string_to_number("1_000").is_nan());
        assert!(string_to_number("inf").is_nan());
        assert!(string_to_number("abc").is_nan());
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
    }

    #[test]
    fn blank_is_loose_equality_with_the_empty_string() {
        for (v, blank) in [
            (json!(0), true),
            (json!(false), true),
            (json!(""), true),
            (json!([]), true),
            (json!([null]), true),
            (json!([[]]), true),
            (json!("0"), false),
            (json!(" "), false),
            (json!({}), false),
            (json!([null, null]), false),
            (json!(1), false),
        ] {
            assert_eq!(loosely_equals_empty_string(View::Json(&v)), blank, "{v}");
        }
    }

    #[test]
    fn stringify_and_string_conversion() {
        let v = json!({"a": [1, null, "x\n"], "b": 1.5});
        assert_eq!(stringify(View::Json(&v)).unwrap(), r#"{"a":[1,null,"x\n"],"b":1.5}"#);
        let built = Js::Array(vec![Js::Undefined, Js::Val(json!(2))]);
        assert_eq!(stringify(built.view()).unwrap(), "[null,2]");
        assert_eq!(View::Json(&json!([1, [2, null], {}])).to_js_string(), "1,2,,[object Object]");
        assert_eq!(View::Json(&json!({"a": 1})).to_js_string(), "[object Object]");
        assert!(stringify(View::Undefined).is_none());
    }
}
