//! The fast path of a graph load: the document streamed by serde straight
//! into the builder, without a JSON value in between (`load.rs` falls back to
//! the value, for errors with their JSON paths).

use serde::Deserialize;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::load::{Builder, NodeParts, ROOT};
use crate::input;

/// Streams the top-level object of a graph document.
pub(super) struct RootSeed<'b, 'l> {
    pub(super) builder: &'b mut Builder<'l>,
    pub(super) fast: bool,
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
                (false, _) => {
                    let list = ROOT.key(if self.is_node { "nodes" } else { "edges" });
                    let path = list.index(i);
                    let seed = input::ValueSeed::new(&path, &mut self.builder.error);
                    match seq.next_element_seed(seed)? {
                        None => break,
                        Some(v) => self.builder.add(self.is_node, i, &v),
                    }
                }
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
    attributes: Option<input::Unrepeated>,
    #[serde(default)]
    depends_on: Option<Vec<&'a str>>,
    #[serde(default)]
    aliases: Option<Vec<&'a str>>,
}

impl FastNode<'_> {
    /// The node's parts, or `None` where the checked pass would object.
    fn parts(&self) -> Option<NodeParts<'_>> {
        let depends_on = self.depends_on.clone().unwrap_or_default();
        let aliases = self.aliases.clone().unwrap_or_default();
        if self.id.is_empty() || depends_on.iter().chain(&aliases).any(|d| d.is_empty()) {
            return None;
        }
        Some(NodeParts {
            id: self.id,
            kind: self.kind,
            tier: self.tier,
            owner: self.owner,
            tags: self.tags.clone().unwrap_or_default(),
            attributes: match &self.attributes {
                None => Vec::new(),
                Some(input::Unrepeated(Json::Object(a))) => {
                    a.iter().map(|(k, v)| (k.as_str(), v)).collect()
                }
                Some(_) => return None,
            },
            depends_on,
            aliases,
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
