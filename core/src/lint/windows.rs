//! The lints that depend on a reference instant: `window-never-occurs` (a
//! cron window with no occurrence in the year after it) and `window-ended`
//! (a `between` window that ended before it).

use jiff::{SignedDuration, Timestamp};

use super::{Lint, Raw};
use crate::ast::WindowSpec;
use crate::compile::Checked;
use crate::limits::Limits;
use crate::window::ScanBudget;

/// How far ahead a window must occur: a year, and a day for leap years.
const YEAR: SignedDuration = SignedDuration::from_hours(366 * 24);

/// Both lints for every window, from `at`. A search that runs out of its
/// budget gives no finding.
pub(super) fn all(checked: &Checked<'_>, limits: &Limits, at: Timestamp, out: &mut Vec<Raw>) {
    let until = at.checked_add(YEAR).unwrap_or(Timestamp::MAX);
    for (def, window) in &checked.windows {
        let mut budget = ScanBudget::from_limits(limits);
        let Ok(found) = window.first_overlap(at, until, &mut budget) else {
            continue;
        };
        if found.is_some() {
            continue;
        }
        let name = &def.name.name;
        match &def.spec {
            WindowSpec::Cron { expr, .. } => out.push(Raw {
                lint: Lint::WindowNeverOccurs,
                span: expr.span,
                message: format!(
                    "the window `{name}` does not occur in the year from {at}: `{}` matches no \
                     date in that year",
                    expr.value
                ),
                help: Some(
                    "check the day of month, month and day of week: together they may name a \
                     date that comes only every few years (such as the 29th of February)"
                        .to_owned(),
                ),
            }),
            WindowSpec::Between { end, .. } => {
                if window
                    .first_overlap(Timestamp::MIN, at, &mut budget)
                    .ok()
                    .flatten()
                    .is_some()
                {
                    out.push(Raw {
                        lint: Lint::WindowEnded,
                        span: end.span,
                        message: format!("the window `{name}` ended before {at}"),
                        help: Some(
                            "move it to its next dates, or remove it and the rules' \
                             references to it"
                                .to_owned(),
                        ),
                    });
                }
            }
        }
    }
}
