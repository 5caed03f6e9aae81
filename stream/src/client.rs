//! librdkafka settings: cdpspec's defaults for each client, then cdpspec.toml's `[kafka]`, then
//! `--kafka-config KEY=VALUE`, each winning over the one before; the brokers given with
//! `--brokers` win over all (`bootstrap.servers`).

use std::collections::BTreeMap;
use std::fmt;

use rdkafka::ClientConfig;

/// The brokers and the librdkafka properties passed through.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KafkaSettings {
    /// `HOST:PORT[,HOST:PORT...]`.
    pub brokers: String,
    /// librdkafka properties (`security.protocol`, `compression.type`, `linger.ms`, ...).
    pub properties: BTreeMap<String, String>,
}

/// A `--kafka-config` that is not `KEY=VALUE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError(pub String);

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not KEY=VALUE (a librdkafka property, such as compression.type=zstd)", self.0)
    }
}

impl std::error::Error for SettingError {}

impl KafkaSettings {
    /// The brokers alone.
    pub fn new(brokers: &str) -> KafkaSettings {
        KafkaSettings { brokers: brokers.to_string(), properties: BTreeMap::new() }
    }

    /// Reads one `--kafka-config KEY=VALUE`.
    ///
    /// ```
    /// use cdpspec_stream::KafkaSettings;
    ///
    /// assert_eq!(KafkaSettings::parse_assignment("linger.ms=5").unwrap(), ("linger.ms".to_string(), "5".to_string()));
    /// assert!(KafkaSettings::parse_assignment("linger.ms").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`SettingError`] when there is no `=` or no key.
    pub fn parse_assignment(text: &str) -> Result<(String, String), SettingError> {
        match text.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.to_string())),
            _ => Err(SettingError(text.to_string())),
        }
    }

    /// The settings of a client, `defaults` first, then the properties, then the brokers.
    fn config(&self, defaults: &[(&str, &str)]) -> ClientConfig {
        let mut config = ClientConfig::new();
        for (key, value) in defaults {
            config.set(*key, *value);
        }
        for (key, value) in &self.properties {
            config.set(key, value);
        }
        if !self.brokers.is_empty() {
            config.set("bootstrap.servers", &self.brokers);
        }
        config
    }

    /// A consumer in `group`: offsets are stored and committed by cdpspec only, once the
    /// outputs are acknowledged; a group without committed offsets starts at the beginning.
    ///
    /// ```
    /// let mut settings = cdpspec_stream::KafkaSettings::new("k1:9092");
    /// settings.properties.insert("auto.offset.reset".into(), "latest".into());
    /// let config = settings.consumer("validators");
    /// assert_eq!(config.get("auto.offset.reset"), Some("latest"), "pass-through wins");
    /// assert_eq!(config.get("enable.auto.commit"), Some("false"));
    /// assert_eq!(config.get("bootstrap.servers"), Some("k1:9092"));
    /// ```
    pub fn consumer(&self, group: &str) -> ClientConfig {
        let mut config = self.config(&[
            ("group.id", group),
            ("enable.auto.commit", "false"),
            ("enable.auto.offset.store", "false"),
            ("auto.offset.reset", "earliest"),
            ("statistics.interval.ms", "5000"),
        ]);
        // Committing is what at-least-once rests on: nothing passed through may turn it back on.
        config.set("enable.auto.commit", "false");
        config
    }

    /// A producer whose acknowledgement means every in-sync replica has the message, and that
    /// keeps the order of a key's messages through retries.
    pub fn producer(&self) -> ClientConfig {
        self.config(&[("acks", "all"), ("enable.idempotence", "true"), ("linger.ms", "5")])
    }
}
