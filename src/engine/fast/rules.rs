//! The rules of `check`, asked in boolean form: "would this document get any diagnostic?".
//! Each mirrors its module in `src/check/` (which stays the reference and the only source of
//! messages); a `false` here sends the document to the precise path, so the answer may err
//! towards "yes" (duplicate keys: every occurrence is checked, where the parser keeps the last)
//! but never towards "no". `tests/differential.rs` holds the two to the same verdicts.

use std::sync::LazyLock;

use super::json::{Json, Kind};
use super::validators;
use crate::CallType;
use crate::check::Options;
use crate::check::limits::Limits;
use crate::rule::Rule;
use crate::schema;
use crate::suggest::fold;
use crate::timestamp::{DateQuality, classify};

/// A call type's top-level fields: those spelled as their own folded form maps back to them
/// (`check/fields.rs` cannot report them), by length, and the folded map itself.
struct Fields {
    exact: Vec<Vec<String>>,
    folded: Vec<(String, String)>,
}

impl Fields {
    #[inline]
    fn is_exact(&self, key: &str) -> bool {
        self.exact.get(key.len()).is_some_and(|names| names.iter().any(|f| f == key))
    }
}

static FIELDS: LazyLock<Vec<Fields>> = LazyLock::new(|| {
    CallType::ALL
        .iter()
        .map(|t| {
            let schema = schema::load(&format!("{}.schema.json", t.as_str()));
            let keys: Vec<String> = schema["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
            // As `check/fields.rs` builds its map: a later key with the same folded form wins.
            let mut folded: Vec<(String, String)> = Vec::new();
            for key in &keys {
                let f = fold(key);
                match folded.iter_mut().find(|(k, _)| *k == f) {
                    Some(entry) => entry.1 = key.clone(),
                    None => folded.push((f, key.clone())),
                }
            }
            let mut exact: Vec<Vec<String>> = Vec::new();
            for key in keys.iter().filter(|k| folded.iter().any(|(f, field)| field == *k && *f == fold(k))) {
                if exact.len() <= key.len() {
                    exact.resize(key.len() + 1, Vec::new());
                }
                exact[key.len()].push(key.clone());
            }
            Fields { exact, folded }
        })
        .collect()
});

// One bit per rule in `Rules::enabled`.
const _: () = assert!(Rule::ALL.len() <= 64);

/// The boolean form of `check::check_document` under one set of options.
pub(super) struct Rules {
    /// Bit `rule as usize` is set when the rule is not off.
    enabled: u64,
    default_type: Option<CallType>,
    limits: Limits,
}

impl Rules {
    /// `None` when the options need the precise path for every document (a tracking plan).
    pub(super) fn new(options: &Options) -> Option<Rules> {
        if options.plan.is_some() {
            return None;
        }
        let enabled = Rule::ALL.iter().filter(|r| options.severities.of(**r).is_some()).fold(0u64, |bits, r| bits | 1 << (*r as usize));
        Some(Rules { enabled, default_type: options.default_type, limits: options.limits })
    }

    #[inline]
    fn on(&self, rule: Rule) -> bool {
        self.enabled & (1 << (rule as usize)) != 0
    }

    /// The number of calls in `doc` (`raw_len` bytes in the source, with `duplicate_keys`
    /// somewhere or not) when no rule would report anything, `None` when one might.
    pub(super) fn clean_calls<V: Json>(&self, doc: V, raw_len: usize, duplicate_keys: bool) -> Option<usize> {
        if raw_len > self.limits.unmeasured_bytes() || (duplicate_keys && self.on(Rule::DuplicateKey)) {
            return None;
        }
        match doc.kind() {
            Kind::Object if doc.members().any(|(k, _)| k == "batch") => self.batch(doc),
            Kind::Array => {
                let mut calls = 0;
                for item in doc.elements() {
                    if !self.call(item, self.default_type) {
                        return None;
                    }
                    calls += 1;
                }
                Some(calls)
            }
            _ => self.call(doc, self.default_type).then_some(1),
        }
    }

    fn batch<V: Json>(&self, doc: V) -> Option<usize> {
        if !validators::batch_envelope(doc) {
            return None;
        }
        let mut items = None;
        for (key, value) in doc.members() {
            match key {
                "sentAt" | "timestamp" if !self.timestamp_ok(value) => return None,
                // The parser keeps the last `batch`: do not guess which.
                "batch" if items.is_some() => return None,
                "batch" => items = Some(value),
                _ => {}
            }
        }
        let items = items?;
        let mut calls = 0;
        for item in items.elements() {
            // Inside a batch no endpoint implies the type.
            if !self.call(item, None) {
                return None;
            }
            calls += 1;
        }
        if calls > self.limits.batch_calls && self.on(Rule::BatchTooManyCalls) {
            return None;
        }
        Some(calls)
    }

    /// Whether the call `v` gets no finding at all.
    fn call<V: Json>(&self, v: V, default_type: Option<CallType>) -> bool {
        if v.kind() != Kind::Object {
            return false;
        }
        let Some(call) = self.call_type(v, default_type) else { return false };
        if !validators::call(call, v) {
            return false;
        }
        let fields = &FIELDS[call as usize];
        for (key, value) in v.members() {
            let ok = match key {
                "messageId" => self.message_id_ok(value),
                "timestamp" | "originalTimestamp" | "sentAt" | "receivedAt" => self.timestamp_ok(value),
                "userId" | "anonymousId" | "groupId" | "previousId" => self.identifier_ok(key, value, call),
                "email" => value.as_str().is_none_or(|email| self.email_ok(email)),
                "traits" if matches!(call, CallType::Identify | CallType::Group) => self.traits_ok(value),
                "context" => value.members().all(|(k, traits)| k != "traits" || self.traits_ok(traits)),
                "properties" if call == CallType::Track => value.members().all(|(k, currency)| k != "currency" || self.currency_ok(currency)),
                _ => true,
            };
            if !ok || !self.field_ok(key, v, fields) {
                return false;
            }
        }
        true
    }

    /// `check::call_type`: the one `type`, or the default.
    fn call_type<V: Json>(&self, v: V, default_type: Option<CallType>) -> Option<CallType> {
        let mut types = v.members().filter(|(k, _)| *k == "type");
        match (types.next(), types.next()) {
            (None, _) => default_type,
            (Some((_, t)), None) => t.as_str()?.parse().ok(),
            (Some(_), Some(_)) => None,
        }
    }

    /// `check/limits.rs`.
    fn message_id_ok<V: Json>(&self, value: V) -> bool {
        let max = self.limits.message_id_chars;
        value.as_str().is_none_or(|id| id.len() < max || id.chars().count() < max || !self.on(Rule::MessageIdTooLong))
    }

    /// `check/timestamps.rs`.
    fn timestamp_ok<V: Json>(&self, value: V) -> bool {
        let Some(s) = value.as_str() else { return true };
        match classify(s) {
            DateQuality::Rfc3339 => true,
            DateQuality::NoZone | DateQuality::DateOnly | DateQuality::Loose => !self.on(Rule::TimestampNotRfc3339),
            DateQuality::UnixDigits | DateQuality::Unreadable => !self.on(Rule::InvalidTimestamp),
        }
    }

    /// `check/identifiers.rs`.
    fn identifier_ok<V: Json>(&self, field: &str, value: V, call: CallType) -> bool {
        match value.kind() {
            Kind::Number => !self.on(Rule::NumericIdentifier),
            Kind::String => {
                let blank = value.as_str().is_some_and(|s| s.trim().is_empty());
                let checked = matches!(field, "userId" | "anonymousId") && !(call == CallType::Alias && field == "userId");
                !(blank && checked && self.on(Rule::EmptyIdentifier))
            }
            _ => true,
        }
    }

    /// `check/reserved.rs`: a trait object.
    fn traits_ok<V: Json>(&self, traits: V) -> bool {
        traits.members().all(|(key, value)| match key {
            "email" => value.as_str().is_none_or(|email| self.email_ok(email)),
            "first_name" | "last_name" => matches!(value.kind(), Kind::Null | Kind::String) || !self.on(Rule::ReservedType),
            "created_at" => (matches!(value.kind(), Kind::Null | Kind::String | Kind::Number) || !self.on(Rule::ReservedType)) && self.date_trait_ok(value),
            "createdAt" | "birthday" => self.date_trait_ok(value),
            _ => true,
        })
    }

    fn date_trait_ok<V: Json>(&self, value: V) -> bool {
        let Some(s) = value.as_str() else { return true };
        match classify(s) {
            DateQuality::Rfc3339 | DateQuality::DateOnly | DateQuality::UnixDigits => true,
            DateQuality::NoZone | DateQuality::Loose => !self.on(Rule::TimestampNotRfc3339),
            DateQuality::Unreadable => !self.on(Rule::InvalidDateTrait),
        }
    }

    fn email_ok(&self, email: &str) -> bool {
        let shaped = email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@')
        });
        email.is_empty() || (shaped && !email.contains(char::is_whitespace)) || !self.on(Rule::InvalidEmail)
    }

    fn currency_ok<V: Json>(&self, value: V) -> bool {
        value.as_str().is_none_or(|c| (c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())) || !self.on(Rule::InvalidCurrency))
    }

    /// `check/fields.rs`: `key` is not a misspelling of a field the call lacks.
    fn field_ok<V: Json>(&self, key: &str, call: V, fields: &Fields) -> bool {
        if fields.is_exact(key) || !self.on(Rule::MisspelledField) {
            return true;
        }
        let folded = fold(key);
        match fields.folded.iter().find(|(f, _)| *f == folded) {
            Some((_, field)) => field == key || call.members().any(|(k, _)| k == field),
            None => true,
        }
    }
}
