//! Compressed sparse row adjacency: each node's neighbours as one slice
//! of a shared array, sorted by node id.

use petgraph::graph::DiGraph;

use super::NodeIdx;
use crate::input::InputError;

/// Compressed adjacency: the neighbours of node `i` are
/// `targets[offsets[i]..offsets[i + 1]]`, sorted by node id.
#[derive(Debug, Clone, Default)]
pub(super) struct Csr {
    offsets: Vec<u32>,
    targets: Vec<NodeIdx>,
}

impl Csr {
    #[inline]
    pub(super) fn neighbours(&self, i: NodeIdx) -> &[NodeIdx] {
        let (Some(&s), Some(&e)) = (self.offsets.get(i.index()), self.offsets.get(i.index() + 1))
        else {
            return &[];
        };
        self.targets.get(s as usize..e as usize).unwrap_or(&[])
    }

    /// Number of distinct edges.
    pub(super) fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Compressed adjacency of `g` in direction `dir`, each node's neighbours
    /// sorted by id (`rank`) with duplicate edges collapsed.
    pub(super) fn build(
        g: &DiGraph<(), (), u32>,
        dir: petgraph::Direction,
        rank: &[u32],
    ) -> Result<Csr, InputError> {
        let too_many = || InputError::new("", "graph has too many edges");
        let mut out = Csr {
            offsets: Vec::with_capacity(g.node_count() + 1),
            targets: Vec::with_capacity(g.edge_count()),
        };
        out.offsets.push(0);
        let mut scratch = Vec::new();
        for i in g.node_indices() {
            scratch.clear();
            scratch.extend(
                g.neighbors_directed(i, dir)
                    .map(|n| NodeIdx(n.index() as u32)),
            );
            scratch.sort_unstable_by_key(|n| rank.get(n.index()).copied());
            scratch.dedup();
            out.targets.extend_from_slice(&scratch);
            out.offsets
                .push(u32::try_from(out.targets.len()).map_err(|_| too_many())?);
        }
        Ok(out)
    }
}
