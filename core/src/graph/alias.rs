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

/// The aliases of a graph's nodes, in one text: `(start, length, node)`
/// sorted by alias, then node, without repeats. No allocation per alias: an
/// imported estate of a million nodes has millions.
#[derive(Debug, Default)]
pub(super) struct Aliases {
    text: Box<str>,
    entries: Box<[(usize, u32, NodeIdx)]>,
}

/// Aliases as a load reads them: their texts one after another, each with
/// its node and its position in the node's list (for errors).
#[derive(Debug, Default)]
pub(super) struct AliasList {
    text: String,
    entries: Vec<(usize, u32, NodeIdx, u32)>,
}

impl AliasList {
    pub(super) fn push(&mut self, alias: &str, node: NodeIdx, pos: u32) {
        // An alias is part of an input bounded far below 4 GiB.
        let Ok(len) = u32::try_from(alias.len()) else {
            return;
        };
        self.entries.push((self.text.len(), len, node, pos));
        self.text.push_str(alias);
    }

    /// Each alias with its node and position, in document order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, NodeIdx, u32)> {
        let text = &self.text;
        self.entries
            .iter()
            .map(move |&(at, len, node, pos)| (slice(text, at, len), node, pos))
    }

    /// The aliases sorted and without repeats; `None` when there are none.
    pub(super) fn finish(self) -> Option<Box<Aliases>> {
        if self.entries.is_empty() {
            return None;
        }
        let text = self.text;
        let mut entries: Vec<(usize, u32, NodeIdx)> = self
            .entries
            .into_iter()
            .map(|(a, l, n, _)| (a, l, n))
            .collect();
        let key = |&(at, len, node): &(usize, u32, NodeIdx)| (slice(&text, at, len), node);
        entries.sort_unstable_by(|a, b| key(a).cmp(&key(b)));
        entries.dedup_by(|a, b| key(a) == key(b));
        Some(Box::new(Aliases {
            text: text.into_boxed_str(),
            entries: entries.into_boxed_slice(),
        }))
    }
}

fn slice(text: &str, at: usize, len: u32) -> &str {
    text.get(at..at.saturating_add(len as usize))
        .unwrap_or_default()
}

impl Aliases {
    /// The alias and node of entry `i`.
    fn get(&self, i: usize) -> Option<(&str, NodeIdx)> {
        let &(at, len, node) = self.entries.get(i)?;
        Some((slice(&self.text, at, len), node))
    }

    fn iter(&self) -> impl Iterator<Item = (&str, NodeIdx)> {
        (0..self.entries.len()).filter_map(|i| self.get(i))
    }

    /// The nodes whose alias is exactly `name`.
    fn exact(&self, name: &str) -> Vec<NodeIdx> {
        let text = |&(at, len, _): &(usize, u32, NodeIdx)| slice(&self.text, at, len);
        let lo = self.entries.partition_point(|e| text(e) < name);
        let rest = self.entries.get(lo..).unwrap_or_default();
        rest.iter()
            .take_while(|e| text(e) == name)
            .map(|&(_, _, n)| n)
            .collect()
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
            let found = aliases.exact(name);
            match found.as_slice() {
                [] => {}
                [n] => return Ok(*n),
                _ => return Err(self.ambiguous(found)),
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
        self.0.aliases.iter().flat_map(|a| a.iter())
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
        let aliases = self.0.aliases.as_deref();
        let n = self.len();
        let mut out = Vec::new();
        let same = folded.entries.get(lo..).unwrap_or_default();
        for &(_, e) in same.iter().take_while(|&&(x, _)| x == h) {
            let (text, node) = match (e as usize).checked_sub(n) {
                None => (&*self.node(NodeIdx(e)).id, NodeIdx(e)),
                Some(a) => match aliases.and_then(|x| x.get(a)) {
                    Some(found) => found,
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
        let ids = self.0.nodes.iter().map(|n| &*n.id);
        let aliases = self.0.aliases.iter().flat_map(|a| a.iter());
        let mut entries: Vec<(u64, u32)> = ids
            .chain(aliases.map(|(a, _)| a))
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
