//! The inspector: its live feed (`/_cdpspec/events`), the views it reads (`calls?fields=summary`
//! with paging and free text, `calls/{id}`, `summary`, `timeline`, `rules`), the page and
//! `--no-ui`; then the page itself in Debian's headless Chromium (`tests/sdk/inspector.mjs`,
//! with playwright-core from `tests/sdk/package-lock.json`), which saves screenshots of the
//! main views when `CDPSPEC_SCREENSHOTS` names a folder; and, with `CDPSPEC_INSPECTOR_100K=1`,
//! how fast the page stays over 100,000 stored calls.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::{Duration, Instant};

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::Intake;
use cdpspec_collector::{Bounds, Options};
use common::packages::{chromium, node_modules, sdk_dir};
use common::{Server, request, tools};
use serde_json::{Value, json};

const PLAN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/plan/courses.yaml");

/// A collector with the example plan and Customer.io's actions.
fn planned(options: Options) -> Server {
    let settings = Settings { plan: Some(PLAN.into()), destination: Some("customerio".into()), ..Settings::default() };
    Server::with_intake(Intake::new(Engine::new(&settings).unwrap(), Vec::new()), options)
}

/// A live feed read off the wire (HTTP/1.0, so the body is the events as sent).
struct Feed {
    reader: BufReader<TcpStream>,
}

impl Feed {
    fn open(addr: SocketAddr, path: &str) -> Feed {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        stream.write_all(format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        assert!(head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: text/event-stream"), "{head}");
        Feed { reader }
    }

    /// The next event, `(name, data)`; comments and `retry` are skipped. None at the end of
    /// the stream or after `timeout` without one.
    fn next(&mut self, timeout: Duration) -> Option<(String, Value)> {
        self.reader.get_ref().set_read_timeout(Some(timeout)).unwrap();
        let (mut name, mut data): (Option<String>, Option<String>) = (None, None);
        loop {
            let mut line = String::new();
            match self.reader.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if let (Some(name), Some(data)) = (name.take(), data.take()) {
                    return Some((name, serde_json::from_str(&data).unwrap()));
                }
            } else if let Some(n) = line.strip_prefix("event: ") {
                name = Some(n.to_string());
            } else if let Some(d) = line.strip_prefix("data: ") {
                data = Some(d.to_string());
            }
        }
    }

    /// Whether the stream ends (EOF) within `timeout`.
    fn ends_within(&mut self, timeout: Duration) -> bool {
        self.reader.get_ref().set_read_timeout(Some(timeout)).unwrap();
        let mut rest = Vec::new();
        self.reader.read_to_end(&mut rest).is_ok()
    }
}

const BROKEN: &str = r#"{"userId":"u1","event":"Order Completed","properties":{"revenue":"12.99"}}"#;

#[test]
fn the_live_feed_sends_each_new_call_with_its_first_problem() {
    let server = Server::start();
    server.post("/v1/track", r#"{"userId":"u1","event":"Before"}"#);
    // The 200 comes once the call is committed; the database thread announces it just after.
    // Counts are answered by that thread in turn, so once they show the call, it was announced.
    let deadline = Instant::now() + Duration::from_secs(10);
    while server.json("/_cdpspec/counts")["total"] != 1 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let mut feed = Feed::open(server.addr, "/_cdpspec/events");
    assert_eq!(server.post("/v1/track", BROKEN).status, 200);
    let (name, data) = feed.next(Duration::from_secs(10)).expect("an event");
    assert_eq!(name, "calls");
    let calls = data.as_array().unwrap();
    assert_eq!(calls.len(), 1, "only what arrived after the feed opened: {data}");
    let call = &calls[0];
    assert_eq!((call["id"].as_i64(), call["event"].as_str(), call["status"].as_str()), (Some(2), Some("Order Completed"), Some("errors")));
    assert_eq!((call["problem"]["code"].as_str(), call["problem"]["pointer"].as_str()), (Some("CDP107"), Some("/properties/revenue")));
    assert!(call.get("properties").is_none(), "a summary, not the call: {call}");
    // Calls that arrive together come together.
    let batch = json!({"batch": (0..5).map(|i| json!({"type": "track", "userId": "u1", "event": format!("E{i}")})).collect::<Vec<_>>()});
    server.post("/v1/batch", &batch.to_string());
    let mut seen = Vec::new();
    while seen.len() < 5 {
        let (name, data) = feed.next(Duration::from_secs(10)).expect("the batch's calls");
        assert_eq!(name, "calls");
        seen.extend(data.as_array().unwrap().iter().map(|c| c["event"].as_str().unwrap().to_string()));
    }
    assert_eq!(seen, ["E0", "E1", "E2", "E3", "E4"], "oldest first");
    server.post("/_cdpspec/reset", "");
    assert_eq!(feed.next(Duration::from_secs(10)), Some(("reset".into(), json!({"tag": null}))));
}

#[test]
fn a_feed_keeps_to_its_tag() {
    let server = Server::start();
    let mut tagged = Feed::open(server.addr, "/t/a/_cdpspec/events");
    let mut by_query = Feed::open(server.addr, "/_cdpspec/events?tag=a");
    let mut all = Feed::open(server.addr, "/_cdpspec/events");
    server.post("/t/b/v1/track", r#"{"userId":"u1","event":"For b"}"#);
    server.post("/t/b/_cdpspec/reset", "");
    server.post("/t/a/v1/track", r#"{"userId":"u1","event":"For a"}"#);
    for feed in [&mut tagged, &mut by_query] {
        let (name, data) = feed.next(Duration::from_secs(10)).unwrap();
        assert_eq!((name.as_str(), data[0]["event"].as_str(), data[0]["tag"].as_str()), ("calls", Some("For a"), Some("a")), "{data}");
    }
    let mut events = Vec::new();
    while events.len() < 3 {
        events.push(all.next(Duration::from_secs(10)).unwrap());
    }
    assert_eq!(events[0].1[0]["event"], "For b");
    assert_eq!(events[1], ("reset".into(), json!({"tag": "b"})));
    assert_eq!(events[2].1[0]["event"], "For a");
    assert_eq!(server.get("/_cdpspec/events?type=track").status, 400, "the feed takes only a tag");
}

#[test]
fn a_feed_that_falls_behind_is_told_to_read_again_and_costs_no_more() {
    // A backlog of 16 calls, and 2,000 arriving at once: the feed cannot list them all.
    let server = Server::with(Options { bounds: Bounds { live_backlog: 16, ..Bounds::default() }, ..Options::default() });
    let mut feed = Feed::open(server.addr, "/_cdpspec/events");
    let batch = json!({"batch": (0..2000).map(|i| json!({"type": "track", "userId": "u1", "event": format!("E{i}")})).collect::<Vec<_>>()});
    assert_eq!(server.post("/v1/batch", &batch.to_string()).status, 200);
    let (mut listed, mut lagged) = (0, false);
    while let Some((name, data)) = feed.next(Duration::from_secs(2)) {
        match name.as_str() {
            "calls" => listed += data.as_array().unwrap().len(),
            "lagged" => {
                lagged = true;
                assert!(data["missed"].as_u64().unwrap() > 0, "{data}");
            }
            other => panic!("unexpected event {other}"),
        }
    }
    assert!(lagged, "a feed that fell behind is told so");
    assert!(listed < 2000, "{listed} calls listed");
}

#[test]
fn stopping_the_collector_ends_open_feeds_at_once() {
    let server = Server::start();
    let mut feeds: Vec<Feed> = (0..3).map(|_| Feed::open(server.addr, "/_cdpspec/events")).collect();
    let started = Instant::now();
    server.stop();
    assert!(started.elapsed() < Duration::from_secs(3), "the stop waited {:?} for open feeds", started.elapsed());
    for feed in &mut feeds {
        assert!(feed.ends_within(Duration::from_secs(2)), "a feed did not end");
    }
}

#[test]
fn pages_of_summaries_run_newest_first_and_free_text_finds_calls() {
    let server = Server::start();
    for i in 0..250 {
        let body = json!({"userId": format!("user-{i}"), "event": if i % 10 == 0 { "Order Completed" } else { "Signed Up" }, "properties": {"note": format!("50%_off #{i}")}});
        server.post("/v1/track", &body.to_string());
    }
    let first = server.json("/_cdpspec/calls?fields=summary&limit=100");
    assert_eq!(first["count"], 250);
    let ids: Vec<i64> = first["calls"].as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()).collect();
    assert_eq!((ids[0], ids[99]), (250, 151));
    let next = server.json("/_cdpspec/calls?fields=summary&limit=100&before=151");
    assert_eq!(next["calls"][0]["id"], 150);
    assert_eq!(server.json("/_cdpspec/calls?fields=summary&after=248")["count"], 2);
    let found = server.json("/_cdpspec/calls?fields=summary&q=user-137");
    assert_eq!((found["count"].as_u64(), found["calls"][0]["userId"].as_str()), (Some(1), Some("user-137")));
    // `%` and `_` are themselves, not patterns.
    assert_eq!(server.json("/_cdpspec/calls?q=50%25_off%20%2342&fields=summary")["count"], 1);
    assert_eq!(server.json("/_cdpspec/calls?q=50%25xoff&fields=summary")["count"], 0);
    assert_eq!(server.json("/_cdpspec/calls?q=ORDER%20completed&event=Order%20Completed")["count"], 25, "free text ignores ASCII case");
    assert_eq!(server.get("/_cdpspec/calls?fields=summary&order=oldest").status, 400);
    assert_eq!(server.get("/_cdpspec/calls?fields=some").status, 400);
    assert_eq!(server.get("/_cdpspec/calls?before=x").status, 400);
}

#[test]
fn one_call_in_full_by_its_id() {
    let server = Server::start();
    let broken = r#"{"type":"track","userId":"u1","event":"Order Completed","properties":{"revenue":"12.99"}}"#;
    server.post("/t/a/v1/batch", &format!(r#"{{"batch":[{{"type":"track","userId":"u1","event":"Fine"}},{broken}],"writeKey":"wk"}}"#));
    let detail = server.json("/_cdpspec/calls/2");
    assert_eq!((detail["batchIndex"].as_i64(), detail["writeKey"].as_str(), detail["tag"].as_str()), (Some(1), Some("wk"), Some("a")));
    assert_eq!(detail["call"]["properties"]["revenue"], "12.99");
    let text: Value = serde_json::from_str(detail["text"].as_str().unwrap()).unwrap();
    assert_eq!(text, detail["call"], "the text is the call as stored");
    assert_eq!(detail["diagnostics"][0]["pointer"], "/properties/revenue");
    assert_eq!(server.json("/t/a/_cdpspec/calls/2")["id"], 2);
    assert_eq!(server.get("/t/b/_cdpspec/calls/2").status, 404, "another tag's call is not there");
    assert_eq!(server.get("/_cdpspec/calls/99").status, 404);
    assert_eq!(server.get("/_cdpspec/calls/abc").status, 400);
}

#[test]
fn the_summary_sets_events_seen_against_the_plan_and_counts_rules() {
    let server = planned(Options::default());
    let context = json!({"library": {"name": "analytics-node"}});
    let calls = [
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Rust", "class_code": "cio101"}}),
        json!({"type": "track", "userId": "u1", "event": "Course Enrolled", "properties": {"class_name": "Rust"}}),
        json!({"type": "track", "userId": "u1", "event": "Video Played"}),
        json!({"type": "page", "userId": "u1", "name": "home"}),
        json!({"type": "identify", "userId": 42}),
    ];
    server.post("/v1/batch", &json!({"batch": calls, "context": context}).to_string());
    server.post("/t/x/v1/track", &json!({"userId": "u1", "event": "Tagged", "context": context}).to_string());
    let summary = server.json("/_cdpspec/summary");
    assert_eq!(summary["plan"]["name"], "Courses app");
    let enrolled = summary["events"].as_array().unwrap().iter().find(|e| e["name"] == "Course Enrolled").unwrap();
    assert_eq!((enrolled["calls"].as_u64(), enrolled["errors"].as_u64(), enrolled["planned"].as_bool()), (Some(2), Some(1), Some(true)));
    let unplanned: Vec<&str> = summary["unplanned"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(unplanned.len(), 2);
    assert!(unplanned.contains(&"Video Played") && unplanned.contains(&"Tagged"), "{unplanned:?}");
    let never: Vec<&str> = summary["neverArrived"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert!(never.contains(&"Order Completed") && !never.contains(&"Course Enrolled") && !never.contains(&"home"), "{never:?}");
    let rule = |code: &str| summary["rules"].as_array().unwrap().iter().find(|r| r["code"] == code).cloned();
    assert_eq!(rule("CDP301").unwrap()["calls"], 2, "{summary}");
    assert_eq!(rule("CDP302").unwrap()["rule"], "required-missing");
    assert_eq!(rule("CDP110").unwrap()["severity"], "warning");
    assert_eq!(summary["tags"], json!([{"tag": "x", "calls": 1}, {"tag": null, "calls": 5}]));
    let x = server.json("/t/x/_cdpspec/summary");
    assert_eq!(x["events"].as_array().unwrap().len(), 1);
    assert!(x["neverArrived"].as_array().unwrap().iter().any(|e| e["name"] == "Course Enrolled"));
    // Without a plan, nothing is planned or unplanned.
    let plain = Server::start();
    plain.post("/v1/track", r#"{"userId":"u1","event":"Anything"}"#);
    let summary = plain.json("/_cdpspec/summary");
    assert_eq!((summary["plan"].clone(), summary["events"][0]["planned"].clone(), summary["unplanned"].clone()), (Value::Null, Value::Null, json!([])));
}

#[test]
fn the_summary_forgets_calls_pruned_or_reset() {
    let server = Server::with(Options { max_events: Some(2), ..Options::default() });
    server.post("/v1/track", BROKEN);
    server.post("/t/a/v1/track", r#"{"userId":"u1","event":"Second"}"#);
    server.post("/v1/track", r#"{"userId":"u1","event":"Third"}"#);
    let summary = server.json("/_cdpspec/summary");
    let names: Vec<&str> = summary["events"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2);
    assert!(!names.contains(&"Order Completed"), "{summary}");
    assert_eq!(summary["rules"], json!([]), "the pruned call's rule is counted out");
    server.post("/_cdpspec/reset?tag=a", "");
    assert_eq!(server.json("/_cdpspec/summary")["tags"], json!([{"tag": null, "calls": 1}]));
}

#[test]
fn the_timeline_counts_calls_and_errors_of_the_last_minutes() {
    let server = Server::start();
    server.post("/v1/track", r#"{"userId":"u1","event":"Fine"}"#);
    server.post("/v1/track", BROKEN);
    server.post("/t/a/v1/track", BROKEN);
    let timeline = server.json("/_cdpspec/timeline?minutes=5&buckets=30");
    assert_eq!(timeline["width"], 10_000);
    let sum = |key: &str| timeline[key].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum::<u64>();
    assert_eq!((timeline["calls"].as_array().unwrap().len(), sum("calls"), sum("errors")), (30, 3, 2));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let end = timeline["start"].as_i64().unwrap() + 300_000;
    assert!(end > now && end - now <= 10_000, "the last span holds now");
    assert_eq!(server.json("/t/a/_cdpspec/timeline")["calls"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).sum::<u64>(), 1);
    assert_eq!(server.get("/_cdpspec/timeline?minutes=0").status, 400);
    assert_eq!(server.get("/_cdpspec/timeline?buckets=100000").status, 400);
}

#[test]
fn the_rules_are_documented_by_the_collector() {
    let mut severities = cdpspec::rule::Severities::default();
    severities.set(cdpspec::Rule::EmptyIdentifier, cdpspec::rule::Level::Off);
    let settings = Settings { severities, ..Settings::default() };
    let server = Server::with_intake(Intake::new(Engine::new(&settings).unwrap(), Vec::new()), Options::default());
    let rules = server.json("/_cdpspec/rules");
    let rules = rules["rules"].as_array().unwrap();
    assert_eq!(rules.len(), cdpspec::Rule::ALL.len());
    let reserved = rules.iter().find(|r| r["rule"] == "reserved-type").unwrap();
    assert_eq!((reserved["code"].as_str(), reserved["severity"].as_str()), (Some("CDP107"), Some("error")));
    assert!(!reserved["why"].as_str().unwrap().is_empty() && !reserved["failing"].as_str().unwrap().is_empty());
    let empty = rules.iter().find(|r| r["rule"] == "empty-identifier").unwrap();
    assert_eq!((empty["severity"].as_str(), empty["default"].as_str()), (Some("off"), Some("warning")));
}

#[test]
fn the_page_is_served_with_its_files_and_no_ui_serves_the_api_alone() {
    let server = Server::start();
    for (path, prefix) in [("/", ""), ("/t/checkout/", "/t/checkout"), ("/t/checkout", "/t/checkout")] {
        let page = server.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
        assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
        assert!(page.text().contains(&format!(r#"<script type="module" src="{prefix}/inspector/app.js">"#)), "{path}");
        assert!(!page.text().contains(r#""inspector/"#), "{path}: every file is named from the root");
    }
    for (file, media) in [("app.js", "text/javascript"), ("style.css", "text/css"), ("icon.svg", "image/svg+xml")] {
        let asset = server.get(&format!("/inspector/{file}"));
        assert_eq!(asset.status, 200, "{file}");
        assert!(asset.header("content-type").unwrap().starts_with(media));
    }
    // Every module the page imports is served.
    let imports: Vec<String> = ["app.js", "list.js", "detail.js", "summary.js", "rules.js", "filters.js", "timeline.js"]
        .iter()
        .flat_map(|f| {
            server
                .get(&format!("/inspector/{f}"))
                .text()
                .lines()
                .filter_map(|l| l.split("from './").nth(1).map(|r| r.trim_end_matches(['\'', ';']).to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(imports.len() > 10);
    for module in imports {
        assert_eq!(server.get(&format!("/inspector/{module}")).status, 200, "{module}");
    }
    assert_eq!(server.get("/inspector/nothing.js").status, 404);
    let headless = Server::with(Options { ui: false, ..Options::default() });
    for path in ["/", "/inspector/app.js", "/t/a/"] {
        let response = headless.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert_eq!(response.json()["code"], "no-such-endpoint");
    }
    Feed::open(headless.addr, "/_cdpspec/events?tag=a"); // the API stays
    assert_eq!(headless.json("/_cdpspec/counts")["total"], 0);
}

/// Runs `inspector.mjs` against `server`; its summary line.
fn drive(test: &str, server: &Server, env: &[(&str, String)]) -> Option<Value> {
    let Some(browser) = chromium() else {
        tools::skip(test, "no Chromium at /usr/bin/chromium (apt-get install -y chromium; .ci/run installs it)");
        return None;
    };
    let Some(modules) = node_modules() else {
        tools::skip(test, "npm could not install playwright-core (tests/sdk/package-lock.json)");
        return None;
    };
    let mut command = Command::new("node");
    command
        .arg("inspector.mjs")
        .current_dir(sdk_dir())
        .env("SDK_MODULES", &modules)
        .env("CHROMIUM", browser)
        .env("COLLECTOR", format!("http://{}", server.addr));
    for (key, value) in env {
        command.env(key, value);
    }
    let out = command.output().expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let summary: Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|e| panic!("no summary ({e}):\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    assert!(out.status.success() && summary["ok"] == true, "{}\n{}", summary["error"].as_str().unwrap_or(&stdout), String::from_utf8_lossy(&out.stderr));
    Some(summary)
}

/// Where screenshots go: `CDPSPEC_SCREENSHOTS`, relative to the repository.
fn screenshots() -> String {
    match std::env::var("CDPSPEC_SCREENSHOTS") {
        Ok(dir) if !dir.is_empty() => std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(dir).display().to_string(),
        _ => String::new(),
    }
}

#[test]
fn the_inspector_in_chromium() {
    let server = planned(Options::default());
    let headless = Server::with(Options { ui: false, ..Options::default() });
    let env = [("NO_UI", format!("http://{}", headless.addr)), ("SCREENSHOTS", screenshots())];
    if let Some(summary) = drive("the inspector in Chromium", &server, &env) {
        eprintln!("inspector: {} checks passed", summary["checked"].as_array().unwrap().len());
    }
}

/// Sends `n` calls in batches of 1,000: every tenth an `Order Completed` with a string
/// revenue, every seventh without identity, the rest valid, a few under tags.
fn seed(server: &Server, n: usize) {
    let mut sent = 0;
    while sent < n {
        let batch: Vec<Value> = (sent..(sent + 1000).min(n))
            .map(|i| match i % 10 {
                0 => json!({"type": "track", "userId": format!("user-{i}"), "event": "Order Completed", "properties": {"order_id": format!("o-{i}"), "revenue": "12.99", "currency": "USD"}}),
                7 => json!({"type": "track", "event": "Signed Up", "properties": {"plan": "free"}}),
                3 => json!({"type": "identify", "userId": format!("user-{i}"), "traits": {"email": format!("person{i}@example.com")}}),
                5 => json!({"type": "page", "anonymousId": format!("anon-{i}"), "name": "Pricing", "properties": {"path": "/pricing"}}),
                _ => json!({"type": "track", "userId": format!("user-{i}"), "event": "Course Viewed", "properties": {"course": "Rust", "position": i}}),
            })
            .collect();
        sent += batch.len();
        let path = if sent % 20_000 == 0 { "/t/nightly/v1/batch" } else { "/v1/batch" };
        let response = request(server.addr, "POST", path, &[("Content-Type", "application/json")], json!({"batch": batch}).to_string().as_bytes());
        assert_eq!(response.status, 200, "{}", response.text());
    }
}

/// Times `path` (the median of five).
fn timed(server: &Server, path: &str) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            assert_eq!(server.get(path).status, 200, "{path}");
            started.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

/// How fast the page stays over 100,000 stored calls: the queries it makes, timed over HTTP,
/// and the page in Chromium. Run with `CDPSPEC_INSPECTOR_100K=1` (half a minute; 6 s with
/// `--release`).
#[test]
fn the_page_stays_fast_over_100_000_calls() {
    if std::env::var_os("CDPSPEC_INSPECTOR_100K").is_none() {
        eprintln!("the_page_stays_fast_over_100_000_calls: set CDPSPEC_INSPECTOR_100K=1 to run it");
        return;
    }
    let scratch = tempfile::Builder::new().prefix("cdpspec-inspector-").tempdir().unwrap();
    let dir = scratch.path();
    let db = dir.join("calls.db");
    let server = Server::with(Options { db: cdpspec_collector::store::DbPath::File(db), ..Options::default() });
    let started = Instant::now();
    seed(&server, 100_000);
    eprintln!("seeded 100,000 calls in {:?}", started.elapsed());
    assert_eq!(server.json("/_cdpspec/counts")["total"], 100_000);
    let mut figures = Vec::new();
    for (what, path) in [
        ("first page (100 newest)", "/_cdpspec/calls?fields=summary&limit=100"),
        ("counts", "/_cdpspec/counts"),
        ("timeline", "/_cdpspec/timeline?minutes=15&buckets=60"),
        ("summary", "/_cdpspec/summary"),
        ("filter status=errors", "/_cdpspec/calls?fields=summary&limit=100&status=errors"),
        ("filter type=page", "/_cdpspec/calls?fields=summary&limit=100&type=page"),
        ("filter event=Order Completed", "/_cdpspec/calls?fields=summary&limit=100&event=Order%20Completed"),
        ("filter tag=nightly", "/_cdpspec/calls?fields=summary&limit=100&tag=nightly"),
        ("free text q=o-4242", "/_cdpspec/calls?fields=summary&limit=100&q=o-4242"),
        ("page 500 (before=50000)", "/_cdpspec/calls?fields=summary&limit=100&before=50000"),
        ("one call", "/_cdpspec/calls/4242"),
    ] {
        let time = timed(&server, path);
        eprintln!("{what:<32} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        figures.push((what, time));
    }
    for (what, time) in &figures {
        assert!(*time < Duration::from_secs(2), "{what} took {time:?}");
    }
    if let Some(summary) = drive("the page over 100,000 calls", &server, &[("MODE", "perf".into())]) {
        eprintln!("in Chromium: {summary}");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}
