//! The two JavaScript conversions the reference engine applies to trigger values: `String(x)`
//! (how a number in a trigger is compared as text) and `Number(x)` (how `<`, `<=`, `>`, `>=`
//! read their right-hand side). Both run once, when a trigger is parsed.

/// `String(n)` for a JavaScript number (ECMAScript `Number::toString`, radix 10): the shortest
/// digits that round-trip, in plain notation from 1e-7 to 1e21 and exponent notation outside.
pub(super) fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n == 0.0 {
        return "0".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if n < 0.0 {
        return format!("-{}", number_to_string(-n));
    }
    // Rust's `{:e}` gives the same shortest round-trip digits: `d[.ddd]e<exp>`.
    let scientific = format!("{n:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let k = digits.len() as i64;
    let n = exponent + 1; // the value is 0.<digits> * 10^n
    if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let sign = if n - 1 < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{first}{rest}e{sign}{}", (n - 1).abs())
    }
}

/// `Number(s)` for a JavaScript string (ECMAScript `StringToNumber`): surrounding white space
/// ignored, empty is 0, `Infinity`, `0x`/`0o`/`0b` integers, decimal literals with an optional
/// exponent; anything else is NaN.
pub(super) fn string_to_number(s: &str) -> f64 {
    let text = s.trim_matches(is_js_space);
    if text.is_empty() {
        return 0.0;
    }
    match text {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
        if let Some(digits) = text.strip_prefix(prefix) {
            return radix_integer(digits, radix);
        }
    }
    if is_decimal_literal(text) { text.parse().unwrap_or(f64::NAN) } else { f64::NAN }
}

fn radix_integer(digits: &str, radix: u32) -> f64 {
    if digits.is_empty() {
        return f64::NAN;
    }
    let mut value = 0.0_f64;
    for c in digits.chars() {
        match c.to_digit(radix) {
            Some(d) => value = value * f64::from(radix) + f64::from(d),
            None => return f64::NAN,
        }
    }
    value
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, the grammar Rust's `f64`
/// parser also accepts once `inf`/`nan` spellings are ruled out.
fn is_decimal_literal(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let int_start = i;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut digits = i - int_start;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == bytes.len()
}

/// JavaScript's `WhiteSpace` and `LineTerminator` characters, which `Number()` trims.
fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_javascript_prints_them() {
        // Expected values are what Node prints for `String(x)`.
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (5.0, "5"),
            (-4.0, "-4"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (100.0, "100"),
            (123456789.0, "123456789"),
            (1e21, "1e+21"),
            (1.5e21, "1.5e+21"),
            (1e20, "100000000000000000000"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.25e-7, "1.25e-7"),
            (0.000123, "0.000123"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (9007199254740993.0, "9007199254740992"),
        ];
        for (n, expected) in cases {
            assert_eq!(number_to_string(n), expected, "String({n})");
        }
    }

    #[test]
    fn strings_convert_as_javascript_converts_them() {
        let cases = [
            ("10", 10.0),
            (" 12 ", 12.0),
            ("\n7\t", 7.0),
            ("", 0.0),
            ("   ", 0.0),
            ("+5", 5.0),
            ("-3.2", -3.2),
            ("5.", 5.0),
            (".5", 0.5),
            ("-.5", -0.5),
            ("1e3", 1000.0),
            ("1E-2", 0.01),
            ("0x1A", 26.0),
            ("0b101", 5.0),
            ("0o17", 15.0),
            ("007", 7.0),
            ("Infinity", f64::INFINITY),
            ("-Infinity", f64::NEG_INFINITY),
        ];
        for (s, expected) in cases {
            assert_eq!(string_to_number(s), expected, "Number({s:?})");
        }
        for s in ["abc", "1_000", "inf", "nan", "NaN", "infinity", "-0x1", "0x", "1e", "+", "-", ".", "+.", "1.2.3", "true", "null", "eos", "5 5"] {
            assert!(string_to_number(s).is_nan(), "Number({s:?}) is NaN");
        }
    }
}
