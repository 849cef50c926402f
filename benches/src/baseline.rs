//! The hand-written Rust baseline: the scenario's 8 rules coded
//! by hand over adjacency vectors, a breadth-first search for the blast
//! radius and nothing else. It is not an engine (no language, no report,
//! no audit): it is the practical limit a general engine can approach.

use std::collections::{HashMap, HashSet};

use serde_json::Value as Json;

use crate::{dependencies, layer};

/// The estate as the baseline sees it: reverse adjacency vectors and the two
/// node facts the rules read.
#[derive(Debug, Clone)]
pub struct Estate {
    rdeps: Vec<Vec<u32>>,
    tier: Vec<u8>,
    pii: Vec<bool>,
    ids: HashMap<String, u32>,
}

/// A change, parsed once (times as Unix seconds, targets as node indices).
#[derive(Debug, Clone)]
pub struct Change {
    kind: String,
    category: String,
    tags: Vec<String>,
    targets: Vec<u32>,
    start: i64,
    end: i64,
    requested_by: String,
    approvals: Vec<(String, String)>,
    backups: Vec<(u32, String, i64)>,
    backout_plan: Option<String>,
}

/// What the 8 rules decided.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// `denied`, `pending` or `approved`.
    pub outcome: &'static str,
    /// Unmet approval requirements: (group, distinct approvers required).
    pub unmet: Vec<(&'static str, usize)>,
    /// Targets without a fresh snapshot.
    pub missing_backups: Vec<u32>,
    /// Unmet preconditions.
    pub conditions: Vec<&'static str>,
    /// Denials.
    pub denials: Vec<&'static str>,
    /// Size of the blast radius.
    pub impacted: usize,
}

/// Reusable search state: a visit stamp per node and the BFS queue.
#[derive(Debug, Clone, Default)]
pub struct Scratch {
    stamp: Vec<u32>,
    epoch: u32,
    queue: Vec<u32>,
}

const FREEZE_START: i64 = 1_797_724_800; // 2026-12-20T00:00:00Z
const FREEZE_END: i64 = 1_799_020_800; // 2027-01-04T00:00:00Z
const DAY: i64 = 86_400;

fn to_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Estate {
    /// The scenario's estate of `n` nodes.
    pub fn new(n: usize) -> Estate {
        let deps = dependencies(n);
        let mut rdeps = vec![Vec::new(); n];
        for (i, d) in deps.iter().enumerate() {
            for &j in d {
                if let Some(r) = rdeps.get_mut(j) {
                    r.push(to_u32(i));
                }
            }
        }
        Estate {
            rdeps,
            tier: (0..n)
                .map(|i| u8::try_from(layer(i, n)).unwrap_or(u8::MAX))
                .collect(),
            pii: (0..n).map(|i| i % 7 == 0).collect(),
            ids: (0..n).map(|i| (format!("n{i}"), to_u32(i))).collect(),
        }
    }

    /// Fresh scratch for this estate.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            stamp: vec![0; self.tier.len()],
            epoch: 0,
            queue: Vec::with_capacity(1024),
        }
    }

    /// Parses a change (the scenario's change JSON). `None` if it is not one.
    pub fn change(&self, text: &str) -> Option<Change> {
        let v: Json = serde_json::from_str(text).ok()?;
        let s = |v: &Json| v.as_str().map(str::to_owned);
        let time = |v: &Json| {
            v.as_str()?
                .parse::<jiff::Timestamp>()
                .ok()
                .map(|t| t.as_second())
        };
        let node = |v: &Json| v.as_str().and_then(|id| self.ids.get(id).copied());
        let attrs = v.get("attributes")?;
        let list = |v: Option<&Json>| v.and_then(Json::as_array).cloned().unwrap_or_default();
        Some(Change {
            kind: s(v.get("type")?)?,
            category: attrs.get("category").and_then(s).unwrap_or_default(),
            tags: list(attrs.get("tags")).iter().filter_map(s).collect(),
            targets: list(v.get("targets"))
                .iter()
                .map(node)
                .collect::<Option<_>>()?,
            start: time(v.get("start")?)?,
            end: time(v.get("end")?)?,
            requested_by: v.get("requested_by").and_then(s).unwrap_or_default(),
            approvals: list(v.get("approvals"))
                .iter()
                .map(|a| Some((s(a.get("group")?)?, s(a.get("by")?)?)))
                .collect::<Option<_>>()?,
            backups: list(v.get("backups"))
                .iter()
                .map(|b| {
                    Some((
                        node(b.get("resource")?)?,
                        s(b.get("kind")?)?,
                        time(b.get("taken_at")?)?,
                    ))
                })
                .collect::<Option<_>>()?,
            backout_plan: attrs.get("backout_plan").and_then(s),
        })
    }

    /// The 8 rules of the scenario.
    #[expect(
        clippy::indexing_slicing,
        reason = "every index comes from the estate itself (targets were resolved by `change`)"
    )]
    pub fn decide(&self, c: &Change, s: &mut Scratch) -> Verdict {
        // Blast radius: BFS over reverse edges, visit stamps instead of a set.
        s.epoch = s.epoch.wrapping_add(1);
        if s.epoch == 0 {
            s.stamp.fill(0);
            s.epoch = 1;
        }
        let epoch = s.epoch;
        s.queue.clear();
        for &t in &c.targets {
            if s.stamp[t as usize] != epoch {
                s.stamp[t as usize] = epoch;
                s.queue.push(t);
            }
        }
        let (mut tier0, mut pii, mut head) = (false, false, 0);
        while let Some(&u) = s.queue.get(head) {
            head += 1;
            tier0 |= self.tier[u as usize] == 0;
            pii |= self.pii[u as usize];
            for &v in &self.rdeps[u as usize] {
                if s.stamp[v as usize] != epoch {
                    s.stamp[v as usize] = epoch;
                    s.queue.push(v);
                }
            }
        }
        checks(c, s.queue.len(), tier0, pii)
    }

    /// The same, stateless as an engine's `evaluate(&self, …)` must be: a
    /// fresh visited set and queue per decision, no scratch kept between calls.
    #[expect(
        clippy::indexing_slicing,
        reason = "every index comes from the estate itself (targets were resolved by `change`)"
    )]
    pub fn decide_stateless(&self, c: &Change) -> Verdict {
        let mut seen: HashSet<u32> = HashSet::with_capacity(256);
        let mut queue: Vec<u32> = Vec::with_capacity(256);
        for &t in &c.targets {
            if seen.insert(t) {
                queue.push(t);
            }
        }
        let (mut tier0, mut pii, mut head) = (false, false, 0);
        while let Some(&u) = queue.get(head) {
            head += 1;
            tier0 |= self.tier[u as usize] == 0;
            pii |= self.pii[u as usize];
            for &v in &self.rdeps[u as usize] {
                if seen.insert(v) {
                    queue.push(v);
                }
            }
        }
        checks(c, queue.len(), tier0, pii)
    }
}

/// The 8 checks, given the blast radius's size and whether it holds a
/// tier-0 node and a pii node.
fn checks(c: &Change, impacted: usize, tier0: bool, pii: bool) -> Verdict {
    let mut v = Verdict {
        impacted,
        ..Verdict::default()
    };
    let emergency = c.kind == "emergency";
    if tier0 {
        require(&mut v, c, "cab", 2);
    }
    if c.category == "database" {
        require(&mut v, c, "dba", 1);
    }
    if c.tags.iter().any(|t| t == "schema") {
        for &t in &c.targets {
            let fresh = c.backups.iter().any(|(r, k, at)| {
                *r == t && k == "snapshot" && *at <= c.start && c.start - at <= DAY
            });
            if !fresh {
                v.missing_backups.push(t);
            }
        }
    }
    if impacted > 100 {
        require(&mut v, c, "sre-lead", 1);
    }
    if !emergency && c.start < FREEZE_END && c.end > FREEZE_START {
        v.denials.push("holiday freeze");
    }
    if pii {
        require(&mut v, c, "security", 1);
    }
    if emergency {
        require(&mut v, c, "incident-commander", 1);
    }
    if c.backout_plan.as_deref().is_none_or(str::is_empty) {
        v.conditions.push("a backout plan is required");
    }
    v.outcome = if !v.denials.is_empty() {
        "denied"
    } else if v.unmet.is_empty() && v.missing_backups.is_empty() && v.conditions.is_empty() {
        "approved"
    } else {
        "pending"
    };
    v
}

/// `count` distinct approvers of `group`, never the requester.
fn require(v: &mut Verdict, c: &Change, group: &'static str, count: usize) {
    let valid = |(g, by): &(String, String)| g == group && *by != c.requested_by;
    let distinct = c
        .approvals
        .iter()
        .enumerate()
        .filter(|&(i, a)| valid(a) && !c.approvals.iter().take(i).any(|b| valid(b) && b.1 == a.1))
        .count();
    if distinct < count {
        v.unmet.push((group, count));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{change_json, deep_target};

    #[test]
    fn the_baseline_reaches_the_scenarios_decision() {
        for n in [1_000, 10_000] {
            let estate = Estate::new(n);
            let change = estate.change(&change_json(deep_target(n))).unwrap();
            let v = estate.decide(&change, &mut estate.scratch());
            assert_eq!(v, estate.decide_stateless(&change));
            assert_eq!(v.outcome, "denied");
            assert_eq!(v.denials, ["holiday freeze"]);
            assert_eq!(v.unmet, [("cab", 2), ("sre-lead", 1), ("security", 1)]);
            assert!(v.missing_backups.is_empty() && v.conditions.is_empty());
            assert!(v.impacted > 100);
        }
    }

    #[test]
    fn the_freeze_constants_are_the_scenarios() {
        let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap().as_second();
        assert_eq!(FREEZE_START, t("2026-12-20T00:00:00Z"));
        assert_eq!(FREEZE_END, t("2027-01-04T00:00:00Z"));
    }
}
