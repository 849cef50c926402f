//! Occurrence searches, bounded by a [`ScanBudget`].
//!
//! Because a wall-clock time in a gap lands later than the wall-clock times
//! just after the gap, occurrence starts are not monotonic in wall-clock
//! order. Every search therefore scans the wall clock over a range widened by
//! the offsets the zone used nearby, filters by instant, and keeps the best.

use croner::Cron;
use croner::errors::CronError;
use jiff::civil::DateTime;
use jiff::{SignedDuration, Timestamp};

use super::err::{CRON_YEARS, WindowError};
use super::tz::offset_bounds;
use super::{NANO, Occurrence, Spec, Window, sat_add};
use crate::limits::Limits;

/// How many more occurrences a search may examine. Each examined occurrence costs 1.
#[derive(Debug, Clone)]
pub struct ScanBudget {
    remaining: usize,
    limit: usize,
    /// Per cron window (by address), its last search: from `.0`, the first
    /// wall-clock match is `.1`. The `next_allowed_start` loop searches each
    /// window again a little further on every step; for a rare match (the
    /// fifth Monday of a February comes every 28 years) croner would walk
    /// the calendar to it every time (fuzz: 11 s for one evaluation).
    next_match: std::collections::HashMap<usize, (DateTime, DateTime)>,
}

impl ScanBudget {
    /// A budget of `limit` occurrences.
    pub fn new(limit: usize) -> ScanBudget {
        ScanBudget {
            remaining: limit,
            limit,
            next_match: std::collections::HashMap::new(),
        }
    }

    /// A budget of [`Limits::max_window_scan`] occurrences.
    pub fn from_limits(limits: &Limits) -> ScanBudget {
        ScanBudget::new(limits.max_window_scan)
    }

    /// How many occurrences may still be examined.
    pub fn remaining(&self) -> usize {
        self.remaining
    }

    fn spend(&mut self) -> Result<(), WindowError> {
        match self.remaining.checked_sub(1) {
            Some(left) => {
                self.remaining = left;
                Ok(())
            }
            None => Err(WindowError::ScanLimit { limit: self.limit }),
        }
    }

    /// `cron.find_next_occurrence(&cursor, inclusive)`, remembered for the
    /// window `key`: an answer found from an earlier point still holds for
    /// any point between that one and the answer.
    fn next_match(
        &mut self,
        key: usize,
        cron: &Cron,
        cursor: DateTime,
        inclusive: bool,
    ) -> Result<DateTime, CronError> {
        // croner steps one second off the cursor for an exclusive search.
        let from = if inclusive {
            Some(cursor)
        } else {
            cursor.checked_add(SignedDuration::from_secs(1)).ok()
        };
        if let (Some(q), Some(&(known, next))) = (from, self.next_match.get(&key)) {
            if known <= q && q <= next {
                return Ok(next);
            }
        }
        let found = cron.find_next_occurrence(&cursor, inclusive)?;
        if let Some(q) = from {
            self.next_match.insert(key, (q, found));
        }
        Ok(found)
    }
}

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

    /// The earliest-starting occurrence whose start lies in `[lo, hi)`.
    fn earliest_in(
        &self,
        lo: Timestamp,
        hi: Timestamp,
        budget: &mut ScanBudget,
    ) -> Result<Option<Occurrence>, WindowError> {
        if lo >= hi {
            return Ok(None);
        }
        let (cron, duration) = match &self.spec {
            Spec::Between(occ) => {
                budget.spend()?;
                return Ok((lo <= occ.start && occ.start < hi).then_some(*occ));
            }
            Spec::Cron { cron, duration } => (cron, *duration),
        };
        // A search costs 1 even when it finds nothing: otherwise a policy of
        // thousands of windows that never overlap, next to one that always
        // does, searched without limit (fuzz: over 5 minutes).
        budget.spend()?;
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
        // croner's calendar is the years 1 to 4999: a scan that starts before
        // it or runs past its end could miss an occurrence (and approve a
        // change in a freeze), so it is an error instead.
        let beyond = |at: DateTime| WindowError::BeyondCalendar {
            at: at.strftime("%Y-%m-%dT%H:%M").to_string(),
        };
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
}
