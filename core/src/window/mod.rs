//! Time windows: `between A and B` and `cron "EXPR" for DUR`, both `in "TZ"`
//! (see docs/language.md, *Windows*).
//!
//! A window is a set of occurrences, half-open intervals `[start, end)` of
//! real (elapsed) time. Time zones and daylight saving time come from `jiff`;
//! cron patterns are parsed and matched by `croner`, on the zone's wall clock
//! (`jiff::civil::DateTime`, no zone attached), and each wall-clock match is
//! then placed on the time line by the rule of docs/language.md,
//! *Daylight-saving time*: a time in a gap moves forward by the gap, a time
//! in a fold means the earlier instant (`jiff`'s `Disambiguation::Compatible`,
//! RFC 5545, Temporal `compatible`).
//!
//! `err.rs` holds the errors, `tz.rs` time zones, `cron.rs` cron
//! expressions, `budget.rs` the searches' budget, `search.rs` the searches. The
//! search for the next allowed start combines the windows of several rules,
//! so it is part of evaluation (`eval/next_start.rs`).

use croner::Cron;
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

mod budget;
mod cron;
mod err;
mod search;
#[cfg(test)]
pub(crate) mod tests;
mod tz;

pub use budget::ScanBudget;
pub use err::WindowError;
pub use tz::resolve_tz;
// Re-exported so that `changegate::window::next_allowed_start` keeps
// resolving; it lives with evaluation, which combines the rules' windows.
pub use crate::eval::next_allowed_start;

/// One occurrence of a window: the half-open interval `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Occurrence {
    /// First instant inside the occurrence.
    pub start: Timestamp,
    /// First instant after the occurrence.
    pub end: Timestamp,
}

impl Occurrence {
    /// Whether `[start, end)` overlaps this occurrence (`start < self.end && self.start < end`).
    pub fn overlaps(&self, start: Timestamp, end: Timestamp) -> bool {
        start < self.end && self.start < end
    }

    /// Whether `[start, end)` lies wholly inside this occurrence.
    pub fn contains(&self, start: Timestamp, end: Timestamp) -> bool {
        self.start <= start && end <= self.end
    }

    /// The occurrence's length in elapsed time.
    pub fn len(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }
}

#[derive(Debug, Clone)]
enum Spec {
    Between(Occurrence),
    Cron {
        cron: Box<Cron>,
        duration: SignedDuration,
    },
}

/// A compiled time window, independent of the name it was declared under.
#[derive(Debug, Clone)]
pub struct Window {
    spec: Spec,
    tz: TimeZone,
    tz_name: String,
}

/// Adds `d` to `t`, saturating at the ends of the time line.
pub(crate) fn sat_add(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.checked_add(d).unwrap_or(if d.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

pub(crate) const NANO: SignedDuration = SignedDuration::from_nanos(1);

impl Window {
    /// `between START and END [in "TZ"]`: one occurrence `[START, END)`.
    ///
    /// A datetime with an offset is absolute; one without is a wall-clock
    /// time in the zone (default UTC), placed by the DST rule.
    pub fn between(
        start: DateTime,
        start_offset: Option<Offset>,
        end: DateTime,
        end_offset: Option<Offset>,
        tz_name: Option<&str>,
    ) -> Result<Window, WindowError> {
        let (tz, tz_name) = tz::resolve_tz_opt(tz_name)?;
        let place = |dt: DateTime, offset: Option<Offset>| {
            match offset {
                Some(offset) => offset.to_timestamp(dt),
                None => tz.to_ambiguous_timestamp(dt).compatible(),
            }
            .map_err(|_| WindowError::OutOfRange {
                datetime: dt.to_string(),
            })
        };
        let (a, b) = (place(start, start_offset)?, place(end, end_offset)?);
        if b <= a {
            return Err(WindowError::EmptyBetween {
                start: a.to_string(),
                end: b.to_string(),
            });
        }
        Ok(Window {
            spec: Spec::Between(Occurrence { start: a, end: b }),
            tz,
            tz_name,
        })
    }

    /// `cron "EXPR" for DURATION [in "TZ"]`: every wall-clock time in the zone
    /// that matches the five-field EXPR starts an occurrence lasting DURATION.
    pub fn cron(
        expr: &str,
        duration: SignedDuration,
        tz_name: Option<&str>,
    ) -> Result<Window, WindowError> {
        if duration <= SignedDuration::ZERO {
            return Err(WindowError::NonPositiveDuration {
                duration: crate::value::format_duration(duration),
            });
        }
        let cron = cron::parse_cron(expr)?;
        let (tz, tz_name) = tz::resolve_tz_opt(tz_name)?;
        Ok(Window {
            spec: Spec::Cron {
                cron: Box::new(cron),
                duration,
            },
            tz,
            tz_name,
        })
    }

    /// The zone's IANA name (`"UTC"` by default).
    pub fn tz_name(&self) -> &str {
        &self.tz_name
    }

    /// The zone the window's wall-clock times are in.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The length of the longest occurrence.
    pub fn max_len(&self) -> SignedDuration {
        match &self.spec {
            Spec::Between(occ) => occ.len(),
            Spec::Cron { duration, .. } => *duration,
        }
    }
}
