//! Backup evidence: Velero `Backup` objects, AWS Backup recovery points,
//! RDS DB snapshots and EBS snapshots, made into a change's `backups`
//! (docs/language.md, *The change*; docs/sources/backups.md).
//!
//! Each record is mapped to the graph nodes that list what it backed up
//! (`mapping.rs`) and becomes one backup per node, in the order of the
//! files, the records in each, and the nodes in the graph. Its status
//! carries over (only `completed` counts, in the engine); a record that is
//! no backup at all (never ran, expired, being deleted) or maps to no node
//! is a note, as is every backup that does not count.

mod aws;
mod err;
mod mapping;
mod options;
mod record;
mod snapshots;
#[cfg(test)]
mod tests;
mod velero;

use serde_json::Value as Json;

use self::err::Ctx;
use self::mapping::{Index, VELERO};
pub use self::options::BackupOptions;
use self::record::{Covers, Item, Record, note};
use super::{Adapter, ImportNote, Imported, input_error};
use crate::api::{BackupDocument, BackupStatusDocument};
use crate::change::BackupStatus;
use crate::error::Error;
use crate::input::{self, Path};
use crate::limits::Limits;
use crate::source::Source;

/// A change's `backups` from backup records, each mapped to the graph node
/// that names its resource.
pub(crate) fn backups(
    adapter: Adapter,
    records: &[Source],
    graph: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<Vec<BackupDocument>>, Error> {
    let document = adapter.document();
    let options = BackupOptions::read(options, document)?;
    let index = match graph {
        [one] => Index::read(one, &options.id_attribute, limits)?,
        [] => {
            return Err(input_error(
                document,
                "",
                "no `graph` input",
                Some("give changegate's graph JSON, whose nodes list the ids their backups are recorded under".to_owned()),
            ));
        }
        [_, second, ..] => {
            return Err(input_error(
                document,
                second.name.as_str(),
                "more than one `graph` input",
                Some("give the one graph the change is checked against".to_owned()),
            ));
        }
    };
    if records.is_empty() {
        return Err(input_error(
            document,
            "",
            "no `records` input",
            Some(format!("give at least one file of {}", what(adapter))),
        ));
    }
    let mut out = Imported {
        document: Vec::new(),
        notes: Vec::new(),
    };
    for file in records {
        let ctx = Ctx {
            document,
            file: &file.name,
        };
        for item in read_file(adapter, file, &ctx, limits)? {
            match item {
                Item::Note(n) => out.notes.push(n),
                Item::Backup(r) => add(r, &index, &options, &mut out),
            }
        }
    }
    Ok(out)
}

/// What the adapter reads, for help texts.
fn what(adapter: Adapter) -> &'static str {
    match adapter {
        Adapter::Velero => "`kubectl get backups.velero.io -n velero -o json`",
        _ => {
            "`aws backup list-recovery-points-by-backup-vault`, `aws rds describe-db-snapshots` or `aws ec2 describe-snapshots` output"
        }
    }
}

/// The records of one file, recognised by its shape.
fn read_file(
    adapter: Adapter,
    file: &Source,
    ctx: &Ctx<'_>,
    limits: &Limits,
) -> Result<Vec<Item>, Error> {
    let json = input::parse_json(&file.text, limits).map_err(|e| ctx.wrap(e))?;
    let Some(doc) = json.as_object() else {
        return Err(ctx.error(
            &Path::Root,
            format!("expected an object, found {}", input::describe(&json)),
            &format!("give {}", what(adapter)),
        ));
    };
    let aws = aws::recognise(doc, ctx)?;
    match (adapter, aws) {
        (Adapter::Velero, _) if velero::recognises(doc) => velero::read(doc, ctx),
        (Adapter::AwsBackup, Some(shape)) => aws::read(doc, shape, ctx),
        (Adapter::Velero, Some(shape)) => Err(ctx.error(
            &Path::Root,
            format!("the document is AWS `{}`, not Velero backups", shape.list),
            "read it with the `aws-backup` adapter",
        )),
        (Adapter::AwsBackup, None) if velero::recognises(doc) => Err(ctx.error(
            &Path::Root,
            "the document is Velero backups, not AWS records",
            "read it with the `velero` adapter",
        )),
        _ => Err(ctx.error(
            &Path::Root,
            format!("the document is not {}", what(adapter)),
            match adapter {
                Adapter::Velero => "Velero's list has `items`, one backup has `\"kind\": \"Backup\"`",
                _ => "the AWS CLI's JSON has a top-level `RecoveryPoints`, `DBSnapshots` or `Snapshots`",
            },
        )),
    }
}

/// Adds record `r`'s backups (one per node it maps to) and its notes.
fn add(r: Record, index: &Index, options: &BackupOptions, out: &mut Imported<Vec<BackupDocument>>) {
    let nodes = index.nodes(&r.covers);
    if nodes.is_empty() {
        out.notes.push(unmapped(&r, &options.id_attribute));
        return;
    }
    let kind = options.kind.clone().unwrap_or_else(|| r.kind.to_owned());
    for node in nodes {
        out.document.push(BackupDocument {
            resource: node.to_owned(),
            kind: Some(kind.clone()),
            taken_at: r.taken_at.to_string(),
            // None of these records says a restore was tested.
            verified: Some(false),
            status: Some(status(r.status)),
        });
    }
    if r.status != BackupStatus::Completed {
        let (source, field) = &r.source_status;
        out.notes.push(note(
            &r.name,
            field,
            format!(
                "the {} is `{source}`: made with status `{}`, which does not count",
                r.what,
                r.status.as_str()
            ),
        ));
    }
    out.notes.extend(r.cautions);
}

/// The note on a record that maps to no node.
fn unmapped(r: &Record, attribute: &str) -> ImportNote {
    let message = match &r.covers {
        Covers::Ids(ids) if ids.is_empty() => "the backup covers no namespace".to_owned(),
        Covers::Ids(ids) => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            format!(
                "no node lists {} in its `{attribute}`, so the backup is not used",
                one_of(&ids)
            )
        }
        Covers::AllNamespaces { .. } => format!(
            "the backup is of every namespace, but no node lists a `{VELERO}<namespace>` id \
             (not excluded) in its `{attribute}`, so it is not used"
        ),
    };
    note(&r.name, r.covers_field, message)
}

/// `a`, or one of `a`, `b`.
fn one_of(ids: &[&str]) -> String {
    match ids {
        [one] => format!("`{one}`"),
        _ => format!("any of {}", input::backticked(ids)),
    }
}

fn status(s: BackupStatus) -> BackupStatusDocument {
    match s {
        BackupStatus::Completed => BackupStatusDocument::Completed,
        BackupStatus::Failed => BackupStatusDocument::Failed,
        BackupStatus::Partial => BackupStatusDocument::Partial,
        BackupStatus::InProgress => BackupStatusDocument::InProgress,
    }
}
