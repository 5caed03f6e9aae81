//! The queries behind the inspector: a page of call summaries and one call in full; and what
//! the summary of a session holds (`Session`, counted by `tally.rs`). Each
//! reads only what it shows: a page is one index walk newest first, never the whole table.

use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

use super::Filter;
use super::live::{CallSummary, first_problem};

/// A stored call in full, as the inspector's detail shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct CallDetail {
    /// What the list shows of it.
    pub summary: CallSummary,
    /// Its index in its batch, for batches.
    pub batch_index: Option<i64>,
    /// The call, compact JSON.
    pub call: String,
    /// Its diagnostics, a JSON array.
    pub diagnostics: String,
    /// Its actions, a JSON array.
    pub actions: String,
}

/// Calls of one kind: a track event by name, a page or screen by name, or the other types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCount {
    /// `type`.
    pub call_type: Option<String>,
    /// The event, or the page's or screen's name; none for other types.
    pub label: Option<String>,
    /// Calls.
    pub calls: u64,
    /// Calls with errors.
    pub errors: u64,
    /// Calls with warnings and no errors.
    pub warnings: u64,
}

/// How often a rule was broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleCount {
    /// Its code (`CDP107`).
    pub code: String,
    /// Its name (`reserved-type`).
    pub rule: String,
    /// `error` or `warning`, as reported.
    pub severity: String,
    /// Calls that broke it.
    pub calls: u64,
    /// Diagnostics it gave.
    pub diagnostics: u64,
}

/// What a session sent: calls per kind, rules broken, and the tags calls came under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    /// Per type and event or name, most calls first.
    pub events: Vec<EventCount>,
    /// Per rule, most calls first.
    pub rules: Vec<RuleCount>,
    /// Tags with their calls, most recently used first (`""` for untagged calls).
    pub tags: Vec<(String, u64)>,
}

const SUMMARY_COLUMNS: &str = "SELECT id, received_ms, received_at, tag, write_key, endpoint, type, event, name, user_id, anonymous_id, message_id, \
     status, errors, warnings, CASE WHEN status = 'valid' THEN NULL ELSE diagnostics END";

fn summary(row: &rusqlite::Row<'_>) -> rusqlite::Result<CallSummary> {
    let diagnostics: Option<String> = row.get(15)?;
    Ok(CallSummary {
        id: row.get(0)?,
        received_ms: row.get(1)?,
        received_at: row.get(2)?,
        tag: row.get(3)?,
        write_key: row.get(4)?,
        endpoint: row.get(5)?,
        fields: super::CallFields {
            call_type: row.get(6)?,
            event: row.get(7)?,
            name: row.get(8)?,
            user_id: row.get(9)?,
            anonymous_id: row.get(10)?,
            message_id: row.get(11)?,
        },
        status: row.get(12)?,
        errors: row.get::<_, i64>(13)? as u64,
        warnings: row.get::<_, i64>(14)? as u64,
        problem: diagnostics.as_deref().and_then(first_problem),
    })
}

/// The newest `limit` calls matching `filter` (page on with `filter.before_id`), and how many
/// match in all.
pub(super) fn summaries(c: &Connection, filter: &Filter, limit: u64) -> rusqlite::Result<(Vec<CallSummary>, u64)> {
    let (clause, mut values) = filter.to_sql();
    let matching: i64 = c.prepare_cached(&format!("SELECT count(*) FROM calls {clause}"))?.query_row(params_from_iter(values.iter()), |r| r.get(0))?;
    values.push(Sql::Integer(limit.min(i64::MAX as u64) as i64));
    let mut statement = c.prepare_cached(&format!("{SUMMARY_COLUMNS} FROM calls {clause} ORDER BY id DESC LIMIT ?"))?;
    let rows = statement.query_map(params_from_iter(values.iter()), summary)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, matching as u64))
}

/// The call stored with `id`, if it is there (and is `tag`'s, when given).
pub(super) fn detail(c: &Connection, id: i64, tag: Option<&str>) -> rusqlite::Result<Option<CallDetail>> {
    let sql = format!("{SUMMARY_COLUMNS}, batch_index, call, diagnostics, actions FROM calls WHERE id = ?1 AND (?2 IS NULL OR tag = ?2)");
    c.prepare_cached(&sql)?
        .query_row(rusqlite::params![id, tag], |row| {
            Ok(CallDetail { summary: summary(row)?, batch_index: row.get(16)?, call: row.get(17)?, diagnostics: row.get(18)?, actions: row.get(19)? })
        })
        .optional()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in crate::store) fn database() -> Connection {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(include_str!("schema.sql")).unwrap();
        let rows = [
            (
                1_000,
                "",
                "track",
                Some("Order Completed"),
                None,
                "errors",
                r#"[{"severity":"error","code":"CDP107","rule":"reserved-type","pointer":"/properties/revenue","message":"m"}]"#,
            ),
            (2_000, "a", "track", Some("Order Completed"), None, "valid", "[]"),
            (
                3_000,
                "a",
                "page",
                None,
                Some("Home"),
                "warnings",
                r#"[{"severity":"warning","code":"CDP110","rule":"numeric-identifier","pointer":"/userId","message":"m"}]"#,
            ),
            (9_000, "a", "identify", None, None, "valid", "[]"),
        ];
        for (ms, tag, kind, event, name, status, diagnostics) in rows {
            c.execute(
                "INSERT INTO calls (received_ms, received_at, tag, endpoint, type, event, name, status, errors, warnings, call, diagnostics, actions) \
                 VALUES (?1, 't', ?2, '/v1/batch', ?3, ?4, ?5, ?6, ?7, ?8, '{}', ?9, '[]')",
                rusqlite::params![ms, tag, kind, event, name, status, (status == "errors") as i64, (status == "warnings") as i64, diagnostics],
            )
            .unwrap();
        }
        c
    }

    #[test]
    fn pages_run_newest_first_and_one_call_is_found_by_id_in_its_tag() {
        let c = database();
        let (page, count) = summaries(&c, &Filter { before_id: Some(4), ..Filter::default() }, 2).unwrap();
        assert_eq!((page.iter().map(|s| s.id).collect::<Vec<_>>(), count), (vec![3, 2], 3));
        assert_eq!(page[0].problem.as_ref().unwrap()["code"], "CDP110");
        assert!(detail(&c, 1, Some("a")).unwrap().is_none());
        assert_eq!(detail(&c, 1, None).unwrap().unwrap().summary.fields.event.as_deref(), Some("Order Completed"));
    }
}
