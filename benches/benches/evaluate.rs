//! Per-decision latency on the shared scenario: policy and graph compiled
//! once, for a deep target (large blast radius) and a leaf (tiny one).

use changegate::{Change, Graph, Policy};
use changegate_benches::{POLICY, change_json, deep_target, estate_json, leaf_target};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn evaluate(c: &mut Criterion) {
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("the bench policy compiles");
    let mut group = c.benchmark_group("evaluate");
    for n in [1_000usize, 10_000, 100_000] {
        let graph = Graph::from_json(&estate_json(n)).expect("the estate loads");
        for (label, t) in [("deep", deep_target(n)), ("leaf", leaf_target(n))] {
            let change = Change::from_json(&change_json(t)).expect("the change loads");
            group.bench_with_input(BenchmarkId::new(label, n), &change, |b, change| {
                b.iter(|| policy.evaluate(change, &graph).expect("evaluates"));
            });
        }
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

criterion_group!(benches, evaluate);
criterion_main!(benches);
