//! A window's next occurrences from an instant, in its own zone and in UTC
//! (docs/language.md, *Windows*), for hover.

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::window::{Occurrence, ScanBudget, Window};

/// How many occurrences a hover lists.
pub(crate) const SHOWN: usize = 5;

/// Occurrences a hover's search may examine: enough for any window that
/// occurs at all in a few years, little enough to answer at once.
const BUDGET: usize = 20_000;

/// The first `n` occurrences that have not ended at `now` (one under way
/// at `now` comes first), in order of start. A search that runs out of
/// its budget or off the calendar stops the list.
pub(crate) fn next(window: &Window, now: Timestamp, n: usize) -> Vec<Occurrence> {
    let mut budget = ScanBudget::new(BUDGET);
    let mut out: Vec<Occurrence> = Vec::new();
    let Ok(Some(first)) = window.first_overlap(now, Timestamp::MAX, &mut budget) else {
        return out;
    };
    out.push(first);
    let mut from = first.start;
    while out.len() < n {
        let Some(after) = from.checked_add(SignedDuration::from_nanos(1)).ok() else {
            break;
        };
        match window.next_start(after, SignedDuration::ZERO, Timestamp::MAX, &mut budget) {
            Ok(Some(o)) => {
                from = o.start;
                out.push(o);
            }
            _ => break,
        }
    }
    out
}

/// One occurrence as a line: its start and end on the zone's wall clock,
/// then in UTC when the zone is not UTC.
pub(crate) fn line(o: &Occurrence, tz: &TimeZone, tz_name: &str) -> String {
    let local = |t: Timestamp| {
        t.to_zoned(tz.clone())
            .strftime("%a %Y-%m-%d %H:%M")
            .to_string()
    };
    let utc = |t: Timestamp| {
        t.to_zoned(TimeZone::UTC)
            .strftime("%Y-%m-%d %H:%M")
            .to_string()
    };
    if tz_name == "UTC" {
        format!("{} → {} UTC", local(o.start), local(o.end))
    } else {
        format!(
            "{} → {} {tz_name} ({} → {} UTC)",
            local(o.start),
            local(o.end),
            utc(o.start),
            utc(o.end)
        )
    }
}
