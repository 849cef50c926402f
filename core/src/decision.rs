//! The decision (spec §4): its types, and its JSON, which is byte-identical
//! for identical inputs on every front end.

use std::sync::Arc;

use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::graph::{Graph, Impact, NodeIdx};

/// A shared string: ids, group and rule names are shared with the policy
/// and the graph instead of copied into every decision.
pub type Text = Arc<str>;

/// The verdict on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Nothing blocks the change and every requirement is met.
    Approved,
    /// Nothing blocks it, but some requirement is unmet.
    Pending,
    /// A rule blocks it.
    Denied,
}

impl Outcome {
    /// `approved`, `pending` or `denied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Pending => "pending",
            Outcome::Denied => "denied",
        }
    }
}

/// The result of checking one change against a policy and a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// The change's id.
    pub change: Text,
    /// `denied` > `pending` > `approved`.
    pub outcome: Outcome,
    /// One entry per required approval group, sorted by group.
    pub approvals: Vec<ApprovalCheck>,
    /// One entry per required backup (node and kind), sorted by node then kind.
    pub backups: Vec<BackupCheck>,
    /// Preconditions (`require … else`) and other unmet facts, sorted by message.
    pub conditions: Vec<ConditionCheck>,
    /// What blocks the change, sorted by kind then window or message.
    pub blocks: Vec<Block>,
    /// When the change could start instead, if it is denied only by windows.
    pub next_allowed_start: Option<String>,
    /// Present only when a limit stopped the search for
    /// `next_allowed_start` (which is then `null`); without it, a `null`
    /// for a change denied only by windows means no start within 366 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_allowed_start_limit: Option<NextStartLimit>,
    /// The blast radius.
    pub impact: ImpactReport,
    /// Every override the change carries, counted or rejected.
    pub overrides: Vec<OverrideCheck>,
    /// Every rule whose conditions held, sorted by file and line. Entries
    /// are shared with the compiled policy (and every other decision).
    pub fired: Vec<Arc<Fired>>,
    /// What made the decision.
    pub audit: Audit,
}

/// The limit that stopped the search for the next allowed start; the
/// outcome and blocks are complete all the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextStartLimit {
    /// Which limit: `max_window_scan` (a field of [`crate::Limits`]) or
    /// `cron_calendar` (cron occurrences exist for the years 1 to 4999).
    pub limit: String,
    /// What the search reached, as the limit error says it.
    pub message: String,
    /// How to let the search finish.
    pub help: String,
}

/// An approval requirement and how far it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalCheck {
    /// The approving group.
    pub group: Text,
    /// Distinct approvers needed (the largest count any rule asked).
    pub required: u32,
    /// The distinct people who approved and count (never the requester), sorted.
    pub granted_by: Vec<Text>,
    /// Whether enough people approved.
    pub satisfied: bool,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<Text>,
}

/// A backup requirement for one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupCheck {
    /// The node to back up.
    pub node: Text,
    /// The kind of backup required; `null` for any kind.
    pub kind: Option<Text>,
    /// How recent the backup must be, before the change's start.
    pub within: String,
    /// Whether the backup must be verified.
    pub verified: bool,
    /// Whether a backup satisfies it.
    pub satisfied: bool,
    /// The most recent backup that satisfies it.
    pub evidence: Option<Evidence>,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<Text>,
}

/// The backup that satisfies a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
}

/// A precondition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionCheck {
    /// What is required.
    pub message: Text,
    /// Whether it holds.
    pub satisfied: bool,
    /// The rules behind it, sorted.
    pub rules: Vec<Text>,
}

/// The kind of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The change overlaps a window it must avoid (`deny during`).
    During,
    /// The change does not fit a window it must lie inside (`deny outside`).
    Outside,
    /// An explicit `deny "MSG"`.
    Deny,
}

/// Something that blocks the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    /// `during`, `outside` or `deny`.
    pub kind: BlockKind,
    /// The window, for `during` and `outside`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Text>,
    /// The message, for `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
    /// For `during`, the first occurrence of the window that overlaps the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<Interval>,
    /// The rules behind it, sorted.
    pub rules: Vec<Text>,
}

/// A half-open interval of time, in RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interval {
    /// Inclusive start.
    pub start: String,
    /// Exclusive end.
    pub end: String,
}

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

/// A break-glass override and whether it counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideCheck {
    /// The rule it names.
    pub rule: Text,
    /// The group it invokes.
    pub group: Text,
    /// Who broke the glass.
    pub by: Text,
    /// Why.
    pub reason: Text,
    /// Whether it counted (and lifted the rule).
    pub counted: bool,
    /// Why it was rejected, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A rule whose conditions held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fired {
    /// The rule's name.
    pub rule: Text,
    /// The policy file it is in.
    pub file: Text,
    /// The line of its name.
    pub line: u32,
    /// Its `because` text, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<Text>,
}

/// What made the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audit {
    /// `sha256:` and the digest of the policy sources.
    pub policy_digest: Text,
    /// `changegate` and its version.
    pub engine: Text,
}

impl Decision {
    /// The decision as JSON: two-space indented, keys in the spec's order,
    /// ending with a newline. The same decision always gives the same bytes.
    pub fn to_json(&self) -> String {
        // Sized for the usual decision, whose bulk is the impact report.
        to_json(self, 2048 + 160 * self.impact.len())
    }
}

/// `value` as the decision JSON is written: serde_json's pretty layout
/// (see [`Pretty`]) and a final newline. `capacity` is a first guess of the
/// size.
pub(crate) fn to_json<T: Serialize + ?Sized>(value: &T, capacity: usize) -> String {
    let mut out = Vec::with_capacity(capacity);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, Pretty::default());
    if value.serialize(&mut ser).is_err() {
        return String::new();
    }
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty layout (two-space indent), byte for byte, but
/// writing each line break and its indentation in one piece: a decision's
/// impact report is mostly short, deeply indented lines.
#[derive(Default)]
struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    /// A line break and the indentation of the current level.
    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const LINE: &[u8; 65] =
            b"\n                                                                ";
        let mut width = 2 * self.level;
        w.write_all(LINE.get(..1 + width.min(64)).unwrap_or(b"\n"))?;
        while width > 64 {
            width -= 64;
            w.write_all(LINE.get(1..1 + width.min(64)).unwrap_or(b""))?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, open: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(open)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, close: &[u8]) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.newline(w)?;
        }
        w.write_all(close)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Formats an instant as the decision writes it: RFC 3339 in UTC.
pub(crate) fn ts(t: jiff::Timestamp) -> String {
    t.to_string()
}

#[cfg(test)]
mod tests {
    use serde::Serialize as _;

    /// `Pretty` writes exactly what serde_json's pretty printer writes,
    /// nesting deeper than its one-piece indentation included.
    #[test]
    fn pretty_matches_serde_json() {
        let mut deep = serde_json::json!({"leaf": [1, "two", null, [], {}]});
        for i in 0..40 {
            deep = serde_json::json!({"level": i, "empty": [], "nested": [deep, {"a": {}}]});
        }
        let mut ours = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut ours, super::Pretty::default());
        deep.serialize(&mut ser).unwrap();
        let theirs = serde_json::to_string_pretty(&deep).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), theirs);
    }
}
