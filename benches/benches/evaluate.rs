//! Per-decision latency on the shared scenario: policy and graph compiled
//! once, for a deep target (large blast radius), a leaf (tiny one), the
//! average over 100 layer-4 targets spaced evenly, and end to end from
//! change JSON to decision JSON.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

use changegate::{Change, Graph, Policy};
use changegate_benches::{
    POLICY, change_json, deep_target, estate_json, leaf_target, spread_targets,
};
use criterion::{BenchmarkId, Criterion};

fn evaluate(c: &mut Criterion) {
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("the bench policy compiles");
    let mut group = c.benchmark_group("evaluate");
    for n in changegate_benches::report::SIZES {
        let graph = Graph::from_json(&estate_json(n)).expect("the estate loads");
        for (label, t) in [("deep", deep_target(n)), ("leaf", leaf_target(n))] {
            let change = Change::from_json(&change_json(t)).expect("the change loads");
            group.bench_with_input(BenchmarkId::new(label, n), &change, |b, change| {
                b.iter(|| policy.evaluate(change, &graph).expect("evaluates"));
            });
        }
        // One decision per iteration, cycling through the 100 targets: the
        // median is the typical decision over the layer.
        let changes: Vec<Change> = spread_targets(n, 100)
            .into_iter()
            .map(|t| Change::from_json(&change_json(t)).expect("the change loads"))
            .collect();
        group.bench_with_input(BenchmarkId::new("spread100", n), &changes, |b, changes| {
            let mut it = changes.iter().cycle();
            b.iter(|| {
                let change = it.next().expect("a cycle never ends");
                policy.evaluate(change, &graph).expect("evaluates")
            });
        });
        let json = change_json(deep_target(n));
        group.bench_with_input(
            BenchmarkId::new("deep_json_to_json", n),
            &json,
            |b, json| {
                b.iter(|| policy.evaluate_json(json, &graph).expect("evaluates"));
            },
        );
    }
    group.finish();
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    evaluate(&mut c);
    c.final_summary();
}
