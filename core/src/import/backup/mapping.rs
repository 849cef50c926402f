//! Which graph node a backed-up resource is: each node lists, under a node
//! attribute (`backup_id` unless the options name another), the ids its
//! backups are recorded under — a string or a list of strings. A record
//! maps to every node that lists one of the ids it covers.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::err::Ctx;
use super::record::Covers;
use crate::error::{Document, Error};
use crate::graph::Graph;
use crate::input::{self, InputError, Path};
use crate::limits::Limits;
use crate::source::Source;

/// The prefix of the ids of Velero namespaces.
pub(super) const VELERO: &str = "velero:";

/// The graph's nodes by the ids their backups are recorded under.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Node ids, in the graph's order.
    nodes: Vec<String>,
    /// Each backup id and the positions (in `nodes`) of the nodes listing it.
    by_id: BTreeMap<String, Vec<usize>>,
}

impl Index {
    /// Reads the graph file (changegate's graph JSON, checked as the engine
    /// checks it) and the node attribute `attribute` of each node.
    pub(super) fn read(graph: &Source, attribute: &str, limits: &Limits) -> Result<Index, Error> {
        let ctx = Ctx {
            document: Document::Graph,
            file: &graph.name,
        };
        let json = input::parse_json(&graph.text, limits).map_err(|e| ctx.wrap(e))?;
        Graph::from_value(&json, limits).map_err(|e| ctx.wrap(e))?;
        let mut index = Index::default();
        let root = Path::Root;
        let np = root.key("nodes");
        let nodes = input::as_list(
            input::required(json_obj(&json, &ctx)?, "nodes", &root).map_err(|e| ctx.wrap(e))?,
            &np,
        )
        .map_err(|e| ctx.wrap(e))?;
        for (i, node) in nodes.iter().enumerate() {
            let p = np.index(i);
            let obj = input::as_object(node, &p).map_err(|e| ctx.wrap(e))?;
            let id = input::req_str(obj, "id", &p).map_err(|e| ctx.wrap(e))?;
            let ap = p.key("attributes");
            let ids = match input::get(obj, "attributes") {
                Some(a) => {
                    let attrs = input::as_object(a, &ap).map_err(|e| ctx.wrap(e))?;
                    backup_ids(attrs.get(attribute), &ap.key(attribute))
                        .map_err(|e| ctx.wrap_record(&format!("node `{id}`"), e))?
                }
                None => Vec::new(),
            };
            let at = index.nodes.len();
            index.nodes.push(id.to_owned());
            for b in ids {
                let list = index.by_id.entry(b.to_owned()).or_default();
                if !list.contains(&at) {
                    list.push(at);
                }
            }
        }
        Ok(index)
    }

    /// The ids of the nodes `covers` names, distinct, in the graph's order.
    pub(super) fn nodes(&self, covers: &Covers) -> Vec<&str> {
        let mut at: Vec<usize> = match covers {
            Covers::Ids(ids) => ids
                .iter()
                .filter_map(|id| self.by_id.get(id))
                .flatten()
                .copied()
                .collect(),
            Covers::AllNamespaces { excluded } => self
                .by_id
                .iter()
                .filter(|(id, _)| id.starts_with(VELERO) && !excluded.contains(id))
                .flat_map(|(_, at)| at.iter().copied())
                .collect(),
        };
        at.sort_unstable();
        at.dedup();
        at.into_iter()
            .filter_map(|i| self.nodes.get(i).map(String::as_str))
            .collect()
    }
}

fn json_obj<'v>(json: &'v Json, ctx: &Ctx<'_>) -> Result<&'v serde_json::Map<String, Json>, Error> {
    input::as_object(json, &Path::Root).map_err(|e| ctx.wrap(e))
}

/// A node's backup ids: absent or `null` is none; a string is one; a list
/// holds strings.
fn backup_ids<'v>(v: Option<&'v Json>, p: &Path<'_>) -> Result<Vec<&'v str>, InputError> {
    let help = "write the id its backups are recorded under, or a list of them, such as \
                `\"velero:payments\"` or `[\"rds:orders-db\", \"ebs:vol-0a1b2c3d4e5f67890\"]`";
    match v {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(s @ Json::String(_)) => Ok(vec![
            input::as_nonempty_str(s, p).map_err(|e| e.with_help(help))?,
        ]),
        Some(Json::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, s)| input::as_nonempty_str(s, &p.index(i)).map_err(|e| e.with_help(help)))
            .collect(),
        Some(other) => Err(p
            .error(format!(
                "expected a string or a list of strings, found {}",
                input::describe(other)
            ))
            .with_help(help)),
    }
}
