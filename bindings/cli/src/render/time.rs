//! Instants and intervals as people read them, in a given time zone.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::words::ARROW;

/// An instant as `2026-12-19 05:00` (with seconds only when there are
/// some) in `tz`.
pub(super) fn instant(t: impl Into<Timestamp>, tz: &TimeZone) -> String {
    local(t.into(), tz, true)
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
pub(super) fn span(
    start: impl Into<Timestamp>,
    end: impl Into<Timestamp>,
    tz: &TimeZone,
) -> String {
    let (s, e) = (start.into(), end.into());
    let same_day = s.to_zoned(tz.clone()).date() == e.to_zoned(tz.clone()).date();
    format!("{} {ARROW} {}", local(s, tz, true), local(e, tz, !same_day))
}
