//! The inspector's read-only views, each also plain API: `/_cdpspec/calls/{id}` (one call in
//! full), `/_cdpspec/summary` (events seen against the tracking plan, diagnostics per rule,
//! tags), `/_cdpspec/timeline` (calls and errors per span of the last minutes) and
//! `/_cdpspec/rules` (the rule documentation, so the page links to it offline).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::SystemTime;

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use cdpspec::Rule;
use serde_json::{Value, json};

use super::api::scope;
use super::reply::{error, json};
use super::{App, Tag};

fn storage_failed(e: &crate::store::StoreError) -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, "storage-failed", &e.to_string(), None)
}

/// `GET /_cdpspec/calls/{id}`: the call stored with `id` (the list's `id`): its summary's
/// fields, `batchIndex`, `call` (as stored), `text` (its compact JSON, as received, for exact
/// numbers), `diagnostics` and `actions`.
pub(crate) async fn call(
    State(app): State<Arc<App>>,
    Extension(Tag(tag)): Extension<Tag>,
    Path(id): Path<String>,
    Query(params): Query<Vec<(String, String)>>,
) -> Response {
    let tag = match scope(tag, &params) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    let Ok(id) = id.parse::<i64>() else {
        return error(
            StatusCode::BAD_REQUEST,
            "bad-query",
            &format!("`{id}` is not a call id: ids are the whole numbers `/_cdpspec/calls?fields=summary` lists"),
            None,
        );
    };
    match app.store.detail(id, tag).await {
        Ok(Some(detail)) => {
            let mut body = detail.summary.to_json();
            body["batchIndex"] = json!(detail.batch_index);
            body["call"] = serde_json::from_str(&detail.call).unwrap_or(Value::Null);
            body["text"] = Value::String(detail.call);
            body["diagnostics"] = serde_json::from_str(&detail.diagnostics).unwrap_or_else(|_| json!([]));
            body["actions"] = serde_json::from_str(&detail.actions).unwrap_or_else(|_| json!([]));
            json(StatusCode::OK, &body)
        }
        Ok(None) => error(StatusCode::NOT_FOUND, "no-such-call", &format!("no call {id} is stored (here): it was deleted, or sent under another tag"), None),
        Err(e) => storage_failed(&e),
    }
}

/// The names the plan lists: track events, and pages and screens by name (`*` stands for
/// any), each with the type it is for.
fn planned(app: &App) -> Option<(String, BTreeSet<(&'static str, String)>)> {
    let validator = app.intake.engine().options().plan.as_ref()?;
    let plan = validator.plan();
    let mut names = BTreeSet::new();
    names.extend(plan.events.iter().map(|e| ("track", e.name.clone())));
    names.extend(plan.pages.iter().map(|p| ("page", p.name.clone())));
    names.extend(plan.screens.iter().map(|s| ("screen", s.name.clone())));
    Some((plan.name.clone(), names))
}

/// `GET /_cdpspec/summary`: what a session sent, against the tracking plan when there is one.
/// `events`: per type and event (or page/screen name), calls, errors, warnings and whether the
/// plan has it (`planned`: null without a plan, or for types the plan does not name);
/// `neverArrived`: what the plan names and no call was; `unplanned`: events that arrived and
/// the plan lacks; `rules`: per rule, the calls and diagnostics; `tags`.
pub(crate) async fn summary(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let tag = match scope(tag, &params) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    let session = match app.store.session(tag).await {
        Ok(session) => session,
        Err(e) => return storage_failed(&e),
    };
    let plan = planned(&app);
    let names = plan.as_ref().map(|(_, names)| names);
    let is_planned = |kind: &str, label: &str| -> Option<bool> {
        let names = names?;
        if !matches!(kind, "track" | "page" | "screen") {
            return None;
        }
        Some(names.contains(&(kind_name(kind), label.to_string())) || (kind != "track" && names.contains(&(kind_name(kind), "*".to_string()))))
    };
    let mut seen = BTreeSet::new();
    let mut events = Vec::new();
    let mut unplanned = Vec::new();
    for e in &session.events {
        let kind = e.call_type.as_deref().unwrap_or_default();
        let label = e.label.as_deref();
        let planned = label.and_then(|l| is_planned(kind, l));
        if let Some(l) = label {
            seen.insert((kind.to_string(), l.to_string()));
        }
        let entry = json!({"type": e.call_type, "name": label, "calls": e.calls, "errors": e.errors, "warnings": e.warnings, "planned": planned});
        if planned == Some(false) {
            unplanned.push(entry.clone());
        }
        events.push(entry);
    }
    let never: Vec<Value> = names
        .into_iter()
        .flatten()
        .filter(|(kind, name)| name != "*" && !seen.contains(&(kind.to_string(), name.clone())))
        .map(|(kind, name)| json!({"type": kind, "name": name}))
        .collect();
    let severities: BTreeMap<&str, Rule> = Rule::ALL.iter().map(|r| (r.code(), *r)).collect();
    let rules: Vec<Value> = session
        .rules
        .iter()
        .map(|r| {
            let summary = severities.get(r.code.as_str()).map(|rule| rule.summary());
            json!({"code": r.code, "rule": r.rule, "severity": r.severity, "calls": r.calls, "diagnostics": r.diagnostics, "summary": summary})
        })
        .collect();
    let tags: Vec<Value> = session.tags.iter().map(|(t, n)| json!({"tag": if t.is_empty() { None } else { Some(t) }, "calls": n})).collect();
    let plan = plan.map(|(name, names)| json!({"name": name, "planned": names.len()}));
    json(StatusCode::OK, &json!({"plan": plan, "events": events, "neverArrived": never, "unplanned": unplanned, "rules": rules, "tags": tags}))
}

/// The static name of a call type the plan names things for.
fn kind_name(kind: &str) -> &'static str {
    match kind {
        "page" => "page",
        "screen" => "screen",
        _ => "track",
    }
}

/// Longest timeline, in minutes.
const MAX_MINUTES: u64 = 24 * 60;
/// Most spans in a timeline.
const MAX_BUCKETS: u64 = 600;

/// `GET /_cdpspec/timeline?minutes=15&buckets=60`: calls and calls with errors received in each
/// of `buckets` equal spans of the last `minutes`, oldest first: `{"start", "width"` (ms since
/// the epoch, ms), `"calls": [...], "errors": [...]}`. Scoped to a tag like the rest.
pub(crate) async fn timeline(State(app): State<Arc<App>>, Extension(Tag(tag)): Extension<Tag>, Query(params): Query<Vec<(String, String)>>) -> Response {
    let (mut minutes, mut buckets) = (15, 60);
    let mut rest = Vec::new();
    for (key, value) in params {
        let bound = match key.as_str() {
            "minutes" => Some((&mut minutes, MAX_MINUTES)),
            "buckets" => Some((&mut buckets, MAX_BUCKETS)),
            _ => None,
        };
        match bound {
            Some((slot, max)) => match value.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => *slot = n,
                _ => return error(StatusCode::BAD_REQUEST, "bad-query", &format!("`{key}={value}`: expected a whole number from 1 to {max}"), None),
            },
            None => rest.push((key, value)),
        }
    }
    let tag = match scope(tag, &rest) {
        Ok(tag) => tag,
        Err(response) => return response,
    };
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    let width = (minutes * 60_000 / buckets).max(1) as i64;
    // Spans end on a multiple of their width, so a page adding live calls agrees with them.
    let end = (now / width + 1) * width;
    match app.store.timeline(tag, end, width, buckets as usize).await {
        Ok(counts) => {
            let start = end - width * buckets as i64;
            let calls: Vec<u64> = counts.iter().map(|c| c.0).collect();
            let errors: Vec<u64> = counts.iter().map(|c| c.1).collect();
            json(StatusCode::OK, &json!({"start": start, "width": width, "calls": calls, "errors": errors}))
        }
        Err(e) => storage_failed(&e),
    }
}

/// `GET /_cdpspec/rules`: every rule with its code, name, severity here (`off` when turned
/// off), default severity, summary, why it matters, and a failing and a passing example.
pub(crate) async fn rules(State(app): State<Arc<App>>) -> Response {
    let engine = app.intake.engine();
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            let (failing, passing, needs_plan) = rule.examples();
            json!({
                "code": rule.code(),
                "rule": rule.name(),
                "severity": engine.severity(*rule).map_or("off", |s| s.as_str()),
                "default": rule.default_severity().as_str(),
                "summary": rule.summary(),
                "why": rule.why(),
                "failing": failing,
                "passing": passing,
                "needsPlan": needs_plan,
            })
        })
        .collect();
    json(StatusCode::OK, &json!({ "rules": rules }))
}
