//! What operators watch: messages and calls in per topic, messages out per topic, errors per
//! rule, consumer lag per partition, commits. Served as Prometheus text on `/metrics` and
//! logged as a line on stderr every so often.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The counts of one member, shared by its loop, its statistics callback and `/metrics`.
#[derive(Debug, Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

/// A snapshot of the counts.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Messages read, per topic.
    pub messages_in: BTreeMap<String, u64>,
    /// Calls read, per topic.
    pub calls_in: BTreeMap<String, u64>,
    /// Messages written and acknowledged, per topic.
    pub messages_out: BTreeMap<String, u64>,
    /// Errors found, per rule (and why messages could not be checked: `invalid-json`,
    /// `too-large`, `bad-gzip`, `blank`, `no-value`, ...).
    pub errors: BTreeMap<String, u64>,
    /// With a destination: calls per action triggered and how it went (`Track Event: ok`,
    /// `Track Page View: failed`), and `no action` for calls none listens to.
    pub actions: BTreeMap<String, u64>,
    /// Consumer lag per topic and partition, as librdkafka last reported it.
    pub lag: BTreeMap<(String, i32), i64>,
    /// Offset commits made (for asynchronous ones: handed to librdkafka, which reports a
    /// failure only in its log; the next commit covers it).
    pub commits: u64,
    /// Offset commits refused at once.
    pub commit_failures: u64,
}

impl Metrics {
    fn with<T>(&self, f: impl FnOnce(&mut Counts) -> T) -> T {
        let mut counts = self.counts.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut counts)
    }

    /// A message of `calls` calls was read from `topic`, with errors of these `rules`.
    pub fn read(&self, topic: &str, calls: usize, rules: &[&str]) {
        self.with(|c| {
            add(&mut c.messages_in, topic, 1);
            add(&mut c.calls_in, topic, calls as u64);
            for rule in rules {
                add(&mut c.errors, rule, 1);
            }
        });
    }

    /// With a destination, what its actions did with a message's calls (`Split::actions`).
    pub fn evaluated(&self, actions: &[String]) {
        if !actions.is_empty() {
            self.with(|c| {
                for action in actions {
                    add(&mut c.actions, action, 1);
                }
            });
        }
    }

    /// A message written to `topic` was acknowledged.
    pub fn written(&self, topic: &str) {
        self.with(|c| add(&mut c.messages_out, topic, 1));
    }

    /// A commit was made, or refused at once.
    pub fn commit(&self, ok: bool) {
        self.with(|c| if ok { c.commits += 1 } else { c.commit_failures += 1 });
    }

    /// The lag librdkafka's statistics give each partition held (`consumer_lag`; -1 unknown).
    pub fn lag(&self, lag: BTreeMap<(String, i32), i64>) {
        self.with(|c| c.lag = lag);
    }

    /// A copy of the counts.
    pub fn snapshot(&self) -> Counts {
        self.with(|c| c.clone())
    }

    /// The counts in Prometheus' text format.
    ///
    /// ```
    /// let metrics = cdpspec_stream::metrics::Metrics::default();
    /// metrics.read("raw", 3, &["missing-identity"]);
    /// metrics.written("good");
    /// let text = metrics.prometheus();
    /// assert!(text.contains("cdpspec_stream_calls_in_total{topic=\"raw\"} 3\n"));
    /// assert!(text.contains("cdpspec_stream_messages_out_total{topic=\"good\"} 1\n"));
    /// assert!(text.contains("cdpspec_stream_errors_total{rule=\"missing-identity\"} 1\n"));
    ///
    /// metrics.evaluated(&["Track Event: ok".into(), "Track Page View: failed".into(), "no action".into(), "Track Event: ok".into()]);
    /// let text = metrics.prometheus();
    /// assert!(text.contains("cdpspec_stream_actions_total{action=\"Track Event\",outcome=\"ok\"} 2\n"));
    /// assert!(text.contains("cdpspec_stream_actions_total{action=\"Track Page View\",outcome=\"failed\"} 1\n"));
    /// assert!(text.contains("cdpspec_stream_actions_total{action=\"no action\",outcome=\"none\"} 1\n"));
    /// ```
    pub fn prometheus(&self) -> String {
        let c = self.snapshot();
        let mut out = String::new();
        let mut family = |name: &str, kind: &str, help: &str, rows: Vec<(String, String)>| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            for (labels, value) in rows {
                let _ = writeln!(out, "{name}{labels} {value}");
            }
        };
        let per = |label: &str, map: &BTreeMap<String, u64>| map.iter().map(|(k, v)| (format!("{{{label}=\"{}\"}}", escape(k)), v.to_string())).collect();
        family("cdpspec_stream_messages_in_total", "counter", "Messages read, per source topic.", per("topic", &c.messages_in));
        family("cdpspec_stream_calls_in_total", "counter", "Calls read, per source topic.", per("topic", &c.calls_in));
        family("cdpspec_stream_messages_out_total", "counter", "Messages written and acknowledged, per topic.", per("topic", &c.messages_out));
        family("cdpspec_stream_errors_total", "counter", "Errors found, per rule (and unreadable messages, per reason).", per("rule", &c.errors));
        let actions = c
            .actions
            .iter()
            .map(|(k, v)| {
                let (preset, outcome) = k.rsplit_once(": ").unwrap_or((k.as_str(), "none"));
                (format!("{{action=\"{}\",outcome=\"{}\"}}", escape(preset), escape(outcome)), v.to_string())
            })
            .collect();
        family(
            "cdpspec_stream_actions_total",
            "counter",
            "With --destination: calls per action triggered and outcome (ok, failed; none for calls no action listens to).",
            actions,
        );
        let lag = c.lag.iter().map(|((t, p), v)| (format!("{{topic=\"{}\",partition=\"{p}\"}}", escape(t)), v.to_string())).collect();
        family("cdpspec_stream_consumer_lag", "gauge", "Messages behind the end of each partition held.", lag);
        family(
            "cdpspec_stream_commits_total",
            "counter",
            "Offset commits made (asynchronous ones: handed to librdkafka).",
            vec![(String::new(), c.commits.to_string())],
        );
        family("cdpspec_stream_commit_failures_total", "counter", "Offset commits refused at once.", vec![(String::new(), c.commit_failures.to_string())]);
        out
    }

    /// One line of counts, for the log.
    ///
    /// ```
    /// let metrics = cdpspec_stream::metrics::Metrics::default();
    /// metrics.read("raw", 2, &[]);
    /// assert_eq!(metrics.line(), "in raw=1 messages/2 calls; out none; errors none; lag unknown; commits 0");
    /// ```
    pub fn line(&self) -> String {
        let c = self.snapshot();
        let list = |items: Vec<String>| if items.is_empty() { "none".to_string() } else { items.join(", ") };
        let inputs = c.messages_in.iter().map(|(t, n)| format!("{t}={n} messages/{} calls", c.calls_in.get(t).unwrap_or(&0))).collect();
        let outputs = c.messages_out.iter().map(|(t, n)| format!("{t}={n}")).collect();
        let errors = c.errors.iter().map(|(r, n)| format!("{r}={n}")).collect();
        let lag = if c.lag.is_empty() { "unknown".to_string() } else { c.lag.values().filter(|l| **l >= 0).sum::<i64>().to_string() };
        format!("in {}; out {}; errors {}; lag {lag}; commits {}", list(inputs), list(outputs), list(errors), c.commits)
    }

    /// Serves `/metrics` on `address` from a thread of its own, one connection at a time.
    ///
    /// # Errors
    ///
    /// When the address cannot be bound.
    pub fn serve(self: &Arc<Self>, address: SocketAddr) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(address)?;
        let bound = listener.local_addr()?;
        let metrics = Arc::clone(self);
        std::thread::Builder::new().name("cdpspec-metrics".into()).spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
                let request = request_line(&stream);
                let (status, body) = if request.starts_with("GET /metrics") {
                    ("200 OK", metrics.prometheus())
                } else {
                    ("404 Not Found", "metrics are at /metrics\n".to_string())
                };
                let head =
                    format!("HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = (&stream).write_all(head.as_bytes()).and_then(|()| (&stream).write_all(body.as_bytes()));
            }
        })?;
        Ok(bound)
    }
}

/// The request line of a request, its head read through (at most 64 lines of 8 KiB).
fn request_line(stream: &std::net::TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    let _ = (&mut reader).take(8192).read_line(&mut first);
    let mut line = String::new();
    for _ in 0..64 {
        line.clear();
        if !(&mut reader).take(8192).read_line(&mut line).is_ok_and(|n| n > 2) {
            break;
        }
    }
    first
}

/// Adds `n` to the count of `key`, allocating only for a key not seen before.
fn add(counts: &mut BTreeMap<String, u64>, key: &str, n: u64) {
    match counts.get_mut(key) {
        Some(count) => *count += n,
        None => drop(counts.insert(key.to_string(), n)),
    }
}

/// A label value with `\`, `"` and line breaks escaped.
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
