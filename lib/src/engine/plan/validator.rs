//! Plan-aware validation: checks calls against a tracking plan's rules and names violations as
//! pipelines name them (`unplanned-event`, `required-missing`, `datatype-mismatch`,
//! `additional-properties`, `advanced-rule`), each with the call's JSON pointer and the plan
//! location that demanded it. Every section schema is compiled once, with format checks on and
//! the linear-time regex engine (plans are user input).

use std::fmt;
use std::path::Path;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{PatternOptions, ValidationError, Validator};
use serde_json::{Value, json};

use super::select::{Applies, EventIndex, Parts};
use super::{Format, Plan, Rule, SchemaError, Section};
use crate::diagnostic::Finding;
use crate::rule::Rule as Check;
use crate::{CallType, Pointer};

/// A plan whose schemas are compiled, ready to check calls.
///
/// ```
/// use std::path::Path;
/// use cdpspec::plan::{PlanValidator, load};
///
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");
/// let plan = PlanValidator::new(load(Path::new(path)).unwrap(), "courses.yaml").unwrap();
/// assert_eq!(plan.plan().name, "Courses app");
/// ```
pub struct PlanValidator {
    pub(super) plan: Plan,
    /// Where the plan came from, for plan locations (`plan.yaml`).
    source: String,
    pub(super) common: Compiled,
    pub(super) identify: Compiled,
    pub(super) group: Compiled,
    pub(super) pages: Vec<(String, Compiled)>,
    pub(super) screens: Vec<(String, Compiled)>,
    /// Per event, per version (in plan order).
    pub(super) events: Vec<Vec<Compiled>>,
    /// The index of the first event of each name.
    pub(super) event_index: EventIndex,
}

/// A plan schema that does not compile: the exact keyword at fault and what it must be.
///
/// ```
/// use cdpspec::plan::{Format, PlanValidator, parse};
///
/// let plan = parse(r#"
/// name: Shop
/// events:
///   - name: Order Completed
///     versions:
///       - version: 1
///         properties:
///           type: object
///           properties:
///             price: {type: numbr}
/// "#, Format::Yaml, "plan.yaml").unwrap();
/// let error = PlanValidator::new(plan, "plan.yaml").err().unwrap();
/// assert_eq!(error.pointer, "/events/0/versions/0/properties/properties/price/type");
/// assert_eq!((error.line, error.column), (None, None), "`plan.yaml` is only a label here");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PlanError {
    /// The plan's name as given to [`PlanValidator::new`] (`plan.yaml`).
    pub path: String,
    /// JSON pointer of the offending keyword (or element) in the plan document.
    pub pointer: String,
    /// 1-based line of the keyword's value in the plan file, once placed.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the keyword's value in the plan file, once placed.
    pub column: Option<usize>,
    /// What is wrong and what is expected, in plain English.
    pub message: String,
}

impl PlanError {
    /// Where in the plan: the plan's name and the keyword's pointer
    /// (`plan.yaml#/events/0/versions/0/properties/properties/price/type`).
    ///
    /// ```
    /// use cdpspec::plan::PlanError;
    ///
    /// let error = PlanError { path: "plan.yaml".into(), pointer: "/events/0/name".into(), line: None, column: None, message: "...".into() };
    /// assert_eq!(error.location(), "plan.yaml#/events/0/name");
    /// ```
    pub fn location(&self) -> String {
        format!("{}#{}", self.path, self.pointer)
    }

    /// Sets [`line`](Self::line) and [`column`](Self::column) from the plan file's `text`
    /// (in `format`); the nearest enclosing value when the keyword is not in the text.
    ///
    /// ```
    /// use cdpspec::plan::{Format, PlanValidator, parse};
    ///
    /// let text = "name: Shop\nidentify:\n  traits:\n    type: object\n    properties:\n      plan: {type: text}\n";
    /// let plan = parse(text, Format::Yaml, "plan.yaml").unwrap();
    /// let mut error = PlanValidator::new(plan, "plan.yaml").err().unwrap();
    /// error.place(text, Format::Yaml);
    /// assert_eq!((error.line, error.column), (Some(6), Some(20)));
    /// assert!(error.to_string().starts_with("plan.yaml:6:20: #/identify/traits/properties/plan/type: "));
    /// ```
    pub fn place(&mut self, text: &str, format: Format) {
        if let Some((line, column)) = super::position::line_column(text, format, &self.pointer) {
            (self.line, self.column) = (Some(line), Some(column));
        }
    }

    /// Places the error in the file `path` names, when it is a regular file holding `plan`
    /// (so a name that is only a label, or a file changed since, places nothing).
    fn place_in_file(&mut self, plan: &Plan) {
        let path = Path::new(&self.path);
        if !path.is_file() {
            return;
        }
        let format = Format::of(path);
        if let Ok(text) = std::fs::read_to_string(path)
            && super::parse(&text, format, &self.path).is_ok_and(|read| read == *plan)
        {
            self.place(&text, format);
        }
    }
}

/// `plan.yaml:7:29: #/events/0/.../type: ...` once placed, `plan.yaml#/events/0/...: ...` before.
impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{}:{line}:{column}: #{}: {}", self.path, self.pointer, self.message),
            _ => write!(f, "{}#{}: {}", self.path, self.pointer, self.message),
        }
    }
}

impl std::error::Error for PlanError {}

/// The compiled sections of one rule, with the plan pointer of the rule.
#[derive(Default)]
pub(super) struct Compiled {
    pointer: String,
    /// Each section the rule constrains, compiled.
    pub(super) sections: Vec<CompiledSection>,
    /// The sections the call must carry.
    pub(super) requires: Vec<Section>,
    description: String,
}

/// One section schema of a rule, compiled for both paths.
pub(super) struct CompiledSection {
    pub(super) section: Section,
    /// `jsonschema`'s validator: the reference, and the source of every finding.
    validator: Validator,
    /// The schema (for "did you mean" hints).
    schema: Value,
    /// The fast path's checker of the same schema.
    pub(super) fast: super::fast::Checker,
}

impl PlanValidator {
    /// Compiles every schema of `plan`; `source` names the plan in locations. When a schema
    /// does not compile and `source` is the path of a regular file that holds this same plan,
    /// the error names the keyword's line and column in it (see [`PlanError::place`]).
    ///
    /// # Errors
    ///
    /// A [`PlanError`] naming the plan file, the keyword's pointer (and, when the source is the plan's own file, its line and column) and what is expected there.
    ///
    /// ```
    /// use cdpspec::plan::{Format, PlanValidator, parse};
    ///
    /// let plan = parse("name: Shop\ncommon:\n  context: {type: object, minProperties: -1}\n", Format::Yaml, "plan.yaml").unwrap();
    /// assert_eq!(PlanValidator::new(plan, "plan.yaml").err().unwrap().pointer, "/common/context/minProperties");
    /// ```
    pub fn new(plan: Plan, source: impl Into<String>) -> Result<Self, PlanError> {
        let source = source.into();
        match Self::compile_rules(&plan, &source) {
            Ok(rules) => Ok(PlanValidator { plan, source, ..rules }),
            Err(mut error) => {
                error.place_in_file(&plan);
                Err(error)
            }
        }
    }

    /// The compiled rules of `plan` (with an empty plan in place of it).
    fn compile_rules(plan: &Plan, source: &str) -> Result<Self, PlanError> {
        let compile = |rule: Option<&Rule>, pointer: String, description: String| compile(source, rule, pointer, description);
        let common = compile(plan.common.as_ref(), "/common".into(), "the plan's common rules".into())?;
        let identify = compile(plan.identify.as_ref(), "/identify".into(), "the plan's identify rules".into())?;
        let group = compile(plan.group.as_ref(), "/group".into(), "the plan's group rules".into())?;
        let named = |rules: &[super::NamedRule], key: &str, what: &str| -> Result<Vec<(String, Compiled)>, PlanError> {
            rules
                .iter()
                .enumerate()
                .map(|(i, r)| Ok((r.name.clone(), compile(Some(&r.rule), format!("/{key}/{i}"), format!("the plan's {what} `{}`", r.name))?)))
                .collect()
        };
        let pages = named(&plan.pages, "pages", "page")?;
        let screens = named(&plan.screens, "screens", "screen")?;
        let mut events = Vec::new();
        for (i, event) in plan.events.iter().enumerate() {
            let versions = event
                .versions
                .iter()
                .enumerate()
                .map(|(j, v)| compile(Some(&v.rule), format!("/events/{i}/versions/{j}"), format!("{} v{}", event.name, v.version)))
                .collect::<Result<Vec<_>, _>>()?;
            events.push(versions);
        }
        let event_index = EventIndex::new(plan.events.iter().map(|e| e.name.as_str()));
        Ok(PlanValidator { plan: Plan::default(), source: String::new(), common, identify, group, pages, screens, events, event_index })
    }

    /// The plan being checked.
    ///
    /// ```
    /// use std::path::Path;
    /// use cdpspec::plan::{PlanValidator, load};
    ///
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");
    /// let plan = PlanValidator::new(load(Path::new(path)).unwrap(), path).unwrap();
    /// assert!(plan.plan().event("Course Enrolled").is_some());
    /// ```
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Violations of the plan by `call` (an object whose type is `call_type`), found at
    /// `pointer` in its document. Alias calls are not checked, as pipelines do not check them.
    ///
    /// ```
    /// use std::path::Path;
    /// use cdpspec::{CallType, Rule};
    /// use cdpspec::plan::{PlanValidator, load};
    ///
    /// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");
    /// let plan = PlanValidator::new(load(Path::new(path)).unwrap(), "courses.yaml").unwrap();
    /// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "properties": {"class_name": "Intro", "class_code": "CIO101"}});
    /// let mut findings = Vec::new();
    /// plan.check(&call, CallType::Track, "", &mut findings);
    /// assert_eq!((findings[0].rule, findings[0].pointer.as_str()), (Rule::AdvancedRule, "/properties/class_code"));
    /// ```
    pub fn check(&self, call: &Value, call_type: CallType, pointer: &str, out: &mut Vec<Finding>) {
        self.select(&Parts::of(call), call_type, |applies| match applies {
            Applies::Rule(compiled, only) => self.apply(compiled, call, pointer, only, out),
            Applies::Unplanned(name) => out.push(self.unplanned(name, pointer)),
        });
    }

    /// The finding of a track call (at `pointer`) whose event `name` the plan does not have.
    fn unplanned(&self, name: &str, pointer: &str) -> Finding {
        let mut finding =
            Finding::new(Check::UnplannedEvent, format!("{pointer}/event"), format!("event `{name}` is not in the tracking plan `{}`", self.plan.name));
        let names = self.plan.events.iter().map(|e| e.name.as_str());
        if let Some(closest) = crate::suggest::closest(name, names) {
            finding.message.push_str(&format!("; did you mean `{closest}`?"));
            finding = finding.suggest(closest);
        }
        finding.at_plan(format!("{}#/events", self.source))
    }

    /// Checks the sections of `call` that `compiled` constrains (among `only`).
    fn apply(&self, compiled: &Compiled, call: &Value, pointer: &str, only: &[Section], out: &mut Vec<Finding>) {
        for section in &compiled.requires {
            if only.contains(section) && call.get(section.key()).is_none() {
                out.push(
                    Finding::new(Check::RequiredMissing, pointer, format!("`{}` is required by {}", section.key(), compiled.description))
                        .at_plan(format!("{}#{}/requires", self.source, compiled.pointer)),
                );
            }
        }
        for CompiledSection { section, validator, schema, .. } in &compiled.sections {
            if !only.contains(section) {
                continue;
            }
            // An absent section is checked as empty, so its required members are reported.
            let empty = json!({});
            let value = call.get(section.key()).unwrap_or(&empty);
            if validator.is_valid(value) {
                continue;
            }
            let base = format!("{pointer}/{}", section.key());
            let location = format!("{}#{}/{}", self.source, compiled.pointer, section.key());
            let site = Site { base: &base, section: section.key(), location: &location, rule: &compiled.description, value, schema };
            for error in validator.iter_errors(value) {
                out.push(violation(&error, &site));
            }
        }
    }
}

/// Compiles one section schema as plan validation runs it: draft 2020-12, formats checked,
/// patterns in a linear-time regex engine (no look-around or backreferences), no network.
///
/// # Errors
///
/// A [`SchemaError`] when `schema` is not a valid JSON Schema or cannot be run so (a pattern
/// with look-around, a `$ref` that is not local).
///
/// ```
/// use cdpspec::plan::compile_section;
///
/// let properties = compile_section(&serde_json::json!({"type": "object", "properties": {"class_code": {"pattern": "^cio[0-9]{3}$"}}})).unwrap();
/// assert!(properties.is_valid(&serde_json::json!({"class_code": "cio101"})));
/// assert!(compile_section(&serde_json::json!({"properties": {"id": {"pattern": "^(?!test)"}}})).is_err(), "no look-around");
/// ```
pub fn compile_section(schema: &Value) -> Result<Validator, SchemaError> {
    build(schema).map_err(|source| SchemaError { source })
}

/// [`compile_section`] with jsonschema's error, whose paths [`super::explain`] reads.
pub(super) fn build(schema: &Value) -> Result<Validator, ValidationError<'static>> {
    build_for(schema)
}

/// [`build`] for values in the representation `F` (the fast path asks about single strings and
/// numbers in one of its own): the one place the options of plan validation are set.
pub(super) fn build_for<F: jsonschema::json::Json>(schema: &Value) -> Result<Validator<F>, ValidationError<'static>> {
    jsonschema::options_for::<F>()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_pattern_options(PatternOptions::regex())
        .offline()
        .build(schema)
}

fn compile(source: &str, rule: Option<&Rule>, pointer: String, description: String) -> Result<Compiled, PlanError> {
    let Some(rule) = rule else { return Ok(Compiled::default()) };
    let mut sections = Vec::new();
    for section in Section::ALL {
        if let Some(schema) = rule.section(section) {
            let validator = build(schema).map_err(|e| section_error(source, &format!("{pointer}/{}", section.key()), schema, &e))?;
            let fast = super::fast::Checker::compile(schema, &validator);
            sections.push(CompiledSection { section, validator, schema: schema.clone(), fast });
        }
    }
    Ok(Compiled { pointer, sections, requires: rule.requires.clone(), description })
}

/// The error of a section schema (at `at` in the plan) that does not compile: its first
/// problem, at the exact keyword.
fn section_error(source: &str, at: &str, schema: &Value, error: &ValidationError<'_>) -> PlanError {
    let (pointer, message) = match super::explain::problems(schema).into_iter().next() {
        Some(problem) => (format!("{at}{}", problem.pointer), problem.message),
        None => (at.to_string(), format!("invalid JSON Schema: {error}")),
    };
    PlanError { path: source.to_string(), pointer, line: None, column: None, message }
}

/// Where a section's errors arise: what [`violation`] needs besides the error.
struct Site<'a> {
    /// The section's pointer in the document (`/batch/0/properties`).
    base: &'a str,
    /// The section's key (`properties`).
    section: &'a str,
    /// The section's plan location (`plan.yaml#/events/0/versions/0/properties`).
    location: &'a str,
    /// The rule, as messages name it (`Order Completed v1`).
    rule: &'a str,
    /// The section of the call.
    value: &'a Value,
    /// The section's schema.
    schema: &'a Value,
}

/// One violation from a section schema's error.
fn violation(error: &ValidationError<'_>, site: &Site<'_>) -> Finding {
    let Site { base, section, location, rule, .. } = *site;
    let path = error.instance_path().as_str();
    let field = format!("{section}{}", path.replace('/', "."));
    let at = format!("{location}{}", error.schema_path().as_str());
    let (check, pointer, message) = match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let message = format!("`{field}.{name}` is required by {rule}");
            let finding = Finding::new(Check::RequiredMissing, format!("{base}{path}"), message).at_plan(at);
            return with_misspelling(finding, error, site, name);
        }
        ValidationErrorKind::Type { .. } => (Check::DatatypeMismatch, format!("{base}{path}"), format!("`{field}`: {error} ({rule})")),
        ValidationErrorKind::AdditionalProperties { unexpected } | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let first = unexpected.first().map(String::as_str).unwrap_or_default();
            // The key is one more token under the object's pointer.
            let finding = Finding::new(Check::AdditionalProperties, format!("{base}{path}{}", Pointer::root().join(first)), String::new()).at_plan(at);
            return not_allowed(finding, error, site, &field, unexpected);
        }
        ValidationErrorKind::Enum { options } => {
            let mut finding = Finding::new(Check::AdvancedRule, format!("{base}{path}"), format!("`{field}`: {error} ({rule})")).at_plan(at);
            if let Some(closest) = error.instance().as_str().and_then(|v| super::hints::closest_option(v, options)) {
                finding.message.push_str(&format!("; did you mean `{closest}`?"));
                finding = finding.suggest(closest);
            }
            return finding;
        }
        _ => (Check::AdvancedRule, format!("{base}{path}"), format!("`{field}`: {error} ({rule})")),
    };
    Finding::new(check, pointer, message).at_plan(at)
}

/// A required-missing `finding` for `name`, naming the sent key that likely misspells it.
fn with_misspelling(mut finding: Finding, error: &ValidationError<'_>, site: &Site<'_>, name: &str) -> Finding {
    let object = site.value.pointer(error.instance_path().as_str());
    if let Some(sent) = object.and_then(|o| super::hints::misspelling_of(site.schema, error.schema_path().as_str(), o, name)) {
        // The suggestion is the key to rename the misspelled one to, as for a call without
        // identity whose `user_id` should be `userId`.
        finding.message.push_str(&format!("; the call has `{sent}`, likely a misspelling of it: rename it to `{name}`"));
        finding = finding.suggest(name);
    }
    finding
}

/// The additional-properties `finding` for the `unexpected` keys of `field`, with the planned
/// property each was likely meant to be.
fn not_allowed(mut finding: Finding, error: &ValidationError<'_>, site: &Site<'_>, field: &str, unexpected: &[String]) -> Finding {
    let object = site.value.pointer(error.instance_path().as_str()).unwrap_or(&Value::Null);
    let schema_path = error.schema_path().as_str();
    let intended: Vec<(&str, Option<&str>)> =
        unexpected.iter().map(|key| (key.as_str(), super::hints::intended(site.schema, schema_path, object, key))).collect();
    let rule = site.rule;
    finding.message = match intended.as_slice() {
        [(key, Some(name))] => format!("`{key}` is not allowed in `{field}` by {rule}; did you mean `{name}`?"),
        _ => {
            let list = unexpected.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join(", ");
            let hints: Vec<String> = intended.iter().filter_map(|(key, name)| name.map(|n| format!("`{n}` for `{key}`"))).collect();
            let hint = if hints.is_empty() { String::new() } else { format!("; did you mean {}?", hints.join(", ")) };
            format!("`{field}` has {list}, which {rule} does not allow{hint}")
        }
    };
    if let Some((_, Some(name))) = intended.first() {
        finding = finding.suggest(*name);
    }
    finding
}
