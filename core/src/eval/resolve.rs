//! The change's names of nodes (its targets, its backups' resources)
//! resolved against the graph: by id, alias or either ignoring ASCII case
//! (docs/language.md, *The graph*), and an error at the name's JSON path
//! when several nodes answer to it.

use crate::change::Backup;
use crate::graph::{Graph, NodeIdx, Unresolved, candidates};
use crate::input::{InputError, did_you_mean};

/// The targets' nodes, in order, a node named twice (by any of its names)
/// kept once. `fallback_help` is the help of an unknown target without a
/// near id to suggest.
pub(crate) fn targets(
    graph: &Graph,
    names: &[String],
    fallback_help: Option<&str>,
) -> Result<Vec<NodeIdx>, InputError> {
    let mut out = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let path = || format!("targets[{i}]");
        match graph.resolve(name) {
            Ok(n) => {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            Err(Unresolved::Unknown) => {
                let near = did_you_mean(name, graph.nodes().map(|(_, n)| &*n.id));
                let help = match near {
                    Some(n) => Some(format!("did you mean `{n}`?")),
                    None => fallback_help.map(str::to_owned),
                };
                return Err(InputError {
                    path: path(),
                    message: format!("unknown target `{name}`: no node of the graph has this id"),
                    help,
                });
            }
            Err(Unresolved::Ambiguous(nodes)) => {
                return Err(ambiguous(graph, path(), "target", name, &nodes));
            }
        }
    }
    Ok(out)
}

/// Each backup's node; `None` for a resource that names no node (a backup
/// of something outside the graph satisfies no requirement, as before
/// aliases: it is not an error).
pub(crate) fn backups(
    graph: &Graph,
    backups: &[Backup],
) -> Result<Vec<Option<NodeIdx>>, InputError> {
    let mut out = Vec::with_capacity(backups.len());
    for (i, b) in backups.iter().enumerate() {
        match graph.resolve(&b.resource) {
            Ok(n) => out.push(Some(n)),
            Err(Unresolved::Unknown) => out.push(None),
            Err(Unresolved::Ambiguous(nodes)) => {
                let path = format!("backups[{i}].resource");
                return Err(ambiguous(
                    graph,
                    path,
                    "backup resource",
                    &b.resource,
                    &nodes,
                ));
            }
        }
    }
    Ok(out)
}

fn ambiguous(graph: &Graph, path: String, what: &str, name: &str, nodes: &[NodeIdx]) -> InputError {
    InputError {
        path,
        message: format!(
            "{what} `{name}` names {} nodes: {}",
            nodes.len(),
            candidates(graph, nodes)
        ),
        help: Some(
            "name the node by its id: an alias, or a name that differs from an id or alias \
             only in case, must belong to exactly one node"
                .to_owned(),
        ),
    }
}
