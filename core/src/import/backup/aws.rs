//! AWS records: AWS Backup recovery points (`aws backup
//! list-recovery-points-by-backup-vault`), RDS DB snapshots (`aws rds
//! describe-db-snapshots`) and EBS snapshots (`aws ec2 describe-snapshots`),
//! each recognised by its top-level key. The three are read alike, each
//! by its [`Shape`]: which field names the record, what it covers, its
//! status and its time.

use serde_json::{Map, Value as Json};

use super::err::Ctx;
use super::record::{Covers, Item, Record, aws_time, note};
use super::snapshots::{DB_SNAPSHOTS, EBS_SNAPSHOTS};
use crate::change::BackupStatus;
use crate::error::Error;
use crate::input::{self, Path};

/// What a source status means: a status in the change, or why there is no
/// backup.
#[derive(Debug, Clone, Copy)]
pub(super) enum Meaning {
    Status(BackupStatus),
    NoBackup(&'static str),
}

/// How one AWS listing is read.
pub(super) struct Shape {
    /// The top-level key of the list (`RecoveryPoints`).
    pub list: &'static str,
    /// What a record is called in messages (`recovery point`).
    pub what: &'static str,
    /// The field that names a record (`RecoveryPointArn`).
    pub name: &'static str,
    /// The field naming what it backs up (`ResourceArn`), and the prefix
    /// that makes it a `backup_id` (empty: as it is).
    pub covers: (&'static str, &'static str),
    /// The status field and what each value means.
    pub status: (&'static str, &'static [(&'static str, Meaning)]),
    /// The time fields, the first present one used.
    pub time: &'static [&'static str],
    /// The backup kind in the change.
    pub kind: &'static str,
}

/// AWS Backup recovery points. A recovery point holds its resource as it
/// was when the job created it (`CreationDate`).
pub(super) const RECOVERY_POINTS: Shape = Shape {
    list: "RecoveryPoints",
    what: "recovery point",
    name: "RecoveryPointArn",
    covers: ("ResourceArn", ""),
    status: (
        "Status",
        &[
            ("COMPLETED", Meaning::Status(BackupStatus::Completed)),
            ("AVAILABLE", Meaning::Status(BackupStatus::Completed)),
            ("PARTIAL", Meaning::Status(BackupStatus::Partial)),
            ("CREATING", Meaning::Status(BackupStatus::InProgress)),
            ("EXPIRED", Meaning::NoBackup("is past its retention period")),
            ("DELETING", Meaning::NoBackup("is being deleted")),
            (
                "STOPPED",
                Meaning::NoBackup("belongs to a continuous backup that was stopped"),
            ),
        ],
    ),
    time: &["CreationDate"],
    kind: "aws-backup",
};

/// Every AWS shape, in the order they are recognised.
const SHAPES: [&Shape; 3] = [&RECOVERY_POINTS, &DB_SNAPSHOTS, &EBS_SNAPSHOTS];

/// The shape of an AWS document, if it is one; an error if it holds two.
pub(super) fn recognise(
    doc: &Map<String, Json>,
    ctx: &Ctx<'_>,
) -> Result<Option<&'static Shape>, Error> {
    let found: Vec<&Shape> = SHAPES
        .into_iter()
        .filter(|s| doc.contains_key(s.list))
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(*one)),
        [a, b, ..] => Err(ctx.error(
            &Path::Root,
            format!("the document holds both `{}` and `{}`", a.list, b.list),
            "give each command's output as its own file",
        )),
    }
}

/// The records of one AWS document of shape `shape`.
pub(super) fn read(
    doc: &Map<String, Json>,
    shape: &Shape,
    ctx: &Ctx<'_>,
) -> Result<Vec<Item>, Error> {
    let root = Path::Root;
    let lp = root.key(shape.list);
    let list = match input::get(doc, shape.list) {
        Some(v) => input::as_list(v, &lp).map_err(|e| ctx.wrap(e))?,
        None => &[],
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let p = lp.index(i);
        let obj = input::as_object(item, &p).map_err(|e| ctx.wrap(e))?;
        out.push(record(obj, &p, shape, ctx)?);
    }
    Ok(out)
}

fn record(
    o: &Map<String, Json>,
    p: &Path<'_>,
    shape: &Shape,
    ctx: &Ctx<'_>,
) -> Result<Item, Error> {
    let name = input::req_str(o, shape.name, p).map_err(|e| {
        let e = e.with_help(format!("every {} has a `{}`", shape.what, shape.name));
        ctx.wrap_record(&format!("{} at `{}`", shape.what, p.render()), e)
    })?;
    let record = format!("{} `{name}`", shape.what);
    let wrap = |e| ctx.wrap_record(&record, e);

    let (status_field, meanings) = shape.status;
    let sp = p.key(status_field);
    let status = input::req_str(o, status_field, p).map_err(|e| {
        wrap(e.with_help(format!(
            "every {} has a `{status_field}`; export it as the AWS CLI prints it",
            shape.what
        )))
    })?;
    let Some((_, meaning)) = meanings.iter().find(|(n, _)| *n == status) else {
        let names: Vec<&str> = meanings.iter().map(|(n, _)| *n).collect();
        let help = match input::did_you_mean(status, names.iter().copied()) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("known values: {}", input::backticked(&names)),
        };
        return Err(ctx.error(
            &sp,
            format!("{record}: unknown `{status_field}` `{status}`"),
            &help,
        ));
    };
    let status_of = match meaning {
        Meaning::Status(s) => *s,
        Meaning::NoBackup(why) => {
            return Ok(Item::Note(note(
                name,
                status_field,
                format!(
                    "the {} is `{status}`: it {why}, so it is no backup of anything",
                    shape.what
                ),
            )));
        }
    };

    let (covers_field, prefix) = shape.covers;
    let covered = input::req_str(o, covers_field, p).map_err(|e| {
        wrap(e.with_help(format!(
            "a {} without a `{covers_field}` cannot be matched to a node",
            shape.what
        )))
    })?;

    let mut taken_at = None;
    for field in shape.time {
        if let Some(v) = input::get(o, field) {
            taken_at = Some(aws_time(v, &p.key(field)).map_err(wrap)?);
            break;
        }
    }
    let Some(taken_at) = taken_at else {
        // The field a record of this shape always has once it is taken.
        let main = shape.time.last().copied().unwrap_or_default();
        let fields: Vec<&str> = shape.time.to_vec();
        let fields = input::backticked(&fields).replace("`, `", "` or `");
        if status_of == BackupStatus::Completed {
            return Err(ctx.error(
                &p.key(main),
                format!("{record}: `{status}` but missing {fields}"),
                &format!(
                    "AWS writes when every {} was taken; export it as the AWS CLI prints it",
                    shape.what
                ),
            ));
        }
        return Ok(Item::Note(note(
            name,
            main,
            format!(
                "the {} is `{status}` and has no {fields} yet, so it is no backup of anything",
                shape.what
            ),
        )));
    };

    Ok(Item::Backup(Record {
        name: name.to_owned(),
        what: shape.what,
        kind: shape.kind,
        covers: Covers::Ids(vec![format!("{prefix}{covered}")]),
        covers_field,
        status: status_of,
        source_status: (status.to_owned(), status_field),
        taken_at,
        cautions: Vec::new(),
    }))
}
