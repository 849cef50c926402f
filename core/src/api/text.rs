//! What a front end needs to show decisions as text: durations as the
//! decision writes them, and time zones by their IANA names.

use jiff::SignedDuration;
use jiff::tz::TimeZone;

/// A duration as the decision writes it: whole days from two days up
/// (`7d`), otherwise hours, minutes and seconds (`2h30m`).
pub fn format_duration(d: SignedDuration) -> String {
    crate::value::format_duration(d)
}

/// The time zone of an IANA name from the bundled database (the one every
/// window resolves against), or `None` when the database has no such name.
pub fn time_zone(name: &str) -> Option<TimeZone> {
    crate::window::resolve_tz(name).ok()
}
