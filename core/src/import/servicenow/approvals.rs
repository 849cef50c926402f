//! `sysapproval_approver` records: who was asked to approve the change, for
//! which group, and where it stands. Only `approved` counts; a record in any
//! other state still appears, with its status.

use jiff::tz::TimeZone;

use super::super::ImportNote;
use super::change::{This, record_label};
use super::records::Record;
use super::{dates, err};
use crate::api::{ApprovalDocument, ApprovalStatusDocument};
use crate::error::Error;

/// Where an approval record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    Approved,
    Pending,
    Rejected,
    Cancelled,
    NotRequired,
}

impl Status {
    /// A `state`, raw (`not requested`, `not_required`) or as labelled
    /// (`Not Yet Requested`, `No Longer Required`); case does not matter.
    pub(super) fn parse(text: &str) -> Option<Status> {
        let t = text.trim().to_lowercase().replace('_', " ");
        Some(match t.as_str() {
            "not requested" | "not yet requested" | "requested" => Status::Pending,
            "approved" => Status::Approved,
            "rejected" => Status::Rejected,
            "cancelled" | "canceled" => Status::Cancelled,
            "not required" | "no longer required" | "duplicate" => Status::NotRequired,
            _ => return None,
        })
    }

    /// The status's name in a change document.
    pub(super) fn name(self) -> &'static str {
        match self {
            Status::Approved => "approved",
            Status::Pending => "pending",
            Status::Rejected => "rejected",
            Status::Cancelled => "cancelled",
            Status::NotRequired => "not_required",
        }
    }
}

/// What the approvals are read against.
pub(super) struct Context<'a> {
    pub(super) this: This<'a>,
    pub(super) requested_by: Option<&'a str>,
    pub(super) tz: Option<&'a TimeZone>,
    pub(super) fallback_group: Option<&'a str>,
}

/// The approvals of the change, in input order; records of other changes,
/// and approvals without a group when no `approval_group` is set, are notes.
pub(super) fn read(
    records: &[Record<'_>],
    ctx: &Context<'_>,
    notes: &mut Vec<ImportNote>,
) -> Result<Vec<ApprovalDocument>, Error> {
    let mut out = Vec::new();
    for r in records {
        let label = record_label("approval", r);
        let record = r.sys_id().unwrap_or_else(|| r.place.clone());
        let mut other = None;
        for field in ["sysapproval", "document_id"] {
            let f = r.field(field, &label)?;
            if !ctx.this.is(&f) {
                other = Some((field, ctx.this.names.shown(&f).unwrap_or_default()));
                break;
            }
        }
        if let Some((field, what)) = other {
            notes.push(ImportNote {
                record,
                field: Some(field.to_owned()),
                message: format!(
                    "approval for `{what}`, not for change `{}`: left out",
                    ctx.this.number
                ),
            });
            continue;
        }
        let state = r.field("state", &label)?;
        let Some(text) = state.value.as_deref().or(state.display.as_deref()) else {
            return Err(err::at(
                r.file,
                &r.path("state"),
                format!("{label}: `state` is missing"),
                "export the approvals with their `state`",
            ));
        };
        let Some(status) = Status::parse(text) else {
            return Err(err::at(
                r.file,
                &r.path("state"),
                format!("{label}: `state` `{text}` is not an approval state"),
                "an approval is `not requested`, `requested`, `approved`, `rejected`, \
                 `cancelled`, `not_required` or `duplicate`",
            ));
        };
        let Some(by) = ctx.this.names.shown(&r.field("approver", &label)?) else {
            return Err(err::at(
                r.file,
                &r.path("approver"),
                format!("{label}: `approver` is missing"),
                "an approval record names the person asked in `approver`",
            ));
        };
        let at = dates::read(r, "sys_updated_on", &label, ctx.tz)?;
        let group = ctx.this.names.shown(&r.field("group", &label)?);
        let Some(group) = group.or_else(|| ctx.fallback_group.map(str::to_owned)) else {
            notes.push(ImportNote {
                record,
                field: Some("group".to_owned()),
                message: format!(
                    "approval by `{by}` ({}) is for no group, so it counts for none: left out \
                     (set the `approval_group` option to count it for a group)",
                    status.name()
                ),
            });
            continue;
        };
        if ctx.requested_by == Some(by.as_str()) && status == Status::Approved {
            notes.push(ImportNote {
                record: record.clone(),
                field: Some("approver".to_owned()),
                message: format!(
                    "`{by}` approves their own change `{}`: the engine does not count it",
                    ctx.this.number
                ),
            });
        }
        out.push(document(group, by, at, status));
    }
    Ok(out)
}

/// The approval as the change document carries it: `status` only for one
/// not given, as `approved` is the default.
fn document(group: String, by: String, at: Option<String>, status: Status) -> ApprovalDocument {
    let status = match status {
        Status::Approved => None,
        Status::Pending => Some(ApprovalStatusDocument::Pending),
        Status::Rejected => Some(ApprovalStatusDocument::Rejected),
        Status::Cancelled => Some(ApprovalStatusDocument::Cancelled),
        Status::NotRequired => Some(ApprovalStatusDocument::NotRequired),
    };
    ApprovalDocument {
        group,
        by,
        at,
        status,
    }
}
