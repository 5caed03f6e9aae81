//! `cdpspec serve` as users run it: the process, its flags, its stderr, and what survives when
//! it is killed. (The HTTP API itself is tested in `collector/tests/`.)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// A `cdpspec serve` process; its stderr is collected line by line.
struct Serve {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    fn start(args: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let first = lines.next().expect("a start line").unwrap();
        let addr = first.split("http://").nth(1).and_then(|r| r.split([' ', ')']).next()).unwrap_or_else(|| panic!("no address in {first:?}")).parse().unwrap();
        let stderr = Arc::new(Mutex::new(vec![first]));
        let sink = Arc::clone(&stderr);
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Serve { child, addr, stderr }
    }

    fn stderr(&self) -> Vec<String> {
        self.stderr.lock().unwrap().clone()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One request on a new connection; the status and body, or `None` when the connection broke.
fn send(addr: SocketAddr, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(addr).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head =
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(body.as_bytes()).ok()?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw).ok()?;
    let (head, body) = raw.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_string()))
}

fn get_json(addr: SocketAddr, path: &str) -> Value {
    let (status, body) = send(addr, "GET", path, "").expect("an answer");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = tempfile::Builder::new().prefix(&format!("cdpspec-serve-{name}-")).tempdir().unwrap().keep();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn batch(client: u64, n: u64) -> String {
    let calls: Vec<Value> = (0..10)
        .map(|i| json!({"type": "track", "userId": format!("u{client}"), "event": "Course Enrolled", "messageId": format!("c{client}-b{n}-{i}")}))
        .collect();
    json!({ "batch": calls }).to_string()
}

#[test]
fn nothing_answered_200_is_lost_when_the_process_is_killed() {
    let dir = temp_dir("sigkill");
    let db = dir.join("calls.db");
    let db = db.to_str().unwrap();
    let mut serve = Serve::start(&["--db", db, "--quiet"]);
    let addr = serve.addr;
    // Four clients send batches of ten as fast as they can; the process is killed (SIGKILL)
    // while they do.
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(AtomicU64::new(0));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            let (stop, answered) = (Arc::clone(&stop), Arc::clone(&answered));
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) && n < 5000 {
                    match send(addr, "POST", "/v1/batch", &batch(client, n)) {
                        Some((200, _)) => answered.fetch_add(1, Ordering::SeqCst),
                        _ => break,
                    };
                    n += 1;
                }
            })
        })
        .collect();
    let start = Instant::now();
    while answered.load(Ordering::SeqCst) < 200 && start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(5));
    }
    serve.child.kill().unwrap(); // SIGKILL
    let answered_before_kill = answered.load(Ordering::SeqCst);
    serve.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let answered = answered.load(Ordering::SeqCst);
    assert!(answered_before_kill >= 200, "the clients were answered before the kill");
    let again = Serve::start(&["--db", db, "--quiet"]);
    let total = get_json(again.addr, "/_cdpspec/counts")["total"].as_u64().unwrap();
    assert!(total >= answered * 10, "{answered} batches were answered 200 but only {total} calls survived the kill");
    assert!(total <= (answered + 4) * 10, "at most the four requests in flight were stored unanswered");
    assert_eq!(total % 10, 0, "a batch is stored whole or not at all");
    eprintln!("SIGKILL after {answered} batches answered 200: {total} calls in the database after a restart");
    drop(again);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn one_line_per_call_on_stderr_and_none_when_quiet() {
    let serve = Serve::start(&["--db", ":memory:"]);
    let body = r#"{"batch":[{"type":"track","userId":"u1","event":"Course Enrolled"},{"type":"identify","traits":{"email":"a@example.com"}}]}"#;
    assert_eq!(send(serve.addr, "POST", "/t/checkout/v1/batch", body).unwrap().0, 200);
    assert_eq!(send(serve.addr, "POST", "/v1/batch", "{").unwrap().0, 400);
    let start = Instant::now();
    while serve.stderr().len() < 5 && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(10));
    }
    let lines = serve.stderr();
    assert!(lines[0].starts_with("cdpspec serve: listening on http://127.0.0.1:"), "{lines:?}");
    assert_eq!(lines[2], "[checkout] valid    track \"Course Enrolled\"");
    assert!(lines[3].starts_with("[checkout] errors   identify  CDP103 missing-identity: "), "{lines:?}");
    assert!(lines[4].starts_with("refused  POST /v1/batch -> 400: the body is not valid JSON"), "{lines:?}");

    let quiet = Serve::start(&["--db", ":memory:", "--quiet"]);
    assert_eq!(send(quiet.addr, "POST", "/v1/batch", body).unwrap().0, 200);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(quiet.stderr().len(), 2, "only the start lines: {:?}", quiet.stderr());
}

#[test]
fn calls_ndjson_feeds_validate_and_coverage_unchanged() {
    let dir = temp_dir("ndjson");
    let serve = Serve::start(&["--db", ":memory:", "--quiet", "--destination", "customerio"]);
    let body = json!({"batch": [
        {"type": "identify", "userId": "97980cfea0067", "traits": {"email": "cool.person@example.com"}},
        {"type": "track", "userId": "97980cfea0067", "event": "Course Enrolled"},
        {"type": "page", "anonymousId": "a1", "name": "Home"},
        {"type": "track", "event": "Signed Up"}
    ], "context": {"library": {"name": "analytics-node", "version": "2.1.2"}}});
    assert_eq!(send(serve.addr, "POST", "/v1/batch", &body.to_string()).unwrap().0, 200);
    let (status, ndjson) = send(serve.addr, "GET", "/_cdpspec/calls.ndjson", "").unwrap();
    assert_eq!(status, 200);
    // The body came chunked: take the lines that are calls.
    let lines: Vec<&str> = ndjson.lines().filter(|l| l.starts_with('{')).collect();
    assert_eq!(lines.len(), 4);
    let file = dir.join("captured.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let counts = get_json(serve.addr, "/_cdpspec/counts");
    let validate = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(["validate", "--format", "json"]).arg(&file).output().unwrap();
    let errors = String::from_utf8_lossy(&validate.stdout).lines().filter(|l| l.contains("\"severity\":\"error\"")).count();
    assert_eq!((validate.status.code(), errors as u64), (Some(1), counts["errors"].as_u64().unwrap()), "validate agrees with the collector");
    let coverage = Command::new(env!("CARGO_BIN_EXE_cdpspec")).args(["coverage", "--destination", "customerio", "--per-call"]).arg(&file).output().unwrap();
    let per_call: Vec<Value> = String::from_utf8_lossy(&coverage.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let stored = get_json(serve.addr, "/_cdpspec/calls?order=oldest");
    for (line, call) in per_call.iter().zip(stored["calls"].as_array().unwrap()) {
        assert_eq!(line["actions"], call["actions"], "coverage and the collector evaluate alike");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn start_problems_are_clear_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_cdpspec")).arg("serve").args(args).current_dir(root).output().unwrap();
    let plan = run(&["--port", "0", "--db", ":memory:", "--plan", "no-such-plan.yaml"]);
    assert_eq!(plan.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&plan.stderr).contains("no-such-plan.yaml"), "{}", String::from_utf8_lossy(&plan.stderr));
    let destination = run(&["--port", "0", "--db", ":memory:", "--destination", "customer.io"]);
    assert_eq!(destination.status.code(), Some(2));
    let taken = Serve::start(&["--db", ":memory:", "--quiet"]);
    let port = taken.addr.port().to_string();
    let busy = run(&["--port", &port, "--db", ":memory:"]);
    assert_eq!(busy.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&busy.stderr).contains(&format!("cannot listen on 127.0.0.1:{port}")), "{}", String::from_utf8_lossy(&busy.stderr));
    let dir = temp_dir("not-a-db");
    std::fs::write(dir.join("calls.db"), "this is not a database, just text that is long enough to be read as a header......").unwrap();
    let not_db = run(&["--port", "0", "--db", dir.join("calls.db").to_str().unwrap()]);
    assert_eq!(not_db.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_db.stderr).contains("calls.db"), "{}", String::from_utf8_lossy(&not_db.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}
