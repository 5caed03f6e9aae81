//! What a `cdpspec stream` member is told, bar the engine's settings.

use std::net::SocketAddr;
use std::time::Duration;

use crate::KafkaSettings;

/// Where a member reads and writes, and how it runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// librdkafka settings: the brokers, and anything passed through.
    pub kafka: KafkaSettings,
    /// The topics read (`--topic`, one or more).
    pub topics: Vec<String>,
    /// The consumer group (`--group`): members of one group share the partitions.
    pub group: String,
    /// Where calls without errors go, unchanged (`--good-topic`).
    pub good_topic: String,
    /// Where calls with errors go annotated, and messages that could not be checked go as
    /// they were (`--bad-topic`).
    pub bad_topic: String,
    /// Where `/metrics` is served, if anywhere (`--metrics-port`).
    pub metrics: Option<SocketAddr>,
    /// How often a line of counts is logged on stderr; `None`: never.
    pub log_every: Option<Duration>,
    /// How often acknowledged offsets are committed.
    pub commit_every: Duration,
    /// Messages read whose outputs are not all acknowledged yet; past it, the member stops
    /// reading until acknowledgements come in. Bounds memory.
    pub max_in_flight: usize,
    /// How long a drain (SIGTERM, or partitions revoked) waits for acknowledgements.
    pub drain_timeout: Duration,
    /// Copy every message to the good topic unchanged, without checking it: the baseline the
    /// benchmark measures the member against (Kafka alone).
    pub pass_through: bool,
}

impl Options {
    /// A member of `group` reading `topics` from `brokers` into `good_topic` and `bad_topic`,
    /// with the defaults for the rest.
    ///
    /// ```
    /// let options = cdpspec_stream::Options::new("127.0.0.1:9092", &["raw"], "validators", "good", "bad");
    /// assert_eq!(options.max_in_flight, 10_000);
    /// assert!(!options.pass_through);
    /// ```
    pub fn new(brokers: &str, topics: &[&str], group: &str, good_topic: &str, bad_topic: &str) -> Options {
        Options {
            kafka: KafkaSettings::new(brokers),
            topics: topics.iter().map(|t| t.to_string()).collect(),
            group: group.to_string(),
            good_topic: good_topic.to_string(),
            bad_topic: bad_topic.to_string(),
            metrics: None,
            log_every: Some(Duration::from_secs(30)),
            commit_every: Duration::from_millis(500),
            max_in_flight: 10_000,
            drain_timeout: Duration::from_secs(30),
            pass_through: false,
        }
    }
}
