//! The blast radius of a change: the breadth-first walk from its targets
//! over reverse edges, and the [`Impact`] it yields.

use std::sync::OnceLock;

use super::{Graph, NodeIdx, to_u32};

/// One node of a blast radius, as the walk found it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    node: NodeIdx,
    depth: u32,
    /// Index in `found` of the node before it on its path (its own for a
    /// target).
    parent: u32,
}

/// The blast radius of a change: its targets (depth 0) and every node that
/// transitively depends on one, each with its distance from the nearest
/// target and one shortest path from a target to it.
///
/// The walk keeps the nodes in the order it found them, which is all a rule
/// needs (`count`, `any`, `all`, `owner of`, ...). The order by depth and id
/// that reports show, and the lookup by node, are built on first use, so a
/// decision pays for them only if someone reads them. An `Impact` holds a
/// handle to its [`Graph`] (see [`Impact::graph`]).
#[derive(Debug, Clone)]
pub struct Impact {
    graph: Graph,
    /// In the order found: depths never decrease.
    found: Vec<Entry>,
    sorted: OnceLock<Sorted>,
    /// (node, index in `found`), sorted by node.
    by_node: OnceLock<Vec<(NodeIdx, u32)>>,
}

/// The order by depth and then id, built on first use.
#[derive(Debug, Clone, Default)]
struct Sorted {
    /// The nodes, sorted.
    nodes: Vec<NodeIdx>,
    /// The index in `found` of the k-th sorted node.
    order: Vec<u32>,
    /// The sorted position of the node at each index of `found`.
    position: Vec<u32>,
}

/// Per-thread scratch space for graph walks: a visit stamp per node, reused
/// across walks so a walk costs what it visits, not the size of the graph.
#[derive(Debug, Default)]
struct Scratch {
    stamp: Vec<u32>,
    generation: u32,
    /// How many nodes the last walk found: the next one's first guess.
    last_found: usize,
}

impl Scratch {
    /// Starts a walk over a graph of `n` nodes: nothing is visited.
    fn start(&mut self, n: usize) {
        if self.stamp.len() < n {
            self.stamp.resize(n, 0);
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// Runs `f` with this thread's scratch space (a fresh one if it is in use).
fn with_scratch<R>(f: impl FnOnce(&mut Scratch) -> R) -> R {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => f(&mut s),
        Err(_) => f(&mut Scratch::default()),
    })
}

impl Impact {
    /// The graph the blast radius was computed on.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// A blast radius from its entries, each `(node, depth, index of the
    /// node before it)` (its own index for a target).
    pub(crate) fn from_entries(
        graph: Graph,
        entries: impl IntoIterator<Item = (NodeIdx, u32, u32)>,
    ) -> Impact {
        Impact {
            graph,
            found: entries
                .into_iter()
                .map(|(node, depth, parent)| Entry {
                    node,
                    depth,
                    parent,
                })
                .collect(),
            sorted: OnceLock::new(),
            by_node: OnceLock::new(),
        }
    }

    fn found_index(&self, i: NodeIdx) -> Option<usize> {
        let by_node = self.by_node.get_or_init(|| {
            let mut v: Vec<(NodeIdx, u32)> = self
                .found
                .iter()
                .zip(0u32..)
                .map(|(e, k)| (e.node, k))
                .collect();
            v.sort_unstable_by_key(|&(n, _)| n);
            v
        });
        by_node
            .binary_search_by_key(&i, |&(n, _)| n)
            .ok()
            .and_then(|k| by_node.get(k))
            .map(|&(_, p)| p as usize)
    }

    fn entry_of(&self, i: NodeIdx) -> Option<&Entry> {
        self.found_index(i).and_then(|k| self.found.get(k))
    }

    fn sorted(&self) -> &Sorted {
        self.sorted.get_or_init(|| {
            let order = self.graph.sort_found(&self.found);
            let mut position = vec![0u32; self.found.len()];
            for (k, &old) in order.iter().enumerate() {
                if let Some(p) = position.get_mut(old as usize) {
                    *p = to_u32(k);
                }
            }
            let nodes = order
                .iter()
                .filter_map(|&k| self.found.get(k as usize).map(|e| e.node))
                .collect();
            Sorted {
                nodes,
                order,
                position,
            }
        })
    }

    /// Whether node `i` is in the blast radius.
    pub fn contains(&self, i: NodeIdx) -> bool {
        self.found_index(i).is_some()
    }

    /// Distance in edges from the nearest target (targets: 0), or `None` if
    /// `i` is not in the blast radius.
    pub fn depth(&self, i: NodeIdx) -> Option<u32> {
        self.entry_of(i).map(|e| e.depth)
    }

    /// The node before `i` on its path (`None` for a target or a node
    /// outside the blast radius).
    pub fn parent(&self, i: NodeIdx) -> Option<NodeIdx> {
        let e = self.entry_of(i).filter(|e| e.depth > 0)?;
        self.found.get(e.parent as usize).map(|p| p.node)
    }

    /// The position of `i` in [`Impact::nodes`].
    pub fn position(&self, i: NodeIdx) -> Option<usize> {
        let k = self.found_index(i)?;
        self.sorted().position.get(k).map(|&p| p as usize)
    }

    /// The `k`-th node of [`Impact::nodes`]: the node, its depth, and the
    /// position of the node before it on its path (`None` for a target).
    pub fn get(&self, k: usize) -> Option<(NodeIdx, u32, Option<usize>)> {
        let sorted = self.sorted();
        let e = sorted
            .order
            .get(k)
            .and_then(|&f| self.found.get(f as usize))?;
        let via = (e.depth > 0)
            .then(|| sorted.position.get(e.parent as usize).map(|&p| p as usize))
            .flatten();
        Some((e.node, e.depth, via))
    }

    /// The nodes of the blast radius, sorted by depth and then id.
    pub fn nodes(&self) -> &[NodeIdx] {
        &self.sorted().nodes
    }

    /// The nodes of the blast radius in the order the walk found them:
    /// breadth-first, so by depth, but not by id within a depth. Cheaper
    /// than [`Impact::nodes`] when the order does not matter.
    pub fn nodes_unordered(&self) -> impl ExactSizeIterator<Item = NodeIdx> + '_ {
        self.found.iter().map(|e| e.node)
    }

    /// The path of the `k`-th node of [`Impact::nodes`], from the node back
    /// to its target (the reverse of [`Impact::path`]): no lookup by node.
    pub fn path_back(&self, k: usize) -> impl Iterator<Item = NodeIdx> + '_ {
        let mut cur = self
            .sorted()
            .order
            .get(k)
            .and_then(|&f| self.found.get(f as usize));
        let mut left = self.found.len();
        std::iter::from_fn(move || {
            let e = cur.take()?;
            left = left.checked_sub(1)?;
            if e.depth > 0 {
                cur = self.found.get(e.parent as usize);
            }
            Some(e.node)
        })
    }

    /// One shortest path `[target, ..., i]` explaining why `i` is impacted;
    /// empty if it is not.
    pub fn path(&self, i: NodeIdx) -> Vec<NodeIdx> {
        let mut out = Vec::new();
        let mut cur = self.entry_of(i);
        while let Some(e) = cur {
            out.push(e.node);
            if e.depth == 0 || out.len() > self.found.len() {
                break;
            }
            cur = self.found.get(e.parent as usize);
        }
        out.reverse();
        out
    }

    /// Number of nodes in the blast radius.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether the blast radius is empty (no valid targets).
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }
}

impl Graph {
    /// The blast radius of `targets`: a breadth-first search over reverse
    /// edges. Targets are processed in the order given, neighbours in id
    /// order, and each node keeps the first shortest path that discovers it,
    /// so the result is deterministic. Out-of-range indices are ignored.
    pub fn impact(&self, targets: &[NodeIdx]) -> Impact {
        let found = with_scratch(|scratch| self.walk(scratch, targets));
        Impact {
            graph: self.clone(),
            found,
            sorted: OnceLock::new(),
            by_node: OnceLock::new(),
        }
    }

    /// The breadth-first walk of [`Graph::impact`], in discovery order.
    fn walk(&self, scratch: &mut Scratch, targets: &[NodeIdx]) -> Vec<Entry> {
        scratch.start(self.len());
        let mut found: Vec<Entry> =
            Vec::with_capacity(scratch.last_found.min(1 << 16).max(targets.len()));
        // Everything the loop reads, hoisted out of it.
        let generation = scratch.generation;
        let stamp = scratch.stamp.as_mut_slice();
        let csr = &self.0.dependents;
        let mut visit = |n: NodeIdx| match stamp.get_mut(n.index()) {
            Some(st) if *st != generation => {
                *st = generation;
                true
            }
            _ => false,
        };
        for &node in targets {
            if visit(node) {
                let k = to_u32(found.len());
                found.push(Entry {
                    node,
                    depth: 0,
                    parent: k,
                });
            }
        }
        let mut head = 0;
        while let Some(&Entry { node, depth, .. }) = found.get(head) {
            let parent = to_u32(head);
            head += 1;
            for &v in csr.neighbours(node) {
                if visit(v) {
                    found.push(Entry {
                        node: v,
                        depth: depth + 1,
                        parent,
                    });
                }
            }
        }
        scratch.last_found = found.len();
        found
    }

    /// The indices of `found` in (depth, id) order: depths, ranks and
    /// indices packed into one integer key where they fit.
    fn sort_found(&self, found: &[Entry]) -> Vec<u32> {
        const BITS: u32 = 21;
        let fits = |x: usize| x < (1 << BITS);
        if fits(self.len()) && fits(found.len()) {
            let mut keys: Vec<u64> = found
                .iter()
                .enumerate()
                .map(|(k, e)| {
                    (u64::from(e.depth) << (2 * BITS))
                        | (u64::from(self.rank_of(e.node)) << BITS)
                        | k as u64
                })
                .collect();
            keys.sort_unstable();
            keys.into_iter()
                .map(|key| (key & ((1 << BITS) - 1)) as u32)
                .collect()
        } else {
            let mut keys: Vec<(u32, u32, u32)> = found
                .iter()
                .enumerate()
                .map(|(k, e)| (e.depth, self.rank_of(e.node), to_u32(k)))
                .collect();
            keys.sort_unstable();
            keys.into_iter().map(|(_, _, k)| k).collect()
        }
    }
}
