//! Backup evidence: Velero, AWS Backup, RDS and EBS snapshots.

use serde_json::Value as Json;

use super::{Adapter, Imported, input_error};
use crate::api::BackupDocument;
use crate::error::Error;
use crate::limits::Limits;
use crate::source::Source;

/// A change's `backups` from backup records, each mapped to the graph node
/// that names its resource.
pub(crate) fn backups(
    adapter: Adapter,
    _records: &[Source],
    _graph: &[Source],
    _options: &Json,
    _limits: &Limits,
) -> Result<Imported<Vec<BackupDocument>>, Error> {
    Err(input_error(adapter.document(), "", "not built yet", None))
}
