//! The blast radius: each impacted node, its depth and the path that
//! explains it.

use changegate::decision::ImpactReport;

use super::table::{Cell, Table};
use super::words::{ARROW, plural};
use crate::style::{BOLD, DIM, HEADING, paint};

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
pub(super) fn impacted_table(report: &ImpactReport) -> String {
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
