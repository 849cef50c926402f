//! Loading a [`Graph`] from JSON: a streaming fast pass over the text, a
//! checked streaming pass for precise errors, and a whole-document fallback,
//! all feeding one validating [`Builder`].

use std::collections::HashSet;
use std::sync::Arc;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::de::DeserializeSeed;
use serde_json::Value as Json;

use super::alias::AliasList;
use super::csr::Csr;
use super::stream::RootSeed;
use super::{Aliases, Attributes, FoldState, Graph, GraphData, IdMap, Node, NodeIdx};
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
    index: IdMap,
    /// Interned kinds, owners and tags (few distinct values, many nodes).
    strings: HashSet<Arc<str>, FoldState>,
    edges: DiGraph<(), (), u32>,
    pending: Vec<Pending>,
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
            index: IdMap::default(),
            strings: HashSet::default(),
            edges: DiGraph::default(),
            pending: Vec::new(),
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
        for (pos, alias) in (0u32..).zip(node.aliases) {
            // A node's own id as its alias adds nothing.
            if alias != node.id {
                self.aliases.push(alias, me, pos);
            }
        }
        let deps = p.key("depends_on");
        for (pos, dep) in node.depends_on.into_iter().enumerate() {
            self.count_edge(&deps.index(pos))?;
            let to = self.end(dep);
            self.connect(End::Known(me), to, Origin::DependsOn { node: i, pos })?;
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

    /// The aliases, once no alias is another node's id: such a name would
    /// resolve to the node with the id while its author meant the other one
    /// (docs/language.md, *The graph*).
    fn check_aliases(&mut self) -> Result<Option<Box<Aliases>>, InputError> {
        let entries = std::mem::take(&mut self.aliases);
        for (alias, node, pos) in entries.iter() {
            if let Some(other) = self.index.get(alias) {
                let path = format!("nodes[{}].aliases[{pos}]", node.0);
                return Err(InputError::new(
                    path,
                    format!(
                        "alias `{alias}` is the id of another node, `nodes[{}]`",
                        other.0
                    ),
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
        for pe in std::mem::take(&mut self.pending) {
            let from = self.resolve(pe.from, pe.origin, "from")?;
            let to = self.resolve(pe.to, pe.origin, "to")?;
            self.link(from, to)?;
        }
        let aliases = self.check_aliases()?;
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
        let dependencies = Csr::build(&self.edges, petgraph::Direction::Outgoing, &rank)?;
        let dependents = Csr::build(&self.edges, petgraph::Direction::Incoming, &rank)?;
        Ok(Graph(Arc::new(GraphData {
            nodes: self.nodes,
            index: self.index,
            rank,
            dependencies,
            dependents,
            aliases,
            folded: std::sync::OnceLock::new(),
            placeholder: Node::default(),
        })))
    }
}
