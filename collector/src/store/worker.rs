//! The database thread: runs jobs in arrival order, committing the writes that are waiting
//! together in one transaction, then tells waiting queries that calls arrived.

use std::sync::Arc;

use rusqlite::{Connection, params, params_from_iter};
use tokio::sync::{broadcast, mpsc, oneshot, watch};

use super::live::{CallSummary, Live};
use super::tally::{self, Counted, Tally};
use super::{Counts, Filter, NewCall, NewRefusal, Order, StoreError, StoredCall, StoredRefusal};

/// A write, answered once committed.
pub(super) enum Write {
    Calls(Vec<NewCall>),
    Refusal(NewRefusal),
    Reset(Option<String>),
}

/// A question for the session's tally (and the database), answered on the thread.
pub(super) type Question = Box<dyn FnOnce(&Tally, &Connection) + Send>;

/// What the thread is asked to do.
pub(super) enum Job {
    Write(Write, oneshot::Sender<Result<(), StoreError>>),
    Read(Box<dyn FnOnce(&Connection) + Send>),
    /// A question for the session's tally (and the database).
    Tally(Question),
    Close,
}

/// Most writes committed in one transaction.
const GROUP: usize = 512;

pub(super) struct Worker {
    connection: Connection,
    max_events: Option<u64>,
    /// Calls in the table, kept to prune without counting.
    stored: u64,
    notify: watch::Sender<u64>,
    /// The live feed: a summary of each call stored, and resets.
    live: broadcast::Sender<Live>,
    /// Calls per kind and rule, kept as calls come and go.
    tally: Tally,
}

impl Worker {
    pub(super) fn new(connection: Connection, max_events: Option<u64>, notify: watch::Sender<u64>, live: broadcast::Sender<Live>) -> rusqlite::Result<Worker> {
        let stored = connection.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0))? as u64;
        let mut worker = Worker { connection, max_events, stored, notify, live, tally: Tally::default() };
        worker.prune()?;
        worker.tally = Tally::of(&worker.connection)?;
        Ok(worker)
    }

    pub(super) fn run(&mut self, mut jobs: mpsc::Receiver<Job>) {
        let mut next = None;
        loop {
            let Some(job) = next.take().or_else(|| jobs.blocking_recv()) else { return };
            match job {
                Job::Close => return,
                Job::Read(query) => query(&self.connection),
                Job::Tally(question) => question(&self.tally, &self.connection),
                Job::Write(write, done) => {
                    let mut group = vec![(write, done)];
                    while group.len() < GROUP {
                        match jobs.try_recv() {
                            Ok(Job::Write(w, d)) => group.push((w, d)),
                            Ok(other) => {
                                next = Some(other);
                                break;
                            }
                            Err(_) => break,
                        }
                    }
                    let mut ids = Vec::new();
                    let result = self.commit(group.iter().map(|(w, _)| w), &mut ids).map_err(|e| StoreError(format!("cannot store: {e}")));
                    let writes: Vec<Write> = group
                        .into_iter()
                        .map(|(write, done)| {
                            let _ = done.send(result.clone());
                            write
                        })
                        .collect();
                    if result.is_ok() {
                        self.count(&writes, &ids);
                        self.announce(&writes, &ids);
                        // Past `--max-events`, the oldest go (they were answered; an error
                        // here leaves them for the next commit).
                        let _ = self.prune();
                    }
                    self.notify.send_modify(|n| *n += 1);
                }
            }
        }
    }

    /// Counts what was committed in the tally: `ids` are those of the calls of `writes`.
    fn count(&mut self, writes: &[Write], ids: &[i64]) {
        let mut ids = ids.iter();
        for write in writes {
            match write {
                Write::Calls(calls) => {
                    for (c, id) in calls.iter().zip(ids.by_ref()) {
                        let f = &c.fields;
                        let counted = Counted {
                            id: *id,
                            received_ms: c.received_ms,
                            tag: &c.tag,
                            call_type: f.call_type.as_deref(),
                            event: f.event.as_deref(),
                            name: f.name.as_deref(),
                            status: c.status.as_str(),
                            diagnostics: &c.diagnostics,
                        };
                        self.tally.add(&counted, 1);
                    }
                }
                Write::Reset(tag) => self.tally.reset(tag.as_deref()),
                Write::Refusal(_) => {}
            }
        }
    }

    /// Tells the live feed what was committed: `ids` are those of the calls of `writes`, in
    /// order. Summaries are made only while someone listens.
    fn announce(&self, writes: &[Write], ids: &[i64]) {
        if self.live.receiver_count() == 0 {
            return;
        }
        let mut ids = ids.iter();
        for write in writes {
            match write {
                Write::Calls(calls) => {
                    for (call, id) in calls.iter().zip(ids.by_ref()) {
                        let _ = self.live.send(Live::Call(Arc::new(CallSummary::of(*id, call))));
                    }
                }
                Write::Reset(tag) => {
                    let _ = self.live.send(Live::Reset(tag.clone()));
                }
                Write::Refusal(_) => {}
            }
        }
    }

    /// Commits `writes` in one transaction, noting in `ids` the id of each call stored.
    fn commit<'w>(&mut self, writes: impl Iterator<Item = &'w Write>, ids: &mut Vec<i64>) -> rusqlite::Result<()> {
        let tx = self.connection.transaction()?;
        let (mut added, mut reset) = (0, false);
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO calls (received_ms, received_at, tag, write_key, endpoint, batch_index, type, event, name, user_id, anonymous_id, message_id, status, errors, warnings, call, diagnostics, actions) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
            )?;
            for write in writes {
                match write {
                    Write::Calls(calls) => {
                        for c in calls {
                            let f = &c.fields;
                            insert.execute(params![
                                c.received_ms,
                                c.received_at,
                                c.tag,
                                c.write_key,
                                c.endpoint,
                                c.batch_index.map(|i| i as i64),
                                f.call_type,
                                f.event,
                                f.name,
                                f.user_id,
                                f.anonymous_id,
                                f.message_id,
                                c.status.as_str(),
                                c.errors as i64,
                                c.warnings as i64,
                                c.call,
                                c.diagnostics,
                                c.actions,
                            ])?;
                            ids.push(tx.last_insert_rowid());
                            added += 1;
                        }
                    }
                    Write::Refusal(r) => {
                        tx.prepare_cached(
                            "INSERT INTO refusals (received_ms, received_at, tag, endpoint, http_status, code, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                        )?
                        .execute(params![r.received_ms, r.received_at, r.tag, r.endpoint, r.http_status, r.code, r.message])?;
                    }
                    Write::Reset(None) => {
                        reset = true;
                        tx.execute("DELETE FROM calls", [])?;
                        tx.execute("DELETE FROM refusals", [])?;
                    }
                    Write::Reset(Some(tag)) => {
                        reset = true;
                        tx.execute("DELETE FROM calls WHERE tag = ?1", [tag])?;
                        tx.execute("DELETE FROM refusals WHERE tag = ?1", [tag])?;
                    }
                }
            }
        }
        tx.commit()?;
        self.stored += added;
        if reset {
            self.stored = self.connection.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0))? as u64;
        }
        Ok(())
    }

    /// Deletes the oldest calls past `max_events`.
    fn prune(&mut self) -> rusqlite::Result<()> {
        let Some(max) = self.max_events else { return Ok(()) };
        if self.stored <= max {
            return Ok(());
        }
        let excess = self.stored - max;
        let sql = format!("DELETE FROM calls WHERE id IN (SELECT id FROM calls ORDER BY id LIMIT ?1) RETURNING {}", tally::COLUMNS);
        let mut statement = self.connection.prepare_cached(&sql)?;
        let mut rows = statement.query([excess as i64])?;
        let mut deleted = 0;
        while let Some(row) = rows.next()? {
            self.tally.add(&tally::Stored::read(row)?.counted(), -1);
            deleted += 1;
        }
        self.stored -= deleted.min(self.stored);
        Ok(())
    }
}

const COLUMNS: &str = "SELECT id, tag, status, call, diagnostics, actions FROM calls";

fn stored(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredCall> {
    Ok(StoredCall { id: row.get(0)?, tag: row.get(1)?, status: row.get(2)?, call: row.get(3)?, diagnostics: row.get(4)?, actions: row.get(5)? })
}

pub(super) fn calls(c: &Connection, filter: &Filter, order: Order, limit: u64) -> rusqlite::Result<(Vec<StoredCall>, u64)> {
    let (clause, mut values) = filter.to_sql();
    let matching: i64 = c.prepare_cached(&format!("SELECT count(*) FROM calls {clause}"))?.query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    let direction = match order {
        Order::Newest => "DESC",
        Order::Oldest => "ASC",
    };
    values.push(rusqlite::types::Value::Integer(limit.min(i64::MAX as u64) as i64));
    let mut statement = c.prepare_cached(&format!("{COLUMNS} {clause} ORDER BY id {direction} LIMIT ?"))?;
    let rows = statement.query_map(params_from_iter(values.iter()), stored)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, matching as u64))
}

pub(super) fn page(c: &Connection, filter: &Filter, after: i64, limit: u64) -> rusqlite::Result<Vec<StoredCall>> {
    let (clause, mut values) = filter.to_sql();
    values.push(rusqlite::types::Value::Integer(after));
    values.push(rusqlite::types::Value::Integer(limit.min(i64::MAX as u64) as i64));
    let mut statement = c.prepare_cached(&format!("{COLUMNS} {clause} AND id > ? ORDER BY id ASC LIMIT ?"))?;
    statement.query_map(params_from_iter(values.iter()), stored)?.collect()
}

/// The counts of every call or of `tag`'s: the calls' from the tally, the refusals' from the
/// table.
pub(super) fn counts(tally: &Tally, c: &Connection, tag: Option<&str>) -> rusqlite::Result<Counts> {
    let (total, errors, warnings) = tally.counts(tag);
    let refusals = if tag.is_some() { "SELECT count(*) FROM refusals WHERE tag = ?1" } else { "SELECT count(*) FROM refusals WHERE ?1 IS NULL" };
    let refused = c.prepare_cached(refusals)?.query_row([tag], |r| r.get::<_, i64>(0))? as u64;
    Ok(Counts { total, valid: total - errors, warnings, errors, refused })
}

pub(super) fn refusals(c: &Connection, tag: Option<&str>, limit: u64) -> rusqlite::Result<Vec<StoredRefusal>> {
    let sql = "SELECT received_at, tag, endpoint, http_status, code, message FROM refusals WHERE (?1 IS NULL OR tag = ?1) ORDER BY id DESC LIMIT ?2";
    let mut statement = c.prepare_cached(sql)?;
    let rows = statement.query_map(params![tag, limit.min(i64::MAX as u64) as i64], |r| {
        Ok(StoredRefusal { received_at: r.get(0)?, tag: r.get(1)?, endpoint: r.get(2)?, http_status: r.get(3)?, code: r.get(4)?, message: r.get(5)? })
    })?;
    rows.collect()
}
