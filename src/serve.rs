//! `cdpspec serve`: the local collector (crate `cdpspec-collector`), with the same settings as
//! `validate` (cdpspec.toml, `--plan`, `--severity`, `--limit`) and `coverage`
//! (`--destination`), storing calls in SQLite and/or writing them to Kafka (`--sink`).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use cdpspec::config::{self};
use cdpspec::engine::{self, Engine};
use cdpspec::intake::Intake;
use cdpspec_collector::store::DbPath;
use cdpspec_collector::{Collector, Options, Sink};
use cdpspec_stream::{KafkaSettings, TopicSink};

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::Checking;

#[derive(clap::Args)]
pub struct Args {
    /// The port to listen on (0: any free port; the one chosen is printed).
    #[arg(long, default_value_t = 9191)]
    port: u16,
    /// The address to listen on. The default takes only this machine's own connections.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The SQLite database calls are stored in; `:memory:` for a throwaway run. Default:
    /// .cdpspec/calls.db (`:memory:` with --sink kafka, which stores only refusals there).
    #[arg(long, value_name = "FILE")]
    db: Option<String>,
    #[command(flatten)]
    checking: Checking,
    /// A destination calls are evaluated against, bundled (customerio, mixpanel, amplitude,
    /// webhook) or a file; repeatable. Default: `destination` of cdpspec.toml.
    #[arg(long, short, value_name = "NAME|FILE")]
    destination: Vec<String>,
    /// Accept only this write key (HTTP Basic user name or `writeKey`); repeatable. Without it
    /// every key is accepted and recorded.
    #[arg(long = "write-key", value_name = "KEY")]
    write_keys: Vec<String>,
    /// Refuse (400, listing the violations) any request holding a call with errors. A request
    /// can ask for this alone with the header `X-Strict-Mode: 1`.
    #[arg(long)]
    strict: bool,
    /// Keep only the newest N calls.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_events: Option<u64>,
    /// No line per call on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Serve the API alone, without the inspector (the live web page at `/`).
    #[arg(long = "no-ui")]
    no_ui: bool,
    /// Where accepted calls go: the database, a Kafka topic (--brokers, --topic), or both.
    /// The SDK is answered once they are stored and acknowledged. Refused requests are always
    /// recorded in the database (in memory with `kafka` alone, unless --db is given).
    #[arg(long, value_enum, default_value_t = SinkKind::Db)]
    sink: SinkKind,
    /// The Kafka brokers, HOST:PORT[,HOST:PORT...], for --sink kafka or both.
    #[arg(long, value_name = "HOST:PORT")]
    brokers: Option<String>,
    /// The topic calls are written to, keyed by userId (or anonymousId), for --sink kafka or both.
    #[arg(long, value_name = "TOPIC")]
    topic: Option<String>,
    /// A librdkafka property for the producer, KEY=VALUE; repeatable; wins over [kafka] in
    /// cdpspec.toml.
    #[arg(long = "kafka-config", value_name = "KEY=VALUE", value_parser = KafkaSettings::parse_assignment)]
    kafka_config: Vec<(String, String)>,
}

/// `--sink`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SinkKind {
    /// The SQLite database (--db).
    Db,
    /// A Kafka topic (--brokers, --topic).
    Kafka,
    /// Both: the topic first, then the database.
    Both,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides = args.checking.overrides();
    let (config, settings) = match args.checking.config.resolve(&overrides) {
        Ok(resolved) => resolved,
        Err(e) => return fail(e),
    };
    let sink = match sink(&args, &config) {
        Ok(sink) => sink,
        Err(e) => return fail(e),
    };
    // Destinations given on the command line replace cdpspec.toml's.
    let settings = if args.destination.is_empty() { settings } else { config::Settings { destination: None, ..settings } };
    let engine = match Engine::new(&settings) {
        Ok(engine) => engine,
        Err(e) => return fail(e),
    };
    let mut destinations = Vec::new();
    for name in &args.destination {
        match engine::load_destination(name) {
            Ok(d) => destinations.push(Arc::new(d)),
            Err(e) => return fail(e),
        }
    }
    let intake = Intake::new(engine, destinations);
    let described = describe(&intake, &settings);
    let db = match (&args.db, args.sink) {
        (Some(db), _) => DbPath::parse(db),
        (None, SinkKind::Kafka) => DbPath::Memory,
        (None, _) => DbPath::default_file(),
    };
    let sink_text = sink.kafka.as_ref().map_or(String::new(), |k| format!("; calls to Kafka topic {}", k.topic()));
    let options = Options {
        host: args.host,
        port: args.port,
        db,
        sink,
        write_keys: args.write_keys,
        strict: args.strict,
        max_events: args.max_events,
        quiet: args.quiet,
        ui: !args.no_ui,
        ..Options::default()
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().thread_name("cdpspec-serve").build() {
        Ok(runtime) => runtime,
        Err(e) => return fail(format!("cannot start: {e}")),
    };
    runtime.block_on(async move {
        let db = options.db.clone();
        let ui = options.ui;
        let collector = match Collector::bind(intake, options).await {
            Ok(collector) => collector,
            Err(e) => return fail(e),
        };
        let url = format!("http://{}", collector.address());
        eprintln!("cdpspec serve: listening on {url} (database {db}{sink_text}{described})");
        if ui {
            eprintln!("cdpspec serve: point an SDK's host at {url}; watch calls arrive at {url}/ (the API: {url}/_cdpspec/calls); Ctrl-C stops");
        } else {
            eprintln!("cdpspec serve: point an SDK's host at {url}; calls are listed at {url}/_cdpspec/calls; Ctrl-C stops");
        }
        collector.run(stopped()).await;
        eprintln!("cdpspec serve: stopped");
        ExitStatus::Success
    })
}

/// The sink `--sink`, `--brokers`, `--topic` and `--kafka-config` (over `[kafka]`) describe.
fn sink(args: &Args, config: &config::Config) -> Result<Sink, String> {
    if args.sink == SinkKind::Db {
        if args.topic.is_some() || args.brokers.is_some() {
            return Err("--brokers and --topic need --sink kafka (or both)".into());
        }
        return Ok(Sink::default());
    }
    let (Some(brokers), Some(topic)) = (&args.brokers, &args.topic) else {
        return Err("--sink kafka needs --brokers HOST:PORT and --topic TOPIC".into());
    };
    let mut settings = KafkaSettings::new(brokers);
    settings.properties = config.kafka.clone();
    settings.properties.extend(args.kafka_config.iter().cloned());
    let kafka = TopicSink::new(&settings, topic, Duration::from_secs(30)).map_err(|e| e.to_string())?;
    Ok(Sink { db: args.sink == SinkKind::Both, kafka: Some(kafka) })
}

/// `; plan P; destinations A, B` for the start line.
fn describe(intake: &Intake, settings: &config::Settings) -> String {
    let mut text = String::new();
    if let Some(plan) = &settings.plan {
        text.push_str(&format!("; plan {}", plan.display()));
    }
    let names: Vec<&str> = intake.destinations().iter().map(|d| d.name.as_str()).collect();
    if !names.is_empty() {
        text.push_str(&format!("; destinations: {}", names.join(", ")));
    }
    text
}

/// Completes on Ctrl-C, or on SIGTERM where there is one.
pub(crate) async fn stopped() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
