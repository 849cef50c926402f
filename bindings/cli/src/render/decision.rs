//! A decision as a checklist: the verdict and why, the change, then each
//! section that has something to show.

use std::fmt::Write as _;

use anstyle::AnsiColor;
use changegate::decision::BackupCheck;
use changegate::{Change, Decision, Outcome, Policy};
use jiff::tz::TimeZone;

use super::blocks::{block, next_start};
use super::impact::impacted_table;
use super::table::{Cell, Table};
use super::time::{instant, span};
use super::words::{mark, met_of, plural, quoted, section};
use crate::style::{self, BOLD, DIM, paint};

/// A decision as a checklist: outcome first, then what blocks the change,
/// what is still missing, why, and which rules said so.
pub(crate) fn decision(d: &Decision, change: &Change, policy: &Policy, colored: bool) -> String {
    let mut out = String::new();
    let zone_of = |window: &str| policy.window_time_zone(window).map(str::to_owned);

    // The verdict, and why, in one sentence.
    let (label, color) = match d.outcome {
        Outcome::Approved => ("APPROVED", AnsiColor::Green),
        Outcome::Pending => ("PENDING", AnsiColor::Yellow),
        Outcome::Denied => ("DENIED", AnsiColor::Red),
    };
    let banner = if colored {
        paint(style::banner(color), &format!(" {label} "))
    } else {
        label.to_owned()
    };
    let _ = writeln!(out, "{banner}  {}", paint(BOLD, &d.change));
    let _ = writeln!(out, "{}", summary(d));
    out.push('\n');

    // The change itself.
    let mut facts = Table::new(0);
    let requester = change
        .requested_by
        .as_deref()
        .map(|r| format!(", requested by {r}"))
        .unwrap_or_default();
    facts.row(vec![
        Cell::styled("Change", BOLD),
        Cell::plain(format!("{} change{requester}", change.change_type.as_str())),
    ]);
    facts.row(vec![
        Cell::styled("Targets", BOLD),
        Cell::plain(change.targets.join(", ")),
    ]);
    facts.row(vec![
        Cell::styled("When", BOLD),
        Cell::plain(format!(
            "{} UTC ({})",
            span(change.start, change.end, &TimeZone::UTC),
            changegate::api::format_duration(change.duration())
        )),
    ]);
    out.push_str(&facts.render());

    if !d.blocks.is_empty() {
        section(&mut out, "Blocks", &d.blocks.len().to_string());
        for b in &d.blocks {
            block(&mut out, b, &zone_of);
        }
    }
    if !d.blocks.is_empty() || d.next_allowed_start.is_some() {
        next_start(&mut out, d, &zone_of);
    }

    if !d.approvals.is_empty() {
        let met = d.approvals.iter().filter(|a| a.satisfied).count();
        section(&mut out, "Approvals", &met_of(met, d.approvals.len()));
        let mut t = Table::new(2);
        t.header(&["", "group", "approvals", "granted by", "rules"]);
        for a in &d.approvals {
            t.row(vec![
                mark(a.satisfied),
                Cell::plain(a.group.clone()),
                Cell::plain(format!("{} of {}", a.granted_by.len(), a.required)),
                if a.granted_by.is_empty() {
                    Cell::styled("nobody yet", DIM)
                } else {
                    Cell::plain(a.granted_by.join(", "))
                },
                Cell::styled(a.rules.join(", "), DIM),
            ]);
        }
        out.push_str(&t.render());
    }

    if !d.backups.is_empty() {
        let met = d.backups.iter().filter(|b| b.satisfied).count();
        section(&mut out, "Backups", &met_of(met, d.backups.len()));
        let mut t = Table::new(2);
        t.header(&[
            "", "node", "kind", "within", "verified", "evidence", "rules",
        ]);
        for b in &d.backups {
            t.row(backup_row(b));
        }
        out.push_str(&t.render());
    }

    if !d.conditions.is_empty() {
        let met = d.conditions.iter().filter(|c| c.satisfied).count();
        section(&mut out, "Conditions", &met_of(met, d.conditions.len()));
        let mut t = Table::new(2);
        t.header(&["", "condition", "rules"]);
        for c in &d.conditions {
            t.row(vec![
                mark(c.satisfied),
                Cell::plain(c.message.clone()),
                Cell::styled(c.rules.join(", "), DIM),
            ]);
        }
        out.push_str(&t.render());
    }

    if !d.overrides.is_empty() {
        let counted = d.overrides.iter().filter(|o| o.counted).count();
        section(
            &mut out,
            "Overrides",
            &format!(
                "{counted} counted, {} rejected",
                d.overrides.len() - counted
            ),
        );
        let mut t = Table::new(2);
        for o in &d.overrides {
            t.row(vec![
                mark(o.counted),
                Cell::plain(o.rule.clone()),
                Cell::plain(format!("{} for {}", o.by, o.group)),
                if o.counted {
                    Cell::styled("counted: lifts the rule", style::good())
                } else {
                    let problem = o.problem.as_deref().unwrap_or("not counted");
                    Cell::styled(format!("rejected: {problem}"), style::bad())
                },
            ]);
            t.note(
                3,
                Cell::styled(format!("reason: {}", quoted(&o.reason)), DIM),
            );
        }
        out.push_str(&t.render());
    }

    let dependents = d.impact.len().saturating_sub(d.impact.targets().len());
    section(
        &mut out,
        "Blast radius",
        &format!(
            "{}, {}",
            plural(d.impact.targets().len(), "target"),
            plural(dependents, "dependent")
        ),
    );
    out.push_str(&impacted_table(&d.impact));

    if !d.fired.is_empty() {
        section(&mut out, "Fired rules", &d.fired.len().to_string());
        let mut t = Table::new(2);
        t.header(&["rule", "where", "because"]);
        for f in &d.fired {
            t.row(vec![
                Cell::plain(f.rule.clone()),
                Cell::styled(format!("{}:{}", f.file, f.line), DIM),
                Cell::plain(f.because.as_deref().map(quoted).unwrap_or_default()),
            ]);
        }
        out.push_str(&t.render());
    }

    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        paint(
            DIM,
            &format!("policy {}  ·  {}", d.audit.policy_digest, d.audit.engine)
        )
    );
    out
}

/// One sentence under the verdict that says why.
fn summary(d: &Decision) -> String {
    let unmet: Vec<String> = [
        (
            d.approvals.iter().filter(|a| !a.satisfied).count(),
            "approval",
        ),
        (d.backups.iter().filter(|b| !b.satisfied).count(), "backup"),
        (
            d.conditions.iter().filter(|c| !c.satisfied).count(),
            "condition",
        ),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| plural(n, what))
    .collect();
    let total = d.approvals.len() + d.backups.len() + d.conditions.len();
    match d.outcome {
        Outcome::Approved if total == 0 => {
            "Nothing blocks this change and no rule requires anything of it.".to_owned()
        }
        Outcome::Approved if total == 1 => {
            "Nothing blocks this change and its one requirement is met.".to_owned()
        }
        Outcome::Approved => {
            format!("Nothing blocks this change and all {total} requirements are met.")
        }
        Outcome::Pending => format!(
            "Nothing blocks this change, but some requirements are unmet: {}.",
            unmet.join(", ")
        ),
        Outcome::Denied => {
            let by: Vec<&str> = d
                .blocks
                .iter()
                .map(|b| {
                    b.window
                        .as_deref()
                        .or(b.message.as_deref())
                        .unwrap_or("a rule")
                })
                .collect();
            let mut s = format!("Blocked by {}", by.join(", "));
            if !unmet.is_empty() {
                let _ = write!(s, "; also unmet: {}", unmet.join(", "));
            }
            s.push('.');
            s
        }
    }
}

fn backup_row(b: &BackupCheck) -> Vec<Cell> {
    vec![
        mark(b.satisfied),
        Cell::plain(b.node.clone()),
        match &b.kind {
            Some(k) => Cell::plain(k.clone()),
            None => Cell::styled("any kind", DIM),
        },
        Cell::plain(b.within.clone()),
        Cell::plain(if b.verified {
            "required"
        } else {
            "not required"
        }),
        match &b.evidence {
            Some(e) => Cell::plain(format!(
                "taken {} UTC",
                instant(e.taken_at.timestamp(), &TimeZone::UTC)
            )),
            None => Cell::styled("no backup that counts", style::bad()),
        },
        Cell::styled(b.rules.join(", "), DIM),
    ]
}
