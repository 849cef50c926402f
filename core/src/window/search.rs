//! Occurrence searches, bounded by a [`ScanBudget`]: the earliest or latest
//! occurrence starting in a range, and the walk past every start a window
//! blocks ([`Window::clear_from`]), which the next-allowed-start search
//! uses.
//!
//! Because a wall-clock time in a gap lands later than the wall-clock times
//! just after the gap, occurrence starts are not monotonic in wall-clock
//! order. Every search therefore scans the wall clock over a range widened by
//! the offsets the zone used nearby, filters by instant, and keeps the best.

use croner::Cron;
use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};

use super::budget::{ScanBudget, next_match};
use super::err::{CRON_YEARS, WindowError};
use super::tz::offset_bounds;
use super::{NANO, Occurrence, Spec, Window, sat_add};

impl Window {
    /// The earliest-starting occurrence that overlaps `[start, end)`.
    pub fn first_overlap(
        &self,
        start: Timestamp,
        end: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        // [a, a + len) overlaps [start, end) iff start - len < a < end.
        let lo = sat_add(sat_add(start, -self.max_len()), NANO);
        self.earliest_in(lo, end, budget)
    }

    /// The earliest-starting occurrence that wholly contains `[start, end)`, if any.
    pub fn containing(
        &self,
        start: Timestamp,
        end: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        // [a, a + len) contains [start, end) iff end - len <= a <= start.
        if end.duration_since(start) > self.max_len() {
            return Ok(None);
        }
        self.earliest_in(sat_add(end, -self.max_len()), sat_add(start, NANO), budget)
    }

    /// The earliest occurrence starting at or after `t` and no later than
    /// `until` whose length is at least `min_len`.
    pub fn next_start(
        &self,
        t: Timestamp,
        min_len: SignedDuration,
        until: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        if self.max_len() < min_len {
            return Ok(None);
        }
        self.earliest_in(t, sat_add(until, NANO), budget)
    }

    /// What a search of starts in `[lo, hi)` has to do: nothing more for
    /// an empty span or a `between` window (its one occurrence is the
    /// answer), or walk the cron expression. Either way the search costs 1,
    /// even when it finds nothing: otherwise a policy of thousands of windows
    /// that never overlap, next to one that always does, searched without
    /// limit (fuzz: over 5 minutes).
    fn searched(
        &self,
        lo: Timestamp,
        hi: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Search<'_>, WindowError> {
        if lo >= hi {
            return Ok(Search::Done(None));
        }
        budget.spend()?;
        Ok(match &self.spec {
            Spec::Between(occ) => Search::Done((lo <= occ.start && occ.start < hi).then_some(*occ)),
            Spec::Cron { cron, duration } => Search::Cron(cron, *duration),
        })
    }

    /// The earliest-starting occurrence whose start lies in `[lo, hi)`.
    fn earliest_in(
        &self,
        lo: Timestamp,
        hi: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        let (cron, duration) = match self.searched(lo, hi, budget)? {
            Search::Cron(cron, duration) => (cron, duration),
            Search::Done(answer) => return Ok(answer),
        };
        let key = std::ptr::from_ref(self) as usize;
        // A wall-clock match c lands at c - o for an offset o the zone used
        // within 48h before that instant (a gap time uses the offset before
        // the gap). So starts in [lo, hi) come from c in
        // [lo + min offset near lo, hi + max offset near hi).
        let tz = &self.tz;
        let mut stop = offset_bounds(tz, hi).1.to_datetime(hi);
        let mut cursor = offset_bounds(tz, lo).0.to_datetime(lo);
        let mut inclusive = true;
        let mut best: Option<Timestamp> = None;
        if cursor.year() < CRON_YEARS.0 {
            return Err(beyond(cursor));
        }
        loop {
            let civil = match budget.next_match(key, cron, cursor, inclusive) {
                Ok(civil) => civil,
                Err(_) if cursor < stop => return Err(beyond(cursor)),
                Err(_) => break,
            };
            if civil >= stop {
                break;
            }
            budget.spend()?;
            (cursor, inclusive) = (civil, false);
            let Ok(a) = tz.to_ambiguous_timestamp(civil).compatible() else {
                continue;
            };
            if lo <= a && a < hi && best.is_none_or(|b| a < b) {
                best = Some(a);
                // No later wall-clock time can land before `a`.
                stop = stop.min(offset_bounds(tz, a).1.to_datetime(a));
            }
        }
        Ok(best.map(|start| Occurrence {
            start,
            end: sat_add(start, duration),
        }))
    }

    /// The latest-starting occurrence whose start lies in `[lo, hi)`: the
    /// mirror image of [`Window::earliest_in`].
    fn latest_in(
        &self,
        lo: Timestamp,
        hi: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        let (cron, duration) = match self.searched(lo, hi, budget)? {
            Search::Cron(cron, duration) => (cron, duration),
            Search::Done(answer) => return Ok(answer),
        };
        let key = std::ptr::from_ref(self) as usize;
        let tz = &self.tz;
        // Starts in [lo, hi) come from wall-clock times in
        // [lo + min offset near lo, hi + max offset near hi), as in `earliest_in`.
        let mut stop = offset_bounds(tz, lo).0.to_datetime(lo);
        let mut cursor = offset_bounds(tz, hi).1.to_datetime(hi);
        if cursor.year() > CRON_YEARS.1 {
            return Err(beyond(cursor));
        }
        let mut best: Option<Timestamp> = None;
        while stop < cursor {
            let civil = match budget.prev_match(key, cron, cursor) {
                Ok(civil) => civil,
                Err(_) => return Err(beyond(cursor)),
            };
            if civil < stop {
                break;
            }
            budget.spend()?;
            cursor = civil;
            let Ok(a) = tz.to_ambiguous_timestamp(civil).compatible() else {
                continue;
            };
            if lo <= a && a < hi && best.is_none_or(|b| a > b) {
                best = Some(a);
                // No earlier wall-clock time can land after `a`.
                stop = stop.max(offset_bounds(tz, a).0.to_datetime(a));
            }
        }
        Ok(best.map(|start| Occurrence {
            start,
            end: sat_add(start, duration),
        }))
    }

    /// The earliest `u >= t` such that `[u, u + len)` overlaps no
    /// occurrence; once that is past `until`, some instant past `until`.
    ///
    /// Every instant from `t` to the answer is blocked. The walk starts at
    /// the end of the latest-starting occurrence that blocks `t` (one
    /// backward search, which skips the occurrences before it, however
    /// many a long window has), then scans the wall clock forward once,
    /// each match examined once, for as long as occurrences keep blocking:
    /// a window that blocks every start for a year costs one unit of the
    /// budget per occurrence, not one per occurrence per step.
    pub fn clear_from(
        &self,
        t: Timestamp,
        len: SignedDuration,
        until: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Timestamp, WindowError> {
        let (cron, occ_len) = match &self.spec {
            Spec::Between(occ) => {
                budget.spend()?;
                let blocked = occ.overlaps(t, sat_add(t, len));
                return Ok(if blocked { occ.end } else { t });
            }
            Spec::Cron { cron, duration } => (cron, *duration),
        };
        // [a, a + L) blocks u iff u - L < a < u + len: all cron occurrences
        // last L, so the latest-starting one that blocks also ends last.
        let lo = sat_add(sat_add(t, -occ_len), NANO);
        let Some(last) = self.latest_in(lo, sat_add(t, len), budget)? else {
            return Ok(t);
        };
        let mut u = last.end;
        let key = std::ptr::from_ref(self) as usize;
        // Remembered here, written back once: one lookup per walk, not per match.
        let mut memo = budget.remembered(key);
        let tz = &self.tz;
        // Only wall-clock times from here on can land after `last`.
        let mut cursor = offset_bounds(tz, last.start).0.to_datetime(last.start);
        let mut inclusive = true;
        // No wall-clock time from `stop` on lands before `u + len`.
        let reach = |u: Timestamp| {
            let x = sat_add(u, len);
            offset_bounds(tz, x).1.to_datetime(x)
        };
        let mut stop = reach(u);
        // Starts met before they blocked: a time in a gap lands later than
        // the times just after the gap, so one may block only once `u` has
        // moved on.
        let mut ahead: Vec<Timestamp> = Vec::new();
        // The blocking start before the last one, since the last jump.
        let mut previous: Option<Timestamp> = None;
        while u <= until {
            let civil = match next_match(&mut memo, cron, cursor, inclusive) {
                Ok(civil) if civil < stop => civil,
                found => {
                    stop = reach(u);
                    match found {
                        Ok(civil) if civil < stop => civil,
                        Ok(_) => break,
                        Err(_) if cursor < stop => return Err(beyond(cursor)),
                        Err(_) => break,
                    }
                }
            };
            budget.spend()?;
            (cursor, inclusive) = (civil, false);
            let Ok(a) = tz.to_ambiguous_timestamp(civil).compatible() else {
                continue;
            };
            if sat_add(a, occ_len) <= u {
                continue;
            }
            if a >= sat_add(u, len) {
                ahead.push(a);
                continue;
            }
            u = drain(&mut ahead, sat_add(a, occ_len), len, occ_len);
            // When the starts come so thick that many more would block
            // before `u + len`, jump to the last of them instead of
            // examining each: one backward search. The starts so far show
            // how thick they come. Near a change of offset both searches
            // also examine the wall-clock times the offsets span, so the
            // jump must skip more than those.
            let spacing = previous.map(|p| a.duration_since(p));
            previous = Some(a);
            let room = sat_add(u, len).duration_since(a);
            let many = spacing.is_some_and(|gap| {
                let far = |extra: SignedDuration| {
                    gap.checked_mul(JUMP_AT)
                        .and_then(|far| far.checked_add(extra))
                        .is_some_and(|far| room >= far)
                };
                gap.is_positive()
                    && far(SignedDuration::ZERO)
                    && far({
                        let (lo, hi) = offset_bounds(tz, sat_add(u, len));
                        let span = i64::from(hi.seconds()) - i64::from(lo.seconds());
                        SignedDuration::from_secs(span.saturating_mul(4))
                    })
            });
            if !many {
                continue;
            }
            let Some(last) = self.latest_in(sat_add(a, NANO), sat_add(u, len), budget)? else {
                continue;
            };
            u = drain(&mut ahead, u.max(last.end), len, occ_len);
            cursor = offset_bounds(tz, last.start).0.to_datetime(last.start);
            inclusive = true;
            previous = None;
        }
        budget.remember(key, memo);
        Ok(u)
    }
}

/// How many more blocking starts a walk must expect before it jumps.
const JUMP_AT: i32 = 16;

/// `u` moved on by the starts in `ahead` that block it now (each removed):
/// `[b, b + occ_len)` blocks `u` when `b < u + len`.
fn drain(
    ahead: &mut Vec<Timestamp>,
    mut u: Timestamp,
    len: SignedDuration,
    occ_len: SignedDuration,
) -> Timestamp {
    loop {
        let before = u;
        ahead.retain(|&b| {
            let blocks = b < sat_add(u, len);
            if blocks {
                u = u.max(sat_add(b, occ_len));
            }
            !blocks
        });
        if u == before {
            return u;
        }
    }
}

/// croner's calendar is the years 1 to 4999: a scan that starts before it
/// or runs past its end could miss an occurrence (and approve a change in
/// a freeze), so it is an error instead.
fn beyond(at: DateTime) -> WindowError {
    WindowError::BeyondCalendar {
        at: at.strftime("%Y-%m-%dT%H:%M").to_string(),
    }
}

/// What [`Window::searched`] leaves to do.
enum Search<'w> {
    /// The answer, found without a walk.
    Done(Option<Occurrence>),
    /// Walk this cron expression; each occurrence lasts the duration.
    Cron(&'w Cron, SignedDuration),
}
