//! Accepting connections: HTTP/1.1 with keep-alive, with a deadline for
//! each request's headers, a bound on open connections, and a graceful stop that lets
//! requests in flight finish (and so store what they were answered 200 for).

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use cdpspec::intake::Intake;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Semaphore;

use crate::http::{App, router, untag};
use crate::log::Log;
use crate::options::Options;
use crate::store::{Store, StoreError};

/// How long a stop waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(5);

/// Connections the kernel queues before they are accepted: a burst of SDK clients should not
/// lose SYNs (the default of 128 does).
const BACKLOG: u32 = 4096;

/// A listener on `address` with a deep accept queue.
fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if address.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(BACKLOG)
}

/// Why a collector could not start.
#[derive(Debug)]
pub enum StartError {
    /// The database could not be opened.
    Store(StoreError),
    /// The address could not be bound.
    Bind {
        /// The address.
        address: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Store(e) => e.fmt(f),
            StartError::Bind { address, source } => write!(f, "cannot listen on {address}: {source}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Store(e) => Some(e),
            StartError::Bind { source, .. } => Some(source),
        }
    }
}

/// A collector bound to its address, with its database open, ready to [`Collector::run`].
pub struct Collector {
    app: Arc<App>,
    listener: TcpListener,
}

impl Collector {
    /// Opens the database and binds the address `options` name; calls are checked and
    /// evaluated by `intake`.
    ///
    /// # Errors
    ///
    /// The database cannot be opened, or the address bound.
    pub async fn bind(intake: Intake, options: Options) -> Result<Collector, StartError> {
        let store = Store::open(&options.db, options.max_events, options.bounds.live_backlog).map_err(StartError::Store)?;
        let address = SocketAddr::new(options.host, options.port);
        let listener = listen(address).map_err(|source| StartError::Bind { address, source })?;
        let address = listener.local_addr().unwrap_or(address);
        let bounds = options.bounds;
        let app = App {
            intake,
            store,
            log: Log::new(options.quiet),
            receiving: Semaphore::new(bounds.body_bytes.min(Semaphore::MAX_PERMITS)),
            checking: Semaphore::new(bounds.max_requests),
            options,
            address,
            stopping: tokio::sync::watch::Sender::new(false),
        };
        Ok(Collector { app: Arc::new(app), listener })
    }

    /// The address it listens on (with the port chosen, for port 0).
    pub fn address(&self) -> SocketAddr {
        self.app.address
    }

    /// Serves until `stop` completes, then ends live feeds, lets requests in flight finish
    /// (for up to 5 s) and closes the database.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let Collector { app, listener } = self;
        let bounds = app.options.bounds;
        let service = tower::ServiceExt::map_request(router(Arc::clone(&app)), untag::<Incoming>);
        // HTTP/1.1 only, as every SDK sends: hyper's header timeout then runs from a
        // connection's first byte (HTTP/2 detection would wait for bytes without a deadline).
        let mut builder = http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(bounds.header_timeout).keep_alive(true).half_close(true);
        let graceful = GracefulShutdown::new();
        let connections = Arc::new(Semaphore::new(bounds.max_connections));
        tokio::pin!(stop);
        loop {
            let permit = tokio::select! {
                permit = Arc::clone(&connections).acquire_owned() => permit,
                () = &mut stop => break,
            };
            let Ok(permit) = permit else { break };
            let stream = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut stop => break,
            };
            let stream = match stream {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was accepted:
                // wait a moment and go on serving the others.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service.clone()));
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                let _ = connection.await;
                drop(permit);
            });
        }
        drop(listener);
        // Live feeds never end by themselves: end them, so their connections can close.
        app.stopping.send_replace(true);
        let _ = tokio::time::timeout(DRAIN, graceful.shutdown()).await;
        app.store.close().await;
    }
}
