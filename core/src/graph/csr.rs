//! Compressed sparse row adjacency: each node's neighbours as one slice
//! of a shared array, sorted by node id.

use super::NodeIdx;

/// Compressed adjacency: the neighbours of node `i` are
/// `targets[offsets[i]..offsets[i + 1]]`, sorted by node id.
#[derive(Debug, Clone, Default)]
pub(super) struct Csr {
    offsets: Box<[u32]>,
    targets: Box<[NodeIdx]>,
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

    /// Compressed adjacency of the `nodes` nodes from `edges`, each edge
    /// `(a, b)` read as `a -> b` when `forward` and `b -> a` otherwise; each
    /// node's neighbours sorted by id (`rank`) with duplicate edges
    /// collapsed. Every endpoint is below `nodes` and the edges number less
    /// than `u32::MAX` (the load checks both).
    pub(super) fn build(nodes: usize, edges: &[(u32, u32)], forward: bool, rank: &[u32]) -> Csr {
        let ends = |&(a, b): &(u32, u32)| if forward { (a, b) } else { (b, a) };
        // A counting sort by source: `offsets[i + 1]` first counts node i's
        // edges, then is where the next of them goes.
        let mut offsets = vec![0u32; nodes + 1];
        for e in edges {
            if let Some(c) = offsets.get_mut(ends(e).0 as usize + 1) {
                *c += 1;
            }
        }
        let mut sum = 0u32;
        for c in offsets.iter_mut() {
            sum += std::mem::replace(c, sum);
        }
        let mut targets = vec![NodeIdx(0); edges.len()];
        for e in edges {
            let (a, b) = ends(e);
            if let Some(at) = offsets.get_mut(a as usize + 1) {
                if let Some(t) = targets.get_mut(*at as usize) {
                    *t = NodeIdx(b);
                }
                *at += 1;
            }
        }
        // Sort and deduplicate each node's slice, moving it down over the
        // room that the duplicates before it freed.
        let key = |n: &NodeIdx| rank.get(n.index()).copied();
        let mut kept = 0usize;
        let mut start = 0usize;
        for i in 0..nodes {
            let end = offsets.get(i + 1).map_or(start, |&e| e as usize);
            if let Some(run) = targets.get_mut(start..end) {
                run.sort_unstable_by_key(key);
            }
            for k in start..end {
                let t = targets.get(k).copied();
                let last = kept.checked_sub(1).and_then(|l| targets.get(l)).copied();
                if let Some(t) = t.filter(|&t| k == start || last != Some(t)) {
                    if let Some(slot) = targets.get_mut(kept) {
                        *slot = t;
                    }
                    kept += 1;
                }
            }
            start = end;
            if let Some(o) = offsets.get_mut(i + 1) {
                *o = u32::try_from(kept).unwrap_or(u32::MAX);
            }
        }
        targets.truncate(kept);
        Csr {
            offsets: offsets.into_boxed_slice(),
            targets: targets.into_boxed_slice(),
        }
    }
}
