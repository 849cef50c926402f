//! Windows: `cron` patterns (hand-picked ones with fitting durations, and
//! ones built field by field) and `between` ranges around DST transitions,
//! in several zones.

use std::fmt::Write as _;

use arbitrary::Result;
use jiff::SignedDuration;
use jiff::civil::DateTime;

use super::draw::Gen;

/// Cron patterns worth having, each with a duration: DST nights, month
/// ends, `L`, `W`, `#`, names, steps, nicknames, the Vixie OR of day of
/// month and day of week, dates that exist once in four years. At most a
/// few dozen occurrences a day, so brute force stays cheap.
const PATTERNS: [(&str, &str); 37] = [
    ("0 0 29 2 *", "1d"),
    ("0 8 1-15/7 * *", "2h"),
    ("*/20 22-23 * * *", "30m"),
    ("0 6 L * *", "2h"),
    ("0 6 LW * *", "1h"),
    ("0 6 15W * *", "3h"),
    ("0 6 1W * *", "1h"),
    ("0 6 31W * *", "1h"),
    ("0 18 * * 5L", "4h"),
    ("0 9 * * MON#2", "2h"),
    ("0 9 * * 5#5", "1h"),
    ("0 6 L * MON", "2h"),
    ("0 0 * * 0", "12h"),
    ("0 22 * * SAT", "6h"),
    ("30 2 * * *", "1h"),
    ("0 0 25 3,6,9,12 *", "7d"),
    ("0 9-17 * * MON-FRI", "1h"),
    ("*/30 1-3 * * *", "45m"),
    ("0 0 13 * FRI", "2h"),
    ("45 1 * * SUN", "3h"),
    ("0 1 * * *", "2h"),
    ("15 0 * * 7", "25h"),
    ("0 0 1 * *", "2d"),
    ("0 */6 * * *", "90m"),
    ("0 2 * * *", "30m"),
    ("30 1 * * *", "1h"),
    ("0 0 * * 1-5", "8h"),
    ("0 12 1-7 * MON", "4h"),
    ("0 3 */2 * *", "1h"),
    ("0 22 */2 * SAT", "6h"),
    ("@daily", "2h"),
    ("@weekly", "1d"),
    ("0 4 * JAN,JUL *", "1d"),
    ("0 20 * * 5-7", "10h"),
    ("0 0 1 * MON", "3h"),
    ("0 0 1 1 *", "2d"),
    ("59 23 31 12 *", "2m"),
];

/// Patterns with an occurrence every minute or so (heavy scenarios only).
const DENSE: [&str; 2] = ["* * * * *", "*/2 9-17 * * *"];

/// Cron expressions that are errors (mistakes only).
const BAD_CRONS: [&str; 4] = ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "61 * * * *", "* * *"];

const ZONES: [&str; 8] = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Lord_Howe",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "America/Sao_Paulo",
    "Europe/London",
];

/// Wall-clock times near DST transitions of the zones above, and plain ones.
const CIVIL: [&str; 12] = [
    "2026-03-08T01:30",
    "2026-03-08T02:30",
    "2026-11-01T01:30",
    "2026-03-29T02:30",
    "2026-10-25T02:30",
    "2026-04-05T01:45",
    "2026-12-19T00:00",
    "2026-12-20T00:00",
    "2026-06-13T00:00",
    "2027-01-04T00:00",
    "2026-02-28T23:59",
    "2028-02-29T12:00",
];

/// Durations written as people write them.
const DURATIONS: [&str; 10] = [
    "1h", "6h", "24h", "2d", "90m", "1w", "2h30m", "36h", "48h", "1d",
];

impl Gen<'_, '_> {
    fn zone(&mut self) -> Result<String> {
        if self.wrong(10)? {
            let z = self.pick(&["Mars/Olympus", "europe/berlin"])?;
            return Ok(format!(" in \"{z}\""));
        }
        if self.chance(1, 5)? {
            return Ok(String::new());
        }
        Ok(format!(" in \"{}\"", self.pick(&ZONES)?))
    }

    /// A duration: as people write them, or any number of any unit.
    pub(crate) fn duration(&mut self) -> Result<String> {
        if self.wrong(20)? {
            return Ok(match self.u.arbitrary()? {
                true => "0m".to_owned(),
                false => format!("{}h", self.u.arbitrary::<u64>()?),
            });
        }
        if self.u.arbitrary()? {
            return Ok(self.pick(&DURATIONS)?.to_owned());
        }
        let unit = self.pick(&["w", "d", "h", "m", "s"])?;
        Ok(match self.u.int_in_range(0..=20u8)? {
            0 => "1d12h".to_owned(),
            1 => "2h30m".to_owned(),
            _ => format!("{}{unit}", self.u.int_in_range(1..=48u32)?),
        })
    }

    pub(crate) fn window(&mut self) -> Result<String> {
        if self.chance(3, 5)? {
            let (expr, dur) = if self.wrong(4)? {
                (self.pick(&BAD_CRONS)?.to_owned(), self.duration()?)
            } else if self.config.heavy && self.chance(1, 10)? {
                (self.pick(&DENSE)?.to_owned(), self.duration()?)
            } else {
                let (p, d) = self.pick(&PATTERNS)?;
                let expr = match self.chance(1, 3)? {
                    true => self.cron()?.unwrap_or_else(|| p.to_owned()),
                    false => p.to_owned(),
                };
                let dur = match self.config.heavy && self.chance(1, 3)? {
                    true => self.duration()?,
                    false => d.to_owned(),
                };
                (expr, dur)
            };
            let z = self.zone()?;
            return Ok(format!("cron \"{expr}\" for {dur}{z}"));
        }
        let a: DateTime = self.pick(&CIVIL)?.parse().unwrap_or_default();
        let shift = 15 * self.u.int_in_range(-192..=192i64)?;
        let a = a.checked_add(SignedDuration::from_mins(shift)).unwrap_or(a);
        // At least two hours unless heavy: a shorter range can fall wholly
        // in a DST gap, and both ends then place at one instant (an error).
        let mut lens = vec![120i64, 180, 360, 1_440, 4_320, 21_600];
        if self.config.heavy {
            lens.extend([30, 60, 600_000]);
        }
        let len = match self.wrong(10)? {
            true => -60,
            false => self.pick(&lens)?,
        };
        let b = a.checked_add(SignedDuration::from_mins(len)).unwrap_or(a);
        let off = self.pick(&["", "", "Z", "+02:00", "-05:00", "+05:45"])?;
        let z = self.zone()?;
        Ok(format!(
            "between {}{off} and {}{off}{z}",
            a.strftime("%Y-%m-%dT%H:%M"),
            b.strftime("%Y-%m-%dT%H:%M")
        ))
    }

    /// A five-field cron expression built field by field: sometimes with a
    /// value out of range or a name in the wrong field when sloppy; `None`
    /// when it came out invalid (one that never matches, say) and mistakes
    /// are not wanted. Outside heavy scenarios the minute field is one
    /// value or a short list, so a day has at most a few dozen occurrences.
    fn cron(&mut self) -> Result<Option<String>> {
        let sloppy = self.sloppy;
        let mut out = String::new();
        for (i, (lo, hi)) in [(0u32, 59u32), (0, 23), (1, 31), (1, 12), (0, 7)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push(' ');
            }
            let v = |g: &mut Self| -> Result<u32> {
                if sloppy && g.chance(1, 10)? {
                    g.u.int_in_range(0..=hi + 2)
                } else {
                    g.u.int_in_range(lo..=hi)
                }
            };
            let form = match i == 0 && !self.config.heavy {
                true => self.pick(&[3, 4, 6])?,
                false => self.u.int_in_range(0..=9u8)?,
            };
            match form {
                0..=2 => out.push('*'),
                3 | 4 => {
                    let x = v(self)?;
                    let _ = write!(out, "{x}");
                }
                5 => {
                    let (a, b) = (v(self)?, v(self)?);
                    let _ = write!(out, "{}-{}", a.min(b), a.max(b));
                }
                6 => {
                    let (a, b, c) = (v(self)?, v(self)?, v(self)?);
                    let _ = write!(out, "{a},{b},{c}");
                }
                7 => {
                    let s = self.u.int_in_range(1..=hi.max(1))?;
                    let _ = write!(out, "*/{s}");
                }
                8 => {
                    let (a, b) = (v(self)?, v(self)?);
                    let s = self.u.int_in_range(1..=7u32)?;
                    let _ = write!(out, "{}-{}/{s}", a.min(b), a.max(b));
                }
                _ => out.push_str(match i {
                    2 => self.pick(&["L", "LW", "15W", "1W", "31W", "L"])?,
                    3 if sloppy && self.u.arbitrary()? => "MON",
                    3 => self.pick(&["JAN", "FEB-MAR", "DEC", "NOV-FEB"])?,
                    4 if sloppy && self.u.arbitrary()? => "JAN",
                    4 => self.pick(&["MON", "SAT,SUN", "5L", "MON#2", "5#5", "MON-FRI"])?,
                    _ => "*",
                }),
            }
        }
        let valid =
            changegate::window::Window::cron(&out, SignedDuration::from_hours(1), None).is_ok();
        Ok((valid || sloppy).then_some(out))
    }
}
