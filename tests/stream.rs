//! `cdpspec stream` against a real Kafka-protocol broker (Tansu, `tests/common/kafka.rs`):
//! two members of one group share the partitions and write every call exactly once; a member
//! killed with SIGKILL and started again loses nothing; input that cannot be checked goes to
//! the bad topic and the member keeps going (an output too large to write as well). Each test starts its own broker on a free port.

#[path = "common/kafka.rs"]
mod kafka;
#[path = "common/pip.rs"]
mod pip;
#[path = "common/tools.rs"]
mod tools;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kafka::{Broker, Keyed, Received, free_port};
use serde_json::{Value, json};

/// A `cdpspec stream` process; its stderr goes to a file, read by `log`.
struct Member {
    child: Child,
    log: PathBuf,
    metrics: u16,
}

impl Member {
    fn start(broker: &Broker, name: &str, extra: &[&str]) -> Member {
        static RUN: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
        let dir = RUN.get_or_init(|| tempfile::Builder::new().prefix("cdpspec-stream-").tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap()).path();
        let log = dir.join(format!("{name}-{}.log", free_port()));
        let metrics = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_cdpspec"))
            .args(["stream", "--brokers", &broker.address, "--topic", "raw", "--group", "validators", "--good-topic", "good", "--bad-topic", "bad"])
            .args(["--metrics-port", &metrics.to_string(), "--log-every", "1", "--kafka-config", "session.timeout.ms=6000"])
            .args(extra)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Member { child, log, metrics }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `/metrics`, or empty while it is not up.
    fn metrics(&self) -> String {
        let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", self.metrics)) else { return String::new() };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let _ = stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stream, &mut text);
        text
    }

    /// The value of a metric line that starts with `prefix`, 0 if none.
    fn metric(&self, prefix: &str) -> u64 {
        self.metrics().lines().find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit(' ').next()?.parse().ok()).unwrap_or(0)
    }

    /// Waits until `ready` holds of the log, for at most `within`.
    fn wait_log(&self, what: &str, within: Duration, ready: impl Fn(&str) -> bool) {
        let deadline = Instant::now() + within;
        while !ready(&self.log()) {
            assert!(Instant::now() < deadline, "{what} did not happen within {within:?}; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, signal) };
    }

    /// Sends SIGTERM and waits (at most 60 s) for a clean exit.
    fn terminate(mut self) -> String {
        self.signal(libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                let log = self.log();
                assert!(status.success(), "the member exited with {status} after SIGTERM; log:\n{log}");
                return log;
            }
            assert!(Instant::now() < deadline, "the member did not stop within 60 s of SIGTERM; log:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The topics of a run: raw with `partitions` partitions, good and bad with as many.
fn topics(broker: &Broker, partitions: i32) {
    for topic in ["raw", "good", "bad"] {
        broker.create_topic(topic, partitions);
    }
}

/// `n` messages keyed by user: valid tracks, tracks without identity (bad), batches of two
/// valid calls, and one in 50 not JSON. Returns them and the messageIds of every call.
fn input(n: usize) -> (Vec<Keyed>, Vec<String>) {
    let (mut messages, mut ids) = (Vec::new(), Vec::new());
    for i in 0..n {
        let user = format!("user-{}", i % 37);
        let call = |id: String| json!({"type": "track", "userId": user, "event": "Course Enrolled", "messageId": id, "properties": {"i": i}});
        let value = match i % 50 {
            0 => format!("not json {i}"),
            1..=9 => {
                ids.push(format!("m{i}"));
                json!({"type": "track", "event": "Course Enrolled", "messageId": format!("m{i}")}).to_string()
            }
            10..=19 => {
                ids.extend([format!("m{i}a"), format!("m{i}b")]);
                json!({"batch": [call(format!("m{i}a")), call(format!("m{i}b"))]}).to_string()
            }
            _ => {
                ids.push(format!("m{i}"));
                call(format!("m{i}")).to_string()
            }
        };
        messages.push((Some(user.into_bytes()), value.into_bytes()));
    }
    (messages, ids)
}

/// The messageIds in good and bad, and how many messages had none (not JSON).
fn message_ids(good: &[Received], bad: &[Received]) -> (BTreeMap<String, usize>, usize) {
    let mut ids = BTreeMap::new();
    let mut without = 0;
    for m in good.iter().chain(bad) {
        match serde_json::from_slice::<Value>(&m.value).ok().and_then(|v| v["messageId"].as_str().map(String::from)) {
            Some(id) => *ids.entry(id).or_insert(0) += 1,
            None => without += 1,
        }
    }
    (ids, without)
}

#[test]
fn two_members_share_the_partitions_and_write_every_call_once() {
    let Some(broker) = Broker::start("two members of one group") else { return };
    topics(&broker, 4);
    let first = Member::start(&broker, "first", &[]);
    let second = Member::start(&broker, "second", &[]);
    let assigned = |log: &str| log.lines().any(|l| l.contains("partitions assigned: raw/"));
    first.wait_log("the first member's assignment", Duration::from_secs(60), assigned);
    second.wait_log("the second member's assignment", Duration::from_secs(60), assigned);
    // Both hold partitions once the group has settled: wait until their assignments cover 4.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let held = |m: &Member| m.log().lines().rev().find(|l| l.contains("partitions assigned:")).map_or(0, |l| l.matches("raw/").count());
        if held(&first) + held(&second) == 4 && held(&first) > 0 && held(&second) > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the group did not settle:\n{}\n---\n{}", first.log(), second.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    let (messages, ids) = input(400);
    broker.produce("raw", &messages);
    let expected = ids.len() + messages.len() / 50;
    let deadline = Instant::now() + Duration::from_secs(60);
    while first.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}") + second.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}") < 400 {
        assert!(Instant::now() < deadline, "not every message was read:\n{}\n---\n{}", first.metrics(), second.metrics());
        std::thread::sleep(Duration::from_millis(200));
    }
    let (read_first, read_second) = (first.metric("cdpspec_stream_messages_in_total"), second.metric("cdpspec_stream_messages_in_total"));
    assert!(read_first > 0 && read_second > 0, "both members read: {read_first} and {read_second}");
    let metrics = first.metrics();
    assert!(metrics.contains("cdpspec_stream_errors_total{rule=\"missing-identity\"}"), "{metrics}");
    // librdkafka's statistics come every 5 s: the lag of each partition held, 0 once caught up.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !first.metrics().lines().any(|l| l.starts_with("cdpspec_stream_consumer_lag{topic=\"raw\"") && l.ends_with(" 0")) {
        assert!(Instant::now() < deadline, "no consumer lag reported:\n{}", first.metrics());
        std::thread::sleep(Duration::from_millis(200));
    }
    let logs = [first.terminate(), second.terminate()];
    let good = broker.read_all("good", 0, Duration::from_secs(30));
    let bad = broker.read_all("bad", expected - good.len(), Duration::from_secs(30));
    assert_eq!(good.len() + bad.len(), expected, "every call once, and each message that is not JSON; logs:\n{}\n---\n{}", logs[0], logs[1]);
    let (seen, without) = message_ids(&good, &bad);
    assert_eq!(without, messages.len() / 50);
    for id in &ids {
        assert_eq!(seen.get(id), Some(&1), "messageId {id}");
    }
    for m in &good {
        let call = m.json();
        assert_eq!(m.key.as_deref(), Some(call["userId"].as_str().unwrap().as_bytes()), "keys are kept");
        assert_eq!(m.header("cdpspec-source-topic"), Some("raw"));
        assert!(m.header("cdpspec-source-offset").is_some_and(|o| o.parse::<i64>().is_ok()));
    }
    assert!(bad.iter().filter(|m| m.header("cdpspec-error").is_none()).all(|m| m.json()["context"]["violationErrors"][0]["rule"] == "missing-identity"));
    eprintln!("two members: {read_first} and {read_second} messages read; {} good, {} bad", good.len(), bad.len());
}

#[test]
fn a_member_killed_mid_stream_and_started_again_loses_nothing() {
    let Some(broker) = Broker::start("SIGKILL and restart") else { return };
    topics(&broker, 2);
    let (messages, ids) = input(3000);
    broker.produce("raw", &messages);
    // A small in-flight bound and a slow commit, so the kill lands with work in flight.
    let slow = ["--max-in-flight", "50", "--kafka-config", "linger.ms=20"];
    let member = Member::start(&broker, "killed", &slow);
    let deadline = Instant::now() + Duration::from_secs(60);
    // Killed once it has committed some offsets, with more read than committed.
    while member.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}") < 1000 || member.metric("cdpspec_stream_commits_total") < 1 {
        assert!(Instant::now() < deadline, "the member read too little:\n{}", member.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let read_before = member.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}");
    member.kill();
    let restarted = Member::start(&broker, "restarted", &[]);
    let expected = ids.len() + messages.len() / 50;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let written = restarted.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}");
        if written as usize + read_before as usize >= messages.len() {
            break;
        }
        assert!(Instant::now() < deadline, "the restarted member did not catch up:\n{}", restarted.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    let read_after = restarted.metric("cdpspec_stream_messages_in_total{topic=\"raw\"}");
    let log = restarted.terminate();
    assert!(read_after < messages.len() as u64, "the restart began at the offsets committed before the kill, not at the start; log:\n{log}");
    let good = broker.read_all("good", 0, Duration::from_secs(30));
    let bad = broker.read_all("bad", expected.saturating_sub(good.len()), Duration::from_secs(30));
    let (seen, _) = message_ids(&good, &bad);
    let missing: Vec<&String> = ids.iter().filter(|id| !seen.contains_key(*id)).collect();
    assert!(missing.is_empty(), "{} messageIds lost, first {:?}; log:\n{log}", missing.len(), &missing[..missing.len().min(5)]);
    assert!(good.len() + bad.len() >= expected);
    let duplicates = good.len() + bad.len() - expected;
    eprintln!(
        "SIGKILL after {read_before} of {} messages read; restart read {read_after} (replayed {}); {} outputs for {expected} expected: {duplicates} duplicates, 0 lost",
        messages.len(),
        (read_before + read_after) as usize - messages.len(),
        good.len() + bad.len()
    );
}

#[test]
fn input_that_cannot_be_checked_goes_to_bad_and_the_member_keeps_going() {
    let Some(broker) = Broker::start("bad input") else { return };
    topics(&broker, 1);
    let gzip = |bytes: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    };
    let bomb = gzip(&vec![b' '; 64 << 20]);
    let big_call = json!({"type": "track", "userId": "u1", "event": "Big", "messageId": "big", "properties": {"blob": "x".repeat(40_000)}}).to_string();
    let valid = |id: &str| json!({"type": "identify", "userId": "u1", "messageId": id}).to_string().into_bytes();
    let messages: Vec<Keyed> = vec![
        (Some(b"k1".to_vec()), b"{\"type\": \"track\", oops".to_vec()),
        (Some(b"k2".to_vec()), bomb.clone()),
        (Some(b"k3".to_vec()), b"\x1f\x8b\x08 truncated gzip".to_vec()),
        (Some(b"k4".to_vec()), vec![b'{'; 300_000]),
        (None, big_call.into_bytes()),
        (Some(b"k5".to_vec()), b"   ".to_vec()),
        (Some(b"k6".to_vec()), vec![b'x'; 1_500_000]),
        (Some(b"u1".to_vec()), gzip(&valid("zipped"))),
        (Some(b"u1".to_vec()), valid("last")),
    ];
    broker.produce("raw", &messages);
    let member = Member::start(&broker, "bad-input", &["--limit", "record-bytes=200000", "--destination", "customerio"]);
    let good = broker.read_all("good", 2, Duration::from_secs(60));
    let bad = broker.read_all("bad", 7, Duration::from_secs(30));
    let log = member.terminate();
    assert_eq!(good.iter().map(|m| m.json()["messageId"].clone()).collect::<Vec<_>>(), ["zipped", "last"], "{log}");
    assert_eq!(bad.len(), 7, "{log}");
    let error = |i: usize| bad[i].header("cdpspec-error").unwrap_or_default().to_string();
    assert!(error(0).contains("invalid-json"), "{}", error(0));
    assert_eq!(bad[0].value, messages[0].1, "as it was");
    assert_eq!((bad[1].key.as_deref(), &bad[1].value), (Some(&b"k2"[..]), &bomb), "the bomb as it was, key kept");
    assert!(error(1).contains("200000"), "{}", error(1));
    assert!(!error(2).is_empty());
    assert!(error(3).contains("over record-bytes"), "{}", error(3));
    assert_eq!(bad[4].header("cdpspec-error"), None, "a call that parsed is annotated instead");
    assert_eq!(bad[4].json()["context"]["violationErrors"][0]["rule"], "call-too-large");
    assert!(error(5).contains("blank"));
    assert!(error(6).contains("message.max.bytes"), "an output too large to write is replaced, not fatal: {}", error(6));
    assert_eq!((bad[6].key.as_deref(), bad[6].value.len()), (Some(&b"k6"[..]), 0));
    // With --destination, each call that was checked carries what Customer.io's actions do.
    let actions = |m: &Received| -> Value { serde_json::from_str(m.header("cdpspec-actions").expect("an actions header")).unwrap() };
    for m in &good {
        assert_eq!((actions(m)[0]["preset"].as_str(), actions(m)[0]["ok"].as_bool()), (Some("Create or Update Person"), Some(true)));
    }
    assert_eq!(actions(&bad[4])[0]["preset"], "Track Event", "a bad call is evaluated too");
    assert_eq!(bad[0].header("cdpspec-actions"), None, "a message that was not checked is not evaluated");
    for (i, m) in bad.iter().enumerate() {
        assert_eq!(m.header("cdpspec-source-offset"), Some(i.to_string().as_str()));
        assert_eq!(m.header("cdpspec-source-partition"), Some("0"));
    }
}
