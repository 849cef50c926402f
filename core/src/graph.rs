//! The impact dependency graph: nodes (services, databases, ...) and the
//! edges between them, loaded once from JSON and queried by every evaluation.
//!
//! An edge `from -> to` means *`from` depends on `to`*, so a change to `to`
//! may impact `from`. Cycles and self-loops are allowed; every traversal
//! visits each node at most once and terminates.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Deserialize;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use crate::input::{self, InputError, Path};
use crate::limits::Limits;
use crate::value::Value;

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

/// Compressed adjacency: the neighbours of node `i` are
/// `targets[offsets[i]..offsets[i + 1]]`, sorted by node id.
#[derive(Debug, Clone, Default)]
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<NodeIdx>,
}

impl Csr {
    fn neighbours(&self, i: NodeIdx) -> &[NodeIdx] {
        let (Some(&s), Some(&e)) = (self.offsets.get(i.index()), self.offsets.get(i.index() + 1))
        else {
            return &[];
        };
        self.targets.get(s as usize..e as usize).unwrap_or(&[])
    }
}

/// The dependency graph. Built once from JSON, immutable afterwards, cheap
/// to share between threads (`Send + Sync`) and reusable for any number of
/// evaluations.
#[derive(Debug, Clone)]
pub struct Graph {
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

type IdxMap<V> = HashMap<NodeIdx, V, FoldState>;
type IdMap = HashMap<Arc<str>, NodeIdx, FoldState>;

#[derive(Debug, Clone, Copy)]
struct Entry {
    depth: u32,
    parent: NodeIdx,
}

/// The blast radius of a change: its targets (depth 0) and every node that
/// transitively depends on one, each with its distance from the nearest
/// target and one shortest path from a target to it.
#[derive(Debug, Clone, Default)]
pub struct Impact {
    order: Vec<NodeIdx>,
    entries: IdxMap<Entry>,
}

impl Impact {
    /// Whether node `i` is in the blast radius.
    pub fn contains(&self, i: NodeIdx) -> bool {
        self.entries.contains_key(&i)
    }

    /// Distance in edges from the nearest target (targets: 0), or `None` if
    /// `i` is not in the blast radius.
    pub fn depth(&self, i: NodeIdx) -> Option<u32> {
        self.entries.get(&i).map(|e| e.depth)
    }

    /// The nodes of the blast radius, sorted by depth and then id.
    pub fn nodes(&self) -> &[NodeIdx] {
        &self.order
    }

    /// One shortest path `[target, ..., i]` explaining why `i` is impacted;
    /// empty if it is not.
    pub fn path(&self, i: NodeIdx) -> Vec<NodeIdx> {
        let mut out = Vec::new();
        let mut cur = i;
        while let Some(e) = self.entries.get(&cur) {
            out.push(cur);
            if e.depth == 0 {
                break;
            }
            cur = e.parent;
        }
        out.reverse();
        out
    }

    /// Number of nodes in the blast radius.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the blast radius is empty (no valid targets).
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

impl Graph {
    /// Loads a graph from JSON text with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<Graph, InputError> {
        Graph::from_json_with_limits(text, &Limits::default())
    }

    /// Loads a graph from JSON text. Nodes are read one at a time straight
    /// from the text, so a large estate never exists twice in memory (only a
    /// document whose top level is malformed is read as a whole, to report
    /// its error). Errors are the same as [`Graph::from_value`]'s.
    pub fn from_json_with_limits(text: &str, limits: &Limits) -> Result<Graph, InputError> {
        input::check_size(text, limits)?;
        // Fast pass: typed items borrowed from the text. It gives up at the
        // first wrong type or unknown field, without an error of its own;
        // the checked pass then reads each item as JSON for a precise error.
        for fast in [true, false] {
            let mut builder = Builder::new(limits);
            let mut de = serde_json::Deserializer::from_str(text);
            let streamed = RootSeed {
                builder: &mut builder,
                fast,
            }
            .deserialize(&mut de)
            .and_then(|()| de.end());
            match (streamed, builder.error.take()) {
                (Ok(()), _) => return builder.finish(),
                (Err(_), Some(e)) => return Err(e),
                (Err(_), None) => {}
            }
        }
        // Invalid JSON or an unusual shape (a wrong type, an unknown or
        // repeated top-level field): read it as a whole for the precise error.
        Graph::from_value(&input::parse_json(text, limits)?, limits)
    }

    /// Builds a graph from an already parsed JSON document.
    pub fn from_value(v: &Json, limits: &Limits) -> Result<Graph, InputError> {
        let root = input::as_object(v, &Path::Root)?;
        let mut builder = Builder::new(limits);
        for (key, val) in root {
            let items = match key.as_str() {
                "edges" if val.is_null() => continue,
                "nodes" | "edges" => input::as_list(val, &ROOT.key(key))?,
                _ => return Err(input::unknown_field(key, TOP_FIELDS, &Path::Root, false)),
            };
            for (i, item) in items.iter().enumerate() {
                builder.add(key == "nodes", i, item)?;
            }
            builder.seen_nodes |= key == "nodes";
        }
        builder.finish()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph has no nodes.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Number of distinct edges (duplicates collapsed).
    pub fn edge_count(&self) -> usize {
        self.dependencies.targets.len()
    }

    /// The node with id `id`.
    pub fn index_of(&self, id: &str) -> Option<NodeIdx> {
        self.index.get(id).copied()
    }

    /// The node at `i`. An index from another graph that is out of range
    /// yields a placeholder node with an empty id rather than a panic.
    pub fn node(&self, i: NodeIdx) -> &Node {
        self.nodes.get(i.index()).unwrap_or(&self.placeholder)
    }

    /// All nodes with their indices, in JSON order.
    pub fn nodes(&self) -> impl Iterator<Item = (NodeIdx, &Node)> {
        (0u32..).map(NodeIdx).zip(self.nodes.iter())
    }

    /// Nodes that depend directly on `i`, sorted by id.
    pub fn dependents_of(&self, i: NodeIdx) -> &[NodeIdx] {
        self.dependents.neighbours(i)
    }

    /// Nodes `i` depends on directly, sorted by id.
    pub fn dependencies_of(&self, i: NodeIdx) -> &[NodeIdx] {
        self.dependencies.neighbours(i)
    }

    /// Sorts `nodes` by id.
    pub fn sort_by_id(&self, nodes: &mut [NodeIdx]) {
        nodes.sort_unstable_by_key(|n| self.rank.get(n.index()).copied().unwrap_or(u32::MAX));
    }

    fn rank_of(&self, n: NodeIdx) -> u32 {
        self.rank.get(n.index()).copied().unwrap_or(u32::MAX)
    }

    /// The blast radius of `targets`: a breadth-first search over reverse
    /// edges. Targets are processed in the order given, neighbours in id
    /// order, and each node keeps the first shortest path that discovers it,
    /// so the result is deterministic. Out-of-range indices are ignored.
    pub fn impact(&self, targets: &[NodeIdx]) -> Impact {
        let mut entries = IdxMap::<Entry>::default();
        let mut queue: Vec<(u32, NodeIdx)> = Vec::with_capacity(targets.len());
        for &t in targets {
            if t.index() < self.len() && !entries.contains_key(&t) {
                entries.insert(
                    t,
                    Entry {
                        depth: 0,
                        parent: t,
                    },
                );
                queue.push((0, t));
            }
        }
        let mut head = 0;
        while let Some(&(depth, u)) = queue.get(head) {
            head += 1;
            for &v in self.dependents_of(u) {
                if let std::collections::hash_map::Entry::Vacant(slot) = entries.entry(v) {
                    slot.insert(Entry {
                        depth: depth + 1,
                        parent: u,
                    });
                    queue.push((depth + 1, v));
                }
            }
        }
        self.sort_by_depth_and_id(&mut queue);
        Impact {
            order: queue.into_iter().map(|(_, n)| n).collect(),
            entries,
        }
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
            Direction::Dependents => &self.dependents,
            Direction::Dependencies => &self.dependencies,
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

static ROOT: Path<'static> = Path::Root;
const TOP_FIELDS: &[&str] = &["nodes", "edges"];
const NODE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "tier",
    "owner",
    "tags",
    "attributes",
    "depends_on",
];
const EDGE_FIELDS: &[&str] = &["from", "to"];

/// An edge endpoint: resolved, or a name not declared yet when it was read.
enum End {
    Known(NodeIdx),
    Name(Box<str>),
}

/// Where an edge was written, for errors about it.
#[derive(Clone, Copy)]
enum Origin {
    DependsOn { node: usize, pos: usize },
    Edge { pos: usize },
}

/// An edge with an endpoint that was not declared yet when it was read.
struct Pending {
    from: End,
    to: End,
    origin: Origin,
}

/// The fields of one node, read and type-checked but not yet validated
/// against the rest of the graph.
struct NodeParts<'x> {
    id: &'x str,
    kind: Option<&'x str>,
    tier: Option<i64>,
    owner: Option<&'x str>,
    tags: Vec<&'x str>,
    attributes: Vec<(&'x str, &'x Json)>,
    depends_on: Vec<&'x str>,
}

/// Accumulates nodes and edges one JSON item at a time.
struct Builder<'l> {
    limits: &'l Limits,
    nodes: Vec<Node>,
    index: IdMap,
    /// Interned kinds, owners and tags (few distinct values, many nodes).
    strings: HashSet<Arc<str>, FoldState>,
    edges: DiGraph<(), (), u32>,
    pending: Vec<Pending>,
    edge_entries: usize,
    seen_nodes: bool,
    /// The validation error that stopped streaming.
    error: Option<InputError>,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            nodes: Vec::new(),
            index: IdMap::default(),
            strings: HashSet::default(),
            edges: DiGraph::default(),
            pending: Vec::new(),
            edge_entries: 0,
            seen_nodes: false,
            error: None,
        }
    }

    fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.strings.get(s) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(s);
        self.strings.insert(a.clone());
        a
    }

    fn add(&mut self, is_node: bool, i: usize, item: &Json) -> Result<(), InputError> {
        if is_node {
            self.add_node(i, item)
        } else {
            self.add_edge(i, item)
        }
    }

    /// Reads node `i` from a JSON value, with precise errors.
    fn add_node(&mut self, i: usize, item: &Json) -> Result<(), InputError> {
        let nodes = ROOT.key("nodes");
        let p = nodes.index(i);
        let obj = input::as_object(item, &p)?;
        input::check_fields(obj, NODE_FIELDS, &p, true)?;
        let attributes = match input::get(obj, "attributes") {
            Some(v) => input::as_object(v, &p.key("attributes"))?
                .iter()
                .map(|(k, v)| (k.as_str(), v))
                .collect(),
            None => Vec::new(),
        };
        self.insert(
            i,
            NodeParts {
                id: input::req_str(obj, "id", &p)?,
                kind: input::opt_str(obj, "kind", &p)?,
                tier: input::opt_int(obj, "tier", &p)?,
                owner: input::opt_str(obj, "owner", &p)?,
                tags: input::opt_str_list(obj, "tags", &p, false)?,
                attributes,
                depends_on: input::opt_str_list(obj, "depends_on", &p, true)?,
            },
        )
    }

    /// Adds node `i`, whose fields have been read and type-checked.
    fn insert(&mut self, i: usize, node: NodeParts<'_>) -> Result<(), InputError> {
        let nodes = ROOT.key("nodes");
        let p = nodes.index(i);
        if self.nodes.len() >= self.limits.max_graph_nodes {
            return Err(p
                .error(format!(
                    "graph has more than {} nodes",
                    self.limits.max_graph_nodes
                ))
                .with_help("raise `Limits::max_graph_nodes` if this estate is expected"));
        }
        if let Some(first) = self.index.get(node.id) {
            let id = node.id;
            return Err(p.key("id").error(format!(
                "duplicate id `{id}`, first at `nodes[{}]`",
                first.0
            )));
        }
        let me = u32::try_from(self.nodes.len())
            .ok()
            .filter(|_| self.edges.try_add_node(()).is_ok())
            .map(NodeIdx)
            .ok_or_else(|| p.error("graph has too many nodes"))?;
        let id: Arc<str> = Arc::from(node.id);
        self.index.insert(id.clone(), me);
        let built = Node {
            id,
            kind: node.kind.map(|s| self.intern(s)),
            tier: node.tier,
            owner: node.owner.map(|s| self.intern(s)),
            tags: node.tags.iter().map(|t| self.intern(t)).collect(),
            attributes: self.attributes(node.attributes),
        };
        self.nodes.push(built);
        let deps = p.key("depends_on");
        for (pos, dep) in node.depends_on.into_iter().enumerate() {
            self.count_edge(&deps.index(pos))?;
            let to = self.end(dep);
            self.connect(End::Known(me), to, Origin::DependsOn { node: i, pos })?;
        }
        Ok(())
    }

    /// Converts attributes, sharing repeated names and string values; for a
    /// repeated name the last value wins, as in `serde_json`.
    fn attributes(&mut self, mut entries: Vec<(&str, &Json)>) -> Attributes {
        if entries.is_empty() {
            return Attributes::default();
        }
        entries.sort_by_key(|&(k, _)| k);
        let mut out: Vec<(Arc<str>, Value)> = Vec::with_capacity(entries.len());
        for (k, v) in entries {
            let v = match v {
                Json::String(s) => Value::Str(self.intern(s)),
                other => Value::from_json(other),
            };
            match out.last_mut() {
                Some(last) if &*last.0 == k => last.1 = v,
                _ => out.push((self.intern(k), v)),
            }
        }
        Attributes(out.into_boxed_slice())
    }

    /// Reads edge `i` from a JSON value, with precise errors.
    fn add_edge(&mut self, i: usize, item: &Json) -> Result<(), InputError> {
        let edges = ROOT.key("edges");
        let p = edges.index(i);
        let obj = input::as_object(item, &p)?;
        input::check_fields(obj, EDGE_FIELDS, &p, false)?;
        let from = input::req_str(obj, "from", &p)?;
        let to = input::req_str(obj, "to", &p)?;
        self.insert_edge(i, from, to)
    }

    /// Adds edge `i`, whose fields have been read and type-checked.
    fn insert_edge(&mut self, i: usize, from: &str, to: &str) -> Result<(), InputError> {
        let edges = ROOT.key("edges");
        self.count_edge(&edges.index(i))?;
        let (from, to) = (self.end(from), self.end(to));
        self.connect(from, to, Origin::Edge { pos: i })
    }

    fn count_edge(&mut self, p: &Path<'_>) -> Result<(), InputError> {
        if self.edge_entries >= self.limits.max_graph_edges {
            return Err(p
                .error(format!(
                    "graph has more than {} edges",
                    self.limits.max_graph_edges
                ))
                .with_help("raise `Limits::max_graph_edges` if this estate is expected"));
        }
        self.edge_entries += 1;
        Ok(())
    }

    fn end(&self, name: &str) -> End {
        match self.index.get(name) {
            Some(&n) => End::Known(n),
            None => End::Name(name.into()),
        }
    }

    fn connect(&mut self, from: End, to: End, origin: Origin) -> Result<(), InputError> {
        match (from, to) {
            (End::Known(a), End::Known(b)) => self.link(a, b),
            (from, to) => {
                self.pending.push(Pending { from, to, origin });
                Ok(())
            }
        }
    }

    fn link(&mut self, a: NodeIdx, b: NodeIdx) -> Result<(), InputError> {
        self.edges
            .try_add_edge(NodeIndex::new(a.index()), NodeIndex::new(b.index()), ())
            .map(|_| ())
            .map_err(|_| InputError::new("", "graph has too many edges"))
    }

    fn resolve(&self, end: End, origin: Origin, which: &str) -> Result<NodeIdx, InputError> {
        let name = match end {
            End::Known(n) => return Ok(n),
            End::Name(name) => name,
        };
        if let Some(&n) = self.index.get(&*name) {
            return Ok(n);
        }
        let path = match origin {
            Origin::DependsOn { node, pos } => format!("nodes[{node}].depends_on[{pos}]"),
            Origin::Edge { pos } => format!("edges[{pos}].{which}"),
        };
        let err = InputError::new(path, format!("unknown node `{name}`"));
        Err(
            match input::did_you_mean(&name, self.nodes.iter().map(|n| &*n.id)) {
                Some(m) => err.with_help(format!("did you mean `{m}`?")),
                None => err.with_help("every node an edge names must be declared in `nodes`"),
            },
        )
    }

    fn finish(mut self) -> Result<Graph, InputError> {
        if !self.seen_nodes {
            return Err(InputError::new("nodes", "missing required field `nodes`")
                .with_help("a graph is `{\"nodes\": [...], \"edges\": [...]}`"));
        }
        for pe in std::mem::take(&mut self.pending) {
            let from = self.resolve(pe.from, pe.origin, "from")?;
            let to = self.resolve(pe.to, pe.origin, "to")?;
            self.link(from, to)?;
        }
        let mut by_id: Vec<(&str, u32)> = self.nodes.iter().map(|n| &*n.id).zip(0u32..).collect();
        by_id.sort_unstable();
        let mut rank = vec![0u32; self.nodes.len()];
        for (pos, &(_, i)) in (0u32..).zip(by_id.iter()) {
            if let Some(r) = rank.get_mut(i as usize) {
                *r = pos;
            }
        }
        drop(by_id);
        self.nodes.shrink_to_fit();
        let dependencies = csr(&self.edges, petgraph::Direction::Outgoing, &rank)?;
        let dependents = csr(&self.edges, petgraph::Direction::Incoming, &rank)?;
        Ok(Graph {
            nodes: self.nodes,
            index: self.index,
            rank,
            dependencies,
            dependents,
            placeholder: Node::default(),
        })
    }
}

/// Compressed adjacency of `g` in direction `dir`, each node's neighbours
/// sorted by id (`rank`) with duplicate edges collapsed.
fn csr(
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

/// Streams the top-level object of a graph document.
struct RootSeed<'b, 'l> {
    builder: &'b mut Builder<'l>,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for RootSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RootSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a graph object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut nodes, mut edges) = (false, false);
        while let Some(key) = map.next_key::<&'de str>()? {
            let (is_node, seen) = match key {
                "nodes" => (true, &mut nodes),
                "edges" => (false, &mut edges),
                _ => return Err(A::Error::custom("unknown field")),
            };
            if std::mem::replace(seen, true) {
                return Err(A::Error::custom("repeated field"));
            }
            let builder = &mut *self.builder;
            map.next_value_seed(ItemsSeed {
                builder,
                is_node,
                fast: self.fast,
            })?;
        }
        self.builder.seen_nodes = nodes;
        Ok(())
    }
}

/// Streams the `nodes` or `edges` list, one item at a time.
struct ItemsSeed<'b, 'l> {
    builder: &'b mut Builder<'l>,
    is_node: bool,
    fast: bool,
}

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let give_up = || A::Error::custom("not the fast path");
        for i in 0.. {
            let added = match (self.fast, self.is_node) {
                (true, true) => match seq.next_element::<FastNode<'de>>()? {
                    None => break,
                    Some(n) => {
                        let parts = n.parts().ok_or_else(give_up)?;
                        self.builder.insert(i, parts)
                    }
                },
                (true, false) => match seq.next_element::<FastEdge<'de>>()? {
                    None => break,
                    Some(e) if e.from.is_empty() || e.to.is_empty() => return Err(give_up()),
                    Some(e) => self.builder.insert_edge(i, e.from, e.to),
                },
                (false, _) => match seq.next_element::<Json>()? {
                    None => break,
                    Some(v) => self.builder.add(self.is_node, i, &v),
                },
            };
            if let Err(e) = added {
                self.builder.error = Some(e);
                return Err(A::Error::custom("invalid graph"));
            }
        }
        Ok(())
    }
}

/// A node as the fast pass reads it: strings borrowed from the text, types
/// as strict as the checked pass; anything unusual (an escaped string, an
/// unknown or repeated field, a wrong type) makes it give up.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastNode<'a> {
    id: &'a str,
    #[serde(default)]
    kind: Option<&'a str>,
    #[serde(default)]
    tier: Option<i64>,
    #[serde(default)]
    owner: Option<&'a str>,
    #[serde(default)]
    tags: Option<Vec<&'a str>>,
    #[serde(default)]
    attributes: Option<serde_json::Map<String, Json>>,
    #[serde(default)]
    depends_on: Option<Vec<&'a str>>,
}

impl FastNode<'_> {
    /// The node's parts, or `None` where the checked pass would object.
    fn parts(&self) -> Option<NodeParts<'_>> {
        let depends_on = self.depends_on.clone().unwrap_or_default();
        if self.id.is_empty() || depends_on.iter().any(|d| d.is_empty()) {
            return None;
        }
        Some(NodeParts {
            id: self.id,
            kind: self.kind,
            tier: self.tier,
            owner: self.owner,
            tags: self.tags.clone().unwrap_or_default(),
            attributes: self
                .attributes
                .iter()
                .flatten()
                .map(|(k, v)| (k.as_str(), v))
                .collect(),
            depends_on,
        })
    }
}

/// An edge as the fast pass reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FastEdge<'a> {
    from: &'a str,
    to: &'a str,
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]
mod tests {
    use super::*;
    use serde_json::json;

    fn load(v: Json) -> Graph {
        let text = serde_json::to_string(&v).unwrap();
        let streamed = Graph::from_json(&text).unwrap();
        let whole = Graph::from_value(&v, &Limits::default()).unwrap();
        assert_eq!(ids(&streamed, &all(&streamed)), ids(&whole, &all(&whole)));
        streamed
    }

    fn all(g: &Graph) -> Vec<NodeIdx> {
        g.nodes().map(|(i, _)| i).collect()
    }

    fn ids(g: &Graph, nodes: &[NodeIdx]) -> Vec<String> {
        nodes.iter().map(|&n| g.node(n).id.to_string()).collect()
    }

    fn idx(g: &Graph, id: &str) -> NodeIdx {
        g.index_of(id).unwrap()
    }

    /// a and b are targets; c depends on both, e on a, d on c and e.
    fn diamond() -> Graph {
        load(json!({"nodes": [
            {"id": "d", "depends_on": ["e", "c"]},
            {"id": "e", "depends_on": ["a"]},
            {"id": "c", "depends_on": ["b", "a"]},
            {"id": "a"}, {"id": "b"}, {"id": "z"}
        ]}))
    }

    #[test]
    fn impact_on_a_diamond_with_two_targets() {
        let g = diamond();
        let imp = g.impact(&[idx(&g, "b"), idx(&g, "a")]);
        assert_eq!(ids(&g, imp.nodes()), ["a", "b", "c", "e", "d"]);
        assert_eq!(imp.len(), 5);
        assert_eq!(imp.depth(idx(&g, "a")), Some(0));
        assert_eq!(imp.depth(idx(&g, "c")), Some(1));
        assert_eq!(imp.depth(idx(&g, "d")), Some(2));
        assert_eq!(imp.depth(idx(&g, "z")), None);
        assert!(!imp.contains(idx(&g, "z")));
        assert!(imp.path(idx(&g, "z")).is_empty());
        // b comes first, so it discovers c; d is reached through c (id order).
        assert_eq!(ids(&g, &imp.path(idx(&g, "d"))), ["b", "c", "d"]);
        assert_eq!(ids(&g, &imp.path(idx(&g, "e"))), ["a", "e"]);
        assert_eq!(ids(&g, &imp.path(idx(&g, "a"))), ["a"]);
        // With a first, a discovers c.
        let imp = g.impact(&[idx(&g, "a"), idx(&g, "b"), idx(&g, "a")]);
        assert_eq!(ids(&g, &imp.path(idx(&g, "d"))), ["a", "c", "d"]);
        assert_eq!(imp.len(), 5);
    }

    #[test]
    fn cycles_and_self_loops_terminate() {
        // x <- z <- y <- x (y also depends on itself)
        let g = load(json!({"nodes": [
            {"id": "x", "depends_on": ["y"]},
            {"id": "y", "depends_on": ["z", "y"]},
            {"id": "z", "depends_on": ["x"]}
        ]}));
        let (x, y, z) = (idx(&g, "x"), idx(&g, "y"), idx(&g, "z"));
        assert_eq!(g.dependents_of(y), [x, y]);
        let imp = g.impact(&[x]);
        assert_eq!(ids(&g, imp.nodes()), ["x", "z", "y"]);
        assert_eq!(imp.depth(y), Some(2));
        assert_eq!(ids(&g, &imp.path(y)), ["x", "z", "y"]);
        let r = g.reach(&[x], Direction::Dependents, None);
        assert_eq!(r, [(z, 1), (y, 2), (x, 3)]);
        assert_eq!(
            g.reach(&[y], Direction::Dependents, Some(1)),
            [(x, 1), (y, 1)]
        );
        assert_eq!(
            g.reach(&[x], Direction::Dependencies, None),
            [(y, 1), (z, 2), (x, 3)]
        );
    }

    #[test]
    fn reach_with_depth_limits() {
        let g = diamond();
        let (a, c, d, e) = (idx(&g, "a"), idx(&g, "c"), idx(&g, "d"), idx(&g, "e"));
        assert_eq!(
            g.reach(&[a], Direction::Dependents, Some(1)),
            [(c, 1), (e, 1)]
        );
        assert_eq!(
            g.reach(&[a], Direction::Dependents, None),
            [(c, 1), (e, 1), (d, 2)]
        );
        assert!(g.reach(&[a], Direction::Dependents, Some(0)).is_empty());
        // A member of `from` counts only when reached from another member.
        assert_eq!(
            g.reach(&[a, e], Direction::Dependents, Some(1)),
            [(c, 1), (d, 1), (e, 1)]
        );
        let deps = g.reach(&[d], Direction::Dependencies, Some(2));
        assert_eq!(
            ids(&g, &deps.iter().map(|p| p.0).collect::<Vec<_>>()),
            ["c", "e", "a", "b"]
        );
        assert_eq!(deps.iter().map(|p| p.1).collect::<Vec<_>>(), [1, 1, 2, 2]);
    }

    #[test]
    fn depends_on_and_edges_combine_and_duplicates_collapse() {
        // Edges come first and name nodes declared later.
        let g = load(json!({
            "edges": [{"from": "a", "to": "b"}, {"from": "c", "to": "b"}, {"from": "a", "to": "b"}],
            "nodes": [{"id": "b"}, {"id": "a", "depends_on": ["b", "b"]}, {"id": "c"}]
        }));
        let (a, b, c) = (idx(&g, "a"), idx(&g, "b"), idx(&g, "c"));
        assert_eq!(g.dependencies_of(a), [b]);
        assert_eq!(g.dependents_of(b), [a, c]);
        assert!(g.dependents_of(a).is_empty());
        assert_eq!(g.edge_count(), 2);
        assert_eq!(a, NodeIdx(1), "indices follow JSON order");
    }

    #[test]
    fn unusual_but_valid_documents_load_the_same() {
        // Escaped strings, repeated names and nulls leave the fast pass.

        let text = r#"{"nodes": [
            {"id": "caf\u00e9", "kind": null, "tags": null, "depends_on": ["b"],
             "attributes": {"x": 1, "x": 2, "note": "line\nbreak"}},
            {"id": "a b", "id": "b", "tier": -3}
        ], "edges": null}"#;
        let g = Graph::from_json(text).unwrap();
        let cafe = g.node(idx(&g, "café"));
        assert_eq!(
            cafe.field("x"),
            Value::Int(2),
            "the last repeated name wins"
        );
        assert_eq!(cafe.field("note"), Value::str("line\nbreak"));
        assert_eq!(cafe.kind, None);
        assert!(g.index_of("a b").is_none(), "the last repeated field wins");
        assert_eq!(g.node(idx(&g, "b")).tier, Some(-3));
        let err = Graph::from_json(&text.replace("\"id\": \"b\"", "\"id\": \"c\"")).unwrap_err();
        assert_eq!(err.path, "nodes[0].depends_on[0]");
    }

    #[test]
    fn neighbours_are_in_id_order_not_json_order() {
        let g = load(json!({"nodes": [
            {"id": "zeta", "depends_on": ["hub"]}, {"id": "hub"},
            {"id": "alpha", "depends_on": ["hub"]}, {"id": "mu", "depends_on": ["hub"]}
        ]}));
        assert_eq!(
            ids(&g, g.dependents_of(idx(&g, "hub"))),
            ["alpha", "mu", "zeta"]
        );
        let mut v = all(&g);
        g.sort_by_id(&mut v);
        assert_eq!(ids(&g, &v), ["alpha", "hub", "mu", "zeta"]);
    }

    #[test]
    fn node_fields_and_name_clashes() {
        let g = load(json!({"nodes": [
            {"id": "db", "kind": "database", "tier": 0, "owner": "dba", "tags": ["pii", "eu"],
             "attributes": {"owner": "someone-else", "region": "eu-west-1", "kind": 7}},
            {"id": "bare", "attributes": {"tier": 9}}
        ]}));
        let db = g.node(idx(&g, "db"));
        assert_eq!(db.field("id"), Value::str("db"));
        assert_eq!(db.field("kind"), Value::str("database"));
        assert_eq!(db.field("tier"), Value::Int(0));
        assert_eq!(db.field("owner"), Value::str("dba"));
        assert_eq!(
            db.field("tags"),
            Value::List(vec![Value::str("pii"), Value::str("eu")].into())
        );
        assert_eq!(db.field("region"), Value::str("eu-west-1"));
        assert_eq!(db.field("nope"), Value::Null);
        let bare = g.node(idx(&g, "bare"));
        assert_eq!(
            bare.field("tier"),
            Value::Null,
            "first-class names win even when absent"
        );
        assert_eq!(bare.field("tags"), Value::List(Vec::new().into()));
    }

    #[test]
    fn foreign_indices_do_not_panic() {
        let g = diamond();
        assert_eq!(&*g.node(NodeIdx(999)).id, "");
        assert!(g.dependents_of(NodeIdx(999)).is_empty());
        assert!(g.impact(&[NodeIdx(999)]).is_empty());
        assert!(
            g.reach(&[NodeIdx(999)], Direction::Dependencies, None)
                .is_empty()
        );
        let empty = load(json!({"nodes": []}));
        assert!(empty.is_empty());
    }

    #[test]
    fn graphs_are_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Graph>();
        check::<Impact>();
    }

    #[test]
    fn bad_graphs_name_the_field() {
        // (document, path, message fragment, help fragment)
        let cases: &[(&str, &str, &str, &str)] = &[
            (r#"[]"#, "", "expected an object, found a list", ""),
            (r#"{}"#, "nodes", "missing required field `nodes`", ""),
            (
                r#"{"edges": []}"#,
                "nodes",
                "missing required field `nodes`",
                "",
            ),
            (
                r#"{"nodes": {}}"#,
                "nodes",
                "expected a list, found an object",
                "",
            ),
            (
                r#"{"nodez": []}"#,
                "nodez",
                "unknown field `nodez`",
                "did you mean `nodes`?",
            ),
            (
                r#"{"nodes": [], "nodes": [1]}"#,
                "nodes[0]",
                "expected an object, found number `1`",
                "",
            ),
            (
                r#"{"nodes": [{"kind": "db"}]}"#,
                "nodes[0].id",
                "missing required field `id`",
                "",
            ),
            (r#"{"nodes": [{"id": ""}]}"#, "nodes[0].id", "non-empty", ""),
            (
                r#"{"nodes": [{"id": 5}]}"#,
                "nodes[0].id",
                "expected a string, found number `5`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a"}, {"id": "b", "tier": "1"}]}"#,
                "nodes[1].tier",
                "expected an integer, found string `\"1\"`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a", "tier": 1.5}]}"#,
                "nodes[0].tier",
                "expected an integer, found number `1.5`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a", "owner": ["x"]}]}"#,
                "nodes[0].owner",
                "expected a string, found a list",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a", "tags": ["x", 3]}]}"#,
                "nodes[0].tags[1]",
                "expected a string",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a", "attributes": []}]}"#,
                "nodes[0].attributes",
                "expected an object",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a", "region": "eu"}]}"#,
                "nodes[0].region",
                "unknown field `region`",
                "put custom data under `attributes`",
            ),
            (
                r#"{"nodes": [{"id": "a", "onwer": "x"}]}"#,
                "nodes[0].onwer",
                "unknown field",
                "did you mean `owner`?",
            ),
            (
                r#"{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}"#,
                "nodes[2].id",
                "duplicate id `a`, first at `nodes[0]`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "orders-db"}, {"id": "api", "depends_on": ["ordrs-db"]}]}"#,
                "nodes[1].depends_on[0]",
                "unknown node `ordrs-db`",
                "did you mean `orders-db`?",
            ),
            (
                r#"{"nodes": [{"id": "a", "depends_on": "b"}]}"#,
                "nodes[0].depends_on",
                "expected a list",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "qqqq"}]}"#,
                "edges[0].to",
                "unknown node `qqqq`",
                "declared in `nodes`",
            ),
            (
                r#"{"edges": [{"from": "x", "to": "a"}], "nodes": [{"id": "a"}]}"#,
                "edges[0].from",
                "unknown node `x`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a"}], "edges": [{"to": "a"}]}"#,
                "edges[0].from",
                "missing required field `from`",
                "",
            ),
            (
                r#"{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "a", "type": "x"}]}"#,
                "edges[0].type",
                "unknown field `type`",
                "known fields: `from`, `to`",
            ),
            (
                r#"{"nodes": [{"id": "a"}], "edges": {}}"#,
                "edges",
                "expected a list",
                "",
            ),
            (r#"{"nodes": [{"id": "a"}"#, "", "invalid JSON", ""),
            (
                r#"{"nodes": []} x"#,
                "",
                "invalid JSON: trailing characters at line 1 column 15",
                "",
            ),
        ];
        for (text, path, message, help) in cases {
            let err = Graph::from_json(text).unwrap_err();
            assert_eq!(err.path, *path, "{text}: {err:?}");
            assert!(err.message.contains(message), "{text}: {err:?}");
            assert!(
                err.help.clone().unwrap_or_default().contains(help),
                "{text}: {err:?}"
            );
            if let Ok(v) = serde_json::from_str::<Json>(text) {
                assert_eq!(
                    Graph::from_value(&v, &Limits::default()).err(),
                    Some(err),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Limits {
            max_graph_nodes: 2,
            max_graph_edges: 2,
            ..Limits::default()
        };
        let text = r#"{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}"#;
        let err = Graph::from_json_with_limits(text, &limits).unwrap_err();
        assert_eq!(err.path, "nodes[2]");
        assert!(err.message.contains("more than 2 nodes"), "{err:?}");
        let text = r#"{"nodes": [{"id": "a", "depends_on": ["b", "b"]}, {"id": "b"}],
                       "edges": [{"from": "b", "to": "a"}]}"#;
        let err = Graph::from_json_with_limits(text, &limits).unwrap_err();
        assert_eq!(err.path, "edges[0]");
        assert!(err.message.contains("more than 2 edges"), "{err:?}");
        let small = Limits {
            max_input_bytes: 10,
            ..Limits::default()
        };
        let err = Graph::from_json_with_limits(text, &small).unwrap_err();
        assert!(err.message.contains("limit of 10 bytes"), "{err:?}");
    }

    /// A generated estate: node i depends on up to three earlier nodes.
    fn estate(n: usize) -> String {
        let mut nodes = Vec::with_capacity(n);
        for i in 0..n {
            let deps: Vec<String> = [i / 2, i / 3, i.saturating_sub(7)]
                .iter()
                .filter(|&&d| d < i)
                .map(|d| format!("svc-{d:06}"))
                .collect();
            let kind = ["service", "database", "queue"][i % 3];
            nodes.push(json!({
                "id": format!("svc-{i:06}"), "kind": kind,
                "tier": (i % 4) as i64, "owner": format!("team-{}", i % 50),
                "tags": if i % 10 == 0 { json!(["pii"]) } else { json!([]) },
                "attributes": {"region": "eu-west-1"}, "depends_on": deps
            }));
        }
        serde_json::to_string(&json!({"nodes": nodes})).unwrap()
    }

    #[test]
    fn a_large_estate_loads() {
        let text = estate(100_000);
        let started = std::time::Instant::now();
        let g = Graph::from_json(&text).unwrap();
        let loaded = started.elapsed();
        let root = idx(&g, "svc-000000");
        let started = std::time::Instant::now();
        let imp = g.impact(&[root]);
        eprintln!(
            "load {loaded:?}, impact of {} nodes {:?}",
            imp.len(),
            started.elapsed()
        );
        assert_eq!(g.len(), 100_000);
        assert_eq!(imp.len(), 100_000);
        assert_eq!(
            ids(&g, g.dependencies_of(idx(&g, "svc-000100"))),
            ["svc-000033", "svc-000050", "svc-000093"]
        );
        // Every path is a shortest chain of real edges from the target.
        for &n in imp.nodes().iter().step_by(997) {
            let path = imp.path(n);
            assert_eq!(path.first(), Some(&root));
            assert_eq!(path.last(), Some(&n));
            assert_eq!(path.len() as u32, imp.depth(n).unwrap() + 1);
            assert!(
                path.windows(2)
                    .all(|w| g.dependents_of(w[0]).contains(&w[1]))
            );
        }
    }
}
