//! Reachability from a set of nodes in either direction, up to a depth:
//! the walk behind the language's `dependents(...)` and `dependencies(...)`.

use std::collections::HashSet;

use super::hash::FoldState;
use super::{Graph, NodeIdx};

/// Which way [`Graph::reach`] follows edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Towards nodes that depend on the start (the blast-radius direction).
    Dependents,
    /// Towards nodes the start depends on.
    Dependencies,
}

impl Graph {
    /// Nodes reachable from any member of `from` in `1..=max_depth` steps
    /// (`None`: any number), following `dir`, with their shortest distance,
    /// sorted by distance and then id. A member of `from` is included only
    /// if it is reachable in at least one step (through a cycle, a self-loop
    /// or another member).
    pub fn reach(
        &self,
        from: &[NodeIdx],
        dir: Direction,
        max_depth: Option<u32>,
    ) -> Vec<(NodeIdx, u32)> {
        let csr = match dir {
            Direction::Dependents => &self.0.dependents,
            Direction::Dependencies => &self.0.dependencies,
        };
        let limit = max_depth.unwrap_or(u32::MAX);
        let mut found = HashSet::<NodeIdx, FoldState>::default();
        let mut queue: Vec<(u32, NodeIdx)> = from
            .iter()
            .filter(|n| n.index() < self.len())
            .map(|&n| (0, n))
            .collect();
        let sources = queue.len();
        let mut head = 0;
        while let Some(&(dist, u)) = queue.get(head) {
            head += 1;
            if dist >= limit {
                continue;
            }
            for &v in csr.neighbours(u) {
                if found.insert(v) {
                    queue.push((dist + 1, v));
                }
            }
        }
        let mut reached = queue.split_off(sources);
        self.sort_by_depth_and_id(&mut reached);
        reached.into_iter().map(|(d, n)| (n, d)).collect()
    }

    fn sort_by_depth_and_id(&self, nodes: &mut [(u32, NodeIdx)]) {
        nodes.sort_unstable_by_key(|&(d, n)| (d, self.rank_of(n)));
    }
}
