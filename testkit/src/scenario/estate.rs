//! Changes to the shipped estate (`policies/estate.json`), shaped as the
//! shipped policy library expects: its attributes, groups, backup kinds and
//! overrides.

use arbitrary::{Result, Unstructured};
use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value as Json, json};

use super::Config;
use super::change::{GChange, PEOPLE};
use super::draw::Gen;

/// Groups the shipped policy library and estate use.
const GROUPS: [&str; 12] = [
    "cab",
    "dba",
    "ecab",
    "incident-commander",
    "peer-review",
    "security",
    "team-data",
    "team-orders",
    "team-payments",
    "team-platform",
    "team-checkout",
    "team-sre",
];

const KINDS: [&str; 6] = [
    "snapshot",
    "pitr",
    "velero",
    "raft-snapshot",
    "state-version",
    "etcd-snapshot",
];

const ANCHORS: [&str; 7] = [
    "2026-12-18T22:00:00Z", // the holiday freeze (New York) is near
    "2027-01-03T23:00:00Z",
    "2026-03-24T20:00:00Z", // quarter close
    "2026-06-13T19:00:00Z", // Saturday maintenance, Berlin and New York
    "2026-10-24T19:00:00Z", // Berlin falls back that night
    "2026-03-28T21:00:00Z", // Berlin springs forward that night
    "2026-11-01T03:00:00Z", // New York falls back
];

impl GChange {
    /// A change to some of the shipped estate's nodes, `ids`, drawn from
    /// `u`'s bytes.
    pub fn for_estate(u: &mut Unstructured<'_>, ids: &[String]) -> Result<GChange> {
        Gen::new(u, Config::properties(false))?.estate_change(ids)
    }
}

impl Gen<'_, '_> {
    /// A change to some of the estate's nodes `ids`.
    fn estate_change(&mut self, ids: &[String]) -> Result<GChange> {
        let mut targets = Vec::new();
        for _ in 0..self.u.int_in_range(1..=3u8)? {
            targets.push(self.u.choose(ids)?.clone());
        }
        let ty = self.pick(&["standard", "normal", "emergency"])?;
        let anchor: Timestamp = self.pick(&ANCHORS)?.parse().unwrap_or_default();
        let quarters = self.u.int_in_range(-96..=96i64)?;
        let start = anchor
            .checked_add(SignedDuration::from_mins(15 * quarters))
            .unwrap_or(anchor);
        let mins = self.pick(&[30i64, 60, 120, 240, 360, 1_440])?;
        let end = start
            .checked_add(SignedDuration::from_mins(mins))
            .unwrap_or(start);

        let mut approvals = Vec::new();
        for _ in 0..self.u.int_in_range(0..=8u8)? {
            let (g, by) = (self.pick(&GROUPS)?, self.pick(&PEOPLE)?);
            approvals.push(json!({"group": g, "by": by}));
        }
        let mut overrides = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            let rule = self.pick(&[
                "holiday_change_freeze",
                "quarter_close_freeze",
                "normal_change_cab",
            ])?;
            let group = self.pick(&["cto", "vp-engineering", "cfo", "cab"])?;
            let by = self.pick(&PEOPLE)?;
            let reason = self.pick(&["", "sev-1 INC0042"])?;
            overrides.push(json!({"rule": rule, "group": group, "by": by, "reason": reason}));
        }
        let mut backups = Vec::new();
        for _ in 0..self.u.int_in_range(0..=6u8)? {
            let resource = self.u.choose(&targets)?.clone();
            let kind = self.pick(&KINDS)?;
            let mins = self.pick(&[0i64, -30, -60, -6 * 60, -23 * 60, -25 * 60, -72 * 60])?;
            let taken = start
                .checked_add(SignedDuration::from_mins(mins))
                .unwrap_or(start);
            let mut b = json!({"resource": resource, "kind": kind,
                "verified": self.u.arbitrary::<bool>()?, "taken_at": taken.to_string()});
            if self.chance(1, 5)? {
                let status = self.pick(&["failed", "partial"])?;
                if let Json::Object(o) = &mut b {
                    o.insert("status".to_owned(), json!(status));
                }
            }
            backups.push(b);
        }

        let mut a = Map::new();
        a.insert(
            "tags".to_owned(),
            json!(self.subsequence(&["schema", "release"], 2)?),
        );
        if self.u.arbitrary()? {
            let c = self.pick(&["database", "application", "network", "security"])?;
            a.insert("category".to_owned(), json!(c));
        }
        if self.u.arbitrary()? {
            let r = self.pick(&["low", "medium", "high"])?;
            a.insert("risk".to_owned(), json!(r));
        }
        for (key, value) in [
            ("template", "std-cert-rotation"),
            ("backout_plan", "roll back"),
            ("test_plan", "smoke tests"),
            ("incident", "INC0042"),
            ("pir_owner", "erin"),
        ] {
            if self.u.arbitrary()? {
                a.insert(key.to_owned(), json!(value));
            }
        }
        let mut c = json!({
            "id": "CHG2",
            "type": ty,
            "targets": targets,
            "start": start.to_string(),
            "end": end.to_string(),
            "approvals": approvals,
            "backups": backups,
            "overrides": overrides,
            "attributes": Json::Object(a),
        });
        if self.chance(9, 10)? {
            if let Json::Object(o) = &mut c {
                o.insert("requested_by".to_owned(), json!(self.pick(&PEOPLE)?));
            }
        }
        Ok(GChange { json: c })
    }
}
