//! `cdpspec stream`: a Kafka consumer-group member that reads raw calls from topics, checks them
//! with the same [`cdpspec::engine::Engine`] as `cdpspec validate` (plan, severities, limits,
//! destination), and writes each call to a good topic unchanged or to a bad topic annotated
//! with its violations, as `validate --valid-out/--invalid-out` split files
//! ([`cdpspec::route`]). Offsets are committed only once the outputs are acknowledged, so a
//! crash replays and never drops. Also the Kafka sink `cdpspec serve --sink kafka` writes
//! through ([`TopicSink`]).
//!
//! The layout: `options.rs` (what a member is told), `client.rs` (librdkafka settings: ours,
//! then `[kafka]` and `--kafka-config`), `message.rs` (one message into its outputs: the
//! engine's check and routing, nothing of its own), `offsets.rs` (what may be committed),
//! `member.rs` (the loop: consume, produce, acknowledge, commit, rebalance, drain),
//! `metrics.rs` (counts, Prometheus text, log lines), `sink.rs` (the collector's producer).

mod client;
mod member;
mod message;
pub mod metrics;
mod offsets;
mod options;
mod sink;

pub use client::{KafkaSettings, SettingError};
pub use member::{Member, StreamError};
pub use message::{Output, Split, split};
pub use offsets::Offsets;
pub use options::Options;
pub use sink::{SinkError, TopicSink};

/// The headers `cdpspec stream` adds to every message it writes.
pub mod headers {
    /// The topic the message was read from.
    pub const SOURCE_TOPIC: &str = "cdpspec-source-topic";
    /// Its partition.
    pub const SOURCE_PARTITION: &str = "cdpspec-source-partition";
    /// Its offset.
    pub const SOURCE_OFFSET: &str = "cdpspec-source-offset";
    /// Why a message written to the bad topic as it was read could not be checked.
    pub const ERROR: &str = "cdpspec-error";
    /// With `--destination`: what the destination's actions do with the call, a JSON array of
    /// objects as `coverage --per-call` and the collector give them (`destination`, `preset`,
    /// `action`, `ok`, `missing`, and `invalid` when some are); `[]` when no action listens.
    pub const ACTIONS: &str = "cdpspec-actions";
}
