//! Time zones: names looked up in the bundled database, with a
//! did-you-mean for near misses, and the offsets a zone used near an instant.

use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::err::WindowError;
use super::sat_add;

/// Looks up an IANA time zone name (case-insensitively) in the bundled database.
pub fn resolve_tz(name: &str) -> Result<TimeZone, WindowError> {
    match jiff::tz::db().get(name) {
        Ok(tz) if !tz.is_unknown() && !name.trim().is_empty() => Ok(tz),
        _ => Err(WindowError::UnknownTimeZone {
            name: name.to_owned(),
            suggestions: suggest_tz(name),
        }),
    }
}

/// Up to three database names close to `name`, best first.
fn suggest_tz(name: &str) -> Vec<String> {
    let wanted = name.trim().to_lowercase().replace(' ', "_");
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, String)> = jiff::tz::db()
        .available()
        .filter_map(|candidate| {
            let full = candidate.as_str().to_lowercase();
            let last = full.rsplit('/').next().unwrap_or(&full).to_owned();
            let score =
                strsim::jaro_winkler(&wanted, &full).max(strsim::jaro_winkler(&wanted, &last));
            (score >= 0.88).then(|| (score, candidate.as_str().to_owned()))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let best = scored.first().map_or(0.0, |(score, _)| *score);
    scored
        .into_iter()
        .take_while(|(score, _)| *score >= best - 0.03)
        .take(3)
        .map(|(_, n)| n)
        .collect()
}

pub(super) fn resolve_tz_opt(tz_name: Option<&str>) -> Result<(TimeZone, String), WindowError> {
    match tz_name {
        None => Ok((TimeZone::UTC, "UTC".to_owned())),
        Some(name) => {
            let tz = resolve_tz(name)?;
            let canonical = tz.iana_name().unwrap_or(name).to_owned();
            Ok((tz, canonical))
        }
    }
}

/// How far back to look for offset changes: more than any real transition (Samoa skipped 24h).
const OFFSET_SLACK: SignedDuration = SignedDuration::from_hours(48);

/// The smallest and largest UTC offsets `tz` used during `[t - 48h, t]`.
pub(super) fn offset_bounds(tz: &TimeZone, t: Timestamp) -> (Offset, Offset) {
    let here = tz.to_offset(t);
    let from = sat_add(t, -OFFSET_SLACK);
    let before = tz.to_offset(from);
    let (mut lo, mut hi) = (here.min(before), here.max(before));
    for transition in tz.preceding(t) {
        if transition.timestamp() <= from {
            break;
        }
        lo = lo.min(transition.offset());
        hi = hi.max(transition.offset());
    }
    (lo, hi)
}
