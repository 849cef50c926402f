//! Tests of window definitions and occurrence searches.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use jiff::civil::{self, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::budget::next_match;
use super::cron::{cron_parser, some_day_matches};
use super::tz::resolve_tz;
use super::{NANO, Occurrence, ScanBudget, Spec, Window, WindowError};

pub(crate) fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}
pub(crate) fn dt(s: &str) -> DateTime {
    s.parse().unwrap()
}
pub(crate) fn h(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n)
}
pub(crate) fn budget() -> ScanBudget {
    ScanBudget::new(100_000)
}
fn occ(a: &str, b: &str) -> Occurrence {
    Occurrence {
        start: ts(a),
        end: ts(b),
    }
}
pub(crate) fn cron(expr: &str, dur: SignedDuration, tz: &str) -> Window {
    Window::cron(expr, dur, Some(tz)).unwrap()
}
/// All occurrence starts in [from, until], via `next_start`.
fn starts(w: &Window, from: &str, until: &str) -> Vec<String> {
    let (mut t, until) = (ts(from), ts(until));
    let mut out = Vec::new();
    while let Some(o) = w
        .next_start(t, SignedDuration::ZERO, until, &mut budget())
        .unwrap()
    {
        out.push(o.start.to_string());
        t = o.start + NANO;
    }
    out
}

#[test]
fn cron_searches_outside_the_calendar_are_errors_not_misses() {
    let daily = cron("0 0 * * *", h(24), "UTC");
    let found = daily
        .first_overlap(
            ts("4998-06-01T10:00Z"),
            ts("4998-06-01T11:00Z"),
            &mut budget(),
        )
        .unwrap();
    assert_eq!(found, Some(occ("4998-06-01T00:00Z", "4998-06-02T00:00Z")));
    // croner computes no occurrence from the year 5000 on, nor before the
    // year 1: a freeze there must not be silently missed.
    for (a, b) in [
        ("5000-06-01T10:00Z", "5000-06-01T11:00Z"),
        ("9998-06-01T10:00Z", "9998-06-01T11:00Z"),
        ("0001-01-01T03:00Z", "0001-01-01T04:00Z"),
    ] {
        let e = daily
            .first_overlap(ts(a), ts(b), &mut budget())
            .unwrap_err();
        assert!(matches!(e, WindowError::BeyondCalendar { .. }), "{a}: {e}");
        assert!(e.help().unwrap().contains("4999"));
    }
}

#[test]
fn between_utc_and_offsets() {
    let w = Window::between(
        dt("2026-12-20T00:00"),
        None,
        dt("2027-01-04T00:00"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(w.tz_name(), "UTC");
    assert_eq!(w.max_len(), h(15 * 24));
    let b = &mut budget();
    let hit = w
        .first_overlap(ts("2026-12-19T23:00Z"), ts("2026-12-20T01:00Z"), b)
        .unwrap();
    assert_eq!(hit, Some(occ("2026-12-20T00:00Z", "2027-01-04T00:00Z")));
    // With explicit offsets the zone does not matter.
    let off = Window::between(
        dt("2026-12-20T00:00"),
        Some(jiff::tz::offset(2)),
        dt("2026-12-21T00:00"),
        Some(Offset::UTC),
        Some("America/New_York"),
    )
    .unwrap();
    let o = off
        .first_overlap(ts("2026-12-01T00:00Z"), ts("2027-01-01T00:00Z"), b)
        .unwrap();
    assert_eq!(o, Some(occ("2026-12-19T22:00Z", "2026-12-21T00:00Z")));
}

#[test]
fn between_in_new_york_is_half_open() {
    let w = Window::between(
        dt("2026-12-20T00:00"),
        None,
        dt("2027-01-04T00:00"),
        None,
        Some("america/new_york"),
    )
    .unwrap();
    assert_eq!(w.tz_name(), "America/New_York");
    let full = occ("2026-12-20T05:00Z", "2027-01-04T05:00Z");
    let b = &mut budget();
    // Ends exactly at the start: no overlap. Starts exactly at the end: none either.
    assert_eq!(
        w.first_overlap(ts("2026-12-20T03:00Z"), full.start, b)
            .unwrap(),
        None
    );
    assert_eq!(
        w.first_overlap(full.end, ts("2027-01-04T07:00Z"), b)
            .unwrap(),
        None
    );
    // One nanosecond either way overlaps.
    assert_eq!(
        w.first_overlap(ts("2026-12-20T03:00Z"), full.start + NANO, b)
            .unwrap(),
        Some(full)
    );
    assert_eq!(
        w.first_overlap(full.end - NANO, ts("2027-01-05T00:00Z"), b)
            .unwrap(),
        Some(full)
    );
    // Containment is inclusive of both ends.
    assert_eq!(w.containing(full.start, full.end, b).unwrap(), Some(full));
    assert_eq!(w.containing(full.start - NANO, full.end, b).unwrap(), None);
    assert_eq!(
        w.containing(ts("2026-12-25T00:00Z"), ts("2026-12-26T00:00Z"), b)
            .unwrap(),
        Some(full)
    );
    // Only one occurrence, and next_start respects the length filter.
    assert_eq!(
        w.next_start(ts("2026-01-01T00:00Z"), h(1), ts("2027-12-31T00:00Z"), b)
            .unwrap(),
        Some(full)
    );
    assert_eq!(
        w.next_start(full.start + NANO, h(1), ts("2027-12-31T00:00Z"), b)
            .unwrap(),
        None
    );
    assert_eq!(
        w.next_start(
            ts("2026-01-01T00:00Z"),
            h(24 * 16),
            ts("2027-12-31T00:00Z"),
            b
        )
        .unwrap(),
        None
    );
}

#[test]
fn weekly_maintenance_in_berlin_winter_and_summer() {
    let w = cron("0 22 * * SAT", h(6), "Europe/Berlin");
    let b = &mut budget();
    // Winter, CET (+01): Sat 2026-01-10 22:00 local = 21:00Z.
    let winter = occ("2026-01-10T21:00Z", "2026-01-11T03:00Z");
    assert_eq!(
        w.first_overlap(ts("2026-01-07T00:00Z"), ts("2026-01-10T21:30Z"), b)
            .unwrap(),
        Some(winter)
    );
    assert_eq!(
        w.first_overlap(ts("2026-01-07T00:00Z"), ts("2026-01-10T21:00Z"), b)
            .unwrap(),
        None
    );
    assert_eq!(
        w.first_overlap(ts("2026-01-11T02:00Z"), ts("2026-01-12T00:00Z"), b)
            .unwrap(),
        Some(winter)
    );
    assert_eq!(
        w.containing(ts("2026-01-10T23:00Z"), ts("2026-01-11T03:00Z"), b)
            .unwrap(),
        Some(winter)
    );
    assert_eq!(
        w.containing(ts("2026-01-10T23:00Z"), ts("2026-01-11T03:00:01Z"), b)
            .unwrap(),
        None
    );
    // Summer, CEST (+02): Sat 2026-07-11 22:00 local = 20:00Z.
    let summer = occ("2026-07-11T20:00Z", "2026-07-12T02:00Z");
    assert_eq!(
        w.first_overlap(ts("2026-07-11T19:00Z"), ts("2026-07-11T20:30Z"), b)
            .unwrap(),
        Some(summer)
    );
    assert_eq!(
        w.containing(ts("2026-07-11T20:00Z"), ts("2026-07-12T02:00Z"), b)
            .unwrap(),
        Some(summer)
    );
    assert_eq!(
        w.containing(ts("2026-07-11T19:59Z"), ts("2026-07-11T21:00Z"), b)
            .unwrap(),
        None
    );
    // A change spanning several weeks meets the first one.
    assert_eq!(
        w.first_overlap(ts("2026-07-06T00:00Z"), ts("2026-08-30T00:00Z"), b)
            .unwrap(),
        Some(summer)
    );
}

#[test]
fn dst_gap_moves_forward_new_york_and_berlin() {
    // NY 2026-03-08: 02:00 EST -> 03:00 EDT. 02:30 does not exist: 03:30 EDT = 07:30Z.
    let ny = cron("30 2 * * *", h(1), "America/New_York");
    assert_eq!(
        starts(&ny, "2026-03-07T00:00Z", "2026-03-09T23:00Z"),
        [
            "2026-03-07T07:30:00Z",
            "2026-03-08T07:30:00Z",
            "2026-03-09T06:30:00Z"
        ]
    );
    // Berlin 2026-03-29: 02:00 CET -> 03:00 CEST. 02:30 -> 03:30 CEST = 01:30Z.
    let berlin = cron("30 2 * * *", h(1), "Europe/Berlin");
    assert_eq!(
        starts(&berlin, "2026-03-28T00:00Z", "2026-03-30T23:00Z"),
        [
            "2026-03-28T01:30:00Z",
            "2026-03-29T01:30:00Z",
            "2026-03-30T00:30:00Z"
        ]
    );
    // An every-30-minutes pattern: gap times 02:00 and 02:30 land on 03:00 and 03:30,
    // the same instants as the real 03:00 and 03:30 matches.
    let half = cron("*/30 1-3 * * *", h(1), "America/New_York");
    assert_eq!(
        starts(&half, "2026-03-08T00:00Z", "2026-03-08T12:00Z"),
        [
            "2026-03-08T06:00:00Z",
            "2026-03-08T06:30:00Z",
            "2026-03-08T07:00:00Z",
            "2026-03-08T07:30:00Z"
        ]
    );
    // An occurrence in the gap is found by an overlap search that starts after the
    // (earlier) wall-clock time of the next real match.
    let b = &mut budget();
    assert_eq!(
        berlin
            .first_overlap(ts("2026-03-29T01:45Z"), ts("2026-03-29T01:50Z"), b)
            .unwrap(),
        Some(occ("2026-03-29T01:30Z", "2026-03-29T02:30Z"))
    );
}

#[test]
fn dst_fold_takes_the_earlier_instant_once() {
    // NY 2026-11-01: 02:00 EDT -> 01:00 EST; 01:30 happens twice, the run is at EDT.
    let ny = cron("30 1 * * *", h(1), "America/New_York");
    assert_eq!(
        starts(&ny, "2026-10-31T00:00Z", "2026-11-02T23:00Z"),
        [
            "2026-10-31T05:30:00Z",
            "2026-11-01T05:30:00Z",
            "2026-11-02T06:30:00Z"
        ]
    );
    // Nothing starts at the second 01:30 (06:30Z).
    let b = &mut budget();
    assert_eq!(
        ny.next_start(ts("2026-11-01T05:30:01Z"), h(0), ts("2026-11-02T00:00Z"), b)
            .unwrap(),
        None
    );
    // Berlin 2026-10-25: 03:00 CEST -> 02:00 CET; 02:30 means CEST = 00:30Z.
    let berlin = cron("30 2 * * *", h(1), "Europe/Berlin");
    assert_eq!(
        starts(&berlin, "2026-10-24T00:00Z", "2026-10-26T23:00Z"),
        [
            "2026-10-24T00:30:00Z",
            "2026-10-25T00:30:00Z",
            "2026-10-26T01:30:00Z"
        ]
    );
    // Durations are elapsed time: 6h from 00:00 EDT ends at 10:00Z = 05:00 EST.
    let midnight = cron("0 0 * * *", h(6), "America/New_York");
    let o = midnight
        .first_overlap(ts("2026-11-01T09:00Z"), ts("2026-11-01T09:30Z"), b)
        .unwrap();
    assert_eq!(o, Some(occ("2026-11-01T04:00Z", "2026-11-01T10:00Z")));
    let end = o.unwrap().end.to_zoned(ny.time_zone().clone());
    assert_eq!(end.datetime(), dt("2026-11-01T05:00"));
}

#[test]
fn vixie_or_of_day_of_month_and_day_of_week() {
    let w = cron("0 0 13 * FRI", h(1), "UTC");
    // January 2026: Fridays 2, 9, 16, 23, 30 and Tuesday the 13th.
    let days: Vec<String> = starts(&w, "2026-01-01T00:00Z", "2026-01-31T00:00Z")
        .iter()
        .map(|s| s[8..10].to_owned())
        .collect();
    assert_eq!(days, ["02", "09", "13", "16", "23", "30"]);
}

#[test]
fn nicknames_names_and_sunday_seven() {
    assert_eq!(
        starts(
            &cron("@daily", h(1), "UTC"),
            "2026-01-01T00:00Z",
            "2026-01-02T00:00Z"
        )
        .len(),
        2
    );
    let sun = starts(
        &cron("0 0 * * 7", h(1), "UTC"),
        "2026-01-01T00:00Z",
        "2026-01-12T00:00Z",
    );
    assert_eq!(sun, ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]);
    let q = starts(
        &cron("0 0 25 mar,jun *", h(1), "UTC"),
        "2026-01-01T00:00Z",
        "2026-12-31T00:00Z",
    );
    assert_eq!(q, ["2026-03-25T00:00:00Z", "2026-06-25T00:00:00Z"]);
}

#[test]
fn errors_carry_messages_and_help() {
    let e = Window::cron("0 22 * * SAT", h(6), Some("Europe/Berlni")).unwrap_err();
    assert_eq!(e.to_string(), "unknown time zone `Europe/Berlni`");
    assert!(
        e.help().unwrap().contains("`Europe/Berlin`"),
        "{:?}",
        e.help()
    );
    let e = resolve_tz("Berlin").unwrap_err();
    assert!(
        e.help().unwrap().contains("`Europe/Berlin`"),
        "{:?}",
        e.help()
    );
    assert!(
        resolve_tz("Mars/Olympus_Mons")
            .unwrap_err()
            .help()
            .unwrap()
            .contains("IANA")
    );
    assert!(resolve_tz("").is_err());

    let e = Window::cron("0 0 32 * *", h(1), None).unwrap_err();
    assert!(
        matches!(e, WindowError::InvalidCron { field: Some(2), .. }),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .starts_with("invalid day-of-month field `32` in cron expression `0 0 32 * *`"),
        "{e}"
    );
    assert!(e.help().unwrap().contains("1-31"));
    let e = Window::cron("0 0 1 * MOX", h(1), None).unwrap_err();
    assert!(
        matches!(e, WindowError::InvalidCron { field: Some(4), .. }),
        "{e:?}"
    );
    let e = Window::cron("0 0 1 MON *", h(1), None).unwrap_err();
    assert!(
        matches!(e, WindowError::InvalidCron { field: Some(3), .. }),
        "{e:?}"
    );
    let e = Window::cron("0 0 * * +FRI", h(1), None).unwrap_err();
    assert!(
        matches!(e, WindowError::InvalidCron { field: Some(4), .. }),
        "{e:?}"
    );
    let e = Window::cron("@reboot", h(1), None).unwrap_err();
    assert!(
        e.to_string().contains("unknown nickname") && e.help().unwrap().contains("@daily"),
        "{e}"
    );

    let e = Window::cron("0 0 22 * * SAT", h(1), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cron expression `0 0 22 * * SAT` has 6 fields, expected 5"
    );
    assert!(matches!(
        Window::cron("0 0 1 1 * 2026", h(1), None),
        Err(WindowError::CronFieldCount { found: 6, .. })
    ));
    assert!(matches!(
        Window::cron("", h(1), None),
        Err(WindowError::CronFieldCount { found: 0, .. })
    ));

    let e = Window::cron("0 0 30 2 *", h(1), None).unwrap_err();
    assert_eq!(e.to_string(), "cron expression `0 0 30 2 *` never matches");
    // February 29th does match, once every four (or eight) years.
    assert!(Window::cron("0 0 29 2 *", h(1), None).is_ok());
}

/// The quick day check agrees with croner's own search, and a pattern
/// that never matches is refused at once: a fuzzed policy of four such
/// windows took over a second (each made croner walk to the year 5000).
#[test]
fn never_matching_day_check_agrees_with_croner() {
    let parser = cron_parser();
    let origin = civil::date(2000, 1, 1).at(0, 0, 0, 0);
    let mut never = 0;
    for dom in [
        "*", "1", "29", "30", "31", "L", "LW", "15W", "31W", "1-7", "30,31",
    ] {
        for month in ["*", "2", "4,6,9,11", "1", "FEB", "2,4"] {
            for dow in ["*", "MON", "5L", "MON#5", "0#1", "SAT,SUN"] {
                let expr = format!("0 0 {dom} {month} {dow}");
                let Ok(cron) = parser.parse(&expr) else {
                    continue;
                };
                let croner = matches!(
                    cron.find_next_occurrence(&origin, true),
                    Ok(found) if found.year() < 2400
                );
                assert_eq!(some_day_matches(&cron.pattern), croner, "{expr}");
                never += usize::from(!croner);
            }
        }
    }
    assert!(never > 10, "only {never} patterns never match");
    let start = std::time::Instant::now();
    for _ in 0..50 {
        assert!(Window::cron("0 0 31 4,6,9,11 *", h(1), None).is_err());
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(1));

    let e = Window::cron("0 0 * * *", SignedDuration::ZERO, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "window duration must be positive, found `0s`"
    );
    let e = Window::cron("0 0 * * *", -h(90), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "window duration must be positive, found `-90h`"
    );

    let a = dt("2026-12-20T00:00");
    assert!(matches!(
        Window::between(a, None, a, None, None),
        Err(WindowError::EmptyBetween { .. })
    ));
    let e = Window::between(a, None, dt("2026-12-19T00:00"), None, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "window end `2026-12-19T00:00:00Z` is not after its start `2026-12-20T00:00:00Z`"
    );
    // Same wall clock, but the end's offset makes it earlier.
    assert!(Window::between(a, None, a, Some(jiff::tz::offset(1)), None).is_err());
}

#[test]
fn budget_exhaustion_is_an_error() {
    let w = cron("* * * * *", SignedDuration::from_mins(1), "UTC");
    let mut b = ScanBudget::new(10);
    let e = w.first_overlap(
        ts("2026-01-01T00:00:30Z"),
        ts("2026-01-01T00:00:40Z"),
        &mut b,
    );
    assert!(e.is_ok());
    let e = w.next_start(
        ts("2026-01-01T00:00:30Z"),
        h(1),
        ts("2027-01-01T00:00Z"),
        &mut b,
    );
    assert_eq!(e, Ok(None)); // too short: no scan at all
    let mut b = ScanBudget::new(3);
    let e = w.containing(
        ts("2026-01-01T00:00:30Z"),
        ts("2026-01-01T00:00:40Z"),
        &mut b,
    );
    assert!(e.is_ok());
}

/// A remembered cron match (see `ScanBudget`) is croner's own answer.
#[test]
fn remembered_matches_are_croners() {
    let rare = cron(
        "0 0 * 2 MON#5",
        SignedDuration::from_secs(1),
        "Australia/Lord_Howe",
    );
    let mut b = budget();
    for from in [
        "2026-06-12T11:17:00Z",
        "2040-01-01T00:00:00Z",
        "2044-02-29T12:00:00Z",
    ] {
        let found = rare.next_start(
            ts(from),
            SignedDuration::ZERO,
            ts("2100-01-01T00:00Z"),
            &mut b,
        );
        let fresh = rare.next_start(
            ts(from),
            SignedDuration::ZERO,
            ts("2100-01-01T00:00Z"),
            &mut budget(),
        );
        assert_eq!(found, fresh, "{from}");
    }
}

/// Small deterministic generator for the cross-checks (here and in eval's).
pub(crate) struct Lcg(pub(crate) u64);
impl Lcg {
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// All occurrences with a start in [lo - margin, hi + margin], by a plain
/// wide scan (the margin covers the zone's offset, and more).
fn naive(w: &Window, lo: Timestamp, hi: Timestamp, margin: SignedDuration) -> Vec<Occurrence> {
    let Spec::Cron { cron, duration } = &w.spec else {
        unreachable!()
    };
    let mut c = (lo - margin).to_zoned(TimeZone::UTC).datetime();
    let end = (hi + margin).to_zoned(TimeZone::UTC).datetime();
    let mut out = Vec::new();
    while let Ok(next) = cron.find_next_occurrence(&c, false) {
        if next > end {
            break;
        }
        let a = w.tz.to_timestamp(next).unwrap();
        out.push(Occurrence {
            start: a,
            end: a + *duration,
        });
        c = next;
    }
    out
}

impl Window {
    /// Test oracle: every occurrence starting in [lo - 10d, hi + 10d], by a
    /// plain wide scan of croner's matches (a `between` window's one
    /// occurrence whatever the range).
    pub(crate) fn wide_scan(&self, lo: Timestamp, hi: Timestamp) -> Vec<Occurrence> {
        match &self.spec {
            Spec::Between(o) => vec![*o],
            Spec::Cron { .. } => naive(self, lo, hi, h(240)),
        }
    }
}

#[test]
fn searches_agree_with_a_wide_scan_around_transitions() {
    let zones = [
        ("America/New_York", "2026-03-08T07:00Z"),
        ("America/New_York", "2026-11-01T06:00Z"),
        ("Europe/Berlin", "2026-03-29T01:00Z"),
        ("Europe/Berlin", "2026-10-25T01:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T15:00Z"),
        ("Australia/Lord_Howe", "2026-10-03T15:30Z"),
        ("Pacific/Apia", "2011-12-30T10:00Z"),
        ("America/Santiago", "2026-04-05T03:00Z"),
    ];
    let patterns = [
        ("*/30 * * * *", 45),
        ("30 2 * * *", 60),
        ("0 1-3 * * *", 90),
        ("15 0 * * *", 25 * 60),
        ("0 0 30 12 *", 120),
        ("10 23 * * *", 20),
        ("45 1,2 * * *", 10),
    ];
    let mut rng = Lcg(7);
    for (zone, around) in zones {
        for (expr, mins) in patterns {
            let w = cron(expr, SignedDuration::from_mins(mins), zone);
            let center = ts(around);
            let all = naive(&w, center - h(72), center + h(72), h(240));
            for _ in 0..60 {
                let s = center + SignedDuration::from_mins(rng.below(6 * 1440) as i64 - 3 * 1440);
                let e = s + SignedDuration::from_mins(rng.below(300) as i64);
                let b = &mut budget();
                let want = all.iter().filter(|o| o.overlaps(s, e)).min().copied();
                assert_eq!(
                    w.first_overlap(s, e, b).unwrap(),
                    want,
                    "{zone} {expr} overlap {s} {e}"
                );
                let want = all.iter().filter(|o| o.contains(s, e)).min().copied();
                assert_eq!(
                    w.containing(s, e, b).unwrap(),
                    want,
                    "{zone} {expr} containing {s} {e}"
                );
                let want = all
                    .iter()
                    .filter(|o| o.start >= s && o.start <= e)
                    .min()
                    .copied();
                assert_eq!(
                    w.next_start(s, h(0), e, b).unwrap(),
                    want,
                    "{zone} {expr} next {s} {e}"
                );
            }
        }
    }
}

/// The first `u >= t` that `[u, u + len)` overlaps none of `occs` (sorted
/// by start, all at most `longest` long), or the first move past `until`.
fn clear_by_hand(
    occs: &[Occurrence],
    longest: SignedDuration,
    t: Timestamp,
    len: SignedDuration,
    until: Timestamp,
) -> Timestamp {
    let mut u = t;
    while u <= until {
        let from = occs.partition_point(|o| o.start <= u - longest);
        let to = occs.partition_point(|o| o.start < u + len);
        match occs[from..to]
            .iter()
            .filter(|o| o.overlaps(u, u + len))
            .map(|o| o.end)
            .max()
        {
            Some(end) => u = end,
            None => return u,
        }
    }
    u
}

#[test]
fn clear_from_agrees_with_a_wide_scan_around_transitions() {
    let zones = [
        ("UTC", "2026-06-01T00:00Z"),
        ("America/New_York", "2026-03-08T07:00Z"),
        ("Europe/Berlin", "2026-10-25T01:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T15:00Z"),
        ("Australia/Lord_Howe", "2026-10-03T15:30Z"),
        ("Pacific/Apia", "2011-12-30T10:00Z"),
    ];
    // Dense and sparse patterns; lengths that leave gaps and that do not.
    let patterns = [
        ("* * * * *", 40),
        ("* * * * *", 15 * 60),
        ("0-29 * * * *", 120),
        ("*/7 1-3 * * *", 20 * 60),
        ("0,1 * * * *", 59 * 60),
        ("*/30 1-3 * * *", 45 * 60),
        ("30 2 * * *", 3600),
        ("15 0 * * *", 25 * 3600),
    ];
    let lens = [1, 30, 60, 20 * 60, 3600, 5 * 3600];
    let mut rng = Lcg(5);
    for (zone, around) in zones {
        for (expr, secs) in patterns {
            let w = cron(expr, SignedDuration::from_secs(secs), zone);
            let center = ts(around);
            let mut occs = naive(&w, center - h(62), center + h(54), h(15));
            occs.sort();
            for _ in 0..12 {
                let t =
                    center + SignedDuration::from_mins(rng.below(3 * 1440) as i64 - 1440 * 3 / 2);
                let len = SignedDuration::from_secs(lens[rng.below(lens.len() as u64) as usize]);
                let until = t + h(12);
                let want = clear_by_hand(&occs, w.max_len(), t, len, until);
                let b = &mut ScanBudget::new(1_000_000);
                let got = w.clear_from(t, len, until, b).unwrap();
                if want <= until {
                    assert_eq!(got, want, "{zone} {expr} for {secs}s: {t} len {len:#}");
                } else {
                    assert!(
                        got > until,
                        "{zone} {expr} for {secs}s: {t} len {len:#}: {got}"
                    );
                }
                // Each occurrence at most once, give or take the wall-clock
                // times the zone's offsets span (Samoa skipped a whole day).
                let slack = if zone == "Pacific/Apia" { 24 * 60 } else { 60 };
                let seen = occs
                    .iter()
                    .filter(|o| o.end > t && o.start < got.min(until) + len + h(26))
                    .count();
                let spent = 1_000_000 - b.remaining();
                assert!(
                    spent <= seen + 3 * slack + 10,
                    "{zone} {expr} for {secs}s: {t} len {len:#}: {spent} for {seen}"
                );
            }
        }
    }
}

/// Any one window, however dense, is walked across the whole 366 days
/// within the default limit of 1,000,000: each occurrence once at most.
#[test]
fn one_window_is_decided_within_the_default_limit() {
    let year = h(366 * 24);
    for (expr, occ, len, zone, start) in [
        // Every start blocked, no jumps possible: 527,040 occurrences.
        ("* * * * *", 40, 30, "UTC", "2026-06-01T00:00Z"),
        ("* * * * *", 15 * 60, 30 * 60, "UTC", "2026-06-01T00:00Z"),
        // Not 1m: the repeated wall-clock times of a fold start no
        // occurrence (the earlier instant is meant), which leaves a gap.
        (
            "* * * * *",
            7200,
            3600,
            "Europe/Berlin",
            "2026-03-01T00:00Z",
        ),
        ("* * * * *", 400 * 86400, 3600, "UTC", "2026-06-01T00:00Z"),
        ("* * * * *", 7200, 60, "Pacific/Apia", "2011-06-01T00:00Z"),
        ("0 * * * *", 3600, 60, "UTC", "2026-01-01T00:00Z"),
        (
            "0 * * * *",
            7200,
            60,
            "Australia/Lord_Howe",
            "2026-01-01T00:00Z",
        ),
        // A day of 25 hours when the clocks fall back.
        (
            "0 0 * * *",
            25 * 3600,
            60,
            "America/New_York",
            "2026-01-01T00:00Z",
        ),
    ] {
        let w = cron(expr, SignedDuration::from_secs(occ), zone);
        let (start, len) = (ts(start), SignedDuration::from_secs(len));
        let b = &mut ScanBudget::new(1_000_000);
        let got = w.clear_from(start, len, start + year, b).unwrap();
        assert!(got > start + year, "{expr} for {occ}s in {zone}: {got}");
        assert!(
            b.remaining() > 400_000,
            "{expr} for {occ}s in {zone}: {}",
            b.remaining()
        );
    }
}

/// The remembered searches, and the next-minute shortcut, give croner's
/// own answers, fractions of a second and the end of the calendar included.
#[test]
fn remembered_searches_agree_with_croner() {
    let parser = cron_parser();
    let mut rng = Lcg(3);
    let base: DateTime = "2026-01-01T00:00".parse().unwrap();
    for expr in [
        "* * * * *",
        "*/7 * * * *",
        "0-29 9-17 * * MON-FRI",
        "0 0 L * *",
        "* * 15W * *",
        "* 0 * * 5L",
        "* * * 2 MON#5",
        "59 23 31 12 *",
    ] {
        let cron = parser.parse(expr).unwrap();
        let key = 1;
        let mut b = budget();
        let mut memo = None;
        let mut before = base;
        for _ in 0..300 {
            let c = base
                + SignedDuration::from_secs(rng.below(400 * 86400) as i64)
                + SignedDuration::from_millis(rng.below(3) as i64 * 400);
            for inclusive in [true, false] {
                assert_eq!(
                    next_match(&mut memo, &cron, c, inclusive).ok(),
                    cron.find_next_occurrence(&c, inclusive).ok(),
                    "{expr} from {c} {inclusive}"
                );
            }
            // Backward, on and on as a walk goes.
            before += SignedDuration::from_secs(rng.below(40 * 86400) as i64);
            let fresh = cron
                .find_previous_occurrence(&(before - SignedDuration::from_nanos(1)), true)
                .ok();
            assert_eq!(
                b.prev_match(key, &cron, before).ok(),
                fresh,
                "{expr} before {before}"
            );
        }
        let end: DateTime = "4999-12-31T23:59:30".parse().unwrap();
        assert_eq!(
            next_match(&mut None, &cron, end, false).ok(),
            cron.find_next_occurrence(&end, false).ok(),
            "{expr}"
        );
    }
}
