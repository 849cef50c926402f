//! Backups taken for a change, and the outcome of their jobs.

use jiff::Timestamp;

/// The outcome of a backup job. Only [`BackupStatus::Completed`] backups
/// satisfy a requirement: tools such as Velero record a completion time even
/// for failed or partial backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackupStatus {
    /// Finished successfully (the default when `status` is absent).
    Completed,
    /// Failed.
    Failed,
    /// Finished with some items missing.
    Partial,
    /// Still running.
    InProgress,
}

impl BackupStatus {
    /// Every status.
    pub const ALL: [BackupStatus; 4] = [
        BackupStatus::Completed,
        BackupStatus::Failed,
        BackupStatus::Partial,
        BackupStatus::InProgress,
    ];

    /// The JSON spelling: `completed`, `failed`, `partial` or `in_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupStatus::Completed => "completed",
            BackupStatus::Failed => "failed",
            BackupStatus::Partial => "partial",
            BackupStatus::InProgress => "in_progress",
        }
    }
}

/// A backup taken for the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The id of the graph node that was backed up.
    pub resource: String,
    /// The kind of backup, such as `snapshot`.
    pub kind: Option<String>,
    /// When the backup was taken.
    pub taken_at: Timestamp,
    /// Whether a restore was verified (`false` when absent).
    pub verified: bool,
    /// The job's outcome (`completed` when absent).
    pub status: BackupStatus,
}
