//! Classifies date strings the way destinations read them: RFC 3339 is read everywhere;
//! ISO-8601 without a zone, dates without a time and a space instead of `T` are read but
//! ambiguous; anything else is unreadable.

/// How readable a date string is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateQuality {
    /// RFC 3339 with a zone: `2026-11-28T18:02:43.022Z`, `...+00:00`.
    Rfc3339,
    /// A date-time without a zone (`2023-03-21T12:00:00`): read as UTC by some destinations,
    /// local time by others.
    NoZone,
    /// A date without a time (`2023-03-21`).
    DateOnly,
    /// Readable but not RFC 3339 in another way: a space instead of `T`, or an offset without a
    /// colon (`+0000`).
    Loose,
    /// Unix seconds or milliseconds as a string of digits (`"1679407797"`).
    UnixDigits,
    /// Not a date.
    Unreadable,
}

/// Classifies `s`.
pub fn classify(s: &str) -> DateQuality {
    let b = s.as_bytes();
    if !b.is_empty() && b.len() <= 13 && b.iter().all(u8::is_ascii_digit) {
        return DateQuality::UnixDigits;
    }
    let Some(rest) = date(b) else { return DateQuality::Unreadable };
    if rest.is_empty() {
        return DateQuality::DateOnly;
    }
    let (separator_ok, rest) = match rest[0] {
        b'T' | b't' => (true, &rest[1..]),
        b' ' => (false, &rest[1..]),
        _ => return DateQuality::Unreadable,
    };
    let Some(rest) = time(rest) else { return DateQuality::Unreadable };
    let quality = match zone(rest) {
        Some(Zone::Rfc) => DateQuality::Rfc3339,
        Some(Zone::NoColon) => DateQuality::Loose,
        Some(Zone::Missing) => DateQuality::NoZone,
        None => return DateQuality::Unreadable,
    };
    if !separator_ok && quality == DateQuality::Rfc3339 { DateQuality::Loose } else { quality }
}

/// The RFC 3339 form of a readable but ambiguous date string, keeping its meaning as
/// destinations read it: `T` between date and time, `Z` where no zone was given, a colon in
/// the offset, midnight for a date alone. `None` when `s` is already RFC 3339 or is not a date.
/// Every suggestion classifies as [`DateQuality::Rfc3339`].
pub fn to_rfc3339(s: &str) -> Option<String> {
    let fixed = match classify(s) {
        DateQuality::NoZone | DateQuality::Loose => {
            let (date, rest) = s.split_at(10);
            let rest = &rest[1..];
            let zone_at = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
            let (time, zone) = rest.split_at(zone_at);
            let zone = match zone.as_bytes() {
                [] | [b'Z' | b'z'] => "Z".to_string(),
                [_, _, _, _, _] => format!("{}:{}", &zone[..3], &zone[3..]),
                _ => zone.to_string(),
            };
            format!("{date}T{time}{zone}")
        }
        DateQuality::DateOnly => format!("{s}T00:00:00Z"),
        DateQuality::Rfc3339 | DateQuality::UnixDigits | DateQuality::Unreadable => return None,
    };
    (classify(&fixed) == DateQuality::Rfc3339).then_some(fixed)
}

fn digits(b: &[u8], n: usize) -> Option<u32> {
    let d = b.get(..n)?;
    d.iter().all(u8::is_ascii_digit).then(|| d.iter().fold(0, |acc, c| acc * 10 + u32::from(c - b'0')))
}

/// `YYYY-MM-DD` with a real day of the month; returns the rest.
fn date(b: &[u8]) -> Option<&[u8]> {
    let year = digits(b, 4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = digits(&b[5..], 2)?;
    let day = digits(&b[8..], 2)?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&day).then(|| &b[10..])
}

/// `hh:mm:ss[.frac]`; returns the rest.
fn time(b: &[u8]) -> Option<&[u8]> {
    let (h, m, s) = (digits(b, 2)?, digits(b.get(3..)?, 2)?, digits(b.get(6..)?, 2)?);
    if b[2] != b':' || b[5] != b':' || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let mut rest = &b[8..];
    if rest.first() == Some(&b'.') {
        let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &rest[1 + n..];
    }
    Some(rest)
}

enum Zone {
    Rfc,
    NoColon,
    Missing,
}

fn zone(b: &[u8]) -> Option<Zone> {
    match b {
        [] => Some(Zone::Missing),
        [b'Z' | b'z'] => Some(Zone::Rfc),
        [b'+' | b'-', rest @ ..] => {
            let h = digits(rest, 2)?;
            let (m, zone) = match rest.len() {
                5 if rest[2] == b':' => (digits(&rest[3..], 2)?, Zone::Rfc),
                4 => (digits(&rest[2..], 2)?, Zone::NoColon),
                _ => return None,
            };
            (h <= 23 && m <= 59).then_some(zone)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{DateQuality::*, classify, to_rfc3339};

    #[test]
    fn ambiguous_dates_get_an_rfc3339_suggestion_that_passes() {
        for (s, fixed) in [
            ("2024-03-10 12:00:00", "2024-03-10T12:00:00Z"),
            ("2024-03-10T12:00:00", "2024-03-10T12:00:00Z"),
            ("2024-03-10 12:00:00Z", "2024-03-10T12:00:00Z"),
            ("2024-03-10t12:00:00.5", "2024-03-10T12:00:00.5Z"),
            ("2024-03-10T12:00:00+0530", "2024-03-10T12:00:00+05:30"),
            ("2024-03-10 12:00:00-0700", "2024-03-10T12:00:00-07:00"),
            ("2024-03-10 12:00:00+07:00", "2024-03-10T12:00:00+07:00"),
            ("2024-03-10", "2024-03-10T00:00:00Z"),
        ] {
            assert_eq!(to_rfc3339(s).as_deref(), Some(fixed), "{s}");
            assert_eq!(classify(fixed), Rfc3339, "{fixed}");
        }
        for s in ["2024-03-10T12:00:00Z", "1679407797", "yesterday", "2024-03-10 25:00:00"] {
            assert_eq!(to_rfc3339(s), None, "{s}");
        }
    }

    #[test]
    fn what_real_sdks_send_is_rfc3339() {
        for s in [
            "2026-11-28T18:02:43.022Z",
            "2026-11-28T18:02:42.814+00:00",
            "2026-11-28T18:02:42.814123+00:00",
            "2024-02-29T00:00:00-07:30",
            "2026-11-28T18:02:43Z",
        ] {
            assert_eq!(classify(s), Rfc3339, "{s}");
        }
    }

    #[test]
    fn ambiguous_dates_are_told_apart() {
        assert_eq!(classify("2023-03-21T12:00:00"), NoZone);
        assert_eq!(classify("2023-03-21T12:00:00.123456"), NoZone);
        assert_eq!(classify("2023-03-21"), DateOnly);
        assert_eq!(classify("2023-03-21 12:00:00Z"), Loose);
        assert_eq!(classify("2023-03-21T12:00:00+0000"), Loose);
        assert_eq!(classify("1679407797"), UnixDigits);
    }

    #[test]
    fn garbage_is_unreadable() {
        for s in [
            "yesterday",
            "",
            "2023-02-29T00:00:00Z",
            "2023-13-01",
            "2023-03-21T25:00:00Z",
            "2023-03-21T12:00:00.Z",
            "2023-03-21T12:00Z",
            "21/03/2023",
            "2023-03-21T12:00:00+25:00",
            "12345678901234",
        ] {
            assert_eq!(classify(s), Unreadable, "{s}");
        }
    }
}
