//! What blocks a change, and when it could start instead, each time shown
//! in UTC and in the zones of the windows involved.

use std::fmt::Write as _;

use changegate::Decision;
use changegate::decision::{Block, BlockKind};
use jiff::tz::TimeZone;

use super::table::{Cell, Table};
use super::time::{instant, span};
use super::words::CROSS;
use crate::style::{self, BOLD, DIM, paint};

/// A block: what it is, when (in UTC and in the window's own zone), and the
/// rules behind it.
pub(super) fn block(out: &mut String, b: &Block, zone_of: &dyn Fn(&str) -> Option<String>) {
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
                    let tz = changegate::api::time_zone(&z).ok_or(());
                    (z, tz)
                }) {
                    zones.push((name, tz));
                }
                let mut t = Table::new(4);
                for (name, tz) in &zones {
                    t.row(vec![
                        Cell::plain(span(occ.start.timestamp(), occ.end.timestamp(), tz)),
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
pub(super) fn next_start(out: &mut String, d: &Decision, zone_of: &dyn Fn(&str) -> Option<String>) {
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
                    let tz = changegate::api::time_zone(z)?;
                    Some(format!("{} {z}", instant(t.timestamp(), &tz)))
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
                    &format!("{} UTC", instant(t.timestamp(), &TimeZone::UTC))
                )
            );
        }
        None if d.next_allowed_start_limit.is_some() => {
            if let Some(limit) = &d.next_allowed_start_limit {
                let _ = writeln!(
                    out,
                    "\n{label}  {}\n  {}\n  {}",
                    paint(style::warn(), "unknown: the search stopped at a limit"),
                    limit.message,
                    paint(DIM, &format!("help: {}", limit.help))
                );
            }
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
