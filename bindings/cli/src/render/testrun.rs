//! `changegate test` for people: each file and case, each difference, the
//! coverage gaps, and the counts on the last line.

use std::fmt::Write as _;

use changegate::api::{Coverage, Status, TestReport};

use super::table::{Cell, Table};
use super::words::{CROSS, section};
use crate::style::{self, BOLD, DIM, paint};

/// The report: each file with its cases (✓, ✗ with the differences, or
/// skipped), the errors, the coverage when asked, then the counts.
pub(crate) fn test_report(report: &TestReport) -> String {
    let mut out = String::new();
    for file in &report.files {
        let _ = writeln!(out, "{}", paint(BOLD, &file.file));
        if let Some(e) = &file.error {
            let label = paint(style::error(), "error");
            let place = if e.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", e.path)
            };
            let _ = writeln!(out, "  {label}: {place}{}", e.message);
            for d in &e.diagnostics {
                let _ = writeln!(out, "    {d}");
            }
            if let Some(help) = &e.help {
                let _ = writeln!(out, "    {}: {help}", paint(style::help(), "help"));
            }
        }
        for case in &file.cases {
            match case.status {
                Status::Passed => {
                    let _ = writeln!(out, "  {} {}", paint(style::good(), "✓"), case.name);
                }
                Status::Skipped => {
                    let reason = case.skip.as_deref().unwrap_or_default();
                    let _ = writeln!(
                        out,
                        "  {} {}  {}",
                        paint(DIM, "-"),
                        case.name,
                        paint(DIM, &format!("skipped: {reason}"))
                    );
                }
                Status::Failed => {
                    let _ = writeln!(out, "  {} {}", paint(style::bad(), CROSS), case.name);
                    for m in &case.mismatches {
                        for line in m.diff().lines() {
                            let _ = writeln!(out, "      {line}");
                        }
                    }
                }
            }
        }
    }
    if let Some(coverage) = &report.coverage {
        out.push_str(&coverage_text(coverage));
        out.push('\n');
    } else if !report.files.is_empty() {
        out.push('\n');
    }
    let line = report.summary.line();
    let painted = if report.all_passed() {
        paint(style::good().bold(), &line)
    } else {
        paint(style::bad().bold(), &line)
    };
    let _ = writeln!(out, "{painted}");
    out
}

/// The coverage alone (for `--format junit`, on stderr).
pub(crate) fn coverage(coverage: &Coverage) -> String {
    let mut out = coverage_text(coverage);
    out.push('\n');
    out
}

fn coverage_text(c: &Coverage) -> String {
    let count = |covered: usize, total: usize, what: &str| format!("{what} {covered} of {total}");
    let rules = c.rules.iter().filter(|r| r.covered).count();
    let effects = c.effects.iter().filter(|e| e.covered).count();
    let windows = c.windows.iter().filter(|w| w.covered).count();
    let mut out = String::new();
    section(
        &mut out,
        "Coverage",
        &format!(
            "{}, {}, {} covered",
            count(rules, c.rules.len(), "rules"),
            count(effects, c.effects.len(), "effects"),
            count(windows, c.windows.len(), "windows")
        ),
    );
    let mut table = Table::new(2);
    table.header(&["not covered", "where", "yes", "no"]);
    let mut any = false;
    for r in c.rules.iter().filter(|r| !r.covered) {
        any = true;
        table.row(vec![
            Cell::plain(format!("rule {}", r.rule)),
            Cell::styled(format!("{}:{}", r.file, r.line), DIM),
            Cell::plain(format!("fired {}", r.fired)),
            Cell::plain(format!("not fired {}", r.not_fired)),
        ]);
    }
    for e in c.effects.iter().filter(|e| !e.covered) {
        any = true;
        let (yes, no) = if e.effect.starts_with("deny") {
            ("cleared", "blocked")
        } else {
            ("met", "unmet")
        };
        table.row(vec![
            Cell::plain(format!("{}: {}", e.rule, e.effect)),
            Cell::styled(format!("{}:{}", e.file, e.line), DIM),
            Cell::plain(format!("{yes} {}", e.met)),
            Cell::plain(format!("{no} {}", e.unmet)),
        ]);
    }
    for w in c.windows.iter().filter(|w| !w.covered) {
        any = true;
        table.row(vec![
            Cell::plain(format!("window {}", w.window)),
            Cell::styled(format!("{}:{}", w.file, w.line), DIM),
            Cell::plain(format!("blocked {}", w.blocked)),
            Cell::plain(format!("cleared {}", w.cleared)),
        ]);
    }
    if any {
        out.push_str(&table.render());
    } else {
        let _ = writeln!(
            out,
            "  every rule, effect and window was exercised both ways"
        );
    }
    out
}
