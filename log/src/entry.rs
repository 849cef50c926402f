//! What the log holds: the entry a service appends, the record it becomes,
//! and the receipt it gets back.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// One decision, as the service hands it to the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// When the decision was made (UTC).
    pub at: Timestamp,
    /// Who asked: the caller's name.
    pub caller: String,
    /// The change's id, when the change had a readable one.
    pub change_id: Option<String>,
    /// The change exactly as received (JSON text, or whatever was sent).
    pub change: String,
    /// The decision exactly as returned (its JSON bytes).
    pub decision: String,
    /// `approved`, `pending`, `denied`, or `error`.
    pub outcome: String,
    /// The policy's digest (`sha256:…`).
    pub policy_digest: String,
    /// The graph's digest (`sha256:…`).
    pub graph_digest: String,
    /// The engine that decided (`changegate 0.1.0`).
    pub engine: String,
}

/// A stored entry: its place in the chain and its hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Its sequence number, from 1.
    pub seq: u64,
    /// The entry.
    pub entry: Entry,
    /// The hash of the record before it (64 zeros for the first).
    pub prev: String,
    /// This record's hash (docs/log.md, *The record's hash*).
    pub hash: String,
}

/// What an append returns for each entry: where it is in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The record's sequence number.
    pub seq: u64,
    /// The record's hash, lowercase hex.
    pub hash: String,
}

/// The last record of a log: its sequence number and hash.
pub type Head = Receipt;

/// A time range of records by their `at`: `from` included, `to` excluded;
/// an open end is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range {
    /// The first instant included.
    pub from: Option<Timestamp>,
    /// The first instant no longer included.
    pub to: Option<Timestamp>,
}

impl Range {
    /// Every record.
    pub const ALL: Range = Range {
        from: None,
        to: None,
    };

    /// Whether `at` falls in the range.
    pub fn contains(&self, at: Timestamp) -> bool {
        self.from.is_none_or(|f| at >= f) && self.to.is_none_or(|t| at < t)
    }
}

/// How far a long operation has got: `done` of `total` records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Records handled.
    pub done: u64,
    /// Records to handle (as counted when the operation started).
    pub total: u64,
}
