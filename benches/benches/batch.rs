//! Throughput of a batch (`api::evaluate_many`): 1,000 changes, each to
//! one of 1,000 layer-4 targets spaced evenly, at N = 10,000, given as
//! change JSON (what the bindings pass), decided on 1 and 2 threads.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

use changegate::api::{self, ChangeInput};
use changegate::{Graph, Policy};
use changegate_benches::{POLICY, change_json, estate_json, spread_targets};
use criterion::{BenchmarkId, Criterion, Throughput};

const N: usize = 10_000;
const CHANGES: usize = 1_000;

fn batch(c: &mut Criterion) {
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("the bench policy compiles");
    let graph = Graph::from_json(&estate_json(N)).expect("the estate loads");
    let texts: Vec<String> = spread_targets(N, CHANGES)
        .into_iter()
        .map(change_json)
        .collect();
    let changes: Vec<ChangeInput<'_>> = texts.iter().map(|t| ChangeInput::Text(t)).collect();
    // Every change decides (the scenario's expected decision), so the bench
    // times decisions, not errors.
    let first = api::evaluate_many(&policy, &changes, &graph, 1);
    assert!(first.iter().all(Result::is_ok), "every change decides");
    let mut group = c.benchmark_group("batch");
    group.throughput(Throughput::Elements(CHANGES as u64));
    for threads in [1, 2] {
        group.bench_with_input(
            BenchmarkId::new("evaluate_many_1000", threads),
            &threads,
            |b, &threads| b.iter(|| api::evaluate_many(&policy, &changes, &graph, threads)),
        );
    }
    group.finish();
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    batch(&mut c);
    c.final_summary();
}
