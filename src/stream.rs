//! `cdpspec stream`: a Kafka consumer-group member (crate `cdpspec-stream`) that checks calls
//! with the same settings as `validate` (cdpspec.toml, `--plan`, `--severity`, `--limit`) and
//! splits them into a good and a bad topic. This file only turns flags into settings and
//! options, and SIGTERM or Ctrl-C into a drain.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use cdpspec::CallType;
use cdpspec::config::Overrides;
use cdpspec::engine::Engine;
use cdpspec_stream::{KafkaSettings, Member, Options};

use crate::commands::fail;
use crate::exit::ExitStatus;
use crate::settings::{Checking, parse_call_type};

#[derive(clap::Args)]
pub struct Args {
    /// The Kafka brokers, HOST:PORT[,HOST:PORT...] (librdkafka's bootstrap.servers).
    #[arg(long, value_name = "HOST:PORT")]
    brokers: String,
    /// A topic to read raw calls from (single calls, batches or arrays; JSON or gzip);
    /// repeatable.
    #[arg(long = "topic", value_name = "TOPIC", required = true)]
    topics: Vec<String>,
    /// The consumer group: members of one group share the topics' partitions.
    #[arg(long, value_name = "GROUP")]
    group: String,
    /// Where calls without errors are written, unchanged.
    #[arg(long, value_name = "TOPIC")]
    good_topic: String,
    /// Where calls with errors are written, annotated under context.violationErrors, and
    /// messages that cannot be checked as they were (the reason in the cdpspec-error header).
    #[arg(long, value_name = "TOPIC")]
    bad_topic: String,
    /// A librdkafka property, KEY=VALUE (security.protocol, compression.type, linger.ms, ...);
    /// repeatable; wins over [kafka] in cdpspec.toml.
    #[arg(long = "kafka-config", value_name = "KEY=VALUE", value_parser = KafkaSettings::parse_assignment)]
    kafka_config: Vec<(String, String)>,
    /// Serve Prometheus metrics on this port, at /metrics.
    #[arg(long, value_name = "PORT")]
    metrics_port: Option<u16>,
    /// The address /metrics listens on.
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    metrics_host: IpAddr,
    /// Log a line of counts on stderr every this many seconds (0: never).
    #[arg(long, default_value_t = 30, value_name = "SECONDS")]
    log_every: u64,
    /// Messages read whose outputs are not yet acknowledged, at most; reading waits past it.
    #[arg(long, default_value_t = 10_000, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    max_in_flight: u64,
    /// Copy every message to the good topic unchanged, checking nothing: the benchmark's
    /// baseline.
    #[arg(long, hide = true)]
    pass_through: bool,
    /// The type of calls without `type` (when a topic holds calls of one type).
    #[arg(long = "type", value_name = "CALL", value_parser = parse_call_type)]
    call_type: Option<CallType>,
    #[command(flatten)]
    checking: Checking,
    /// A destination to evaluate each call against (customerio, mixpanel, amplitude, webhook,
    /// or a destination file): what its actions do travels in the cdpspec-actions header, and
    /// counts per action in the metrics. Default: `destination` of cdpspec.toml.
    #[arg(long, short = 'd', value_name = "DESTINATION")]
    destination: Option<String>,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides = Overrides { call_type: args.call_type, destination: args.destination.clone(), ..args.checking.overrides() };
    let (config, settings) = match args.checking.config.resolve(&overrides) {
        Ok(resolved) => resolved,
        Err(e) => return fail(e),
    };
    let engine = match Engine::new(&settings) {
        Ok(engine) => engine,
        Err(e) => return fail(e),
    };
    let topics: Vec<&str> = args.topics.iter().map(String::as_str).collect();
    let mut options = Options::new(&args.brokers, &topics, &args.group, &args.good_topic, &args.bad_topic);
    options.kafka.properties = config.kafka.clone();
    options.kafka.properties.extend(args.kafka_config);
    options.metrics = args.metrics_port.map(|port| SocketAddr::new(args.metrics_host, port));
    options.log_every = (args.log_every > 0).then(|| Duration::from_secs(args.log_every));
    options.max_in_flight = usize::try_from(args.max_in_flight).unwrap_or(usize::MAX);
    options.pass_through = args.pass_through;
    let plan = settings.plan.as_ref().map_or(String::new(), |p| format!("; plan {}", p.display()));
    eprintln!(
        "cdpspec stream: group {} reading {} from {} into {} (good) and {} (bad){plan}; SIGTERM or Ctrl-C drains and stops",
        args.group,
        args.topics.join(", "),
        args.brokers,
        args.good_topic,
        args.bad_topic
    );
    let stop = Arc::new(AtomicBool::new(false));
    if let Err(e) = watch_signals(Arc::clone(&stop)) {
        return fail(format!("cannot watch for signals: {e}"));
    }
    match Member::new(engine, options).run(&stop) {
        Ok(()) => {
            eprintln!("cdpspec stream: stopped");
            ExitStatus::Success
        }
        Err(e) => fail(e),
    }
}

/// Sets `stop` on Ctrl-C or SIGTERM, from a thread of its own.
fn watch_signals(stop: Arc<AtomicBool>) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name("cdpspec-signals".into()).spawn(move || {
        runtime.block_on(crate::serve::stopped());
        eprintln!("cdpspec stream: stopping: draining what was read, then committing");
        stop.store(true, Ordering::Relaxed);
    })?;
    Ok(())
}
