//! How a collector runs: where it listens, where it stores, whom it accepts, and the bounds
//! that keep it serving whatever clients do.

use std::net::IpAddr;
use std::time::Duration;

use cdpspec_stream::TopicSink;

use crate::store::DbPath;

/// Everything `cdpspec serve` is told, bar the engine's settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The address to listen on (`--host`, default loopback).
    pub host: IpAddr,
    /// The port (`--port`; 0 for any free one).
    pub port: u16,
    /// The database (`--db`).
    pub db: DbPath,
    /// The write keys accepted (`--write-key`); empty: any key, recorded.
    pub write_keys: Vec<String>,
    /// Refuse (400) requests holding a call with errors (`--strict`); a request can ask for it
    /// with `X-Strict-Mode: 1`.
    pub strict: bool,
    /// Keep only the newest this many calls (`--max-events`).
    pub max_events: Option<u64>,
    /// No line per call on stderr (`--quiet`).
    pub quiet: bool,
    /// Bounds on clients.
    pub bounds: Bounds,
    /// Receive request bodies and answer 200 without checking or storing anything: the
    /// baseline the benchmark measures the collector against (HTTP alone).
    pub http_only: bool,
    /// Serve the inspector, the live web page at `/` (`--no-ui` turns it off; the API stays).
    pub ui: bool,
    /// Where accepted calls go (`--sink`): the database, a Kafka topic, or both.
    pub sink: Sink,
}

/// Where accepted calls are written. The SDK is answered once every place has them.
#[derive(Debug, Clone)]
pub struct Sink {
    /// Store calls in the database (refused requests are always recorded there).
    pub db: bool,
    /// Write calls to this topic, keyed by `userId` or `anonymousId`, and wait for the
    /// broker's acknowledgement.
    pub kafka: Option<TopicSink>,
}

impl Default for Sink {
    fn default() -> Self {
        Sink { db: true, kafka: None }
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 4318,
            db: DbPath::default_file(),
            write_keys: Vec::new(),
            strict: false,
            max_events: None,
            quiet: false,
            bounds: Bounds::default(),
            http_only: false,
            ui: true,
            sink: Sink::default(),
        }
    }
}

/// What a client may cost the collector: time to send its headers and body, connections
/// open at once, request bodies held at once. Past these it is answered 408, or waits.
/// A connection that sends nothing is closed after `header_timeout`, like one that stalls in
/// its headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Time from a connection's first byte (or the end of its last request) to the end of the
    /// next request's headers.
    pub header_timeout: Duration,
    /// Time to receive a request body.
    pub body_timeout: Duration,
    /// Connections open at once; more wait in the listen queue.
    pub max_connections: usize,
    /// Bytes of request bodies being received at once (by their `Content-Length`, or the
    /// limit when they give none); more wait their turn. Clients that stall hold only what
    /// they said they would send, so many small stalled requests cannot lock others out.
    pub body_bytes: usize,
    /// Requests checked at once, once their bodies are in; more wait their turn. Each holds
    /// at most the batch limit (500 KB) plus its parsed form.
    pub max_requests: usize,
    /// Longest `wait` a query may ask for.
    pub max_wait: Duration,
    /// Calls the live feed holds for each page listening (`/_cdpspec/events`); a page further
    /// behind is told it missed calls and reads them again.
    pub live_backlog: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 8192,
            body_bytes: 32 * 1024 * 1024,
            max_requests: 64,
            max_wait: Duration::from_secs(300),
            live_backlog: 4096,
        }
    }
}
