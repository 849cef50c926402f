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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use super::*;

    /// The example of docs/log.md, *The record's hash*.
    #[test]
    fn the_encoding_is_the_documented_one() {
        let entry = Entry {
            at: "2026-06-10T08:30:00Z".parse().unwrap(),
            caller: "a".to_owned(),
            change_id: None,
            change: String::new(),
            decision: String::new(),
            outcome: String::new(),
            policy_digest: String::new(),
            graph_digest: String::new(),
            engine: String::new(),
        };
        let bytes = encode(1, GENESIS, &entry);
        let mut want = vec![0, 0, 0, 0, 0, 0, 0, 16];
        want.extend_from_slice(b"changegate-log/1");
        want.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, b'1', 0, 0, 0, 0, 0, 0, 0, 64]);
        want.extend_from_slice(GENESIS.as_bytes());
        want.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 30]);
        want.extend_from_slice(b"2026-06-10T08:30:00.000000000Z");
        want.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1, b'a', 0]);
        for _ in 0..6 {
            want.extend_from_slice(&[0; 8]);
        }
        assert_eq!(bytes, want);
        let mut with_id = entry.clone();
        with_id.change_id = Some("C".to_owned());
        let bytes = encode(1, GENESIS, &with_id);
        assert_eq!(
            &bytes[bytes.len() - 58..bytes.len() - 48],
            &[1, 0, 0, 0, 0, 0, 0, 0, 1, b'C']
        );
    }

    #[test]
    fn times_are_stored_in_one_form_only() {
        let at: Timestamp = "2026-06-10T08:30:00.5+02:00".parse().unwrap();
        assert_eq!(format_at(at), "2026-06-10T06:30:00.500000000Z");
        assert_eq!(parse_at("2026-06-10T06:30:00.500000000Z"), Some(at));
        assert_eq!(parse_at("2026-06-10T06:30:00.5Z"), None);
        assert!(!storable(Timestamp::MIN));
        assert!(storable(at));
    }
}
