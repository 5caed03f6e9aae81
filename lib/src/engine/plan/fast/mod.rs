//! The tracking plan on the fast path. When the plan is compiled, each section schema is also
//! compiled into a [`Program`] over the fast path's [`Json`] view (`compile.rs`), which answers
//! only "certainly valid" or "maybe not" (`eval.rs`); the precise path stays the only one that
//! writes findings, so the output is the same with or without it. Which rules apply to a call
//! is decided once for both paths (`select.rs`).
//!
//! A call passes the plan when every rule that applies to it passes, with the severities in
//! force: a section the call lacks is checked as `{}` (as the precise path does; whether `{}` is
//! valid is asked of `jsonschema` once), a section that is not compiled never passes, and the
//! plan's rules that are off are not asked.

mod compile;
mod equal;
mod eval;
mod formats;
mod leaf;
mod patterns;
mod program;
mod scalar;

use jsonschema::Validator;
use serde_json::Value;

use super::Section;
use super::select::{Applies, Parts};
use super::validator::{Compiled, PlanValidator};
use crate::CallType;
use crate::check::RulesOn;
use crate::fast::json::Json;
use crate::rule::Rule;
use program::Program;

/// A section schema for the fast path.
pub(super) struct Checker {
    /// The compiled schema, `None` when the section is not compiled (its calls take the precise
    /// path).
    program: Option<Program>,
    /// Whether `{}` (what a call without the section is checked as) is valid.
    empty_passes: bool,
}

impl Checker {
    /// The checker of `schema`, which `validator` is `jsonschema`'s compilation of.
    pub(super) fn compile(schema: &Value, validator: &Validator) -> Checker {
        Checker { program: compile::compile(schema), empty_passes: validator.is_valid(&Value::Object(serde_json::Map::new())) }
    }

    /// Whether the section is compiled for the fast path.
    pub(super) fn is_compiled(&self) -> bool {
        self.program.is_some()
    }

    /// Whether `section` (absent: `None`) is certainly valid.
    fn passes<V: Json>(&self, section: Option<V>) -> bool {
        match section {
            None => self.empty_passes,
            Some(v) => self.program.as_ref().is_some_and(|program| eval::certainly_valid(program, v)),
        }
    }
}

/// The plan's rules a section schema's violations are reported as.
const SECTION_RULES: [Rule; 4] = [Rule::RequiredMissing, Rule::DatatypeMismatch, Rule::AdditionalProperties, Rule::AdvancedRule];

impl PlanValidator {
    /// Whether the plan certainly reports nothing about `call` (an object of type `call_type`)
    /// with the rules `on`; `false` when it may.
    pub(crate) fn passes<V: Json>(&self, call: V, call_type: CallType, on: RulesOn) -> bool {
        if call_type == CallType::Alias {
            return true;
        }
        let sections_on = SECTION_RULES.iter().any(|r| on.has(*r));
        let parts = &Parts::of(call);
        let mut passes = true;
        self.select(parts, call_type, |applies| {
            passes = passes
                && match applies {
                    Applies::Unplanned(_) => !on.has(Rule::UnplannedEvent),
                    Applies::Rule(compiled, only) => compiled.passes(parts, only, on, sections_on),
                };
        });
        passes
    }

    /// How many of the plan's section schemas the fast path compiled, of how many.
    pub fn fast_sections(&self) -> (usize, usize) {
        let rules = [&self.common, &self.identify, &self.group]
            .into_iter()
            .chain(self.pages.iter().chain(&self.screens).map(|(_, rule)| rule))
            .chain(self.events.iter().flatten());
        rules.flat_map(|rule| &rule.sections).fold((0, 0), |(compiled, all), s| (compiled + usize::from(s.fast.is_compiled()), all + 1))
    }
}

impl Compiled {
    /// Whether this rule certainly reports nothing about the sections `only` of a call (whose
    /// members the plan reads are `parts`).
    fn passes<V: Json>(&self, parts: &Parts<V>, only: &[Section], on: RulesOn, sections_on: bool) -> bool {
        if on.has(Rule::RequiredMissing) && self.requires.iter().any(|s| only.contains(s) && parts.section(*s).is_none()) {
            return false;
        }
        !sections_on || self.sections.iter().filter(|s| only.contains(&s.section)).all(|s| s.fast.passes(parts.section(s.section)))
    }
}
