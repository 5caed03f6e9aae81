//! `cdpspec map`: the payload one call produces for one action, and why each field resolved as
//! it did, as destination UIs' "test mapping" shows it.

use std::path::PathBuf;

use cdpspec::coverage::{CompiledDestination, calls_of};
use cdpspec::destination::mapping::{Mapping, Outcome, check_fields};
use cdpspec::input::Record;
use cdpspec::input::Source;
use cdpspec::{CallType, destination};
use serde_json::{Map, Value, json};

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::parse_call_type;

#[derive(clap::Args)]
pub struct Args {
    /// A file holding the call (the first one unless --index says), or `-`.
    #[arg(value_name = "PAYLOAD")]
    payload: String,
    /// A bundled destination (customerio, mixpanel, amplitude, webhook) or a destination file.
    #[arg(long, short, value_name = "NAME|FILE")]
    destination: String,
    /// The action's key (`trackEvent`), title (`Track Event`) or a preset's name.
    #[arg(long, short, value_name = "KEY")]
    action: String,
    /// Which call of the file to map, counting from 0 across NDJSON lines and batch items.
    #[arg(long, default_value_t = 0)]
    index: usize,
    /// The type of a payload without `type`.
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> ExitStatus {
    let file = match destination::load(&args.destination) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let compiled = match CompiledDestination::new(&file) {
        Ok(c) => c,
        Err(source) => return fail(cdpspec::config::ConfigError::Destination { name: args.destination.clone(), source }),
    };
    let source = if args.payload == "-" { Source::Stdin } else { Source::File(PathBuf::from(&args.payload)) };
    let call = match first_call(&source, args.call_type.or_else(|| source.implied_type()), args.index) {
        Ok(call) => call,
        Err(e) => return fail(e),
    };
    let name = match compiled.resolve(&args.action) {
        Ok(name) => name,
        Err(e) => return fail(e),
    };
    // The preset named, or the first preset running the action; else the action's own defaults.
    let preset = compiled
        .find(&name)
        .or_else(|| compiled.presets.iter().position(|p| p.action_title == name))
        .or_else(|| compiled.presets.iter().position(|p| p.action_title == args.action));
    let (action_key, preset_name, trigger, mapping) = match preset {
        Some(i) => {
            let p = &compiled.presets[i];
            (p.action.clone(), Some(p.name.clone()), Some(&p.trigger), p.mapping.clone())
        }
        None => {
            let Some((key, action)) = file.actions.iter().find(|(k, a)| **k == name || a.title == name) else {
                return fail(format!("`{name}` is neither a preset nor an action of {}", file.destination));
            };
            let defaults: Map<String, Value> = action.fields.iter().filter_map(|(name, f)| f.get("default").map(|d| (name.clone(), d.clone()))).collect();
            match Mapping::parse(&Value::Object(defaults)) {
                Ok(m) => (key.clone(), None, None, m),
                Err(e) => return fail(format!("the default mapping of `{key}` does not parse: {e}")),
            }
        }
    };
    let fields = compiled.fields.get(&action_key).cloned().unwrap_or_default();
    let matches = trigger.map(|t| t.matches(&call));
    let resolutions = mapping.explain_for(&call, &fields);
    let payload = mapping.resolve(&call);
    let check = check_fields(&payload, &fields);
    let ok = matches != Some(false) && check.missing.is_empty() && check.invalid.is_empty();
    let title = file.actions.get(&action_key).map(|a| a.title.clone()).unwrap_or_default();
    if args.json {
        let fields: Vec<Value> =
            resolutions.iter().map(|r| json!({"key": r.key, "directive": r.directive, "mapping": r.mapping, "outcome": describe(&r.outcome)})).collect();
        let out = json!({
            "destination": file.destination, "action": action_key, "title": title, "preset": preset_name,
            "trigger": trigger.map(|t| json!({"source": t.source(), "matches": matches, "notes": t.notes().iter().map(|n| json!({"position": n.position, "message": n.message})).collect::<Vec<_>>()})),
            "fields": fields, "payload": payload, "ok": ok, "missing": check.missing,
            "invalid": check.invalid.iter().map(|(f, why)| json!({"field": f, "reason": why})).collect::<Vec<_>>(),
        });
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else {
        outln!(
            "{} / {title} ({action_key}){}",
            file.destination,
            preset_name.as_ref().map(|p| format!(", preset `{p}`")).unwrap_or_else(|| ", default mapping (no preset runs it)".into())
        );
        match trigger {
            Some(t) => {
                outln!("trigger: {}  ->  {}", t.source(), if matches == Some(true) { "matches" } else { "does not match: the action would not run" });
                for n in t.notes() {
                    outln!("  note at {}: {}", n.position, n.message);
                }
            }
            None => outln!("trigger: none (mapping only)"),
        }
        outln!("fields:");
        let width = resolutions.iter().map(|r| r.key.len()).max().unwrap_or(0);
        for r in &resolutions {
            let required = if fields.get(&r.key).is_some_and(|f| f.required) { " (required)" } else { "" };
            outln!("  {:<width$}  {:<10} {}{required}", r.key, r.directive, describe(&r.outcome));
        }
        outln!("payload:\n{}", serde_json::to_string_pretty(&payload).unwrap_or_default());
        if ok {
            outln!("ok: every required field resolved");
        } else {
            let mut why: Vec<String> = check.missing.iter().map(|m| format!("missing required `{m}`")).collect();
            why.extend(check.invalid.iter().map(|(f, r)| format!("`{f}`: {r}")));
            if matches == Some(false) {
                why.insert(0, "the trigger does not match".into());
            }
            outln!("fails: {}", why.join("; "));
        }
    }
    ExitStatus::failure_if(!ok)
}

/// One line saying what a field resolved to and why.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Value(v) => format!("= {v}"),
        other => other.to_string(),
    }
}

/// The call at `index` of `source`, counting calls across its documents.
fn first_call(source: &Source, default_type: Option<CallType>, index: usize) -> Result<Value, String> {
    let mut seen = 0;
    let mut found: Option<Result<Value, String>> = None;
    let mut visit = |record: Record<'_>| {
        if found.is_some() {
            return;
        }
        match record {
            Record::Blank => {}
            Record::Unparsed { line, column, message, .. } if seen <= index => {
                found = Some(Err(format!("{}:{line}:{column}: {message}", source.display_name())));
            }
            Record::Unparsed { .. } => {}
            Record::Parsed { value, .. } => {
                let calls = calls_of(&value, default_type);
                let count = calls.len();
                if index < seen + count {
                    found = calls.into_iter().nth(index - seen).map(|c| Ok(c.call));
                }
                seen += count;
            }
        }
    };
    let result = source.records(&mut visit);
    result.map_err(|e| format!("cannot read {}: {e}", source.display_name()))?;
    found.unwrap_or_else(|| Err(format!("{} holds {}; --index {index} is past them", source.display_name(), cdpspec::words::plural(seen, "call"))))
}
