//! Velero `Backup` objects as `kubectl get backups.velero.io -o json` writes
//! them: a `List` (or `BackupList`) with `items`, or one `Backup`.
//!
//! A backup covers the namespaces of `spec.includedNamespaces` (absent,
//! empty or `*`: every namespace) less `spec.excludedNamespaces`, each as
//! the id `velero:<namespace>`. Its time is `status.startTimestamp`: Velero
//! reads the cluster from then on, so the state it holds is at least that
//! old (`completionTimestamp` is written even for failed backups).

use serde_json::{Map, Value as Json};

use super::err::Ctx;
use super::record::{Covers, Item, Record, note};
use crate::change::BackupStatus;
use crate::error::Error;
use crate::input::{self, Path};

/// The kind a Velero backup gets in the change.
pub(super) const KIND: &str = "velero";

/// What a phase means: a status in the change, or why there is no backup.
enum Phase {
    Status(BackupStatus),
    NoBackup(&'static str),
}

/// Every phase Velero writes, and its meaning.
const PHASES: &[(&str, Phase)] = &[
    ("Completed", Phase::Status(BackupStatus::Completed)),
    ("PartiallyFailed", Phase::Status(BackupStatus::Partial)),
    ("Failed", Phase::Status(BackupStatus::Failed)),
    ("InProgress", Phase::Status(BackupStatus::InProgress)),
    (
        "WaitingForPluginOperations",
        Phase::Status(BackupStatus::InProgress),
    ),
    (
        "WaitingForPluginOperationsPartiallyFailed",
        Phase::Status(BackupStatus::InProgress),
    ),
    ("Finalizing", Phase::Status(BackupStatus::InProgress)),
    (
        "FinalizingPartiallyFailed",
        Phase::Status(BackupStatus::InProgress),
    ),
    ("New", Phase::NoBackup("has not started")),
    ("Queued", Phase::NoBackup("has not started")),
    ("ReadyToStart", Phase::NoBackup("has not started")),
    (
        "FailedValidation",
        Phase::NoBackup("failed validation and never ran"),
    ),
    ("Deleting", Phase::NoBackup("is being deleted")),
];

/// Whether `doc` looks like Velero's: a `Backup`, or a list with `items`.
pub(super) fn recognises(doc: &Map<String, Json>) -> bool {
    doc.get("kind").and_then(Json::as_str) == Some("Backup") || doc.contains_key("items")
}

/// The backups of one file.
pub(super) fn read(doc: &Map<String, Json>, ctx: &Ctx<'_>) -> Result<Vec<Item>, Error> {
    let root = Path::Root;
    if doc.get("kind").and_then(Json::as_str) == Some("Backup") {
        return Ok(vec![backup(doc, &root, ctx)?]);
    }
    let ip = root.key("items");
    let items = input::as_list(
        input::required(doc, "items", &root).map_err(|e| ctx.wrap(e))?,
        &ip,
    )
    .map_err(|e| ctx.wrap(e))?;
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let p = ip.index(i);
        let obj = input::as_object(item, &p).map_err(|e| ctx.wrap(e))?;
        out.push(backup(obj, &p, ctx)?);
    }
    Ok(out)
}

fn backup(o: &Map<String, Json>, p: &Path<'_>, ctx: &Ctx<'_>) -> Result<Item, Error> {
    if let Some(kind) = input::get(o, "kind") {
        let kind = input::as_str(kind, &p.key("kind")).map_err(|e| ctx.wrap(e))?;
        if kind != "Backup" {
            let name = o
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Json::as_str)
                .map_or_else(String::new, |n| format!(" `{n}`"));
            return Err(ctx.error(
                &p.key("kind"),
                format!("`{kind}`{name} is not a Velero `Backup`"),
                "export the backups alone: `kubectl get backups.velero.io -n velero -o json`",
            ));
        }
    }
    let mp = p.key("metadata");
    let meta = input::as_object(
        input::required(o, "metadata", p).map_err(|e| ctx.wrap(e))?,
        &mp,
    )
    .map_err(|e| ctx.wrap(e))?;
    let name = input::req_str(meta, "name", &mp).map_err(|e| ctx.wrap(e))?;
    let record = format!("backup `{name}`");
    let wrap = |e| ctx.wrap_record(&record, e);

    let sp = p.key("status");
    let Some(status) = input::get(o, "status") else {
        return Err(ctx.error(
            &sp,
            format!("{record}: missing `status`"),
            "a backup the Velero server has not seen yet has no status: export again later, or leave it out",
        ));
    };
    let status = input::as_object(status, &sp).map_err(wrap)?;
    let php = sp.key("phase");
    let Some(phase) = input::get(status, "phase") else {
        return Err(ctx.error(
            &php,
            format!("{record}: missing `status.phase`"),
            "a backup the Velero server has not seen yet has no phase: export again later, or leave it out",
        ));
    };
    let phase = input::as_str(phase, &php).map_err(wrap)?;
    let Some((_, meaning)) = PHASES.iter().find(|(n, _)| *n == phase) else {
        let names: Vec<&str> = PHASES.iter().map(|(n, _)| *n).collect();
        let help = match input::did_you_mean(phase, names.iter().copied()) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("Velero's phases are {}", input::backticked(&names)),
        };
        return Err(ctx.error(
            &php,
            format!("{record}: unknown `status.phase` `{phase}`"),
            &help,
        ));
    };
    let status_of = match meaning {
        Phase::Status(s) => *s,
        Phase::NoBackup(why) => {
            return Ok(Item::Note(note(
                name,
                "status.phase",
                format!("the backup is `{phase}`: it {why}, so it is no backup of anything"),
            )));
        }
    };
    let taken_at = input::opt_timestamp(status, "startTimestamp", &sp).map_err(wrap)?;
    let Some(taken_at) = taken_at else {
        if status_of == BackupStatus::Completed {
            return Err(ctx.error(
                &sp.key("startTimestamp"),
                format!("{record}: `Completed` but missing `status.startTimestamp`"),
                "Velero records when a backup starts; export the backup as the server wrote it",
            ));
        }
        return Ok(Item::Note(note(
            name,
            "status.startTimestamp",
            format!(
                "the backup is `{phase}` and has no `status.startTimestamp`, so it is no backup of anything"
            ),
        )));
    };

    let spec_p = p.key("spec");
    let empty = Map::new();
    let spec = match input::get(o, "spec") {
        Some(v) => input::as_object(v, &spec_p).map_err(wrap)?,
        None => &empty,
    };
    let included = input::opt_str_list(spec, "includedNamespaces", &spec_p, true).map_err(wrap)?;
    let excluded = input::opt_str_list(spec, "excludedNamespaces", &spec_p, true).map_err(wrap)?;
    let id = |ns: &str| format!("velero:{ns}");
    let covers = if included.is_empty() || included.contains(&"*") {
        Covers::AllNamespaces {
            excluded: excluded.iter().map(|ns| id(ns)).collect(),
        }
    } else {
        let mut ids: Vec<String> = Vec::new();
        for ns in included.iter().filter(|ns| !excluded.contains(ns)) {
            let ns = id(ns);
            if !ids.contains(&ns) {
                ids.push(ns);
            }
        }
        Covers::Ids(ids)
    };
    Ok(Item::Backup(Record {
        name: name.to_owned(),
        what: "backup",
        kind: KIND,
        covers,
        covers_field: "spec.includedNamespaces",
        status: status_of,
        source_status: (phase.to_owned(), "status.phase"),
        taken_at,
        cautions: cautions(name, spec, &spec_p).map_err(wrap)?,
    }))
}

/// Notes on a backup that may not hold all of each namespace it names.
fn cautions(
    name: &str,
    spec: &Map<String, Json>,
    p: &Path<'_>,
) -> Result<Vec<crate::import::ImportNote>, crate::input::InputError> {
    let mut out = Vec::new();
    for key in ["labelSelector", "orLabelSelectors"] {
        if input::get(spec, key).is_some() {
            out.push(note(
                name,
                &format!("spec.{key}"),
                "the backup selects resources by label, so it may not hold all of each namespace",
            ));
        }
    }
    let resources = input::opt_str_list(spec, "includedResources", p, false)?;
    if !resources.is_empty() && !resources.contains(&"*") {
        out.push(note(
            name,
            "spec.includedResources",
            format!("the backup holds only {}", input::backticked(&resources)),
        ));
    }
    let left_out = input::opt_str_list(spec, "excludedResources", p, false)?;
    if !left_out.is_empty() {
        out.push(note(
            name,
            "spec.excludedResources",
            format!("the backup leaves out {}", input::backticked(&left_out)),
        ));
    }
    if input::opt_bool(spec, "snapshotVolumes", p)? == Some(false) {
        out.push(note(
            name,
            "spec.snapshotVolumes",
            "the backup takes no volume snapshots, so data on persistent volumes may not be in it",
        ));
    }
    Ok(out)
}
