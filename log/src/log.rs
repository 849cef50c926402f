//! The log: opened from a location, appended to, read back and verified.

use std::io::Write;
use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::chain::{Chain, Verified};
use crate::encode::storable;
use crate::entry::{Entry, Head, Progress, Range, Receipt, Record};
use crate::err::Error;
use crate::export::line;
use crate::postgres::Postgres;
use crate::sqlite::Sqlite;
use crate::store::{Filter, Store};

/// The file the log is in when no location is given: in the working
/// directory, where the service writes it and `changegate log` reads it.
pub const DEFAULT_LOCATION: &str = "changegate-log.sqlite";

/// Where a log is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A PostgreSQL database (`postgres://…` or `postgresql://…`).
    Postgres(String),
    /// An SQLite file (a path, or `sqlite:PATH`).
    Sqlite(PathBuf),
}

impl Location {
    /// Reads a location: a PostgreSQL URL, `sqlite:PATH`, or a path.
    pub fn parse(url: &str) -> Result<Location, Error> {
        let bad = |message: &str| Error::Location {
            url: url.to_owned(),
            message: message.to_owned(),
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Location::Postgres(url.to_owned()));
        }
        let path = match url.strip_prefix("sqlite:") {
            Some(rest) => rest.strip_prefix("//").unwrap_or(rest),
            None => {
                if let Some((scheme, _)) = url.split_once("://") {
                    return Err(bad(&format!(
                        "`{scheme}://` is not a store changegate knows"
                    )));
                }
                url
            }
        };
        if path.is_empty() {
            return Err(bad("the path is empty"));
        }
        Ok(Location::Sqlite(PathBuf::from(path)))
    }
}

/// A decision log: an append-only chain of records in SQLite or
/// PostgreSQL. It can be shared between threads; appends from several
/// threads, connections or processes form one chain.
pub struct Log {
    store: Box<dyn Store>,
}

impl std::fmt::Debug for Log {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Log").finish_non_exhaustive()
    }
}

impl Log {
    /// Opens the log at `url`, creating it when it does not exist (a
    /// service's log).
    pub fn open(url: &str) -> Result<Log, Error> {
        Log::open_as(url, true)
    }

    /// Opens the log at `url`, which must exist (a reader's log: a
    /// mistyped path is an error rather than a new, empty log).
    pub fn open_existing(url: &str) -> Result<Log, Error> {
        Log::open_as(url, false)
    }

    fn open_as(url: &str, create: bool) -> Result<Log, Error> {
        let store: Box<dyn Store> = match Location::parse(url)? {
            Location::Postgres(u) => Box::new(Postgres::open(&u, create)?),
            Location::Sqlite(p) => Box::new(Sqlite::open(&p, create)?),
        };
        Ok(Log { store })
    }

    /// Appends `entries` in one transaction, in order, and returns each
    /// one's receipt. When it returns, the records are durable; on an
    /// error none of them is stored.
    pub fn append(&self, entries: &[Entry]) -> Result<Vec<Receipt>, Error> {
        for (index, e) in entries.iter().enumerate() {
            check_entry(index, e)?;
        }
        if entries.is_empty() {
            return Ok(Vec::new());
        }
        self.store.append(entries)
    }

    /// The last record's sequence number and hash; `None` for an empty log.
    pub fn head(&self) -> Result<Option<Head>, Error> {
        self.store.head()
    }

    /// How many records fall in `range`.
    pub fn count(&self, range: Range) -> Result<u64, Error> {
        self.store.count(Filter::Range(range))
    }

    /// Verifies the whole chain from its first record; stops at the first
    /// bad one. `progress` is called after each record.
    pub fn verify(&self, progress: &mut dyn FnMut(Progress)) -> Result<Verified, Error> {
        self.verify_with(&[], progress)
    }

    /// [`Log::verify`], and each receipt (kept elsewhere: a ticket, a CI
    /// log) must match its record: a record whose hash differs, or that the
    /// log no longer has because records were cut from its end, is a break
    /// of check `receipt`.
    pub fn verify_with(
        &self,
        receipts: &[Receipt],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Verified, Error> {
        let total = self.store.count(Filter::Range(Range::ALL))?;
        let mut chain = Chain::from_genesis().with_receipts(receipts);
        self.store.rows(Filter::Range(Range::ALL), &mut |row| {
            let go = match row {
                Ok(record) => chain.check(&record),
                Err(Error::Corrupt {
                    seq,
                    field,
                    message,
                }) => {
                    chain.unreadable(seq, field, message);
                    false
                }
                Err(e) => return Err(e),
            };
            progress(Progress {
                done: chain.verified.records,
                total,
            });
            Ok(if go {
                ControlFlow::Continue(())
            } else {
                ControlFlow::Break(())
            })
        })?;
        chain.finish();
        Ok(chain.verified)
    }

    /// Every record of the change `change_id`, oldest first.
    pub fn history(&self, change_id: &str) -> Result<Vec<Record>, Error> {
        let mut out = Vec::new();
        self.store.rows(Filter::Change(change_id), &mut |row| {
            out.push(row?);
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(out)
    }

    /// Writes the records of `range` to `out` as JSON lines (docs/log.md,
    /// *Exports*), in sequence order; returns how many.
    pub fn export(
        &self,
        range: Range,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<u64, Error> {
        let total = self.count(range)?;
        let mut done = 0;
        self.store.rows(Filter::Range(range), &mut |row| {
            out.write_all(line(&row?).as_bytes())?;
            done += 1;
            progress(Progress { done, total });
            Ok(ControlFlow::Continue(()))
        })?;
        out.flush()?;
        Ok(done)
    }

    /// Calls `f` with each record of `range` in sequence order; an error
    /// from `f` stops the scan and is returned. Returns how many records
    /// were visited.
    pub fn scan(
        &self,
        range: Range,
        f: &mut dyn FnMut(Record) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let mut n = 0;
        self.store.rows(Filter::Range(range), &mut |row| {
            f(row?)?;
            n += 1;
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(n)
    }
}

fn check_entry(index: usize, e: &Entry) -> Result<(), Error> {
    if !storable(e.at) {
        return Err(Error::Entry {
            index,
            field: "at",
            message: format!("`{}` is outside the years 1 to 9999", e.at),
        });
    }
    let fields: [(&'static str, Option<&str>); 8] = [
        ("caller", Some(&e.caller)),
        ("change_id", e.change_id.as_deref()),
        ("change", Some(&e.change)),
        ("decision", Some(&e.decision)),
        ("outcome", Some(&e.outcome)),
        ("policy_digest", Some(&e.policy_digest)),
        ("graph_digest", Some(&e.graph_digest)),
        ("engine", Some(&e.engine)),
    ];
    for (field, value) in fields {
        // PostgreSQL's text cannot hold NUL; refused in every store alike.
        if value.is_some_and(|v| v.contains('\0')) {
            return Err(Error::Entry {
                index,
                field,
                message: "contains a NUL character, which the log cannot store".to_owned(),
            });
        }
    }
    if e.outcome.is_empty() {
        return Err(Error::Entry {
            index,
            field: "outcome",
            message: "is empty".to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn locations() {
        let sqlite = |p: &str| Location::Sqlite(PathBuf::from(p));
        assert_eq!(Location::parse("log.sqlite").unwrap(), sqlite("log.sqlite"));
        assert_eq!(
            Location::parse("sqlite:log.sqlite").unwrap(),
            sqlite("log.sqlite")
        );
        assert_eq!(
            Location::parse("sqlite:///var/log/cg.sqlite").unwrap(),
            sqlite("/var/log/cg.sqlite")
        );
        assert_eq!(
            Location::parse("sqlite://rel/cg.sqlite").unwrap(),
            sqlite("rel/cg.sqlite")
        );
        for url in [
            "postgres://u@h/db",
            "postgresql://u@/db?host=/run/postgresql",
        ] {
            assert_eq!(
                Location::parse(url).unwrap(),
                Location::Postgres(url.to_owned())
            );
        }
        assert_eq!(
            Location::parse("sqlite:").unwrap_err().to_string(),
            "`sqlite:` is not a decision log location: the path is empty"
        );
        assert!(Location::parse("mysql://h/db").is_err());
    }

    #[test]
    fn a_log_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<Log>();
    }
}
