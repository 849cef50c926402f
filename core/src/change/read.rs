//! Reading a [`Change`] from JSON: every field checked, with an error that
//! names it.

use std::collections::HashSet;

use serde_json::{Map, Value as Json};

use super::{Approval, ApprovalStatus, Backup, BackupStatus, Change, ChangeType, Override};
use crate::input::{self, InputError, Path};
use crate::limits::Limits;

const CHANGE_FIELDS: &[&str] = &[
    "id",
    "type",
    "targets",
    "start",
    "end",
    "requested_by",
    "approvals",
    "backups",
    "overrides",
    "attributes",
];
const APPROVAL_FIELDS: &[&str] = &["group", "by", "at", "status"];
const BACKUP_FIELDS: &[&str] = &["resource", "kind", "taken_at", "verified", "status"];
const OVERRIDE_FIELDS: &[&str] = &["rule", "group", "by", "reason"];

impl Change {
    /// Reads a change from JSON text with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<Change, InputError> {
        Change::from_json_with_limits(text, &Limits::default())
    }

    /// Reads a change from JSON text no larger than `limits.max_input_bytes`.
    pub fn from_json_with_limits(text: &str, limits: &Limits) -> Result<Change, InputError> {
        input::check_size(text, limits)?;
        // A valid change is read straight into its fields; anything else
        // is read again through a JSON tree, for an error at its path.
        if let Some(change) = super::fast::read(input::strip_bom(text)) {
            return Ok(change);
        }
        Change::from_value(&input::parse_json(text, limits)?)
    }

    /// Reads a change from an already parsed JSON document.
    pub fn from_value(v: &Json) -> Result<Change, InputError> {
        let root = Path::Root;
        let obj = input::as_object(v, &root)?;
        input::check_fields(obj, CHANGE_FIELDS, &root, true)?;
        let id = input::req_str(obj, "id", &root)?.to_owned();
        let change_type = change_type(obj, &root)?;
        let targets = targets(obj, &root)?;
        let start = input::req_timestamp(obj, "start", &root)?;
        let end = input::req_timestamp(obj, "end", &root)?;
        if end <= start {
            return Err(root
                .key("end")
                .error(format!("end `{end}` is not after start `{start}`"))
                .with_help("a change must end after it starts"));
        }
        Ok(Change {
            id,
            change_type,
            targets,
            start,
            end,
            requested_by: input::opt_str(obj, "requested_by", &root)?.map(str::to_owned),
            approvals: items(obj, "approvals", APPROVAL_FIELDS, approval)?,
            backups: items(obj, "backups", BACKUP_FIELDS, backup)?,
            overrides: items(obj, "overrides", OVERRIDE_FIELDS, override_)?,
            attributes: input::opt_attributes(obj, "attributes", &root)?,
        })
    }
}

/// Reads a string field as one of a fixed set of spellings.
fn one_of<T: Copy>(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<Option<T>, InputError> {
    let Some(v) = input::get(obj, key) else {
        return Ok(None);
    };
    let p = path.key(key);
    let s = input::as_str(v, &p)?;
    if let Some(&t) = all.iter().find(|&&t| name(t) == s) {
        return Ok(Some(t));
    }
    let names: Vec<&str> = all.iter().map(|&t| name(t)).collect();
    let err = p.error(format!(
        "unknown {what} `{s}`, expected one of {}",
        input::backticked(&names)
    ));
    let lower = s.to_lowercase();
    Err(match input::did_you_mean(&lower, names.iter().copied()) {
        Some(m) => err.with_help(format!("did you mean `{m}`?")),
        None => err,
    })
}

fn change_type(obj: &Map<String, Json>, root: &Path<'_>) -> Result<ChangeType, InputError> {
    input::required(obj, "type", root)?;
    let t = one_of(
        obj,
        "type",
        root,
        "change type",
        &ChangeType::ALL,
        ChangeType::as_str,
    )?;
    // `required` passed, so only an explicit `null` is left.
    t.ok_or_else(|| root.key("type").error("expected a string, found `null`"))
}

fn targets(obj: &Map<String, Json>, root: &Path<'_>) -> Result<Vec<String>, InputError> {
    let p = root.key("targets");
    let list = input::as_list(input::required(obj, "targets", root)?, &p)?;
    if list.is_empty() {
        return Err(p.error("a change needs at least one target").with_help(
            "list the ids of the graph nodes the change touches, such as `[\"orders-db\"]`",
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let t = input::as_nonempty_str(t, &p.index(i))?;
        if seen.insert(t) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// Reads optional list `key` of objects with fields `known`, each with `read`.
fn items<T>(
    obj: &Map<String, Json>,
    key: &str,
    known: &[&str],
    read: fn(&Map<String, Json>, &Path<'_>) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let Some(v) = input::get(obj, key) else {
        return Ok(Vec::new());
    };
    let root = Path::Root;
    let lp = root.key(key);
    let mut out = Vec::new();
    for (i, item) in input::as_list(v, &lp)?.iter().enumerate() {
        let p = lp.index(i);
        let o = input::as_object(item, &p)?;
        input::check_fields(o, known, &p, false)?;
        out.push(read(o, &p)?);
    }
    Ok(out)
}

fn approval(o: &Map<String, Json>, p: &Path<'_>) -> Result<Approval, InputError> {
    Ok(Approval {
        group: input::req_str(o, "group", p)?.to_owned(),
        by: input::req_str(o, "by", p)?.to_owned(),
        at: input::opt_timestamp(o, "at", p)?,
        status: one_of(
            o,
            "status",
            p,
            "approval status",
            &ApprovalStatus::ALL,
            ApprovalStatus::as_str,
        )?
        .unwrap_or(ApprovalStatus::Approved),
    })
}

fn backup(o: &Map<String, Json>, p: &Path<'_>) -> Result<Backup, InputError> {
    Ok(Backup {
        resource: input::req_str(o, "resource", p)?.to_owned(),
        kind: input::opt_str(o, "kind", p)?.map(str::to_owned),
        taken_at: input::req_timestamp(o, "taken_at", p)?,
        verified: input::opt_bool(o, "verified", p)?.unwrap_or(false),
        status: one_of(
            o,
            "status",
            p,
            "backup status",
            &BackupStatus::ALL,
            BackupStatus::as_str,
        )?
        .unwrap_or(BackupStatus::Completed),
    })
}

fn override_(o: &Map<String, Json>, p: &Path<'_>) -> Result<Override, InputError> {
    Ok(Override {
        rule: input::req_str(o, "rule", p)?.to_owned(),
        group: input::req_str(o, "group", p)?.to_owned(),
        by: input::req_str(o, "by", p)?.to_owned(),
        reason: input::opt_str(o, "reason", p)?.unwrap_or("").to_owned(),
    })
}
