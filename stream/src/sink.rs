//! The Kafka sink of `cdpspec serve --sink kafka`: each accepted call is written to a topic,
//! keyed by its `userId` (or `anonymousId`) so a user's calls stay in one partition, in order;
//! the collector answers the SDK only once the broker has acknowledged them all.

use std::fmt;
use std::time::{Duration, Instant};

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{FutureProducer, FutureRecord};

use crate::KafkaSettings;

/// A topic calls are written to.
#[derive(Clone)]
pub struct TopicSink {
    producer: FutureProducer,
    topic: String,
    timeout: Duration,
}

impl fmt::Debug for TopicSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TopicSink").field("topic", &self.topic).finish_non_exhaustive()
    }
}

/// A write the broker did not acknowledge.
#[derive(Debug)]
pub struct SinkError {
    /// The topic.
    pub topic: String,
    /// What librdkafka said.
    pub error: KafkaError,
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kafka did not acknowledge the calls written to {}: {}", self.topic, self.error)
    }
}

impl std::error::Error for SinkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl TopicSink {
    /// A producer writing to `topic`; a write not acknowledged within `timeout` fails. It
    /// lingers 1 ms for company (`linger.ms`, unless the settings say otherwise), since the
    /// SDK waits.
    ///
    /// # Errors
    ///
    /// When librdkafka refuses the settings.
    pub fn new(settings: &KafkaSettings, topic: &str, timeout: Duration) -> Result<TopicSink, SinkError> {
        let mut config = settings.producer();
        config.set("message.timeout.ms", timeout.as_millis().to_string());
        // An SDK waits for this write: linger little (requests at once still share batches).
        if !settings.properties.contains_key("linger.ms") {
            config.set("linger.ms", "1");
        }
        let producer = config.create().map_err(|error| SinkError { topic: topic.to_string(), error })?;
        Ok(TopicSink { producer, topic: topic.to_string(), timeout })
    }

    /// The topic.
    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// Writes `calls` (each its key and its JSON) and waits until the broker has acknowledged
    /// every one.
    ///
    /// # Errors
    ///
    /// The first write that was not acknowledged (the others may have been: an SDK that sends
    /// again duplicates them, which `messageId` tells apart).
    pub async fn write(&self, calls: &[(Option<String>, String)]) -> Result<(), SinkError> {
        let error = |error| SinkError { topic: self.topic.clone(), error };
        // Every call is queued first, so they travel in one request; then the answers.
        let deadline = Instant::now() + self.timeout;
        let mut deliveries = Vec::with_capacity(calls.len());
        for (key, call) in calls {
            let mut record = FutureRecord::to(&self.topic).payload(call.as_bytes());
            if let Some(key) = key {
                record = record.key(key.as_bytes());
            }
            loop {
                match self.producer.send_result(record) {
                    Ok(delivery) => break deliveries.push(delivery),
                    Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) if Instant::now() < deadline => {
                        record = back;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err((e, _)) => return Err(error(e)),
                }
            }
        }
        let mut first = None;
        for delivery in deliveries {
            match delivery.await {
                Ok(Ok(_)) => {}
                Ok(Err((e, _))) => drop(first.get_or_insert(error(e))),
                Err(_) => drop(first.get_or_insert(error(KafkaError::Canceled))),
            }
        }
        first.map_or(Ok(()), Err)
    }

    /// The key of a call: its `userId`, else its `anonymousId` (strings as they are, other
    /// values as JSON), else none.
    ///
    /// ```
    /// use serde_json::json;
    /// use cdpspec_stream::TopicSink;
    ///
    /// assert_eq!(TopicSink::key(&json!({"userId": "u1", "anonymousId": "a1"})), Some("u1".to_string()));
    /// assert_eq!(TopicSink::key(&json!({"userId": null, "anonymousId": "a1"})), Some("a1".to_string()));
    /// assert_eq!(TopicSink::key(&json!({"userId": 42})), Some("42".to_string()));
    /// assert_eq!(TopicSink::key(&json!({"type": "track"})), None);
    /// ```
    pub fn key(call: &serde_json::Value) -> Option<String> {
        ["userId", "anonymousId"].iter().find_map(|field| match call.get(field)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
    }
}
