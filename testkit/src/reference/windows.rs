//! Windows of the reference evaluator (docs/language.md, *Windows* and
//! *Next allowed start*), by brute force: a
//! small cron matcher of its own, every day of a range checked against it,
//! every matching wall-clock minute placed on the time line by the DST rule
//! (`compatible`: a gap time moves forward by the gap, a fold time is the
//! earlier instant), and plain scans over the occurrences found.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use changegate::internals::{DateTimeLit, WindowDef, WindowSpec};

/// One occurrence `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Occ {
    /// The first instant.
    pub start: Timestamp,
    /// The instant just past the end.
    pub end: Timestamp,
}

impl Occ {
    fn overlaps(&self, s: Timestamp, e: Timestamp) -> bool {
        s < self.end && self.start < e
    }

    fn contains(&self, s: Timestamp, e: Timestamp) -> bool {
        self.start <= s && e <= self.end
    }
}

/// A window, by its occurrences.
#[derive(Debug, Clone)]
pub enum RWindow {
    /// `between A and B`: one occurrence.
    Between(Occ),
    /// `cron "EXPR" for DUR in "TZ"`.
    Cron {
        /// The pattern.
        cron: Cron,
        /// How long each occurrence lasts.
        len: SignedDuration,
        /// The zone the pattern's wall-clock times are in.
        tz: TimeZone,
    },
}

const DAY: SignedDuration = SignedDuration::from_hours(24);

impl RWindow {
    /// The window `def` defines.
    pub fn new(def: &WindowDef) -> Result<RWindow, String> {
        let tz = match &def.tz {
            Some(name) => jiff::tz::db().get(&name.value).map_err(|e| e.to_string())?,
            None => TimeZone::UTC,
        };
        match &def.spec {
            WindowSpec::Between { start, end } => {
                let place = |lit: &DateTimeLit| match lit.offset {
                    Some(off) => off.to_timestamp(lit.civil).map_err(|e| e.to_string()),
                    None => tz
                        .to_ambiguous_timestamp(lit.civil)
                        .compatible()
                        .map_err(|e| e.to_string()),
                };
                Ok(RWindow::Between(Occ {
                    start: place(start)?,
                    end: place(end)?,
                }))
            }
            WindowSpec::Cron { expr, duration } => Ok(RWindow::Cron {
                cron: Cron::parse(&expr.value)?,
                len: duration.value,
                tz,
            }),
        }
    }

    /// The longest occurrence.
    fn max_len(&self) -> SignedDuration {
        match self {
            RWindow::Between(o) => o.end.duration_since(o.start),
            RWindow::Cron { len, .. } => *len,
        }
    }

    /// Every occurrence starting in `[lo, hi)`, sorted.
    pub fn starting_in(&self, lo: Timestamp, hi: Timestamp) -> Vec<Occ> {
        let mut out = Vec::new();
        match self {
            RWindow::Between(o) => {
                if lo <= o.start && o.start < hi {
                    out.push(*o);
                }
            }
            RWindow::Cron { cron, len, tz } => {
                // Three days of slack either side cover every UTC offset and gap.
                let mut day = (lo - 3 * DAY).to_zoned(tz.clone()).date();
                let last = (hi + 3 * DAY).to_zoned(tz.clone()).date();
                while day <= last {
                    if cron.day(day) {
                        for (h, m) in cron.times() {
                            let civil = day.at(h as i8, m as i8, 0, 0);
                            let t = tz.to_ambiguous_timestamp(civil).compatible().unwrap();
                            if lo <= t && t < hi {
                                out.push(Occ {
                                    start: t,
                                    end: t + *len,
                                });
                            }
                        }
                    }
                    day = day.tomorrow().unwrap();
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The earliest-starting occurrence that overlaps `[s, e)`.
    pub(super) fn first_overlap(&self, s: Timestamp, e: Timestamp) -> Option<Occ> {
        self.starting_in(s - self.max_len(), e)
            .into_iter()
            .find(|o| o.overlaps(s, e))
    }

    /// Whether some occurrence wholly contains `[s, e)`.
    pub(super) fn fits(&self, s: Timestamp, e: Timestamp) -> bool {
        self.starting_in(s - self.max_len(), e)
            .iter()
            .any(|o| o.contains(s, e))
    }
}

/// *Next allowed start* by candidates: the answer is the change's start, the end of a
/// `during` occurrence or the start of an `outside` one (just before it, the
/// change overlapped that occurrence or did not fit). Each candidate up to
/// 366 days ahead is checked against every occurrence near it.
pub(super) fn next_allowed_start(
    start: Timestamp,
    d: SignedDuration,
    during: &[RWindow],
    outside: &[Vec<RWindow>],
) -> Option<Timestamp> {
    let horizon = start + 366 * DAY;
    let occs = |ws: &[RWindow], until: Timestamp| {
        let mut v: Vec<Occ> = ws
            .iter()
            .flat_map(|w| w.starting_in(start - w.max_len(), until))
            .collect();
        v.sort();
        v
    };
    let avoid = occs(during, horizon + d);
    let fit: Vec<Vec<Occ>> = outside
        .iter()
        .map(|g| occs(g, horizon + SignedDuration::from_nanos(1)))
        .collect();
    let mut candidates: Vec<Timestamp> = vec![start];
    candidates.extend(avoid.iter().map(|o| o.end));
    candidates.extend(fit.iter().flatten().map(|o| o.start));
    candidates.retain(|t| start <= *t && *t <= horizon);
    candidates.sort();
    candidates.dedup();
    // Only occurrences starting in (t - longest, t + d) can touch [t, t + d).
    let longest = avoid
        .iter()
        .chain(fit.iter().flatten())
        .map(|o| o.end.duration_since(o.start))
        .max()
        .unwrap_or_default();
    let near = |v: &[Occ], t: Timestamp| -> Vec<Occ> {
        let from = v.partition_point(|o| o.start + longest <= t);
        let to = v.partition_point(|o| o.start < t + d);
        v[from..to.max(from)].to_vec()
    };
    candidates.into_iter().find(|&t| {
        near(&avoid, t).iter().all(|o| !o.overlaps(t, t + d))
            && fit
                .iter()
                .all(|g| near(g, t).iter().any(|o| o.contains(t, t + d)))
    })
}

/// A five-field cron pattern: minute hour day-of-month month day-of-week.
#[derive(Debug, Clone)]
pub struct Cron {
    minute: Vec<bool>,
    hour: Vec<bool>,
    dom: Vec<bool>,
    month: Vec<bool>,
    dow: Vec<bool>,
    /// Whether day-of-month / day-of-week is `*` (not restricted).
    dom_any: bool,
    dow_any: bool,
    /// Day-of-month modifiers: `L`, `LW`, `NW`.
    dom_extra: Vec<DomExtra>,
    /// Day-of-week modifiers: `DL` (last D of the month), `D#N` (N-th D).
    dow_extra: Vec<(u8, Option<u8>)>,
}

/// A day-of-month modifier (decision 13).
#[derive(Debug, Clone, Copy)]
enum DomExtra {
    /// `L`: the last day of the month.
    Last,
    /// `LW`: the last weekday (Monday to Friday) of the month.
    LastWeekday,
    /// `NW`: the weekday nearest day N, in the same month.
    Nearest(i8),
}

const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

impl Cron {
    pub(super) fn parse(text: &str) -> Result<Cron, String> {
        let text = match text.trim() {
            "@yearly" | "@annually" => "0 0 1 1 *",
            "@monthly" => "0 0 1 * *",
            "@weekly" => "0 0 * * 0",
            "@daily" | "@midnight" => "0 0 * * *",
            "@hourly" => "0 * * * *",
            t => t,
        };
        let f: Vec<&str> = text.split_whitespace().collect();
        let [mi, h, dom, mo, dow] = f.as_slice() else {
            return Err(format!("`{text}` has {} fields", f.len()));
        };
        // Modifiers first; the plain parts that remain are lists and ranges.
        let mut dom_extra = Vec::new();
        let mut dom_plain = Vec::new();
        for part in dom.split(',') {
            let up = part.to_ascii_uppercase();
            match up.as_str() {
                "L" => dom_extra.push(DomExtra::Last),
                "LW" => dom_extra.push(DomExtra::LastWeekday),
                _ => match up.strip_suffix('W') {
                    Some(n) => dom_extra.push(DomExtra::Nearest(
                        n.parse().map_err(|_| format!("bad `{part}`"))?,
                    )),
                    None => dom_plain.push(part),
                },
            }
        }
        let mut dow_extra = Vec::new();
        let mut dow_plain = Vec::new();
        let day_number = |d: &str| -> Result<u8, String> {
            let bits = field(d, 0, 7, &DAYS, 0)?;
            let n = bits.iter().position(|b| *b).ok_or("no day")?;
            Ok((n % 7) as u8)
        };
        for part in dow.split(',') {
            if let Some((d, n)) = part.split_once('#') {
                let n: u8 = n.parse().map_err(|_| format!("bad `{part}`"))?;
                dow_extra.push((day_number(d)?, Some(n)));
            } else if let Some(d) = part.strip_suffix(['L', 'l']).filter(|d| !d.is_empty()) {
                dow_extra.push((day_number(d)?, None));
            } else {
                dow_plain.push(part);
            }
        }
        let plain = |parts: &[&str], lo, hi, names: &[&str], base| {
            if parts.is_empty() {
                Ok(vec![false; hi + 1])
            } else {
                field(&parts.join(","), lo, hi, names, base)
            }
        };
        let mut dow_bits = plain(&dow_plain, 0, 7, &DAYS, 0)?;
        if dow_bits[7] {
            dow_bits[0] = true; // 7 is Sunday too
        }
        dow_bits.truncate(7);
        Ok(Cron {
            minute: field(mi, 0, 59, &[], 0)?,
            hour: field(h, 0, 23, &[], 0)?,
            dom: plain(&dom_plain, 1, 31, &[], 0)?,
            month: field(mo, 1, 12, &MONTHS, 1)?,
            dow: dow_bits,
            dom_any: matches!(*dom, "*" | "?"),
            dow_any: matches!(*dow, "*" | "?"),
            dom_extra,
            dow_extra,
        })
    }

    /// Whether the pattern matches some time of `d` (Vixie: when both day
    /// fields are restricted, either may match).
    fn day(&self, d: Date) -> bool {
        let len = d.days_in_month();
        let weekday = |day: i8| d.with().day(day).build().unwrap().weekday();
        let is_weekday = |day: i8| weekday(day).to_monday_one_offset() <= 5;
        let by_dom = self.dom[d.day() as usize]
            || self.dom_extra.iter().any(|x| match *x {
                DomExtra::Last => d.day() == len,
                DomExtra::LastWeekday => {
                    let last = (1..=len).rev().find(|&k| is_weekday(k));
                    last == Some(d.day())
                }
                DomExtra::Nearest(n) if n > len => false,
                DomExtra::Nearest(n) => {
                    // The nearest weekday, never leaving the month.
                    let target = match weekday(n).to_monday_one_offset() {
                        6 if n > 1 => n - 1,
                        6 => n + 2,
                        7 if n < len => n + 1,
                        7 => n - 2,
                        _ => n,
                    };
                    target == d.day()
                }
            });
        let dow_now = d.weekday().to_sunday_zero_offset() as u8;
        let by_dow = self.dow[dow_now as usize]
            || self.dow_extra.iter().any(|&(wd, nth)| {
                wd == dow_now
                    && match nth {
                        Some(n) => (d.day() - 1) / 7 + 1 == n as i8,
                        None => d.day() + 7 > len,
                    }
            });
        let day = match (self.dom_any, self.dow_any) {
            (true, true) => true,
            (true, false) => by_dow,
            (false, true) => by_dom,
            (false, false) => by_dom || by_dow,
        };
        day && self.month[d.month() as usize]
    }

    /// The matching (hour, minute) pairs of a matching day.
    fn times(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for h in (0..24).filter(|h| self.hour[*h]) {
            for m in (0..60).filter(|m| self.minute[*m]) {
                out.push((h, m));
            }
        }
        out
    }
}

/// Parses one field into a bit per value `0..=hi`.
fn field(
    text: &str,
    lo: usize,
    hi: usize,
    names: &[&str],
    base: usize,
) -> Result<Vec<bool>, String> {
    let value = |s: &str| -> Result<usize, String> {
        if let Some(i) = names.iter().position(|n| n.eq_ignore_ascii_case(s)) {
            return Ok(i + base);
        }
        let v: usize = s.parse().map_err(|_| format!("bad value `{s}`"))?;
        if v < lo || v > hi {
            return Err(format!("`{v}` out of range"));
        }
        Ok(v)
    };
    let mut bits = vec![false; hi + 1];
    for part in text.split(',') {
        let (range, step) = match part.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<usize>().map_err(|_| format!("bad step `{s}`"))?,
            ),
            None => (part, 1),
        };
        let (a, b) = match range {
            "*" | "?" => (lo, hi),
            r => match r.split_once('-') {
                Some((a, b)) => (value(a)?, value(b)?),
                None => (value(r)?, value(r)?),
            },
        };
        if step == 0 || a > b {
            return Err(format!("bad part `{part}`"));
        }
        for v in (a..=b).step_by(step) {
            bits[v] = true;
        }
    }
    Ok(bits)
}
