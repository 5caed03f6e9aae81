//! The `date-like` format of `datetime` fields (the reference's schema-validation.ts):
//! `dayjs(s).isValid()`, or for a canonical number string, `dayjs.unix(Number(s)).isValid()`.
//!
//! dayjs reads a string that does not end in `Z` with its own pattern
//! (`YYYY[-/]MM[-/]DD[T ]HH:mm:ss.SSS`, every part after the year optional), and hands anything
//! else to JavaScript's `Date`. That is V8's date parser in Node: ISO 8601 first, then a very
//! liberal legacy syntax (`March 21, 2023`, `Tue, 21 Mar 2023 12:00:00 GMT`, `2023/03/21`, even
//! `foo 1`, which is 1 January 2001). [`v8_date_parses`] follows V8's `DateParser`
//! (src/date/dateparser-inl.h) token by token. Local time zones are taken as UTC for the range
//! check.

use super::js::{f64_to_string, is_js_space, string_to_number};

/// Whether a string is `date-like`.
pub(crate) fn is_date_like(s: &str) -> bool {
    let n = string_to_number(s);
    if f64_to_string(n) == s {
        return n.is_finite() && (n * 1000.0).abs() <= MAX_TIME;
    }
    if !s.ends_with(['Z', 'z']) && matches_dayjs_pattern(s) {
        return true;
    }
    v8_date_parses(s)
}

/// The largest time value a JavaScript `Date` holds, in milliseconds.
const MAX_TIME: f64 = 8.64e15;

#[derive(Clone, Copy)]
enum Class {
    Digit,
    DateSeparator,
    TimeSeparator,
    Colon,
    DotOrColon,
}

/// dayjs's `REGEX_PARSE`:
/// `^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$`.
fn matches_dayjs_pattern(s: &str) -> bool {
    const PATTERN: [(Class, usize, usize); 13] = [
        (Class::Digit, 4, 4),
        (Class::DateSeparator, 0, 1),
        (Class::Digit, 0, 2),
        (Class::DateSeparator, 0, 1),
        (Class::Digit, 0, 2),
        (Class::TimeSeparator, 0, usize::MAX),
        (Class::Digit, 0, 2),
        (Class::Colon, 0, 1),
        (Class::Digit, 0, 2),
        (Class::Colon, 0, 1),
        (Class::Digit, 0, 2),
        (Class::DotOrColon, 0, 1),
        (Class::Digit, 0, usize::MAX),
    ];
    fn fits(class: Class, c: char) -> bool {
        match class {
            Class::Digit => c.is_ascii_digit(),
            Class::DateSeparator => c == '-' || c == '/',
            Class::TimeSeparator => c == 'T' || c == 't' || is_js_space(c),
            Class::Colon => c == ':',
            Class::DotOrColon => c == '.' || c == ':',
        }
    }
    fn from(chars: &[char], at: usize, item: usize) -> bool {
        let Some(&(class, min, max)) = PATTERN.get(item) else { return at == chars.len() };
        let available = chars[at..].iter().take(max).take_while(|&&c| fits(class, c)).count();
        (min..=available).rev().any(|n| from(chars, at + n, item + 1))
    }
    let chars: Vec<char> = s.chars().collect();
    from(&chars, 0, 0)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Keyword {
    Month(i64),
    AmPm(i64),
    Zone(i64),
    TimeSeparator,
    Invalid,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Number { value: i64, len: usize },
    Symbol(char),
    Space,
    Word { keyword: Keyword, len: usize },
    Unknown,
    End,
    Invalid,
}

impl Token {
    fn number_of_len(self, n: usize) -> Option<i64> {
        match self {
            Token::Number { value, len } if len == n => Some(value),
            _ => None,
        }
    }
    fn sign(self) -> Option<i64> {
        match self {
            Token::Symbol('+') => Some(1),
            Token::Symbol('-') => Some(-1),
            _ => None,
        }
    }
    fn is_z(self) -> bool {
        matches!(self, Token::Word { keyword: Keyword::Zone(0), len: 1 })
    }
}

const KEYWORDS: [(&str, Keyword); 28] = [
    ("jan", Keyword::Month(1)),
    ("feb", Keyword::Month(2)),
    ("mar", Keyword::Month(3)),
    ("apr", Keyword::Month(4)),
    ("may", Keyword::Month(5)),
    ("jun", Keyword::Month(6)),
    ("jul", Keyword::Month(7)),
    ("aug", Keyword::Month(8)),
    ("sep", Keyword::Month(9)),
    ("oct", Keyword::Month(10)),
    ("nov", Keyword::Month(11)),
    ("dec", Keyword::Month(12)),
    ("am", Keyword::AmPm(0)),
    ("pm", Keyword::AmPm(12)),
    ("ut", Keyword::Zone(0)),
    ("utc", Keyword::Zone(0)),
    ("z", Keyword::Zone(0)),
    ("gmt", Keyword::Zone(0)),
    ("cdt", Keyword::Zone(-5)),
    ("cst", Keyword::Zone(-6)),
    ("edt", Keyword::Zone(-4)),
    ("est", Keyword::Zone(-5)),
    ("mdt", Keyword::Zone(-6)),
    ("mst", Keyword::Zone(-7)),
    ("pdt", Keyword::Zone(-7)),
    ("pst", Keyword::Zone(-8)),
    ("t", Keyword::TimeSeparator),
    ("", Keyword::Invalid),
];

fn keyword(prefix: [u32; 3], len: usize) -> Keyword {
    for (word, keyword) in KEYWORDS {
        let mut padded = [0u32; 3];
        for (slot, c) in padded.iter_mut().zip(word.chars()) {
            *slot = c as u32;
        }
        if !word.is_empty() && padded == prefix && (len <= 3 || matches!(keyword, Keyword::Month(_))) {
            return keyword;
        }
    }
    Keyword::Invalid
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    next: Token,
}

impl Scanner {
    fn new(s: &str) -> Scanner {
        let mut scanner = Scanner { chars: s.chars().collect(), at: 0, next: Token::End };
        scanner.next = scanner.scan();
        scanner
    }

    fn scan(&mut self) -> Token {
        let Some(&c) = self.chars.get(self.at) else { return Token::End };
        if c.is_ascii_digit() {
            let start = self.at;
            let mut value: i64 = 0;
            while let Some(d) = self.chars.get(self.at).and_then(|c| c.to_digit(10)) {
                if value < i64::from(i32::MAX / 10 - 10) {
                    value = value * 10 + i64::from(d);
                }
                self.at += 1;
            }
            return Token::Number { value, len: self.at - start };
        }
        if matches!(c, ':' | '-' | '+' | '.' | ')') {
            self.at += 1;
            return Token::Symbol(c);
        }
        if c >= 'A' && !is_js_space(c) {
            let mut prefix = [0u32; 3];
            let mut len = 0;
            while let Some(&c) = self.chars.get(self.at).filter(|&&c| c >= 'A' && !is_js_space(c)) {
                if len < 3 {
                    prefix[len] = c as u32 | 0x20;
                }
                len += 1;
                self.at += 1;
            }
            return Token::Word { keyword: keyword(prefix, len), len };
        }
        if is_js_space(c) {
            self.at += 1;
            return Token::Space;
        }
        if c == '(' {
            let mut balance = 0;
            loop {
                match self.chars.get(self.at) {
                    Some(')') => balance -= 1,
                    Some('(') => balance += 1,
                    _ => {}
                }
                self.at += 1;
                if balance <= 0 || self.at >= self.chars.len() {
                    break;
                }
            }
            return Token::Unknown;
        }
        self.at += 1;
        Token::Unknown
    }

    fn next(&mut self) -> Token {
        let token = self.next;
        self.next = self.scan();
        token
    }

    fn peek(&self) -> Token {
        self.next
    }

    fn skip(&mut self, symbol: char) -> bool {
        let found = self.next == Token::Symbol(symbol);
        if found {
            self.next();
        }
        found
    }
}

fn is_month(n: i64) -> bool {
    (1..=12).contains(&n)
}
fn is_day(n: i64) -> bool {
    (1..=31).contains(&n)
}
fn is_hour(n: i64) -> bool {
    (0..=23).contains(&n)
}
fn is_minute(n: i64) -> bool {
    (0..=59).contains(&n)
}

#[derive(Default)]
struct Day {
    comp: Vec<i64>,
    named_month: Option<i64>,
    iso: bool,
}

impl Day {
    fn add(&mut self, n: i64) -> bool {
        self.comp.len() < 3 && {
            self.comp.push(n);
            true
        }
    }

    fn write(&mut self) -> Option<(i64, i64, i64)> {
        if self.comp.is_empty() {
            return None;
        }
        self.comp.resize(3, 1);
        let c = &self.comp;
        let (mut year, month, day) = match self.named_month {
            None if self.iso || !is_day(c[0]) => (c[0], c[1], c[2]),
            None => (c[2], c[0], c[1]),
            Some(month) if !is_day(c[0]) => (c[0], month, c[1]),
            Some(month) => (c[1], month, c[0]),
        };
        if !self.iso {
            if (0..=49).contains(&year) {
                year += 2000;
            } else if (50..=99).contains(&year) {
                year += 1900;
            }
        }
        (year.abs() < 1 << 30 && is_month(month) && is_day(day)).then_some((year, month, day))
    }
}

#[derive(Default)]
struct Time {
    comp: Vec<i64>,
    hour_offset: Option<i64>,
}

impl Time {
    fn is_empty(&self) -> bool {
        self.comp.is_empty()
    }
    fn is_expecting(&self, n: i64) -> bool {
        match self.comp.len() {
            1 | 2 => is_minute(n),
            3 => (0..=999).contains(&n),
            _ => false,
        }
    }
    fn add(&mut self, n: i64) -> bool {
        self.comp.len() < 4 && {
            self.comp.push(n);
            true
        }
    }
    fn add_final(&mut self, n: i64) -> bool {
        if !self.add(n) {
            return false;
        }
        self.comp.resize(4, 0);
        true
    }
    fn write(&mut self) -> Option<i64> {
        self.comp.resize(4, 0);
        let (mut hour, minute, second, ms) = (self.comp[0], self.comp[1], self.comp[2], self.comp[3]);
        if let Some(offset) = self.hour_offset {
            if !(0..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + offset;
        }
        let fits = is_hour(hour) && is_minute(minute) && is_minute(second) && (0..=999).contains(&ms);
        if !fits && (hour != 24 || minute != 0 || second != 0 || ms != 0) {
            return None;
        }
        Some(((hour * 60 + minute) * 60 + second) * 1000 + ms)
    }
}

#[derive(Default)]
struct Zone {
    sign: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
}

impl Zone {
    fn set(&mut self, hours: i64) {
        self.sign = Some(if hours < 0 { -1 } else { 1 });
        self.hour = Some(hours.abs());
        self.minute = Some(0);
    }
    fn is_expecting(&self, n: i64) -> bool {
        self.hour.is_some() && self.minute.is_none() && is_minute(n)
    }
    fn is_utc(&self) -> bool {
        self.hour == Some(0) && self.minute == Some(0)
    }
    fn offset_ms(&self) -> i64 {
        self.sign.map_or(0, |s| s * (self.hour.unwrap_or(0) * 60 + self.minute.unwrap_or(0)) * 60_000)
    }
}

/// What V8's `ParseES5DateTime` leaves for the legacy parser.
fn es5(scanner: &mut Scanner, day: &mut Day, time: &mut Time, zone: &mut Zone) -> Token {
    if let Some(sign) = scanner.peek().sign() {
        let sign_token = scanner.next();
        let Some(year) = scanner.peek().number_of_len(6) else { return sign_token };
        if sign < 0 && year == 0 {
            return sign_token;
        }
        scanner.next();
        day.add(sign * year);
    } else if let Some(year) = scanner.peek().number_of_len(4) {
        scanner.next();
        day.add(year);
    } else {
        return scanner.next();
    }
    if scanner.skip('-') {
        match scanner.peek().number_of_len(2).filter(|&m| is_month(m)) {
            Some(month) => day.add(month),
            None => return scanner.next(),
        };
        scanner.next();
        if scanner.skip('-') {
            match scanner.peek().number_of_len(2).filter(|&d| is_day(d)) {
                Some(d) => day.add(d),
                None => return scanner.next(),
            };
            scanner.next();
        }
    }
    if !matches!(scanner.peek(), Token::Word { keyword: Keyword::TimeSeparator, .. }) {
        if scanner.peek() != Token::End {
            return scanner.next();
        }
    } else {
        scanner.next();
        let Some(hour) = scanner.peek().number_of_len(2).filter(|h| (0..=24).contains(h)) else { return Token::Invalid };
        let hour_is_24 = hour == 24;
        scanner.next();
        time.add(hour);
        if !scanner.skip(':') {
            return Token::Invalid;
        }
        let Some(minute) = scanner.peek().number_of_len(2).filter(|&m| is_minute(m) && !(hour_is_24 && m > 0)) else { return Token::Invalid };
        scanner.next();
        time.add(minute);
        if scanner.skip(':') {
            let Some(second) = scanner.peek().number_of_len(2).filter(|&s| is_minute(s) && !(hour_is_24 && s > 0)) else { return Token::Invalid };
            scanner.next();
            time.add(second);
            if scanner.skip('.') {
                match scanner.peek() {
                    Token::Number { value, .. } if !(hour_is_24 && value > 0) => {
                        scanner.next();
                        time.add(0);
                    }
                    _ => return Token::Invalid,
                }
            }
        }
        if scanner.peek().is_z() {
            scanner.next();
            zone.set(0);
        } else if let Some(sign) = scanner.peek().sign() {
            scanner.next();
            zone.sign = Some(sign);
            if let Some(hhmm) = scanner.peek().number_of_len(4) {
                scanner.next();
                if !is_hour(hhmm / 100) || !is_minute(hhmm % 100) {
                    return Token::Invalid;
                }
                zone.hour = Some(hhmm / 100);
                zone.minute = Some(hhmm % 100);
            } else {
                let Some(h) = scanner.peek().number_of_len(2).filter(|&h| is_hour(h)) else { return Token::Invalid };
                scanner.next();
                zone.hour = Some(h);
                if !scanner.skip(':') {
                    return Token::Invalid;
                }
                let Some(m) = scanner.peek().number_of_len(2).filter(|&m| is_minute(m)) else { return Token::Invalid };
                scanner.next();
                zone.minute = Some(m);
            }
        }
        if scanner.peek() != Token::End {
            return Token::Invalid;
        }
    }
    if zone.hour.is_none() && time.is_empty() {
        zone.set(0);
    }
    day.iso = true;
    Token::End
}

/// Whether `new Date(s)` is a valid date in V8.
pub(crate) fn v8_date_parses(s: &str) -> bool {
    let mut scanner = Scanner::new(s);
    let (mut day, mut time, mut zone) = (Day::default(), Time::default(), Zone::default());
    let mut token = es5(&mut scanner, &mut day, &mut time, &mut zone);
    if token == Token::Invalid {
        return false;
    }
    let mut has_read_number = !day.comp.is_empty();
    while token != Token::End {
        match token {
            Token::Number { value: n, .. } => {
                has_read_number = true;
                if scanner.skip(':') {
                    if scanner.skip(':') {
                        if !time.is_empty() {
                            return false;
                        }
                        time.add(n);
                        time.add(0);
                    } else {
                        if !time.add(n) {
                            return false;
                        }
                        if scanner.peek() == Token::Symbol('.') {
                            scanner.next();
                        }
                    }
                } else if scanner.skip('.') && time.is_expecting(n) {
                    time.add(n);
                    if !matches!(scanner.peek(), Token::Number { .. }) {
                        return false;
                    }
                    scanner.next();
                    time.add_final(0);
                } else if zone.is_expecting(n) {
                    zone.minute = Some(n);
                } else if time.is_expecting(n) {
                    time.add_final(n);
                    let peek = scanner.peek();
                    if !matches!(peek, Token::End | Token::Space) && !peek.is_z() && peek.sign().is_none() {
                        return false;
                    }
                } else {
                    if !day.add(n) {
                        return false;
                    }
                    scanner.skip('-');
                }
            }
            Token::Word { keyword, .. } => match keyword {
                Keyword::AmPm(offset) if !time.is_empty() => time.hour_offset = Some(offset),
                Keyword::Month(m) => {
                    day.named_month = Some(m);
                    scanner.skip('-');
                }
                Keyword::Zone(hours) if has_read_number => zone.set(hours),
                _ => {
                    if has_read_number || matches!(scanner.peek(), Token::Number { .. }) {
                        return false;
                    }
                }
            },
            Token::Symbol(c @ ('+' | '-')) if zone.is_utc() || !time.is_empty() => {
                zone.sign = Some(if c == '+' { 1 } else { -1 });
                let (mut n, mut len) = (0, 0);
                if let Token::Number { value, len: l } = scanner.peek() {
                    scanner.next();
                    (n, len) = (value, l);
                }
                has_read_number = true;
                if scanner.peek() == Token::Symbol(':') {
                    zone.hour = Some(n);
                    zone.minute = None;
                } else if len == 1 || len == 2 {
                    zone.hour = Some(n);
                    zone.minute = Some(0);
                } else if len == 3 || len == 4 {
                    zone.hour = Some(n / 100);
                    zone.minute = Some(n % 100);
                } else {
                    return false;
                }
            }
            Token::Symbol('+' | '-' | ')') if has_read_number => return false,
            _ => {}
        }
        token = scanner.next();
    }
    let (Some((year, month, d)), Some(ms)) = (day.write(), time.write()) else { return false };
    let value = days_from_civil(year, month, d) as f64 * 86_400_000.0 + ms as f64 - zone.offset_ms() as f64;
    value.abs() <= MAX_TIME
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the day may run past the month's end).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + day - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_like_strings() {
        for s in [
            "2022-11-24T22:56:14.144Z",
            "2023-03-21T12:00:00",
            "2023-03-21",
            "2023-03-21 12:00",
            "2023/03/21",
            "1679407797",
            "1679407797000",
            "March 21, 2023",
            "Tue, 21 Mar 2023 12:00:00 GMT",
            "3/21/2023",
            "21 March 2023 10:00 PM",
            "2023-03-21T12:00:00+01:00",
            "foo 1",
            "Mar 2023",
        ] {
            assert!(is_date_like(s), "{s}");
        }
        for s in ["yesterday", "Course Enrolled", "", "NaN", "2023-03-21T25:00:00Z", "2023-03-21T12:00:00 GMT", "13/45/2023", "1e400", "March"] {
            assert!(!is_date_like(s), "{s}");
        }
    }

    #[test]
    fn dayjs_pattern() {
        assert!(matches_dayjs_pattern("2023"));
        assert!(matches_dayjs_pattern("20230321"));
        assert!(matches_dayjs_pattern("2023-03-21T12:00:00.000"));
        assert!(!matches_dayjs_pattern("2023-03-21T12:00:00.000Z"));
        assert!(!matches_dayjs_pattern("23-03-21"));
    }

    #[test]
    fn civil_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2023, 2, 31), days_from_civil(2023, 3, 3));
    }
}
