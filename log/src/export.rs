//! The export: one record per line as compact JSON, with its sequence
//! number and hashes, so that an export verifies on its own
//! (docs/log.md, *Exports*).

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::chain::{Chain, Verified};
use crate::encode::{format_at, parse_at};
use crate::entry::{Entry, Progress, Receipt, Record};
use crate::err::Error;

/// A record as a line of an export: the fields in this order, the change
/// and the decision as JSON strings holding their exact text.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    seq: u64,
    at: String,
    caller: String,
    change_id: Option<String>,
    change: String,
    decision: String,
    outcome: String,
    policy_digest: String,
    graph_digest: String,
    engine: String,
    prev: String,
    hash: String,
}

/// The record as one line of JSON, ending with a newline.
pub fn line(record: &Record) -> String {
    let e = &record.entry;
    let line = Line {
        seq: record.seq,
        at: format_at(e.at),
        caller: e.caller.clone(),
        change_id: e.change_id.clone(),
        change: e.change.clone(),
        decision: e.decision.clone(),
        outcome: e.outcome.clone(),
        policy_digest: e.policy_digest.clone(),
        graph_digest: e.graph_digest.clone(),
        engine: e.engine.clone(),
        prev: record.prev.clone(),
        hash: record.hash.clone(),
    };
    let mut text = serde_json::to_string(&line).unwrap_or_default();
    text.push('\n');
    text
}

/// Reads one line of an export back into a record.
pub fn parse_line(text: &str) -> Result<Record, String> {
    let l: Line = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let at =
        parse_at(&l.at).ok_or_else(|| format!("`at` `{}` is not in the canonical form", l.at))?;
    Ok(Record {
        seq: l.seq,
        entry: Entry {
            at,
            caller: l.caller,
            change_id: l.change_id,
            change: l.change,
            decision: l.decision,
            outcome: l.outcome,
            policy_digest: l.policy_digest,
            graph_digest: l.graph_digest,
            engine: l.engine,
        },
        prev: l.prev,
        hash: l.hash,
    })
}

/// Verifies an export: its lines form an unbroken chain from its first
/// record (which may follow records not exported), and each receipt
/// matches its record. A line that is not a
/// record is a break of check `field` at that line's number.
pub fn verify_export(
    reader: impl BufRead,
    receipts: &[Receipt],
    progress: &mut dyn FnMut(Progress),
) -> Result<Verified, Error> {
    let mut chain = Chain::from_first().with_receipts(receipts);
    for (i, text) in reader.lines().enumerate() {
        let text = text?;
        let number = i64::try_from(i + 1).unwrap_or(i64::MAX);
        match parse_line(&text) {
            Ok(record) => {
                if !chain.check(&record) {
                    break;
                }
            }
            Err(message) => {
                chain.unreadable(
                    number,
                    "line",
                    format!("line {number} is not a record: {message}"),
                );
                break;
            }
        }
        progress(Progress {
            done: chain.verified.records,
            total: 0,
        });
    }
    chain.finish();
    Ok(chain.verified)
}
