//! How often, and when first and last, calls of one kind were seen: the description an
//! inferred rule carries.

use serde_json::Value;

use super::shape::Shape;

/// The calls of one kind (an event, a page name, identify...): their count, the earliest and
/// latest timestamps, and the shape of the section they carry.
#[derive(Debug, Default)]
pub(crate) struct Seen {
    pub(crate) calls: u64,
    first: Option<(i128, String)>,
    last: Option<(i128, String)>,
    pub(crate) section: Shape,
    /// Calls without the section: the plan validator reads them as carrying an empty one.
    without_section: u64,
}

impl Seen {
    /// Notes one call, and its `section` (`properties` or `traits`) when it has one.
    pub(crate) fn add(&mut self, call: &Value, section: Option<&Value>, enum_threshold: usize) {
        self.calls += 1;
        match section {
            Some(section) => self.section.add(section, enum_threshold),
            None => self.without_section += 1,
        }
        let stamp = ["timestamp", "originalTimestamp", "sentAt", "receivedAt"].iter().find_map(|k| call.get(*k).and_then(Value::as_str));
        if let Some((key, text)) = stamp.and_then(|s| instant(s).map(|k| (k, s))) {
            if self.first.as_ref().is_none_or(|(k, _)| key < *k) {
                self.first = Some((key, text.to_owned()));
            }
            if self.last.as_ref().is_none_or(|(k, _)| key > *k) {
                self.last = Some((key, text.to_owned()));
            }
        }
    }

    /// Whether the section may require members: every call carried it.
    pub(crate) fn always_sent(&self) -> bool {
        self.without_section == 0
    }

    /// `Seen in 12 calls, first 2024-06-01T10:00:00Z, last 2024-06-03T08:12:45Z.`
    pub(crate) fn description(&self) -> String {
        let calls = crate::words::plural(usize::try_from(self.calls).unwrap_or(usize::MAX), "call");
        match (&self.first, &self.last) {
            (Some((_, first)), Some((_, last))) => format!("Seen in {calls}, first {first}, last {last}."),
            _ => format!("Seen in {calls}."),
        }
    }
}

/// An RFC 3339 timestamp as nanoseconds since 0000-03-01 (an order, not a calendar), `None`
/// for anything else.
fn instant(s: &str) -> Option<i128> {
    if crate::timestamp::classify(s) != crate::timestamp::DateQuality::Rfc3339 {
        return None;
    }
    let b = s.as_bytes();
    let num = |from: usize, to: usize| -> Option<i128> { s.get(from..to)?.parse().ok() };
    let (year, month, day) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hour, minute, second) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    let mut at = 19;
    let mut nanos: i128 = 0;
    if b.get(at) == Some(&b'.') {
        let digits = s[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
        let fraction = &s[at + 1..at + 1 + digits.min(9)];
        nanos = format!("{fraction:0<9}").parse().ok()?;
        at += 1 + digits;
    }
    let offset = match b.get(at) {
        Some(b'Z' | b'z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let minutes = num(at + 1, at + 3)? * 60 + num(at + 4, at + 6)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    // Days from a civil date (Howard Hinnant's algorithm, years from March).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let days = y * 365 + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + (153 * m + 2) / 5 + day - 1;
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60;
    Some(seconds * 1_000_000_000 + nanos)
}

#[cfg(test)]
mod tests {
    use super::instant;

    #[test]
    fn instants_order_across_offsets() {
        assert!(instant("2024-06-01T10:00:00+02:00") < instant("2024-06-01T09:00:00Z"));
        assert!(instant("2024-02-29T23:59:59.999Z") < instant("2024-03-01T00:00:00Z"));
        assert!(instant("2023-12-31T23:59:59Z") < instant("2024-01-01T00:00:00.1Z"));
        assert_eq!(instant("yesterday"), None);
    }
}
