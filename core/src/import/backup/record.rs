//! What every source's reader makes of a record before it is mapped to
//! nodes: a backup of some resources with a status and a time, or a note
//! on a record that makes no backup at all.

use jiff::Timestamp;
use serde_json::Value as Json;

use crate::change::BackupStatus;
use crate::import::ImportNote;
use crate::input::{self, InputError, Path};

/// One record read.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Item {
    /// A backup, to map to nodes.
    Backup(Record),
    /// A record that makes no backup (never ran, being deleted, expired).
    Note(ImportNote),
}

/// What a backup record covers, as the ids a node lists under its
/// `backup_id` attribute (docs/sources/backups.md, *Mapping*).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Covers {
    /// These ids, in the record's order.
    Ids(Vec<String>),
    /// Every Velero namespace but these (a backup of all namespaces).
    AllNamespaces {
        /// The excluded namespaces' ids (`velero:<namespace>`).
        excluded: Vec<String>,
    },
}

/// A backup record, read.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Record {
    /// How the source names it: a backup's name, an ARN, a snapshot id.
    pub name: String,
    /// What the source calls it (`backup`, `recovery point`, …).
    pub what: &'static str,
    /// The backup kind for the change (`velero`, `aws-backup`, …).
    pub kind: &'static str,
    /// What it covers.
    pub covers: Covers,
    /// The record's field that names what it covers, for notes.
    pub covers_field: &'static str,
    /// Its status in the change.
    pub status: BackupStatus,
    /// Its status as the source wrote it, and the field.
    pub source_status: (String, &'static str),
    /// When the state it holds was taken.
    pub taken_at: Timestamp,
    /// Notes on what it may not hold (a Velero label selector, …).
    pub cautions: Vec<ImportNote>,
}

/// A note on record `record` about `field`.
pub(super) fn note(record: &str, field: &str, message: impl Into<String>) -> ImportNote {
    ImportNote {
        record: record.to_owned(),
        field: (!field.is_empty()).then(|| field.to_owned()),
        message: message.into(),
    }
}

/// An AWS time: the AWS CLI writes ISO 8601 with an offset
/// (`2026-12-22T10:00:00.123000+00:00`, or `…Z` for EC2 and RDS), or, with
/// `cli_timestamp_format = none` and a JSON service such as AWS Backup,
/// seconds since the epoch (`1766397600.123`).
pub(super) fn aws_time(v: &Json, path: &Path<'_>) -> Result<Timestamp, InputError> {
    let Json::Number(n) = v else {
        let help = "the AWS CLI writes ISO 8601 with an offset, such as \
                    `2026-12-22T10:00:00.000Z`, or seconds since 1970 \
                    (`cli_timestamp_format = none`)";
        return match v.as_str() {
            Some(s) => s.parse::<Timestamp>().map_err(|_| {
                path.error(format!("`{s}` is not an ISO 8601 time with an offset"))
                    .with_help(help)
            }),
            None => Err(path
                .error(format!("expected a time, found {}", input::describe(v)))
                .with_help(help)),
        };
    };
    let ms = if let Some(s) = n.as_i64() {
        s.checked_mul(1000)
    } else {
        n.as_f64()
            .map(|f| (f * 1000.0).round())
            .filter(|f| f.is_finite() && f.abs() < 1e17)
            .map(|f| {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "finite and well inside the range of i64, checked above"
                )]
                let ms = f as i64;
                ms
            })
    };
    ms.and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .ok_or_else(|| {
            path.error(format!("`{n}` is not a time in seconds since 1970"))
                .with_help("write seconds since 1970-01-01T00:00:00Z, or ISO 8601 with an offset")
        })
}
