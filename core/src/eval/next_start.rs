//! The next allowed start: when a change denied only by windows could
//! start instead (see docs/language.md, *Next allowed start*). It combines
//! the windows of every window rule that applied, so it belongs to
//! evaluation rather than to any one window.

use jiff::{SignedDuration, Timestamp};

use crate::decision::NextStartLimit;
use crate::window::{NANO, ScanBudget, Window, WindowError, sat_add};

/// `next_allowed_start` searches at most this far ahead (see docs/language.md, *Next allowed start*).
const HORIZON: SignedDuration = SignedDuration::from_hours(366 * 24);

/// The earliest `t` in `[start, start + 366 days]` such that
/// `[t, t + duration)` overlaps no occurrence of any `during` window and, for
/// every group in `outside` (one per `deny outside W1, W2` rule), lies wholly
/// inside one occurrence of one window of that group. `None` if there is none
/// (see docs/language.md, *Next allowed start*).
pub fn next_allowed_start(
    start: Timestamp,
    duration: SignedDuration,
    during: &[&Window],
    outside: &[Vec<&Window>],
    budget: &mut ScanBudget,
) -> Result<Option<Timestamp>, WindowError> {
    let horizon = sat_add(start, HORIZON);
    let mut t = start;
    'search: while t <= horizon {
        // Each `during` window's walk moves t past every start it blocks;
        // after a move the others are checked again, until all of them in a
        // row find t clear.
        let mut clear = 0;
        for window in during.iter().cycle() {
            if clear == during.len() {
                break;
            }
            let next = window.clear_from(t, duration, horizon, budget)?;
            if next > t {
                t = next;
                if t > horizon {
                    return Ok(None);
                }
                clear = 1;
            } else {
                clear += 1;
            }
        }
        let end = sat_add(t, duration);
        for group in outside {
            let mut fits = false;
            for window in group {
                if window.containing(t, end, budget)?.is_some() {
                    fits = true;
                    break;
                }
            }
            if fits {
                continue;
            }
            // Nothing starting at or before t contains [t, t + duration), so
            // the next candidate is the next long-enough occurrence start.
            let mut next: Option<Timestamp> = None;
            for window in group {
                let after = sat_add(t, NANO);
                if let Some(occ) = window.next_start(after, duration, horizon, budget)? {
                    next = Some(next.map_or(occ.start, |n| n.min(occ.start)));
                }
            }
            match next {
                Some(n) => {
                    t = n;
                    continue 'search;
                }
                None => return Ok(None),
            }
        }
        return Ok(Some(t));
    }
    Ok(None)
}

/// What the decision says when a limit stopped the search; `None` for an
/// error that is not a limit.
pub(super) fn limit_note(e: &WindowError) -> Option<NextStartLimit> {
    Some(NextStartLimit {
        limit: e.limit()?.to_owned(),
        message: e.to_string(),
        help: e.help().unwrap_or_default(),
    })
}
