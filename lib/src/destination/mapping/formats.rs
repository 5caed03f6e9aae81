//! String formats of ajv-formats that fields declare (`uri`, `date-time`, `date`, `email`).
//! Other format names are accepted as valid.

/// Whether `s` is valid in the named format.
pub(crate) fn check(format: &str, s: &str) -> bool {
    match format {
        "uri" => is_uri(s),
        "date-time" => is_date_time(s),
        "date" => is_date(s),
        "email" => is_email(s),
        _ => true,
    }
}

/// An absolute URI: a scheme, `:`, then only characters URIs allow (percent escapes included).
fn is_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else { return false };
    let mut scheme_chars = scheme.chars();
    if !scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic()) || !scheme_chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) {
        return false;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?#[]".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

fn digits(s: &str) -> Option<u32> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `YYYY-MM-DD`, a real day.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return false };
    let (Some(year), Some(month), Some(day)) = (digits(y).filter(|_| y.len() == 4), digits(m).filter(|_| m.len() == 2), digits(d).filter(|_| d.len() == 2))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `date-time` with a required offset (ajv-formats' full mode).
fn is_date_time(s: &str) -> bool {
    let Some(sep) = s.find(['T', 't', ' ']) else { return false };
    let (date, time) = (&s[..sep], &s[sep + 1..]);
    if !is_date(date) {
        return false;
    }
    let (clock, zone) = match time.find(['Z', 'z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => return false,
    };
    let zone_ok = zone.eq_ignore_ascii_case("z") || {
        let z = &zone[1..];
        let (h, m) = z.split_once(':').unwrap_or(if z.len() == 4 { z.split_at(2) } else { (z, "00") });
        h.len() == 2 && m.len() == 2 && digits(h).is_some_and(|h| h <= 23) && digits(m).is_some_and(|m| m <= 59)
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
    let parts: Vec<&str> = hms.split(':').collect();
    let [h, m, sec] = parts.as_slice() else { return false };
    let numbers = [h, m, sec].map(|p| digits(p).filter(|_| p.len() == 2));
    let [Some(h), Some(m), Some(sec)] = numbers else { return false };
    zone_ok && digits(fraction).is_some() && ((h <= 23 && m <= 59 && sec <= 59) || (h == 23 && m == 59 && sec == 60))
}

/// ajv-formats' full `email`.
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else { return false };
    let atom = |a: &str| !a.is_empty() && a.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c));
    let label = |l: &str| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !l.starts_with('-') && !l.ends_with('-');
    local.split('.').all(atom) && domain.contains('.') && domain.split('.').all(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(check("uri", "https://www.example.com/a?b=c#d"));
        assert!(check("uri", "mailto:a@b.c"));
        assert!(!check("uri", "www.example.com"));
        assert!(!check("uri", "https://exa mple.com"));
        assert!(check("date-time", "2022-11-24T22:56:14.144Z"));
        assert!(check("date-time", "2022-11-24 22:56:14+01:00"));
        assert!(!check("date-time", "2022-11-24T22:56:14"));
        assert!(!check("date-time", "2022-02-30T22:56:14Z"));
        assert!(check("email", "cool.person@example.com"));
        assert!(!check("email", "cool person@example.com"));
        assert!(check("date", "2024-02-29"));
        assert!(!check("date", "2023-02-29"));
        assert!(check("hostname", "anything"));
    }
}
