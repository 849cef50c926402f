//! The import bench's inputs at a small size: the adapters make the graph
//! the generators meant, the same graph as changegate's JSON of it loads
//! as, with one node per CI or entity and one edge per relationship. The
//! bench runs the same check at full size before it times anything.

use changegate::import::Adapter;
use changegate_benches::catalog::{self, Catalog};
use changegate_benches::check::import_and_check;
use changegate_benches::records;

#[test]
fn the_cmdb_import_is_the_generated_graph() {
    let cmdb = records::cmdb(3_000, 9_000);
    assert_eq!((cmdb.ci_count, cmdb.edge_count), (3_000, 9_000));
    // 10,000 records a page: one page of CIs, one of relationships.
    assert_eq!((cmdb.cis.len(), cmdb.relationships.len()), (1, 1));
    let checked = import_and_check(
        Adapter::ServicenowCmdb,
        &cmdb.inputs(),
        &cmdb.expected,
        3_000,
        9_000,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((checked.nodes, checked.edges), (3_000, 9_000));
}

#[test]
fn the_cmdb_pages_import_as_one_export() {
    // Past one page of 10,000 relationships.
    let cmdb = records::cmdb(4_000, 12_000);
    assert_eq!(cmdb.relationships.len(), 2);
    import_and_check(
        Adapter::ServicenowCmdb,
        &cmdb.inputs(),
        &cmdb.expected,
        4_000,
        12_000,
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_generators_are_deterministic() {
    let (a, b) = (records::cmdb(500, 1_500), records::cmdb(500, 1_500));
    assert_eq!(a.cis, b.cis);
    assert_eq!(a.relationships, b.relationships);
    let (a, b) = (catalog::catalog(500), catalog::catalog(500));
    assert_eq!((a.yaml, a.json), (b.yaml, b.json));
}

#[test]
fn the_backstage_imports_are_the_generated_graph() {
    let cat = catalog::catalog(1_000);
    assert_eq!(cat.entity_count, 1_000);
    assert_eq!((cat.yaml.len(), cat.json.len()), (10, 1));
    for (form, files) in [("yaml", &cat.yaml), ("json", &cat.json)] {
        let checked = import_and_check(
            Adapter::Backstage,
            &Catalog::inputs(files),
            &cat.expected,
            cat.entity_count,
            cat.edge_count,
        )
        .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert_eq!(checked.nodes, 1_000);
    }
}
