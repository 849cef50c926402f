//! The impact dependency graph: nodes (services, databases, ...) and the
//! edges between them, loaded once from JSON and queried by every evaluation.
//!
//! An edge `from -> to` means *`from` depends on `to`*, so a change to `to`
//! may impact `from`. Cycles and self-loops are allowed; every traversal
//! visits each node at most once and terminates.

use std::sync::{Arc, OnceLock};

use alias::{Aliases, Folded};
use csr::Csr;
use table::Table;

mod alias;
mod csr;
mod hash;
mod impact;
mod load;
mod node;
mod reach;
mod stream;
mod table;
#[cfg(test)]
mod tests;

pub use alias::Unresolved;
pub(crate) use alias::candidates;
pub use impact::Impact;
pub use node::{Attributes, Node, NodeIdx};
pub use reach::Direction;

/// The dependency graph. Built once from JSON, immutable afterwards, cheap
/// to share between threads (`Send + Sync`) and reusable for any number of
/// evaluations.
///
/// A `Graph` is a handle: cloning it shares the same data (one reference
/// count), which is how a decision's impact report names its nodes without
/// copying their ids.
#[derive(Debug, Clone)]
pub struct Graph(Arc<GraphData>);

/// The data behind a [`Graph`] handle.
#[derive(Debug)]
struct GraphData {
    nodes: Vec<Node>,
    /// Node indices by id.
    index: Table,
    /// Position of each node when all are sorted by id.
    rank: Box<[u32]>,
    dependencies: Csr,
    dependents: Csr,
    /// The nodes' other names; `None` when no node has one.
    aliases: Option<Box<Aliases>>,
    /// Ids and aliases ignoring case, built by the first lookup that needs it.
    folded: OnceLock<Folded>,
    /// Returned by [`Graph::node`] for an index from some other graph.
    placeholder: Node,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Graph {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.0.nodes.len()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.0.nodes.is_empty()
    }

    /// Number of distinct edges (duplicates collapsed).
    pub fn edge_count(&self) -> usize {
        self.0.dependencies.edge_count()
    }

    /// The node with id `id`.
    pub fn index_of(&self, id: &str) -> Option<NodeIdx> {
        let nodes = &self.0.nodes;
        let text = |e: u32| nodes.get(e as usize).map_or("", |n| &*n.id);
        self.0.index.find(id, text).map(NodeIdx)
    }

    /// The node at `i`. An index from another graph that is out of range
    /// yields a placeholder node with an empty id rather than a panic.
    pub fn node(&self, i: NodeIdx) -> &Node {
        self.0.nodes.get(i.index()).unwrap_or(&self.0.placeholder)
    }

    /// All nodes with their indices, in JSON order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIdx, &Node)> {
        (0u32..).map(NodeIdx).zip(self.0.nodes.iter())
    }

    /// Nodes that depend directly on `i`, sorted by id.
    pub fn dependents_of(&self, i: NodeIdx) -> &[NodeIdx] {
        self.0.dependents.neighbours(i)
    }

    /// Nodes `i` depends on directly, sorted by id.
    pub fn dependencies_of(&self, i: NodeIdx) -> &[NodeIdx] {
        self.0.dependencies.neighbours(i)
    }

    /// Sorts `nodes` by id.
    pub fn sort_by_id(&self, nodes: &mut [NodeIdx]) {
        nodes.sort_unstable_by_key(|n| self.0.rank.get(n.index()).copied().unwrap_or(u32::MAX));
    }

    fn rank_of(&self, n: NodeIdx) -> u32 {
        self.0.rank.get(n.index()).copied().unwrap_or(u32::MAX)
    }

    /// A graph of bare nodes named `ids` (no edges), for reports read back
    /// from JSON. Duplicate ids keep their first index.
    pub(crate) fn from_ids(ids: Vec<Arc<str>>) -> Graph {
        let mut index = Table::with_capacity(ids.len());
        let text = |e: u32| ids.get(e as usize).map_or("", |id| &**id);
        for (k, id) in (0u32..).zip(&ids) {
            if index.find(id, text).is_none() {
                index.insert(k, text);
            }
        }
        let mut by_id: Vec<(&str, u32)> = ids.iter().map(|id| &**id).zip(0u32..).collect();
        by_id.sort_unstable();
        let mut rank = vec![0u32; ids.len()];
        for (r, &(_, k)) in by_id.iter().enumerate() {
            if let Some(x) = rank.get_mut(k as usize) {
                *x = to_u32(r);
            }
        }
        let nodes = ids
            .into_iter()
            .map(|id| Node {
                id,
                ..Node::default()
            })
            .collect();
        Graph(Arc::new(GraphData {
            nodes,
            index,
            rank: rank.into_boxed_slice(),
            dependencies: Csr::default(),
            dependents: Csr::default(),
            aliases: None,
            folded: OnceLock::new(),
            placeholder: Node::default(),
        }))
    }
}
