//! The window lints. Two depend on a reference instant:
//! `window-never-occurs` (a cron window with no occurrence in the year
//! after it) and `window-ended` (a `between` window that ended before it).
//! `short-window` does not: every occurrence of a window has the same
//! length (a cron window's `for`, elapsed time even across a clock change;
//! a `between` window's one interval), and occurrences are never joined
//! (docs/language.md, *`deny outside W1, W2, …`*).

use jiff::{SignedDuration, Timestamp};

use super::{Lint, Raw};
use crate::ast::{EffectKind, WindowSpec};
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

/// `short-window`: `deny outside W` where W's occurrences are shorter than
/// `min`, so that a change of `min` or longer fits none and is always
/// denied.
pub(super) fn short(checked: &Checked<'_>, min: SignedDuration, out: &mut Vec<Raw>) {
    for r in &checked.rules {
        for e in &r.effects {
            let EffectKind::DenyOutside(names) = &e.kind else {
                continue;
            };
            for name in names {
                let Some((_, window)) = checked
                    .windows
                    .iter()
                    .find(|(d, _)| d.name.name == name.name)
                else {
                    continue;
                };
                let len = window.max_len();
                if len >= min {
                    continue;
                }
                let fmt = crate::value::format_duration;
                out.push(Raw {
                    lint: Lint::ShortWindow,
                    span: name.span,
                    message: format!(
                        "rule `{}` denies changes outside `{}`, whose occurrences last {}: a \
                         change longer than that fits none, and `min-window` expects changes \
                         of {}",
                        r.name.name,
                        name.name,
                        fmt(len),
                        fmt(min)
                    ),
                    help: Some(format!(
                        "lengthen the window (`for {}` or more), or, if short changes are \
                         the rule here, set `min-window` under `[lint.options]`",
                        fmt(min)
                    )),
                });
            }
        }
    }
}
