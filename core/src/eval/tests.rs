//! Tests of evaluation: the next allowed start.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use jiff::{SignedDuration, Timestamp};

use super::next_allowed_start;
use crate::window::tests::{Lcg, budget, cron, dt, h, ts};
use crate::window::{Occurrence, ScanBudget, Window, WindowError};

#[test]
fn budget_exhaustion_is_an_error() {
    let w = cron("* * * * *", SignedDuration::from_mins(1), "UTC");
    let during = [&w];
    let e = next_allowed_start(
        ts("2026-01-01T00:00Z"),
        h(1),
        &during,
        &[],
        &mut ScanBudget::new(1000),
    );
    assert_eq!(e, Err(WindowError::ScanLimit { limit: 1000 }));
    assert_eq!(
        e.unwrap_err().to_string(),
        "window search examined more than 1000 occurrences"
    );
}

/// Two windows that take turns blocking, a minute each: the search can only
/// move on a minute at a time, each window's walk stopping where the other
/// one's occurrence begins.
fn taking_turns() -> (Window, Window) {
    (
        cron("*/2 * * * *", SignedDuration::from_mins(1), "UTC"),
        cron("1-59/2 * * * *", SignedDuration::from_mins(1), "UTC"),
    )
}

/// Fuzz regression: every search costs budget, even one that finds
/// nothing. While windows that block move the search on a minute at a
/// time, 2,000 windows that never overlap were searched on every step for
/// free, and one evaluation ran for over 5 minutes.
#[test]
fn every_search_spends_budget() {
    let (even, odd) = taking_turns();
    let silent: Vec<Window> = (0..2000)
        .map(|i| {
            cron(
                &format!("{} {} 1 1 *", i % 60, i % 24),
                h(1),
                "Europe/Berlin",
            )
        })
        .collect();
    let mut during = vec![&even, &odd];
    during.extend(silent.iter());
    let started = std::time::Instant::now();
    let e = next_allowed_start(
        ts("2026-06-12T11:17:00Z"),
        SignedDuration::from_secs(30),
        &during,
        &[],
        &mut ScanBudget::new(20_000),
    );
    assert_eq!(e, Err(WindowError::ScanLimit { limit: 20_000 }));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

/// Fuzz regression: a rare match (the fifth Monday of a February, every
/// 28 years) is found once per evaluation, not again on every step of
/// the search (11 s for one evaluation), forward or backward. Measured
/// against the same search without it, so that a busy machine does not
/// fail the test.
#[test]
fn rare_matches_are_searched_once() {
    let (even, odd) = taking_turns();
    let rare = cron(
        "0 0 * 2 MON#5",
        SignedDuration::from_secs(1),
        "Australia/Lord_Howe",
    );
    let run = |during: &[&Window]| {
        let started = std::time::Instant::now();
        let e = next_allowed_start(
            ts("2026-06-12T11:17:00Z"),
            SignedDuration::from_secs(30),
            during,
            &[],
            &mut ScanBudget::new(50_000),
        );
        assert_eq!(e, Err(WindowError::ScanLimit { limit: 50_000 }));
        started.elapsed()
    };
    let without = run(&[&even, &odd]);
    let with = run(&[&even, &odd, &rare]);
    assert!(
        with < without * 3 + std::time::Duration::from_millis(300),
        "{with:?} with the rare window, {without:?} without"
    );
}

fn freeze() -> Window {
    Window::between(
        dt("2026-12-20T00:00"),
        None,
        dt("2027-01-04T00:00"),
        None,
        Some("America/New_York"),
    )
    .unwrap()
}

#[test]
fn next_allowed_start_after_a_freeze() {
    let f = freeze();
    let b = &mut budget();
    let t = next_allowed_start(ts("2026-12-22T10:00Z"), h(2), &[&f], &[], b).unwrap();
    assert_eq!(t, Some(ts("2027-01-04T05:00Z")));
    // A change that would end exactly at the freeze start is allowed where it is.
    let t = next_allowed_start(ts("2026-12-20T03:00Z"), h(2), &[&f], &[], b).unwrap();
    assert_eq!(t, Some(ts("2026-12-20T03:00Z")));
    // One that would end a second later is pushed past the freeze.
    let t = next_allowed_start(ts("2026-12-20T03:00:01Z"), h(2), &[&f], &[], b).unwrap();
    assert_eq!(t, Some(ts("2027-01-04T05:00Z")));
}

#[test]
fn next_allowed_start_into_maintenance() {
    let sat = cron("0 22 * * SAT", h(6), "Europe/Berlin");
    let wed = cron("0 2 * * WED", h(1), "Europe/Berlin");
    let b = &mut budget();
    // Wednesday noon, 2h: the next Saturday 22:00 CEST = 20:00Z.
    let t = next_allowed_start(ts("2026-06-10T12:00Z"), h(2), &[], &[vec![&sat]], b).unwrap();
    assert_eq!(t, Some(ts("2026-06-13T20:00Z")));
    // Already inside and fitting: stays.
    let t = next_allowed_start(ts("2026-06-13T23:00Z"), h(2), &[], &[vec![&sat]], b).unwrap();
    assert_eq!(t, Some(ts("2026-06-13T23:00Z")));
    // Inside but running past the end: the next occurrence.
    let t = next_allowed_start(ts("2026-06-14T01:00Z"), h(2), &[], &[vec![&sat]], b).unwrap();
    assert_eq!(t, Some(ts("2026-06-20T20:00Z")));
    // Wednesday's 1h occurrence is too short for 2h and is skipped...
    let t = next_allowed_start(ts("2026-06-09T12:00Z"), h(2), &[], &[vec![&wed, &sat]], b).unwrap();
    assert_eq!(t, Some(ts("2026-06-13T20:00Z")));
    // ...but used by a 30m change: Wed 02:00 CEST = 00:00Z.
    let t = next_allowed_start(
        ts("2026-06-09T12:00Z"),
        SignedDuration::from_mins(30),
        &[],
        &[vec![&wed, &sat]],
        b,
    );
    assert_eq!(t.unwrap(), Some(ts("2026-06-10T00:00Z")));
    // Two outside rules must both hold: Saturday's window and a daily 21:00-23:00Z window.
    let evening = cron("0 21 * * *", h(2), "UTC");
    let t = next_allowed_start(
        ts("2026-06-10T12:00Z"),
        h(1),
        &[],
        &[vec![&sat], vec![&evening]],
        b,
    )
    .unwrap();
    assert_eq!(t, Some(ts("2026-06-13T21:00Z")));
}

#[test]
fn next_allowed_start_combined() {
    let f = freeze();
    let sat = cron("0 22 * * SAT", h(6), "Europe/Berlin");
    let b = &mut budget();
    // The freeze ends Monday 2027-01-04 05:00Z; then Saturday 22:00 CET = 21:00Z.
    let t = next_allowed_start(ts("2026-12-22T10:00Z"), h(2), &[&f], &[vec![&sat]], b).unwrap();
    assert_eq!(t, Some(ts("2027-01-09T21:00Z")));
    // The maintenance window pushes into a freeze, which pushes past the next one.
    let short = Window::between(
        dt("2026-06-13T00:00"),
        None,
        dt("2026-06-15T00:00"),
        None,
        None,
    )
    .unwrap();
    let t = next_allowed_start(ts("2026-06-10T12:00Z"), h(2), &[&short], &[vec![&sat]], b).unwrap();
    assert_eq!(t, Some(ts("2026-06-20T20:00Z")));
}

#[test]
fn next_allowed_start_none_within_a_year() {
    let b = &mut budget();
    let long = Window::between(
        dt("2026-01-01T00:00"),
        None,
        dt("2028-01-01T00:00"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        next_allowed_start(ts("2026-06-01T00:00Z"), h(1), &[&long], &[], b).unwrap(),
        None
    );
    let past = Window::between(
        dt("2025-01-01T00:00"),
        None,
        dt("2025-02-01T00:00"),
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        next_allowed_start(ts("2026-06-01T00:00Z"), h(1), &[], &[vec![&past]], b).unwrap(),
        None
    );
    // Exactly 366 days ahead is still in range; a second later is not.
    let start = ts("2026-06-01T00:00Z");
    let at = |s: &str| Window::between(dt(s), None, dt("2030-01-01T00:00"), None, None).unwrap();
    let edge = at("2027-06-02T00:00");
    assert_eq!(
        next_allowed_start(start, h(1), &[], &[vec![&edge]], b).unwrap(),
        Some(ts("2027-06-02T00:00Z"))
    );
    let beyond = at("2027-06-02T00:00:01");
    assert_eq!(
        next_allowed_start(start, h(1), &[], &[vec![&beyond]], b).unwrap(),
        None
    );
    // No constraints: the start itself.
    assert_eq!(
        next_allowed_start(start, h(1), &[], &[], b).unwrap(),
        Some(start)
    );
}

#[test]
fn next_allowed_start_agrees_with_an_oracle() {
    // The answer is `start`, the end of a `during` occurrence or the start of an
    // `outside` one: try those in order against wide-scan occurrence lists.
    let f = Window::between(
        dt("2026-03-07T10:00"),
        None,
        dt("2026-03-08T04:00"),
        None,
        Some("America/New_York"),
    )
    .unwrap();
    let windows = [
        cron("30 2 * * *", h(2), "America/New_York"),
        cron("0 */6 * * *", SignedDuration::from_mins(90), "UTC"),
        cron("0 22 * * SAT", h(6), "Europe/Berlin"),
        cron("45 1 * * SUN", h(3), "America/New_York"),
        cron("0 1 * * *", h(2), "Europe/Berlin"),
    ];
    let mut rng = Lcg(11);
    let mut found = 0;
    for _ in 0..60 {
        let start =
            ts("2026-03-05T00:00Z") + SignedDuration::from_mins(rng.below(240 * 1440) as i64);
        let d = SignedDuration::from_mins(15 * (1 + rng.below(12)) as i64);
        let during_ix = rng.below(4) as usize;
        let outside_ix = 1 + rng.below(4) as usize;
        let during: Vec<&Window> = [&f, &windows[0], &windows[1]]
            .into_iter()
            .take(during_ix)
            .collect();
        let mut groups = vec![vec![&windows[outside_ix], &windows[3]]];
        if rng.below(2) == 0 {
            groups.push(vec![&windows[4]]);
        }
        let got = next_allowed_start(start, d, &during, &groups, &mut budget()).unwrap();

        let horizon = start + h(366 * 24);
        let occs = |w: &Window| w.wide_scan(start, horizon);
        let sorted = |mut v: Vec<Occurrence>| {
            v.sort();
            v
        };
        let during_occs = sorted(during.iter().flat_map(|w| occs(w)).collect());
        let group_occs: Vec<Vec<Occurrence>> = groups
            .iter()
            .map(|g| sorted(g.iter().flat_map(|w| occs(w)).collect()))
            .collect();
        // Every occurrence here is shorter than a day: only those starting in
        // (t - 1d, t + d) can overlap or contain [t, t + d).
        let near = |v: &[Occurrence], t: Timestamp| -> Vec<Occurrence> {
            let from = v.partition_point(|o| o.start <= t - h(24));
            let to = v.partition_point(|o| o.start < t + d);
            v[from..to].to_vec()
        };
        let mut candidates: Vec<Timestamp> = during_occs.iter().map(|o| o.end).collect();
        candidates.extend(group_occs.iter().flatten().map(|o| o.start));
        candidates.push(start);
        candidates.retain(|t| start <= *t && *t <= horizon);
        candidates.sort();
        let want = candidates.into_iter().find(|&t| {
            near(&during_occs, t).iter().all(|o| !o.overlaps(t, t + d))
                && group_occs
                    .iter()
                    .all(|g| near(g, t).iter().any(|o| o.contains(t, t + d)))
        });
        found += usize::from(want.is_some());
        assert_eq!(
            got, want,
            "start {start} d {d:#} during {during_ix} outside {outside_ix}"
        );
    }
    // Most cases have an answer; some (long changes, many constraints) do not.
    assert!((30..60).contains(&found), "{found}");
}

/// A limit reached only while looking for the next allowed start leaves
/// the decision whole and says so, in JSON that serde_json writes the same
/// way and reads back; a limit reached while deciding is an error.
#[test]
fn a_limit_in_the_search_is_named_in_the_decision() {
    let graph = crate::Graph::from_json(r#"{"nodes": [{"id": "app"}]}"#).unwrap();
    let policy = |text: &str, max_window_scan: usize| {
        let limits = crate::Limits {
            max_window_scan,
            ..crate::Limits::default()
        };
        let source = crate::Source {
            name: "p.gate".to_owned(),
            text: text.to_owned(),
        };
        crate::Policy::compile([source], &limits).unwrap()
    };
    let change = |start: &str, end: &str| {
        crate::Change::from_value(&serde_json::json!({
            "id": "CHG", "type": "normal", "targets": ["app"], "start": start, "end": end,
        }))
        .unwrap()
    };
    let daily = "window w = cron \"0 0 * * *\" for 1d\nrule r {\n  deny during w\n}\n";
    let june = change("2026-06-01T10:00:00Z", "2026-06-01T11:00:00Z");

    // The block's search costs 2; the next-start search needs more.
    let d = policy(daily, 2).evaluate(&june, &graph).unwrap();
    assert_eq!(d.outcome, crate::Outcome::Denied);
    assert_eq!(d.blocks.len(), 1);
    assert_eq!(d.next_allowed_start, None);
    let note = d.next_allowed_start_limit.clone().unwrap();
    assert_eq!(note.limit, "max_window_scan");
    assert_eq!(
        note.message,
        "window search examined more than 2 occurrences"
    );
    assert!(note.help.contains("max_window_scan"));
    let json = d.to_json();
    assert_eq!(json, serde_json::to_string_pretty(&d).unwrap() + "\n");
    assert!(json.contains("  \"next_allowed_start\": null,\n  \"next_allowed_start_limit\": {\n    \"limit\": \"max_window_scan\","));
    assert_eq!(serde_json::from_str::<crate::Decision>(&json).unwrap(), d);

    // Less than the block needs: no decision at all.
    let e = policy(daily, 1).evaluate(&june, &graph).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Limit);

    // Enough for the whole search: no note, and none in the JSON.
    let d = policy(daily, 1_000_000).evaluate(&june, &graph).unwrap();
    assert_eq!(d.next_allowed_start_limit, None);
    assert!(!d.to_json().contains("next_allowed_start_limit"));

    // The end of the cron calendar, reached by the search only.
    let late = change("4999-06-01T10:00:00Z", "4999-06-01T11:00:00Z");
    let d = policy(daily, 1_000_000).evaluate(&late, &graph).unwrap();
    let note = d.next_allowed_start_limit.unwrap();
    assert_eq!(note.limit, "cron_calendar");
    assert!(note.message.contains("4999") && note.help.contains("4999"));
}

/// Requirements merge the same whether a decision has a few entries (a
/// vector searched in place) or many (a hash index): what a map would hold,
/// sorted by key.
#[test]
fn entries_merge_like_a_sorted_map() {
    use std::collections::BTreeMap;
    for keys in [3u32, 16, 17, 200] {
        let mut rng = Lcg(u64::from(keys));
        let mut ours = super::entries::Entries::<u32, Vec<u32>>::default();
        let mut map = BTreeMap::<u32, Vec<u32>>::new();
        for step in 0..keys * 5 {
            let k = u32::try_from(rng.below(u64::from(keys))).unwrap();
            ours.entry(k, Vec::new).push(step);
            map.entry(k).or_default().push(step);
        }
        assert_eq!(
            ours.into_sorted(),
            map.into_iter().collect::<Vec<_>>(),
            "{keys} keys"
        );
    }
}
