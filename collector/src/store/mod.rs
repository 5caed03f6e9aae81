//! The collector's database: an embedded SQLite file (or `:memory:`), owned by one thread.
//! Requests hand it their calls and wait until they are committed, so a call is on disk before
//! its request is answered; writes that arrive together share one transaction (group commit).
//! The table layout is `schema.sql`.

mod filter;
mod live;
mod rows;
mod tally;
mod views;
mod worker;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::Connection;
use tokio::sync::{broadcast, mpsc, oneshot, watch};

pub use filter::{Filter, Order};
pub use live::{CallSummary, Live};
pub use rows::{CallFields, Counts, NewCall, NewRefusal, StoredCall, StoredRefusal};
pub use views::{CallDetail, EventCount, RuleCount, Session};

use worker::{Job, Write};

/// Where the database lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbPath {
    /// A file (created, with its folder, when missing).
    File(PathBuf),
    /// In memory, gone when the collector stops.
    Memory,
}

impl DbPath {
    /// `:memory:` or a file path.
    pub fn parse(text: &str) -> DbPath {
        if text == ":memory:" { DbPath::Memory } else { DbPath::File(PathBuf::from(text)) }
    }

    /// The default: `.cdpspec/calls.db` in the working directory.
    pub fn default_file() -> DbPath {
        DbPath::File(Path::new(".cdpspec").join("calls.db"))
    }
}

impl std::fmt::Display for DbPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbPath::File(p) => write!(f, "{}", p.display()),
            DbPath::Memory => f.write_str(":memory:"),
        }
    }
}

/// A database error, with what was being done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// A handle on the database thread. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
    commits: watch::Receiver<u64>,
    live: broadcast::Sender<Live>,
    thread: Arc<std::sync::Mutex<Option<std::thread::JoinHandle<()>>>>,
}

impl Store {
    /// Opens (or creates) the database at `path`, keeping only the newest `max_events` calls
    /// when given; the live feed holds up to `live_backlog` announcements for each listener.
    ///
    /// # Errors
    ///
    /// The folder cannot be created, the file is not a database, or the schema cannot be made.
    pub fn open(path: &DbPath, max_events: Option<u64>, live_backlog: usize) -> Result<Store, StoreError> {
        let connection = match path {
            DbPath::Memory => Connection::open_in_memory(),
            DbPath::File(file) => {
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|e| StoreError(format!("cannot create {}: {e}", dir.display())))?;
                }
                Connection::open(file)
            }
        }
        .map_err(|e| StoreError(format!("cannot open the database {path}: {e}")))?;
        let setup = |c: &Connection| -> rusqlite::Result<()> {
            c.busy_timeout(std::time::Duration::from_secs(5))?;
            if matches!(path, DbPath::File(_)) {
                // WAL: a commit is in the file once written, so a killed process loses nothing
                // it answered; NORMAL skips the fsync that only power loss needs.
                c.pragma_update(None, "journal_mode", "WAL")?;
            }
            c.pragma_update(None, "synchronous", "NORMAL")?;
            c.execute_batch(include_str!("schema.sql"))
        };
        setup(&connection).map_err(|e| StoreError(format!("cannot use {path} as the collector's database: {e}")))?;
        let (jobs, receiver) = mpsc::channel(1024);
        let (notify, commits) = watch::channel(0);
        let (live, _) = broadcast::channel(live_backlog.max(1));
        let mut worker = worker::Worker::new(connection, max_events, notify, live.clone()).map_err(|e| StoreError(format!("cannot read {path}: {e}")))?;
        let thread = std::thread::Builder::new()
            .name("cdpspec-store".into())
            .spawn(move || worker.run(receiver))
            .map_err(|e| StoreError(format!("cannot start the database thread: {e}")))?;
        Ok(Store { jobs, commits, live, thread: Arc::new(std::sync::Mutex::new(Some(thread))) })
    }

    /// Stores `calls`; returns once they are committed.
    pub async fn insert(&self, calls: Vec<NewCall>) -> Result<(), StoreError> {
        self.write(Write::Calls(calls)).await
    }

    /// Records a refused request; returns once it is committed.
    pub async fn refuse(&self, refusal: NewRefusal) -> Result<(), StoreError> {
        self.write(Write::Refusal(refusal)).await
    }

    /// Deletes every call and refusal, or those of `tag`.
    pub async fn reset(&self, tag: Option<String>) -> Result<(), StoreError> {
        self.write(Write::Reset(tag)).await
    }

    /// The calls matching `filter`, at most `limit`, in `order`; and how many match in all.
    pub async fn calls(&self, filter: Filter, order: Order, limit: u64) -> Result<(Vec<StoredCall>, u64), StoreError> {
        self.read(move |c| worker::calls(c, &filter, order, limit)).await
    }

    /// The calls matching `filter` after id `after`, oldest first, at most `limit`: pages of
    /// a long export.
    pub async fn page(&self, filter: Filter, after: i64, limit: u64) -> Result<Vec<StoredCall>, StoreError> {
        self.read(move |c| worker::page(c, &filter, after, limit)).await
    }

    /// The counts, of every call or of `tag`'s.
    pub async fn counts(&self, tag: Option<String>) -> Result<Counts, StoreError> {
        self.ask(move |t, c| worker::counts(t, c, tag.as_deref())).await?.map_err(|e| StoreError(format!("query failed: {e}")))
    }

    /// The newest refusals, at most `limit`, of every tag or of `tag`.
    pub async fn refusals(&self, tag: Option<String>, limit: u64) -> Result<Vec<StoredRefusal>, StoreError> {
        self.read(move |c| worker::refusals(c, tag.as_deref(), limit)).await
    }

    /// The newest `limit` calls matching `filter` as the inspector lists them (page on with
    /// `filter.before_id`), and how many match in all.
    pub async fn summaries(&self, filter: Filter, limit: u64) -> Result<(Vec<CallSummary>, u64), StoreError> {
        self.read(move |c| views::summaries(c, &filter, limit)).await
    }

    /// The call stored with `id`, if it is there (and is `tag`'s, when given).
    pub async fn detail(&self, id: i64, tag: Option<String>) -> Result<Option<CallDetail>, StoreError> {
        self.read(move |c| views::detail(c, id, tag.as_deref())).await
    }

    /// Calls per kind and per rule, and the tags, of every call or of `tag`'s (kept as calls
    /// come and go, so this costs no query).
    pub async fn session(&self, tag: Option<String>) -> Result<Session, StoreError> {
        self.ask(move |t, _| t.session(tag.as_deref())).await
    }

    /// Calls and calls with errors in each of `buckets` spans of `width_ms` ending at `end_ms`,
    /// oldest first, of the last day at most (kept as calls come and go, so this costs no query).
    pub async fn timeline(&self, tag: Option<String>, end_ms: i64, width_ms: i64, buckets: usize) -> Result<Vec<(u64, u64)>, StoreError> {
        self.ask(move |t, _| t.timeline(tag.as_deref(), end_ms, width_ms, buckets)).await
    }

    /// The live feed, from now on: a summary of each call committed, and resets.
    pub fn live(&self) -> broadcast::Receiver<Live> {
        self.live.subscribe()
    }

    /// A receiver that changes after every commit: what waiting queries wait on.
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.clone()
    }

    /// Stops taking jobs, finishes those queued, and waits for the database thread to close
    /// the file. Other clones of the handle fail from then on.
    pub async fn close(&self) {
        let thread = self.thread.lock().ok().and_then(|mut t| t.take());
        let _ = self.jobs.send(Job::Close).await;
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }

    async fn write(&self, write: Write) -> Result<(), StoreError> {
        let (done, result) = oneshot::channel();
        self.jobs.send(Job::Write(write, done)).await.map_err(|_| closed())?;
        result.await.map_err(|_| closed())?
    }

    async fn ask<T: Send + 'static>(&self, question: impl FnOnce(&tally::Tally, &Connection) -> T + Send + 'static) -> Result<T, StoreError> {
        let (done, result) = oneshot::channel();
        let job = Job::Tally(Box::new(move |t, c| {
            let _ = done.send(question(t, c));
        }));
        self.jobs.send(job).await.map_err(|_| closed())?;
        result.await.map_err(|_| closed())
    }

    async fn read<T: Send + 'static>(&self, query: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static) -> Result<T, StoreError> {
        let (done, result) = oneshot::channel();
        let job = Job::Read(Box::new(move |c| {
            let _ = done.send(query(c).map_err(|e| StoreError(format!("query failed: {e}"))));
        }));
        self.jobs.send(job).await.map_err(|_| closed())?;
        result.await.map_err(|_| closed())?
    }
}

fn closed() -> StoreError {
    StoreError("the database is closed".into())
}
