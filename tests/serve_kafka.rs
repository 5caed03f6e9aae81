//! `cdpspec serve --sink kafka`: calls sent by a real SDK (`segment-analytics-python`, driven by
//! `collector/tests/sdk/python_sdks.py`, plain and gzip) arrive in the topic, one message per
//! call, keyed by `userId` or `anonymousId`; with `--sink both` they are stored too. Against a
//! real Kafka-protocol broker (Tansu, `tests/common/kafka.rs`).

#[path = "common/kafka.rs"]
mod kafka;
#[path = "common/pip.rs"]
mod pip;
#[path = "common/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kafka::{Broker, free_port};
use serde_json::Value;

fn sdk_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("collector/tests/sdk")
}

/// The Python SDKs, in the cache `collector/tests/sdks.rs` installs them into.
fn python_packages() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sdk-cache/python");
    (!tools::offline() && pip::ready(&dir, &sdk_dir().join("requirements.txt"))).then_some(dir)
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `cdpspec serve` with `args`, on a free port, once it answers.
fn serve(args: &[&str]) -> (Serve, u16) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
        .args(["serve", "--quiet", "--port", &port.to_string()])
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let server = Serve(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not listen within 20 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    (server, port)
}

fn drive(packages: &Path, port: u16, gzip: bool) -> Value {
    let mut command = Command::new("python3");
    command.arg("python_sdks.py").current_dir(sdk_dir()).env("PYTHONPATH", packages);
    command.args(["--collector", &format!("http://127.0.0.1:{port}"), "--sdk", "segment"]);
    if gzip {
        command.arg("--gzip");
    }
    let out = command.output().expect("the driver runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{command:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap()
}

#[test]
fn calls_from_a_real_sdk_arrive_in_the_topic_keyed_by_user() {
    let test = "serve --sink kafka with segment-analytics-python";
    let Some(packages) = python_packages() else {
        tools::skip(test, "pip could not install the SDKs (collector/tests/sdk/requirements.txt)");
        return;
    };
    let Some(broker) = Broker::start(test) else { return };
    broker.create_topic("raw", 3);
    let (_server, port) = serve(&["--sink", "kafka", "--brokers", &broker.address, "--topic", "raw"]);
    let mut sent = Vec::new();
    for gzip in [false, true] {
        let summary = drive(&packages, port, gzip);
        assert_eq!(summary["total"], 7, "{summary}");
        sent.extend(summary["messageIds"].as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_string()));
    }
    let read = broker.read_all("raw", sent.len(), Duration::from_secs(30));
    assert_eq!(read.len(), sent.len(), "one message per call, each acknowledged before the SDK was answered");
    for m in &read {
        let call = m.json();
        assert!(sent.contains(&call["messageId"].as_str().unwrap().to_string()), "{call}");
        let key = call["userId"].as_str().or(call["anonymousId"].as_str()).unwrap();
        assert_eq!(m.key.as_deref(), Some(key.as_bytes()), "keyed by userId, else anonymousId: {call}");
        assert!(call["receivedAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{call}");
        assert_eq!(call["context"]["library"]["name"], "analytics-python", "the batch's context is merged in: {call}");
    }
}

#[test]
fn sink_both_writes_the_topic_and_the_database() {
    let test = "serve --sink both";
    let Some(broker) = Broker::start(test) else { return };
    broker.create_topic("raw", 1);
    let (_server, port) = serve(&["--sink", "both", "--db", ":memory:", "--brokers", &broker.address, "--topic", "raw"]);
    let body = r#"{"batch":[{"type":"identify","userId":"u1","messageId":"a"},{"type":"page","anonymousId":"x1","messageId":"b"}]}"#;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let request =
        format!("POST /v1/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    std::io::Write::write_all(&mut stream, request.as_bytes()).unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut stream, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let read = broker.read_all("raw", 2, Duration::from_secs(30));
    let keys: Vec<_> = read.iter().map(|m| m.key.clone().unwrap()).collect();
    assert_eq!(keys, [b"u1".to_vec(), b"x1".to_vec()]);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    std::io::Write::write_all(&mut stream, b"GET /_cdpspec/counts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut counts = String::new();
    std::io::Read::read_to_string(&mut stream, &mut counts).unwrap();
    assert!(counts.contains("\"total\":2"), "stored as well: {counts}");
}
