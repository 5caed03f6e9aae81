//! The documentation of every rule: why it matters, a failing and a passing example. It is the
//! source of `docs/rules.md` (`cdpspec rules --markdown`), and a test runs every example, so
//! the docs cannot drift from what the checks do.

use crate::rule::Rule;

/// One rule's documentation.
pub struct RuleDoc {
    /// The rule.
    pub rule: Rule,
    /// Why it matters downstream.
    pub why: &'static str,
    /// Input that triggers the rule (one NDJSON line, unless the rule is about raw input).
    pub failing: &'static str,
    /// The same input fixed.
    pub passing: &'static str,
    /// Whether the examples need the bundled example plan (`examples/plan/courses.yaml`).
    pub needs_plan: bool,
}

macro_rules! docs {
    ($($rule:ident { why: $why:literal, failing: $bad:literal, passing: $good:literal $(, plan: $plan:literal)? })*) => {
        /// Every rule's documentation, in rule order.
        pub const DOCS: &[RuleDoc] = &[$(RuleDoc { rule: Rule::$rule, why: $why, failing: $bad, passing: $good, needs_plan: false $(|| $plan)? },)*];
    };
}

docs! {
    InvalidJson {
        why: "A payload that is not JSON is rejected by the pipeline before any destination sees it. The seed's identify example ends with a trailing comma, which JavaScript object literals allow and JSON does not.",
        failing: r#"{"type": "identify", "userId": "97980cfea0067", "created_at": "1679407797",}"#,
        passing: r#"{"type": "identify", "userId": "97980cfea0067", "created_at": "1679407797"}"#
    }
    InvalidUtf8 {
        why: "JSON must be UTF-8. Exports written in Latin-1 (`café` as byte 0xE9) are rejected or garbled downstream.",
        failing: "{\"type\": \"track\", \"userId\": \"u1\", \"event\": \"Caf\\xe9 Visited\"}",
        passing: r#"{"type": "track", "userId": "u1", "event": "Café Visited"}"#
    }
    NotAnObject {
        why: "Every call, batch and batch item is a JSON object; anything else is dropped.",
        failing: r#"{"batch": [{"type": "track", "userId": "u1", "event": "Signed Up"}, "Signed Up"]}"#,
        passing: r#"{"batch": [{"type": "track", "userId": "u1", "event": "Signed Up"}]}"#
    }
    LoneSurrogate {
        why: "`JSON.stringify` escapes half of a UTF-16 pair when a string is cut inside an emoji (`text.slice(0, 100)`). Go, and so most pipelines, read it as U+FFFD (�), JavaScript keeps the lone code unit, strict parsers refuse the call: the text differs by destination. cdpspec reads it as U+FFFD, checks the rest of the call, and names the string that holds it. In a key it is read as U+FFFD too, and the member is named by the key destinations see; two keys that differ only by their lone surrogates become one, which `duplicate-key` reports as well.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Shared", "properties": {"title": "Best day \ud83d"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Shared", "properties": {"title": "Best day \ud83d\ude00"}}"#
    }
    MissingType {
        why: "The pipeline routes by `type`. Only a single-call endpoint implies it (`/v1/alias`); say so with `--type` or a file named after the call.",
        failing: r#"{"userId": "u1", "event": "Signed Up"}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up"}"#
    }
    UnknownType {
        why: "A misspelled `type` (`identity`) matches no call, so the call reaches no action.",
        failing: r#"{"type": "identity", "userId": "u1"}"#,
        passing: r#"{"type": "identify", "userId": "u1"}"#
    }
    MissingIdentity {
        why: "Destinations attribute calls to people by `userId` or `anonymousId`. Without either, the call is dropped or lands on no one.",
        failing: r#"{"type": "track", "event": "Signed Up"}"#,
        passing: r#"{"type": "track", "event": "Signed Up", "anonymousId": "6b5a1c58-1f0e-4a0b-9d1c-5c3f2e1a0b9d"}"#
    }
    MissingRequired {
        why: "Track calls are routed and reported by `event`, group calls keyed by `groupId`, alias calls need both ids. Without them the action cannot run.",
        failing: r#"{"type": "group", "userId": "u1", "traits": {"name": "Example Co"}}"#,
        passing: r#"{"type": "group", "userId": "u1", "groupId": "example-company", "traits": {"name": "Example Co"}}"#
    }
    EmptyEvent {
        why: "An empty event name creates an unnamed event in every destination's reports.",
        failing: r#"{"type": "track", "userId": "u1", "event": ""}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up"}"#
    }
    WrongType {
        why: "Destinations read fields by type: a `context` sent as a string loses every context field, an `integrations` value that is not a boolean or object is ignored.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "context": "web"}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "context": {"channel": "web"}}"#
    }
    ReservedType {
        why: "Reserved traits and properties mean the same everywhere: revenue reports sum `revenue` as a number, messaging tools send to `email` as a string. A quoted number is summed as zero.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": "12.99"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": 12.99}}"#
    }
    InvalidValue {
        why: "The catch-all for schema constraints other than types and required fields, so no schema violation goes unnamed. The canonical schemas use none today; custom schemas do.",
        failing: "",
        passing: ""
    }
    EmptyIdentifier {
        why: "An empty or blank id is treated as missing downstream; beside a real id it only adds noise, alone it leaves the call without identity.",
        failing: r#"{"type": "track", "userId": "", "anonymousId": "a1", "event": "Signed Up"}"#,
        passing: r#"{"type": "track", "anonymousId": "a1", "event": "Signed Up"}"#
    }
    NumericIdentifier {
        why: "Destinations compare ids as strings; `42` and `\"42\"` can become two people.",
        failing: r#"{"type": "identify", "userId": 42}"#,
        passing: r#"{"type": "identify", "userId": "42"}"#
    }
    MisspelledField {
        why: "A key like `user_id` is not read by any destination, so its value silently goes missing.",
        failing: r#"{"type": "track", "anonymousId": "a1", "user_id": "u1", "event": "Signed Up"}"#,
        passing: r#"{"type": "track", "anonymousId": "a1", "userId": "u1", "event": "Signed Up"}"#
    }
    DuplicateKey {
        why: "JSON leaves duplicate keys undefined: the pipeline's parser keeps the last value, some destinations and warehouses the first, so two systems disagree on the same call.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "userId": "u2"}"#,
        passing: r#"{"type": "track", "userId": "u2", "event": "Signed Up"}"#
    }
    InvalidTimestamp {
        why: "A timestamp no destination can read is replaced by the receive time (or the call is rejected): historical imports land on today.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "timestamp": "yesterday"}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "timestamp": "2026-11-27T09:30:00Z"}"#
    }
    TimestampNotRfc3339 {
        why: "Dates without a zone are read as UTC by some destinations and as local time by others, shifting events by hours.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "timestamp": "2026-11-27T09:30:00"}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "timestamp": "2026-11-27T09:30:00+01:00"}"#
    }
    InvalidDateTrait {
        why: "Date traits that are not dates are stored as text, so segments like 'signed up in the last 30 days' never match.",
        failing: r#"{"type": "identify", "userId": "u1", "traits": {"createdAt": "last week"}}"#,
        passing: r#"{"type": "identify", "userId": "u1", "traits": {"createdAt": "2026-11-20T10:00:00Z"}}"#
    }
    InvalidCurrency {
        why: "Revenue reports convert by ISO 4217 code; `usd` or `dollars` is dropped or left unconverted.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": 12.99, "currency": "usd"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Order Completed", "properties": {"revenue": 12.99, "currency": "USD"}}"#
    }
    MessageIdTooLong {
        why: "The pipeline rejects `messageId`s of 100 characters or more; SDKs generate UUIDs.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "messageId": "signed-up-for-the-newsletter-from-the-footer-form-on-the-pricing-page-of-the-marketing-site-2026-11-27"}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Signed Up", "messageId": "4d8b5ff6-3a5e-4c1d-8a61-7d3c1e9b0f42"}"#
    }
    CallTooLarge {
        why: "The pipeline rejects calls over 32 KB: bulky data (HTML, base64 images, whole carts) belongs elsewhere.",
        failing: "",
        passing: ""
    }
    BatchTooLarge {
        why: "The pipeline rejects batch requests over 500 KB; SDKs flush before that.",
        failing: "",
        passing: ""
    }
    BatchTooManyCalls {
        why: "A batch holds at most 2500 calls; the pipeline rejects a larger request whole, so every call in it is lost, not just the extra ones.",
        failing: "",
        passing: ""
    }
    InvalidEmail {
        why: "Destinations that identify or message people by email reject placeholders like `n/a` or names sent as emails.",
        failing: r#"{"type": "identify", "userId": "u1", "traits": {"email": "n/a"}}"#,
        passing: r#"{"type": "identify", "userId": "u1", "traits": {"email": "cool.person@example.com"}}"#
    }
    RecordTooLarge {
        why: "cdpspec holds one record at a time, so a record is also what bounds its memory: a 10 GB line (a log that lost its line ends, a base64 dump) would take 10 GB to check. A record over the limit (`record-bytes`, 16 MiB, 32 times the largest request the pipeline accepts) is read through without being held and reported with its line and size, and the next line is read as usual. The pipeline rejects it anyway.",
        failing: "",
        passing: ""
    }
    UnplannedEvent {
        why: "An event the tracking plan does not define is usually a typo or an unreviewed addition; no dashboard expects it.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Course Enroled", "properties": {"class_name": "Basics", "class_code": "cio101"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "cio101"}}"#,
        plan: true
    }
    RequiredMissing {
        why: "A property the plan requires feeds a report or an action; without it the row is incomplete.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "cio101"}}"#,
        plan: true
    }
    DatatypeMismatch {
        why: "A value of another type breaks typed columns in warehouses and comparisons in segments.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "cio101", "start_date": "soon"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "cio101", "start_date": 1679410730}}"#,
        plan: true
    }
    AdditionalProperties {
        why: "Where the plan closes an event, an extra property is a typo of a planned one or unreviewed data.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "context": {"protocols": {"event_version": 2}}, "properties": {"class_name": "Basics", "class_code": "cio101", "level": "beginner", "levle": "advanced"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "context": {"protocols": {"event_version": 2}}, "properties": {"class_name": "Basics", "class_code": "cio101", "level": "beginner"}}"#,
        plan: true
    }
    AdvancedRule {
        why: "Enums, patterns, formats and ranges keep values comparable: `CIO-101` and `cio101` are two courses in every report.",
        failing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "CIO-101"}}"#,
        passing: r#"{"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Basics", "class_code": "cio101"}}"#,
        plan: true
    }
}

/// The documentation of `rule`.
pub fn doc(rule: Rule) -> &'static RuleDoc {
    DOCS.iter().find(|d| d.rule == rule).expect("every rule is documented")
}

/// `docs/rules.md`: every rule with its code, severity, what it catches, why it matters, and
/// its examples.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the code by `cdpspec rules --markdown`; a test keeps this file current and runs every example.\n\
         Set a rule's severity with `--severity NAME=error|warning|off` or in `cdpspec.toml` under `[rules]`.\n\n| code | name | default | catches |\n|---|---|---|---|\n",
    );
    for rule in Rule::ALL {
        out.push_str(&format!("| {} | [`{}`](#{}) | {} | {} |\n", rule.code(), rule.name(), rule.name(), rule.default_severity(), rule.summary()));
    }
    for rule in Rule::ALL {
        let d = doc(*rule);
        out.push_str(&format!("\n## {}\n\n`{}`, {} by default. {}\n\n{}\n", rule.name(), rule.code(), rule.default_severity(), rule.summary(), d.why));
        if d.failing.is_empty() {
            out.push_str("\nExamples are too large to show here; `lib/tests/rules.rs` has them.\n");
            continue;
        }
        let plan = if d.needs_plan { " (with `--plan examples/plan/courses.yaml`)" } else { "" };
        out.push_str(&format!("\nFails{plan}:\n\n```json\n{}\n```\n\nPasses:\n\n```json\n{}\n```\n", d.failing, d.passing));
    }
    out
}
