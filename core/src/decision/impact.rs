//! The blast radius as a decision reports it: read lazily from the graph,
//! and written to and read back from JSON.

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Text, json};
use crate::graph::{Graph, Impact, NodeIdx};

/// The blast radius.
///
/// It keeps the walk's node indices and a handle to the graph: ids and
/// paths are read from the graph when asked for (or written to JSON), so a
/// decision copies nothing per impacted node.
#[derive(Clone)]
pub struct ImpactReport {
    /// The change's targets, in the order given.
    targets: Vec<NodeIdx>,
    impact: Impact,
}

/// One node of the blast radius, as [`ImpactReport::get`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpactedNode<'a> {
    /// The node's id.
    pub id: &'a str,
    /// Distance from the nearest target (targets: 0).
    pub depth: u32,
    /// The index (in [`ImpactReport::get`]) of the node before this one on
    /// its path; `None` for a target.
    pub via: Option<usize>,
}

impl ImpactReport {
    /// The report of a computed blast radius.
    pub(crate) fn new(targets: Vec<NodeIdx>, impact: Impact) -> ImpactReport {
        ImpactReport { targets, impact }
    }

    /// A report over bare ids (no graph at hand): the targets, and each
    /// impacted node with its depth and the index in `nodes` of the node
    /// before it on its path (`None` for a target). Nodes are shown by depth
    /// then id, whatever their order here.
    pub(crate) fn from_nodes(
        targets: Vec<Text>,
        nodes: Vec<(Text, u32, Option<usize>)>,
    ) -> ImpactReport {
        let to_u32 = |k: usize| u32::try_from(k).unwrap_or(u32::MAX);
        let mut ids: Vec<Text> = nodes.iter().map(|n| n.0.clone()).collect();
        let mut index: std::collections::HashMap<Text, u32> = std::collections::HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            index.entry(id.clone()).or_insert(to_u32(i));
        }
        let mut target_idx = Vec::with_capacity(targets.len());
        for t in targets {
            let next = to_u32(ids.len());
            let k = *index.entry(t.clone()).or_insert_with(|| {
                ids.push(t);
                next
            });
            target_idx.push(NodeIdx(k));
        }
        let entries: Vec<(NodeIdx, u32, u32)> = nodes
            .iter()
            .zip(0u32..)
            .map(|((_, depth, via), k)| {
                let parent = via.filter(|_| *depth > 0).map_or(k, to_u32);
                (NodeIdx(k), *depth, parent)
            })
            .collect();
        ImpactReport {
            targets: target_idx,
            impact: Impact::from_entries(Graph::from_ids(ids), entries),
        }
    }

    /// The change's targets, in the order given.
    pub fn targets(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let g = self.impact.graph();
        self.targets.iter().map(move |&n| &*g.node(n).id)
    }

    /// The number of impacted nodes, targets included.
    pub fn len(&self) -> usize {
        self.impact.len()
    }

    /// Whether no node is impacted.
    pub fn is_empty(&self) -> bool {
        self.impact.is_empty()
    }

    /// The `i`-th impacted node, by depth then id.
    pub fn get(&self, i: usize) -> Option<ImpactedNode<'_>> {
        let (n, depth, via) = self.impact.get(i)?;
        Some(ImpactedNode {
            id: &self.impact.graph().node(n).id,
            depth,
            via,
        })
    }

    /// The impacted nodes, targets first, by depth then id.
    pub fn iter(&self) -> impl Iterator<Item = ImpactedNode<'_>> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// One shortest path from a target to the `i`-th impacted node: the ids
    /// from the target to the node. Empty if `i` is out of range.
    pub fn path(&self, i: usize) -> Vec<&str> {
        let g = self.impact.graph();
        let mut path: Vec<&str> = self.impact.path_back(i).map(|p| &*g.node(p).id).collect();
        path.reverse();
        path
    }

    /// The blast radius in graph terms: node indices of
    /// [`Impact::graph`], depths and parents.
    pub fn impact(&self) -> &Impact {
        &self.impact
    }
}

impl ImpactReport {
    /// The report as JSON on its own, as [`crate::api::impact_json`] gives
    /// it: the layout of the decision's, at the top level, with a final
    /// newline.
    pub(crate) fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(1024 + 160 * self.len());
        self.write_json(&mut out, 0);
        out.push(b'\n');
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the report as [`Serialize`] does through the decision's
    /// pretty layout, with the opening brace at indentation `level`, but
    /// straight into `out`. Nodes come by depth, so the node before this
    /// one on its path is already written: its path's bytes are copied,
    /// then this node's id, instead of each id of the path written again.
    pub(crate) fn write_json(&self, out: &mut Vec<u8>, level: usize) {
        let g = self.impact.graph();
        out.push(b'{');
        json::newline(out, level + 1);
        out.extend_from_slice(b"\"targets\": [");
        let start = out.len();
        write_items(out, level + 2, self.targets.iter().copied(), g);
        close(out, start, level + 1, b']');
        out.push(b',');
        json::newline(out, level + 1);
        out.extend_from_slice(b"\"impacted\": [");
        let list = out.len();
        // Where each node's path elements are in `out`.
        let mut paths: Vec<std::ops::Range<usize>> = Vec::with_capacity(self.len());
        for i in 0..self.len() {
            let Some((n, depth, via)) = self.impact.get(i) else {
                paths.push(0..0);
                continue;
            };
            if i > 0 {
                out.push(b',');
            }
            json::newline(out, level + 2);
            out.push(b'{');
            json::newline(out, level + 3);
            out.extend_from_slice(b"\"id\": ");
            let id = out.len();
            json::write_str(out, &g.node(n).id);
            let id = id..out.len();
            out.push(b',');
            json::newline(out, level + 3);
            out.extend_from_slice(b"\"depth\": ");
            json::write_u32(out, depth);
            out.push(b',');
            json::newline(out, level + 3);
            out.extend_from_slice(b"\"path\": [");
            let start = out.len();
            let before = via
                .filter(|&v| depth > 0 && v < i)
                .and_then(|v| paths.get(v))
                .filter(|r| !r.is_empty());
            match before {
                Some(r) => {
                    out.extend_from_within(r.clone());
                    out.push(b',');
                    json::newline(out, level + 4);
                    out.extend_from_within(id);
                }
                None if depth == 0 => {
                    json::newline(out, level + 4);
                    out.extend_from_within(id);
                }
                None => {
                    let mut back: Vec<NodeIdx> = self.impact.path_back(i).collect();
                    back.reverse();
                    write_items(out, level + 4, back.into_iter(), g);
                }
            }
            paths.push(start..out.len());
            close(out, start, level + 3, b']');
            json::newline(out, level + 2);
            out.push(b'}');
        }
        close(out, list, level + 1, b']');
        json::newline(out, level);
        out.push(b'}');
    }
}

/// Writes the ids of `nodes` as the elements of a list, each on its own
/// line at indentation `level`, separated by commas.
fn write_items(out: &mut Vec<u8>, level: usize, nodes: impl Iterator<Item = NodeIdx>, g: &Graph) {
    for (k, n) in nodes.enumerate() {
        if k > 0 {
            out.push(b',');
        }
        json::newline(out, level);
        json::write_str(out, &g.node(n).id);
    }
}

/// Closes with `bracket` at indentation `level` a list or object whose
/// elements began at `start`: on a line of its own unless it is empty.
fn close(out: &mut Vec<u8>, start: usize, level: usize, bracket: u8) {
    if out.len() > start {
        json::newline(out, level);
    }
    out.push(bracket);
}

impl PartialEq for ImpactReport {
    fn eq(&self, other: &Self) -> bool {
        self.targets().eq(other.targets())
            && self.len() == other.len()
            && self.iter().eq(other.iter())
    }
}

impl Eq for ImpactReport {}

impl std::fmt::Debug for ImpactReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImpactReport")
            .field("targets", &self.targets().collect::<Vec<_>>())
            .field("impacted", &self.iter().collect::<Vec<_>>())
            .finish()
    }
}

impl Serialize for ImpactReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The path buffer is shared by all nodes: one allocation per report.
        struct Node<'a, 'b>(
            &'a ImpactReport,
            usize,
            &'b std::cell::RefCell<Vec<NodeIdx>>,
        );
        impl Serialize for Node<'_, '_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let g = self.0.impact.graph();
                let n = self.0.get(self.1);
                let mut st = s.serialize_struct("ImpactedNode", 3)?;
                st.serialize_field("id", &n.map(|n| n.id))?;
                st.serialize_field("depth", &n.map_or(0, |n| n.depth))?;
                let mut path = self.2.borrow_mut();
                path.clear();
                path.extend(self.0.impact.path_back(self.1));
                st.serialize_field("path", &Seq(path.iter().rev().map(|&p| &*g.node(p).id)))?;
                st.end()
            }
        }
        struct Seq<I>(I);
        impl<'x, I: Iterator<Item = &'x str> + Clone> Serialize for Seq<I> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.clone())
            }
        }
        struct Nodes<'a>(&'a ImpactReport);
        impl Serialize for Nodes<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let path = std::cell::RefCell::new(Vec::new());
                s.collect_seq((0..self.0.len()).map(|i| Node(self.0, i, &path)))
            }
        }
        struct Targets<'a>(&'a ImpactReport);
        impl Serialize for Targets<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.targets())
            }
        }
        let mut st = s.serialize_struct("ImpactReport", 2)?;
        st.serialize_field("targets", &Targets(self))?;
        st.serialize_field("impacted", &Nodes(self))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for ImpactReport {
    /// Reads a report back from JSON: its nodes become a graph of bare
    /// nodes (ids only), each linked to the node before it on its path.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            targets: Vec<Text>,
            impacted: Vec<RawNode>,
        }
        #[derive(Deserialize)]
        struct RawNode {
            id: Text,
            depth: u32,
            path: Vec<Text>,
        }
        let raw = Raw::deserialize(d)?;
        let index: std::collections::HashMap<&Text, usize> = raw
            .impacted
            .iter()
            .enumerate()
            .rev()
            .map(|(i, n)| (&n.id, i))
            .collect();
        let nodes = raw
            .impacted
            .iter()
            .map(|n| {
                let via = n
                    .path
                    .len()
                    .checked_sub(2)
                    .and_then(|i| n.path.get(i))
                    .and_then(|p| index.get(p).copied());
                (n.id.clone(), n.depth, via)
            })
            .collect();
        Ok(ImpactReport::from_nodes(raw.targets, nodes))
    }
}

/// The report's JSON shape, for its schema (the report itself serializes
/// from the walk, without building these).
#[cfg(feature = "schema")]
mod shape {
    /// The blast radius of a change's targets.
    #[derive(schemars::JsonSchema)]
    #[schemars(rename = "ImpactReport", deny_unknown_fields)]
    #[expect(dead_code, reason = "only its schema is used")]
    struct ImpactReport {
        /// The targets, in the order given (duplicates collapsed).
        targets: Vec<String>,
        /// The targets and every node that transitively depends on one,
        /// by depth, then id.
        impacted: Vec<ImpactedNode>,
    }

    /// One node of the blast radius.
    #[derive(schemars::JsonSchema)]
    #[schemars(deny_unknown_fields)]
    #[expect(dead_code, reason = "only its schema is used")]
    struct ImpactedNode {
        /// The node's id.
        id: String,
        /// Its distance from the nearest target (0 for a target).
        depth: u32,
        /// One shortest path from a target to the node: why it is impacted.
        path: Vec<String>,
    }

    impl schemars::JsonSchema for super::ImpactReport {
        fn schema_name() -> std::borrow::Cow<'static, str> {
            ImpactReport::schema_name()
        }

        fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
            ImpactReport::json_schema(generator)
        }
    }
}
