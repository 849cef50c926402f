//! `next_allowed_start` against a calendar of 20 cron windows in 5 zones
//! (`changegate_benches::generate::calendar`): business hours, month-end
//! close and quarterly freezes block; the change (3 h) must fit inside one
//! zone's Sunday maintenance window. Two cases: the average over 12 starts,
//! one a month through 2027, and a search that finds no slot in the whole
//! 366-day horizon.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]

use changegate::Limits;
use changegate::window::{ScanBudget, Window, next_allowed_start};
use changegate_benches::generate::{calendar, impossible_group};
use criterion::{BenchmarkId, Criterion};
use jiff::{SignedDuration, Timestamp};

fn windows(c: &mut Criterion) {
    let (during, outside) = calendar().expect("the calendar compiles");
    let during: Vec<&Window> = during.iter().collect();
    let groups = vec![outside.iter().collect::<Vec<&Window>>()];
    let impossible = impossible_group().expect("the group compiles");
    let never = vec![impossible.iter().collect::<Vec<&Window>>()];
    let limits = Limits::default();
    let duration = SignedDuration::from_hours(3);
    let starts: Vec<Timestamp> = (1..=12)
        .map(|m| {
            format!("2027-{m:02}-03T09:30:00Z")
                .parse()
                .expect("a timestamp")
        })
        .collect();
    for &s in &starts {
        let t = next_allowed_start(
            s,
            duration,
            &during,
            &groups,
            &mut ScanBudget::from_limits(&limits),
        )
        .expect("within the scan budget")
        .expect("a slot exists");
        assert!(t >= s);
    }
    let mut group = c.benchmark_group("windows");
    group.bench_function(BenchmarkId::new("next_allowed_start", "12_starts"), |b| {
        let mut it = starts.iter().cycle();
        b.iter(|| {
            let &s = it.next().expect("a cycle never ends");
            next_allowed_start(
                s,
                duration,
                &during,
                &groups,
                &mut ScanBudget::from_limits(&limits),
            )
        });
    });
    let first = starts.first().copied().expect("12 starts");
    let none = next_allowed_start(
        first,
        duration,
        &during,
        &never,
        &mut ScanBudget::from_limits(&limits),
    )
    .expect("within the scan budget");
    assert_eq!(none, None);
    group.bench_function(BenchmarkId::new("next_allowed_start", "no_slot"), |b| {
        b.iter(|| {
            next_allowed_start(
                first,
                duration,
                &during,
                &never,
                &mut ScanBudget::from_limits(&limits),
            )
        });
    });
    group.finish();
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    windows(&mut c);
    c.final_summary();
}
