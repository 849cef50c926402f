//! Small pieces of text shared by the renderers: marks, section headings,
//! counts and quotes.

use std::fmt::Write as _;

use super::table::Cell;
use crate::style::{self, DIM, HEADING, paint};

const CHECK: &str = "✓";
pub(super) const CROSS: &str = "✗";
pub(super) const ARROW: &str = "→";

pub(super) fn section(out: &mut String, title: &str, note: &str) {
    let _ = writeln!(out, "\n{}  {}", paint(HEADING, title), paint(DIM, note));
}

pub(super) fn met_of(met: usize, total: usize) -> String {
    format!("{met} of {total} met")
}

pub(super) fn mark(ok: bool) -> Cell {
    if ok {
        Cell::styled(CHECK, style::good())
    } else {
        Cell::styled(CROSS, style::bad())
    }
}

pub(super) fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

pub(super) fn quoted(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}
