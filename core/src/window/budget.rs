//! The budget of window searches, and what they remember between searches.

use std::collections::HashMap;

use croner::Cron;
use croner::errors::CronError;
use jiff::SignedDuration;
use jiff::civil::DateTime;

use super::err::{CRON_YEARS, WindowError};
use crate::limits::Limits;

/// How many more occurrences a search may examine. Each examined occurrence costs 1.
#[derive(Debug, Clone)]
pub struct ScanBudget {
    remaining: usize,
    limit: usize,
    /// Per cron window (by address), its last forward search: from `.0`,
    /// the first wall-clock match is `.1`. The `next_allowed_start` loop
    /// searches each window again a little further on every step; for a
    /// rare match (the fifth Monday of a February comes every 28 years)
    /// croner would walk the calendar to it every time (fuzz: 11 s for one
    /// evaluation).
    next_match: HashMap<usize, (DateTime, DateTime)>,
    /// Likewise for backward searches: before `.0`, the last match is `.1`.
    prev_match: HashMap<usize, (DateTime, DateTime)>,
}

impl ScanBudget {
    /// A budget of `limit` occurrences.
    pub fn new(limit: usize) -> ScanBudget {
        ScanBudget {
            remaining: limit,
            limit,
            next_match: HashMap::new(),
            prev_match: HashMap::new(),
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

    pub(super) fn spend(&mut self) -> Result<(), WindowError> {
        match self.remaining.checked_sub(1) {
            Some(left) => {
                self.remaining = left;
                Ok(())
            }
            None => Err(WindowError::ScanLimit { limit: self.limit }),
        }
    }

    /// `cron.find_next_occurrence(&cursor, inclusive)`, remembered for the
    /// window `key` (see [`next_match`]).
    pub(super) fn next_match(
        &mut self,
        key: usize,
        cron: &Cron,
        cursor: DateTime,
        inclusive: bool,
    ) -> Result<DateTime, CronError> {
        let mut memo = self.remembered(key);
        let found = next_match(&mut memo, cron, cursor, inclusive);
        self.remember(key, memo);
        found
    }

    /// The forward search remembered for the window `key`.
    pub(super) fn remembered(&self, key: usize) -> Remembered {
        self.next_match.get(&key).copied()
    }

    /// Remembers a forward search for the window `key`.
    pub(super) fn remember(&mut self, key: usize, memo: Remembered) {
        if let Some(m) = memo {
            self.next_match.insert(key, m);
        }
    }

    /// The last wall-clock match strictly before `before`, remembered for
    /// the window `key` like [`ScanBudget::next_match`]: an answer found
    /// before a later point still holds for any point between the answer
    /// and that one, and further on too when no match lies in between
    /// (which the remembered forward search usually knows at once).
    pub(super) fn prev_match(
        &mut self,
        key: usize,
        cron: &Cron,
        before: DateTime,
    ) -> Result<DateTime, CronError> {
        if let Some(&(known, last)) = self.prev_match.get(&key) {
            if last < before && before <= known {
                return Ok(last);
            }
            if known < before
                && matches!(self.next_match(key, cron, known, true), Ok(next) if next >= before)
            {
                self.prev_match.insert(key, (before, last));
                return Ok(last);
            }
        }
        // croner drops the fraction of a second: searching from a
        // nanosecond earlier, inclusively, finds matches strictly before.
        let from = before
            .checked_sub(SignedDuration::from_nanos(1))
            .map_err(|_| CronError::InvalidTime)?;
        let found = cron.find_previous_occurrence(&from, true)?;
        self.prev_match.insert(key, (before, found));
        Ok(found)
    }
}

/// A remembered forward search: from `.0`, the first wall-clock match is `.1`.
pub(super) type Remembered = Option<(DateTime, DateTime)>;

/// `cron.find_next_occurrence(&cursor, inclusive)`, answered from `memo`
/// when it can be and remembered there: an answer found from an earlier
/// point still holds for any point between that one and the answer.
pub(super) fn next_match(
    memo: &mut Remembered,
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
    if let (Some(q), Some((known, next))) = (from, *memo) {
        if known <= q && q <= next {
            return Ok(next);
        }
    }
    // Matches fall on whole minutes: when the first whole minute croner
    // would try matches, as it does all along a frequent pattern, it is
    // croner's answer (croner drops the fraction of a second).
    if let Some(q) = from {
        let minute = q.with().subsec_nanosecond(0).build().and_then(|q| {
            q.round(
                jiff::civil::DateTimeRound::new()
                    .smallest(jiff::Unit::Minute)
                    .mode(jiff::RoundMode::Ceil),
            )
        });
        if let Ok(m) = minute {
            if m.year() <= CRON_YEARS.1 && cron.is_time_matching(&m).unwrap_or(false) {
                return Ok(m);
            }
        }
    }
    let found = cron.find_next_occurrence(&cursor, inclusive)?;
    if let Some(q) = from {
        *memo = Some((q, found));
    }
    Ok(found)
}
