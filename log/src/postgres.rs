//! The shared store for several service replicas: one PostgreSQL table.
//! Appends are serialised by a transaction-scoped advisory lock, so that
//! the records of every replica form one chain; UPDATE, DELETE and
//! TRUNCATE are refused by triggers.

use std::ops::ControlFlow;
use std::sync::{Mutex, MutexGuard, PoisonError};

use postgres::fallible_iterator::FallibleIterator as _;
use postgres::types::ToSql;
use postgres::{Client, IsolationLevel, NoTls, Row};

use crate::encode::{FORMAT_VERSION, GENESIS, format_at, hash};
use crate::entry::{Entry, Head, Receipt};
use crate::err::Error;
use crate::store::{COLUMNS, Cell, Filter, Store, Visit, record};

/// The advisory lock every append holds until it commits (an arbitrary
/// constant: "changegate log" in ASCII, cut to 63 bits).
const APPEND_LOCK: i64 = 0x6367_6c6f_6761_7070;
/// The advisory lock held while the tables are created.
const SCHEMA_LOCK: i64 = 0x6367_6c6f_6773_6368;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS changegate_log_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changegate_log (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  caller TEXT NOT NULL,
  change_id TEXT,
  change TEXT NOT NULL,
  decision TEXT NOT NULL,
  outcome TEXT NOT NULL,
  policy_digest TEXT NOT NULL,
  graph_digest TEXT NOT NULL,
  engine TEXT NOT NULL,
  prev TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS changegate_log_change ON changegate_log (change_id, seq);
CREATE INDEX IF NOT EXISTS changegate_log_at ON changegate_log (at);
CREATE OR REPLACE FUNCTION changegate_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the decision log is append-only: % is refused', TG_OP;
END
$$;
CREATE OR REPLACE TRIGGER changegate_log_no_change BEFORE UPDATE OR DELETE ON changegate_log
  FOR EACH ROW EXECUTE FUNCTION changegate_log_append_only();
CREATE OR REPLACE TRIGGER changegate_log_no_truncate BEFORE TRUNCATE ON changegate_log
  FOR EACH STATEMENT EXECUTE FUNCTION changegate_log_append_only();
CREATE OR REPLACE TRIGGER changegate_log_meta_no_change BEFORE UPDATE OR DELETE ON changegate_log_meta
  FOR EACH ROW EXECUTE FUNCTION changegate_log_append_only();
CREATE OR REPLACE TRIGGER changegate_log_meta_no_truncate BEFORE TRUNCATE ON changegate_log_meta
  FOR EACH STATEMENT EXECUTE FUNCTION changegate_log_append_only();
";

pub(crate) struct Postgres {
    url: String,
    client: Mutex<Client>,
}

fn err(action: &'static str) -> impl Fn(postgres::Error) -> Error {
    move |e| Error::postgres(action, &e)
}

impl Postgres {
    pub(crate) fn open(url: &str, create: bool) -> Result<Postgres, Error> {
        let mut client = connect(url)?;
        let mut tx = client.transaction().map_err(err("open"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&SCHEMA_LOCK])
            .map_err(err("open"))?;
        let exists: bool = tx
            .query_one("SELECT to_regclass('changegate_log_meta') IS NOT NULL", &[])
            .and_then(|r| r.try_get(0))
            .map_err(err("open"))?;
        if !exists && !create {
            return Err(Error::Store {
                store: "postgresql",
                action: "open",
                message: "the database holds no changegate decision log".to_owned(),
            });
        }
        if !exists {
            tx.batch_execute(SCHEMA).map_err(err("create the log"))?;
            tx.execute(
                "INSERT INTO changegate_log_meta (key, value) VALUES ('format', $1)",
                &[&FORMAT_VERSION.to_string()],
            )
            .map_err(err("create the log"))?;
        }
        let version: Option<String> = tx
            .query_opt(
                "SELECT value FROM changegate_log_meta WHERE key = 'format'",
                &[],
            )
            .map_err(err("open"))?
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(err("open"))?;
        if version.as_deref() != Some(FORMAT_VERSION.to_string().as_str()) {
            return Err(Error::Version {
                found: version.unwrap_or_default(),
                supported: FORMAT_VERSION,
            });
        }
        tx.commit().map_err(err("open"))?;
        Ok(Postgres {
            url: url.to_owned(),
            client: Mutex::new(client),
        })
    }

    /// The connection; a new one when the server closed the last (a
    /// restart, a fail-over, an idle timeout). The call that met the closed
    /// connection has failed and is not retried: its commit may have
    /// happened, and a retry would log the decisions twice.
    fn client(&self) -> Result<MutexGuard<'_, Client>, Error> {
        let mut client = self.client.lock().unwrap_or_else(PoisonError::into_inner);
        if client.is_closed() {
            *client = connect(&self.url)?;
        }
        Ok(client)
    }
}

fn connect(url: &str) -> Result<Client, Error> {
    let mut client = Client::connect(url, NoTls).map_err(err("connect"))?;
    // An append is durable when it returns: the commit waits for the WAL
    // flush whatever the server's default.
    client
        .batch_execute("SET synchronous_commit = on")
        .map_err(err("open"))?;
    Ok(client)
}

fn where_clause(filter: Filter<'_>) -> (&'static str, Vec<String>) {
    match filter {
        Filter::Change(id) => ("WHERE change_id = $1", vec![id.to_owned()]),
        Filter::Range(r) => match (r.from, r.to) {
            (None, None) => ("", vec![]),
            (Some(f), None) => ("WHERE at >= $1", vec![format_at(f)]),
            (None, Some(t)) => ("WHERE at < $1", vec![format_at(t)]),
            (Some(f), Some(t)) => (
                "WHERE at >= $1 AND at < $2",
                vec![format_at(f), format_at(t)],
            ),
        },
    }
}

fn params(args: &[String]) -> Vec<&(dyn ToSql + Sync)> {
    args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
}

fn cells(row: &Row) -> Vec<Result<Cell, String>> {
    let mut out = Vec::with_capacity(12);
    out.push(match row.try_get::<_, Option<i64>>(0) {
        Ok(Some(n)) => Ok(Cell::Int(n)),
        Ok(None) => Ok(Cell::Null),
        Err(e) => Err(e.to_string()),
    });
    for i in 1..12 {
        out.push(match row.try_get::<_, Option<String>>(i) {
            Ok(Some(t)) => Ok(Cell::Text(t)),
            Ok(None) => Ok(Cell::Null),
            Err(e) => Err(e.to_string()),
        });
    }
    out
}

fn head_of(client: &mut impl postgres::GenericClient) -> Result<Option<Head>, Error> {
    let Some(row) = client
        .query_opt(
            "SELECT seq, hash FROM changegate_log ORDER BY seq DESC LIMIT 1",
            &[],
        )
        .map_err(err("read"))?
    else {
        return Ok(None);
    };
    let seq: i64 = row.try_get(0).map_err(err("read"))?;
    let hash: String = row.try_get(1).map_err(err("read"))?;
    let seq = u64::try_from(seq).map_err(|_| Error::Corrupt {
        seq,
        field: "seq",
        message: "it is not positive".to_owned(),
    })?;
    Ok(Some(Head { seq, hash }))
}

impl Store for Postgres {
    fn append(&self, entries: &[Entry]) -> Result<Vec<Receipt>, Error> {
        let mut client = self.client()?;
        // READ COMMITTED: the head is read by a statement that starts after
        // the lock is granted, so it sees the previous holder's commit.
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::ReadCommitted)
            .start()
            .map_err(err("append"))?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&APPEND_LOCK])
            .map_err(err("append"))?;
        let (mut seq, mut prev) =
            head_of(&mut tx)?.map_or((0, GENESIS.to_owned()), |h| (h.seq, h.hash));
        let insert = tx
            .prepare(&format!(
                "INSERT INTO changegate_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            ))
            .map_err(err("append"))?;
        let mut receipts = Vec::with_capacity(entries.len());
        for e in entries {
            seq += 1;
            let h = hash(seq, &prev, e);
            let seq_i = i64::try_from(seq).map_err(|_| Error::Store {
                store: "postgresql",
                action: "append",
                message: "the log is full".to_owned(),
            })?;
            tx.execute(
                &insert,
                &[
                    &seq_i,
                    &format_at(e.at),
                    &e.caller,
                    &e.change_id,
                    &e.change,
                    &e.decision,
                    &e.outcome,
                    &e.policy_digest,
                    &e.graph_digest,
                    &e.engine,
                    &prev,
                    &h,
                ],
            )
            .map_err(err("append"))?;
            receipts.push(Receipt {
                seq,
                hash: h.clone(),
            });
            prev = h;
        }
        tx.commit().map_err(err("append"))?;
        Ok(receipts)
    }

    fn head(&self) -> Result<Option<Head>, Error> {
        head_of(&mut *self.client()?)
    }

    fn count(&self, filter: Filter<'_>) -> Result<u64, Error> {
        let (clause, args) = where_clause(filter);
        let n: i64 = self
            .client()?
            .query_one(
                &format!("SELECT count(*) FROM changegate_log {clause}"),
                &params(&args),
            )
            .and_then(|r| r.try_get(0))
            .map_err(err("read"))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn rows(&self, filter: Filter<'_>, visit: &mut Visit<'_>) -> Result<(), Error> {
        let mut client = self.client()?;
        // One snapshot for the whole read, however long it takes.
        let mut tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(err("read"))?;
        let (clause, args) = where_clause(filter);
        let sql = format!("SELECT {COLUMNS} FROM changegate_log {clause} ORDER BY seq");
        let mut rows = tx.query_raw(&sql, params(&args)).map_err(err("read"))?;
        while let Some(row) = rows.next().map_err(err("read"))? {
            if visit(record(cells(&row)))? == ControlFlow::Break(()) {
                break;
            }
        }
        drop(rows);
        tx.commit().map_err(err("read"))?;
        Ok(())
    }
}
