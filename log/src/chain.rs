//! Verifying the chain, record by record, the same way for every store and
//! for an export: the sequence is contiguous, each `prev` is the hash of the
//! record before, and each hash recomputes.

use std::fmt;

use serde::Serialize;

use crate::encode::{GENESIS, hash};
use crate::entry::{Head, Receipt, Record};

/// Which check a record failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Its sequence number is not the one after the record before it: a
    /// record is missing, or records are out of order.
    Sequence,
    /// Its `prev` is not the hash of the record before it.
    Prev,
    /// Its hash is not the hash of its fields: a field was changed.
    Hash,
    /// A field cannot be read at all (wrong type, missing, not UTF-8, a
    /// time not in the canonical form).
    Field,
    /// A receipt kept elsewhere does not match the record of its sequence
    /// number, or names a record the log no longer has (records were cut
    /// from its end).
    Receipt,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::Sequence => "sequence",
            Check::Prev => "prev",
            Check::Hash => "hash",
            Check::Field => "field",
            Check::Receipt => "receipt",
        })
    }
}

/// The first record that breaks the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// Its sequence number as stored.
    pub seq: i64,
    /// Its change id, when it has one.
    pub change_id: Option<String>,
    /// The check it failed.
    pub check: Check,
    /// What was expected (a sequence number, a hash; for `field`, the field).
    pub expected: String,
    /// What was found.
    pub found: String,
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}", self.seq)?;
        if let Some(id) = &self.change_id {
            write!(f, " (change `{id}`)")?;
        }
        match self.check {
            Check::Sequence => write!(
                f,
                " is out of sequence: expected record {} here (a record is missing or out of order)",
                self.expected
            ),
            Check::Prev => write!(
                f,
                " does not follow the record before it: its prev is `{}`, the hash of the record before is `{}`",
                self.found, self.expected
            ),
            Check::Hash => write!(
                f,
                " was changed: its fields hash to `{}`, the stored hash is `{}`",
                self.expected, self.found
            ),
            Check::Field => write!(
                f,
                " has an unreadable field `{}`: {}",
                self.expected, self.found
            ),
            Check::Receipt if self.found.is_empty() => write!(
                f,
                " is missing: a receipt names it, but the log ends before it (records were cut from its end)"
            ),
            Check::Receipt => write!(
                f,
                " does not match its receipt: the receipt's hash is `{}`, the record's `{}`",
                self.expected, self.found
            ),
        }
    }
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verified {
    /// The records checked (up to and including a break).
    pub records: u64,
    /// The last record that was checked intact.
    pub head: Option<Head>,
    /// The first bad record; `None` when the chain is unbroken.
    pub first_break: Option<Break>,
}

/// The state of a verification: what the next record must be.
pub(crate) struct Chain {
    next: Option<(u64, String)>,
    /// Receipts kept elsewhere, by sequence number, each checked against
    /// its record.
    receipts: std::collections::BTreeMap<u64, String>,
    pub(crate) verified: Verified,
}

impl Chain {
    /// A chain from the first record of a log.
    pub(crate) fn from_genesis() -> Chain {
        Chain::with_next(Some((1, GENESIS.to_owned())))
    }

    /// A chain that starts wherever its first record says (an export of a
    /// range).
    pub(crate) fn from_first() -> Chain {
        Chain::with_next(None)
    }

    fn with_next(next: Option<(u64, String)>) -> Chain {
        Chain {
            next,
            receipts: std::collections::BTreeMap::new(),
            verified: Verified {
                records: 0,
                head: None,
                first_break: None,
            },
        }
    }

    /// Adds receipts to check the records against.
    pub(crate) fn with_receipts(mut self, receipts: &[Receipt]) -> Chain {
        self.receipts
            .extend(receipts.iter().map(|r| (r.seq, r.hash.clone())));
        self
    }

    /// After the last record: a receipt for a record past the end is a
    /// break (the log was cut).
    pub(crate) fn finish(&mut self) {
        if self.verified.first_break.is_some() {
            return;
        }
        let last = self.verified.head.as_ref().map_or(0, |h| h.seq);
        if let Some((&seq, hash)) = self.receipts.range(last + 1..).next() {
            self.verified.first_break = Some(Break {
                seq: i64::try_from(seq).unwrap_or(i64::MAX),
                change_id: None,
                check: Check::Receipt,
                expected: hash.clone(),
                found: String::new(),
            });
        }
    }

    /// Checks the next record; returns false when it breaks the chain
    /// (recorded as the first break).
    pub(crate) fn check(&mut self, record: &Record) -> bool {
        self.verified.records += 1;
        let brk = |check, expected: String, found: String| Break {
            seq: i64::try_from(record.seq).unwrap_or(i64::MAX),
            change_id: record.entry.change_id.clone(),
            check,
            expected,
            found,
        };
        let (seq, prev) = self
            .next
            .take()
            .unwrap_or_else(|| (record.seq, record.prev.clone()));
        let failed = if record.seq != seq {
            Some(brk(
                Check::Sequence,
                seq.to_string(),
                record.seq.to_string(),
            ))
        } else if record.prev != prev {
            Some(brk(Check::Prev, prev, record.prev.clone()))
        } else {
            let recomputed = hash(record.seq, &record.prev, &record.entry);
            if recomputed != record.hash {
                Some(brk(Check::Hash, recomputed, record.hash.clone()))
            } else {
                self.receipts
                    .get(&record.seq)
                    .filter(|h| **h != record.hash)
                    .map(|h| brk(Check::Receipt, h.clone(), record.hash.clone()))
            }
        };
        match failed {
            Some(b) => {
                self.verified.first_break = Some(b);
                false
            }
            None => {
                self.next = Some((record.seq.saturating_add(1), record.hash.clone()));
                self.verified.head = Some(Receipt {
                    seq: record.seq,
                    hash: record.hash.clone(),
                });
                true
            }
        }
    }

    /// Records a record that cannot be read as the first break.
    pub(crate) fn unreadable(&mut self, seq: i64, field: &str, message: String) {
        self.verified.records += 1;
        self.verified.first_break = Some(Break {
            seq,
            change_id: None,
            check: Check::Field,
            expected: field.to_owned(),
            found: message,
        });
    }
}
