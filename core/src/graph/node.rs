//! Nodes of the graph: their index, first-class fields and custom data.

use std::sync::Arc;

use crate::value::Value;

/// The index of a node in its [`Graph`](super::Graph): nodes are numbered from 0 in the
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
pub struct Attributes(pub(super) Box<[(Arc<str>, Value)]>);

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
