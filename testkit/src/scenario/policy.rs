//! Proptest strategies for policies: random but valid source text from a
//! small grammar (rules with `when`/`unless` over change fields and set
//! functions, sets with walks, depths and filters, `let`s, approvals,
//! owners, backups, preconditions, `deny during`/`outside` over `between`
//! and cron windows in several zones, `deny "MSG"`, `override by`), and
//! whole scenarios with a graph and a change (`inputs`).

use std::fmt;

use jiff::SignedDuration;
use jiff::civil::DateTime;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::Union;

use super::inputs::{GChange, GGraph, GROUPS, change, graph, s};

/// Whether to leave out the constructs the fast evaluator is known to get
/// wrong, so that the properties keep looking for new disagreements while a
/// fix is pending (the bug itself stays as an ignored test in `regress`).
/// `false`: both bugs found so far (`max` of unordered values, an owner gap
/// merged into a met condition) are fixed.
pub const AVOID_KNOWN_FAST_BUGS: bool = false;

// -------------------------------------------------------------- policies

/// A generated policy: windows `w0…`, sets `s0…` (each may use earlier
/// ones), rules `r0…`.
#[derive(Clone)]
pub struct GPolicy {
    pub windows: Vec<String>,
    pub lets: Vec<String>,
    pub rules: Vec<GRule>,
}

/// A generated rule.
#[derive(Clone)]
pub struct GRule {
    pub name: usize,
    when: Vec<String>,
    unless: Vec<String>,
    pub effects: Vec<GEffect>,
    because: Option<&'static str>,
    override_by: Vec<&'static str>,
}

/// A generated effect; window lists index `GPolicy::windows`.
#[derive(Clone, Debug)]
pub enum GEffect {
    Text(String),
    During(Vec<usize>),
    Outside(Vec<usize>),
}

fn window_list(ws: &[usize]) -> String {
    let names: Vec<String> = ws.iter().map(|w| format!("w{w}")).collect();
    names.join(", ")
}

impl GRule {
    fn text(&self) -> String {
        let mut out = format!("rule r{} {{\n", self.name);
        for w in &self.when {
            out.push_str(&format!("  when {w}\n"));
        }
        for u in &self.unless {
            out.push_str(&format!("  unless {u}\n"));
        }
        for e in &self.effects {
            let line = match e {
                GEffect::Text(t) => t.clone(),
                GEffect::During(ws) => format!("deny during {}", window_list(ws)),
                GEffect::Outside(ws) => format!("deny outside {}", window_list(ws)),
            };
            out.push_str(&format!("  {line}\n"));
        }
        if let Some(b) = self.because {
            out.push_str(&format!("  because \"{b}\"\n"));
        }
        if !self.override_by.is_empty() {
            let gs: Vec<String> = self
                .override_by
                .iter()
                .map(|g| format!("\"{g}\""))
                .collect();
            out.push_str(&format!("  override by {}\n", gs.join(", ")));
        }
        out.push_str("}\n");
        out
    }
}

impl GPolicy {
    /// Every item's text, windows first, then sets, then rules.
    pub fn items(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .windows
            .iter()
            .enumerate()
            .map(|(i, w)| format!("window w{i} = {w}\n"))
            .collect();
        out.extend(
            self.lets
                .iter()
                .enumerate()
                .map(|(i, l)| format!("let s{i} = {l}\n")),
        );
        out.extend(self.rules.iter().map(GRule::text));
        out
    }

    /// The items spread over `files` files (item `i` into file `i % files`).
    pub fn sources(&self, files: usize) -> Vec<(String, String)> {
        spread(&self.items(), files)
    }
}

/// Items spread round-robin over `files` files named `p0.gate`, ….
pub fn spread(items: &[String], files: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = (0..files.max(1))
        .map(|f| (format!("p{f}.gate"), String::new()))
        .collect();
    let n = out.len();
    for (i, item) in items.iter().enumerate() {
        out[i % n].1.push_str(item);
        out[i % n].1.push('\n');
    }
    out
}

impl fmt::Debug for GRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl fmt::Debug for GPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\n{}", self.items().concat())
    }
}

const PATTERNS: [(&str, &str); 33] = [
    ("0 0 29 2 *", "1d"),
    ("0 8 1-15/7 * *", "2h"),
    ("*/20 22-23 * * *", "30m"),
    ("0 6 L * *", "2h"),
    ("0 6 LW * *", "1h"),
    ("0 6 15W * *", "3h"),
    ("0 6 1W * *", "1h"),
    ("0 6 31W * *", "1h"),
    ("0 18 * * 5L", "4h"),
    ("0 9 * * MON#2", "2h"),
    ("0 9 * * 5#5", "1h"),
    ("0 6 L * MON", "2h"),
    ("0 0 * * 0", "12h"),
    ("0 22 * * SAT", "6h"),
    ("30 2 * * *", "1h"),
    ("0 0 25 3,6,9,12 *", "7d"),
    ("0 9-17 * * MON-FRI", "1h"),
    ("*/30 1-3 * * *", "45m"),
    ("0 0 13 * FRI", "2h"),
    ("45 1 * * SUN", "3h"),
    ("0 1 * * *", "2h"),
    ("15 0 * * 7", "25h"),
    ("0 0 1 * *", "2d"),
    ("0 */6 * * *", "90m"),
    ("0 2 * * *", "30m"),
    ("30 1 * * *", "1h"),
    ("0 0 * * 1-5", "8h"),
    ("0 12 1-7 * MON", "4h"),
    ("0 3 */2 * *", "1h"),
    ("0 22 */2 * SAT", "6h"),
    ("@daily", "2h"),
    ("0 4 * JAN,JUL *", "1d"),
    ("0 20 * * 5-7", "10h"),
];

const ZONES: [&str; 4] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
];

fn zone() -> impl Strategy<Value = String> {
    option::weighted(0.8, select(ZONES.to_vec()))
        .prop_map(|z| z.map_or_else(String::new, |z| format!(" in \"{z}\"")))
}

fn window() -> impl Strategy<Value = String> {
    let cron = (select(PATTERNS.to_vec()), zone())
        .prop_map(|((p, d), z)| format!("cron \"{p}\" for {d}{z}"));
    let civil = select(vec![
        "2026-03-08T01:30",
        "2026-03-08T02:30",
        "2026-11-01T01:30",
        "2026-03-29T02:30",
        "2026-10-25T02:30",
        "2026-12-20T00:00",
        "2026-06-13T00:00",
    ]);
    let between = (
        civil,
        -48i64..=48,
        select(vec![2i64, 3, 6, 24, 72, 360]),
        select(vec!["", "Z", "+02:00", "-05:00"]),
        zone(),
    )
        .prop_map(|(a, shift, len, off, z)| {
            let a: DateTime = a.parse().unwrap();
            let a = a + SignedDuration::from_hours(shift);
            let b = a + SignedDuration::from_hours(len);
            format!("between {a}{off} and {b}{off}{z}")
        });
    prop_oneof![3 => cron, 2 => between]
}

fn leaf(list: &[&str]) -> BoxedStrategy<String> {
    select(list.iter().map(|x| s(x)).collect::<Vec<_>>()).boxed()
}

const CHANGE_LEAVES: [&str; 24] = [
    "change.start >= 2026-06-01T00:00+02:00",
    "change.end < 2026-11-01T01:30:00-04:00",
    "change.targets == [\"api\"]",
    "change.duration == 45m",
    "change.type == \"emergency\"",
    "change.type != \"standard\"",
    "change.category == \"database\"",
    "\"schema\" in change.tags",
    "\"hotfix\" not in change.tags",
    "change.risk != \"low\"",
    "change.risk == null",
    "change.backout_plan != null",
    "change.duration > 2h",
    "change.duration <= 6h",
    "change.start >= 2026-06-01T00:00",
    "change.end < 2026-11-01T06:00Z",
    "change.score >= 3",
    "change.flag",
    "not change.flag",
    "change.requested_by == \"alice\"",
    "\"api\" in change.targets",
    "change.meta.level >= 1",
    "change.id == \"CHG1\"",
    "true",
];

const NODE_LEAVES: [&str; 21] = [
    "node.owner in [change.requested_by, \"team-a\"]",
    "change.requested_by in [node.owner, node.id]",
    "node.tags == []",
    "node.tier <= 1",
    "node.tier == 0",
    "node.tier == null",
    "node.tier > 1",
    "node.kind == \"database\"",
    "node.kind != \"service\"",
    "\"pii\" in node.tags",
    "\"customer-facing\" not in node.tags",
    "node.owner == \"team-a\"",
    "node.owner != null",
    "node.depth >= 1",
    "node.depth == 0",
    "node.depth == null",
    "node.region == \"eu\"",
    "node.sla >= 99",
    "node.meta.zone == \"us\"",
    "node.id in [\"api\", \"db\", \"n2\"]",
    "node.id == change.requested_by",
];

/// A node set expression; `nlet` earlier sets may be named.
pub fn set(nlet: usize, depth: u32) -> BoxedStrategy<String> {
    let mut leaves = vec![Just(s("targets")).boxed(), Just(s("impacted")).boxed()];
    if nlet > 0 {
        leaves.push((0..nlet).prop_map(|i| format!("s{i}")).boxed());
    }
    let leaf = Union::new(leaves).boxed();
    if depth == 0 {
        return leaf;
    }
    let walk = (set(nlet, depth - 1), any::<bool>(), option::of(1..=3u32)).prop_map(
        |(s, dependents, d)| {
            let f = if dependents {
                "dependents"
            } else {
                "dependencies"
            };
            match d {
                Some(d) => format!("{f}({s}, depth {d})"),
                None => format!("{f}({s})"),
            }
        },
    );
    let filter = (set(nlet, depth - 1), node_cond(nlet, depth - 1))
        .prop_map(|(s, e)| format!("({s}) where {e}"));
    prop_oneof![3 => leaf, 2 => walk, 2 => filter].boxed()
}

/// A set function call that is a condition.
fn call(nlet: usize, depth: u32) -> BoxedStrategy<String> {
    (
        set(nlet, depth),
        node_cond(nlet, depth.saturating_sub(1)),
        0..8usize,
        0..3i64,
    )
        .prop_map(|(set, e, f, n)| match f {
            0 | 1 => format!("any({set}, {e})"),
            2 => format!("all({set}, {e})"),
            3 => format!("count({set}) > {n}"),
            4 => format!("max({set}, node.tier) <= {n}"),
            5 => format!("min({set}, node.depth) == {n}"),
            6 => format!("max({set}, node.sla) > 50"),
            _ if AVOID_KNOWN_FAST_BUGS => format!("min({set}, node.tier) == null"),
            _ => format!("max({set}, node.kind) == null"),
        })
        .boxed()
}

fn combine(inner: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop_oneof![
        (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} and {b})")),
        (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} or {b})")),
        inner.prop_map(|a| format!("not ({a})")),
    ]
    .boxed()
}

/// A condition with `node` bound.
fn node_cond(nlet: usize, depth: u32) -> BoxedStrategy<String> {
    let leaves = prop_oneof![3 => leaf(&NODE_LEAVES), 1 => leaf(&CHANGE_LEAVES)].boxed();
    if depth == 0 {
        return leaves;
    }
    let inner = node_cond(nlet, depth - 1);
    prop_oneof![4 => leaves, 1 => call(nlet, depth - 1), 2 => combine(inner)].boxed()
}

/// A condition without `node`.
pub fn cond(nlet: usize, depth: u32) -> BoxedStrategy<String> {
    let leaves = leaf(&CHANGE_LEAVES);
    if depth == 0 {
        return prop_oneof![2 => leaves, 1 => call(nlet, 0)].boxed();
    }
    let inner = cond(nlet, depth - 1);
    prop_oneof![3 => leaves, 2 => call(nlet, depth), 2 => combine(inner)].boxed()
}

/// One or two windows. With `side`, `Some(0)` takes even-numbered windows
/// (freezes) and `Some(1)` odd-numbered ones (maintenance), so that window
/// rules are less often contradictory and `next_allowed_start` exists.
fn windows_of(nwin: usize, side: Option<usize>) -> impl Strategy<Value = Vec<usize>> {
    let mut pool: Vec<usize> = (0..nwin)
        .filter(|w| side.is_none_or(|s| w % 2 == s))
        .collect();
    if pool.is_empty() {
        pool = (0..nwin).collect();
    }
    let most = pool.len().min(2);
    subsequence(pool, 1..=most).prop_shuffle()
}

fn effect(nwin: usize, nlet: usize, windowy: bool) -> BoxedStrategy<GEffect> {
    let approval = (select(GROUPS.to_vec()), option::of(1..=3u32)).prop_map(|(g, n)| match n {
        Some(n) => format!("require approval \"{g}\" count {n}"),
        None => format!("require approval \"{g}\""),
    });
    let owner = set(nlet, 1).prop_map(|s| format!("require approval owner of {s}"));
    let backup = (
        any::<bool>(),
        set(nlet, 1),
        option::of(select(vec!["snapshot", "dump"])),
        select(vec![
            "1h", "6h", "24h", "2d", "90m", "1w", "2h30m", "36h", "48h", "1d",
        ]),
    )
        .prop_map(|(v, s, k, w)| {
            let v = if v { "verified " } else { "" };
            let k = k.map_or_else(String::new, |k| format!(" kind \"{k}\""));
            format!("require {v}backup of {s}{k} within {w}")
        });
    let mut messages = vec!["a backout plan is required", "risk must be assessed"];
    if !AVOID_KNOWN_FAST_BUGS {
        // The same message as the condition `require approval owner of`
        // adds for a node without an owner.
        messages.push("`api` has no owner to approve the change");
    }
    let condition =
        (cond(nlet, 1), select(messages)).prop_map(|(e, m)| format!("require {e} else \"{m}\""));
    let deny = select(vec!["change freeze", "no"]).prop_map(|m| format!("deny \"{m}\""));
    let (w, other) = if windowy { (6, 1) } else { (2, 2) };
    let (freeze, maintenance) = if windowy {
        (Some(0), Some(1))
    } else {
        (None, None)
    };
    prop_oneof![
        other => approval.prop_map(GEffect::Text),
        other => owner.prop_map(GEffect::Text),
        other => backup.prop_map(GEffect::Text),
        other => condition.prop_map(GEffect::Text),
        1 => deny.prop_map(GEffect::Text),
        w => windows_of(nwin, freeze).prop_map(GEffect::During),
        w => windows_of(nwin, maintenance).prop_map(GEffect::Outside),
    ]
    .boxed()
}

fn rule(nwin: usize, nlet: usize, windowy: bool) -> impl Strategy<Value = GRule> {
    (
        vec(cond(nlet, 2), 0..=2),
        vec(cond(nlet, 1), 0..=1),
        vec(effect(nwin, nlet, windowy), 1..=3),
        option::of(select(vec![
            "tier-0 systems are in the blast radius",
            "policy",
        ])),
        subsequence(vec!["cto", "vp", "cab"], 0..=2),
    )
        .prop_map(|(when, unless, effects, because, override_by)| GRule {
            name: 0,
            when,
            unless,
            effects,
            because,
            override_by,
        })
}

/// A policy; `windowy` weights the effects towards window rules.
pub fn policy(windowy: bool) -> impl Strategy<Value = GPolicy> {
    (1..=4usize, 0..=3usize, 1..=6usize).prop_flat_map(move |(nwin, nlet, nrules)| {
        let windows = vec(window(), nwin);
        let lets: Vec<BoxedStrategy<String>> = (0..nlet).map(|i| set(i, 2)).collect();
        let rules = vec(rule(nwin, nlet, windowy), nrules);
        (windows, lets, rules).prop_map(|(windows, lets, mut rules)| {
            for (i, r) in rules.iter_mut().enumerate() {
                r.name = i;
            }
            GPolicy {
                windows,
                lets,
                rules,
            }
        })
    })
}

/// A policy, a graph and a change, with the policy spread over `files` files.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub policy: GPolicy,
    pub graph: GGraph,
    pub change: GChange,
    pub files: usize,
}

pub fn scenario(windowy: bool) -> impl Strategy<Value = Scenario> {
    (policy(windowy), graph(8), 1..=3usize).prop_flat_map(move |(policy, graph, files)| {
        let change = change(graph.ids.clone(), policy.rules.len(), windowy);
        (Just(policy), Just(graph), change, Just(files)).prop_map(
            |(policy, graph, change, files)| Scenario {
                policy,
                graph,
                change,
                files,
            },
        )
    })
}
