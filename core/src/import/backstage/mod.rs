//! Backstage: the software catalog.

use serde_json::Value as Json;

use super::{Imported, input_error};
use crate::api::GraphDocument;
use crate::error::{Document, Error};
use crate::limits::Limits;
use crate::source::Source;

/// A graph from catalog entities: `catalog-info.yaml` files (every document
/// of each) or the catalog API's JSON.
pub(crate) fn catalog(
    _files: &[Source],
    _options: &Json,
    _limits: &Limits,
) -> Result<Imported<GraphDocument>, Error> {
    Err(input_error(Document::Backstage, "", "not built yet", None))
}
