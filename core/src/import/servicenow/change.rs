//! A `change_request` record, with its approvals and affected CIs, as a
//! change (docs/language.md, *Inputs: the graph and the change*).

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use serde_json::Value as Json;

use super::super::{ImportNote, Imported};
use super::codes::{CODES, Code};
use super::options::{CiIds, ServiceNowChangeOptions};
use super::records::{self, Field, Names, Record, attribute};
use super::{approvals, dates, err, options};
use crate::api::{ChangeDocument, ChangeTypeDocument};
use crate::error::Error;
use crate::limits::Limits;
use crate::source::Source;

/// The `change_request` fields kept as attributes under their own names
/// (besides the codes, `sys_id` and every `u_*` field).
const KEPT: [&str; 21] = [
    "short_description",
    "description",
    "backout_plan",
    "test_plan",
    "justification",
    "implementation_plan",
    "risk_impact_analysis",
    "category",
    "reason",
    "approval",
    "phase",
    "conflict_status",
    "close_code",
    "cab_required",
    "on_hold",
    "assignment_group",
    "assigned_to",
    "business_service",
    "service_offering",
    "chg_model",
    "opened_by",
];

/// Reads the change; see [`super::change`].
pub(super) fn import(
    change: &[Source],
    approvals_in: &[Source],
    affected: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<ChangeDocument>, Error> {
    let opts: ServiceNowChangeOptions = options::read(options)?;
    let tz = match &opts.time_zone {
        None => None,
        Some(name) => Some(TimeZone::get(name).map_err(|_| {
            err::option(
                "time_zone",
                format!("`{name}` is not a time zone"),
                "use an IANA name such as `Europe/Berlin` or `America/New_York`",
            )
        })?),
    };
    let [source] = change else {
        return Err(err::at(
            "",
            "",
            format!("the change input takes one file, found {}", change.len()),
            "pass the one file that holds the `change_request` record",
        ));
    };
    let change_files = records::parse(std::slice::from_ref(source), limits)?;
    let approval_files = records::parse(approvals_in, limits)?;
    let affected_files = records::parse(affected, limits)?;
    let changes = records::records(&change_files, "change_request")?;
    let approval_records = records::records(&approval_files, "sysapproval_approver")?;
    let affected_records = records::records(&affected_files, "task_ci")?;
    let [rec] = changes.as_slice() else {
        return Err(err::at(
            &source.name,
            "result",
            format!(
                "expected one `change_request` record, found {}",
                changes.len()
            ),
            "export the one change, such as `GET /api/now/table/change_request?\
             sysparm_query=number=CHG0030001`",
        ));
    };
    let mut names = Names::default();
    names.learn(&changes);
    names.learn(&approval_records);
    names.learn(&affected_records);

    let sys_id = rec.sys_id();
    let number = rec.field("number", &format!("change at `{}`", rec.place))?;
    let Some(number) = number.value.or(number.display) else {
        let who = sys_id.as_deref().map_or_else(
            || format!("the change at `{}`", rec.place),
            |s| format!("change `{s}`"),
        );
        return Err(err::at(
            rec.file,
            &rec.path("number"),
            format!("{who}: `number` is missing"),
            "export the change with its `number` (if `sysparm_fields` is given, it must \
             include `number`)",
        ));
    };
    if let Some(id) = &sys_id {
        names.insert(id, &number);
    }
    let label = format!("change `{number}`");
    let mut notes = Vec::new();

    let change_type = read_type(rec, &label)?;
    let start = required_time(rec, "start_date", &label, tz.as_ref())?;
    let end = required_time(rec, "end_date", &label, tz.as_ref())?;
    if dates::utc_order(&start, &end) != Some(std::cmp::Ordering::Less) {
        return Err(err::at(
            rec.file,
            &rec.path("end_date"),
            format!("{label}: `end_date` `{end}` is not after `start_date` `{start}`"),
            "the planned end must be after the planned start",
        ));
    }
    let requested_by = names.shown(&rec.field("requested_by", &label)?);
    let attributes = read_attributes(rec, &label, &names, &opts.fields, &mut notes)?;

    let mut targets: Vec<String> = Vec::new();
    let mut add = |id: String| {
        if !targets.contains(&id) {
            targets.push(id);
        }
    };
    let ci = rec.field("cmdb_ci", &label)?;
    if let Some(id) = ci_id(rec, "cmdb_ci", &ci, &label, opts.ci_ids, &names, &mut notes)? {
        add(id);
    }
    let this = This {
        sys_id: sys_id.as_deref(),
        number: &number,
        names: &names,
    };
    for t in &affected_records {
        let tlabel = record_label("task_ci", t);
        let task = t.field("task", &tlabel)?;
        if !this.is(&task) {
            notes.push(ImportNote {
                record: t.sys_id().unwrap_or_else(|| t.place.clone()),
                field: Some("task".to_owned()),
                message: format!(
                    "affected CI of `{}`, not of {label}: left out",
                    names.shown(&task).unwrap_or_default()
                ),
            });
            continue;
        }
        let item = t.field("ci_item", &tlabel)?;
        match ci_id(
            t,
            "ci_item",
            &item,
            &tlabel,
            opts.ci_ids,
            &names,
            &mut notes,
        )? {
            Some(id) => add(id),
            None => {
                return Err(err::at(
                    t.file,
                    &t.path("ci_item"),
                    format!("{tlabel}: `ci_item` is missing"),
                    "an affected CI record names its CI in `ci_item`",
                ));
            }
        }
    }
    if targets.is_empty() {
        return Err(err::at(
            rec.file,
            &rec.path("cmdb_ci"),
            format!(
                "{label}: no configuration item: `cmdb_ci` is empty and no affected CI is given"
            ),
            "set the change's configuration item, or pass its `task_ci` records as the \
             `affected` input",
        ));
    }

    let ctx = approvals::Context {
        this,
        requested_by: requested_by.as_deref(),
        tz: tz.as_ref(),
        fallback_group: opts.approval_group.as_deref(),
    };
    let approvals = approvals::read(&approval_records, &ctx, &mut notes)?;

    Ok(Imported {
        document: ChangeDocument {
            id: number,
            change_type,
            targets,
            start,
            end,
            requested_by,
            approvals: (!approvals.is_empty()).then_some(approvals),
            backups: None,
            overrides: None,
            attributes: (!attributes.is_empty()).then_some(attributes),
        },
        notes,
    })
}

/// The change a related record must point at: by sys_id, or by number
/// where the export gives the reference's display value.
#[derive(Clone, Copy)]
pub(super) struct This<'a> {
    pub(super) sys_id: Option<&'a str>,
    pub(super) number: &'a str,
    pub(super) names: &'a Names,
}

impl This<'_> {
    /// Whether reference `f` names this change; an unset reference does
    /// (the export was filtered by the change and left the field out).
    pub(super) fn is(&self, f: &Field) -> bool {
        if f.is_unset() {
            return true;
        }
        let by_id = f.value.as_deref().is_some_and(|v| {
            Some(v) == self.sys_id || v == self.number || self.names.get(v) == Some(self.number)
        });
        by_id || f.display.as_deref() == Some(self.number)
    }
}

/// ``task_ci `sys_id` ``, or the record's place when it has no sys_id.
pub(super) fn record_label(table: &str, r: &Record<'_>) -> String {
    match r.sys_id() {
        Some(id) => format!("{table} `{id}`"),
        None => format!("{table} at `{}`", r.place),
    }
}

fn read_type(rec: &Record<'_>, label: &str) -> Result<ChangeTypeDocument, Error> {
    let f = rec.field("type", label)?;
    let Some(text) = f.value.as_deref().or(f.display.as_deref()) else {
        return Err(err::at(
            rec.file,
            &rec.path("type"),
            format!("{label}: `type` is missing"),
            "a change is `standard`, `normal` or `emergency`",
        ));
    };
    match text.trim().to_lowercase().as_str() {
        "standard" => Ok(ChangeTypeDocument::Standard),
        "normal" => Ok(ChangeTypeDocument::Normal),
        "emergency" => Ok(ChangeTypeDocument::Emergency),
        _ => Err(err::at(
            rec.file,
            &rec.path("type"),
            format!("{label}: `type` `{text}` is not a change type changegate knows"),
            "changegate reads `standard`, `normal` and `emergency`; a change of another type \
             must be mapped to one of them before it is checked",
        )),
    }
}

fn required_time(
    rec: &Record<'_>,
    name: &str,
    label: &str,
    tz: Option<&TimeZone>,
) -> Result<String, Error> {
    dates::read(rec, name, label, tz)?.ok_or_else(|| {
        err::at(
            rec.file,
            &rec.path(name),
            format!("{label}: `{name}` is missing"),
            "plan the change (its planned start and end dates) before checking it",
        )
    })
}

/// The node id of the CI a reference names, or `None` when unset.
pub(super) fn ci_id(
    rec: &Record<'_>,
    field: &str,
    f: &Field,
    label: &str,
    ci_ids: CiIds,
    names: &Names,
    notes: &mut Vec<ImportNote>,
) -> Result<Option<String>, Error> {
    match ci_ids {
        CiIds::SysId => match (&f.value, &f.display) {
            (Some(v), _) => Ok(Some(v.clone())),
            (None, None) => Ok(None),
            (None, Some(d)) => Err(err::at(
                rec.file,
                &rec.path(field),
                format!("{label}: `{field}` names CI `{d}` without its sys_id"),
                "with `ci_ids: sys_id` the export must carry sys_ids: export with \
                 `sysparm_display_value=all` or `false`",
            )),
        },
        CiIds::Name => {
            let Some(shown) = names.shown(f) else {
                return Ok(None);
            };
            if f.display.is_none() && f.value.as_deref().is_some_and(|v| names.get(v).is_none()) {
                notes.push(ImportNote {
                    record: label_record(label),
                    field: Some(field.to_owned()),
                    message: format!(
                        "CI `{shown}` is named by its sys_id, as the export carries no name for \
                         it; a CMDB graph of the CI resolves it all the same (each CI carries its \
                         sys_id as an alias), but export with `sysparm_display_value=all` to read \
                         the name"
                    ),
                });
            }
            Ok(Some(shown))
        }
    }
}

/// The record named in a label (``change `CHG0030001` `` gives
/// `CHG0030001`).
pub(super) fn label_record(label: &str) -> String {
    label
        .split('`')
        .nth(1)
        .map_or_else(|| label.to_owned(), str::to_owned)
}

fn read_attributes(
    rec: &Record<'_>,
    label: &str,
    names: &Names,
    extra: &[String],
    notes: &mut Vec<ImportNote>,
) -> Result<BTreeMap<String, Json>, Error> {
    let mut out = BTreeMap::new();
    if let Some(id) = rec.sys_id() {
        out.insert("sys_id".to_owned(), Json::String(id));
    }
    for (name, code) in CODES {
        let f = rec.field(name, label)?;
        let n = match (&f.value, &f.display) {
            (Some(v), _) => Code::raw(v),
            (None, Some(d)) => code.label(d),
            (None, None) => continue,
        };
        let Some(n) = n else {
            let shown = f.shown().unwrap_or_default();
            return Err(err::at(
                rec.file,
                &rec.path(name),
                format!("{label}: `{name}` `{shown}` is not a code"),
                "the Table API writes a choice field's raw value as its number, such as `\"3\"`",
            ));
        };
        // The name under the field's own name, as the policy library
        // compares it (`change.risk == "high"`); the code beside it.
        out.insert(format!("{name}_code"), Json::from(n));
        match code.name(n) {
            Some(s) => {
                out.insert(name.to_owned(), Json::String(s.to_owned()));
            }
            None => notes.push(ImportNote {
                record: label_record(label),
                field: Some(name.to_owned()),
                message: format!(
                    "`{name}` `{n}` has no name in a base instance: `{name}` is left unset, `{name}_code` has the number"
                ),
            }),
        }
    }
    let custom = rec.names().filter(|n| n.starts_with("u_"));
    let wanted = KEPT
        .iter()
        .copied()
        .chain(custom)
        .chain(extra.iter().map(String::as_str));
    for name in wanted {
        if out.contains_key(name) {
            continue;
        }
        if let Some(v) = attribute(&rec.field(name, label)?, names) {
            out.insert(name.to_owned(), v);
        }
    }
    Ok(out)
}
