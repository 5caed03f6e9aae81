-- The collector's database (`cdpspec serve --db FILE`). Query it with any SQLite tool, e.g.
--   sqlite3 .cdpspec/calls.db "SELECT type, event, status FROM calls ORDER BY id DESC LIMIT 20"
-- Times are kept twice: `received_at` as RFC 3339 text (UTC, milliseconds), `received_ms` as
-- milliseconds since the Unix epoch. JSON columns hold compact JSON; read them with ->>, e.g.
--   SELECT call ->> '$.properties.plan' FROM calls WHERE event = 'Order Completed'

-- Every call the collector accepted, one row per call (a batch of 20 is 20 rows).
CREATE TABLE IF NOT EXISTS calls (
    id           INTEGER PRIMARY KEY,  -- arrival order
    received_ms  INTEGER NOT NULL,     -- when its request arrived (ms since the epoch)
    received_at  TEXT    NOT NULL,     -- the same, RFC 3339; also the call's `receivedAt`
    tag          TEXT    NOT NULL,     -- the `/t/{tag}/` prefix it was sent under; '' for none
    write_key    TEXT,                 -- HTTP Basic user name, or the body's `writeKey`
    endpoint     TEXT    NOT NULL,     -- the path it was sent to, without the tag prefix
    batch_index  INTEGER,              -- its index in its batch, for batches
    type         TEXT,                 -- the call's `type`
    event        TEXT,                 -- `event` (track)
    name         TEXT,                 -- `name` (page, screen)
    user_id      TEXT,                 -- `userId` (a number as its JSON text)
    anonymous_id TEXT,                 -- `anonymousId`
    message_id   TEXT,                 -- `messageId`
    status       TEXT    NOT NULL,     -- 'valid', 'warnings' or 'errors'
    errors       INTEGER NOT NULL,     -- diagnostics of severity error
    warnings     INTEGER NOT NULL,     -- diagnostics of severity warning
    call         TEXT    NOT NULL,     -- the call as received: batch context merged, receivedAt set
    diagnostics  TEXT    NOT NULL,     -- JSON array, as `cdpspec validate --format json` prints them
    actions      TEXT    NOT NULL      -- JSON array: destination actions triggered, and their outcome
);
CREATE INDEX IF NOT EXISTS calls_by_tag ON calls (tag, status);
-- The inspector pages newest first along the primary key (`id < ?`), stopping at a page of
-- matches; it needs no index per filter. Indexes on status, type and event made its filtered
-- pages at 100,000 calls 2 ms instead of 8 to 25, and doubled the database thread's time per
-- call stored (7 to 14 us): the SDKs' latency counts for more.

-- Every request the collector refused (bad JSON, over a limit, a wrong write key, strict mode).
CREATE TABLE IF NOT EXISTS refusals (
    id           INTEGER PRIMARY KEY,
    received_ms  INTEGER NOT NULL,
    received_at  TEXT    NOT NULL,
    tag          TEXT    NOT NULL,
    endpoint     TEXT    NOT NULL,     -- method and path, e.g. 'POST /v1/batch'
    http_status  INTEGER NOT NULL,     -- what it was answered: 400, 401, 415...
    code         TEXT    NOT NULL,     -- why, for machines: 'invalid-json', 'too-large', 'errors'...
    message      TEXT    NOT NULL      -- why, for people
);
