//! A destination made ready to evaluate: every trigger and mapping parsed once, every action's
//! fields typed. Problems in the destination file are errors naming the preset; trigger quirks
//! are kept as notes.

mod error;
mod resolve;

pub use error::{CompileError, Problem};
pub use resolve::UnknownAction;

use std::collections::BTreeMap;

use serde_json::Value;

use crate::destination::Call;
use crate::destination::mapping::{Field, FieldCheck, Mapping};
use crate::destination::trigger::Trigger;
use crate::destination::{DestinationFile, Preset};

/// A preset ready to evaluate.
///
/// ```
/// use cdpspec::coverage::CompiledDestination;
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let preset = &customerio.presets[customerio.find("Track Page View").unwrap()];
/// assert_eq!((preset.action.as_str(), preset.action_title.as_str()), ("trackPageView", "Track Page View"));
/// assert!(preset.trigger.matches(&serde_json::json!({"type": "page", "name": "home"})));
/// ```
pub struct CompiledPreset {
    /// The preset's name (`Track Event`).
    pub name: String,
    /// The key of its action.
    pub action: String,
    /// The action's title.
    pub action_title: String,
    /// The parsed trigger.
    pub trigger: Trigger,
    /// The parsed mapping.
    pub mapping: Mapping,
}

/// A destination ready to evaluate.
///
/// ```
/// use cdpspec::coverage::CompiledDestination;
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// assert_eq!(customerio.name, "Actions Customerio");
/// assert_eq!(customerio.actions["trackEvent"], "Track Event");
/// assert!(customerio.fields["trackEvent"].contains_key("name"));
/// ```
pub struct CompiledDestination {
    /// Display name.
    pub name: String,
    /// The presets, in file order.
    pub presets: Vec<CompiledPreset>,
    /// Each action's typed fields, by action key.
    pub fields: BTreeMap<String, BTreeMap<String, Field>>,
    /// Every action's key with its title.
    pub actions: BTreeMap<String, String>,
}

/// What one preset did with one call whose trigger it matched.
///
/// ```
/// use cdpspec::coverage::CompiledDestination;
///
/// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
/// let page = serde_json::json!({"type": "page", "userId": "97980cfea0067", "name": "home"});
/// let outcome = &customerio.evaluate(&page)[0];
/// assert_eq!(customerio.presets[outcome.preset].name, "Track Page View");
/// assert_eq!((outcome.ok, outcome.missing.as_slice()), (false, ["url".to_string()].as_slice()));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Index of the preset in [`CompiledDestination::presets`].
    pub preset: usize,
    /// Whether every required field resolved to a value of the right type.
    pub ok: bool,
    /// Required fields that resolved to nothing.
    pub missing: Vec<String>,
    /// Fields with values of the wrong type or outside their choices: (field, why).
    pub invalid: Vec<(String, String)>,
}

impl CompiledDestination {
    /// Compiles `file`: parses every trigger and mapping, types every action's fields.
    ///
    /// # Errors
    ///
    /// A [`CompileError`] with every [`Problem`], each naming its action or preset: a field
    /// definition that is not one, a preset running an undefined action, a trigger or a mapping
    /// that does not parse.
    ///
    /// ```
    /// use cdpspec::coverage::{CompiledDestination, Problem};
    ///
    /// let mut file = cdpspec::destination::load("customerio").unwrap();
    /// assert!(CompiledDestination::new(&file).is_ok());
    /// file.presets.as_mut().unwrap()[0].action = "createPerson".into();
    /// let error = CompiledDestination::new(&file).err().unwrap();
    /// assert!(matches!(&error.problems[0], Problem::UnknownAction { action, .. } if action == "createPerson"));
    /// ```
    pub fn new(file: &DestinationFile) -> Result<Self, CompileError> {
        let mut problems = Vec::new();
        let mut fields = BTreeMap::new();
        for (key, action) in &file.actions {
            let mut typed = BTreeMap::new();
            for (name, field) in &action.fields {
                match serde_json::from_value::<Field>(field.clone()) {
                    Ok(f) => {
                        typed.insert(name.clone(), f);
                    }
                    Err(source) => problems.push(Problem::Field { action: key.clone(), field: name.clone(), source }),
                }
            }
            fields.insert(key.clone(), typed);
        }
        let mut presets = Vec::new();
        for preset in file.presets.iter().flatten() {
            match compile_preset(preset, file) {
                Ok(p) => presets.push(p),
                Err(e) => problems.push(e),
            }
        }
        let actions = file.actions.iter().map(|(k, a)| (k.clone(), a.title.clone())).collect();
        if problems.is_empty() { Ok(CompiledDestination { name: file.destination.clone(), presets, fields, actions }) } else { Err(CompileError { problems }) }
    }

    /// What every preset whose trigger matches `call` does with it, in preset order.
    ///
    /// ```
    /// use cdpspec::coverage::CompiledDestination;
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let call = serde_json::json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"});
    /// let outcomes = customerio.evaluate(&call);
    /// assert_eq!(outcomes.len(), 1);
    /// assert_eq!((customerio.presets[outcomes[0].preset].name.as_str(), outcomes[0].ok), ("Track Event", true));
    /// ```
    pub fn evaluate(&self, call: &Value) -> Vec<Outcome> {
        let fields = Call::of(call);
        (0..self.presets.len()).filter(|&i| self.presets[i].trigger.matches_call(&fields)).map(|i| self.outcome(i, call)).collect()
    }

    /// What preset `preset`, whose trigger matched, does with `call`: its mapping resolved and
    /// checked against its action's fields.
    pub(crate) fn outcome(&self, preset: usize, call: &Value) -> Outcome {
        let p = &self.presets[preset];
        let check = self.fields.get(&p.action).map(|fields| p.mapping.check(call, fields)).unwrap_or_default();
        self.outcome_of(preset, check)
    }

    /// The outcome of preset `preset` whose action's fields were checked as `check` says.
    pub(crate) fn outcome_of(&self, preset: usize, check: FieldCheck) -> Outcome {
        Outcome { preset, ok: check.is_ok(), missing: check.missing, invalid: check.invalid }
    }

    /// One outcome of [`CompiledDestination::evaluate`] as JSON: the destination, the preset, its
    /// action, whether it succeeded, the required fields that resolved to nothing, and (when
    /// there are any) the fields with invalid values and why. `coverage --per-call` and the
    /// collector print actions so.
    ///
    /// ```
    /// use cdpspec::coverage::CompiledDestination;
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// let page = serde_json::json!({"type": "page", "userId": "97980cfea0067", "name": "home"});
    /// let action = customerio.describe(&customerio.evaluate(&page)[0]);
    /// assert_eq!(action, serde_json::json!({"destination": "Actions Customerio", "preset": "Track Page View", "action": "trackPageView", "ok": false, "missing": ["url"]}));
    /// ```
    pub fn describe(&self, outcome: &Outcome) -> Value {
        let preset = &self.presets[outcome.preset];
        let mut entry =
            serde_json::json!({"destination": self.name, "preset": preset.name, "action": preset.action, "ok": outcome.ok, "missing": outcome.missing});
        if !outcome.invalid.is_empty() {
            entry["invalid"] = outcome.invalid.iter().map(|(f, why)| serde_json::json!({"field": f, "reason": why})).collect();
        }
        entry
    }

    /// The preset named `name`, or the first preset running action `action`.
    ///
    /// ```
    /// use cdpspec::coverage::CompiledDestination;
    ///
    /// let customerio = CompiledDestination::new(&cdpspec::destination::load("customerio").unwrap()).unwrap();
    /// assert_eq!(customerio.find("Track Event"), customerio.find("trackEvent"));
    /// assert_eq!(customerio.find("Track Everything"), None);
    /// ```
    pub fn find(&self, name_or_action: &str) -> Option<usize> {
        self.presets.iter().position(|p| p.name == name_or_action).or_else(|| self.presets.iter().position(|p| p.action == name_or_action))
    }
}

fn compile_preset(preset: &Preset, file: &DestinationFile) -> Result<CompiledPreset, Problem> {
    let name = || preset.name.clone();
    let action = file.actions.get(&preset.action).ok_or_else(|| Problem::UnknownAction { preset: name(), action: preset.action.clone() })?;
    let trigger = Trigger::parse(&preset.trigger).map_err(|source| Problem::Trigger { preset: name(), trigger: preset.trigger.clone(), source })?;
    let mapping = Mapping::parse(&preset.mapping).map_err(|source| Problem::Mapping { preset: name(), source })?;
    Ok(CompiledPreset { name: preset.name.clone(), action: preset.action.clone(), action_title: action.title.clone(), trigger, mapping })
}
