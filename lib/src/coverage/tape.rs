//! Evaluating a call read from the fast path's tape, with the verdicts
//! [`CompiledDestination::evaluate`] gives on the call as [`calls_of`](super::calls_of) builds
//! it. Triggers are asked on the tape itself. A preset whose trigger matches checks its
//! action's fields on the tape too when its mapping uses only the common directives
//! (`Mapping::check_direct`); otherwise it resolves its mapping against a copy of only what the
//! mapping reads (`Needs`), with the batch's `context` and `integrations` merged in as
//! `calls_of` merges them (so does a mapping that reads them). Where the call `calls_of` builds
//! differs from the tape in a way a trigger could see (a `type` the source implies; a batch
//! `context` when a trigger reads `context`), the caller evaluates the `serde_json::Value`
//! instead: [`TapeEvaluator::evaluate`] says `None`.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::calls::with_envelope;
use super::compile::{CompiledDestination, Outcome};
use super::handoff::Outcomes;
use crate::CallType;
use crate::destination::CallJson;
use crate::destination::mapping::{Direct, Field, Needs};
use crate::destination::Call;
use crate::fast::json::Kind;
use crate::fast::tape;

/// A destination made ready to evaluate calls on the tape.
pub struct TapeEvaluator {
    destination: Arc<CompiledDestination>,
    /// Per preset, how its mapping is checked.
    presets: Vec<Preset>,
    /// Whether some trigger reads `context`, which a batch's `context` merges into.
    triggers_read_context: bool,
}

/// How one preset's mapping is checked against its action's fields.
struct Preset {
    /// On the tape, when its directives allow.
    direct: Option<Direct>,
    /// What it reads of a call, to copy.
    needs: Needs,
    /// What merging the batch's `context` and `integrations` into a call reads of the batch.
    envelope: Needs,
}

/// The fields of an action that has none.
static NO_FIELDS: BTreeMap<String, Field> = BTreeMap::new();

impl TapeEvaluator {
    /// Finds how each preset's mapping is checked.
    pub fn new(destination: Arc<CompiledDestination>) -> TapeEvaluator {
        let presets = destination
            .presets
            .iter()
            .map(|preset| {
                let fields = destination.fields.get(&preset.action).unwrap_or(&NO_FIELDS);
                let needs = preset.mapping.needs(fields);
                Preset { direct: preset.mapping.direct(fields), envelope: envelope_needs(&needs), needs }
            })
            .collect();
        let triggers_read_context = destination.presets.iter().any(|p| p.trigger.reads_context());
        TapeEvaluator { destination, presets, triggers_read_context }
    }

    /// The destination.
    pub fn destination(&self) -> &CompiledDestination {
        &self.destination
    }

    /// [`TapeEvaluator::evaluate`] for a call on the tape (for tests).
    pub fn evaluate_tape(&self, call: tape::Value<'_>, envelope: Option<tape::Value<'_>>, default_type: Option<CallType>) -> Option<Vec<Outcome>> {
        self.evaluate(&Call::of(call), envelope, default_type).map(Outcomes::into_vec)
    }

    /// What every preset whose trigger matches does with `call`, an item of the batch
    /// `envelope` or (without one) a call or an item of an array, whose type is `default_type`
    /// when it has none; `None` when only the call as a `serde_json::Value` can tell.
    pub(crate) fn evaluate<J: CallJson>(&self, call: &Call<J>, envelope: Option<J>, default_type: Option<CallType>) -> Option<Outcomes> {
        let object = call.value().kind() == Kind::Object;
        match envelope {
            // `calls_of` gives the call the type: triggers would read it.
            None if default_type.is_some() && object && call.get("type").is_none() => return None,
            // `calls_of` merges the batch's context into the call's: triggers would read it.
            Some(envelope) if self.triggers_read_context && object && envelope.get("context").is_some_and(|c| c.kind() == Kind::Object) => return None,
            _ => {}
        }
        let mut outcomes = Outcomes::None;
        for (i, preset) in self.destination.presets.iter().enumerate() {
            if !preset.trigger.matches_call(call) {
                continue;
            }
            let plan = &self.presets[i];
            // Directly, unless a batch's context or integrations would merge into what it reads.
            let direct = (envelope.is_none() || plan.envelope == Needs::Nothing)
                .then(|| {
                    let fields = self.destination.fields.get(&preset.action).unwrap_or(&NO_FIELDS);
                    preset.mapping.check_direct(plan.direct.as_ref()?, call, fields)
                })
                .flatten();
            let outcome = match direct {
                Some(check) => self.destination.outcome_of(i, check),
                None => {
                    let mut copy = plan.needs.copy(call.value())?;
                    if let Some(envelope) = envelope
                        && let Value::Object(shared) = plan.envelope.copy(envelope)?
                    {
                        copy = with_envelope(copy, &shared);
                    }
                    self.destination.outcome(i, &copy)
                }
            };
            outcomes.push(outcome);
        }
        Some(outcomes)
    }
}

/// What merging a batch's `context` and `integrations` into a call reads of the batch, when the
/// mapping reads `needs` of the call.
fn envelope_needs(needs: &Needs) -> Needs {
    const MERGED: [&str; 2] = ["context", "integrations"];
    match needs {
        Needs::Nothing => Needs::Nothing,
        Needs::All => Needs::Members(MERGED.iter().map(|k| (k.to_string(), Needs::All)).collect()),
        Needs::Members(members) => {
            let merged: BTreeMap<String, Needs> = members.iter().filter(|(k, _)| MERGED.contains(&k.as_str())).map(|(k, n)| (k.clone(), n.clone())).collect();
            if merged.is_empty() { Needs::Nothing } else { Needs::Members(merged) }
        }
    }
}
