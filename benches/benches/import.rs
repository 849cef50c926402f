//! The adapters' imports at scale: a ServiceNow CMDB export of 100,000 CIs
//! and 300,000 relationships (`src/records.rs`), and a Backstage catalog of
//! 10,000 entities as YAML descriptor files and as the catalog API's JSON
//! (`src/catalog.rs`). Each import is set against loading the graph it
//! made from changegate's own graph JSON (`api::load_graph` on the
//! serialised `GraphDocument`), timed in the same run: the ratio is the
//! figure to compare across machines. Before anything is timed, each
//! import is checked (`src/check.rs`): the generator's graph, one node per
//! CI or entity and one edge per relationship.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]
#![expect(clippy::print_stdout, reason = "the bench prints its ratio table")]

use changegate::import::{self, Adapter, Inputs};
use changegate::{Limits, api};
use changegate_benches::catalog::{self, Catalog};
use changegate_benches::check::{Checked, import_and_check};
use changegate_benches::records;
use changegate_benches::report::{Figures, import_table, write_results};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use serde_json::Value as Json;

/// ServiceNow CMDB: CIs.
const CMDB_CIS: usize = 100_000;
/// ServiceNow CMDB: relationships.
const CMDB_RELS: usize = 300_000;
/// Backstage entities.
const ENTITIES: usize = 10_000;

/// Times `adapter` on `inputs` as `import/<id>/<n>` and the load of the
/// graph JSON it made as `import/<id>_graph_json/<n>`.
fn pair(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    adapter: Adapter,
    inputs: &Inputs,
    checked: &Checked,
) {
    let limits = Limits::default();
    let n = checked.nodes;
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new(id, n), |b| {
        b.iter(|| import::import(adapter, inputs, &Json::Null, &limits).expect("imports"));
    });
    group.bench_function(BenchmarkId::new(format!("{id}_graph_json"), n), |b| {
        b.iter(|| api::load_graph(&checked.graph_json, &limits).expect("loads"));
    });
}

fn imports(c: &mut Criterion) {
    let mut sizes: Vec<(&str, f64)> = Vec::new();
    let mut group = c.benchmark_group("import");
    // Each import takes seconds: ten samples of one run each.
    group.sampling_mode(SamplingMode::Flat).sample_size(10);

    let cmdb = records::cmdb(CMDB_CIS, CMDB_RELS);
    assert_eq!((cmdb.ci_count, cmdb.edge_count), (CMDB_CIS, CMDB_RELS));
    let inputs = cmdb.inputs();
    let checked = import_and_check(
        Adapter::ServicenowCmdb,
        &inputs,
        &cmdb.expected,
        CMDB_CIS,
        CMDB_RELS,
    )
    .expect("the CMDB import makes the generated graph");
    println!(
        "servicenow-cmdb: {} CIs and {} relationships, {:.1} MB in {} + {} pages \
         (sysparm_display_value=all); graph JSON {:.1} MB, {} nodes, {} edges",
        cmdb.ci_count,
        cmdb.edge_count,
        cmdb.bytes() as f64 / 1e6,
        cmdb.cis.len(),
        cmdb.relationships.len(),
        checked.graph_json.len() as f64 / 1e6,
        checked.nodes,
        checked.edges
    );
    sizes.extend([
        ("cmdb_mb", cmdb.bytes() as f64 / 1e6),
        ("cmdb_graph_json_mb", checked.graph_json.len() as f64 / 1e6),
        ("cmdb_edges", checked.edges as f64),
    ]);
    drop(cmdb);
    pair(
        &mut group,
        "servicenow_cmdb",
        Adapter::ServicenowCmdb,
        &inputs,
        &checked,
    );
    drop((inputs, checked));

    let cat = catalog::catalog(ENTITIES);
    for (id, files) in [("backstage_yaml", &cat.yaml), ("backstage_json", &cat.json)] {
        let inputs = Catalog::inputs(files);
        let checked = import_and_check(
            Adapter::Backstage,
            &inputs,
            &cat.expected,
            cat.entity_count,
            cat.edge_count,
        )
        .expect("the catalog import makes the generated graph");
        println!(
            "{id}: {} entities, {:.1} MB in {} files; graph JSON {:.1} MB, {} nodes, {} edges",
            cat.entity_count,
            Catalog::bytes(files) as f64 / 1e6,
            files.len(),
            checked.graph_json.len() as f64 / 1e6,
            checked.nodes,
            checked.edges
        );
        sizes.push((
            if id == "backstage_yaml" {
                "backstage_yaml_mb"
            } else {
                "backstage_json_mb"
            },
            Catalog::bytes(files) as f64 / 1e6,
        ));
        sizes.push(("backstage_edges", checked.edges as f64));
        pair(&mut group, id, Adapter::Backstage, &inputs, &checked);
    }
    group.finish();
    write_results("import", &sizes).expect("writes the import sizes");
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    imports(&mut c);
    c.final_summary();
    println!(
        "\nMedian per import, and as a multiple of loading the same graph from changegate's JSON:\n"
    );
    println!("{}", import_table(&Figures::load()));
}
