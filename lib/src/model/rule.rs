//! The catalog of checks: every diagnostic names one `Rule`, with a stable code, a kebab-case
//! name and a default severity. Codes never change meaning; new rules take new codes.

mod error;

pub use error::SeverityError;

use std::fmt;

/// How bad a diagnostic is. Errors fail a run (exit code 1); warnings are reported only.
///
/// ```
/// use cdpspec::{Rule, Severity};
///
/// assert_eq!(Rule::MissingIdentity.default_severity(), Severity::Error);
/// assert_eq!(Rule::NumericIdentifier.default_severity(), Severity::Warning);
/// assert!(Severity::Error > Severity::Warning); // the worst of a call's diagnostics is their max
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The call is readable, but a destination may treat it differently than intended.
    Warning,
    /// The call breaks the spec: destinations reject it or drop data.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format (`error`, `warning`).
    ///
    /// ```
    /// use cdpspec::Severity;
    ///
    /// assert_eq!(Severity::Warning.as_str(), "warning");
    /// assert_eq!(Severity::Error.to_string(), "error");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! rules {
    ($($variant:ident = $code:literal, $name:literal, $severity:ident, $summary:literal;)*) => {
        /// A check `cdpspec` runs. See `Rule::ALL` for the catalog.
        ///
        /// ```
        /// use cdpspec::Rule;
        ///
        /// let rule = Rule::MissingRequired;
        /// assert_eq!((rule.code(), rule.name()), ("CDP104", "missing-required"));
        /// assert_eq!(rule.to_string(), "missing-required");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $(#[doc = $summary] $variant,)*
        }

        impl Rule {
            /// Every rule, in code order.
            ///
            /// ```
            /// use cdpspec::Rule;
            ///
            /// assert_eq!(Rule::ALL[0], Rule::InvalidJson);
            /// assert!(Rule::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
            /// ```
            pub const ALL: &'static [Rule] = &[$(Rule::$variant,)*];

            /// The stable code, such as `CDP104`.
            ///
            /// ```
            /// assert_eq!(cdpspec::Rule::UnplannedEvent.code(), "CDP301");
            /// ```
            pub fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// The kebab-case name, such as `missing-required`.
            ///
            /// ```
            /// assert_eq!(cdpspec::Rule::InvalidTimestamp.name(), "invalid-timestamp");
            /// ```
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name,)* }
            }

            /// The severity a diagnostic of this rule has unless configured otherwise.
            ///
            /// ```
            /// use cdpspec::{Rule, Severity};
            ///
            /// assert_eq!(Rule::InvalidCurrency.default_severity(), Severity::Warning);
            /// ```
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// One sentence saying what the rule catches.
            ///
            /// ```
            /// assert!(cdpspec::Rule::MessageIdTooLong.summary().contains("100 characters"));
            /// ```
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// The rule with this code or name, if any.
            ///
            /// ```
            /// use cdpspec::Rule;
            ///
            /// assert_eq!(Rule::find("CDP112"), Some(Rule::DuplicateKey));
            /// assert_eq!(Rule::find("duplicate-key"), Some(Rule::DuplicateKey));
            /// assert_eq!(Rule::find("duplicate-keys"), None);
            /// ```
            pub fn find(code_or_name: &str) -> Option<Rule> {
                Rule::ALL.iter().copied().find(|r| r.code() == code_or_name || r.name() == code_or_name)
            }
        }
    };
}

rules! {
    InvalidJson = "CDP001", "invalid-json", Error, "The input is not valid JSON (reported at the parser's position, with its reason).";
    InvalidUtf8 = "CDP002", "invalid-utf8", Error, "The input is not valid UTF-8, which JSON requires.";
    NotAnObject = "CDP003", "not-an-object", Error, "A call, a batch or a batch item is not a JSON object.";
    LoneSurrogate = "CDP004", "lone-surrogate", Warning, "A string or key holds an escaped lone UTF-16 surrogate (`\\ud83d` without its pair), which destinations read as U+FFFD.";
    MissingType = "CDP101", "missing-type", Error, "A call has no `type` and none was given with `--type`.";
    UnknownType = "CDP102", "unknown-type", Error, "A call's `type` is not one of identify, group, track, page, screen, alias.";
    MissingIdentity = "CDP103", "missing-identity", Error, "A call has neither a usable `userId` nor `anonymousId`.";
    MissingRequired = "CDP104", "missing-required", Error, "A field the call needs is missing or empty (`event`, `groupId`, `previousId`, alias `userId`, `batch`).";
    EmptyEvent = "CDP105", "empty-event", Error, "A track call's `event` is an empty string.";
    WrongType = "CDP106", "wrong-type", Error, "A field has the wrong JSON type (for example `context` as a string).";
    ReservedType = "CDP107", "reserved-type", Error, "A reserved trait or property (`email`, `revenue`, `currency`, ...) has the wrong type.";
    InvalidValue = "CDP108", "invalid-value", Error, "A value breaks a constraint of the canonical schema other than its type.";
    EmptyIdentifier = "CDP109", "empty-identifier", Warning, "`userId` or `anonymousId` is an empty or blank string, which destinations treat as missing.";
    NumericIdentifier = "CDP110", "numeric-identifier", Warning, "An identifier is a number; destinations compare identifiers as strings.";
    MisspelledField = "CDP111", "misspelled-field", Warning, "A top-level key is a misspelling of a spec field (`user_id` for `userId`), so destinations ignore it.";
    DuplicateKey = "CDP112", "duplicate-key", Error, "A key appears twice in one object; parsers keep the last value, some destinations the first.";
    InvalidTimestamp = "CDP201", "invalid-timestamp", Error, "A timestamp is not a date any destination can read.";
    TimestampNotRfc3339 = "CDP202", "timestamp-not-rfc3339", Warning, "A timestamp is readable but not RFC 3339 (no time zone, date only, space separator).";
    InvalidDateTrait = "CDP203", "invalid-date-trait", Warning, "A date trait (`createdAt`, `birthday`) is a string that is not a date.";
    InvalidCurrency = "CDP204", "invalid-currency", Warning, "`properties.currency` is not an ISO 4217 code such as `USD`.";
    MessageIdTooLong = "CDP205", "message-id-too-long", Error, "`messageId` has 100 characters or more.";
    CallTooLarge = "CDP206", "call-too-large", Error, "A call is larger than 32 KB.";
    BatchTooLarge = "CDP207", "batch-too-large", Error, "A batch request is larger than 500 KB.";
    BatchTooManyCalls = "CDP208", "batch-too-many-calls", Error, "A batch holds more than 2500 calls.";
    InvalidEmail = "CDP209", "invalid-email", Warning, "A reserved `email` (top level or trait) does not look like an email address.";
    RecordTooLarge = "CDP210", "record-too-large", Error, "A record (an NDJSON line or a whole-file document) is larger than 16 MiB; it is read through unchecked.";
    UnplannedEvent = "CDP301", "unplanned-event", Error, "A track call's event is not in the tracking plan.";
    RequiredMissing = "CDP302", "required-missing", Error, "A property, trait or section the tracking plan requires is missing.";
    DatatypeMismatch = "CDP303", "datatype-mismatch", Error, "A value's JSON type differs from the type the tracking plan gives it.";
    AdditionalProperties = "CDP304", "additional-properties", Error, "A property the tracking plan does not list was sent where the plan forbids extra properties.";
    AdvancedRule = "CDP305", "advanced-rule", Error, "A value breaks a tracking-plan constraint: enum, pattern, format, range, length or item rules.";
}

/// What a rule's diagnostics are, as configuration says: a severity, or off.
///
/// ```
/// use cdpspec::rule::Level;
///
/// assert_eq!("warn".parse(), Ok(Level::Warning));
/// assert_eq!("allow".parse(), Ok(Level::Off));
/// assert!("fatal".parse::<Level>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Do not report.
    Off,
}

impl std::str::FromStr for Level {
    /// Always [`SeverityError::UnknownLevel`].
    type Err = SeverityError;

    /// `error`, `warning` (or `warn`), `off` (or `allow`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "error" => Ok(Level::Error),
            "warning" | "warn" => Ok(Level::Warning),
            "off" | "allow" => Ok(Level::Off),
            _ => Err(SeverityError::UnknownLevel { level: s.to_string() }),
        }
    }
}

/// Severity overrides per rule; rules without one keep their default.
///
/// ```
/// use cdpspec::rule::{Level, Severities};
/// use cdpspec::{Rule, Severity};
///
/// let mut severities = Severities::default();
/// severities.set(Rule::UnplannedEvent, Level::Warning);
/// assert_eq!(severities.of(Rule::UnplannedEvent), Some(Severity::Warning));
/// assert_eq!(severities.of(Rule::MissingType), Some(Severity::Error));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Severities(std::collections::BTreeMap<Rule, Level>);

impl Severities {
    /// Sets `rule` to `level`.
    ///
    /// ```
    /// use cdpspec::Rule;
    /// use cdpspec::rule::{Level, Severities};
    ///
    /// let mut severities = Severities::default();
    /// severities.set(Rule::NumericIdentifier, Level::Error);
    /// assert_eq!(severities.of(Rule::NumericIdentifier), Some(cdpspec::Severity::Error));
    /// ```
    pub fn set(&mut self, rule: Rule, level: Level) {
        self.0.insert(rule, level);
    }

    /// Parses `rule=level` (the rule by code or name), as `--severity` takes it.
    ///
    /// # Errors
    ///
    /// [`SeverityError::NotAnAssignment`] without `=`, [`SeverityError::UnknownRule`] (with the
    /// closest rule name) when the rule is not one, [`SeverityError::UnknownLevel`] when the
    /// level is not one.
    ///
    /// ```
    /// use cdpspec::Rule;
    /// use cdpspec::rule::{Level, Severities, SeverityError};
    ///
    /// assert_eq!(Severities::parse_assignment("CDP301=off"), Ok((Rule::UnplannedEvent, Level::Off)));
    /// assert_eq!(Severities::parse_assignment("invalid-email = warn"), Ok((Rule::InvalidEmail, Level::Warning)));
    /// assert!(matches!(Severities::parse_assignment("invalid-email"), Err(SeverityError::NotAnAssignment { .. })));
    /// ```
    pub fn parse_assignment(s: &str) -> Result<(Rule, Level), SeverityError> {
        let (rule, level) = s.split_once('=').ok_or_else(|| SeverityError::NotAnAssignment { text: s.to_string() })?;
        let found = Rule::find(rule.trim()).ok_or_else(|| {
            let closest = crate::suggest::closest(rule.trim(), Rule::ALL.iter().map(|r| r.name()));
            SeverityError::UnknownRule { name: rule.to_string(), closest }
        })?;
        Ok((found, level.trim().parse()?))
    }

    /// The severity diagnostics of `rule` get, or `None` when it is off.
    ///
    /// ```
    /// use cdpspec::rule::Severities;
    /// use cdpspec::{Rule, Severity};
    ///
    /// let mut severities = Severities::default();
    /// let (rule, level) = Severities::parse_assignment("empty-identifier=off").unwrap();
    /// severities.set(rule, level);
    /// assert_eq!(severities.of(Rule::EmptyIdentifier), None);
    /// assert_eq!(severities.of(Rule::InvalidJson), Some(Severity::Error));
    /// ```
    pub fn of(&self, rule: Rule) -> Option<Severity> {
        match self.0.get(&rule) {
            None => Some(rule.default_severity()),
            Some(Level::Error) => Some(Severity::Error),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Off) => None,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The rule documentation as Markdown (`docs/rules.md`): why each rule matters, with a failing
/// and a passing example.
///
/// ```
/// let markdown = cdpspec::rule::docs_markdown();
/// assert!(markdown.contains("CDP104"));
/// assert!(markdown.contains("missing-required"));
/// ```
pub fn docs_markdown() -> String {
    crate::rule_docs::markdown()
}

impl Rule {
    /// Why the rule matters downstream: its section of `docs/rules.md`.
    ///
    /// ```
    /// assert!(cdpspec::Rule::MissingIdentity.why().contains("anonymousId"));
    /// ```
    pub fn why(self) -> &'static str {
        crate::rule_docs::doc(self).why
    }

    /// A record that breaks the rule and the same record fixed, as `docs/rules.md` shows them
    /// (empty for rules whose examples are too large to show), and whether they need the
    /// bundled example plan (`examples/plan/courses.yaml`).
    ///
    /// ```
    /// let (failing, passing, plan) = cdpspec::Rule::UnknownType.examples();
    /// assert!(failing.contains("identity") && passing.contains("identify") && !plan);
    /// ```
    pub fn examples(self) -> (&'static str, &'static str, bool) {
        let doc = crate::rule_docs::doc(self);
        (doc.failing, doc.passing, doc.needs_plan)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let codes: HashSet<_> = Rule::ALL.iter().map(|r| r.code()).collect();
        let names: HashSet<_> = Rule::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(codes.len(), Rule::ALL.len());
        assert_eq!(names.len(), Rule::ALL.len());
        for rule in Rule::ALL {
            assert!(rule.code().starts_with("CDP") && rule.code().len() == 6, "{rule:?}");
            assert!(rule.name().chars().all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()));
            assert_eq!(Rule::find(rule.code()), Some(*rule));
            assert_eq!(Rule::find(rule.name()), Some(*rule));
        }
    }
}
