//! Ingest throughput of `cdpspec serve` against its HTTP-only baseline, measured in one run so
//! the ratio holds on a busy machine: `cargo bench -p cdpspec-collector --bench ingest`.
//!
//! The corpus is the one `lib/benches/throughput.rs` uses (`tests/common/corpus.rs`), written
//! by `../shared/bench/gen_corpus.py` into `target/bench/` when missing: 200,000 valid calls
//! (`INGEST_CALLS` sets another number). The calls are grouped into SDK batches of 20
//! (`{"batch":[...],"sentAt":...,"writeKey":"bench"}`), and every request is built, head and
//! body, before anything is timed.
//!
//! Two collectors then run one after the other in this process, each on its own 2-worker tokio
//! runtime on a free loopback port: the baseline (`http_only`: bodies read, answered 200, nothing
//! checked or stored, in-memory database) and the real thing (every call checked by the default
//! engine and stored in a SQLite file, WAL, in a fresh folder under `target/bench/`). Each gets
//! the whole corpus once, after a short warm-up (reset away), from `INGEST_CLIENTS` (default 4)
//! keep-alive HTTP/1.1 connections, each a blocking client on its own thread, taking the next
//! request as soon as its last one is answered. The clients share the machine's cores with the
//! collector. Every response must be 200, and after the full run the database must hold every
//! call (`GET /_cdpspec/counts`).
//!
//! Printed: calls/s, requests/s, latency percentiles, the ratio full / baseline, CPU seconds per
//! thread group (collector workers, database thread, clients), resident memory after each mode
//! and at peak, and whether the targets are met. `INGEST_ONLY=full` (or `baseline`, `kafka`) runs
//! one mode, for profiling; `INGEST_KEEP_DB=1` keeps the database file.
//!
//! A third mode, `kafka`, is `--sink kafka`: every call checked and written to a topic of a
//! real Kafka-protocol broker (Tansu, started as the tests start it, `tests/common/kafka.rs`, on
//! this same machine), each request answered once the broker has acknowledged its calls. It is
//! skipped, loudly, where the broker cannot be had.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant, SystemTime};

use cdpspec::config::Settings;
use cdpspec::engine::Engine;
use cdpspec::intake::Intake;
use cdpspec_collector::store::DbPath;
use cdpspec_collector::{Collector, Options, Sink};
use cdpspec_stream::{KafkaSettings, TopicSink};

#[path = "../../tests/common/corpus.rs"]
mod corpus;
#[path = "../../tests/common/kafka.rs"]
mod kafka;
#[path = "../../tests/common/pip.rs"]
mod pip;
#[path = "../../tests/common/tools.rs"]
mod tools;

/// Calls per request, as the SDKs batch them.
const BATCH: usize = 20;
/// Requests sent before timing, then reset away.
const WARM_UP: usize = 50;
/// The server's worker threads (the machine has 2 cores).
const WORKERS: usize = 2;
/// Thread name prefixes, to tell CPU time apart.
const SERVER_THREAD: &str = "ingest-server";
const CLIENT_THREAD: &str = "ingest-client";

/// Every request, whole (head and body): `BATCH` calls each, the last one with what is left;
/// and the corpus's size. The corpus is read a line at a time, so only the requests are held.
fn requests(corpus: &Path, calls: usize) -> (Vec<Vec<u8>>, usize) {
    let file = std::fs::File::open(corpus).unwrap_or_else(|e| panic!("cannot read {}: {e}", corpus.display()));
    let mut reader = io::BufReader::with_capacity(1 << 20, file);
    let (mut requests, mut bytes, mut lines) = (Vec::with_capacity(calls.div_ceil(BATCH)), 0, 0);
    let (mut body, mut line) = (Vec::new(), Vec::new());
    let mut finish = |body: &mut Vec<u8>| {
        body.extend_from_slice(b"],\"sentAt\":\"2026-12-06T09:30:00.000Z\",\"writeKey\":\"bench\"}");
        let mut request = format!(
            "POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: cdpspec-ingest-bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        request.extend_from_slice(body);
        requests.push(request);
        body.clear();
    };
    loop {
        line.clear();
        let n = io::BufRead::read_until(&mut reader, b'\n', &mut line).unwrap_or_else(|e| panic!("cannot read {}: {e}", corpus.display()));
        if n == 0 {
            break;
        }
        bytes += n;
        let call = line.trim_ascii();
        if call.is_empty() {
            continue;
        }
        body.extend_from_slice(if body.is_empty() { b"{\"batch\":[" } else { b"," });
        body.extend_from_slice(call);
        lines += 1;
        if lines % BATCH == 0 {
            finish(&mut body);
        }
    }
    if !body.is_empty() {
        finish(&mut body);
    }
    assert_eq!(lines, calls, "{} holds {lines} calls, not {calls}", corpus.display());
    (requests, bytes)
}

/// A collector running on its own thread and 2-worker runtime.
struct Server {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    fn start(options: Options) -> Server {
        let intake = Intake::new(Engine::new(&Settings::default()).expect("the default engine"), Vec::new());
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime =
                tokio::runtime::Builder::new_multi_thread().worker_threads(WORKERS).thread_name(SERVER_THREAD).enable_all().build().expect("a runtime");
            runtime.block_on(async move {
                let collector = Collector::bind(intake, options).await.expect("the collector starts");
                addr_tx.send(collector.address()).expect("the bench waits");
                collector
                    .run(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
        });
        let addr = addr_rx.recv_timeout(Duration::from_secs(30)).expect("the collector started");
        Server { addr, stop: Some(stop), thread: Some(thread) }
    }

    /// Stops the collector and waits until its database is closed.
    fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            thread.join().expect("the collector thread ends cleanly");
        }
    }
}

/// One keep-alive HTTP/1.1 connection, a request at a time.
struct Connection {
    stream: TcpStream,
    buffer: Vec<u8>,
}

impl Connection {
    fn open(addr: SocketAddr) -> Connection {
        let stream = TcpStream::connect(addr).expect("the collector accepts");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        stream.set_read_timeout(Some(Duration::from_secs(120))).expect("a read timeout");
        Connection { stream, buffer: Vec::with_capacity(4096) }
    }

    /// Sends `request` (whole) and reads its response: the status and the body.
    fn exchange(&mut self, request: &[u8]) -> io::Result<(u16, Vec<u8>)> {
        self.stream.write_all(request)?;
        let head_end = loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                break end + 4;
            }
            self.fill()?;
        };
        let head = std::str::from_utf8(&self.buffer[..head_end]).map_err(|_| bad("a response head that is not UTF-8"))?.to_string();
        self.buffer.drain(..head_end);
        let mut lines = head.split("\r\n");
        let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).ok_or_else(|| bad("no status line"))?;
        let mut length = None;
        let mut chunked = false;
        let mut close = false;
        for (name, value) in lines.filter_map(|l| l.split_once(':')) {
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse::<usize>().map_err(|_| bad("a bad Content-Length"))?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        let body = if chunked {
            let mut body = Vec::new();
            loop {
                let line_end = loop {
                    if let Some(end) = find(&self.buffer, b"\r\n") {
                        break end;
                    }
                    self.fill()?;
                };
                let size_text = std::str::from_utf8(&self.buffer[..line_end]).unwrap_or("").split(';').next().unwrap_or("").trim().to_string();
                let size = usize::from_str_radix(&size_text, 16).map_err(|_| bad("a bad chunk size"))?;
                self.take(line_end + 2)?;
                if size == 0 {
                    self.take(2)?; // No trailers from this server.
                    break body;
                }
                body.extend_from_slice(&self.take(size + 2)?[..size]);
            }
        } else {
            self.take(length.unwrap_or(0))?
        };
        if close {
            return Err(bad("the collector closed a keep-alive connection"));
        }
        Ok((status, body))
    }

    /// The next `n` bytes.
    fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        while self.buffer.len() < n {
            self.fill()?;
        }
        Ok(self.buffer.drain(..n).collect())
    }

    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the collector closed the connection"));
        }
        self.buffer.extend_from_slice(&chunk[..n]);
        Ok(())
    }

    /// `GET path` as JSON, asserting 200.
    fn json(&mut self, method: &str, path: &str) -> serde_json::Value {
        let request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        let (status, body) = self.exchange(request.as_bytes()).unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        assert_eq!(status, 200, "{method} {path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e})"))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

/// What one load run measured.
struct Load {
    elapsed: Duration,
    /// Every request's latency, sorted.
    latencies: Vec<Duration>,
    /// Responses other than 200, with the first few.
    failures: usize,
    examples: Vec<String>,
    /// CPU seconds the client threads used while sending.
    client_cpu: f64,
}

impl Load {
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// Sends `requests` (each once) over `clients` keep-alive connections, each taking the next
/// request when its last one is answered.
fn load(addr: SocketAddr, requests: &Arc<Vec<Vec<u8>>>, range: std::ops::Range<usize>, clients: usize) -> Load {
    let next = Arc::new(AtomicUsize::new(range.start));
    let ready = Arc::new(Barrier::new(clients + 1));
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let (requests, next, ready, end, share) = (Arc::clone(requests), Arc::clone(&next), Arc::clone(&ready), range.end, range.len() / clients + 1);
            std::thread::Builder::new()
                .name(format!("{CLIENT_THREAD}-{i}"))
                .spawn(move || {
                    let mut connection = Connection::open(addr);
                    let mut latencies = Vec::with_capacity(share);
                    let (mut failures, mut examples) = (0, Vec::new());
                    let own = || thread_cpu(Path::new("/proc/thread-self/stat")).map_or(0.0, |(_, s)| s);
                    ready.wait();
                    let cpu_start = own();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= end {
                            break;
                        }
                        let start = Instant::now();
                        let outcome = connection.exchange(&requests[index]);
                        latencies.push(start.elapsed());
                        match outcome {
                            Ok((200, _)) => {}
                            Ok((status, body)) => {
                                failures += 1;
                                if examples.len() < 3 {
                                    examples.push(format!("request {index}: {status} {}", String::from_utf8_lossy(&body)));
                                }
                            }
                            Err(e) => {
                                failures += 1;
                                if examples.len() < 3 {
                                    examples.push(format!("request {index}: {e}"));
                                }
                                connection = Connection::open(addr);
                            }
                        }
                    }
                    (latencies, failures, examples, own() - cpu_start)
                })
                .expect("a client thread")
        })
        .collect();
    ready.wait();
    let start = Instant::now();
    let mut result = Load { elapsed: Duration::ZERO, latencies: Vec::with_capacity(range.len()), failures: 0, examples: Vec::new(), client_cpu: 0.0 };
    for thread in threads {
        let (latencies, failures, examples, cpu) = thread.join().expect("a client thread ends cleanly");
        result.latencies.extend(latencies);
        result.failures += failures;
        result.examples.extend(examples);
        result.client_cpu += cpu;
    }
    result.elapsed = start.elapsed();
    result.latencies.sort_unstable();
    result
}

/// A `/proc/self/status` figure, in MB.
fn status_mb(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(key).and_then(|rest| rest.strip_prefix(':')))
        .and_then(|v| v.split_whitespace().next().and_then(|kb| kb.parse::<f64>().ok()))
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// A thread's name and CPU seconds so far, from its `/proc/.../stat`.
fn thread_cpu(stat: &Path) -> Option<(String, f64)> {
    let stat = std::fs::read_to_string(stat).ok()?;
    let (open, close) = (stat.find('(')?, stat.rfind(')')?);
    let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
    // After the name: state is field 3, utime 14 and stime 15 (in clock ticks, 100 a second).
    let ticks: u64 = [11, 12].iter().filter_map(|&i| fields.get(i).and_then(|f| f.parse::<u64>().ok())).sum();
    Some((stat[open + 1..close].to_string(), ticks as f64 / 100.0))
}

/// CPU seconds used so far by this process's live threads, by group: the collector's workers,
/// its database thread, the rest (the clients count their own, as they end before this is read).
fn cpu_by_group() -> BTreeMap<&'static str, f64> {
    let mut groups = BTreeMap::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return groups };
    for task in tasks.flatten() {
        let Some((name, seconds)) = thread_cpu(&task.path().join("stat")) else { continue };
        let group = if name.starts_with(SERVER_THREAD) {
            "collector workers"
        } else if name.starts_with("cdpspec-store") {
            "database thread"
        } else if name.starts_with(CLIENT_THREAD) {
            "clients"
        } else {
            "other"
        };
        *groups.entry(group).or_insert(0.0) += seconds;
    }
    groups
}

/// CPU seconds the whole machine has been busy (all cores, every process), from `/proc/stat`.
fn machine_busy() -> f64 {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let Some(line) = stat.lines().find(|l| l.starts_with("cpu ")) else { return 0.0 };
    let ticks: Vec<u64> = line.split_whitespace().skip(1).filter_map(|f| f.parse().ok()).collect();
    // user nice system idle iowait irq softirq steal: all but idle and iowait.
    [0, 1, 2, 5, 6, 7].iter().filter_map(|&i| ticks.get(i)).sum::<u64>() as f64 / 100.0
}

/// CPU seconds this process has used, its ended threads included.
fn process_cpu() -> f64 {
    thread_cpu(Path::new("/proc/self/stat")).map_or(0.0, |(_, s)| s)
}

/// One mode's figures.
struct Figures {
    name: &'static str,
    calls_per_s: f64,
    requests_per_s: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
    elapsed: Duration,
    rss_mb: f64,
    cpu: BTreeMap<&'static str, f64>,
    /// CPU seconds other processes used meanwhile: how far the figures are from a quiet machine's.
    others: f64,
}

/// Runs one collector with `options` through the warm-up and the whole corpus; with `verify`,
/// checks the database holds every call.
fn mode(name: &'static str, options: Options, requests: &Arc<Vec<Vec<u8>>>, calls: usize, clients: usize, verify: bool) -> Figures {
    let server = Server::start(options);
    let mut api = Connection::open(server.addr);
    let warm = WARM_UP.min(requests.len());
    let warm_up = load(server.addr, requests, 0..warm, clients);
    assert_eq!(warm_up.failures, 0, "{name}: {} of {warm} warm-up requests failed: {:?}", warm_up.failures, warm_up.examples);
    api.json("POST", "/_cdpspec/reset");
    if verify {
        let counts = api.json("GET", "/_cdpspec/counts");
        assert_eq!(counts["total"], 0, "{name}: calls left after the warm-up's reset: {counts}");
    }
    eprintln!("{name}: warmed up ({warm} requests); sending {} requests ({calls} calls) from {clients} clients", requests.len());
    let (before, machine_before, process_before) = (cpu_by_group(), machine_busy(), process_cpu());
    let run = load(server.addr, requests, 0..requests.len(), clients);
    let (after, machine_after, process_after) = (cpu_by_group(), machine_busy(), process_cpu());
    let others = ((machine_after - machine_before) - (process_after - process_before)).max(0.0);
    if run.failures > 0 {
        panic!("{name}: {} of {} requests were not answered 200, e.g. {:#?}", run.failures, requests.len(), run.examples);
    }
    if verify {
        let counts = api.json("GET", "/_cdpspec/counts");
        let total = counts["total"].as_u64().unwrap_or(0);
        assert_eq!(total, calls as u64, "{name}: the database holds {total} calls, not {calls}: {counts}");
        assert_eq!(counts["refused"], 0, "{name}: requests were refused: {counts}");
        eprintln!("{name}: the database holds all {total} calls: {counts}");
    }
    let rss_mb = status_mb("VmRSS");
    drop(api);
    server.stop();
    let secs = run.elapsed.as_secs_f64();
    let mut cpu: BTreeMap<&'static str, f64> = after.iter().map(|(group, &end)| (*group, end - before.get(group).copied().unwrap_or(0.0))).collect();
    cpu.insert("clients", run.client_cpu);
    Figures {
        name,
        calls_per_s: calls as f64 / secs,
        requests_per_s: requests.len() as f64 / secs,
        p50: run.percentile(50.0),
        p99: run.percentile(99.0),
        max: run.latencies.last().copied().unwrap_or_default(),
        elapsed: run.elapsed,
        rss_mb,
        cpu,
        others,
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let calls: usize = std::env::var("INGEST_CALLS").ok().and_then(|s| s.parse().ok()).unwrap_or(200_000);
    let clients: usize = std::env::var("INGEST_CLIENTS").ok().and_then(|s| s.parse().ok()).filter(|&n| n > 0).unwrap_or(4);
    let only = std::env::var("INGEST_ONLY").ok();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace").to_path_buf();

    let (requests, corpus_bytes) = requests(&corpus::path(calls, false), calls);
    let requests = Arc::new(requests);
    let corpus_mb = corpus_bytes as f64 / 1e6;
    let request_mb = requests.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    let rss_start = status_mb("VmRSS");
    eprintln!(
        "{calls} valid calls ({corpus_mb:.1} MB), {} requests of {BATCH} calls ({request_mb:.1} MB, held in memory: {rss_start:.0} MB resident before any collector)",
        requests.len()
    );

    let run = |m: &str| only.as_deref().is_none_or(|o| o == m);
    let mut figures = Vec::new();
    if run("baseline") {
        let options = Options { port: 0, http_only: true, db: DbPath::Memory, quiet: true, ..Options::default() };
        figures.push(mode("baseline", options, &requests, calls, clients, false));
    }
    if run("full") {
        let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let dir = root.join("target/bench").join(format!("ingest-db-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a fresh database folder");
        let file = dir.join("calls.db");
        let options = Options { port: 0, http_only: false, db: DbPath::File(file.clone()), quiet: true, ..Options::default() };
        figures.push(mode("full", options, &requests, calls, clients, true));
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        eprintln!("full: database {:.1} MB ({})", size(&file) as f64 / 1e6, file.display());
        if std::env::var_os("INGEST_KEEP_DB").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let broker = if run("kafka") { kafka::Broker::start("ingest bench, --sink kafka") } else { None };
    if let Some(broker) = &broker {
        broker.create_topic("raw", 2);
        let sink = TopicSink::new(&KafkaSettings::new(&broker.address), "raw", Duration::from_secs(30)).expect("a producer");
        let options = Options { port: 0, db: DbPath::Memory, quiet: true, sink: Sink { db: false, kafka: Some(sink) }, ..Options::default() };
        figures.push(mode("kafka", options, &requests, calls, clients, false));
        let written = broker.read_all("raw", calls + WARM_UP * BATCH, Duration::from_secs(120)).len();
        eprintln!("kafka: the topic holds {written} calls (the corpus and the warm-up)");
        assert!(written >= calls, "kafka: the topic holds {written} calls, fewer than {calls}");
    }
    let peak = status_mb("VmHWM");

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{calls} calls in {} requests of {BATCH}, {clients} keep-alive HTTP/1.1 clients; the collector runs {WORKERS} tokio workers, and the clients share the machine's {} cores with it",
        requests.len(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    )
    .unwrap();
    writeln!(out).unwrap();
    writeln!(out, "| mode | calls/s | requests/s | p50 | p99 | max | time | RSS after |").unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for f in &figures {
        writeln!(
            out,
            "| {} | {:.0} | {:.0} | {} | {} | {} | {:.2} s | {:.0} MB |",
            f.name,
            f.calls_per_s,
            f.requests_per_s,
            ms(f.p50),
            ms(f.p99),
            ms(f.max),
            f.elapsed.as_secs_f64(),
            f.rss_mb
        )
        .unwrap();
    }
    writeln!(out).unwrap();
    writeln!(out, "| mode | CPU s: collector workers | database thread | clients | other threads | this process | CPU us / call | other processes |").unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|").unwrap();
    for f in &figures {
        let cpu = |g: &str| f.cpu.get(g).copied().unwrap_or(0.0);
        let total: f64 = f.cpu.values().sum();
        writeln!(
            out,
            "| {} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} cores | {:.1} | {:.2} cores |",
            f.name,
            cpu("collector workers"),
            cpu("database thread"),
            cpu("clients"),
            cpu("other"),
            total / f.elapsed.as_secs_f64(),
            total * 1e6 / calls as f64,
            f.others / f.elapsed.as_secs_f64()
        )
        .unwrap();
    }
    writeln!(out, "(CPU from /proc in 10 ms ticks; \"other processes\": what the rest of the machine used meanwhile, which slows these figures down when it is not near 0)").unwrap();
    writeln!(out).unwrap();
    writeln!(out, "resident before the collectors (corpus requests in memory): {rss_start:.0} MB; peak (VmHWM): {peak:.0} MB").unwrap();

    let find = |name: &str| figures.iter().find(|f| f.name == name);
    if let (Some(base), Some(full)) = (find("baseline"), find("full")) {
        let ratio = full.calls_per_s / base.calls_per_s;
        writeln!(out).unwrap();
        writeln!(out, "| target | value | met |").unwrap();
        writeln!(out, "|---|---:|---|").unwrap();
        let yes = |ok: bool| if ok { "yes" } else { "NO" };
        writeln!(out, "| full / baseline throughput >= 0.5 | {ratio:.2} | {} |", yes(ratio >= 0.5)).unwrap();
        writeln!(out, "| full >= 50,000 calls/s | {:.0} | {} |", full.calls_per_s, yes(full.calls_per_s >= 50_000.0)).unwrap();
    }
}
