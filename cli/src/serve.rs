//! `cdpspec serve`: the local collector (crate `cdpspec-collector`), with the same settings as
//! `validate` (cdpspec.toml, `--plan`, `--severity`, `--limit`) and `coverage`
//! (`--destination`).

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use cdpspec::check::limits::Limits;
use cdpspec::config::{self, Overrides};
use cdpspec::engine::{self, Engine};
use cdpspec::intake::Intake;
use cdpspec::rule::Severities;
use cdpspec_collector::store::DbPath;
use cdpspec_collector::{Collector, Options};

use crate::commands::fail;
use crate::exit::ExitStatus;

#[derive(clap::Args)]
pub struct Args {
    /// The port to listen on (0: any free port; the one chosen is printed).
    #[arg(long, default_value_t = 9191)]
    port: u16,
    /// The address to listen on. The default takes only this machine's own connections.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// The SQLite database calls are stored in; `:memory:` for a throwaway run.
    #[arg(long, value_name = "FILE", default_value = ".cdpspec/calls.db")]
    db: String,
    /// A tracking plan calls are checked against. Default: `plan` of cdpspec.toml.
    #[arg(long, value_name = "PLAN")]
    plan: Option<PathBuf>,
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
    /// Set a rule's severity: RULE=error|warning|off (by code or name); repeatable.
    #[arg(long = "severity", value_name = "RULE=LEVEL", value_parser = Severities::parse_assignment)]
    severities: Vec<(cdpspec::Rule, cdpspec::rule::Level)>,
    /// Set a limit: NAME=N, with NAME one of call-bytes, batch-bytes, batch-calls,
    /// message-id-chars; repeatable.
    #[arg(long = "limit", value_name = "NAME=N", value_parser = Limits::parse_assignment)]
    limits: Vec<(String, usize)>,
    /// The config file (default: the nearest cdpspec.toml from the working directory up).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

pub fn run(args: Args) -> ExitStatus {
    let overrides = Overrides { plan: args.plan.clone(), severities: args.severities.clone(), limits: args.limits.clone(), ..Overrides::default() };
    let settings = match crate::validate::config(args.config.as_deref()).and_then(|config| config::resolve(&config, &overrides)) {
        Ok(settings) => settings,
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
    let options = Options {
        host: args.host,
        port: args.port,
        db: DbPath::parse(&args.db),
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
        eprintln!("cdpspec serve: listening on {url} (database {db}{described})");
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
async fn stopped() {
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
