#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;

fn lint_texts(files: &[(&str, &str)]) -> Vec<Finding> {
    let sources = files
        .iter()
        .map(|(n, t)| Source {
            name: (*n).to_owned(),
            text: (*t).to_owned(),
        })
        .collect();
    lint(sources, &Limits::default(), &LintOptions::default()).unwrap()
}

fn names(fs: &[Finding]) -> Vec<(&str, u32)> {
    fs.iter().map(|f| (f.name.as_str(), f.line)).collect()
}

const USED: &str = "\
window freeze = cron \"0 0 * * *\" for 1h
let dbs = impacted where node.kind == \"db\"
rule r {
  when any(dbs, node.tier == 0)
  deny during freeze
}
";

#[test]
fn used_names_give_no_finding() {
    assert!(lint_texts(&[("a.gate", USED)]).is_empty());
}

#[test]
fn unused_let_and_window_are_found() {
    let text = "\
window freeze = cron \"0 0 * * *\" for 1h
let dbs = impacted where node.kind == \"db\"
rule r { deny \"no\" }
";
    let fs = lint_texts(&[("a.gate", text)]);
    assert_eq!(names(&fs), [("unused-window", 1), ("unused-let", 2)]);
    assert_eq!(fs[0].column, 8);
    assert_eq!(fs[0].end_column, 14);
    assert!(fs[1].message.contains("`dbs`"));
    assert_eq!(fs[1].severity, Severity::Warning);
}

#[test]
fn a_let_used_by_another_let_in_another_file_is_used() {
    let a = "let dbs = impacted where node.kind == \"db\"\n";
    let b = "let big = dbs where node.tier == 0\nrule r { when any(big, node.tier == 0) deny \"no\" }\n";
    assert!(lint_texts(&[("a.gate", a), ("b.gate", b)]).is_empty());
}

#[test]
fn a_set_used_only_in_a_backup_or_owner_is_used() {
    let text = "\
let dbs = impacted where node.kind == \"db\"
let owners = targets
rule r {
  require backup of dbs within 24h
  require approval owner of owners
}
";
    assert!(lint_texts(&[("a.gate", text)]).is_empty());
}

#[test]
fn empty_and_blank_else_messages_are_found() {
    let text = "\
rule r {
  require change.type != \"emergency\" else \"\"
  require change.type != \"normal\" else \"   \"
  require change.type != \"standard\" else \"say why\"
}
";
    let fs = lint_texts(&[("a.gate", text)]);
    assert_eq!(
        names(&fs),
        [("empty-else-message", 2), ("empty-else-message", 3)]
    );
}

#[test]
fn an_override_by_a_required_approver_is_found() {
    let text = "\
rule r {
  require approval \"cab\"
  require approval \"dba\"
  override by \"dba\", \"incident\"
}
rule s {
  require approval \"cab\"
  override by \"incident\"
}
";
    let fs = lint_texts(&[("a.gate", text)]);
    assert_eq!(names(&fs), [("override-by-approver", 4)]);
    assert!(fs[0].message.contains("`dba`"));
}

#[test]
fn an_allow_comment_on_the_line_or_above_suppresses() {
    let text = "\
rule first { deny \"no\" }
# changegate: allow(unused-let)
let a = targets
let b = targets # changegate: allow(unused-let)
let c = targets
";
    let fs = lint_texts(&[("a.gate", text)]);
    assert_eq!(names(&fs), [("unused-let", 5)]);
}

#[test]
fn an_allow_comment_of_another_lint_does_not_suppress() {
    let text = "\
rule first { deny \"no\" }
let a = targets # changegate: allow(unused-window)
";
    assert_eq!(
        names(&lint_texts(&[("a.gate", text)])),
        [("unused-let", 2), ("unused-allow", 2)]
    );
}

#[test]
fn an_allow_that_allows_nothing_is_a_finding_unless_its_lint_did_not_run() {
    let text = "\
# changegate: allow(window-ended)
window w = between 2026-01-01T00:00 and 2026-01-02T00:00
rule r {
  deny during w
}
let a = targets # changegate: allow(unused-let)
let b = targets # changegate: allow(unused-let, empty-else-message)
";
    // Without an instant the window lints do not run: their allow may be needed.
    assert_eq!(
        names(&lint_texts(&[("a.gate", text)])),
        [("unused-allow", 7)]
    );
    let at = Some("2026-06-01T00:00:00Z".parse().unwrap());
    let options = LintOptions {
        at,
        ..LintOptions::default()
    };
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: text.to_owned(),
    }];
    let found = super::lint(sources.clone(), &Limits::default(), &options).unwrap();
    assert_eq!(names(&found), [("unused-allow", 7)]);
    // An allow of `unused-allow` itself allows it.
    let off = format!("# changegate: allow(unused-allow)\n{text}");
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: off,
    }];
    assert!(
        super::lint(sources, &Limits::default(), &options)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_allow_comment_before_any_item_covers_the_file_only() {
    let a = "\
# a shared library of sets
# changegate: allow(unused-let, unused-window)

let a = targets
window w = cron \"0 0 * * *\" for 1h
";
    let b = "let c = targets\n";
    let fs = lint_texts(&[("a.gate", a), ("b.gate", b)]);
    assert_eq!(names(&fs), [("unused-let", 1)]);
    assert_eq!(fs[0].file, "b.gate");
}

#[test]
fn unknown_lint_names_are_findings() {
    let text = "\
rule r { deny \"no\" }
let a = targets # changegate: allow(unused-let,  unused-lets)
";
    let fs = lint_texts(&[("a.gate", text)]);
    assert_eq!(names(&fs), [("unknown-lint", 2)]);
    assert_eq!(fs[0].column, 50);
    assert!(fs[0].message.contains("`unused-lets`"));
}

#[test]
fn a_hash_inside_a_string_is_not_a_comment() {
    let text = "rule r { deny \"# changegate: allow(nothing)\" }\n";
    assert!(lint_texts(&[("a.gate", text)]).is_empty());
}

#[test]
fn findings_are_sorted_by_file_line_column_and_name() {
    let a = "let z = targets\nlet y = targets\n";
    let b = "let x = targets\n";
    let fs = lint_texts(&[("b.gate", b), ("a.gate", a)]);
    let got: Vec<(&str, u32)> = fs.iter().map(|f| (f.file.as_str(), f.line)).collect();
    assert_eq!(got, [("a.gate", 1), ("a.gate", 2), ("b.gate", 1)]);
}

#[test]
fn a_policy_that_does_not_compile_is_an_error() {
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: "rule r { deny during nowhere }".to_owned(),
    }];
    assert!(lint(sources, &Limits::default(), &LintOptions::default()).is_err());
}

#[test]
fn rendering_names_the_lint_the_place_and_the_help() {
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: "let a = targets\n".to_owned(),
    }];
    let fs = lint(sources.clone(), &Limits::default(), &LintOptions::default()).unwrap();
    let out = render(&fs, &sources, false);
    assert!(out.contains("[unused-let]"), "{out}");
    assert!(out.contains("a.gate:1:5"), "{out}");
    assert!(out.contains("Help"), "{out}");
}

#[test]
fn json_has_the_fields_of_a_diagnostic_and_the_lint() {
    let fs = lint_texts(&[("a.gate", "let a = targets\n")]);
    let json = serde_json::to_value(&fs).unwrap();
    assert_eq!(json[0]["name"], "unused-let");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["line"], 1);
    assert!(json[0].get("range").is_none());
}

fn lint_at(text: &str, at: &str) -> Vec<Finding> {
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: text.to_owned(),
    }];
    let options = LintOptions {
        at: Some(at.parse().unwrap()),
        ..LintOptions::default()
    };
    lint(sources, &Limits::default(), &options).unwrap()
}

const WINDOWS: &str = "\
window leap_day = cron \"0 0 29 2 *\" for 1h
window weekly = cron \"0 22 * * SAT\" for 6h in \"Europe/Berlin\"
window freeze = between 2026-12-19T00:00 and 2027-01-04T00:00 in \"America/New_York\"
rule r {
  deny during leap_day, weekly, freeze
}
";

#[test]
fn a_cron_window_that_never_occurs_is_a_warning() {
    let fs = lint_at(WINDOWS, "2026-12-01T00:00:00Z");
    assert_eq!(names(&fs), [("window-never-occurs", 1)]);
    assert_eq!(fs[0].severity, Severity::Warning);
    assert_eq!(fs[0].column, 24);
    // Leap years: 2028 is more than a year ahead, and then it occurs.
    let later = lint_at(WINDOWS, "2027-06-01T00:00:00Z");
    assert_eq!(names(&later), [("window-ended", 3)]);
}

#[test]
fn a_between_window_that_ended_is_info() {
    let fs = lint_at(WINDOWS, "2027-01-04T05:00:00Z");
    assert_eq!(
        names(&fs),
        [("window-never-occurs", 1), ("window-ended", 3)]
    );
    assert_eq!(fs[1].severity, Severity::Info);
    // Still on: its last hour in New York is 04:00 to 05:00 UTC.
    let fs = lint_at(WINDOWS, "2027-01-04T04:59:59Z");
    assert_eq!(names(&fs), [("window-never-occurs", 1)]);
}

#[test]
fn a_between_window_more_than_a_year_ahead_is_no_finding() {
    let fs = lint_at(WINDOWS, "2025-01-01T00:00:00Z");
    assert_eq!(names(&fs), [("window-never-occurs", 1)]);
}

#[test]
fn without_an_instant_the_window_lints_do_not_run() {
    assert!(lint_texts(&[("a.gate", WINDOWS)]).is_empty());
}

#[test]
fn the_window_lints_can_be_allowed() {
    let text = WINDOWS.replace(
        "for 1h\n",
        "for 1h # changegate: allow(window-never-occurs)\n",
    );
    assert!(lint_at(&text, "2026-12-01T00:00:00Z").is_empty());
}
