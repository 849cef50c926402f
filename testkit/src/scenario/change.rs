//! Changes: around DST transitions, freezes and maintenance windows, with
//! approvals (some by the requester, some not approved), backups of every status and
//! overrides good and bad; and changes shaped for the shipped policy
//! library and estate (`policies/`).

use std::fmt;

use arbitrary::Result;
use changegate::change::Change;
use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value as Json, json};

use super::draw::Gen;

/// The people who request, approve and override.
pub const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "dana"];

/// The approval groups of generated policies and changes.
pub const GROUPS: [&str; 9] = [
    "cab",
    "dba",
    "team-a",
    "team-b",
    "team-c",
    "incident-commander",
    "cto",
    "vp",
    "security",
];

/// Instants near DST transitions, freezes and maintenance windows.
const ANCHORS: [&str; 14] = [
    "2026-03-08T07:00:00Z", // New York springs forward
    "2026-03-08T06:00:00Z",
    "2026-11-01T06:00:00Z", // New York falls back
    "2026-11-01T05:00:00Z",
    "2026-03-29T01:00:00Z", // Berlin springs forward
    "2026-03-29T00:30:00Z",
    "2026-10-25T01:00:00Z", // Berlin falls back
    "2026-12-20T05:00:00Z", // the holiday freeze starts (New York)
    "2026-12-22T14:00:00Z",
    "2026-06-13T20:00:00Z", // Saturday 22:00 in Berlin
    "2026-12-31T23:00:00Z",
    "2026-04-04T15:00:00Z", // Lord Howe falls back half an hour
    "2027-01-04T04:59:00Z",
    "2026-06-13T21:00:00Z",
];

/// A generated change.
#[derive(Clone)]
pub struct GChange {
    /// The change's JSON.
    pub json: Json,
}

impl GChange {
    /// The change, read with the default limits (`None` if it is invalid).
    pub fn load(&self) -> Option<Change> {
        Change::from_value(&self.json).ok()
    }
}

impl fmt::Debug for GChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.json)
    }
}

impl Gen<'_, '_> {
    /// A change to some of the nodes `ids` (now and then named by one of
    /// their other `names`), for a policy of `rules` rules. Window-heavy
    /// scenarios get changes of two hours at most.
    pub(crate) fn change(
        &mut self,
        ids: &[String],
        names: &[Vec<String>],
        rules: usize,
    ) -> Result<GChange> {
        let mut o = Map::new();
        let id = match self.wrong(20)? {
            true => "",
            false => self.pick(&["CHG1", "CHG1", "CHG0031337"])?,
        };
        o.insert("id".to_owned(), json!(id));
        let ty = self.pick(&["standard", "normal", "normal", "emergency"])?;
        o.insert("type".to_owned(), json!(ty));
        let mut targets = Vec::new();
        for _ in 0..self.u.int_in_range(1..=3u8)? {
            if let Some(i) = self.index(ids.len())? {
                let other = names.get(i).filter(|n| !n.is_empty());
                let name = match other {
                    Some(other) if self.chance(1, 3)? => self.u.choose(other)?.clone(),
                    _ => ids.get(i).cloned().unwrap_or_default(),
                };
                targets.push(name);
            }
        }
        if targets.is_empty() || self.wrong(20)? {
            targets.push("ghost".to_owned());
        }
        o.insert("targets".to_owned(), json!(targets));

        let base: Timestamp = self.pick(&ANCHORS)?.parse().unwrap_or_default();
        let shift = match self.config.heavy && self.chance(1, 10)? {
            true => SignedDuration::from_mins(self.u.int_in_range(-600_000..=600_000)?),
            false => {
                let secs = self.pick(&[0i64, 0, 0, 0, 0, 0, 0, 0, 30, -1])?;
                SignedDuration::from_mins(15 * self.u.int_in_range(-288..=288)?)
                    + SignedDuration::from_secs(secs)
            }
        };
        let start = base.checked_add(shift).unwrap_or(base);
        let minutes = if self.config.heavy && self.chance(1, 10)? {
            self.u.int_in_range(1..=600_000)?
        } else if self.config.windowy {
            self.pick(&[15i64, 30, 45, 60, 120])?
        } else {
            self.pick(&[1i64, 15, 30, 45, 60, 90, 120, 210, 360, 1_440, 1_500, 4_320])?
        };
        let end = start
            .checked_add(SignedDuration::from_mins(minutes))
            .unwrap_or(start);
        let (start, end) = match self.wrong(20)? {
            true => (end, start),
            false => (start, end),
        };
        o.insert("start".to_owned(), json!(start.to_string()));
        o.insert("end".to_owned(), json!(end.to_string()));
        let requester = match self.chance(4, 5)? {
            true => Some(self.pick(&PEOPLE)?),
            false => None,
        };
        if let Some(r) = requester {
            o.insert("requested_by".to_owned(), json!(r));
        }

        let mut approvals = Vec::new();
        for _ in 0..self.u.int_in_range(0..=5u8)? {
            let mut a = Map::new();
            a.insert("group".to_owned(), json!(self.pick(&GROUPS)?));
            a.insert("by".to_owned(), json!(self.pick(&PEOPLE)?));
            if self.chance(1, 4)? {
                a.insert("at".to_owned(), json!(start.to_string()));
            }
            if self.chance(1, 4)? {
                let st = self.pick(&[
                    "approved",
                    "pending",
                    "rejected",
                    "cancelled",
                    "not_required",
                ])?;
                a.insert("status".to_owned(), json!(st));
            }
            approvals.push(Json::Object(a));
        }
        if !approvals.is_empty() || self.u.arbitrary()? {
            o.insert("approvals".to_owned(), Json::Array(approvals));
        }

        // Mostly backups of the targets, which requirements name most.
        let mut resources = targets.clone();
        resources.extend(targets.iter().cloned());
        resources.extend(ids.iter().cloned());
        resources.extend(names.iter().flatten().take(4).cloned());
        resources.push("ghost".to_owned());
        let mut backups = Vec::new();
        for _ in 0..self.u.int_in_range(0..=6u8)? {
            backups.push(self.backup(&resources, start)?);
        }
        if !backups.is_empty() {
            o.insert("backups".to_owned(), Json::Array(backups));
        }

        let mut overrides = Vec::new();
        for _ in 0..self.u.int_in_range(0..=2u8)? {
            // Rules and, as mistakes the change can make, other names.
            let rule = match self.u.int_in_range(0..=rules + 3)? {
                0 => "w0".to_owned(),
                1 => "s0".to_owned(),
                r => format!("r{}", r - 2),
            };
            let by = match requester {
                Some(r) if self.chance(1, 4)? => r,
                _ => self.pick(&PEOPLE)?,
            };
            overrides.push(json!({
                "rule": rule,
                "group": self.pick(&["cto", "vp", "cab", "cfo"])?,
                "by": by,
                "reason": self.pick(&["sev-1 INC0042", "", "  ", "CVE"])?,
            }));
        }
        if !overrides.is_empty() {
            o.insert("overrides".to_owned(), Json::Array(overrides));
        }
        let attributes = self.attributes()?;
        if !attributes.is_empty() {
            o.insert("attributes".to_owned(), Json::Object(attributes));
        }
        Ok(GChange {
            json: Json::Object(o),
        })
    }

    fn backup(&mut self, resources: &[String], start: Timestamp) -> Result<Json> {
        let resource = self.u.choose(resources)?.clone();
        let mins = match self.u.arbitrary()? {
            true => self.pick(&[
                0i64, -1, -30, -59, -60, -61, -360, -1_439, -1_440, -1_441, -2_880, -10_000, 1, 5,
            ])?,
            false => self.u.int_in_range(-3_000..=120)?,
        };
        let taken = start
            .checked_add(SignedDuration::from_mins(mins))
            .unwrap_or(start);
        let mut b = Map::new();
        b.insert("resource".to_owned(), json!(resource));
        b.insert("taken_at".to_owned(), json!(taken.to_string()));
        if self.u.arbitrary()? {
            b.insert("kind".to_owned(), json!(self.pick(&["snapshot", "dump"])?));
        }
        if self.u.arbitrary()? {
            b.insert("verified".to_owned(), json!(true));
        } else if self.chance(1, 4)? {
            b.insert("verified".to_owned(), json!(false));
        }
        if self.chance(2, 5)? {
            let st = self.pick(&["completed", "failed", "partial", "in_progress"])?;
            b.insert("status".to_owned(), json!(st));
        }
        Ok(Json::Object(b))
    }

    fn attributes(&mut self) -> Result<Map<String, Json>> {
        let mut a = Map::new();
        if self.u.arbitrary()? {
            let c = self.pick(&["database", "network"])?;
            a.insert("category".to_owned(), json!(c));
        }
        if self.chance(3, 4)? {
            let tags = self.subsequence(&["schema", "hotfix"], 2)?;
            a.insert("tags".to_owned(), json!(tags));
        }
        if self.u.arbitrary()? {
            a.insert("risk".to_owned(), json!(self.pick(&["high", "low"])?));
        }
        if self.u.arbitrary()? {
            a.insert("backout_plan".to_owned(), json!("restore snapshot"));
        }
        if self.u.arbitrary()? {
            let score: i64 = match self.chance(1, 8)? {
                true => self.u.arbitrary()?,
                false => self.u.int_in_range(0..=5)?,
            };
            a.insert("score".to_owned(), json!(score));
        }
        if self.u.arbitrary()? {
            a.insert("flag".to_owned(), json!(self.u.arbitrary::<bool>()?));
        }
        if self.u.arbitrary()? {
            let level = self.u.int_in_range(0..=2u8)?;
            a.insert("meta".to_owned(), json!({ "level": level }));
        }
        Ok(a)
    }
}
