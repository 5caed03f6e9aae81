//! The collector's HTTP surface: what SDKs send to (`ingest`), the settings they fetch
//! (`settings`), the API tests read (`api`), the inspector's page (`inspector`), its views
//! (`views`) and live feed (`events`), and what every request passes through first (`tag`,
//! `cors`).

mod api;
mod auth;
mod cors;
mod events;
mod ingest;
mod inspector;
mod reply;
mod settings;
mod stream;
mod tag;
mod views;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use cdpspec::intake::Intake;
use tokio::sync::Semaphore;

pub(crate) use settings::settings as settings_json;
pub(crate) use tag::{Tag, untag};

use crate::log::Log;
use crate::options::Options;
use crate::store::Store;

/// What every handler shares.
pub(crate) struct App {
    pub(crate) intake: Intake,
    pub(crate) store: Store,
    pub(crate) options: Options,
    pub(crate) log: Log,
    /// Bytes of bodies being received (`Bounds::body_bytes`).
    pub(crate) receiving: Semaphore,
    /// Requests being checked (`Bounds::max_requests`).
    pub(crate) checking: Semaphore,
    /// The address the collector listens on, for settings asked without a `Host`.
    pub(crate) address: SocketAddr,
    /// Set when the collector stops: live feeds end.
    pub(crate) stopping: tokio::sync::watch::Sender<bool>,
}

/// Every route. Run it behind [`untag`], which takes `/t/{tag}` prefixes off first.
pub(crate) fn router(app: Arc<App>) -> Router {
    let router = if app.options.ui { inspector::routes(Router::new()) } else { Router::new() };
    router
        .route("/v1/{endpoint}", post(ingest::ingest))
        .route("/v1/projects/{write_key}/settings", get(settings::browser))
        .route("/{sdk}/v1/projects/{write_key}/settings", get(settings::browser_for))
        .route("/projects/{write_key}/settings", get(settings::mobile))
        .route("/_cdpspec/counts", get(api::counts))
        .route("/_cdpspec/calls", get(api::calls))
        .route("/_cdpspec/calls.ndjson", get(api::ndjson))
        .route("/_cdpspec/calls/{id}", get(views::call))
        .route("/_cdpspec/events", get(events::events))
        .route("/_cdpspec/summary", get(views::summary))
        .route("/_cdpspec/timeline", get(views::timeline))
        .route("/_cdpspec/rules", get(views::rules))
        .route("/_cdpspec/refusals", get(api::refusals))
        .route("/_cdpspec/reset", post(api::reset))
        .route(tag::INVALID_TAG, axum::routing::any(api::invalid_tag))
        .route("/health", get(api::health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn(cors::cors))
        .with_state(app)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    let message =
        format!("no such endpoint: {}; calls go to POST /v1/{{track,identify,page,screen,group,alias,batch}}, the API is under /_cdpspec/", uri.path());
    reply::error(StatusCode::NOT_FOUND, "no-such-endpoint", &message, None)
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let message = format!("{method} is not allowed on {}", uri.path());
    reply::error(StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", &message, None)
}
