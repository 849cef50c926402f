//! The embedded store: one SQLite file, in WAL mode, each append durable
//! when it returns (`synchronous=FULL`), UPDATE and DELETE refused by
//! triggers.

use std::path::Path;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};

use crate::encode::{FORMAT_VERSION, GENESIS, format_at, hash};
use crate::entry::{Entry, Head, Receipt};
use crate::err::Error;
use crate::store::{COLUMNS, Cell, Filter, Store, Visit, record};

/// How long an append waits for another process's append to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS changegate_log_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS changegate_log (
  seq INTEGER PRIMARY KEY,
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
CREATE TRIGGER IF NOT EXISTS changegate_log_no_update BEFORE UPDATE ON changegate_log
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS changegate_log_no_delete BEFORE DELETE ON changegate_log
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: DELETE is refused'); END;
CREATE TRIGGER IF NOT EXISTS changegate_log_meta_no_update BEFORE UPDATE ON changegate_log_meta
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: UPDATE is refused'); END;
CREATE TRIGGER IF NOT EXISTS changegate_log_meta_no_delete BEFORE DELETE ON changegate_log_meta
BEGIN SELECT RAISE(ABORT, 'the decision log is append-only: DELETE is refused'); END;
";

pub(crate) struct Sqlite {
    conn: Mutex<Connection>,
}

impl Sqlite {
    pub(crate) fn open(path: &Path, create: bool) -> Result<Sqlite, Error> {
        if !create && !path.exists() {
            return Err(Error::Missing {
                path: path.display().to_string(),
            });
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let err = |e: rusqlite::Error| Error::sqlite("open", e);
        let mut conn = Connection::open_with_flags(path, flags).map_err(err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // A reader looks before it writes anything (WAL mode included) to a
        // file that may be someone else's.
        let has_log: bool = conn
            .query_row(
                "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'changegate_log_meta'",
                [],
                |r| r.get(0),
            )
            .map_err(err)?;
        if !has_log && !create {
            return Err(Error::sqlite(
                "open",
                format!("`{}` is not a changegate decision log", path.display()),
            ));
        }
        // FULL: WAL is synced at every commit, so an append that returned
        // survives a power loss, not only a crash of the process. It holds
        // for this connection only, so every connection sets it.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        if create {
            // WAL mode stays with the file; a reader changes nothing (and
            // can read a write-protected copy).
            let mode: String = conn
                .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
                .map_err(err)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::sqlite(
                    "open",
                    format!("the file cannot be put in WAL mode (it stays in `{mode}`)"),
                ));
            }
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            tx.execute_batch(SCHEMA).map_err(err)?;
            tx.execute(
                "INSERT OR IGNORE INTO changegate_log_meta (key, value) VALUES ('format', ?1)",
                [FORMAT_VERSION.to_string()],
            )
            .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM changegate_log_meta WHERE key = 'format'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        if version.as_deref() != Some(FORMAT_VERSION.to_string().as_str()) {
            return Err(Error::Version {
                found: version.unwrap_or_default(),
                supported: FORMAT_VERSION,
            });
        }
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic elsewhere while holding the connection leaves no half
        // transaction behind (rusqlite rolls back on drop).
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn where_clause(filter: Filter<'_>) -> (&'static str, Vec<String>) {
    match filter {
        Filter::Change(id) => ("WHERE change_id = ?1", vec![id.to_owned()]),
        Filter::Range(r) => match (r.from, r.to) {
            (None, None) => ("", vec![]),
            (Some(f), None) => ("WHERE at >= ?1", vec![format_at(f)]),
            (None, Some(t)) => ("WHERE at < ?1", vec![format_at(t)]),
            (Some(f), Some(t)) => (
                "WHERE at >= ?1 AND at < ?2",
                vec![format_at(f), format_at(t)],
            ),
        },
    }
}

fn cell(v: ValueRef<'_>) -> Result<Cell, String> {
    match v {
        ValueRef::Null => Ok(Cell::Null),
        ValueRef::Integer(n) => Ok(Cell::Int(n)),
        ValueRef::Text(t) => String::from_utf8(t.to_vec())
            .map(Cell::Text)
            .map_err(|e| format!("it is not UTF-8 (byte {})", e.utf8_error().valid_up_to())),
        ValueRef::Real(x) => Err(format!("`{x}` is a real number")),
        ValueRef::Blob(b) => Err(format!("it is a blob of {} bytes", b.len())),
    }
}

impl Store for Sqlite {
    fn append(&self, entries: &[Entry]) -> Result<Vec<Receipt>, Error> {
        let err = |e: rusqlite::Error| Error::sqlite("append", e);
        let mut conn = self.conn();
        // IMMEDIATE takes the write lock before reading the head, so that
        // appenders in other connections and processes wait for each other.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let (mut seq, mut prev) =
            head_of(&tx)?.map_or((0, GENESIS.to_owned()), |h| (h.seq, h.hash));
        let mut receipts = Vec::with_capacity(entries.len());
        {
            let mut insert = tx
                .prepare_cached(&format!(
                    "INSERT INTO changegate_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                ))
                .map_err(err)?;
            for e in entries {
                seq += 1;
                let h = hash(seq, &prev, e);
                let seq_i =
                    i64::try_from(seq).map_err(|_| Error::sqlite("append", "the log is full"))?;
                insert
                    .execute(params![
                        seq_i,
                        format_at(e.at),
                        e.caller,
                        e.change_id,
                        e.change,
                        e.decision,
                        e.outcome,
                        e.policy_digest,
                        e.graph_digest,
                        e.engine,
                        prev,
                        h
                    ])
                    .map_err(err)?;
                receipts.push(Receipt {
                    seq,
                    hash: h.clone(),
                });
                prev = h;
            }
        }
        tx.commit().map_err(err)?;
        Ok(receipts)
    }

    fn head(&self) -> Result<Option<Head>, Error> {
        head_of(&self.conn())
    }

    fn count(&self, filter: Filter<'_>) -> Result<u64, Error> {
        let (clause, args) = where_clause(filter);
        let n: i64 = self
            .conn()
            .query_row(
                &format!("SELECT count(*) FROM changegate_log {clause}"),
                rusqlite::params_from_iter(args),
                |r| r.get(0),
            )
            .map_err(|e| Error::sqlite("read", e))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    fn rows(&self, filter: Filter<'_>, visit: &mut Visit<'_>) -> Result<(), Error> {
        let err = |e: rusqlite::Error| Error::sqlite("read", e);
        let conn = self.conn();
        let (clause, args) = where_clause(filter);
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM changegate_log {clause} ORDER BY seq"
            ))
            .map_err(err)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args)).map_err(err)?;
        while let Some(row) = rows.next().map_err(err)? {
            let cells = (0..12)
                .map(|i| row.get_ref(i).map_err(|e| e.to_string()).and_then(cell))
                .collect();
            if visit(record(cells))?.is_break() {
                break;
            }
        }
        Ok(())
    }
}

fn head_of(conn: &Connection) -> Result<Option<Head>, Error> {
    conn.query_row(
        "SELECT seq, hash FROM changegate_log ORDER BY seq DESC LIMIT 1",
        [],
        |r| Ok((cell(r.get_ref(0)?), cell(r.get_ref(1)?))),
    )
    .optional()
    .map_err(|e| Error::sqlite("read", e))?
    .map(|(seq, hash)| match (seq, hash) {
        (Ok(Cell::Int(seq)), Ok(Cell::Text(hash))) => u64::try_from(seq)
            .map(|seq| Head { seq, hash })
            .map_err(|_| Error::Corrupt {
                seq,
                field: "seq",
                message: "it is not positive".to_owned(),
            }),
        (Ok(Cell::Int(seq)), _) => Err(Error::Corrupt {
            seq,
            field: "hash",
            message: "it is not text".to_owned(),
        }),
        _ => Err(Error::Corrupt {
            seq: 0,
            field: "seq",
            message: "the last record's sequence number is not an integer".to_owned(),
        }),
    })
    .transpose()
}
