//! ServiceNow: records as the Table API returns them.

use serde_json::Value as Json;

use super::{Imported, input_error};
use crate::api::{ChangeDocument, GraphDocument};
use crate::error::{Document, Error};
use crate::limits::Limits;
use crate::source::Source;

/// A change from a `change_request` record, its `sysapproval_approver`
/// records and its `task_ci` records.
pub(crate) fn change(
    _change: &[Source],
    _approvals: &[Source],
    _affected: &[Source],
    _options: &Json,
    _limits: &Limits,
) -> Result<Imported<ChangeDocument>, Error> {
    Err(input_error(Document::ServiceNow, "", "not built yet", None))
}

/// A graph from `cmdb_ci` and `cmdb_rel_ci` records.
pub(crate) fn cmdb(
    _cis: &[Source],
    _relationships: &[Source],
    _options: &Json,
    _limits: &Limits,
) -> Result<Imported<GraphDocument>, Error> {
    Err(input_error(Document::ServiceNow, "", "not built yet", None))
}
