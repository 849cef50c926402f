//! The text output: a decision as a checklist for a change manager, the
//! blast radius, and errors. Only presentation: every fact comes from core.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use changegate::decision::{BackupCheck, Block, BlockKind, ImpactReport};
use changegate::{Change, Decision, Error, Outcome, Policy};
use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::run::{Failure, READ_HELP};
use crate::style::{self, BOLD, DIM, HEADING, paint};

const CHECK: &str = "✓";
const CROSS: &str = "✗";
const ARROW: &str = "→";

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
            span(
                &change.start.to_string(),
                &change.end.to_string(),
                &TimeZone::UTC
            ),
            changegate::value::format_duration(change.duration())
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

/// A block: what it is, when (in UTC and in the window's own zone), and the
/// rules behind it.
fn block(out: &mut String, b: &Block, zone_of: &dyn Fn(&str) -> Option<String>) {
    let cross = paint(style::bad(), CROSS);
    let rules = paint(DIM, &format!("rules: {}", b.rules.join(", ")));
    match b.kind {
        BlockKind::During | BlockKind::Outside => {
            let window = b.window.as_deref().unwrap_or("?");
            let what = if b.kind == BlockKind::During {
                "the change overlaps this window"
            } else {
                "the change does not fit inside this window"
            };
            let _ = writeln!(out, "  {cross} {}  {}", paint(BOLD, window), what);
            if let Some(occ) = &b.occurrence {
                let mut zones = vec![("UTC".to_owned(), TimeZone::UTC)];
                let own = zone_of(window).filter(|z| z != "UTC");
                if let Some((name, Ok(tz))) = own.map(|z| {
                    let tz = changegate::window::resolve_tz(&z);
                    (z, tz)
                }) {
                    zones.push((name, tz));
                }
                let mut t = Table::new(4);
                for (name, tz) in &zones {
                    t.row(vec![
                        Cell::plain(span(&occ.start, &occ.end, tz)),
                        Cell::styled(name.clone(), DIM),
                    ]);
                }
                out.push_str(&t.render());
            } else if let Some(name) = zone_of(window).filter(|z| z != "UTC") {
                let _ = writeln!(
                    out,
                    "    {}",
                    paint(DIM, &format!("window time zone: {name}"))
                );
            }
            let _ = writeln!(out, "    {rules}");
        }
        BlockKind::Deny => {
            let message = b.message.as_deref().unwrap_or("denied");
            let _ = writeln!(out, "  {cross} {}", paint(BOLD, message));
            let _ = writeln!(out, "    {rules}");
        }
    }
}

/// When the change could start instead, in UTC and in the zones of the
/// windows that block it.
fn next_start(out: &mut String, d: &Decision, zone_of: &dyn Fn(&str) -> Option<String>) {
    let label = paint(BOLD, "Next allowed start");
    match &d.next_allowed_start {
        Some(t) => {
            let mut zones: Vec<String> = d
                .blocks
                .iter()
                .filter_map(|b| b.window.as_deref().and_then(zone_of))
                .filter(|z| z != "UTC")
                .collect();
            zones.sort();
            zones.dedup();
            let local: Vec<String> = zones
                .iter()
                .filter_map(|z| {
                    let tz = changegate::window::resolve_tz(z).ok()?;
                    Some(format!("{} {z}", instant(t, &tz)))
                })
                .collect();
            let local = if local.is_empty() {
                String::new()
            } else {
                paint(DIM, &format!("  ({})", local.join(", ")))
            };
            let _ = writeln!(
                out,
                "\n{label}  {}{local}",
                paint(
                    style::good(),
                    &format!("{} UTC", instant(t, &TimeZone::UTC))
                )
            );
        }
        None if d.blocks.iter().all(|b| b.kind != BlockKind::Deny) => {
            let _ = writeln!(
                out,
                "\n{label}  {}",
                paint(
                    style::warn(),
                    "none within 366 days clears every window rule"
                )
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\n{label}  {}",
                paint(DIM, "none: a `deny` blocks the change whenever it starts")
            );
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
                instant(&e.taken_at, &TimeZone::UTC)
            )),
            None => Cell::styled("no backup that counts", style::bad()),
        },
        Cell::styled(b.rules.join(", "), DIM),
    ]
}

/// The blast radius of `changegate impact`.
pub(crate) fn impact_report(r: &ImpactReport) -> String {
    let dependents = r.len().saturating_sub(r.targets().len());
    let mut out = format!(
        "{}  {}\n",
        paint(HEADING, "Blast radius"),
        paint(
            DIM,
            &format!(
                "{} in total: {}, {}",
                plural(r.len(), "node"),
                plural(r.targets().len(), "target"),
                plural(dependents, "dependent")
            )
        )
    );
    out.push_str(&impacted_table(r));
    out
}

/// Each impacted node with its depth and the dependency path that explains it.
fn impacted_table(report: &ImpactReport) -> String {
    let mut t = Table::new(2);
    t.header(&["node", "depth", "why: dependency path from a target"]);
    for (i, n) in report.iter().enumerate() {
        if n.depth == 0 {
            t.row(vec![
                Cell::styled(n.id, BOLD),
                Cell::plain("0"),
                Cell::styled("target", DIM),
            ]);
        } else {
            t.row(vec![
                Cell::plain(n.id),
                Cell::plain(n.depth.to_string()),
                Cell::plain(report.path(i).join(&format!(" {ARROW} "))),
            ]);
        }
    }
    t.render()
}

/// `changegate validate` when the policy compiles.
pub(crate) fn validated(policy: &Policy) -> String {
    format!(
        "{}: {} in {}\n",
        paint(style::good().bold(), "ok"),
        plural(policy.rules().count(), "rule"),
        plural(policy.files().len(), "file")
    )
}

/// An error for people: what went wrong, where, and how to fix it.
pub(crate) fn failure(f: &Failure, colored: bool) -> String {
    let error = paint(style::error(), "error");
    let help = |h: &str| format!("  {}: {h}\n", paint(style::help(), "help"));
    match f {
        Failure::Core(Error::Policy(p)) => {
            let mut out = p.render(colored);
            let mut files: Vec<&str> = p.diagnostics().iter().map(|d| &*d.file).collect();
            files.sort_unstable();
            files.dedup();
            let _ = writeln!(
                out,
                "{error}: the policy does not compile: {} in {}",
                plural(p.diagnostics().len(), "error"),
                plural(files.len(), "file")
            );
            out
        }
        Failure::Core(e) => {
            let mut out = format!("{error}: {e}\n");
            if let Some(h) = e.help() {
                out.push_str(&help(&h));
            }
            out
        }
        Failure::Read { path, message } => {
            format!(
                "{error}: cannot read `{path}`: {message}\n{}",
                help(READ_HELP)
            )
        }
        Failure::Usage { message, help: h } => {
            let mut out = format!("{error}: {message}\n");
            if let Some(h) = h {
                out.push_str(&help(h));
            }
            out
        }
    }
}

fn section(out: &mut String, title: &str, note: &str) {
    let _ = writeln!(out, "\n{}  {}", paint(HEADING, title), paint(DIM, note));
}

fn met_of(met: usize, total: usize) -> String {
    format!("{met} of {total} met")
}

fn mark(ok: bool) -> Cell {
    if ok {
        Cell::styled(CHECK, style::good())
    } else {
        Cell::styled(CROSS, style::bad())
    }
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn quoted(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

/// An RFC 3339 instant as `2026-12-19 05:00` (with seconds only when there
/// are some) in `tz`; the text as it is when it does not parse.
fn instant(text: &str, tz: &TimeZone) -> String {
    match text.parse::<Timestamp>() {
        Ok(t) => local(t, tz, true),
        Err(_) => text.to_owned(),
    }
}

fn local(t: Timestamp, tz: &TimeZone, with_date: bool) -> String {
    let z = t.to_zoned(tz.clone());
    let time = if z.second() == 0 { "%H:%M" } else { "%H:%M:%S" };
    let fmt = if with_date {
        format!("%Y-%m-%d {time}")
    } else {
        time.to_owned()
    };
    z.strftime(&fmt).to_string()
}

/// `start → end` in `tz`, without repeating the date when both are on the
/// same day.
fn span(start: &str, end: &str, tz: &TimeZone) -> String {
    match (start.parse::<Timestamp>(), end.parse::<Timestamp>()) {
        (Ok(s), Ok(e)) => {
            let same_day = s.to_zoned(tz.clone()).date() == e.to_zoned(tz.clone()).date();
            format!("{} {ARROW} {}", local(s, tz, true), local(e, tz, !same_day))
        }
        _ => format!("{start} {ARROW} {end}"),
    }
}

/// A table cell: plain text (for widths) and a style.
struct Cell {
    text: String,
    style: Option<Style>,
}

impl Cell {
    fn paint(&self) -> String {
        match self.style {
            Some(s) => paint(s, &self.text),
            None => self.text.clone(),
        }
    }

    fn plain(text: impl AsRef<str>) -> Cell {
        Cell {
            text: text.as_ref().to_owned(),
            style: None,
        }
    }

    fn styled(text: impl AsRef<str>, style: Style) -> Cell {
        Cell {
            text: text.as_ref().to_owned(),
            style: Some(style),
        }
    }
}

/// Left-aligned columns, two spaces apart, no trailing spaces.
struct Table {
    indent: usize,
    rows: Vec<Row>,
}

enum Row {
    /// Cells, one per column.
    Cells(Vec<Cell>),
    /// A line under the previous row, indented, outside the columns.
    Note(usize, Cell),
}

impl Table {
    fn new(indent: usize) -> Table {
        Table {
            indent,
            rows: Vec::new(),
        }
    }

    fn header(&mut self, titles: &[&str]) {
        self.rows.push(Row::Cells(
            titles.iter().map(|t| Cell::styled(*t, DIM)).collect(),
        ));
    }

    fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::Cells(cells));
    }

    fn note(&mut self, indent: usize, cell: Cell) {
        self.rows.push(Row::Note(indent, cell));
    }

    fn render(&self) -> String {
        let mut widths: Vec<usize> = Vec::new();
        for row in &self.rows {
            let Row::Cells(row) = row else { continue };
            for (i, c) in row.iter().enumerate() {
                let w = c.text.chars().count();
                match widths.get_mut(i) {
                    Some(max) => *max = (*max).max(w),
                    None => widths.push(w),
                }
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let row = match row {
                Row::Cells(cells) => cells,
                Row::Note(indent, c) => {
                    let _ = writeln!(out, "{}{}", " ".repeat(self.indent + indent), c.paint());
                    continue;
                }
            };
            let last = row
                .iter()
                .rposition(|c| !c.text.is_empty())
                .map_or(0, |i| i + 1);
            let mut line = " ".repeat(self.indent);
            for (i, c) in row.iter().take(last).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(&c.paint());
                if i + 1 < last {
                    let w = widths.get(i).copied().unwrap_or(0);
                    line.push_str(&" ".repeat(w.saturating_sub(c.text.chars().count())));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
