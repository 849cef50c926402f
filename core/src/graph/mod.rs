//! The impact dependency graph: nodes (services, databases, ...) and the
//! edges between them, loaded once from JSON and queried by every evaluation.
//!
//! An edge `from -> to` means *`from` depends on `to`*, so a change to `to`
//! may impact `from`. Cycles and self-loops are allowed; every traversal
//! visits each node at most once and terminates.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::{Arc, OnceLock};

use crate::value::Value;

use csr::Csr;

mod csr;
mod load;
#[cfg(test)]
mod tests;

/// The index of a node in its [`Graph`]: nodes are numbered from 0 in the
/// order they appear in the graph JSON. Indices are only meaningful for the
/// graph that produced them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeIdx(pub u32);

impl NodeIdx {
    /// The index as a `usize`, for dense per-node arrays.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One node of the graph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    /// The unique, non-empty id.
    pub id: Arc<str>,
    /// What the node is, such as `database` or `service`.
    pub kind: Option<Arc<str>>,
    /// Criticality tier; by convention 0 is the most critical.
    pub tier: Option<i64>,
    /// The group that owns the node (and approves changes to it).
    pub owner: Option<Arc<str>>,
    /// Free-form labels, in the order given.
    pub tags: Vec<Arc<str>>,
    /// Custom data, reachable in the language as `node.<name>`.
    pub attributes: Attributes,
}

/// The custom data of a node: names and values, sorted by name. Stored as
/// one compact slice per node (a large estate has many small maps).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attributes(Box<[(Arc<str>, Value)]>);

impl Attributes {
    /// The value of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let i = self.0.binary_search_by(|(k, _)| (**k).cmp(name)).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// All attributes, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (&**k, v))
    }

    /// Number of attributes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Node {
    /// `node.X` of the language, except `depth` (the evaluator supplies it):
    /// `id`, `kind`, `tier`, `owner`, `tags`, and otherwise `attributes.X`.
    /// First-class names always win, even when the first-class field is
    /// absent and `attributes` has an entry of that name. Missing → `null`.
    pub fn field(&self, name: &str) -> Value {
        let opt = |s: &Option<Arc<str>>| s.clone().map_or(Value::Null, Value::Str);
        match name {
            "id" => Value::Str(self.id.clone()),
            "kind" => opt(&self.kind),
            "tier" => self.tier.map_or(Value::Null, Value::Int),
            "owner" => opt(&self.owner),
            "tags" => Value::List(self.tags.iter().map(|t| Value::Str(t.clone())).collect()),
            _ => self.attributes.get(name).cloned().unwrap_or(Value::Null),
        }
    }
}

/// Which way [`Graph::reach`] follows edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Towards nodes that depend on the start (the blast-radius direction).
    Dependents,
    /// Towards nodes the start depends on.
    Dependencies,
}

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
    index: IdMap,
    /// Position of each node when all are sorted by id.
    rank: Vec<u32>,
    dependencies: Csr,
    dependents: Csr,
    /// Returned by [`Graph::node`] for an index from some other graph.
    placeholder: Node,
}

/// The hasher of the graph's maps: a folded multiply over 8-byte words,
/// much faster than SipHash for short ids and node indices, seeded per map
/// from [`RandomState`] so that colliding inputs cannot be prepared blindly.
#[derive(Clone, Copy)]
struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        let p = u128::from(self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
        self.0 = (p as u64) ^ ((p >> 64) as u64);
    }
}

/// Builds [`FoldHasher`]s with a random seed.
#[derive(Debug, Clone, Copy)]
struct FoldState(u64);

impl Default for FoldState {
    fn default() -> Self {
        FoldState(RandomState::new().hash_one(0x5eed_u64))
    }
}

impl BuildHasher for FoldState {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher(self.0)
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

type IdMap = HashMap<Arc<str>, NodeIdx, FoldState>;

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
        self.0.index.get(id).copied()
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

    /// A graph of bare nodes named `ids` (no edges), for reports read back
    /// from JSON. Duplicate ids keep their first index.
    pub(crate) fn from_ids(ids: Vec<Arc<str>>) -> Graph {
        let mut index = IdMap::default();
        for (k, id) in ids.iter().enumerate() {
            index.entry(id.clone()).or_insert(NodeIdx(to_u32(k)));
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
            rank,
            dependencies: Csr::default(),
            dependents: Csr::default(),
            placeholder: Node::default(),
        }))
    }

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
