//! Bad input and load: what the collector answers to malformed, oversized, compressed,
//! slow and many requests, that it keeps serving afterwards, and that its counts account for
//! every request (accepted calls in `total`, refused requests in `refused`). Each test runs its
//! own collector in this process; the last one sends a few hundred random raw requests.
//! Silent connections, slow bodies, half-closed requests and bursts of connections each have
//! a test that failed before the server bounded them.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::{Duration, Instant};

use cdpspec_collector::{Bounds, Options};
use common::{Response, Server, gzip, parse, request};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Helpers

/// The memory test measures this process's resident memory, so it runs alone: it takes the
/// lock for writing, every other test for reading.
static MEMORY: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    MEMORY.read().unwrap_or_else(|e| e.into_inner())
}

fn alone() -> RwLockWriteGuard<'static, ()> {
    MEMORY.write().unwrap_or_else(|e| e.into_inner())
}

/// A track call with its own messageId.
fn track(id: &str) -> Value {
    json!({"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled", "properties": {"course": "Rust"}, "messageId": id})
}

/// `/_cdpspec/counts`, checked for consistency: `total = valid + errors`.
fn counts(server: &Server) -> Value {
    let c = server.json("/_cdpspec/counts");
    let n = |k: &str| c[k].as_u64().unwrap_or_else(|| panic!("no {k} in {c}"));
    assert_eq!(n("total"), n("valid") + n("errors"), "{c}");
    assert!(n("warnings") <= n("valid"), "{c}");
    c
}

/// Asserts the collector stored `total` calls and refused `refused` requests.
fn assert_counts(server: &Server, total: u64, refused: u64) {
    let c = counts(server);
    assert_eq!((c["total"].as_u64(), c["refused"].as_u64()), (Some(total), Some(refused)), "counts: {c}");
}

/// Asserts `response` is the JSON error `{"success": false, "code": code, "message": ...}`
/// with status `status` and a message holding every one of `fragments`; returns the message.
#[track_caller]
fn assert_refused(response: &Response, status: u16, code: &str, fragments: &[&str]) -> String {
    assert_eq!(response.status, status, "expected {status} {code}, got: {}", response.text());
    assert!(response.header("content-type").is_some_and(|t| t.starts_with("application/json")), "{:?}", response.headers);
    let body = response.json();
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["code"], code, "{body}");
    let message = body["message"].as_str().unwrap_or_else(|| panic!("no message in {body}")).to_string();
    assert!(message.len() > 20, "a message people can act on: {message:?}");
    for fragment in fragments {
        assert!(message.contains(fragment), "the message {message:?} should name {fragment:?}");
    }
    message
}

/// POSTs a valid batch of one call and asserts it is accepted: the collector still serves.
#[track_caller]
fn assert_still_serves(server: &Server, id: &str) {
    assert_eq!(server.get("/health").status, 200);
    let response = server.post("/v1/batch", &json!({"batch": [track(id)]}).to_string());
    assert_eq!((response.status, response.json()), (200, json!({"success": true})), "after bad input");
    let found = server.json(&format!("/_cdpspec/calls?messageId={id}"));
    assert_eq!(found["count"], 1, "{found}");
}

fn post_with(server: &Server, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
    request(server.addr, "POST", path, headers, body)
}

const JSON: (&str, &str) = ("Content-Type", "application/json");
const GZIP: (&str, &str) = ("Content-Encoding", "gzip");

/// A connection with a read timeout, so that no test can hang.
fn connect(addr: SocketAddr, timeout: Duration) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(timeout)).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

/// The head of a request with a body of `length` bytes, kept alive.
fn head(addr: SocketAddr, method: &str, path: &str, length: usize) -> String {
    format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n")
}

/// Reads one response (with a `Content-Length` body) off a kept-alive connection.
fn read_one(stream: &mut TcpStream) -> std::io::Result<Response> {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let length = parse(&raw[..end]).header("content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0);
    while raw.len() < end + length {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Err(ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&buf[..n]);
    }
    Ok(parse(&raw[..end + length]))
}

/// What a stalled connection came to: closed (EOF or reset) or answered, and when.
enum Outcome {
    Closed(Duration),
    Answered(Response, Duration),
    StillOpen,
}

/// Waits (up to the stream's read timeout) for the server to answer or close `stream`.
fn outcome(stream: &mut TcpStream, since: Instant) -> Outcome {
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                if raw.is_empty() {
                    return Outcome::StillOpen;
                }
                break;
            }
            Err(_) => break,
        }
        if raw.windows(4).any(|w| w == b"\r\n\r\n") {
            let response = parse(&raw);
            let length = response.header("content-length").and_then(|l| l.parse::<usize>().ok()).unwrap_or(0);
            if response.body.len() >= length {
                return Outcome::Answered(response, since.elapsed());
            }
        }
    }
    if raw.is_empty() { Outcome::Closed(since.elapsed()) } else { Outcome::Answered(parse(&raw), since.elapsed()) }
}

/// A collector whose clients get 1 s for their headers and 1 s for their body.
fn impatient(max_connections: Option<usize>) -> Server {
    let bounds = Bounds {
        header_timeout: Duration::from_secs(1),
        body_timeout: Duration::from_secs(1),
        max_connections: max_connections.unwrap_or(Bounds::default().max_connections),
        ..Bounds::default()
    };
    Server::with(Options { bounds, ..Options::default() })
}

/// This process's resident memory, in KB.
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// This process's soft limit on open files.
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

// ---------------------------------------------------------------------------------------------
// Bad input: each refused with a status, a stable code and a message naming the reason

#[test]
fn malformed_json_is_refused_with_its_line_and_column() {
    let _guard = shared();
    let server = Server::start();
    let response = server.post("/v1/batch", r#"{"batch": [}"#);
    assert_refused(&response, 400, "invalid-json", &["not valid JSON", "line 1, column 12"]);
    let response = server.post("/v1/batch", "{\n  \"batch\": [\n    {\"type\": \"track\",}\n  ]\n}");
    assert_refused(&response, 400, "invalid-json", &["line 3, column 22"]);
    let response = server.post("/v1/track", r#"{"userId": "u1", "event": "Signed Up""#);
    assert_refused(&response, 400, "invalid-json", &["EOF", "line 1"]);
    let response = post_with(&server, "/v1/batch", &[JSON], b"{\"batch\": [\"\xff\xfe\"]}");
    assert_refused(&response, 400, "invalid-json", &["line 1"]);
    let response = server.post("/v1/track", "");
    assert_refused(&response, 400, "invalid-json", &["EOF"]);
    // Nested past the parser's depth: refused, not a stack overflow.
    let deep = format!("{{\"batch\": [{}]}}", "[".repeat(100_000));
    let response = server.post("/v1/batch", &deep);
    assert_refused(&response, 400, "invalid-json", &["recursion limit"]);
    assert_counts(&server, 0, 6);
    let refusals = server.json("/_cdpspec/refusals");
    assert_eq!(refusals["refusals"].as_array().unwrap().len(), 6);
    assert!(refusals["refusals"].as_array().unwrap().iter().all(|r| r["code"] == "invalid-json" && r["httpStatus"] == 400), "{refusals}");
    assert_still_serves(&server, "after-json");
    assert_counts(&server, 1, 6);
}

#[test]
fn a_body_that_is_not_an_object_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let bodies = ["[]", r#"[{"type": "track", "userId": "u1", "event": "e"}]"#, r#""track""#, "42", "null", "true"];
    for path in ["/v1/batch", "/v1/track", "/v1/i"] {
        for body in bodies {
            let response = server.post(path, body);
            assert_refused(&response, 400, "not-an-object", &["not a JSON object", "{\"batch\": [...]}"]);
        }
    }
    assert_counts(&server, 0, 18);
    assert_still_serves(&server, "after-not-an-object");
    assert_counts(&server, 1, 18);
}

#[test]
fn a_batch_without_a_batch_array_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let bodies = ["{}", r#"{"batch": {}}"#, r#"{"batch": "[]"}"#, r#"{"batch": null}"#, r#"{"calls": [{"type": "track"}]}"#, r#"{"Batch": []}"#];
    for path in ["/v1/batch", "/v1/import", "/v1/b"] {
        for body in bodies {
            let response = server.post(path, body);
            assert_refused(&response, 400, "no-batch", &["`batch` array"]);
        }
    }
    // An empty batch is a batch: accepted, nothing stored.
    assert_eq!(server.post("/v1/batch", r#"{"batch": []}"#).status, 200);
    assert_counts(&server, 0, 18);
    assert_still_serves(&server, "after-no-batch");
    assert_counts(&server, 1, 18);
}

#[test]
fn only_json_content_types_are_accepted() {
    let _guard = shared();
    let server = Server::start();
    let body = json!({"batch": [track("ct-0")]}).to_string();
    let refused = ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html", "application/octet-stream"];
    for content_type in refused {
        let response = post_with(&server, "/v1/batch", &[("Content-Type", content_type)], body.as_bytes());
        assert_refused(&response, 415, "unsupported-content-type", &[content_type, "application/json"]);
    }
    let accepted = [
        "application/json",
        "application/json;charset=utf-8",
        "Application/JSON; charset=UTF-8",
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/vnd.segment+json",
    ];
    for (i, content_type) in accepted.iter().enumerate() {
        let body = json!({"batch": [track(&format!("ct-{i}"))]}).to_string();
        let response = post_with(&server, "/v1/batch", &[("Content-Type", content_type)], body.as_bytes());
        assert_eq!(response.status, 200, "{content_type}: {}", response.text());
    }
    // None said: taken as JSON.
    let response = post_with(&server, "/v1/track", &[], track("ct-none").to_string().as_bytes());
    assert_eq!(response.status, 200, "{}", response.text());
    assert_counts(&server, accepted.len() as u64 + 1, refused.len() as u64);
    let refusals = server.json("/_cdpspec/refusals");
    assert!(refusals["refusals"].as_array().unwrap().iter().all(|r| r["httpStatus"] == 415), "{refusals}");
}

#[test]
fn only_gzip_and_identity_content_encodings_are_accepted() {
    let _guard = shared();
    let server = Server::start();
    let body = json!({"batch": [track("enc")]}).to_string();
    for encoding in ["br", "deflate", "compress", "zstd", "gzip, br", "gzip;q=1"] {
        let response = post_with(&server, "/v1/batch", &[JSON, ("Content-Encoding", encoding)], body.as_bytes());
        assert_refused(&response, 415, "unsupported-encoding", &[encoding, "plain or gzip"]);
    }
    let compressed = gzip(body.as_bytes());
    for (i, encoding) in ["gzip", "GZIP", "x-gzip", " gzip "].iter().enumerate() {
        let body = gzip(json!({"batch": [track(&format!("enc-gz-{i}"))]}).to_string().as_bytes());
        let response = post_with(&server, "/v1/batch", &[JSON, ("Content-Encoding", encoding)], &body);
        assert_eq!(response.status, 200, "{encoding}: {}", response.text());
    }
    let response = post_with(&server, "/v1/batch", &[JSON, ("Content-Encoding", "identity")], body.as_bytes());
    assert_eq!(response.status, 200, "identity: {}", response.text());
    // gzip sent without saying so is not JSON.
    let response = post_with(&server, "/v1/batch", &[JSON], &compressed);
    assert_refused(&response, 400, "invalid-json", &["line 1"]);
    assert_counts(&server, 5, 7);
    assert_still_serves(&server, "after-encodings");
}

#[test]
fn truncated_or_corrupt_gzip_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let body = json!({"batch": (0..50).map(|i| track(&format!("gz-{i}"))).collect::<Vec<_>>()}).to_string();
    let compressed = gzip(body.as_bytes());
    let mut corrupt = compressed.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0x55;
    let cases: [(&str, &[u8]); 5] = [
        ("half", &compressed[..compressed.len() / 2]),
        ("without its trailer", &compressed[..compressed.len() - 4]),
        ("only the header", &compressed[..10]),
        ("not gzip", body.as_bytes()),
        ("corrupt", &corrupt),
    ];
    for (what, bytes) in cases {
        let response = post_with(&server, "/v1/batch", &[JSON, GZIP], bytes);
        let message = assert_refused(&response, 400, "bad-gzip", &["Content-Encoding: gzip", "does not decompress"]);
        assert!(!message.ends_with(": "), "{what}: the reason is given: {message}");
    }
    assert_counts(&server, 0, 5);
    let response = post_with(&server, "/v1/batch", &[JSON, GZIP], &compressed);
    assert_eq!(response.status, 200, "{}", response.text());
    assert_counts(&server, 50, 5);
}

/// `prefix`, then `unit` repeated to `bytes` in all, then `suffix`, gzipped as one member,
/// without holding the whole in memory.
fn bomb(prefix: &[u8], unit: &[u8], bytes: usize, suffix: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(prefix).unwrap();
    let chunk: Vec<u8> = unit.iter().copied().cycle().take((1 << 20) / unit.len() * unit.len()).collect();
    let mut written = 0;
    while written < bytes {
        encoder.write_all(&chunk).unwrap();
        written += chunk.len();
    }
    encoder.write_all(suffix).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_gzip_bomb_is_refused_without_inflating_memory() {
    let _guard = alone();
    let server = Server::start();
    let spaces = std::thread::spawn(|| bomb(b"", b" ", 50 << 20, b""));
    let call = br#"{"type":"track","userId":"u","event":"e"},"#;
    let calls = bomb(b"{\"batch\":[", call, 40 << 20, b"{}]}");
    let spaces = spaces.join().unwrap();
    assert!(spaces.len() < 100 * 1024, "50 MB of spaces compress to {} bytes", spaces.len());
    assert!(calls.len() < 200 * 1024, "~1M calls compress to {} bytes", calls.len());
    // Warm up: the first requests allocate what any request needs.
    assert_still_serves(&server, "warm-up");
    let before = rss_kb();
    let started = Instant::now();
    // Several at once, to each endpoint.
    std::thread::scope(|scope| {
        for (i, bytes) in [&spaces, &calls, &spaces, &calls, &spaces, &calls, &spaces, &calls].into_iter().enumerate() {
            let server = &server;
            scope.spawn(move || {
                let path = if i % 4 == 0 { "/v1/track" } else { "/v1/batch" };
                let response = post_with(server, path, &[JSON, GZIP], bytes);
                let limit = if path == "/v1/track" { "32768 bytes" } else { "512000 bytes" };
                assert_refused(&response, 400, "too-large", &["decompressed request body", limit]);
            });
        }
    });
    let after = rss_kb();
    assert!(started.elapsed() < Duration::from_secs(10), "refusing 8 bombs took {:?}", started.elapsed());
    assert!(after < before + 64 * 1024, "resident memory went from {before} KB to {after} KB");
    assert_counts(&server, 1, 8);
    assert_still_serves(&server, "after-bombs");
}

/// A batch of one call padded with spaces to exactly `bytes`.
fn padded_batch(bytes: usize, id: &str) -> Vec<u8> {
    let mut body = json!({"batch": [track(id)]}).to_string().into_bytes();
    assert!(body.len() <= bytes);
    body.resize(bytes, b' ');
    body
}

#[test]
fn a_plain_body_over_500_kb_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let limit = 500 * 1024;
    let response = post_with(&server, "/v1/batch", &[JSON], &padded_batch(limit, "at-the-limit"));
    assert_eq!(response.status, 200, "a body of exactly 500 KB: {}", response.text());
    let response = post_with(&server, "/v1/batch", &[JSON], &padded_batch(limit + 1, "over-the-limit"));
    assert_refused(&response, 400, "too-large", &["request body", "512000 bytes"]);
    let response = post_with(&server, "/v1/batch", &[JSON], &padded_batch(4 * limit, "far-over"));
    assert_refused(&response, 400, "too-large", &["request body", "512000 bytes"]);
    // gzip of a body over the limit: refused once decompressed.
    let response = post_with(&server, "/v1/batch", &[JSON, GZIP], &gzip(&padded_batch(limit + 1, "gz-over")));
    assert_refused(&response, 400, "too-large", &["decompressed request body", "512000 bytes"]);
    assert_counts(&server, 1, 3);
    assert_eq!(server.json("/_cdpspec/calls?messageId=over-the-limit")["count"], 0);
    assert_still_serves(&server, "after-500k");
}

#[test]
fn a_single_call_over_32_kb_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let limit = 32 * 1024;
    let call = |bytes: usize, id: &str| {
        let mut body = track(id).to_string().into_bytes();
        body.resize(bytes, b' ');
        body
    };
    assert_eq!(post_with(&server, "/v1/track", &[JSON], &call(limit, "call-at-limit")).status, 200);
    let response = post_with(&server, "/v1/track", &[JSON], &call(limit + 1, "call-over"));
    assert_refused(&response, 400, "too-large", &["request body", "32768 bytes"]);
    let mut big = track("call-big");
    big["properties"]["blob"] = json!("x".repeat(40 * 1024));
    let response = server.post("/v1/t", &big.to_string());
    assert_refused(&response, 400, "too-large", &["32768 bytes"]);
    let response = post_with(&server, "/v1/track", &[JSON, GZIP], &gzip(big.to_string().as_bytes()));
    assert_refused(&response, 400, "too-large", &["decompressed request body", "32768 bytes"]);
    assert_counts(&server, 1, 3);
    assert_still_serves(&server, "after-32k");
}

#[test]
fn a_batch_call_over_32_kb_is_refused_naming_its_index() {
    let _guard = shared();
    let server = Server::start();
    let mut big = track("batch-big");
    big["properties"]["blob"] = json!("x".repeat(40 * 1024));
    let size = big.to_string().len();
    let body = json!({"batch": [track("b0"), big, track("b2")]}).to_string();
    let response = server.post("/v1/batch", &body);
    assert_refused(&response, 400, "too-large", &["call 1 of the batch", "/batch/1", &size.to_string(), "32768"]);
    // Nothing of a refused batch is stored, not even the calls before the large one.
    assert_counts(&server, 0, 1);
    assert_eq!(server.json("/_cdpspec/calls?messageId=b0")["count"], 0);
    // A call of exactly 32 KB is accepted.
    let mut fits = track("batch-fits");
    let room = 32 * 1024 - fits.to_string().len() - r#","blob":"""#.len();
    fits["properties"]["blob"] = json!("y".repeat(room));
    assert_eq!(fits.to_string().len(), 32 * 1024);
    let response = server.post("/v1/batch", &json!({"batch": [track("b3"), fits]}).to_string());
    assert_eq!(response.status, 200, "{}", response.text());
    assert_counts(&server, 2, 1);
}

#[test]
fn a_batch_of_more_than_2500_calls_is_refused() {
    let _guard = shared();
    let server = Server::start();
    let items = |n: usize| (0..n).map(|i| json!({"type": "track", "userId": "u", "event": "e", "messageId": format!("many-{i}")})).collect::<Vec<_>>();
    let response = server.post("/v1/batch", &json!({"batch": items(2501)}).to_string());
    assert_refused(&response, 400, "too-many-calls", &["2501 calls", "limit is 2500"]);
    let empties = format!("{{\"batch\": [{}{{}}]}}", "{},".repeat(9_999));
    let response = server.post("/v1/batch", &empties);
    assert_refused(&response, 400, "too-many-calls", &["10000 calls"]);
    assert_counts(&server, 0, 2);
    let response = server.post("/v1/batch", &json!({"batch": items(2500)}).to_string());
    assert_eq!(response.status, 200, "{}", response.text());
    assert_counts(&server, 2500, 2);
}

#[test]
fn unknown_endpoints_and_methods_are_answered_and_counted() {
    let _guard = shared();
    let server = Server::start();
    let response = server.post("/v1/traits", &track("nope").to_string());
    assert_refused(&response, 404, "no-such-endpoint", &["/v1/traits"]);
    let response = server.get("/v1/batch");
    assert_refused(&response, 405, "method-not-allowed", &["GET", "/v1/batch"]);
    let response = server.post("/nowhere", "{}");
    assert_refused(&response, 404, "no-such-endpoint", &["/nowhere"]);
    // Only what was sent to /v1/ is a refused request.
    assert_counts(&server, 0, 1);
}

// ---------------------------------------------------------------------------------------------
// Slow clients

#[test]
fn a_client_that_stalls_in_its_headers_is_cut_off() {
    let _guard = shared();
    let server = impatient(None);
    let started = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = connect(server.addr, Duration::from_secs(6));
            s.write_all(b"POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl").unwrap();
            s
        })
        .collect();
    // Meanwhile others are served promptly.
    let t = Instant::now();
    assert_still_serves(&server, "during-header-stall");
    assert!(t.elapsed() < Duration::from_millis(800), "a request took {:?} beside stalled clients", t.elapsed());
    for s in &mut stalled {
        match outcome(s, started) {
            Outcome::Closed(after) => assert!(after >= Duration::from_millis(900) && after < Duration::from_secs(4), "closed after {after:?}"),
            Outcome::Answered(response, after) => {
                assert_eq!(response.status, 408, "{}", response.text());
                assert!(after < Duration::from_secs(4), "answered after {after:?}");
            }
            Outcome::StillOpen => panic!("a client stalled in its headers was not cut off after 6 s"),
        }
    }
    // No request arrived, so none is counted.
    assert_counts(&server, 1, 0);
}

#[test]
fn a_client_that_stalls_in_its_body_gets_408() {
    let _guard = shared();
    let server = impatient(None);
    let body = json!({"batch": [track("slow-body")]}).to_string();
    let started = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..10)
        .map(|_| {
            let mut s = connect(server.addr, Duration::from_secs(6));
            s.write_all(head(server.addr, "POST", "/v1/batch", body.len()).as_bytes()).unwrap();
            s.write_all(&body.as_bytes()[..body.len() / 2]).unwrap();
            s
        })
        .collect();
    let t = Instant::now();
    assert_still_serves(&server, "during-body-stall");
    assert!(t.elapsed() < Duration::from_millis(800), "a request took {:?} beside stalled clients", t.elapsed());
    for s in &mut stalled {
        match outcome(s, started) {
            Outcome::Answered(response, after) => {
                assert_refused(&response, 408, "body-timeout", &["did not arrive within 1 s"]);
                assert!(after >= Duration::from_millis(900) && after < Duration::from_secs(4), "answered after {after:?}");
            }
            Outcome::Closed(after) => panic!("closed after {after:?} without a 408"),
            Outcome::StillOpen => panic!("a client stalled in its body got no answer within 6 s"),
        }
    }
    assert_counts(&server, 1, 10);
    let refusals = server.json("/_cdpspec/refusals");
    assert!(refusals["refusals"].as_array().unwrap().iter().all(|r| r["code"] == "body-timeout" && r["httpStatus"] == 408), "{refusals}");
}

/// Sends `bytes` one at a time, `every` apart, until done or the server closes.
fn drip(mut stream: TcpStream, bytes: Vec<u8>, every: Duration) -> std::thread::JoinHandle<TcpStream> {
    std::thread::spawn(move || {
        for byte in bytes {
            if stream.write_all(&[byte]).is_err() {
                break;
            }
            std::thread::sleep(every);
        }
        stream
    })
}

#[test]
fn a_client_that_drips_its_request_is_cut_off() {
    let _guard = shared();
    let server = impatient(None);
    let body = json!({"batch": [track("drip")]}).to_string();
    let every = Duration::from_millis(100);
    // Its headers a byte every 100 ms: 10 s to send them, against a deadline of 1 s in all.
    let started = Instant::now();
    let headers = drip(connect(server.addr, Duration::from_secs(6)), head(server.addr, "POST", "/v1/batch", body.len()).into_bytes(), every);
    // Its headers at once, then its body a byte every 100 ms.
    let mut slow_body = connect(server.addr, Duration::from_secs(6));
    slow_body.write_all(head(server.addr, "POST", "/v1/batch", body.len()).as_bytes()).unwrap();
    let body_drip = drip(slow_body.try_clone().unwrap(), body.clone().into_bytes(), every);
    match outcome(&mut slow_body, started) {
        Outcome::Answered(response, after) => {
            assert_refused(&response, 408, "body-timeout", &["1 s"]);
            assert!(after < Duration::from_secs(3), "answered after {after:?}");
        }
        Outcome::Closed(after) => panic!("closed after {after:?} without a 408"),
        Outcome::StillOpen => panic!("a dripping body was not cut off"),
    }
    let mut dripped = headers.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "the header drip went on for {:?}", started.elapsed());
    assert!(matches!(outcome(&mut dripped, started), Outcome::Closed(_) | Outcome::Answered(..)));
    let _ = body_drip.join();
    assert_counts(&server, 0, 1);
    assert_still_serves(&server, "after-drips");
}

#[test]

fn more_slow_bodies_than_body_permits_do_not_hold_up_others() {
    let _guard = shared();
    // 3 s for a body: long enough to tell waiting for a permit from being served.
    let bounds = Bounds { header_timeout: Duration::from_secs(1), body_timeout: Duration::from_secs(3), ..Bounds::default() };
    let server = Server::with(Options { bounds, ..Options::default() });
    let stalled: Vec<TcpStream> = (0..bounds.max_requests + 16)
        .map(|_| {
            let mut s = connect(server.addr, Duration::from_secs(6));
            s.write_all(head(server.addr, "POST", "/v1/batch", 1000).as_bytes()).unwrap();
            s.write_all(b"{\"batch\": [").unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let t = Instant::now();
    let response = server.post("/v1/batch", &json!({"batch": [track("beside-slow-bodies")]}).to_string());
    let took = t.elapsed();
    assert_eq!(response.status, 200, "{}", response.text());
    drop(stalled);
    assert!(took < Duration::from_millis(1000), "a complete request waited {took:?} behind {} slow bodies", bounds.max_requests + 16);
}

#[test]

fn a_connection_that_sends_nothing_is_closed() {
    let _guard = shared();
    let server = impatient(None);
    let started = Instant::now();
    // Nothing; one byte that could start the HTTP/2 preface; most of the preface.
    let openings: [&[u8]; 3] = [b"", b"P", b"PRI * HTTP/2.0\r\n"];
    let outcomes: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = openings
            .iter()
            .map(|opening| {
                scope.spawn(move || {
                    let mut s = connect(server.addr, Duration::from_secs(4));
                    s.write_all(opening).unwrap();
                    match outcome(&mut s, started) {
                        Outcome::Closed(after) if after < Duration::from_secs(3) => String::new(),
                        // HTTP/1.1 only: the HTTP/2 preface is a malformed request, refused at once.
                        Outcome::Answered(response, after) if matches!(response.status, 400 | 408) && after < Duration::from_secs(3) => String::new(),
                        Outcome::Closed(after) => format!("{:?}: closed after {after:?}", String::from_utf8_lossy(opening)),
                        Outcome::Answered(response, after) => format!("{:?}: answered {} after {after:?}", String::from_utf8_lossy(opening), response.status),
                        Outcome::StillOpen => format!("{:?}: still open after 4 s (header_timeout 1 s)", String::from_utf8_lossy(opening)),
                    }
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).filter(|o| !o.is_empty()).collect()
    });
    assert!(outcomes.is_empty(), "{outcomes:#?}");
}

#[test]

fn silent_connections_do_not_lock_others_out() {
    let _guard = shared();
    let server = impatient(Some(32));
    let silent: Vec<TcpStream> = (0..32).map(|_| connect(server.addr, Duration::from_secs(5))).collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut client = connect(server.addr, Duration::from_secs(5));
    let body = json!({"batch": [track("beside-silent")]}).to_string();
    let t = Instant::now();
    client.write_all(head(server.addr, "POST", "/v1/batch", body.len()).as_bytes()).unwrap();
    client.write_all(body.as_bytes()).unwrap();
    let response = read_one(&mut client);
    drop(silent);
    let response = response.unwrap_or_else(|e| panic!("no answer after {:?} ({e}) while 32 silent connections held every slot", t.elapsed()));
    assert_eq!(response.status, 200, "{}", response.text());
    assert!(t.elapsed() < Duration::from_secs(3), "served after {:?}", t.elapsed());
}

#[test]

fn a_client_that_half_closes_after_its_request_is_answered() {
    let _guard = shared();
    let server = Server::start();
    let mut answered = 0;
    for i in 0..5 {
        let body = json!({"batch": [track(&format!("half-close-{i}"))]}).to_string();
        let mut s = connect(server.addr, Duration::from_secs(5));
        s.write_all(format!("{}{body}", head(server.addr, "POST", "/v1/batch", body.len())).as_bytes()).unwrap();
        s.shutdown(Shutdown::Write).unwrap();
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        if !raw.is_empty() {
            assert_eq!(parse(&raw).status, 200);
            answered += 1;
        }
    }
    let stored = counts(&server)["total"].as_u64().unwrap();
    assert_eq!((answered, stored), (5, 5), "answered, stored");
}

// ---------------------------------------------------------------------------------------------
// Load

#[test]
fn thousands_of_idle_connections_do_not_stop_the_collector() {
    let _guard = shared();
    // Each connection is two descriptors in this process (client and server side); keep room
    // for the other tests. The soft limit here is usually 20000 or more; with 1024 (a common
    // default) this opens fewer.
    let wanted = 2000;
    let n = open_files_limit().map_or(wanted, |limit| wanted.min(limit.saturating_sub(400) / 2));
    assert!(n >= 300, "the open-file limit ({:?}) leaves room for only {n} connections", open_files_limit());
    // Idle connections must outlive the test, whatever header timeout is in force.
    let bounds = Bounds { header_timeout: Duration::from_secs(60), ..Bounds::default() };
    let server = Server::with(Options { bounds, ..Options::default() });
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = Vec::with_capacity(n);
    while idle.len() < n {
        // At most 100 waiting to be accepted: the listen queue holds 128 (see
        // `a_burst_of_connections_is_not_dropped`). It is first in, first out, so once this
        // request is answered, every connection opened before it has been accepted.
        idle.extend((0..100.min(n - idle.len())).map(|_| connect(server.addr, Duration::from_secs(10))));
        assert_eq!(server.get("/health").status, 200);
    }
    let opened = started.elapsed();
    let t = Instant::now();
    assert_still_serves(&server, "beside-idle");
    assert!(t.elapsed() < Duration::from_secs(1), "a request took {:?} beside {n} idle connections", t.elapsed());
    // A request on each of 400 of them, from 8 threads at once.
    let used = 400.min(n);
    std::thread::scope(|scope| {
        for (part, chunk) in idle[..used].chunks_mut(used / 8).enumerate() {
            let addr = server.addr;
            scope.spawn(move || {
                let bodies: Vec<String> = (0..chunk.len()).map(|i| track(&format!("idle-{part}-{i}")).to_string()).collect();
                for (s, body) in chunk.iter_mut().zip(&bodies) {
                    s.write_all(format!("{}{body}", head(addr, "POST", "/v1/track", body.len())).as_bytes()).unwrap();
                }
                for s in chunk.iter_mut() {
                    let response = read_one(s).unwrap();
                    assert_eq!(response.status, 200, "{}", response.text());
                }
            });
        }
    });
    assert_counts(&server, 1 + used as u64, 0);
    for part in 0..8 {
        assert_eq!(server.json(&format!("/_cdpspec/calls?messageId=idle-{part}-0"))["count"], 1);
    }
    // The connections that answered are kept alive and serve again.
    let body = track("again").to_string();
    idle[0].write_all(format!("{}{body}", head(server.addr, "POST", "/v1/track", body.len())).as_bytes()).unwrap();
    assert_eq!(read_one(&mut idle[0]).unwrap().status, 200);
    assert_counts(&server, 2 + used as u64, 0);
    drop(idle);
    assert!(opened < Duration::from_secs(5), "opening {n} connections took {opened:?}");
}

#[test]

fn a_burst_of_connections_is_not_dropped() {
    let _guard = shared();
    let server = Server::start();
    // 8 clients open 150 connections each, as fast as they can.
    let slow: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let addr = server.addr;
                scope.spawn(move || {
                    let mut open = Vec::new();
                    let mut slow = Vec::new();
                    for _ in 0..150 {
                        let t = Instant::now();
                        open.push(TcpStream::connect(addr).unwrap());
                        // A SYN dropped because the listen queue was full is sent again after 1 s.
                        if t.elapsed() > Duration::from_millis(900) {
                            slow.push(t.elapsed());
                        }
                    }
                    slow
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert!(slow.is_empty(), "{} of 1200 connections took a SYN retransmission: {slow:?}", slow.len());
    assert_still_serves(&server, "after-burst");
}

#[test]
fn nothing_accepted_is_lost() {
    let _guard = shared();
    let server = Server::start();
    let (clients, batches, calls) = (8, 10, 20);
    let accepted: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|c| {
                let server = &server;
                scope.spawn(move || {
                    let mut accepted = 0;
                    for b in 0..batches {
                        let items: Vec<Value> = (0..calls).map(|i| track(&format!("lost-{c}-{b}-{i}"))).collect();
                        let body = json!({"batch": items, "context": {"library": {"name": "robustness", "version": "1"}}}).to_string();
                        // Half the clients compress, as analytics-kotlin does.
                        let response =
                            if c % 2 == 0 { server.post("/v1/batch", &body) } else { post_with(server, "/v1/batch", &[JSON, GZIP], &gzip(body.as_bytes())) };
                        assert_eq!(response.status, 200, "{}", response.text());
                        accepted += calls;
                    }
                    accepted
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(accepted, clients * batches * calls);
    assert_counts(&server, accepted as u64, 0);
    // Every call, by its messageId, from 4 kept-alive connections at once.
    std::thread::scope(|scope| {
        for part in 0..4 {
            let addr = server.addr;
            scope.spawn(move || {
                let mut s = connect(addr, Duration::from_secs(30));
                for c in (0..clients).filter(|c| c % 4 == part) {
                    for b in 0..batches {
                        for i in 0..calls {
                            let id = format!("lost-{c}-{b}-{i}");
                            s.write_all(format!("GET /_cdpspec/calls?messageId={id} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes()).unwrap();
                            let found = read_one(&mut s).unwrap().json();
                            assert_eq!(found["count"], 1, "{id}: {found}");
                            assert_eq!(found["calls"][0]["messageId"], id.as_str());
                            assert_eq!(found["calls"][0]["context"]["library"]["name"], "robustness");
                        }
                    }
                }
            });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// Random raw requests

/// xorshift64*: a deterministic source of randomness without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// Up to `max` random bytes.
    fn noise(&mut self, max: usize) -> Vec<u8> {
        let n = self.below(max);
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// One random request: a valid start, then something random or mutated.
fn random_request(rng: &mut Rng, addr: SocketAddr) -> Vec<u8> {
    const PATHS: &[&str] = &[
        "/v1/batch",
        "/v1/batch",
        "/v1/batch",
        "/v1/track",
        "/v1/track",
        "/v1/t",
        "/v1/identify",
        "/v1/b",
        "/v1/import",
        "/t/fuzz/v1/batch",
        "/t/bad%20tag/v1/batch",
        "/v1/nope",
        "/_cdpspec/calls?messageId=x&wait=0",
        "/_cdpspec/counts",
        "/health",
        "/v1/projects/wk/settings",
        "/%00/../v1/batch",
        "*",
    ];
    const METHODS: &[&str] = &["POST", "POST", "POST", "POST", "POST", "POST", "GET", "PUT", "OPTIONS", "HEAD", "PRI", "P0ST", ""];
    const TYPES: &[&str] = &["application/json", "text/plain", "application/x-www-form-urlencoded", "", "application/json; charset=\u{0}", "*/*"];
    const ENCODINGS: &[&str] = &["gzip", "gzip", "br", "identity", "x-gzip", "deflate", "gzip, gzip", "", "GZip", "gzip;q=0.5"];
    const BODIES: &[&str] = &[
        r#"{"batch":[{"type":"track","userId":"u","event":"e","messageId":"fz"}]}"#,
        r#"{"type":"track","userId":"u","event":"e"}"#,
        r#"{"batch":[}"#,
        "[]",
        "",
        r#"{"batch":[{"context":"x"},1,null,{"type":{}}],"context":[],"integrations":{"All":false}}"#,
    ];
    let method = rng.pick(METHODS);
    let path = rng.pick(PATHS);
    let mut out = format!("{method} {path} HTTP/1.1\r\n").into_bytes();
    let mut body: Vec<u8> = match rng.below(4) {
        0 => rng.noise(2000),
        1 => gzip(rng.pick(BODIES).as_bytes()),
        2 => {
            let g = gzip(rng.pick(BODIES).as_bytes());
            g[..rng.below(g.len())].to_vec()
        }
        _ => rng.pick(BODIES).as_bytes().to_vec(),
    };
    if rng.below(3) == 0 && !body.is_empty() {
        // Flip a few bytes.
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(body.len());
            body[i] ^= 1 << rng.below(8);
        }
    }
    match rng.below(5) {
        // Random bytes after the request line.
        0 => out.extend(rng.noise(600)),
        // Random headers, of which some are random bytes.
        1 => {
            for _ in 0..rng.below(12) {
                match rng.below(6) {
                    0 => out.extend(rng.noise(40)),
                    1 => out.extend(format!("Content-Length: {}\r\n", [0, 1, body.len(), body.len() + 7, usize::MAX, 1 << 40][rng.below(6)]).as_bytes()),
                    2 => out.extend(b"Transfer-Encoding: chunked\r\n"),
                    3 => out.extend(format!("Content-Encoding: {}\r\n", rng.pick(ENCODINGS)).as_bytes()),
                    4 => out.extend(format!("Content-Type: {}\r\n", rng.pick(TYPES)).as_bytes()),
                    _ => out.extend(format!("X-{}: {}\r\n", rng.below(1000), "v".repeat(rng.below(100))).as_bytes()),
                }
                out.extend(b"\r\n".iter().take(rng.below(3)));
            }
            out.extend(b"\r\n");
            out.extend(&body);
        }
        // A well-formed head, then the body chunked (with a random chunk size line sometimes).
        2 => {
            out.extend(format!("Host: {addr}\r\nTransfer-Encoding: chunked\r\nContent-Encoding: {}\r\n\r\n", rng.pick(ENCODINGS)).as_bytes());
            for chunk in body.chunks(1 + rng.below(64)) {
                if rng.below(20) == 0 {
                    out.extend(rng.noise(8));
                }
                out.extend(format!("{:x}\r\n", chunk.len()).as_bytes());
                out.extend(chunk);
                out.extend(b"\r\n");
            }
            out.extend(b"0\r\n\r\n");
        }
        // A well-formed head with a random encoding and type, and a random body.
        3 => {
            let length = if rng.below(4) == 0 { body.len() + rng.below(10) } else { body.len() };
            out.extend(
                format!("Host: {addr}\r\nContent-Type: {}\r\nContent-Encoding: {}\r\nContent-Length: {length}\r\n\r\n", rng.pick(TYPES), rng.pick(ENCODINGS))
                    .as_bytes(),
            );
            out.extend(&body);
        }
        // A whole valid request, mutated byte by byte.
        _ => {
            let body = rng.pick(BODIES);
            out.extend(format!("Host: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
            for _ in 0..1 + rng.below(6) {
                let i = rng.below(out.len());
                match rng.below(3) {
                    0 => out[i] = rng.next() as u8,
                    1 => {
                        out.remove(i);
                    }
                    _ => out.insert(i, rng.next() as u8),
                }
            }
        }
    }
    out
}

/// The responses at the start of `raw`, each checked to be well-formed HTTP/1.1, with the
/// `code` of JSON errors; and whether the last one is complete.
fn responses(raw: &[u8], head_request: bool, case: usize) -> (Vec<(u16, String)>, bool) {
    let mut found = Vec::new();
    let mut rest = raw;
    while !rest.is_empty() {
        let Some(end) = rest.windows(4).position(|w| w == b"\r\n\r\n") else { return (found, false) };
        let head = std::str::from_utf8(&rest[..end]).unwrap_or_else(|_| panic!("case {case}: a response head that is not text"));
        let status_line = head.lines().next().unwrap();
        let mut parts = status_line.splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "case {case}: {status_line:?}");
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("case {case}: {status_line:?}"));
        assert!((100..600).contains(&status), "case {case}: {status_line:?}");
        let response = parse(&rest[..end + 4]);
        let length: usize = response.header("content-length").map_or(0, |l| l.parse().unwrap_or_else(|_| panic!("case {case}: {head}")));
        let body_end = if response.header("transfer-encoding").is_some() {
            match rest[end + 4..].windows(5).position(|w| w == b"0\r\n\r\n") {
                Some(at) => end + 4 + at + 5,
                None => return (found, false),
            }
        } else if head_request || status == 204 || status == 304 {
            // A response to HEAD says the length of the body it does not send.
            end + 4
        } else if rest.len() < end + 4 + length {
            return (found, false);
        } else {
            end + 4 + length
        };
        let body = &rest[end + 4..body_end];
        let mut code = String::new();
        if response.header("content-type") == Some("application/json") && status >= 400 && !body.is_empty() {
            let value: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("case {case}: {e}: {}", String::from_utf8_lossy(body)));
            assert!(value["code"].is_string() && value["message"].as_str().is_some_and(|m| !m.is_empty()), "case {case}: {value}");
            code = value["code"].as_str().unwrap_or_default().to_string();
        }
        found.push((status, code));
        rest = &rest[body_end..];
    }
    (found, true)
}

/// Sends `bytes` and checks what comes back: nothing (closed), or well-formed HTTP/1.1
/// responses. With `half_close`, closes its sending side at once and reads to the end;
/// without, waits for the first response (a request left incomplete meets the collector's
/// 1 s timeouts).
fn exchange(addr: SocketAddr, bytes: &[u8], half_close: bool, case: usize) -> Vec<(u16, String)> {
    let head_request = bytes.starts_with(b"HEAD ");
    let mut s = connect(addr, Duration::from_secs(5));
    // The server may answer and close before reading everything.
    let _ = s.write_all(bytes);
    if half_close {
        let _ = s.shutdown(Shutdown::Write);
    }
    let mut raw = Vec::new();
    let started = Instant::now();
    let mut buf = [0u8; 8192];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("case {case}: neither answered nor closed after {:?}; sent {:?}", started.elapsed(), String::from_utf8_lossy(bytes))
            }
            // Reset: the server closed with input unread.
            Err(_) => return responses(&raw, head_request, case).0,
        }
        if !half_close && let (found, true) = responses(&raw, head_request, case) {
            return found;
        }
    }
    let (found, complete) = responses(&raw, head_request, case);
    assert!(complete, "case {case}: an incomplete response {:?}", String::from_utf8_lossy(&raw));
    found
}

#[test]
fn random_raw_requests_are_answered_or_closed() {
    let _guard = shared();
    let server = impatient(None);
    let cases = 300;
    let threads = 15;
    let all: Vec<(usize, Vec<(u16, String)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let addr = server.addr;
                scope.spawn(move || {
                    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
                    (0..cases / threads)
                        .map(|i| {
                            let case = t * (cases / threads) + i;
                            let request = random_request(&mut rng, addr);
                            (case, exchange(addr, &request, case % 2 == 0, case))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let answered = all.iter().filter(|(_, s)| !s.is_empty()).count();
    let server_errors: Vec<_> = all.iter().filter(|(_, s)| s.iter().any(|(s, _)| *s == 500)).collect();
    assert!(server_errors.is_empty(), "internal errors: {server_errors:?}");
    // Most cases are answered, not merely closed.
    assert!(answered > cases / 2, "only {answered} of {cases} answered");
    let mut by_status = std::collections::BTreeMap::new();
    for (status, code) in all.iter().flat_map(|(_, s)| s) {
        *by_status.entry(format!("{status} {code}")).or_insert(0) += 1;
    }
    eprintln!("{cases} random requests: {answered} answered; {by_status:?}");
    // Enough of them get past HTTP to the collector's own checks.
    const INGEST: &[&str] = &["bad-gzip", "invalid-json", "not-an-object", "no-batch", "too-large", "unreadable-body", "unsupported-", "body-timeout"];
    let checked: usize = by_status.iter().filter(|(k, _)| k.starts_with("200") || INGEST.iter().any(|c| k.contains(c))).map(|(_, n)| n).sum();
    assert!(checked >= cases / 10, "only {checked} of {cases} reached the collector's checks: {by_status:?}");
    assert_eq!(server.get("/health").status, 200);
    counts(&server);
    assert_still_serves(&server, "after-fuzz");
}
