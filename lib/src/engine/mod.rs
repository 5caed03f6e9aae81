//! The engine: everything a front end needs to check one record, compiled once. `validate`
//! and `coverage` read files through it; a collector checks a request body with it, a stream
//! consumer a message. It does no I/O, never exits, and is `Send + Sync`, so one engine serves
//! every thread or task.
//!
//! A record is checked by the fast path first (`crate::fast`: a tape parser and the validators
//! generated from the schemas, which only answer "is there anything to report?"), and by the
//! precise path (serde_json, `jsonschema`, the code rules, the plan) only when there is, so
//! diagnostics are the same either way.

pub mod check;
internal!(fast);
internal!(locate);
pub mod plan;
pub mod route;
pub mod schema;
internal!(suggest);
internal!(timestamp);

use std::sync::Arc;

/// What checking one record gave: blank, did not parse, clean (with its call count), or
/// checked (with its diagnostics, per call).
pub use self::fast::Outcome;

use serde_json::Value;

use self::check::{DocumentReport, Options};
use crate::CallType;
use crate::config::{ConfigError, Settings};
use crate::coverage::CompiledDestination;
use crate::fast::outcome;
use crate::fast::{FastPath, Verdict};
use crate::plan::PlanValidator;
use crate::records;
use crate::rule::{Rule, Severity};

/// Where a record came from, for the diagnostics about it.
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::{Engine, Origin};
///
/// let engine = Engine::from_options(Options::default());
/// let line = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled"}"#;
/// assert_eq!(engine.check_record(line, Origin { name: "events.ndjson", line: 42 }).errors(), 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin<'a> {
    /// The name diagnostics give the source: a path, `<stdin>`, `POST /v1/batch`, a topic.
    pub name: &'a str,
    /// The line of the source the record starts on (1 for a request body or a message).
    pub line: usize,
}

impl<'a> Origin<'a> {
    /// A record that is a whole source of its own (a request body, a message), named `name`.
    ///
    /// ```
    /// use cdpspec::engine::Origin;
    ///
    /// assert_eq!(Origin::whole("POST /v1/track"), Origin { name: "POST /v1/track", line: 1 });
    /// ```
    pub fn whole(name: &'a str) -> Origin<'a> {
        Origin { name, line: 1 }
    }
}

/// The compiled schemas, plan, severities, limits and destination, ready to check records.
///
/// ```
/// use cdpspec::check::Options;
/// use cdpspec::engine::{Engine, Origin};
///
/// let engine = Engine::from_options(Options::default());
/// let body = br#"{"type":"identify","userId":"97980cfea0067","traits":{"email":"cool.person@example.com"}}"#;
/// assert_eq!(engine.check_record(body, Origin::whole("POST /v1/identify")).errors(), 0);
/// ```
pub struct Engine {
    options: Options,
    fast: Option<FastPath>,
    destination: Option<Arc<CompiledDestination>>,
}

impl Engine {
    /// Compiles `settings` (see [`crate::config::resolve`]): loads and compiles the plan and the
    /// destination they name.
    ///
    /// # Errors
    ///
    /// A plan or destination that cannot be read or does not compile, naming the file and
    /// the place in it.
    ///
    /// ```
    /// use cdpspec::config::Settings;
    /// use cdpspec::engine::{Engine, Origin};
    ///
    /// let engine = Engine::new(&Settings::default()).unwrap();
    /// let outcome = engine.check_record(br#"{"type": "track", "event": "Signed Up"}"#, Origin::whole("request"));
    /// assert_eq!(outcome.errors(), 1, "no userId or anonymousId");
    /// ```
    pub fn new(settings: &Settings) -> Result<Engine, ConfigError> {
        let plan = match &settings.plan {
            Some(path) => Some(Arc::new(load_plan(path)?)),
            None => None,
        };
        let destination = match &settings.destination {
            Some(name) => Some(Arc::new(load_destination(name)?)),
            None => None,
        };
        let options = Options { default_type: settings.call_type, plan, severities: settings.severities.clone(), limits: settings.limits };
        Ok(Engine { destination, ..Engine::from_options(options) })
    }

    /// An engine for options whose plan is already compiled.
    ///
    /// ```
    /// use std::{path::Path, sync::Arc};
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::{Engine, Origin};
    /// use cdpspec::plan::PlanValidator;
    ///
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");
    /// let plan = PlanValidator::new(cdpspec::plan::load(Path::new(path)).unwrap(), path).unwrap();
    /// let engine = Engine::from_options(Options { plan: Some(Arc::new(plan)), ..Options::default() });
    /// let call = br#"{"type":"track","userId":"97980cfea0067","event":"Course Enroled"}"#;
    /// assert_eq!(engine.check_record(call, Origin::whole("request")).errors(), 1, "unplanned-event");
    /// ```
    pub fn from_options(options: Options) -> Engine {
        let fast = Some(FastPath::new(&options));
        Engine { options, fast, destination: None }
    }

    /// The same engine checking every record with the precise path alone: the reference the
    /// fast path is tested against, and the baseline of the benchmarks.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::{Engine, Origin};
    ///
    /// let call = br#"{"type":"track","userId":42,"event":"Course Enrolled"}"#;
    /// let fast = Engine::from_options(Options::default());
    /// let precise = Engine::from_options(Options::default()).without_fast_path();
    /// assert_eq!(precise.check_record(call, Origin::whole("request")), fast.check_record(call, Origin::whole("request")));
    /// ```
    pub fn without_fast_path(mut self) -> Engine {
        self.fast = None;
        self
    }

    /// The same engine, with `destination` to evaluate calls against.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use cdpspec::check::Options;
    /// use cdpspec::coverage::CompiledDestination;
    /// use cdpspec::engine::Engine;
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let engine = Engine::from_options(Options::default()).with_destination(Arc::new(customerio));
    /// assert_eq!(engine.destination().unwrap().name, "Actions Customerio");
    /// ```
    pub fn with_destination(mut self, destination: Arc<CompiledDestination>) -> Engine {
        self.destination = Some(destination);
        self
    }

    /// The same engine for records without `type` that an endpoint, a file name or a topic
    /// implies to be of `call_type` (a default type already set wins).
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::{Engine, Origin};
    ///
    /// let engine = Engine::from_options(Options::default());
    /// let body = br#"{"userId":"97980cfea0067","previousId":"a1f5e8b2"}"#;
    /// assert_eq!(engine.check_record(body, Origin::whole("POST /v1/alias")).errors(), 1, "no `type`");
    /// let alias = engine.with_implied_type(Some(CallType::Alias));
    /// assert_eq!(alias.check_record(body, Origin::whole("POST /v1/alias")).errors(), 0);
    /// ```
    pub fn with_implied_type(&self, call_type: Option<CallType>) -> Engine {
        let mut options = self.options.clone();
        options.default_type = options.default_type.or(call_type);
        let fast = self.fast.as_ref().map(|_| FastPath::new(&options));
        Engine { options, fast, destination: self.destination.clone() }
    }

    /// What records are checked with.
    ///
    /// ```
    /// use cdpspec::CallType;
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::Engine;
    ///
    /// let engine = Engine::from_options(Options { default_type: Some(CallType::Track), ..Options::default() });
    /// assert_eq!(engine.options().default_type, Some(CallType::Track));
    /// assert_eq!(engine.options().limits.batch_calls, 2500);
    /// ```
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The destination calls are evaluated against, if any.
    ///
    /// ```
    /// use cdpspec::config::Settings;
    /// use cdpspec::engine::Engine;
    ///
    /// assert!(Engine::new(&Settings::default()).unwrap().destination().is_none());
    /// let settings = Settings { destination: Some("customerio".into()), ..Settings::default() };
    /// let engine = Engine::new(&settings).unwrap();
    /// assert!(engine.destination().unwrap().find("Track Event").is_some());
    /// ```
    pub fn destination(&self) -> Option<&Arc<CompiledDestination>> {
        self.destination.as_ref()
    }

    /// The severity diagnostics of `rule` get, or `None` when it is off.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::Engine;
    /// use cdpspec::rule::{Rule, Severity};
    ///
    /// let engine = Engine::from_options(Options::default());
    /// assert_eq!(engine.severity(Rule::MissingIdentity), Some(Severity::Error));
    /// ```
    pub fn severity(&self, rule: Rule) -> Option<Severity> {
        self.options.severities.of(rule)
    }

    /// Checks one record: an NDJSON line without its terminator, a request body, a message; one
    /// document (a call, a batch or an array of calls) that may span lines.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::{Engine, Origin};
    ///
    /// let engine = Engine::from_options(Options::default());
    /// let batch = br#"{"batch": [
    ///   {"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"},
    ///   {"type": "page", "name": "home"}
    /// ]}"#;
    /// assert_eq!(engine.check_record(batch, Origin::whole("POST /v1/batch")).errors(), 1, "the page call has no identity");
    /// ```
    pub fn check_record(&self, text: &[u8], origin: Origin<'_>) -> Outcome {
        if text.trim_ascii().is_empty() {
            return Outcome::Blank;
        }
        match self.fast.as_ref().map_or(Verdict::Precise(None), |fast| fast.verdict(text)) {
            Verdict::Clean(calls) => Outcome::Clean { calls },
            // The tape read the record as serde_json would, and found the duplicate keys
            // `check::duplicates` would: no need to do either again.
            Verdict::Precise(Some(parsed)) => outcome::parsed(origin.name, text, origin.line, &parsed.value, &self.options, parsed.duplicate_keys),
            Verdict::Precise(None) => outcome::from_record(origin.name, records::document(text, origin.line, false), &|n| n, &self.options),
        }
    }

    /// Checks a document that is already parsed: the findings of every rule that is on, call
    /// by call. Sizes are measured on its compact encoding; duplicate keys, which a parsed
    /// value has lost, are not reported.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::Engine;
    /// use cdpspec::Rule;
    ///
    /// let engine = Engine::from_options(Options::default());
    /// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": ""});
    /// let report = engine.check_value(&call);
    /// assert_eq!(report.calls[0].findings[0].rule, Rule::EmptyEvent);
    /// ```
    pub fn check_value(&self, document: &Value) -> DocumentReport {
        self.check_parsed(document, usize::MAX)
    }

    /// Checks a document parsed from `text_len` bytes of text, as [`Engine::check_value`] does,
    /// but measures sizes only when the text was long enough to break a limit (see
    /// [`check::check_parsed`]): a reader that has the text saves serialising every document.
    ///
    /// ```
    /// use cdpspec::check::Options;
    /// use cdpspec::engine::Engine;
    ///
    /// let engine = Engine::from_options(Options::default());
    /// let text = r#"{"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"}"#;
    /// let call: serde_json::Value = serde_json::from_str(text).unwrap();
    /// assert_eq!(engine.check_parsed(&call, text.len()), engine.check_value(&call));
    /// ```
    pub fn check_parsed(&self, document: &Value, text_len: usize) -> DocumentReport {
        let mut report = check::check_parsed(document, text_len, &self.options);
        let on = |f: &crate::Finding| self.options.severities.of(f.rule).is_some();
        report.findings.retain(on);
        for call in &mut report.calls {
            call.findings.retain(on);
        }
        report
    }
}

/// Loads and compiles a plan.
fn load_plan(path: &std::path::Path) -> Result<PlanValidator, ConfigError> {
    let plan = crate::plan::load(path).map_err(ConfigError::PlanFile)?;
    PlanValidator::new(plan, path.display().to_string()).map_err(ConfigError::Plan)
}

/// Loads and compiles a destination: bundled by name (`customerio`), or a file.
///
/// # Errors
///
/// A destination that cannot be read or does not compile, naming it and the place.
///
/// ```
/// let customerio = cdpspec::engine::load_destination("customerio").unwrap();
/// assert_eq!(customerio.name, "Actions Customerio");
/// assert!(cdpspec::engine::load_destination("customer.io.json").is_err());
/// ```
pub fn load_destination(name: &str) -> Result<CompiledDestination, ConfigError> {
    let file = crate::destination::load(name).map_err(ConfigError::DestinationFile)?;
    CompiledDestination::new(&file).map_err(|source| ConfigError::Destination { name: name.to_string(), source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_engine_serves_every_thread() {
        fn shared<T: Send + Sync>() {}
        shared::<Engine>();
    }

    #[test]
    fn a_record_is_checked_whole_wherever_it_comes_from() {
        let engine = Engine::from_options(Options::default());
        let body = b"{\n  \"type\": \"track\",\n  \"userId\": 42,\n  \"event\": \"Signed Up\"\n}";
        let Outcome::Checked { calls, .. } = engine.check_record(body, Origin { name: "POST /v1/track", line: 1 }) else { panic!("checked") };
        assert_eq!((calls[0][0].path.as_str(), calls[0][0].line, calls[0][0].rule), ("POST /v1/track", 3, Rule::NumericIdentifier));
        let precise = Engine::from_options(Options::default()).without_fast_path().check_record(body, Origin::whole("POST /v1/track"));
        assert_eq!(precise, engine.check_record(body, Origin::whole("POST /v1/track")));
        assert_eq!(engine.check_record(b"{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"}", Origin::whole("x")), Outcome::Clean { calls: 1 });
        assert!(matches!(engine.check_record(b"{\"type\":", Origin::whole("x")), Outcome::Unparsed(Some(_))));
        assert_eq!(engine.check_record(b"  ", Origin::whole("x")), Outcome::Blank);
    }

    #[test]
    fn an_implied_type_applies_to_records_without_one() {
        let engine = Engine::from_options(Options::default());
        let alias = br#"{"userId": "u1", "previousId": "a1"}"#;
        assert_eq!(engine.check_record(alias, Origin::whole("x")).errors(), 1);
        assert_eq!(engine.with_implied_type(Some(CallType::Alias)).check_record(alias, Origin::whole("x")), Outcome::Clean { calls: 1 });
    }
}
