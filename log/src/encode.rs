//! The record's hash: a canonical, versioned, length-prefixed encoding of
//! its fields, hashed with SHA-256 (docs/log.md, *The record's hash*). An
//! auditor recomputes it with any SHA-256 from that description alone.

use std::fmt::Write as _;

use jiff::Timestamp;
use sha2::{Digest as _, Sha256};

use crate::entry::Entry;

/// The version of the encoding, and of the stores' layout.
pub const FORMAT_VERSION: u32 = 1;

/// The first field of every encoded record: names the encoding and its
/// version, so that a hash of version 1 can never pass as another version's.
pub const DOMAIN: &str = "changegate-log/1";

/// The `prev` of the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// `at` as stored and hashed: RFC 3339 in UTC with exactly nine fraction
/// digits, so that the text sorts as the instants do.
pub fn format_at(at: Timestamp) -> String {
    let t = at.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.subsec_nanosecond()
    )
}

/// Whether `at` can be stored: years 1 to 9999, where the canonical text
/// sorts as the instants do.
pub(crate) fn storable(at: Timestamp) -> bool {
    let year = at.to_zoned(jiff::tz::TimeZone::UTC).year();
    (1..=9999).contains(&year)
}

/// Reads a stored `at` back; only the canonical form is accepted, since
/// the hash covers the text.
pub fn parse_at(text: &str) -> Option<Timestamp> {
    let at: Timestamp = text.parse().ok()?;
    (format_at(at) == text).then_some(at)
}

fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// The bytes hashed for a record (docs/log.md, *The record's hash*).
pub fn encode(seq: u64, prev: &str, entry: &Entry) -> Vec<u8> {
    let e = entry;
    let mut out = Vec::with_capacity(
        256 + e.change.len() + e.decision.len() + e.caller.len() + e.engine.len(),
    );
    field(&mut out, DOMAIN.as_bytes());
    field(&mut out, seq.to_string().as_bytes());
    field(&mut out, prev.as_bytes());
    field(&mut out, format_at(e.at).as_bytes());
    field(&mut out, e.caller.as_bytes());
    match &e.change_id {
        None => out.push(0),
        Some(id) => {
            out.push(1);
            field(&mut out, id.as_bytes());
        }
    }
    for f in [
        &e.change,
        &e.decision,
        &e.outcome,
        &e.policy_digest,
        &e.graph_digest,
        &e.engine,
    ] {
        field(&mut out, f.as_bytes());
    }
    out
}

/// The record's hash: SHA-256 of [`encode`], lowercase hex.
pub fn hash(seq: u64, prev: &str, entry: &Entry) -> String {
    let digest = Sha256::digest(encode(seq, prev, entry));
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}
