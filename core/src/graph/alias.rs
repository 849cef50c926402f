//! Other names of nodes, and how a name a user gives resolves to one node
//! (docs/language.md, *The graph*): the node with that exact id, else the
//! one node with that exact alias, else the one node whose id or an alias
//! equals it ignoring ASCII case.
//!
//! A graph without aliases stores nothing here. The case-insensitive index
//! is built on the first lookup that needs it: a load never pays for it, and
//! a graph whose users always name nodes exactly never builds it.

use std::hash::{BuildHasher, Hasher};

use super::hash::FoldState;
use super::{Graph, NodeIdx};

/// The aliases of a graph's nodes: `(alias, node)` sorted by alias, then
/// node, without repeats (one boxed slice: a large estate has many).
#[derive(Debug, Default)]
pub(super) struct Aliases(Box<[(Box<str>, NodeIdx)]>);

impl Aliases {
    /// `entries` sorted and without repeats; `None` when there are none.
    pub(super) fn build(mut entries: Vec<(Box<str>, NodeIdx)>) -> Option<Box<Aliases>> {
        if entries.is_empty() {
            return None;
        }
        entries.sort_unstable();
        entries.dedup();
        Some(Box::new(Aliases(entries.into_boxed_slice())))
    }

    /// The entries whose alias is exactly `name`.
    fn exact(&self, name: &str) -> &[(Box<str>, NodeIdx)] {
        let lo = self.0.partition_point(|(a, _)| &**a < name);
        let rest = self.0.get(lo..).unwrap_or_default();
        let n = rest.partition_point(|(a, _)| &**a == name);
        rest.get(..n).unwrap_or_default()
    }
}

/// Every id and alias by the hash of its ASCII-lowercased text: `(hash,
/// entry)`, sorted, where an entry below the node count is that node's id
/// and any other is the alias at `entry - nodes`. Hashes only (16 bytes an
/// entry): a match is confirmed against the text itself.
#[derive(Debug)]
pub(super) struct Folded {
    state: FoldState,
    entries: Box<[(u64, u32)]>,
}

/// How a name that is not exactly one node's id or alias fails to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No id or alias matches it, exactly or ignoring case.
    Unknown,
    /// It matches several nodes (at least two, sorted by id).
    Ambiguous(Vec<NodeIdx>),
}

/// How many candidates an ambiguity error lists.
const LISTED: usize = 5;

/// The hash of `text` with ASCII letters lowercased (without allocating:
/// the index hashes every id of the graph).
fn fold_hash(state: &FoldState, text: &str) -> u64 {
    let mut h = state.build_hasher();
    for chunk in text.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word.iter_mut()
            .zip(chunk)
            .for_each(|(w, b)| *w = b.to_ascii_lowercase());
        h.write_u64(u64::from_le_bytes(word));
    }
    h.finish()
}

impl Graph {
    /// The node `name` names (docs/language.md, *The graph*): the node with
    /// that id; else the one node with that alias; else the one node whose
    /// id or alias equals it ignoring ASCII case. A name several nodes
    /// answer to is [`Unresolved::Ambiguous`], never a guess.
    pub fn resolve(&self, name: &str) -> Result<NodeIdx, Unresolved> {
        if let Some(n) = self.index_of(name) {
            return Ok(n);
        }
        if let Some(aliases) = &self.0.aliases {
            match aliases.exact(name) {
                [] => {}
                [(_, n)] => return Ok(*n),
                many => return Err(self.ambiguous(many.iter().map(|(_, n)| *n).collect())),
            }
        }
        let mut found = self.folded_matches(name);
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [] => Err(Unresolved::Unknown),
            [n] => Ok(*n),
            _ => Err(self.ambiguous(found)),
        }
    }

    /// Every alias with its node, sorted by alias, then node.
    pub fn aliases(&self) -> impl Iterator<Item = (&str, NodeIdx)> {
        let all = self.0.aliases.as_deref().map_or(&[][..], |a| &a.0);
        all.iter().map(|(a, n)| (&**a, *n))
    }

    fn ambiguous(&self, mut nodes: Vec<NodeIdx>) -> Unresolved {
        self.sort_by_id(&mut nodes);
        nodes.dedup();
        Unresolved::Ambiguous(nodes)
    }

    /// The nodes whose id or an alias equals `name` ignoring ASCII case.
    fn folded_matches(&self, name: &str) -> Vec<NodeIdx> {
        let folded = self.0.folded.get_or_init(|| self.build_folded());
        let h = fold_hash(&folded.state, name);
        let lo = folded.entries.partition_point(|&(x, _)| x < h);
        let aliases = self.0.aliases.as_deref().map_or(&[][..], |a| &a.0);
        let n = self.len();
        let mut out = Vec::new();
        let same = folded.entries.get(lo..).unwrap_or_default();
        for &(_, e) in same.iter().take_while(|&&(x, _)| x == h) {
            let (text, node) = match (e as usize).checked_sub(n) {
                None => (&*self.node(NodeIdx(e)).id, NodeIdx(e)),
                Some(a) => match aliases.get(a) {
                    Some((text, node)) => (&**text, *node),
                    None => continue,
                },
            };
            if text.eq_ignore_ascii_case(name) {
                out.push(node);
            }
        }
        out
    }

    fn build_folded(&self) -> Folded {
        let state = FoldState::default();
        let aliases = self.0.aliases.as_deref().map_or(&[][..], |a| &a.0);
        let ids = self.0.nodes.iter().map(|n| &*n.id);
        let mut entries: Vec<(u64, u32)> = ids
            .chain(aliases.iter().map(|(a, _)| &**a))
            .zip(0u32..)
            .map(|(text, e)| (fold_hash(&state, text), e))
            .collect();
        entries.sort_unstable();
        Folded {
            state,
            entries: entries.into_boxed_slice(),
        }
    }
}

/// `nodes` as the message of an ambiguity error lists them: the first few
/// ids in backticks, and how many more.
pub(crate) fn candidates(graph: &Graph, nodes: &[NodeIdx]) -> String {
    let mut out: Vec<String> = nodes
        .iter()
        .take(LISTED)
        .map(|&n| format!("`{}`", graph.node(n).id))
        .collect();
    if nodes.len() > LISTED {
        out.push(format!("and {} more", nodes.len() - LISTED));
    }
    out.join(", ")
}
