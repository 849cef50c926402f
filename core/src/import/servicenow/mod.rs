//! ServiceNow: records as the Table API returns them (see
//! docs/sources/servicenow.md for the exports and the field mapping).
//!
//! - `change`: a `change_request` record, its `sysapproval_approver`
//!   records and its `task_ci` records make a change;
//! - `cmdb`: `cmdb_ci` records of any class and `cmdb_rel_ci` records make
//!   a graph.
//!
//! Both read every shape of field the API writes (raw values, reference
//! objects, bare sys_ids, `sysparm_display_value=all` objects) and name a
//! CI the same way ([`CiIds`]), so that the change's targets are the
//! graph's nodes.

mod approvals;
mod change;
mod cmdb;
mod codes;
mod dates;
mod err;
mod options;
mod records;
mod relations;
#[cfg(test)]
mod tests;

use serde_json::Value as Json;

pub use self::options::{
    CiIds, Direction, OnProblem, ServiceNowChangeOptions, ServiceNowCmdbOptions,
};
use super::Imported;
use crate::api::{ChangeDocument, GraphDocument};
use crate::error::Error;
use crate::limits::Limits;
use crate::source::Source;

/// A change from a `change_request` record, its `sysapproval_approver`
/// records and its `task_ci` records.
pub(crate) fn change(
    change: &[Source],
    approvals: &[Source],
    affected: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<ChangeDocument>, Error> {
    change::import(change, approvals, affected, options, limits)
}

/// A graph from `cmdb_ci` and `cmdb_rel_ci` records.
pub(crate) fn cmdb(
    cis: &[Source],
    relationships: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<GraphDocument>, Error> {
    cmdb::import(cis, relationships, options, limits)
}
