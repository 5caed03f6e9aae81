//! The member's loop, on one thread: read a message, split it ([`crate::split`]), send its
//! outputs, and, as acknowledgements come in, commit the offsets whose outputs are all written
//! ([`Offsets`]). librdkafka's own threads do the network; the producer's queue and
//! `max_in_flight` bound what is held.
//!
//! - **At least once.** An offset is committed only once every output of every message
//!   before it in its partition is acknowledged. A crash replays from the last commit.
//! - **Rebalances.** Before partitions are revoked, the producer is flushed (up to the drain
//!   timeout), what is acknowledged is committed, and the rest is abandoned uncommitted: the
//!   partition's next owner reads it again.
//! - **Stopping.** When `stop` is set (SIGTERM), the member stops reading, waits for its
//!   outputs, commits, and leaves the group.
//! - **A write that fails** (librdkafka gave up after its own retries) stops the member with an
//!   error, without committing past the message: a restart replays it.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use cdpspec::engine::Engine;
use cdpspec::route::Side;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{BorrowedMessage, Header, Headers, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::statistics::Statistics;
use rdkafka::{ClientContext, Message, Offset, TopicPartitionList};

use crate::metrics::Metrics;
use crate::offsets::{Offsets, Slot};
use crate::{Options, headers, message};

/// A `cdpspec stream` member: the engine, where to read and write, and its counts.
pub struct Member {
    engine: Engine,
    options: Options,
    metrics: Arc<Metrics>,
}

/// Why a member stopped other than as asked.
#[derive(Debug)]
pub enum StreamError {
    /// A Kafka client could not be created, or could not subscribe.
    Client(KafkaError),
    /// `/metrics` could not be served.
    Metrics(std::io::Error),
    /// A message could not be written: the member stopped, and did not commit past it.
    Write(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Client(e) => write!(f, "cannot start the Kafka client: {e}"),
            StreamError::Metrics(e) => write!(f, "cannot serve /metrics: {e}"),
            StreamError::Write(what) => write!(f, "{what}; stopped without committing past it (a restart reads it again)"),
        }
    }
}

impl std::error::Error for StreamError {}

/// Where an output's acknowledgement goes: the message it was written for.
struct Delivery {
    slot: Slot,
    offset: i64,
    good: bool,
}

/// An acknowledgement, or a failure to write.
struct Ack {
    slot: Slot,
    offset: i64,
    /// Whether it went to the good topic, or why it could not be written.
    result: Result<bool, String>,
}

/// The producer's context: acknowledgements are queued for the loop.
struct Deliveries {
    acks: Arc<Mutex<Vec<Ack>>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = Box<Delivery>;

    fn delivery(&self, result: &DeliveryResult<'_>, delivery: Box<Delivery>) {
        let result = match result {
            Ok(_) => Ok(delivery.good),
            Err((e, message)) => Err(format!("writing a message to {} for offset {} failed: {e}", message.topic(), delivery.offset)),
        };
        lock(&self.acks).push(Ack { slot: delivery.slot, offset: delivery.offset, result });
    }
}

type Writer = BaseProducer<Deliveries>;

/// What the loop and the consumer's callbacks share.
struct State {
    producer: Writer,
    offsets: Mutex<Offsets>,
    acks: Arc<Mutex<Vec<Ack>>>,
    metrics: Arc<Metrics>,
    failure: Mutex<Option<String>>,
    drain_timeout: Duration,
    /// The good topic and the bad topic, for the counts.
    good_topic: String,
    bad_topic: String,
}

impl State {
    /// Takes the acknowledgements in: offsets, counts, failures.
    fn take_acks(&self) {
        let acks = std::mem::take(&mut *lock(&self.acks));
        if acks.is_empty() {
            return;
        }
        let mut offsets = lock(&self.offsets);
        for ack in acks {
            match ack.result {
                Ok(good) => {
                    offsets.acknowledged(ack.slot, ack.offset);
                    self.metrics.written(if good { &self.good_topic } else { &self.bad_topic });
                }
                Err(e) => {
                    lock(&self.failure).get_or_insert(e);
                }
            }
        }
    }

    /// Commits what may be committed, of the partitions `only` names (all when `None`).
    fn commit<C: ConsumerContext>(&self, consumer: &BaseConsumer<C>, mode: CommitMode, only: Option<&TopicPartitionList>) {
        let mut list = TopicPartitionList::new();
        let mut done = Vec::new();
        for (topic, partition, offset) in lock(&self.offsets).committable() {
            if only.is_some_and(|only| only.find_partition(&topic, partition).is_none()) {
                continue;
            }
            if list.add_partition_offset(&topic, partition, Offset::Offset(offset)).is_ok() {
                done.push((topic, partition, offset));
            }
        }
        if done.is_empty() {
            return;
        }
        let result = consumer.commit(&list, mode);
        self.metrics.commit(result.is_ok());
        match result {
            Ok(()) => {
                let mut offsets = lock(&self.offsets);
                for (topic, partition, offset) in done {
                    offsets.committed(&topic, partition, offset);
                }
            }
            Err(e) => eprintln!("cdpspec stream: committing offsets failed: {e} (they are committed again later; a crash before then replays)"),
        }
    }
}

/// The consumer's context: rebalances, and librdkafka's statistics for the lag.
struct Rebalancing {
    state: Arc<State>,
}

impl ClientContext for Rebalancing {
    fn stats(&self, statistics: Statistics) {
        let mut lag = BTreeMap::new();
        for (name, topic) in &statistics.topics {
            for (id, partition) in &topic.partitions {
                if *id >= 0 && partition.fetch_state != "none" {
                    lag.insert((name.clone(), *id), partition.consumer_lag);
                }
            }
        }
        self.state.metrics.lag(lag);
    }
}

impl ConsumerContext for Rebalancing {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        let Rebalance::Revoke(revoked) = rebalance else { return };
        // Finish what was sent for these partitions, commit it, and forget the rest.
        let _ = self.state.producer.flush(self.state.drain_timeout);
        self.state.take_acks();
        self.state.commit(consumer, CommitMode::Sync, Some(revoked));
        let mut offsets = lock(&self.state.offsets);
        let names: Vec<String> = revoked.elements().iter().map(|e| format!("{}/{}", e.topic(), e.partition())).collect();
        for e in revoked.elements() {
            offsets.revoke(e.topic(), e.partition());
        }
        eprintln!("cdpspec stream: partitions revoked: {}", names.join(", "));
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(assigned) = rebalance {
            let names: Vec<String> = assigned.elements().iter().map(|e| format!("{}/{}", e.topic(), e.partition())).collect();
            eprintln!("cdpspec stream: partitions assigned: {}", if names.is_empty() { "none".into() } else { names.join(", ") });
        }
    }
}

impl Member {
    /// A member checking with `engine`.
    pub fn new(engine: Engine, options: Options) -> Member {
        Member { engine, options, metrics: Arc::new(Metrics::default()) }
    }

    /// Its counts.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Runs until `stop` is set, then drains, commits and leaves the group.
    ///
    /// # Errors
    ///
    /// [`StreamError`]: a client that cannot start, `/metrics` that cannot be served, a
    /// message that cannot be written.
    pub fn run(&self, stop: &AtomicBool) -> Result<(), StreamError> {
        let options = &self.options;
        let acks = Arc::new(Mutex::new(Vec::new()));
        let producer: Writer = options.kafka.producer().create_with_context(Deliveries { acks: Arc::clone(&acks) }).map_err(StreamError::Client)?;
        let state = Arc::new(State {
            producer,
            offsets: Mutex::new(Offsets::default()),
            acks,
            metrics: Arc::clone(&self.metrics),
            failure: Mutex::new(None),
            drain_timeout: options.drain_timeout,
            good_topic: options.good_topic.clone(),
            bad_topic: options.bad_topic.clone(),
        });
        let consumer: BaseConsumer<Rebalancing> =
            options.kafka.consumer(&options.group).create_with_context(Rebalancing { state: Arc::clone(&state) }).map_err(StreamError::Client)?;
        let topics: Vec<&str> = options.topics.iter().map(String::as_str).collect();
        consumer.subscribe(&topics).map_err(StreamError::Client)?;
        if let Some(address) = options.metrics {
            let bound = self.metrics.serve(address).map_err(StreamError::Metrics)?;
            eprintln!("cdpspec stream: metrics at http://{bound}/metrics");
        }
        let (mut last_commit, mut last_log) = (Instant::now(), Instant::now());
        while !stop.load(Ordering::Relaxed) && lock(&state.failure).is_none() {
            state.producer.poll(Duration::ZERO);
            state.take_acks();
            if last_commit.elapsed() >= options.commit_every {
                state.commit(&consumer, CommitMode::Async, None);
                last_commit = Instant::now();
            }
            if options.log_every.is_some_and(|every| last_log.elapsed() >= every) {
                eprintln!("cdpspec stream: {}", self.metrics.line());
                last_log = Instant::now();
            }
            if lock(&state.offsets).in_flight() >= options.max_in_flight {
                state.producer.poll(Duration::from_millis(10));
                continue;
            }
            match consumer.poll(Duration::from_millis(100)) {
                None => {}
                Some(Err(e)) => eprintln!("cdpspec stream: reading: {e}"),
                Some(Ok(message)) => self.handle(&message, &state)?,
            }
        }
        // Drain: what was sent is waited for and committed; the group is left when the
        // consumer is dropped (its revocation commits again, harmlessly).
        let _ = state.producer.flush(options.drain_timeout);
        state.take_acks();
        state.commit(&consumer, CommitMode::Sync, None);
        let pending = lock(&state.offsets).in_flight();
        eprintln!("cdpspec stream: {}", self.metrics.line());
        drop(consumer);
        if let Some(failure) = lock(&state.failure).take() {
            return Err(StreamError::Write(failure));
        }
        if pending > 0 {
            eprintln!("cdpspec stream: {pending} messages were not all written within the drain timeout; not committed, they are read again");
        }
        Ok(())
    }

    /// Splits one message and sends its outputs.
    fn handle(&self, message: &BorrowedMessage<'_>, state: &State) -> Result<(), StreamError> {
        let (topic, partition, offset) = (message.topic(), message.partition(), message.offset());
        let split = if self.options.pass_through { message::pass_through(message.payload()) } else { message::split(&self.engine, topic, message.payload()) };
        self.metrics.read(topic, split.calls, &split.errors);
        self.metrics.evaluated(&split.actions);
        let slot = {
            let mut offsets = lock(&state.offsets);
            let slot = offsets.slot(topic, partition);
            offsets.read(slot, offset, split.outputs.len());
            slot
        };
        let (partition_text, offset_text) = (partition.to_string(), offset.to_string());
        for output in &split.outputs {
            let mut headers = message.headers().map_or_else(|| OwnedHeaders::new_with_capacity(4), |h| h.detach());
            if !self.options.pass_through {
                headers = headers
                    .insert(Header { key: headers::SOURCE_TOPIC, value: Some(topic) })
                    .insert(Header { key: headers::SOURCE_PARTITION, value: Some(&partition_text) })
                    .insert(Header { key: headers::SOURCE_OFFSET, value: Some(&offset_text) });
            }
            if let Some(error) = &output.error {
                headers = headers.insert(Header { key: headers::ERROR, value: Some(error) });
            }
            if let Some(actions) = &output.actions {
                headers = headers.insert(Header { key: headers::ACTIONS, value: Some(actions) });
            }
            let good = output.side == Side::Valid;
            let target = if good { &self.options.good_topic } else { &self.options.bad_topic };
            let mut record = BaseRecord::with_opaque_to(target, Box::new(Delivery { slot, offset, good })).payload(&output.value[..]).headers(headers);
            if let Some(key) = message.key() {
                record = record.key(key);
            }
            send(state, record)?;
        }
        Ok(())
    }
}

/// Sends `record`, waiting while the producer's queue is full (acknowledgements free it). An
/// output over the producer's `message.max.bytes` is not written; in its place, the bad topic
/// gets an empty message with the reason, its key and headers (so the source offset), and the
/// member goes on.
fn send<'a>(state: &'a State, mut record: BaseRecord<'a, [u8], [u8], Box<Delivery>>) -> Result<(), StreamError> {
    let deadline = Instant::now() + state.drain_timeout.max(Duration::from_secs(60));
    loop {
        match state.producer.send(record) {
            Ok(()) => return Ok(()),
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) if Instant::now() < deadline => {
                record = back;
                state.producer.poll(Duration::from_millis(20));
                state.take_acks();
            }
            Err((KafkaError::MessageProduction(RDKafkaErrorCode::MessageSizeTooLarge), back)) if back.payload.is_some_and(|p| !p.is_empty()) => {
                record = too_large(state, back);
            }
            Err((e, back)) => {
                return Err(StreamError::Write(format!("writing a message to {} for offset {} failed: {e}", back.topic, back.delivery_opaque.offset)));
            }
        }
    }
}

/// The stand-in for an output too large to write: empty, to the bad topic, with why.
fn too_large<'a>(state: &'a State, record: BaseRecord<'a, [u8], [u8], Box<Delivery>>) -> BaseRecord<'a, [u8], [u8], Box<Delivery>> {
    let BaseRecord { topic, payload, key, headers: kept, mut delivery_opaque, .. } = record;
    let mut error = format!(
        "the output for this message ({} bytes, meant for {topic}) is over the producer's message.max.bytes and was not written; read it at its source topic, partition and offset",
        payload.map_or(0, <[u8]>::len)
    );
    // One cdpspec-error header, saying both why the message was not checked (if it was not)
    // and why it was not written.
    let mut rebuilt = OwnedHeaders::new_with_capacity(kept.as_ref().map_or(0, Headers::count) + 1);
    for header in kept.iter().flat_map(|h| h.iter()) {
        if header.key == headers::ERROR {
            error = format!("{error} ({})", String::from_utf8_lossy(header.value.unwrap_or_default()));
        } else {
            rebuilt = rebuilt.insert(header);
        }
    }
    let kept = rebuilt.insert(Header { key: headers::ERROR, value: Some(&error) });
    delivery_opaque.good = false;
    let empty: &'static [u8] = &[];
    let stand_in = BaseRecord::with_opaque_to(state.bad_topic.as_str(), delivery_opaque).payload(empty).headers(kept);
    match key {
        Some(key) => stand_in.key(key),
        None => stand_in,
    }
}

/// The lock, even if a thread panicked holding it (the data stays consistent: every update is
/// one call).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
