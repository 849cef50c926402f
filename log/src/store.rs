//! What each store provides, and the decoding of a stored row that both
//! share, so that a corrupt row is reported the same way by each.

use std::ops::ControlFlow;

use crate::encode::parse_at;
use crate::entry::{Entry, Head, Range, Receipt, Record};
use crate::err::Error;

/// The table's columns, in the order every query selects them.
pub(crate) const COLUMNS: &str = "seq, at, caller, change_id, change, decision, outcome, policy_digest, graph_digest, engine, prev, hash";

/// Which records a read visits, always in sequence order.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Filter<'a> {
    /// Records whose `at` is in the range.
    Range(Range),
    /// The records of one change.
    Change(&'a str),
}

/// A row, or the error that makes it unreadable; the visitor decides
/// whether to go on.
pub(crate) type Visit<'v> = dyn FnMut(Result<Record, Error>) -> Result<ControlFlow<()>, Error> + 'v;

/// A store of records.
pub(crate) trait Store: Send + Sync {
    /// Appends the entries in one transaction, after the current head.
    fn append(&self, entries: &[Entry]) -> Result<Vec<Receipt>, Error>;
    /// The last record's sequence number and hash.
    fn head(&self) -> Result<Option<Head>, Error>;
    /// How many records `filter` visits.
    fn count(&self, filter: Filter<'_>) -> Result<u64, Error>;
    /// Visits the records of `filter` in sequence order.
    fn rows(&self, filter: Filter<'_>, visit: &mut Visit<'_>) -> Result<(), Error>;
}

/// One column's value as read: text, an integer, or NULL; anything else
/// is described in the error.
pub(crate) enum Cell {
    Text(String),
    Int(i64),
    Null,
}

/// Builds a record from its cells (in [`COLUMNS`] order).
pub(crate) fn record(cells: Vec<Result<Cell, String>>) -> Result<Record, Error> {
    let mut cells = cells.into_iter();
    let mut next = || cells.next().unwrap_or(Err("missing column".to_owned()));
    let seq = match next() {
        Ok(Cell::Int(n)) => n,
        Ok(Cell::Text(t)) => {
            return Err(corrupt(0, "seq", format!("`{t}` is text, not an integer")));
        }
        Ok(Cell::Null) => return Err(corrupt(0, "seq", "it is null".to_owned())),
        Err(m) => return Err(corrupt(0, "seq", m)),
    };
    let Ok(useq) = u64::try_from(seq) else {
        return Err(corrupt(
            seq,
            "seq",
            format!("`{seq}` is not a positive number"),
        ));
    };
    let mut text = |field: &'static str, optional: bool| -> Result<Option<String>, Error> {
        match next() {
            Ok(Cell::Text(t)) => Ok(Some(t)),
            Ok(Cell::Null) if optional => Ok(None),
            Ok(Cell::Null) => Err(corrupt(seq, field, "it is null".to_owned())),
            Ok(Cell::Int(n)) => Err(corrupt(seq, field, format!("`{n}` is a number, not text"))),
            Err(m) => Err(corrupt(seq, field, m)),
        }
    };
    let at_text = text("at", false)?.unwrap_or_default();
    let Some(at) = parse_at(&at_text) else {
        return Err(corrupt(
            seq,
            "at",
            format!("`{at_text}` is not a time in the form `2026-01-31T09:00:00.000000000Z`"),
        ));
    };
    let caller = text("caller", false)?.unwrap_or_default();
    let change_id = text("change_id", true)?;
    let change = text("change", false)?.unwrap_or_default();
    let decision = text("decision", false)?.unwrap_or_default();
    let outcome = text("outcome", false)?.unwrap_or_default();
    let policy_digest = text("policy_digest", false)?.unwrap_or_default();
    let graph_digest = text("graph_digest", false)?.unwrap_or_default();
    let engine = text("engine", false)?.unwrap_or_default();
    let prev = text("prev", false)?.unwrap_or_default();
    let hash = text("hash", false)?.unwrap_or_default();
    Ok(Record {
        seq: useq,
        entry: Entry {
            at,
            caller,
            change_id,
            change,
            decision,
            outcome,
            policy_digest,
            graph_digest,
            engine,
        },
        prev,
        hash,
    })
}

fn corrupt(seq: i64, field: &'static str, message: String) -> Error {
    Error::Corrupt {
        seq,
        field,
        message,
    }
}
