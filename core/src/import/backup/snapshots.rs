//! RDS DB snapshots and EBS snapshots, read as AWS Backup's recovery points
//! are (see `aws.rs`), each by its shape.

use super::aws::{Meaning, Shape};
use crate::change::BackupStatus;

/// `aws rds describe-db-snapshots`: a DB snapshot covers its DB instance,
/// `rds:<DBInstanceIdentifier>`. A copy's `OriginalSnapshotCreateTime` is
/// when its data was taken; `SnapshotCreateTime` is otherwise.
pub(super) const DB_SNAPSHOTS: Shape = Shape {
    list: "DBSnapshots",
    what: "DB snapshot",
    name: "DBSnapshotIdentifier",
    covers: ("DBInstanceIdentifier", "rds:"),
    status: (
        "Status",
        &[
            ("available", Meaning::Status(BackupStatus::Completed)),
            ("creating", Meaning::Status(BackupStatus::InProgress)),
            ("copying", Meaning::Status(BackupStatus::InProgress)),
            ("failed", Meaning::Status(BackupStatus::Failed)),
            ("deleting", Meaning::NoBackup("is being deleted")),
        ],
    ),
    time: &["OriginalSnapshotCreateTime", "SnapshotCreateTime"],
    kind: "rds-snapshot",
};

/// `aws ec2 describe-snapshots`: a snapshot covers its volume,
/// `ebs:<VolumeId>`, as it was at `StartTime` (an EBS snapshot is a
/// point-in-time copy).
pub(super) const EBS_SNAPSHOTS: Shape = Shape {
    list: "Snapshots",
    what: "snapshot",
    name: "SnapshotId",
    covers: ("VolumeId", "ebs:"),
    status: (
        "State",
        &[
            ("completed", Meaning::Status(BackupStatus::Completed)),
            ("pending", Meaning::Status(BackupStatus::InProgress)),
            ("error", Meaning::Status(BackupStatus::Failed)),
            (
                "recoverable",
                Meaning::NoBackup("was deleted and is in the Recycle Bin"),
            ),
            (
                "recovering",
                Meaning::NoBackup("is being restored from the Recycle Bin"),
            ),
        ],
    ),
    time: &["StartTime"],
    kind: "ebs-snapshot",
};
