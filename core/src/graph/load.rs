//! Loading a [`Graph`] from JSON: a streaming fast pass over the text, a
//! checked streaming pass for precise errors, and a whole-document fallback,
//! all feeding one validating [`Builder`].

use std::collections::HashSet;
use std::sync::Arc;

use serde::de::DeserializeSeed;
use serde_json::Value as Json;

use super::alias::AliasList;
use super::csr::Csr;
use super::hash::FoldState;
use super::stream::RootSeed;
use super::table::Table;
use super::{Aliases, Attributes, Graph, GraphData, Node, NodeIdx, to_u32};
use crate::input::{self, InputError, Path};
use crate::limits::Limits;
use crate::value::Value;

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
        let text = input::strip_bom(text);
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
        // repeated top-level field): read it as a whole for the precise error
        // (a repeated key is one, see `input/value.rs`).
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
}

fn too_many_edges() -> InputError {
    InputError::new("", "graph has too many edges")
}

pub(super) static ROOT: Path<'static> = Path::Root;
const TOP_FIELDS: &[&str] = &["nodes", "edges"];
const NODE_FIELDS: &[&str] = &[
    "id",
    "kind",
    "tier",
    "owner",
    "tags",
    "attributes",
    "depends_on",
    "aliases",
];
const EDGE_FIELDS: &[&str] = &["from", "to"];

/// An edge endpoint with this bit set is not a node but the name at the
/// rest of the number in [`Forward`]: a name not declared yet when the edge
/// was read (every `depends_on` of an estate listed from the top down).
const FORWARD: u32 = 1 << 31;

/// Where an edge was written, for errors about it.
#[derive(Clone, Copy)]
enum Origin {
    DependsOn { node: usize, pos: usize },
    Edge { pos: usize },
}

/// The names edges used before their node was declared, each once, in one
/// text (no allocation per name).
#[derive(Default)]
struct Forward {
    text: String,
    /// Where each name ends in `text`.
    ends: Vec<u32>,
    table: Table,
}

impl Forward {
    fn name(&self, k: u32) -> &str {
        name_in(&self.text, &self.ends, k)
    }

    /// The number of `name`, added if new; `None` past `FORWARD` names or
    /// 4 GiB of them (far beyond any input the limits admit).
    fn intern(&mut self, name: &str) -> Option<u32> {
        let Forward { text, ends, table } = self;
        if let Some(k) = table.find(name, |k| name_in(text, ends, k)) {
            return Some(k);
        }
        let k = u32::try_from(ends.len()).ok().filter(|&k| k < FORWARD)?;
        text.push_str(name);
        ends.push(u32::try_from(text.len()).ok()?);
        table.insert(k, |k| name_in(text, ends, k));
        Some(k)
    }
}

fn name_in<'t>(text: &'t str, ends: &[u32], k: u32) -> &'t str {
    let k = k as usize;
    let start = k.checked_sub(1).and_then(|j| ends.get(j)).copied();
    let end = ends.get(k).copied().unwrap_or(0) as usize;
    text.get(start.unwrap_or(0) as usize..end)
        .unwrap_or_default()
}

/// The fields of one node, read and type-checked but not yet validated
/// against the rest of the graph.
pub(super) struct NodeParts<'x> {
    pub(super) id: &'x str,
    pub(super) kind: Option<&'x str>,
    pub(super) tier: Option<i64>,
    pub(super) owner: Option<&'x str>,
    pub(super) tags: Vec<&'x str>,
    pub(super) attributes: Vec<(&'x str, &'x Json)>,
    pub(super) depends_on: Vec<&'x str>,
    pub(super) aliases: Vec<&'x str>,
}

/// Accumulates nodes and edges one JSON item at a time.
pub(super) struct Builder<'l> {
    limits: &'l Limits,
    nodes: Vec<Node>,
    /// Node indices by id.
    index: Table,
    /// Interned kinds, owners and tags (few distinct values, many nodes).
    strings: HashSet<Arc<str>, FoldState>,
    /// Every edge `(from, to)` in document order: a node index, or
    /// [`FORWARD`] and the number of a name in `forward`.
    edges: Vec<(u32, u32)>,
    forward: Forward,
    /// Where the items of the `edges` list lie in `edges`, one edge each
    /// (the rest are `depends_on` entries, each node's together).
    edge_items: std::ops::Range<usize>,
    edge_entries: usize,
    /// Each alias with its node and its position in the node's list, in
    /// document order (checked against the ids once all are known).
    aliases: AliasList,
    pub(super) seen_nodes: bool,
    /// The validation error that stopped streaming.
    pub(super) error: Option<InputError>,
}

impl<'l> Builder<'l> {
    fn new(limits: &'l Limits) -> Self {
        Builder {
            limits,
            nodes: Vec::new(),
            index: Table::default(),
            strings: HashSet::default(),
            edges: Vec::new(),
            forward: Forward::default(),
            edge_items: 0..0,
            edge_entries: 0,
            aliases: AliasList::default(),
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

    fn index_of(&self, id: &str) -> Option<u32> {
        let nodes = &self.nodes;
        self.index
            .find(id, |e| nodes.get(e as usize).map_or("", |n| &*n.id))
    }

    pub(super) fn add(&mut self, is_node: bool, i: usize, item: &Json) -> Result<(), InputError> {
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
                aliases: input::opt_str_list(obj, "aliases", &p, true)?,
            },
        )
    }

    /// Adds node `i`, whose fields have been read and type-checked.
    pub(super) fn insert(&mut self, i: usize, node: NodeParts<'_>) -> Result<(), InputError> {
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
        if let Some(first) = self.index_of(node.id) {
            let id = node.id;
            return Err(p
                .key("id")
                .error(format!("duplicate id `{id}`, first at `nodes[{first}]`")));
        }
        let me = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&k| k < FORWARD)
            .map(NodeIdx)
            .ok_or_else(|| p.error("graph has too many nodes"))?;
        let built = Node {
            id: Arc::from(node.id),
            kind: node.kind.map(|s| self.intern(s)),
            tier: node.tier,
            owner: node.owner.map(|s| self.intern(s)),
            tags: node.tags.iter().map(|t| self.intern(t)).collect(),
            attributes: self.attributes(node.attributes),
        };
        self.nodes.push(built);
        let nodes = &self.nodes;
        self.index
            .insert(me.0, |e| nodes.get(e as usize).map_or("", |n| &*n.id));
        for (pos, alias) in (0u32..).zip(node.aliases) {
            // A node's own id as its alias adds nothing.
            if alias != node.id {
                self.aliases.push(alias, me, pos);
            }
        }
        let deps = p.key("depends_on");
        for (pos, dep) in node.depends_on.into_iter().enumerate() {
            self.count_edge(&deps.index(pos))?;
            let to = self.end(dep)?;
            self.push_edge(me.0, to)?;
        }
        Ok(())
    }

    /// Converts attributes, sharing names and string values that recur
    /// across nodes. (A name is not repeated within one node: text with a
    /// repeated key is refused when read.)
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
    pub(super) fn insert_edge(&mut self, i: usize, from: &str, to: &str) -> Result<(), InputError> {
        let edges = ROOT.key("edges");
        self.count_edge(&edges.index(i))?;
        let (from, to) = (self.end(from)?, self.end(to)?);
        if i == 0 {
            self.edge_items = self.edges.len()..self.edges.len();
        }
        self.push_edge(from, to)?;
        self.edge_items.end = self.edges.len();
        Ok(())
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

    /// The endpoint `name`: its node, or its number among the forward names.
    fn end(&mut self, name: &str) -> Result<u32, InputError> {
        if let Some(n) = self.index_of(name) {
            return Ok(n);
        }
        self.forward
            .intern(name)
            .map(|k| k | FORWARD)
            .ok_or_else(too_many_edges)
    }

    fn push_edge(&mut self, from: u32, to: u32) -> Result<(), InputError> {
        // The adjacency numbers its edges with `u32`.
        if self.edges.len() >= (u32::MAX - 1) as usize {
            return Err(too_many_edges());
        }
        self.edges.push((from, to));
        Ok(())
    }

    /// Where edge `k` of `edges` was written: an item of the `edges` list,
    /// or an entry of its node's `depends_on` (whose entries lie together,
    /// their `from` being that node, never a forward name).
    fn origin(&self, k: usize) -> Origin {
        if self.edge_items.contains(&k) {
            return Origin::Edge {
                pos: k - self.edge_items.start,
            };
        }
        let from = self.edges.get(k).map_or(0, |e| e.0);
        let first = (0..k)
            .rev()
            .take_while(|&j| {
                !self.edge_items.contains(&j) && self.edges.get(j).is_some_and(|e| e.0 == from)
            })
            .last()
            .unwrap_or(k);
        Origin::DependsOn {
            node: from as usize,
            pos: k - first,
        }
    }

    /// Resolves the forward names of every edge, or the error of the first
    /// (in document order, `from` before `to`) that names no node.
    fn resolve_edges(&mut self) -> Result<(), InputError> {
        if self.forward.ends.is_empty() {
            return Ok(());
        }
        let count = u32::try_from(self.forward.ends.len()).unwrap_or(FORWARD);
        let found: Vec<Option<u32>> = (0..count)
            .map(|k| self.index_of(self.forward.name(k)))
            .collect();
        for k in 0..self.edges.len() {
            let Some(&(from, to)) = self.edges.get(k) else {
                break;
            };
            let mut ends = [from, to];
            for (end, which) in ends.iter_mut().zip(["from", "to"]) {
                if *end & FORWARD == 0 {
                    continue;
                }
                match found.get((*end & !FORWARD) as usize).copied().flatten() {
                    Some(n) => *end = n,
                    None => return Err(self.unknown(k, *end & !FORWARD, which)),
                }
            }
            if let Some(e) = self.edges.get_mut(k) {
                *e = (ends[0], ends[1]);
            }
        }
        self.forward = Forward::default();
        Ok(())
    }

    /// The error for edge `k`, whose endpoint `which` is forward name `name`.
    fn unknown(&self, k: usize, name: u32, which: &str) -> InputError {
        let name = self.forward.name(name);
        let path = match self.origin(k) {
            Origin::DependsOn { node, pos } => format!("nodes[{node}].depends_on[{pos}]"),
            Origin::Edge { pos } => format!("edges[{pos}].{which}"),
        };
        let err = InputError::new(path, format!("unknown node `{name}`"));
        match input::did_you_mean(name, self.nodes.iter().map(|n| &*n.id)) {
            Some(m) => err.with_help(format!("did you mean `{m}`?")),
            None => err.with_help("every node an edge names must be declared in `nodes`"),
        }
    }

    /// The aliases, once no alias is another node's id: such a name would
    /// resolve to the node with the id while its author meant the other one
    /// (docs/language.md, *The graph*).
    fn check_aliases(&mut self) -> Result<Option<Box<Aliases>>, InputError> {
        let entries = std::mem::take(&mut self.aliases);
        for (alias, node, pos) in entries.iter() {
            if let Some(other) = self.index_of(alias) {
                let path = format!("nodes[{}].aliases[{pos}]", node.0);
                return Err(InputError::new(
                    path,
                    format!("alias `{alias}` is the id of another node, `nodes[{other}]`"),
                )
                .with_help(
                    "an alias must not be another node's id, or a change naming it could mean \
                     either node: remove the alias, or rename one of the nodes",
                ));
            }
        }
        Ok(entries.finish())
    }

    fn finish(mut self) -> Result<Graph, InputError> {
        if !self.seen_nodes {
            return Err(InputError::new("nodes", "missing required field `nodes`")
                .with_help("a graph is `{\"nodes\": [...], \"edges\": [...]}`"));
        }
        self.resolve_edges()?;
        let aliases = self.check_aliases()?;
        let n = self.nodes.len();
        let id = |k: u32| self.nodes.get(k as usize).map_or("", |n| &*n.id);
        let mut by_id: Vec<u32> = (0..to_u32(n)).collect();
        by_id.sort_unstable_by(|&a, &b| id(a).cmp(id(b)));
        let mut rank = vec![0u32; n];
        for (pos, &i) in (0u32..).zip(by_id.iter()) {
            if let Some(r) = rank.get_mut(i as usize) {
                *r = pos;
            }
        }
        drop(by_id);
        self.nodes.shrink_to_fit();
        let dependencies = Csr::build(n, &self.edges, true, &rank);
        let dependents = Csr::build(n, &self.edges, false, &rank);
        drop(self.edges);
        Ok(Graph(Arc::new(GraphData {
            nodes: self.nodes,
            index: self.index,
            rank: rank.into_boxed_slice(),
            dependencies,
            dependents,
            aliases,
            folded: std::sync::OnceLock::new(),
            placeholder: Node::default(),
        })))
    }
}
