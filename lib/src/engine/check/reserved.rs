//! Reserved traits and properties beyond what the schema types: the snake_case spellings the
//! spec also accepts (`first_name`, `created_at`), date traits that are not dates, emails that
//! are not email addresses, and `currency` codes that are not ISO 4217.

use serde_json::{Map, Value};

use super::{RulesOn, json_type, preview};
use crate::diagnostic::Finding;
use crate::fast::json::{Json, Kind};
use crate::rule::Rule;
use crate::timestamp::{DateQuality, classify};
use crate::{CallType, Pointer};

/// snake_case spellings of reserved traits: (key, is a date).
const SNAKE_TRAITS: [(&str, bool); 3] = [("first_name", false), ("last_name", false), ("created_at", true)];
/// camelCase date traits the schema types as string-or-number.
const DATE_TRAITS: [&str; 2] = ["createdAt", "birthday"];

/// Precise form: findings for the reserved traits and properties of `map`, a `call` call found
/// at `pointer`.
pub(super) fn check(map: &Map<String, Value>, pointer: &Pointer, call: CallType, out: &mut Vec<Finding>) {
    if let Some(Value::String(email)) = map.get("email") {
        check_email(email, &pointer.join("email"), out);
    }
    if matches!(call, CallType::Identify | CallType::Group)
        && let Some(Value::Object(traits)) = map.get("traits")
    {
        check_traits(traits, &pointer.join("traits"), out);
    }
    if let Some(Value::Object(traits)) = map.get("context").and_then(|c| c.get("traits")) {
        check_traits(traits, &pointer.join("context").join("traits"), out);
    }
    if call == CallType::Track
        && let Some(Value::String(currency)) = map.get("properties").and_then(|p| p.get("currency"))
    {
        check_currency(currency, &pointer.join("properties").join("currency"), out);
    }
}

/// Fast form of [`check`], for one member (`key`, `value`) of a `call` call: whether it gets no
/// finding under the rules `on`. Only `email`, `traits`, `context` and `properties` can.
#[inline]
pub(crate) fn member_passes<V: Json>(key: &str, value: V, call: CallType, on: RulesOn) -> bool {
    match key {
        "email" => value.as_str().is_none_or(|email| email_passes(email, on)),
        "traits" if matches!(call, CallType::Identify | CallType::Group) => traits_pass(value, on),
        "context" => value.members().all(|(k, traits)| k != "traits" || traits_pass(traits, on)),
        "properties" if call == CallType::Track => value.members().all(|(k, currency)| k != "currency" || currency_passes(currency, on)),
        _ => true,
    }
}

fn check_traits(traits: &Map<String, Value>, pointer: &Pointer, out: &mut Vec<Finding>) {
    if let Some(Value::String(email)) = traits.get("email") {
        check_email(email, &pointer.join("email"), out);
    }
    for (key, is_date) in SNAKE_TRAITS {
        let Some(value) = traits.get(key) else { continue };
        let ok = match value {
            Value::Null | Value::String(_) => true,
            Value::Number(_) => is_date,
            _ => false,
        };
        if !ok {
            let expected = if is_date { "a date string or unix seconds" } else { "a string" };
            out.push(Finding::new(
                Rule::ReservedType,
                pointer.join(key),
                format!("reserved trait `{key}` must be {expected}, got {} {}", json_type(value), preview(value)),
            ));
        }
    }
    for key in DATE_TRAITS.iter().chain(std::iter::once(&"created_at")) {
        if let Some(Value::String(s)) = traits.get(*key) {
            check_date_trait(s, &pointer.join(key), key, out);
        }
    }
}

/// Fast form of [`check_traits`], for a trait object (`traits`, or `context.traits`): whether
/// it gets no finding under the rules `on`.
#[inline]
fn traits_pass<V: Json>(traits: V, on: RulesOn) -> bool {
    traits.members().all(|(key, value)| match key {
        "email" => value.as_str().is_none_or(|email| email_passes(email, on)),
        "first_name" | "last_name" => matches!(value.kind(), Kind::Null | Kind::String) || !on.has(Rule::ReservedType),
        "created_at" => (matches!(value.kind(), Kind::Null | Kind::String | Kind::Number) || !on.has(Rule::ReservedType)) && date_trait_passes(value, on),
        "createdAt" | "birthday" => date_trait_passes(value, on),
        _ => true,
    })
}

fn check_date_trait(s: &str, pointer: &Pointer, key: &str, out: &mut Vec<Finding>) {
    match classify(s) {
        DateQuality::Rfc3339 | DateQuality::DateOnly | DateQuality::UnixDigits => {}
        DateQuality::NoZone | DateQuality::Loose => {
            let finding = Finding::new(
                Rule::TimestampNotRfc3339,
                pointer,
                format!("date trait `{key}` \"{s}\" has no time zone or is not RFC 3339; destinations may read it as local time"),
            );
            out.push(match crate::timestamp::to_rfc3339(s) {
                Some(fixed) => finding.suggest(fixed),
                None => finding,
            });
        }
        DateQuality::Unreadable => out.push(Finding::new(
            Rule::InvalidDateTrait,
            pointer,
            format!("date trait `{key}` \"{s}\" is not a date; destinations store it as text: send an ISO-8601 date-time or unix seconds"),
        )),
    }
}

/// Fast form of [`check_date_trait`], for the value of a date trait.
#[inline]
fn date_trait_passes<V: Json>(value: V, on: RulesOn) -> bool {
    let Some(s) = value.as_str() else { return true };
    match classify(s) {
        DateQuality::Rfc3339 | DateQuality::DateOnly | DateQuality::UnixDigits => true,
        DateQuality::NoZone | DateQuality::Loose => !on.has(Rule::TimestampNotRfc3339),
        DateQuality::Unreadable => !on.has(Rule::InvalidDateTrait),
    }
}

/// Something `@` something, without spaces: loose on purpose (destinations validate further),
/// but enough to catch names, ids and placeholders sent as emails. Empty means "no email".
fn email_ok(email: &str) -> bool {
    let shaped = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@')
    });
    email.is_empty() || (shaped && !email.contains(char::is_whitespace))
}

fn check_email(email: &str, pointer: &Pointer, out: &mut Vec<Finding>) {
    if email_ok(email) {
        return;
    }
    out.push(Finding::new(
        Rule::InvalidEmail,
        pointer,
        format!("`email` \"{email}\" is not an email address; destinations that identify or message people by email will reject it"),
    ));
}

/// Fast form of [`check_email`]: whether `email` (a call's or a trait's) gets no finding under
/// the rules `on`.
#[inline]
fn email_passes(email: &str, on: RulesOn) -> bool {
    email_ok(email) || !on.has(Rule::InvalidEmail)
}

/// An ISO 4217 code: three upper-case letters.
fn currency_ok(currency: &str) -> bool {
    currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase())
}

fn check_currency(currency: &str, pointer: &Pointer, out: &mut Vec<Finding>) {
    if currency_ok(currency) {
        return;
    }
    let mut finding = Finding::new(
        Rule::InvalidCurrency,
        pointer,
        format!("`currency` \"{currency}\" is not an ISO 4217 code such as `USD`; revenue reports may drop or misconvert it"),
    );
    if currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_alphabetic()) {
        finding = finding.suggest(currency.to_ascii_uppercase());
    }
    out.push(finding);
}

/// Fast form of [`check_currency`], for the value of a track call's `properties.currency`.
#[inline]
fn currency_passes<V: Json>(value: V, on: RulesOn) -> bool {
    value.as_str().is_none_or(|c| currency_ok(c) || !on.has(Rule::InvalidCurrency))
}
