//! Generated inputs for the `compile` and `windows` benches: policy sets of
//! any size written the way the example library (`policies/`) is written,
//! and a calendar of 20 cron windows in 5 time zones.

use std::fmt::Write as _;

use changegate::window::{Window, WindowError};
use jiff::SignedDuration;

/// The five time zones of the generated windows and calendar.
pub const ZONES: [&str; 5] = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
];

fn zone(i: usize) -> &'static str {
    ZONES.get(i % ZONES.len()).copied().unwrap_or("UTC")
}

/// One generated rule (and the window or named set it uses), of ten kinds in
/// turn: CAB quorum over the blast radius, verified backups of a named set,
/// a cron freeze, preconditions, owner sign-off of a named set, a
/// maintenance window (`deny outside`), a dated freeze with break-glass,
/// dependents/dependencies bounds, an emergency denial, and duration limits.
fn rule(s: &mut String, i: usize) {
    let z = zone(i / 10);
    let _ = match i % 10 {
        0 => write!(
            s,
            "rule r{i}_cab_quorum {{\n  when change.type == \"normal\"\n  when any(impacted, node.tier <= {t})\n  require approval \"cab-{g}\" count {c}\n  because \"changes reaching tier {t} need a quorum\"\n}}\n",
            t = i % 3,
            g = i % 7,
            c = 1 + i % 3
        ),
        1 => write!(
            s,
            "let s{i} = targets where node.kind == \"database\" and node.tier >= {t}\nrule r{i}_backup {{\n  when count(s{i}) > 0\n  unless change.type == \"standard\"\n  require verified backup of s{i} kind \"snapshot\" within {h}h\n  because \"state is backed up before it changes\"\n}}\n",
            t = i % 4,
            h = 1 + i % 48
        ),
        2 => write!(
            s,
            "window w{i} = cron \"0 {h} {d} * *\" for {l}h in \"{z}\"\nrule r{i}_cron_freeze {{\n  when any(impacted, \"sox\" in node.tags)\n  unless change.type == \"emergency\"\n  deny during w{i}\n  because \"monthly close\"\n  override by \"cfo\", \"cto\"\n}}\n",
            h = i % 24,
            d = 1 + i % 28,
            l = 1 + i % 12
        ),
        3 => write!(
            s,
            "rule r{i}_preconditions {{\n  when change.category == \"cat-{c}\"\n  require change.ticket != null and change.risk in [\"low\", \"medium\"] else \"category {c} needs a ticket and a low or medium risk\"\n  require change.test_plan != null else \"a test plan is required ({i})\"\n}}\n",
            c = i % 5
        ),
        4 => write!(
            s,
            "let s{i} = impacted where node.tier <= 1 or node.depth <= {d}\nrule r{i}_owner_sign_off {{\n  when change.type == \"normal\" and count(s{i}) > {k}\n  require approval owner of s{i}\n  because \"owners of critical systems sign off\"\n}}\n",
            d = i % 3,
            k = i % 20
        ),
        5 => write!(
            s,
            "window w{i} = cron \"0 {h} * * SAT\" for 6h in \"{z}\"\nrule r{i}_maintenance {{\n  when any(targets, \"customer-facing\" in node.tags and node.owner == \"team-{o}\")\n  unless change.type == \"emergency\"\n  deny outside w{i}\n}}\n",
            h = 20 + i % 4,
            o = i % 50
        ),
        6 => write!(
            s,
            "window w{i} = between 2026-12-{a}T00:00 and 2027-01-0{b}T00:00 in \"{z}\"\nrule r{i}_holiday {{\n  unless change.type == \"emergency\"\n  deny during w{i}\n  override by \"cto\", \"vp-{v}\"\n}}\n",
            a = 10 + i % 10,
            b = 1 + i % 5,
            v = i % 3
        ),
        7 => write!(
            s,
            "rule r{i}_architecture {{\n  when max(dependents(targets, depth {d}), node.tier) >= {t} or min(dependencies(targets), node.tier) == 0\n  require approval \"arch-{g}\"\n}}\n",
            d = 1 + i % 3,
            t = i % 5,
            g = i % 11
        ),
        8 => write!(
            s,
            "rule r{i}_emergency {{\n  when change.type == \"emergency\" and change.incident == null\n  deny \"an emergency change must reference its incident ({i})\"\n}}\n"
        ),
        _ => write!(
            s,
            "rule r{i}_long_change {{\n  when change.duration > {h}h and change.start >= 2026-01-01T00:00Z\n  unless \"pre-approved\" in change.tags\n  require approval \"long-{g}\" count {c}\n}}\n",
            h = 1 + i % 8,
            g = i % 4,
            c = 1 + i % 2
        ),
    };
}

/// A policy set of `rules` rules, in files of at most 100 rules each:
/// `(file name, source)`.
pub fn policy_set(rules: usize) -> Vec<(String, String)> {
    (0..rules)
        .step_by(100)
        .map(|first| {
            let mut s = String::new();
            let _ = writeln!(s, "# generated rules {first}..");
            for i in first..(first + 100).min(rules) {
                rule(&mut s, i);
                s.push('\n');
            }
            (format!("gen/{:05}.gate", first / 100), s)
        })
        .collect()
}

/// The calendar of the `windows` bench: 4 cron windows in each of the 5
/// zones. Business hours, the month-end close and the quarterly freeze
/// block (`deny during`); the weekly maintenance window of each zone is the
/// one group a change must fit in (`deny outside`).
pub fn calendar() -> Result<(Vec<Window>, Vec<Window>), WindowError> {
    let mut during = Vec::new();
    let mut outside = Vec::new();
    for z in ZONES {
        during.push(Window::cron(
            "0 8 * * MON-FRI",
            SignedDuration::from_hours(10),
            Some(z),
        )?);
        during.push(Window::cron(
            "0 0 26 * *",
            SignedDuration::from_hours(6 * 24),
            Some(z),
        )?);
        during.push(Window::cron(
            "0 0 15 3,6,9,12 *",
            SignedDuration::from_hours(72),
            Some(z),
        )?);
        outside.push(Window::cron(
            "0 1 * * SUN",
            SignedDuration::from_hours(4),
            Some(z),
        )?);
    }
    Ok((during, outside))
}

/// A maintenance group that never admits a change: Wednesday 10:00 local
/// for 4h lies inside each zone's own business hours, so the search runs
/// through the whole 366-day horizon and finds nothing.
pub fn impossible_group() -> Result<Vec<Window>, WindowError> {
    ZONES
        .iter()
        .map(|z| Window::cron("0 10 * * WED", SignedDuration::from_hours(4), Some(z)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use changegate::Policy;
    use changegate::window::{ScanBudget, next_allowed_start};

    #[test]
    fn generated_policy_sets_compile() {
        for n in [10, 100, 1_000] {
            let set = policy_set(n);
            let policy = match Policy::from_sources(set) {
                Ok(p) => p,
                Err(e) => panic!("{n} rules: {e:?}"),
            };
            assert_eq!(policy.rules().count(), n);
        }
    }

    #[test]
    fn the_calendar_has_20_windows_and_answers() {
        let (during, outside) = calendar().unwrap();
        assert_eq!(during.len() + outside.len(), 20);
        let d: Vec<&Window> = during.iter().collect();
        let o = vec![outside.iter().collect::<Vec<_>>()];
        let start = "2026-12-22T14:00:00Z".parse().unwrap();
        let t = next_allowed_start(
            start,
            SignedDuration::from_hours(3),
            &d,
            &o,
            &mut ScanBudget::new(1_000_000),
        )
        .unwrap()
        .unwrap();
        assert!(t > start, "{t}");
        let impossible = impossible_group().unwrap();
        let never = vec![impossible.iter().collect::<Vec<_>>()];
        let none = next_allowed_start(
            start,
            SignedDuration::from_hours(3),
            &d,
            &never,
            &mut ScanBudget::new(1_000_000),
        )
        .unwrap();
        assert_eq!(none, None);
    }
}
