//! `receivedAt` stamps (RFC 3339, UTC, milliseconds) and reading the times queries give.

use std::time::{SystemTime, UNIX_EPOCH};

/// `time` as RFC 3339 in UTC with milliseconds, the form the pipeline stamps `receivedAt` in.
/// Strings of this form sort as the times do.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let time = UNIX_EPOCH + Duration::from_millis(1_796_549_400_123);
/// assert_eq!(cdpspec::intake::rfc3339_millis(time), "2026-12-06T09:30:00.123Z");
/// ```
pub fn rfc3339_millis(time: SystemTime) -> String {
    let millis = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let (days, ms) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{frac:03}Z")
}

/// Milliseconds since the Unix epoch of an RFC 3339 time (`2026-12-06T09:30:00Z`, any fraction,
/// any offset), a date (`2026-12-06`, its midnight UTC), or a number of milliseconds.
///
/// ```
/// use cdpspec::intake::parse_millis;
///
/// assert_eq!(parse_millis("2026-12-06T09:30:00.123Z"), Some(1_796_549_400_123));
/// assert_eq!(parse_millis("2026-12-06T10:30:00.123+01:00"), Some(1_796_549_400_123));
/// assert_eq!(parse_millis("1796549400123"), Some(1_796_549_400_123));
/// assert_eq!(parse_millis("2026-12-06"), Some(1_796_515_200_000));
/// assert_eq!(parse_millis("yesterday"), None);
/// ```
pub fn parse_millis(text: &str) -> Option<i64> {
    let s = text.trim();
    if !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if part.iter().all(u8::is_ascii_digit) { std::str::from_utf8(part).ok()?.parse().ok() } else { None }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    if b.len() == 10 {
        return Some(days * 86_400_000);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, min, sec) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if h > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut at = 19;
    let mut millis = 0;
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let frac = &s[at + 1..at + 1 + digits.min(3)];
        millis = frac.parse::<i64>().ok()? * 10_i64.pow(3 - frac.len() as u32);
        at += 1 + digits;
    }
    let offset = match &b[at..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == at + 6 && b[at + 3] == b':' => {
            let minutes = num(at + 1, 2)? * 60 + num(at + 4, 2)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    Some(days * 86_400_000 + ((h * 60 + min - offset) * 60 + sec) * 1000 + millis)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn stamps_read_back_to_the_same_millisecond() {
        for millis in [0_i64, 951_782_400_000, 1_796_549_400_123, 4_102_444_799_999, 1_709_164_800_001] {
            let stamp = rfc3339_millis(UNIX_EPOCH + Duration::from_millis(millis as u64));
            assert_eq!(parse_millis(&stamp), Some(millis), "{stamp}");
        }
        assert_eq!(rfc3339_millis(UNIX_EPOCH + Duration::from_millis(951_782_400_000)), "2000-02-29T00:00:00.000Z");
    }
}
