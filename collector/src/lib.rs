//! `cdpspec serve`: a local collector that the official SDKs send calls to. Point an app's
//! SDK at it (its API host, or only its CDN host for the browser SDKs), and every call it sends
//! is received, checked by the same [`cdpspec::engine::Engine`] as `cdpspec validate`
//! (rules, plan, severities, limits), evaluated against destinations as `cdpspec coverage`
//! does, stored in SQLite, and queryable by tests (`/_cdpspec/calls?...&min=N&wait=S`).
//!
//! ```no_run
//! use cdpspec::config::Settings;
//! use cdpspec::engine::Engine;
//! use cdpspec::intake::Intake;
//! use cdpspec_collector::{Collector, Options, store::DbPath};
//!
//! # async fn run() {
//! let intake = Intake::new(Engine::new(&Settings::default()).unwrap(), Vec::new());
//! let options = Options { port: 0, db: DbPath::Memory, ..Options::default() };
//! let collector = Collector::bind(intake, options).await.unwrap();
//! println!("send calls to http://{}/v1/batch", collector.address());
//! collector.run(async { tokio::signal::ctrl_c().await.unwrap() }).await;
//! # }
//! ```
//!
//! The layout: `http/` (routes: `ingest`, `settings`, `api`, and the inspector's page
//! `inspector`, views `views` and live feed `events`; `tag` and `cors` before them), `store/`
//! (the database thread, `schema.sql`, the live feed), `server.rs` (connections and their
//! bounds), `log.rs` (a line per call), and `inspector/` beside `src/` (the page's HTML, CSS
//! and JavaScript, compiled in). Reading bodies into calls is the library's
//! [`cdpspec::intake`]; nothing here checks a call itself.

mod http;
pub mod log;
mod options;
mod server;
pub mod store;

pub use options::{Bounds, Options, Sink};
pub use server::{Collector, StartError};

/// The settings object served at `/v1/projects/{writeKey}/settings`, for `api_host`
/// (`127.0.0.1:9191/v1`) and the integration names to point there (`Segment.io`,
/// `Customer.io Data Pipelines`): what the browser and mobile SDKs read their API host from.
///
/// ```
/// let settings = cdpspec_collector::settings("wk", "127.0.0.1:9191/v1", &["Segment.io"]);
/// assert_eq!(settings["integrations"]["Segment.io"]["apiHost"], "127.0.0.1:9191/v1");
/// assert_eq!(settings["integrations"].as_object().unwrap().len(), 1);
/// ```
pub fn settings(write_key: &str, api_host: &str, integrations: &[&str]) -> serde_json::Value {
    http::settings_json(write_key, api_host, integrations)
}
