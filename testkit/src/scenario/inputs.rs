//! Proptest strategies for the inputs: graphs (cycles, self-loops,
//! missing owners, attributes shadowing first-class fields) and changes
//! (around DST transitions and windows, with approvals, backups and
//! overrides good and bad).

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use serde_json::{Value as Json, json};

use changegate::change::Change;
use changegate::graph::Graph;

const IDS: [&str; 8] = ["api", "db", "web", "cache", "n10", "n2", "queue", "auth"];
const OWNERS: [&str; 3] = ["team-a", "team-b", "team-c"];
pub const PEOPLE: [&str; 4] = ["alice", "bob", "carol", "dana"];
pub const GROUPS: [&str; 7] = [
    "cab",
    "dba",
    "team-a",
    "team-b",
    "team-c",
    "incident-commander",
    "cto",
];

pub fn s(x: &str) -> String {
    x.to_owned()
}

// ---------------------------------------------------------------- graphs

/// A generated graph: nodes, and edges `(from, to)` meaning `from` depends on `to`.
#[derive(Clone)]
pub struct GGraph {
    pub nodes: Vec<Json>,
    pub ids: Vec<String>,
    pub edges: Vec<(usize, usize)>,
    /// Per edge: written as `depends_on` (true) or in `edges` (false).
    inline: Vec<bool>,
}

impl GGraph {
    pub fn json(&self) -> Json {
        let mut nodes = self.nodes.clone();
        let mut edges = Vec::new();
        for (&(from, to), &inline) in self.edges.iter().zip(&self.inline) {
            if inline {
                let deps = nodes[from]
                    .as_object_mut()
                    .unwrap()
                    .entry("depends_on")
                    .or_insert_with(|| json!([]));
                deps.as_array_mut().unwrap().push(json!(self.ids[to]));
            } else {
                edges.push(json!({"from": self.ids[from], "to": self.ids[to]}));
            }
        }
        json!({"nodes": nodes, "edges": edges})
    }

    pub fn graph(&self) -> Graph {
        Graph::from_json(&self.json().to_string()).unwrap()
    }
}

impl fmt::Debug for GGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.json())
    }
}

fn node(id: String) -> impl Strategy<Value = Json> {
    (
        option::of(select(vec!["database", "service", "frontend"])),
        option::of(0..4i64),
        option::weighted(0.8, select(OWNERS.to_vec())),
        subsequence(vec!["pii", "customer-facing", "critical"], 0..=2),
        option::of(select(vec!["eu", "us"])),
        option::of(select(vec![json!(99), json!(99.9), json!(50)])),
        any::<bool>(),
    )
        .prop_map(move |(kind, tier, owner, tags, region, sla, shadow)| {
            let mut n = json!({"id": id});
            let o = n.as_object_mut().unwrap();
            if let Some(k) = kind {
                o.insert(s("kind"), json!(k));
            }
            if let Some(t) = tier {
                o.insert(s("tier"), json!(t));
            }
            if let Some(w) = owner {
                o.insert(s("owner"), json!(w));
            }
            if !tags.is_empty() {
                o.insert(s("tags"), json!(tags));
            }
            let mut attrs = serde_json::Map::new();
            if let Some(r) = region {
                attrs.insert(s("region"), json!(r));
                attrs.insert(s("meta"), json!({"zone": r}));
            }
            if let Some(v) = sla {
                attrs.insert(s("sla"), v);
            }
            if shadow {
                // First-class fields win over attributes of the same name.
                attrs.insert(s("owner"), json!("shadow-team"));
                attrs.insert(s("tier"), json!(9));
            }
            if !attrs.is_empty() {
                o.insert(s("attributes"), Json::Object(attrs));
            }
            n
        })
}

/// A graph of `1..=max` nodes; with `max > 8` ids are `n0`, `n1`, ….
pub fn graph(max: usize) -> impl Strategy<Value = GGraph> {
    let ids = if max <= IDS.len() {
        Just(IDS.iter().map(|i| s(i)).collect::<Vec<_>>())
            .prop_shuffle()
            .boxed()
    } else {
        Just((0..max).map(|i| format!("n{i}")).collect::<Vec<_>>())
            .prop_shuffle()
            .boxed()
    };
    (ids, 1..=max).prop_flat_map(|(ids, n)| {
        let ids: Vec<String> = ids.into_iter().take(n).collect();
        let nodes: Vec<_> = ids.iter().map(|i| node(i.clone())).collect();
        let edges = vec(((0..n, 0..n), any::<bool>()), 0..=2 * n);
        (Just(ids), nodes, edges).prop_map(|(ids, nodes, edges)| GGraph {
            nodes,
            ids,
            edges: edges.iter().map(|e| e.0).collect(),
            inline: edges.iter().map(|e| e.1).collect(),
        })
    })
}

// --------------------------------------------------------------- changes

/// Instants near DST transitions, freezes and maintenance windows.
const ANCHORS: [&str; 8] = [
    "2026-03-08T07:00:00Z", // New York springs forward
    "2026-11-01T06:00:00Z", // New York falls back
    "2026-03-29T01:00:00Z", // Berlin springs forward
    "2026-10-25T01:00:00Z", // Berlin falls back
    "2026-12-20T05:00:00Z", // the holiday freeze starts (New York)
    "2026-06-13T20:00:00Z", // Saturday 22:00 in Berlin
    "2026-12-31T23:00:00Z",
    "2026-04-04T15:00:00Z", // Lord Howe falls back half an hour
];

fn instant() -> impl Strategy<Value = Timestamp> {
    (
        select(ANCHORS.to_vec()),
        -288i64..=288,
        prop_oneof![8 => Just(0i64), 1 => Just(30), 1 => Just(-1)],
    )
        .prop_map(|(a, quarter, secs)| {
            a.parse::<Timestamp>().unwrap()
                + SignedDuration::from_mins(15 * quarter)
                + SignedDuration::from_secs(secs)
        })
}

/// A generated change; `targets` index the graph's ids.
#[derive(Clone)]
pub struct GChange {
    pub json: Json,
}

impl GChange {
    pub fn change(&self) -> Change {
        Change::from_value(&self.json).unwrap()
    }
}

impl fmt::Debug for GChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.json)
    }
}

fn backup(ids: Vec<String>, start: Timestamp) -> impl Strategy<Value = Json> {
    let mut resources = ids;
    resources.push(s("ghost"));
    (
        select(resources),
        option::of(select(vec!["snapshot", "dump"])),
        prop_oneof![
            select(vec![0i64, -30, -60, -61, -6 * 60, -24 * 60, -48 * 60, 1]),
            -50 * 60i64..=120
        ],
        any::<bool>(),
        option::weighted(
            0.4,
            select(vec!["completed", "failed", "partial", "in_progress"]),
        ),
    )
        .prop_map(move |(res, kind, mins, verified, status)| {
            let mut b = json!({"resource": res,
                "taken_at": (start + SignedDuration::from_mins(mins)).to_string()});
            let o = b.as_object_mut().unwrap();
            if let Some(k) = kind {
                o.insert(s("kind"), json!(k));
            }
            if verified {
                o.insert(s("verified"), json!(true));
            }
            if let Some(st) = status {
                o.insert(s("status"), json!(st));
            }
            b
        })
}

/// A change on the graph with node `ids`, for a policy with `rules` rules.
/// With `short`, changes last two hours at most.
pub fn change(ids: Vec<String>, rules: usize, short: bool) -> impl Strategy<Value = GChange> {
    let n = ids.len();
    let minutes = if short {
        vec![15i64, 30, 45, 60, 120]
    } else {
        vec![15i64, 30, 60, 120, 210, 360, 25 * 60, 3 * 1440]
    };
    (
        vec(0..n, 1..=3),
        select(vec!["standard", "normal", "emergency"]),
        instant(),
        select(minutes),
        option::weighted(0.8, select(PEOPLE.to_vec())),
        vec((select(GROUPS.to_vec()), select(PEOPLE.to_vec())), 0..=5),
        vec(
            (
                0..rules + 4,
                select(vec!["cto", "vp", "cab"]),
                select(PEOPLE.to_vec()),
                select(vec!["", "  ", "sev-1 INC0042"]),
            ),
            0..=2,
        ),
        attributes(),
    )
        .prop_flat_map(
            move |(targets, ty, start, mins, by, approvals, overrides, attrs)| {
                let ids = ids.clone();
                let targets: Vec<String> = targets.iter().map(|&i| ids[i].clone()).collect();
                // Mostly backups of the targets, which requirements name most.
                let mut resources = targets.clone();
                resources.extend(targets.clone());
                resources.extend(ids.iter().cloned());
                let backups = vec(backup(resources, start), 0..=6);
                (backups, Just(())).prop_map(move |(backups, ())| {
                    let mut c = json!({
                        "id": "CHG1",
                        "type": ty,
                        "targets": targets,
                        "start": start.to_string(),
                        "end": (start + SignedDuration::from_mins(mins)).to_string(),
                        "approvals": approvals.iter().map(|(g, b)| json!({"group": g, "by": b}))
                            .collect::<Vec<_>>(),
                        "backups": backups,
                        "overrides": overrides.iter().map(|(r, g, b, why)| json!({
                            "rule": match r { 0 => s("w0"), 1 => s("s0"), r => format!("r{}", r - 2) },
                            "group": g, "by": b, "reason": why}))
                            .collect::<Vec<_>>(),
                        "attributes": attrs,
                    });
                    if let Some(b) = by {
                        c.as_object_mut()
                            .unwrap()
                            .insert(s("requested_by"), json!(b));
                    }
                    GChange { json: c }
                })
            },
        )
}

fn attributes() -> impl Strategy<Value = Json> {
    (
        option::of(select(vec!["database", "network"])),
        subsequence(vec!["schema", "hotfix"], 0..=2),
        option::of(select(vec!["high", "low"])),
        any::<bool>(),
        option::of(0..5i64),
        option::of(any::<bool>()),
        option::of(0..3i64),
    )
        .prop_map(|(category, tags, risk, plan, score, flag, level)| {
            let mut a = serde_json::Map::new();
            if let Some(c) = category {
                a.insert(s("category"), json!(c));
            }
            a.insert(s("tags"), json!(tags));
            if let Some(r) = risk {
                a.insert(s("risk"), json!(r));
            }
            if plan {
                a.insert(s("backout_plan"), json!("restore snapshot"));
            }
            if let Some(x) = score {
                a.insert(s("score"), json!(x));
            }
            if let Some(f) = flag {
                a.insert(s("flag"), json!(f));
            }
            if let Some(l) = level {
                a.insert(s("meta"), json!({"level": l}));
            }
            Json::Object(a)
        })
}

// ------------------------------------------ the shipped estate and library

/// Groups the shipped policy library (`policies/`) and estate use.
const ESTATE_GROUPS: [&str; 12] = [
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

const ESTATE_KINDS: [&str; 6] = [
    "snapshot",
    "pitr",
    "velero",
    "raft-snapshot",
    "state-version",
    "etcd-snapshot",
];

/// A change on the shipped estate (node `ids`), shaped as the shipped
/// library expects: its attributes, groups, backup kinds and overrides.
pub fn estate_change(ids: Vec<String>) -> impl Strategy<Value = GChange> {
    let anchors = vec![
        "2026-12-18T22:00:00Z", // the holiday freeze (New York) is near
        "2027-01-03T23:00:00Z",
        "2026-03-24T20:00:00Z", // quarter close
        "2026-06-13T19:00:00Z", // Saturday maintenance, Berlin and New York
        "2026-10-24T19:00:00Z", // Berlin falls back that night
        "2026-03-28T21:00:00Z", // Berlin springs forward that night
        "2026-11-01T03:00:00Z", // New York falls back
    ];
    let n = ids.len();
    (
        (
            vec(0..n, 1..=3),
            select(vec!["standard", "normal", "emergency"]),
            select(anchors),
            -96i64..=96,
            select(vec![30i64, 60, 120, 240, 360, 1440]),
            option::weighted(0.9, select(PEOPLE.to_vec())),
        ),
        (
            vec(
                (select(ESTATE_GROUPS.to_vec()), select(PEOPLE.to_vec())),
                0..=8,
            ),
            vec(
                (
                    select(vec![
                        "holiday_change_freeze",
                        "quarter_close_freeze",
                        "normal_change_cab",
                    ]),
                    select(vec!["cto", "vp-engineering", "cfo", "cab"]),
                    select(PEOPLE.to_vec()),
                    select(vec!["", "sev-1 INC0042"]),
                ),
                0..=2,
            ),
            (
                option::of(select(vec![
                    "database",
                    "application",
                    "network",
                    "security",
                ])),
                option::of(select(vec!["low", "medium", "high"])),
                subsequence(vec!["schema", "release"], 0..=2),
                (
                    any::<bool>(),
                    any::<bool>(),
                    any::<bool>(),
                    any::<bool>(),
                    any::<bool>(),
                ),
            ),
        ),
    )
        .prop_flat_map(
            move |((targets, ty, anchor, quarters, mins, by), (approvals, overrides, attrs))| {
                let targets: Vec<String> = targets.iter().map(|&i| ids[i].clone()).collect();
                let start =
                    anchor.parse::<Timestamp>().unwrap() + SignedDuration::from_mins(15 * quarters);
                let backups = vec(
                    (
                        select(targets.clone()),
                        select(ESTATE_KINDS.to_vec()),
                        select(vec![0i64, -30, -60, -6 * 60, -23 * 60, -25 * 60, -72 * 60]),
                        any::<bool>(),
                        option::weighted(0.2, select(vec!["failed", "partial"])),
                    ),
                    0..=6,
                );
                backups.prop_map(move |backups| {
                    let (category, risk, tags, (template, backout, test, incident, pir)) =
                        attrs.clone();
                    let mut a = serde_json::Map::new();
                    a.insert(s("tags"), json!(tags));
                    let mut put = |k: &str, v: Option<Json>| {
                        if let Some(v) = v {
                            a.insert(s(k), v);
                        }
                    };
                    put("category", category.map(|c| json!(c)));
                    put("risk", risk.map(|r| json!(r)));
                    put("template", template.then(|| json!("std-cert-rotation")));
                    put("backout_plan", backout.then(|| json!("roll back")));
                    put("test_plan", test.then(|| json!("smoke tests")));
                    put("incident", incident.then(|| json!("INC0042")));
                    put("pir_owner", pir.then(|| json!("erin")));
                    let mut c = json!({
                        "id": "CHG2",
                        "type": ty,
                        "targets": targets,
                        "start": start.to_string(),
                        "end": (start + SignedDuration::from_mins(mins)).to_string(),
                        "approvals": approvals.iter().map(|(g, b)| json!({"group": g, "by": b}))
                            .collect::<Vec<_>>(),
                        "backups": backups.iter().map(|(r, k, m, v, st)| {
                            let mut b = json!({"resource": r, "kind": k, "verified": v,
                                "taken_at": (start + SignedDuration::from_mins(*m)).to_string()});
                            if let Some(st) = st {
                                b.as_object_mut().unwrap().insert(s("status"), json!(st));
                            }
                            b
                        }).collect::<Vec<_>>(),
                        "overrides": overrides.iter().map(|(r, g, b, why)|
                            json!({"rule": r, "group": g, "by": b, "reason": why}))
                            .collect::<Vec<_>>(),
                        "attributes": Json::Object(a),
                    });
                    if let Some(b) = by {
                        c.as_object_mut()
                            .unwrap()
                            .insert(s("requested_by"), json!(b));
                    }
                    GChange { json: c }
                })
            },
        )
}
