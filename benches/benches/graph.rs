//! Building the graph from its JSON text at N = 1k, 10k and 100k, and
//! impact alone over the 100k estate: the layer-4 node with the largest
//! blast radius, and all 20,000 layer-4 nodes at once (the whole estate).
//! Peak memory is measured apart, by `examples/graph_memory.rs`.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

use changegate::Graph;
use changegate::graph::NodeIdx;
use changegate_benches::{estate_json, largest_impact_target, layer4};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};

fn idx(graph: &Graph, i: usize) -> NodeIdx {
    graph.index_of(&format!("n{i}")).expect("the node exists")
}

fn graph(c: &mut Criterion) {
    let mut group = c.benchmark_group("graph");
    for n in changegate_benches::report::SIZES {
        let json = estate_json(n);
        if n >= 100_000 {
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        }
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("load_json", n), &json, |b, json| {
            b.iter(|| Graph::from_json(json).expect("the estate loads"));
        });
    }
    group.sampling_mode(SamplingMode::Auto).sample_size(100);

    let n = 100_000;
    let graph = Graph::from_json(&estate_json(n)).expect("the estate loads");
    let (t, size) = largest_impact_target(n);
    let targets = [idx(&graph, t)];
    assert_eq!(graph.impact(&targets).len(), size);
    group.throughput(Throughput::Elements(size as u64));
    group.bench_with_input(
        BenchmarkId::new("impact_largest_layer4", n),
        &targets,
        |b, targets| {
            // The walk and the order by depth and id a report shows.
            b.iter(|| graph.impact(targets).nodes().len());
        },
    );
    let all: Vec<NodeIdx> = layer4(n).map(|i| idx(&graph, i)).collect();
    assert_eq!(graph.impact(&all).len(), n);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_with_input(BenchmarkId::new("impact_all_layer4", n), &all, |b, all| {
        b.iter(|| graph.impact(all).nodes().len());
    });
    group.finish();
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    graph(&mut c);
    c.final_summary();
}
