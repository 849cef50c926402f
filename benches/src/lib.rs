//! The benchmark scenario (benches/README.md): a
//! deterministic generated estate, one change and the 8-rule policy, written
//! in changegate's language; plus the hand-written baseline, the generated
//! policy sets and window calendar, the generated ServiceNow CMDB and
//! Backstage catalog of the import bench, and the report over criterion's
//! results.

use std::fmt::Write as _;

pub mod baseline;
pub mod catalog;
pub mod check;
pub mod generate;
pub mod records;
pub mod report;

/// The 8-rule policy of the scenario.
pub const POLICY: &str = r#"
window holiday_freeze = between 2026-12-20T00:00Z and 2027-01-04T00:00Z

rule r1_cab {
  when any(impacted, node.tier == 0)
  require approval "cab" count 2
}
rule r2_dba {
  when change.category == "database"
  require approval "dba"
}
rule r3_schema_backup {
  when "schema" in change.tags
  require backup of targets kind "snapshot" within 24h
}
rule r4_sre_lead {
  when count(impacted) > 100
  require approval "sre-lead"
}
rule r5_freeze {
  unless change.type == "emergency"
  deny during holiday_freeze
}
rule r6_security {
  when any(impacted, "pii" in node.tags)
  require approval "security"
}
rule r7_incident_commander {
  when change.type == "emergency"
  require approval "incident-commander"
}
rule r8_backout {
  require change.backout_plan != null and change.backout_plan != "" else "a backout plan is required"
}
"#;

/// The layer (and tier) of node `i` in an estate of `n` nodes.
pub fn layer(i: usize, n: usize) -> usize {
    i * 5 / n
}

/// The first node of layer `l` (layer 5 is one past the end).
fn layer_start(l: usize, n: usize) -> usize {
    (l * n).div_ceil(5)
}

/// For each node, the nodes it depends on: 3 distinct nodes of the next
/// layer drawn from the scenario's LCG (seed 42), in node order.
pub fn dependencies(n: usize) -> Vec<Vec<usize>> {
    let mut s: u64 = 42;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let l = layer(i, n);
        let mut deps: Vec<usize> = Vec::with_capacity(3);
        if l < 4 {
            let lo = layer_start(l + 1, n);
            let size = layer_start(l + 2, n) - lo;
            while deps.len() < 3.min(size) {
                s = s
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let v = lo + ((s >> 33) as usize) % size;
                if !deps.contains(&v) {
                    deps.push(v);
                }
            }
        }
        out.push(deps);
    }
    out
}

/// The estate of `n` nodes as graph JSON.
pub fn estate_json(n: usize) -> String {
    let deps = dependencies(n);
    let mut s = String::with_capacity(n * 120);
    s.push_str("{\"nodes\":[");
    for (i, d) in deps.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        let l = layer(i, n);
        let kind = if l == 4 { "database" } else { "service" };
        let mut tags = Vec::new();
        if l == 0 {
            tags.push("\"customer-facing\"");
        }
        if i % 7 == 0 {
            tags.push("\"pii\"");
        }
        let deps: Vec<String> = d.iter().map(|j| format!("\"n{j}\"")).collect();
        let _ = write!(
            s,
            "{{\"id\":\"n{i}\",\"kind\":\"{kind}\",\"tier\":{l},\"owner\":\"team-{}\",\"tags\":[{}],\"depends_on\":[{}]}}",
            i % 50,
            tags.join(","),
            deps.join(",")
        );
    }
    s.push_str("]}");
    s
}

/// For each node, the nodes that depend on it (the reverse of [`dependencies`]).
pub fn reverse(deps: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut rdeps = vec![Vec::new(); deps.len()];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            if let Some(r) = rdeps.get_mut(j) {
                r.push(i);
            }
        }
    }
    rdeps
}

/// The size of the blast radius of node `t` given the reverse edges, with
/// `seen` as scratch (cleared on return).
fn impact_size_in(rdeps: &[Vec<usize>], t: usize, seen: &mut [bool]) -> usize {
    let mut stack = vec![t];
    let mut all = vec![t];
    if let Some(s) = seen.get_mut(t) {
        *s = true;
    }
    while let Some(u) = stack.pop() {
        for &v in rdeps.get(u).map_or(&[][..], Vec::as_slice) {
            if let Some(s) = seen.get_mut(v).filter(|s| !**s) {
                *s = true;
                stack.push(v);
                all.push(v);
            }
        }
    }
    for &u in &all {
        if let Some(s) = seen.get_mut(u) {
            *s = false;
        }
    }
    all.len()
}

/// The layer-4 node with the largest blast radius, and that radius.
pub fn largest_impact_target(n: usize) -> (usize, usize) {
    let rdeps = reverse(&dependencies(n));
    let mut seen = vec![false; n];
    (layer_start(4, n)..n)
        .map(|t| (t, impact_size_in(&rdeps, t, &mut seen)))
        .fold((n - 1, 0), |best, c| if c.1 > best.1 { c } else { best })
}

/// Every node of layer 4 (the deepest layer, which nothing below depends on):
/// as targets together, their blast radius is the whole estate.
pub fn layer4(n: usize) -> std::ops::Range<usize> {
    layer_start(4, n)..n
}

/// `k` layer-4 targets spaced evenly over the layer (the scenario's
/// "average over 100 layer-4 targets").
pub fn spread_targets(n: usize, k: usize) -> Vec<usize> {
    let lo = layer_start(4, n);
    let size = n - lo;
    (0..k).map(|j| lo + j * size / k).collect()
}

/// The size of the blast radius of node `t`: `t` and everything that
/// transitively depends on it.
pub fn impact_size(deps: &[Vec<usize>], t: usize) -> usize {
    impact_size_in(&reverse(deps), t, &mut vec![false; deps.len()])
}

/// The scenario's fixed target: the first layer-4 node whose impact exceeds 100 nodes.
pub fn deep_target(n: usize) -> usize {
    let deps = dependencies(n);
    (layer_start(4, n)..n)
        .find(|&t| impact_size(&deps, t) > 100)
        .unwrap_or(n - 1)
}

/// A leaf target: a layer-0 node (nothing depends on it).
pub fn leaf_target(_n: usize) -> usize {
    0
}

/// The scenario's change for target `n{t}` as change JSON.
pub fn change_json(t: usize) -> String {
    format!(
        r#"{{"id":"CHG-BENCH","type":"normal","targets":["n{t}"],
"start":"2026-12-22T14:00:00Z","end":"2026-12-22T15:00:00Z","requested_by":"carol",
"approvals":[{{"group":"cab","by":"bob"}},{{"group":"dba","by":"alice"}}],
"backups":[{{"resource":"n{t}","kind":"snapshot","taken_at":"2026-12-22T10:00:00Z"}}],
"attributes":{{"category":"database","tags":["schema"],"backout_plan":"restore snapshot"}}}}"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixed_targets_match_the_scenario() {
        assert_eq!(deep_target(1_000), 801);
        assert_eq!(deep_target(10_000), 8_002);
    }

    #[test]
    fn the_decision_is_the_scenarios() {
        let policy = changegate::Policy::from_sources([("bench.gate", POLICY)]).unwrap();
        let graph = changegate::Graph::from_json(&estate_json(1_000)).unwrap();
        let d: serde_json::Value =
            serde_json::from_str(&policy.evaluate_json(&change_json(801), &graph).unwrap())
                .unwrap();
        assert_eq!(d["outcome"], "denied");
        let unmet: Vec<&str> = d["approvals"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["satisfied"] == false)
            .map(|a| a["group"].as_str().unwrap())
            .collect();
        assert_eq!(unmet, ["cab", "security", "sre-lead"]);
        assert_eq!(d["backups"][0]["satisfied"], true);
    }
}
