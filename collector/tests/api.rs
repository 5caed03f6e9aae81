//! The API users' test suites depend on: the endpoints SDKs send to, `/_cdpspec/counts`,
//! `/_cdpspec/calls` (filters, order, limit, waiting), tags, reset, `calls.ndjson`, settings,
//! CORS, write keys, strict mode, `--max-events`, destinations and plans. Names here are a
//! contract: a test failing here means users' tests break.

mod common;

use std::time::{Duration, Instant};

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::Intake;
use cdpspec_collector::Options;
use cdpspec_collector::store::DbPath;
use common::{Server, request};
use serde_json::{Value, json};

const TRACK: &str = r#"{"type":"track","userId":"97980cfea0067","event":"Course Enrolled","properties":{"course":"Rust"},"messageId":"m-track"}"#;

fn counts(server: &Server, query: &str) -> (u64, u64, u64, u64, u64) {
    let c = server.json(&format!("/_cdpspec/counts{query}"));
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("no {k} in {c}"));
    (n("total"), n("valid"), n("warnings"), n("errors"), n("refused"))
}

#[test]
fn every_endpoint_takes_its_call_and_the_path_implies_the_type() {
    let server = Server::start();
    let bodies = [
        ("identify", r#"{"userId":"u1","traits":{"email":"cool.person@example.com"}}"#),
        ("i", r#"{"userId":"u1"}"#),
        ("track", r#"{"userId":"u1","event":"Signed Up"}"#),
        ("t", r#"{"anonymousId":"a1","event":"Signed Up"}"#),
        ("page", r#"{"userId":"u1","name":"Home"}"#),
        ("p", r#"{"userId":"u1"}"#),
        ("screen", r#"{"userId":"u1","name":"Home"}"#),
        ("s", r#"{"userId":"u1"}"#),
        ("group", r#"{"userId":"u1","groupId":"g1"}"#),
        ("g", r#"{"userId":"u1","groupId":"g1"}"#),
        ("alias", r#"{"userId":"u1","previousId":"a1"}"#),
        ("a", r#"{"userId":"u1","previousId":"a1"}"#),
    ];
    for (path, body) in bodies {
        let response = server.post(&format!("/v1/{path}"), body);
        assert_eq!((response.status, response.json()), (200, json!({"success": true})), "/v1/{path}");
    }
    for (path, kind) in [("batch", "track"), ("import", "page"), ("b", "screen")] {
        let body = json!({"batch": [{"type": kind, "userId": "u1", "event": "Signed Up", "name": "Home"}]}).to_string();
        assert_eq!(server.post(&format!("/v1/{path}"), &body).status, 200, "/v1/{path}");
    }
    let listed = server.json("/_cdpspec/calls?order=oldest");
    let types: Vec<&str> = listed["calls"].as_array().unwrap().iter().map(|c| c["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        ["identify", "identify", "track", "track", "page", "page", "screen", "screen", "group", "group", "alias", "alias", "track", "page", "screen"]
    );
    assert_eq!(counts(&server, ""), (15, 15, 0, 0, 0));
    // A type in the body wins over the path's; a batch item needs its own.
    server.post("/v1/track", r#"{"type":"page","userId":"u1","name":"Pricing"}"#);
    assert_eq!(server.json("/_cdpspec/calls?limit=1")["calls"][0]["type"], "page");
    server.post("/v1/batch", r#"{"batch":[{"userId":"u1","event":"Signed Up"}]}"#);
    assert_eq!(server.json("/_cdpspec/calls?limit=1")["calls"][0]["diagnostics"][0]["rule"], "missing-type");
}

#[test]
fn a_batch_shares_its_context_and_integrations_and_every_call_is_stamped() {
    let server = Server::start();
    let before = cdpspec::intake::rfc3339_millis(std::time::SystemTime::now());
    let body = json!({
        "batch": [
            {"type": "track", "userId": "u1", "event": "Signed Up", "context": {"locale": "fr-FR"}},
            {"type": "identify", "userId": "u1", "integrations": {"Mixpanel": false}, "receivedAt": "2001-01-01T00:00:00Z"}
        ],
        "context": {"locale": "en-US", "library": {"name": "analytics-python", "version": "2.4.0"}},
        "integrations": {"All": true, "Mixpanel": true},
        "sentAt": "2026-12-06T09:30:00Z",
        "writeKey": "wk"
    });
    assert_eq!(server.post("/v1/batch", &body.to_string()).status, 200);
    let after = cdpspec::intake::rfc3339_millis(std::time::SystemTime::now());
    let calls = server.json("/_cdpspec/calls?order=oldest")["calls"].as_array().unwrap().clone();
    assert_eq!(calls[0]["context"], json!({"locale": "fr-FR", "library": {"name": "analytics-python", "version": "2.4.0"}}), "the call's own keys win");
    assert_eq!(calls[0]["integrations"], json!({"All": true, "Mixpanel": true}));
    assert_eq!(calls[1]["integrations"], json!({"All": true, "Mixpanel": false}));
    assert_eq!(calls[1]["context"]["locale"], "en-US");
    for call in &calls {
        let stamp = call["receivedAt"].as_str().unwrap();
        assert!(before.as_str() <= stamp && stamp <= after.as_str(), "{stamp} between {before} and {after}");
        assert_eq!((call["status"].as_str(), call["tag"].clone()), (Some("valid"), Value::Null));
        assert_eq!(call["diagnostics"], json!([]));
        assert_eq!(call["actions"], json!([]), "no destination");
    }
}

#[test]
fn counts_add_up_and_diagnostics_have_validates_fields() {
    let server = Server::start();
    server.post("/v1/track", TRACK);
    server.post("/v1/identify", r#"{"userId":42}"#); // warning: numeric identifier
    server.post(
        "/v1/batch",
        r#"{"batch":[{"type":"track","event":"Signed Up"},{"type":"track","userId":"u1","event":"Order Completed","properties":{"revenue":"12"}}]}"#,
    );
    server.post("/v1/batch", r#"{"batch": ["#); // refused
    assert_eq!(counts(&server, ""), (4, 2, 1, 2, 1), "total = valid + errors; warnings among the valid");
    let warned = &server.json("/_cdpspec/calls?status=warnings")["calls"][0];
    assert_eq!(warned["diagnostics"][0]["rule"], "numeric-identifier");
    let errored = server.json("/_cdpspec/calls?status=errors&order=oldest");
    let d = &errored["calls"][0]["diagnostics"][0];
    for field in ["path", "line", "column", "severity", "code", "rule", "pointer", "message"] {
        assert!(!d[field].is_null(), "diagnostics carry `{field}` as validate --format json does: {d}");
    }
    assert_eq!(
        (d["code"].as_str(), d["rule"].as_str(), d["path"].as_str(), d["index"].as_u64()),
        (Some("CDP103"), Some("missing-identity"), Some("POST /v1/batch"), Some(0))
    );
    let revenue = &errored["calls"][1]["diagnostics"][0];
    assert_eq!((revenue["pointer"].as_str(), revenue["index"].as_u64()), (Some("/properties/revenue"), Some(1)), "pointers are into the call");
}

#[test]
fn calls_are_filtered_ordered_and_limited() {
    let server = Server::start();
    let t0 = cdpspec::intake::rfc3339_millis(std::time::SystemTime::now());
    std::thread::sleep(Duration::from_millis(20));
    server.post(
        "/v1/batch",
        &json!({"batch": [
            {"type": "track", "userId": "u1", "event": "Signed Up", "messageId": "m1"},
            {"type": "track", "anonymousId": "a2", "event": "Course Enrolled", "messageId": "m2"},
            {"type": "page", "userId": "u1", "name": "Pricing", "messageId": "m3"},
            {"type": "screen", "userId": 7, "name": "Home", "messageId": "m4"},
        ]})
        .to_string(),
    );
    std::thread::sleep(Duration::from_millis(20));
    let t1 = cdpspec::intake::rfc3339_millis(std::time::SystemTime::now());
    std::thread::sleep(Duration::from_millis(20));
    server.post("/v1/track", r#"{"userId":"u2","event":"Signed Up","messageId":"m5"}"#);
    let ids = |query: &str| -> Vec<String> {
        server.json(&format!("/_cdpspec/calls?{query}"))["calls"].as_array().unwrap().iter().map(|c| c["messageId"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(""), ["m5", "m4", "m3", "m2", "m1"], "newest first by default");
    assert_eq!(ids("order=oldest"), ["m1", "m2", "m3", "m4", "m5"]);
    assert_eq!(ids("type=track&order=oldest"), ["m1", "m2", "m5"]);
    assert_eq!(ids("event=Signed%20Up"), ["m5", "m1"]);
    assert_eq!(ids("event=Signed+Up&userId=u1"), ["m1"]);
    assert_eq!(ids("name=Pricing"), ["m3"]);
    assert_eq!(ids("userId=7"), ["m4"], "a numeric userId matches its text");
    assert_eq!(ids("anonymousId=a2"), ["m2"]);
    assert_eq!(ids("messageId=m4"), ["m4"]);
    assert_eq!(ids("status=warnings"), ["m4"]);
    assert_eq!(ids(&format!("since={t1}")), ["m5"]);
    assert_eq!(ids(&format!("until={t0}")), Vec::<String>::new());
    assert_eq!(ids(&format!("since={t0}&until={t1}&order=oldest")), ["m1", "m2", "m3", "m4"]);
    assert_eq!(ids("limit=2"), ["m5", "m4"]);
    assert_eq!(server.json("/_cdpspec/calls?limit=2")["count"], 5, "count is every match, not just those listed");
    for (query, says) in [
        ("userid=u1", "did you mean `userId`"),
        ("status=ok", "valid, warnings or errors"),
        ("order=random", "newest or oldest"),
        ("limit=x", "whole number"),
        ("since=yesterday", "RFC 3339"),
    ] {
        let response = server.get(&format!("/_cdpspec/calls?{query}"));
        assert_eq!((response.status, response.json()["code"].as_str()), (400, Some("bad-query")), "{query}");
        assert!(response.json()["message"].as_str().unwrap().contains(says), "{query}: {}", response.text());
    }
}

#[test]
fn a_query_waits_for_calls_instead_of_polling() {
    let server = Server::start();
    let addr = server.addr;
    let sender = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        for i in 0..3 {
            let body = format!(r#"{{"userId":"u1","event":"Checkout Step","properties":{{"step":{i}}}}}"#);
            request(addr, "POST", "/v1/track", &[("Content-Type", "application/json")], body.as_bytes());
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let start = Instant::now();
    let answer = server.json("/_cdpspec/calls?event=Checkout%20Step&min=3&wait=20");
    let waited = start.elapsed();
    sender.join().unwrap();
    assert_eq!((answer["count"].as_u64(), answer["timedOut"].as_bool()), (Some(3), Some(false)), "{answer}");
    assert!(waited >= Duration::from_millis(450) && waited < Duration::from_secs(10), "answered when the third call came, after {waited:?}");
    // Not enough calls: it answers with what it has when the time is up.
    let start = Instant::now();
    let answer = server.json("/_cdpspec/calls?event=Checkout%20Step&min=4&wait=0.5");
    assert!(start.elapsed() >= Duration::from_millis(500));
    assert_eq!((answer["count"].as_u64(), answer["timedOut"].as_bool(), answer["calls"].as_array().unwrap().len()), (Some(3), Some(true), 3));
    // Enough already: at once.
    let start = Instant::now();
    assert_eq!(server.json("/_cdpspec/calls?min=1&wait=30")["timedOut"], false);
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[test]
fn tags_isolate_parallel_tests() {
    let server = Server::start();
    assert_eq!(server.post("/t/checkout-test/v1/batch", &format!(r#"{{"batch":[{TRACK},{TRACK}]}}"#)).status, 200);
    assert_eq!(server.post("/t/signup-test/v1/t", r#"{"userId":"u1","event":"Signed Up"}"#).status, 200);
    assert_eq!(server.post("/v1/track", r#"{"event":"Signed Up"}"#).status, 200);
    assert_eq!(counts(&server, "?tag=checkout-test"), (2, 2, 0, 0, 0));
    assert_eq!(counts(&server, "").0, 4);
    assert_eq!(server.json("/t/checkout-test/_cdpspec/counts")["total"], 2, "the prefix scopes the API too");
    let signup = server.json("/_cdpspec/calls?tag=signup-test");
    assert_eq!((signup["count"].as_u64(), signup["calls"][0]["tag"].as_str()), (Some(1), Some("signup-test")));
    assert_eq!(server.json("/t/signup-test/_cdpspec/calls")["count"], 1);
    assert_eq!(server.post("/_cdpspec/reset?tag=checkout-test", "").status, 200);
    assert_eq!(counts(&server, "?tag=checkout-test").0, 0);
    assert_eq!(counts(&server, "").0, 2, "a tag's reset leaves the others");
    assert_eq!(server.post("/t/signup-test/_cdpspec/reset", "").status, 200);
    assert_eq!(counts(&server, "").0, 1);
    assert_eq!(server.post("/_cdpspec/reset", "").status, 200);
    assert_eq!(counts(&server, ""), (0, 0, 0, 0, 0));
    let bad = server.post("/t/has%20space/v1/track", TRACK);
    assert_eq!((bad.status, bad.json()["code"].as_str()), (400, Some("invalid-tag")));
}

#[test]
fn calls_ndjson_lists_the_calls_as_received_for_validate() {
    let server = Server::start();
    server.post(
        "/v1/batch",
        &json!({"batch": [{"type": "track", "userId": "u1", "event": "A"}, {"type": "page", "name": "Home"}], "context": {"ip": "203.0.113.7"}}).to_string(),
    );
    server.post("/t/x/v1/track", r#"{"userId":"u1","event":"B"}"#);
    let response = server.get("/_cdpspec/calls.ndjson");
    assert_eq!(response.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = response.text().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["context"]["ip"], "203.0.113.7", "batch context merged");
    assert!(lines[0].get("status").is_none() && lines[0].get("diagnostics").is_none(), "only the call itself");
    assert_eq!(lines[2]["event"], "B");
    // What `cdpspec validate` makes of each line is the status the collector stored.
    let engine = Engine::new(&Settings::default()).unwrap();
    let errors: Vec<usize> =
        response.text().lines().map(|l| engine.check_record(l.as_bytes(), cdpspec::engine::Origin::whole("calls.ndjson")).errors()).collect();
    assert_eq!(errors, [0, 1, 0]);
    assert_eq!(server.get("/_cdpspec/calls.ndjson?tag=x").text().lines().count(), 1);
    assert_eq!(server.get("/_cdpspec/calls.ndjson?limit=2").text().lines().count(), 2);
}

#[test]
fn a_long_export_streams_every_call() {
    let server = Server::start();
    let batch: Vec<Value> = (0..500).map(|i| json!({"type": "track", "userId": "u1", "event": "Tick", "properties": {"i": i}})).collect();
    for _ in 0..9 {
        assert_eq!(server.post("/v1/batch", &json!({ "batch": batch }).to_string()).status, 200);
    }
    let text = server.get("/_cdpspec/calls.ndjson").text();
    let is: Vec<u64> = text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["properties"]["i"].as_u64().unwrap()).collect();
    assert_eq!(is.len(), 4500, "more than two pages of 2000");
    assert!(is.chunks(500).all(|c| c.iter().copied().eq(0..500)), "oldest first, in order");
}

#[test]
fn settings_point_the_sdks_back_at_the_collector() {
    let server = Server::start();
    let host = server.addr.to_string();
    let segment = server.json("/v1/projects/wk-1/settings");
    assert_eq!(
        segment["integrations"].as_object().unwrap().keys().collect::<Vec<_>>(),
        ["Segment.io"],
        "one integration, or the SDK loads the others from its CDN"
    );
    assert_eq!(segment["integrations"]["Segment.io"], json!({"apiKey": "wk-1", "apiHost": format!("{host}/v1"), "protocol": "http"}));
    assert_eq!(segment["metrics"]["sampleRate"], 0);
    let customerio = server.json("/t/e2e/customerio/v1/projects/wk-1/settings");
    assert_eq!(customerio["integrations"]["Customer.io Data Pipelines"]["apiHost"], format!("{host}/t/e2e/v1"));
    assert_eq!(customerio["integrations"].as_object().unwrap().len(), 1);
    let mobile = server.json("/projects/wk-1/settings");
    assert_eq!(mobile["integrations"].as_object().unwrap().len(), 2, "mobile SDKs read their own name and ignore others");
    let named = request(server.addr, "GET", "/v1/projects/wk-1/settings", &[("Host", "collector.test:8080")], b"");
    assert_eq!(named.json()["integrations"]["Segment.io"]["apiHost"], "collector.test:8080/v1", "the host the SDK used");
    assert_eq!(server.get("/nope/v1/projects/wk-1/settings").status, 404);
}

#[test]
fn browsers_may_send_from_any_origin() {
    let server = Server::start();
    let preflight = request(
        server.addr,
        "OPTIONS",
        "/v1/t",
        &[("Origin", "http://localhost:5173"), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization,content-type")],
        b"",
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("http://localhost:5173"));
    assert_eq!(preflight.header("access-control-allow-headers"), Some("authorization,content-type"));
    assert!(preflight.header("access-control-allow-methods").unwrap().contains("POST"));
    let sent = request(server.addr, "POST", "/v1/t", &[("Origin", "http://localhost:5173"), ("Content-Type", "text/plain")], br#"{"userId":"u1","event":"A"}"#);
    assert_eq!((sent.status, sent.header("access-control-allow-origin")), (200, Some("http://localhost:5173")));
    let read = request(server.addr, "GET", "/_cdpspec/counts", &[("Origin", "http://localhost:5173")], b"");
    assert_eq!(read.header("access-control-allow-origin"), Some("http://localhost:5173"));
}

#[test]
fn write_keys_when_given_are_enforced() {
    let server = Server::with(Options { write_keys: vec!["wk-good".into(), "pk_us_abc123".into()], ..Options::default() });
    let post = |headers: &[(&str, &str)], body: &str| {
        request(server.addr, "POST", "/v1/track", &[&[("Content-Type", "application/json")], headers].concat(), body.as_bytes()).status
    };
    let call = r#"{"userId":"u1","event":"A"}"#;
    assert_eq!(post(&[("Authorization", "Basic d2stZ29vZDo=")], call), 200, "Basic, the key as user name");
    assert_eq!(post(&[], r#"{"userId":"u1","event":"A","writeKey":"wk-good"}"#), 200, "writeKey in the body");
    assert_eq!(post(&[("Authorization", "Bearer pk_us_abc123")], call), 200, "Customer.io's Python SDK");
    assert_eq!(post(&[("Authorization", "Basic d3JvbmctMTo=")], call), 401);
    assert_eq!(post(&[], call), 401);
    assert_eq!(counts(&server, ""), (3, 3, 0, 0, 2));
    let refusal = &server.json("/_cdpspec/refusals")["refusals"][0];
    assert_eq!((refusal["httpStatus"].as_u64(), refusal["code"].as_str()), (Some(401), Some("invalid-write-key")));
    assert_eq!(server.get("/v1/projects/wrong-1/settings").status, 401);
    assert_eq!(server.get("/v1/projects/wk-good/settings").status, 200);
}

#[test]
fn strict_mode_refuses_requests_with_errors_and_lists_them() {
    let server = Server::start();
    let broken = r#"{"batch":[{"type":"track","userId":"u1","event":"A"},{"type":"track","userId":"u1","event":""}]}"#;
    let strict = request(server.addr, "POST", "/v1/batch", &[("Content-Type", "application/json"), ("X-Strict-Mode", "1")], broken.as_bytes());
    assert_eq!(strict.status, 400);
    let body = strict.json();
    assert_eq!(
        (body["code"].as_str(), body["violations"][0]["rule"].as_str(), body["violations"][0]["index"].as_u64()),
        (Some("errors"), Some("empty-event"), Some(1)),
        "{body}"
    );
    assert_eq!(body["violations"][0]["pointer"], "/event");
    assert_eq!(counts(&server, ""), (0, 0, 0, 0, 1), "nothing stored; the request counted as refused");
    assert_eq!(server.post("/v1/batch", broken).status, 200, "without the header the calls are recorded");
    assert_eq!(counts(&server, "").3, 1);
    let fine = request(server.addr, "POST", "/v1/track", &[("Content-Type", "application/json"), ("X-Strict-Mode", "1")], TRACK.as_bytes());
    assert_eq!(fine.status, 200);

    let always = Server::with(Options { strict: true, ..Options::default() });
    assert_eq!(always.post("/v1/batch", broken).status, 400);
    assert_eq!(always.post("/v1/identify", r#"{"userId":42}"#).status, 200, "warnings pass strict mode");
}

#[test]
fn max_events_keeps_the_newest() {
    let server = Server::with(Options { max_events: Some(3), ..Options::default() });
    for i in 0..5 {
        server.post("/v1/track", &format!(r#"{{"userId":"u1","event":"E{i}"}}"#));
    }
    let events: Vec<String> = server.json("/_cdpspec/calls")["calls"].as_array().unwrap().iter().map(|c| c["event"].as_str().unwrap().to_string()).collect();
    assert_eq!(events, ["E4", "E3", "E2"]);
    assert_eq!(counts(&server, "").0, 3);
}

#[test]
fn calls_are_evaluated_against_destinations_and_checked_against_the_plan() {
    let plan = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");
    let settings = Settings { plan: Some(plan.into()), destination: Some("customerio".into()), ..Settings::default() };
    let extra = std::sync::Arc::new(cdpspec::engine::load_destination("mixpanel").unwrap());
    let server = Server::with_intake(Intake::new(Engine::new(&settings).unwrap(), vec![extra]), Options::default());
    server.post("/v1/page", r#"{"userId":"u1","name":"Home"}"#);
    let page = &server.json("/_cdpspec/calls")["calls"][0];
    let customerio = page["actions"].as_array().unwrap().iter().find(|a| a["destination"] == "Actions Customerio").unwrap();
    assert_eq!(
        (customerio["preset"].as_str(), customerio["ok"].as_bool(), customerio["missing"].clone()),
        (Some("Track Page View"), Some(false), json!(["url"]))
    );
    assert!(page["actions"].as_array().unwrap().iter().any(|a| a["destination"] != "Actions Customerio"), "the second destination too: {page}");
    server.post("/v1/track", r#"{"userId":"u1","event":"Course Enroled"}"#);
    let track = &server.json("/_cdpspec/calls?type=track")["calls"][0];
    assert_eq!((track["status"].as_str(), track["diagnostics"][0]["rule"].as_str()), (Some("errors"), Some("unplanned-event")));
}

#[test]
fn calls_survive_a_restart_with_a_file_database() {
    let dir = tempfile::Builder::new().prefix("cdpspec-api-restart-").tempdir().unwrap().keep();
    let options = || Options { db: DbPath::File(dir.join("nested/calls.db")), ..Options::default() };
    let server = Server::with(options());
    server.post("/v1/batch", &format!(r#"{{"batch":[{TRACK},{TRACK},{TRACK}]}}"#));
    server.post("/v1/batch", "not json");
    server.stop();
    let again = Server::with(options());
    assert_eq!(counts(&again, ""), (3, 3, 0, 0, 1));
    assert_eq!(again.json("/_cdpspec/calls?messageId=m-track")["count"], 3);
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unknown_routes_and_methods_say_what_exists() {
    let server = Server::start();
    let health = server.json("/health");
    assert_eq!(health["status"], "ok");
    let nope = server.post("/v1/traits", "{}");
    assert_eq!((nope.status, nope.json()["code"].as_str()), (404, Some("no-such-endpoint")));
    assert!(nope.json()["message"].as_str().unwrap().contains("/v1/identify"));
    assert_eq!(server.get("/v1/track").status, 405);
    assert_eq!(counts(&server, "").4, 1, "a POST to a call endpoint that is not one is refused and counted");
}
