//! The import bench's check, run before anything is timed and by
//! `tests/import.rs`: the graph an adapter makes from generated records is
//! the graph the generator meant, and is the same graph when loaded from
//! changegate's own JSON of it.

use changegate::api::{self, GraphDocument, NodeDocument};
use changegate::import::{self, Adapter, ImportedDocument, Inputs};
use changegate::{Graph, Limits};
use serde_json::Value as Json;

/// What a checked import made.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The graph document, as changegate's graph JSON (the text
    /// `changegate import` prints, compact): what the load figure reads.
    pub graph_json: String,
    /// Nodes of the graph.
    pub nodes: usize,
    /// Edges of the graph.
    pub edges: usize,
}

/// Imports `inputs` with `adapter` (default options) and checks that:
/// the import has no notes; its graph, its graph JSON loaded with
/// [`api::load_graph`], and the generator's `expected` graph JSON have
/// the same nodes (ids, kinds, tiers, owners, tags, sorted dependencies,
/// compared through [`api::graph_nodes_json`]) and edge counts; and that
/// the graph has `nodes` nodes and `edges` edges.
pub fn import_and_check(
    adapter: Adapter,
    inputs: &Inputs,
    expected: &str,
    nodes: usize,
    edges: usize,
) -> Result<Checked, String> {
    let limits = Limits::default();
    let imported = import::import(adapter, inputs, &Json::Null, &limits)
        .map_err(|e| format!("the import fails: {e}"))?;
    if let Some(n) = imported.notes.first() {
        return Err(format!(
            "the import has {} notes, the first: {n:?}",
            imported.notes.len()
        ));
    }
    let ImportedDocument::Graph(document) = imported.document else {
        return Err("the import made no graph".to_owned());
    };
    let graph_json =
        serde_json::to_string(&document).map_err(|e| format!("the graph's JSON: {e}"))?;
    let built = graph_of_document(&document, &limits)?;
    let loaded =
        api::load_graph(&graph_json, &limits).map_err(|e| format!("its JSON fails: {e}"))?;
    let meant =
        api::load_graph(expected, &limits).map_err(|e| format!("the expected graph: {e}"))?;
    same("the imported graph", &built, "its JSON loaded", &loaded)?;
    same(
        "the imported graph",
        &built,
        "the generator's graph",
        &meant,
    )?;
    if (built.len(), built.edge_count()) != (nodes, edges) {
        return Err(format!(
            "the imported graph has {} nodes and {} edges, the generator made {nodes} and {edges}",
            built.len(),
            built.edge_count()
        ));
    }
    Ok(Checked {
        graph_json,
        nodes: built.len(),
        edges: built.edge_count(),
    })
}

/// The engine's graph of a document the import made, as a host that holds
/// the document (not its text) loads it.
fn graph_of_document(document: &GraphDocument, limits: &Limits) -> Result<Graph, String> {
    let value = serde_json::to_value(document).map_err(|e| format!("the graph's value: {e}"))?;
    api::load_graph_value(&value, limits)
        .map_err(|e| format!("the engine refuses the imported graph: {e}"))
}

/// Compares two graphs through [`api::graph_nodes_json`] and their edge
/// counts; the error names the first node that differs.
fn same(a_name: &str, a: &Graph, b_name: &str, b: &Graph) -> Result<(), String> {
    if api::graph_nodes_json(a) == api::graph_nodes_json(b) && a.edge_count() == b.edge_count() {
        return Ok(());
    }
    let (na, nb) = (api::graph_nodes(a), api::graph_nodes(b));
    let first = na
        .iter()
        .zip(&nb)
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!("first difference: {} against {}", show(x), show(y)));
    Err(format!(
        "{a_name} ({} nodes, {} edges) differs from {b_name} ({} nodes, {} edges); {}",
        a.len(),
        a.edge_count(),
        b.len(),
        b.edge_count(),
        first.unwrap_or_else(|| "the common nodes agree".to_owned())
    ))
}

fn show(n: &NodeDocument) -> String {
    serde_json::to_string(n).unwrap_or_default()
}
