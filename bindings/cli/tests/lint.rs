//! `changegate lint` through the binary: findings as text and JSON, the
//! exit code, allow comments, a policy that does not compile, and the
//! policy library, which passes its own lint.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a failing test should stop loudly"
)]

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::*;

/// The instant the window lints look from: the examples must not change
/// with the date (the fixture's and the library's holiday freezes end on
/// 2027-01-04).
const AT: &str = "2026-12-01T00:00:00Z";

fn fixtures() -> PathBuf {
    repo().join("bindings/cli/tests/fixtures")
}

/// A fresh folder of the test's own, with `files` in it.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("lint")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn findings_are_shown_as_compile_errors_with_a_count() {
    let o = run(
        &fixtures(),
        &[
            "lint",
            "--policy",
            "lint/deploys.gate",
            "--format",
            "text",
            "--at",
            AT,
        ],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let out = stdout(&o);
    for expected in [
        "[unused-window] Warning: the window `quiet_hours` is defined but never used",
        "lint/deploys.gate:3:8",
        "[unused-let] Warning: the set `databases` is defined but never used",
        "lint/deploys.gate:10:15",
        "[override-by-approver]",
        "lint/deploys.gate:19:56",
        "[empty-else-message]",
        "Help: ",
    ] {
        assert!(out.contains(expected), "{expected} not in:\n{out}");
    }
    assert!(out.ends_with("4 findings\n"), "{out}");
}

#[test]
fn json_lists_the_findings_in_order() {
    let o = run(
        &fixtures(),
        &[
            "lint",
            "--policy",
            "lint/deploys.gate",
            "--format",
            "json",
            "--at",
            AT,
        ],
    );
    assert_eq!(code(&o), 1);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let got: Vec<(&str, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("unused-window", 3),
            ("unused-let", 5),
            ("override-by-approver", 10),
            ("empty-else-message", 19)
        ]
    );
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["file"], "lint/deploys.gate");
}

#[test]
fn no_findings_exit_0() {
    let dir = folder(
        "clean",
        &[(
            "a.gate",
            "# changegate: allow(unused-let)\nlet dbs = targets\nrule r { deny \"no\" }\n",
        )],
    );
    let o = run(&dir, &["lint", "--policy", ".", "--format", "text"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "no findings\n");
    let o = run(&dir, &["lint", "--policy", "a.gate", "--format", "json"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn an_unknown_lint_in_an_allow_comment_is_a_finding() {
    let dir = folder(
        "unknown",
        &[(
            "a.gate",
            "rule r { deny \"no\" } # changegate: allow(unused-rule)\n",
        )],
    );
    let o = run(&dir, &["lint", "--policy", "a.gate", "--format", "text"]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("[unknown-lint]"), "{}", stdout(&o));
    assert!(stdout(&o).contains("`unused-rule` is not a lint"));
}

#[test]
fn a_policy_that_does_not_compile_is_an_error() {
    let dir = folder("broken", &[("a.gate", "rule r { deny during nowhere }\n")]);
    let o = run(&dir, &["lint", "--policy", "a.gate", "--format", "text"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("the policy does not compile"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn the_policy_library_passes_its_own_lint() {
    let o = run(
        &repo(),
        &[
            "lint",
            "--policy",
            "policies/",
            "--format",
            "text",
            "--at",
            AT,
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "no findings\n");
}

#[test]
fn window_lints_look_from_at() {
    let dir = folder(
        "windows",
        &[(
            "a.gate",
            "window leap = cron \"0 0 29 2 *\" for 1h\n\
             window freeze = between 2026-12-19T00:00 and 2027-01-04T00:00\n\
             rule r { deny during leap, freeze }\n",
        )],
    );
    let args = |at: &'static str| ["lint", "--policy", "a.gate", "--format", "json", "--at", at];
    // 2028-02-29 is more than a year ahead: a warning.
    let o = run(&dir, &args("2026-12-01T00:00:00Z"));
    assert_eq!(code(&o), 1);
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json[0]["name"], "window-never-occurs");
    assert_eq!(json.as_array().unwrap().len(), 1);
    // Later the leap day is near, and the freeze has ended: info only, exit 0.
    let o = run(&dir, &args("2027-06-01T00:00:00Z"));
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json[0]["name"], "window-ended");
    assert_eq!(json[0]["severity"], "info");
    // A bad instant is a usage error.
    let o = run(&dir, &args("tomorrow"));
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("--at"), "{}", stderr(&o));
}

/// The lint cases (fixtures/lint/cases/README.md): each lint's `fires.gate`
/// gives the output in `fires.txt` (and as JSON in `fires.json`), its
/// `near-miss.gate` no finding.
#[test]
fn each_lint_fires_on_its_case_and_not_on_its_near_miss() {
    let cases = fixtures().join("lint/cases");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&cases)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 5, "{dirs:?}");
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    for dir in dirs {
        let mut extra: Vec<&str> = Vec::new();
        if dir.join("graph.json").is_file() {
            extra.extend(["--graph", "graph.json"]);
        }
        if dir.join("change.json").is_file() {
            extra.extend(["--change", "change.json"]);
        }
        let args = |file: &'static str| {
            let mut a = vec![
                "lint", "--policy", file, "--format", "text", "--color", "never", "--at", AT,
            ];
            a.extend(&extra);
            a
        };
        let o = run(&dir, &args("fires.gate"));
        assert_eq!(code(&o), 1, "{}: {}", dir.display(), stderr(&o));
        let expected = dir.join("fires.txt");
        if bless {
            std::fs::write(&expected, stdout(&o)).unwrap();
        } else {
            let want = std::fs::read_to_string(&expected).unwrap();
            assert_eq!(stdout(&o), want, "{}", dir.display());
        }
        // The findings as JSON, which every binding's `lint` must give too.
        let json_args: Vec<&str> = args("fires.gate")
            .into_iter()
            .map(|a| if a == "text" { "json" } else { a })
            .collect();
        let j = run(&dir, &json_args);
        let expected = dir.join("fires.json");
        if bless {
            std::fs::write(&expected, stdout(&j)).unwrap();
        } else {
            let want = std::fs::read_to_string(&expected).unwrap();
            assert_eq!(stdout(&j), want, "{}", dir.display());
        }
        let name = dir.file_name().unwrap().to_str().unwrap();
        assert!(
            stdout(&o).contains(&format!("[{name}]")),
            "{name} does not fire on its case"
        );
        let o = run(&dir, &args("near-miss.gate"));
        assert_eq!(
            stdout(&o),
            "no findings\n",
            "{}: the near miss gives findings",
            dir.display()
        );
        assert_eq!(code(&o), 0);
    }
}

const SHORT: &str = "\
window lunch = cron \"0 12 * * *\" for 30m
let spare = targets
rule r { deny outside lunch }
";

#[test]
fn changegate_toml_beside_the_policy_sets_levels_and_options() {
    let dir = folder(
        "config-found",
        &[
            (
                "changegate.toml",
                "# other tools' tables are left alone\n[fmt]\nwidth = 80\n\n[lint]\nunused-let = \"off\"\nshort-window = \"info\"\n",
            ),
            ("policies/a.gate", SHORT),
        ],
    );
    // Found from a policy folder below the file.
    let o = run(&dir, &["lint", "--policy", "policies", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "{json}");
    assert_eq!(json[0]["name"], "short-window");
    assert_eq!(json[0]["severity"], "info");
    // A lower `min-window` passes the window; `--config` wins over the file found.
    std::fs::write(
        dir.join("lenient.json"),
        r#"{"lint": {"options": {"min-window": "30m"}}}"#,
    )
    .unwrap();
    let o = run(
        &dir,
        &[
            "lint",
            "--policy",
            "policies/a.gate",
            "--config",
            "lenient.json",
            "--format",
            "json",
        ],
    );
    let json: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["unused-let"]);
}

#[test]
fn a_bad_configuration_names_the_file_the_key_and_the_fix() {
    let dir = folder(
        "config-bad",
        &[
            ("changegate.toml", "[lint]\nunused-lets = \"off\"\n"),
            ("a.gate", SHORT),
            ("level.toml", "[lint]\nunused-let = \"never\"\n"),
            ("option.toml", "[lint.options]\nmin-windows = \"1h\"\n"),
            (
                "duration.toml",
                "[lint.options]\nmin-window = \"an hour\"\n",
            ),
            ("syntax.toml", "[lint\n"),
        ],
    );
    let o = run(&dir, &["lint", "--policy", "a.gate", "--format", "text"]);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(
        err.contains("changegate.toml: `lint.unused-lets`: `unused-lets` is not a lint"),
        "{err}"
    );
    assert!(err.contains("did you mean `unused-let`?"), "{err}");
    assert!(stdout(&o).is_empty());
    for (file, expected) in [
        ("level.toml", "a level is one of"),
        ("option.toml", "did you mean `min-window`?"),
        ("duration.toml", "`lint.options.min-window`: "),
        ("syntax.toml", "syntax.toml: not TOML"),
    ] {
        let o = run(
            &dir,
            &[
                "lint", "--policy", "a.gate", "--config", file, "--format", "json",
            ],
        );
        assert_eq!(code(&o), 1, "{file}");
        let err: Value = serde_json::from_str(&stderr(&o)).unwrap();
        let text = format!("{} {}", err["error"]["message"], err["error"]["help"]);
        assert!(text.contains(expected), "{file}: {text}");
    }
}

#[test]
fn sarif_names_the_rules_and_places_relative_to_the_folder() {
    let dir = folder("sarif", &[("policies/a.gate", SHORT)]);
    let o = run(&dir, &["lint", "--policy", "policies", "--format", "sarif"]);
    assert_eq!(code(&o), 1);
    let log: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "unused-let");
    assert_eq!(results[1]["ruleId"], "short-window");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "policies/a.gate"
    );
}

#[test]
fn a_bad_example_change_names_its_file() {
    let dir = folder(
        "bad-change",
        &[
            (
                "a.gate",
                "rule r { when change.risk == \"high\" deny \"no\" }\n",
            ),
            (
                "good.json",
                r#"{"id": "c", "type": "normal", "targets": ["a"], "start": "2026-11-17T09:00:00Z", "end": "2026-11-17T10:00:00Z", "attributes": {"risk": "low"}}"#,
            ),
            ("bad.json", r#"{"id": "c", "type": "normal"}"#),
        ],
    );
    let o = run(
        &dir,
        &[
            "lint",
            "--policy",
            "a.gate",
            "--change",
            "good.json",
            "bad.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("in `bad.json`"), "{}", stderr(&o));
    let o = run(
        &dir,
        &[
            "lint",
            "--policy",
            "a.gate",
            "--change",
            "good.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
}
