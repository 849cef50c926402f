//! Graphs: cycles, self-loops, edges written either way, nodes without
//! owners, odd numbers, attributes that shadow first-class fields, and
//! aliases, some shared by several nodes.

use std::fmt;

use arbitrary::{Result, Unstructured};
use changegate::graph::Graph;
use serde_json::{Map, Value as Json, json};

use super::Config;
use super::draw::Gen;

/// Node ids of small graphs; larger ones have `n0`, `n1`, ….
const IDS: [&str; 8] = ["api", "db", "web", "cache", "n10", "n2", "queue", "auth"];
const OWNERS: [&str; 3] = ["team-a", "team-b", "team-c"];
const KINDS: [&str; 3] = ["database", "service", "frontend"];
const TAGS: [&str; 4] = ["pii", "customer-facing", "sox", "critical"];
/// Aliases, none of them an id; two differ only in case, so that a name
/// may be ambiguous only ignoring case.
const ALIASES: [&str; 4] = ["primary", "Primary", "legacy", "svc-1"];

/// A generated graph: nodes, and edges `(from, to)` meaning `from` depends
/// on `to`.
#[derive(Clone)]
pub struct GGraph {
    /// Each node's JSON, without its `depends_on`.
    pub nodes: Vec<Json>,
    /// Each node's id.
    pub ids: Vec<String>,
    /// Each node's other names a change may use: its aliases, and its id
    /// in another case (names that may belong to several nodes).
    pub names: Vec<Vec<String>>,
    /// The edges, as indices of `ids`.
    pub edges: Vec<(usize, usize)>,
    /// Per edge: written as `depends_on` (true) or in `edges` (false).
    inline: Vec<bool>,
    /// Whether `edges` is written when it is empty.
    edges_key: bool,
    /// A mistake: an edge to a node that does not exist.
    ghost_edge: bool,
}

impl GGraph {
    /// The graph's JSON.
    pub fn json(&self) -> Json {
        let mut nodes = self.nodes.clone();
        let mut edges = Vec::new();
        let id = |i: usize| self.ids.get(i).cloned().unwrap_or_default();
        for (&(from, to), &inline) in self.edges.iter().zip(&self.inline) {
            if inline {
                if let Some(Json::Object(o)) = nodes.get_mut(from) {
                    if let Json::Array(deps) = o.entry("depends_on").or_insert_with(|| json!([])) {
                        deps.push(json!(id(to)));
                    }
                }
            } else {
                edges.push(json!({"from": id(from), "to": id(to)}));
            }
        }
        if self.ghost_edge {
            edges.push(json!({"from": id(0), "to": "ghost"}));
        }
        let mut g = Map::new();
        g.insert("nodes".to_owned(), Json::Array(nodes));
        if !edges.is_empty() || self.edges_key {
            g.insert("edges".to_owned(), Json::Array(edges));
        }
        Json::Object(g)
    }

    /// The graph, loaded with the default limits (`None` if it does not load).
    pub fn load(&self) -> Option<Graph> {
        Graph::from_json(&self.json().to_string()).ok()
    }
}

impl GGraph {
    /// A graph of 1 to `max` nodes (ids `n0`, `n1`, … when `max` is over
    /// 8), drawn from `u`'s bytes.
    pub fn generate(u: &mut Unstructured<'_>, max: usize) -> Result<GGraph> {
        Gen::new(u, Config::properties(false))?.graph(max)
    }
}

impl fmt::Debug for GGraph {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.json())
    }
}

impl Gen<'_, '_> {
    /// A graph of 1 to `max` nodes (heavy scenarios: sometimes 0 to 40).
    pub(crate) fn graph(&mut self, max: usize) -> Result<GGraph> {
        let (max, least) = match self.config.heavy && self.chance(1, 10)? {
            true => (max.max(40), 0),
            false => (max, 1),
        };
        let mut ids: Vec<String> = match max <= IDS.len() {
            true => IDS.iter().map(|i| (*i).to_owned()).collect(),
            false => (0..max).map(|i| format!("n{i}")).collect(),
        };
        self.shuffle(&mut ids)?;
        let n = self.u.int_in_range(least..=max.max(least))?;
        ids.truncate(n);
        let (mut nodes, mut names) = (Vec::new(), Vec::new());
        for id in &ids {
            let (node, other) = self.node(id)?;
            nodes.push(node);
            names.push(other);
        }
        let (mut edges, mut inline) = (Vec::new(), Vec::new());
        for _ in 0..self.u.int_in_range(0..=(2 * n).min(60))? {
            let (Some(from), Some(to)) = (self.index(n)?, self.index(n)?) else {
                break;
            };
            edges.push((from, to));
            inline.push(self.u.arbitrary()?);
        }
        Ok(GGraph {
            nodes,
            ids,
            names,
            edges,
            inline,
            edges_key: self.u.arbitrary()?,
            ghost_edge: self.wrong(20)?,
        })
    }

    /// A node, and the other names a change may give it.
    fn node(&mut self, id: &str) -> Result<(Json, Vec<String>)> {
        let mut o = Map::new();
        o.insert("id".to_owned(), json!(id));
        let mut names = vec![id.to_ascii_uppercase()];
        if self.chance(1, 3)? {
            let mut aliases: Vec<String> = self
                .subsequence(&ALIASES, 2)?
                .into_iter()
                .map(str::to_owned)
                .collect();
            if self.chance(1, 4)? {
                // A node's own id, in the same case or another.
                let own = match self.u.arbitrary()? {
                    true => id.to_owned(),
                    false => id.to_ascii_uppercase(),
                };
                aliases.push(own);
            }
            if self.wrong(10)? {
                // An alias that may be another node's id: a load error.
                aliases.push("db".to_owned());
            }
            names.extend(aliases.iter().cloned());
            o.insert("aliases".to_owned(), json!(aliases));
        }
        if self.u.arbitrary()? {
            o.insert("kind".to_owned(), json!(self.pick(&KINDS)?));
        }
        if self.chance(3, 4)? {
            let tier: i64 = match self.chance(1, 20)? {
                true => self.u.arbitrary()?,
                false => self.u.int_in_range(0..=3)?,
            };
            o.insert("tier".to_owned(), json!(tier));
        }
        if self.chance(4, 5)? {
            o.insert("owner".to_owned(), json!(self.pick(&OWNERS)?));
        }
        if self.u.arbitrary()? {
            let tags = self.subsequence(&TAGS, TAGS.len())?;
            o.insert("tags".to_owned(), json!(tags));
        }
        let mut a = Map::new();
        if self.u.arbitrary()? {
            let r = self.pick(&["eu", "us", "us-east-1"])?;
            a.insert("region".to_owned(), json!(r));
            a.insert("meta".to_owned(), json!({"zone": r}));
        }
        if self.u.arbitrary()? {
            let choices = [json!(99), json!(99.9), json!(50), json!(-0.0), json!(1e300)];
            a.insert("sla".to_owned(), self.u.choose(&choices)?.clone());
        }
        if self.chance(1, 4)? {
            // First-class fields win over attributes of the same name.
            let (owner, tier) = match self.u.arbitrary()? {
                true => ("shadow-team", json!(9)),
                false => ("shadow", json!("nine")),
            };
            a.insert("owner".to_owned(), json!(owner));
            a.insert("tier".to_owned(), tier);
        }
        if !a.is_empty() || self.chance(1, 8)? {
            o.insert("attributes".to_owned(), Json::Object(a));
        }
        Ok((Json::Object(o), names))
    }
}
