//! Backstage: the software catalog, from `catalog-info.yaml` files (every
//! document of each) or the catalog API's JSON, into a graph (see
//! docs/sources/backstage.md for the mapping).
//!
//! - `yaml.rs`: a YAML stream into values with line and column, bounded;
//! - `api.rs`: a file, YAML or JSON, as the entities it holds;
//! - `entity.rs`: one entity's envelope, read;
//! - `refs.rs`: entity references and relation types;
//! - `relations.rs`: an API export's `relations[]`;
//! - `graph.rs`: the nodes and edges, references resolved;
//! - `options.rs`: [`BackstageOptions`].

mod api;
mod entity;
mod graph;
mod options;
mod refs;
mod relations;
#[cfg(test)]
mod tests;
mod tree;
mod yaml;

use serde_json::Value as Json;

pub use self::options::{BackstageOptions, Dangling, OwnerForm};
use super::{ImportNote, Imported, input_error};
use crate::api::GraphDocument;
use crate::error::{Document, Error};
use crate::limits::Limits;
use crate::source::Source;

/// A graph from catalog entities: `catalog-info.yaml` files (every document
/// of each) or the catalog API's JSON.
pub(crate) fn catalog(
    files: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<GraphDocument>, Error> {
    let opts = options::read(options)?;
    if files.is_empty() {
        return Err(input_error(
            Document::Backstage,
            "",
            "the backstage adapter needs at least one `catalog` file",
            Some(
                "give `catalog-info.yaml` files, a directory of them, or the catalog API's JSON"
                    .to_owned(),
            ),
        ));
    }
    let input = |error| Error::Input {
        document: Document::Backstage,
        error,
    };
    let mut notes: Vec<ImportNote> = Vec::new();
    let mut entities = Vec::new();
    for file in files {
        let docs = api::parse(file, limits).map_err(input)?;
        for doc in &docs {
            let mut read = |node: &tree::Node, path: &crate::input::Path<'_>, notes: &mut _| {
                entities.push(entity::read(node, &file.name, path, &opts, notes)?);
                Ok(())
            };
            api::each_entity(&file.name, doc, &mut notes, &mut read).map_err(input)?;
        }
        if entities.len() > limits.max_graph_nodes {
            return Err(input_error(
                Document::Backstage,
                file.name.clone(),
                format!(
                    "the catalog has more than {} entities",
                    limits.max_graph_nodes
                ),
                Some("raise `Limits::max_graph_nodes` if this catalog is expected".to_owned()),
            ));
        }
    }
    graph::build(entities, &opts, limits, notes)
}
