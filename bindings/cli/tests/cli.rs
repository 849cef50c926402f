//! Runs the built `changegate` binary: every corpus case byte for byte,
//! exit codes, colors, the text format, errors, `validate`, `impact`, stdin.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a failing test should stop loudly; clippy's test allowances skip the helper functions"
)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn has_escapes(s: &str) -> bool {
    s.contains('\u{1b}')
}

// ---------------------------------------------------------------- corpus

/// Runs one case of the corpus manifest (`core/tests/corpus/manifest.json`)
/// as `changegate check --format json` from the case folder, with the
/// policy paths and graph exactly as `case.json` gives them.
fn check_case(entry: &Value) -> Result<(), String> {
    let dir = &repo().join(entry["dir"].as_str().unwrap());
    let policy: Vec<&str> = entry["policy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let mut args: Vec<String> = vec!["check".into(), "--policy".into()];
    args.extend(policy.iter().map(|p| (*p).to_owned()));
    args.extend(imported_inputs(entry));
    args.extend(["--format".into(), "json".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(dir, &args);

    let expected = std::fs::read_to_string(dir.join(entry["expected"].as_str().unwrap()))
        .map_err(|e| format!("expected.json: {e}"))?;
    let expected_json: Value =
        serde_json::from_str(&expected).map_err(|e| format!("expected.json: {e}"))?;
    let (want_code, want_stdout, want_stderr) = if expected_json.get("error").is_some() {
        (1, String::new(), expected.clone())
    } else {
        let c = match expected_json["outcome"].as_str() {
            Some("approved") => 0,
            Some("pending") => 2,
            Some("denied") => 3,
            other => return Err(format!("expected.json has outcome {other:?}")),
        };
        (c, expected.clone(), String::new())
    };
    let (got_stdout, mut got_stderr) = (stdout(&out), stderr(&out));
    // An import's notes are stderr lines of their own, beside the decision.
    if entry.get("imports").is_some() && want_code != 1 {
        got_stderr = got_stderr
            .lines()
            .filter(|l| !l.starts_with("note: "))
            .collect();
    }
    if got_stdout != want_stdout || got_stderr != want_stderr || code(&out) != want_code {
        return Err(format!(
            "exit {} (want {want_code})\n--- expected\n{expected}--- stdout\n{got_stdout}--- stderr\n{got_stderr}",
            code(&out)
        ));
    }
    Ok(())
}

/// The `--graph`, `--change` and `--backups` arguments of a case: its own
/// files, or its `imports` read with `--graph-from`, `--change-from` and
/// `--backups-from` (each role's paths under the flag of the same name; a
/// graph's first role is `--graph`, backup records are `--backups`).
fn imported_inputs(entry: &Value) -> Vec<String> {
    let mut args = Vec::new();
    let mut options = serde_json::Map::new();
    for what in ["graph", "change", "backups"] {
        let Some(import) = entry.get("imports").and_then(|i| i.get(what)) else {
            if let Some(file) = entry[what].as_str() {
                args.extend([format!("--{what}"), file.to_owned()]);
            }
            continue;
        };
        let adapter = import["adapter"].as_str().unwrap();
        args.extend([format!("--{what}-from"), adapter.to_owned()]);
        for (role, paths) in import["paths"].as_object().unwrap() {
            let flag = match (what, role.as_str()) {
                ("graph", "cis" | "catalog") => "graph",
                ("backups", "records") => "backups",
                ("backups", "graph") => continue,
                _ => role.as_str(),
            };
            for p in paths.as_array().unwrap() {
                args.extend([format!("--{flag}"), p.as_str().unwrap().to_owned()]);
            }
        }
        if !import["options"].is_null() {
            options.insert(adapter.to_owned(), import["options"].clone());
        }
    }
    if !options.is_empty() {
        args.extend([
            "--import-options".to_owned(),
            Value::Object(options).to_string(),
        ]);
    }
    args
}

#[test]
fn every_corpus_case_matches_expected_json_byte_for_byte() {
    let manifest = std::fs::read_to_string(repo().join("core/tests/corpus/manifest.json")).unwrap();
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    let all = manifest["cases"].as_array().unwrap();
    let core_cases = all
        .iter()
        .filter(|c| c["dir"].as_str().unwrap().starts_with("core/tests/corpus/"))
        .count();
    assert!(
        core_cases > 0 && all.len() > core_cases,
        "corpus roots not found"
    );
    let failures: Vec<String> = all
        .iter()
        .filter_map(|entry| {
            check_case(entry)
                .err()
                .map(|e| format!("{}: {e}", entry["dir"].as_str().unwrap()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        all.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------- check

fn check_example(example: &str, extra: &[&str]) -> Output {
    let change = format!("policies/examples/{example}/change.json");
    let mut args = vec![
        "check",
        "--policy",
        "policies/",
        "--graph",
        "policies/estate.json",
        "--change",
        &change,
    ];
    args.extend(extra);
    run(&repo(), &args)
}

#[test]
fn exit_codes_follow_the_outcome() {
    let approved = check_example("standard-approved", &["--format", "json"]);
    assert_eq!(code(&approved), 0, "{}", stderr(&approved));
    assert!(stdout(&approved).contains("\"outcome\": \"approved\""));

    let pending = check_example("demo", &["--format", "json"]);
    assert_eq!(code(&pending), 2);
    assert!(stdout(&pending).contains("\"outcome\": \"pending\""));

    let denied = check_example(
        "holiday-freeze-denied",
        &["--format", "text", "--color", "never"],
    );
    assert_eq!(code(&denied), 3);
    assert!(stdout(&denied).starts_with("DENIED  CHG"));
}

#[test]
fn json_is_the_default_when_stdout_is_not_a_terminal() {
    let default = check_example("demo", &[]);
    let json = check_example("demo", &["--format", "json"]);
    assert_eq!(code(&default), 2);
    assert_eq!(stdout(&default), stdout(&json));
    assert_eq!(
        stdout(&json),
        std::fs::read_to_string(repo().join("policies/examples/demo/expected.json"))
            .unwrap()
            .replace("../../", "policies/")
    );
}

#[test]
fn colors_follow_no_color_clicolor_force_and_the_flag() {
    let text = ["--format", "text"];
    let colored = |envs: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec![
            "check",
            "--policy",
            "policies/",
            "--graph",
            "policies/estate.json",
            "--change",
            "policies/examples/demo/change.json",
        ];
        args.extend(text);
        args.extend(extra);
        let out = changegate(&repo())
            .args(&args)
            .envs(envs.iter().copied())
            .output()
            .unwrap();
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        has_escapes(&stdout(&out))
    };
    // Into a pipe: no colors unless forced.
    assert!(!colored(&[], &[]));
    assert!(colored(&[("CLICOLOR_FORCE", "1")], &[]));
    // NO_COLOR wins over CLICOLOR_FORCE, and `--color never` over both.
    assert!(!colored(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &[]));
    assert!(!colored(&[("CLICOLOR_FORCE", "1")], &["--color", "never"]));
    // An explicit `--color always` is obeyed even into a pipe.
    assert!(colored(&[], &["--color", "always"]));
    assert!(colored(&[("NO_COLOR", "1")], &["--color", "always"]));
}

#[test]
fn json_output_never_has_escape_codes() {
    let out = check_example("demo", &["--format", "json", "--color", "always"]);
    assert!(!has_escapes(&stdout(&out)));
}

#[test]
fn text_format_of_the_demo() {
    let out = check_example("demo", &["--format", "text", "--color", "never"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(!has_escapes(&stdout(&out)));
    let text = stdout(&out);
    // The digest changes whenever a policy file does; the snapshot is about the layout.
    let digest = text
        .split("sha256:")
        .nth(1)
        .unwrap()
        .get(..64)
        .unwrap()
        .to_owned();
    insta::assert_snapshot!("demo_text", text.replace(&digest, "[digest]"));
}

#[test]
fn text_format_shows_blocks_in_utc_and_in_the_window_zone() {
    let out = check_example(
        "holiday-freeze-denied",
        &["--format", "text", "--color", "never"],
    );
    assert_eq!(code(&out), 3);
    let text = stdout(&out);
    assert!(
        text.contains("✗ holiday_freeze  the change overlaps this window"),
        "{text}"
    );
    assert!(
        text.contains("2026-12-19 05:00 → 2027-01-04 05:00  UTC"),
        "{text}"
    );
    assert!(
        text.contains("2026-12-19 00:00 → 2027-01-04 00:00  America/New_York"),
        "{text}"
    );
    assert!(text.contains("rules: holiday_change_freeze"), "{text}");
    assert!(
        text.contains(
            "Next allowed start  2027-01-04 05:00 UTC  (2027-01-04 00:00 America/New_York)"
        ),
        "{text}"
    );
}

#[test]
fn text_format_lists_counted_and_rejected_overrides() {
    let out = check_example("break-glass-cto", &["--format", "text", "--color", "never"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("✓  holiday_change_freeze  dana for cto  counted: lifts the rule")
    );

    let out = check_example(
        "break-glass-self-override",
        &["--format", "text", "--color", "never"],
    );
    assert_eq!(code(&out), 3);
    assert!(
        stdout(&out)
            .contains("rejected: `dana` requested this change and cannot override its rules")
    );
}

#[test]
fn change_and_graph_can_be_read_from_stdin() {
    let dir = repo().join("policies/examples/demo");
    let change = std::fs::read_to_string(dir.join("change.json")).unwrap();
    let graph = std::fs::read_to_string(repo().join("policies/estate.json")).unwrap();
    let expected = std::fs::read_to_string(dir.join("expected.json")).unwrap();
    let base = ["check", "--policy", "../..", "--format", "json"];

    let mut args = base.to_vec();
    args.extend(["--graph", "../../estate.json", "--change", "-"]);
    let out = run_with_stdin(&dir, &args, &change);
    assert_eq!(
        (code(&out), stdout(&out)),
        (2, expected.clone()),
        "{}",
        stderr(&out)
    );

    let mut args = base.to_vec();
    args.extend(["--graph", "-", "--change", "change.json"]);
    let out = run_with_stdin(&dir, &args, &graph);
    assert_eq!(
        (code(&out), stdout(&out)),
        (2, expected),
        "{}",
        stderr(&out)
    );

    let mut args = base.to_vec();
    args.extend(["--graph", "-", "--change", "-"]);
    let out = run_with_stdin(&dir, &args, &graph);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("cannot both read standard input"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn bad_stdin_is_an_input_error() {
    let out = run_with_stdin(
        &repo(),
        &[
            "check",
            "--policy",
            "policies/",
            "--graph",
            "policies/estate.json",
            "--change",
            "-",
            "--format",
            "json",
        ],
        "{\"id\": \"CHG1\"",
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let err: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(err["error"]["kind"], "input");
    assert_eq!(err["error"]["document"], "change");
}

#[test]
fn a_missing_file_is_an_error_that_names_it() {
    let missing_graph = [
        "check",
        "--policy",
        "policies/",
        "--graph",
        "policies/no-such-estate.json",
        "--change",
        "policies/examples/demo/change.json",
    ];
    let mut args = missing_graph.to_vec();
    args.extend(["--format", "text"]);
    let out = run(&repo(), &args);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    assert!(
        stderr(&out).starts_with(
            "error: cannot read `policies/no-such-estate.json`: no such file or directory"
        ),
        "{}",
        stderr(&out)
    );

    let mut args = missing_graph.to_vec();
    args.extend(["--format", "json"]);
    let out = run(&repo(), &args);
    assert_eq!(code(&out), 1);
    let err: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(err["error"]["kind"], "io");
    assert_eq!(err["error"]["path"], "policies/no-such-estate.json");
    assert_eq!(err["error"]["message"], "no such file or directory");

    let out = run(
        &repo(),
        &[
            "check",
            "--policy",
            "policies/nowhere.gate",
            "--graph",
            "policies/estate.json",
            "--change",
            "policies/examples/demo/change.json",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`policies/nowhere.gate`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn compile_errors_of_every_file_are_rendered_with_carets() {
    let out = run(
        &fixtures(),
        &[
            "check",
            "--policy",
            "broken",
            "--graph",
            "../../../../policies/estate.json",
            "--change",
            "../../../../policies/examples/demo/change.json",
            "--format",
            "text",
            "--color",
            "never",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(!has_escapes(&err), "{err}");
    // Both files, with the place, the source line and a marker under the culprit.
    assert!(err.contains("broken/a.gate:3:3"), "{err}");
    assert!(err.contains("  requir approval \"cab\""), "{err}");
    assert!(
        err.contains("expected `when`, `unless`, `require` or `deny`, found `requir`"),
        "{err}"
    );
    assert!(err.contains("broken/b.gate:2:42"), "{err}");
    assert!(
        err.contains("window maintenance = cron \"0 22 * * SAT\" 6h"),
        "{err}"
    );
    assert!(err.contains("expected `for`, found `6h`"), "{err}");
    // The marker sits under the offending token.
    let lines: Vec<&str> = err.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.ends_with("  requir approval \"cab\""))
        .unwrap();
    let col = lines[src].find("requir").unwrap();
    assert!(
        lines[src + 1]
            .get(col..col + 3)
            .is_some_and(|m| m.chars().all(|c| c == '─')),
        "{err}"
    );
    assert!(
        err.ends_with("error: the policy does not compile: 2 errors in 2 files\n"),
        "{err}"
    );

    let colored = run(
        &fixtures(),
        &[
            "validate", "--policy", "broken", "--format", "text", "--color", "always",
        ],
    );
    assert_eq!(code(&colored), 1);
    assert!(has_escapes(&stderr(&colored)));
}

#[test]
fn compile_errors_as_json() {
    let out = run(
        &fixtures(),
        &[
            "check",
            "--policy",
            "broken/a.gate",
            "broken/b.gate",
            "--graph",
            "../../../../policies/estate.json",
            "--change",
            "../../../../policies/examples/demo/change.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let sources =
        changegate::load_sources_in(&fixtures(), &["broken/a.gate", "broken/b.gate"]).unwrap();
    let expected = changegate::Policy::compile(sources, &changegate::Limits::default())
        .map_err(changegate::Error::Policy)
        .unwrap_err()
        .to_json();
    assert_eq!(stderr(&out), expected);
}

// ---------------------------------------------------------------- validate

#[test]
fn validate_reports_ok_or_every_error() {
    let out = run(
        &fixtures(),
        &["validate", "--policy", "ok", "--format", "text"],
    );
    assert_eq!(
        (code(&out), stdout(&out)),
        (0, "ok: 3 rules in 2 files\n".to_owned())
    );

    let out = run(
        &fixtures(),
        &["validate", "--policy", "ok/a.gate", "--format", "text"],
    );
    assert_eq!(
        (code(&out), stdout(&out)),
        (0, "ok: 2 rules in 1 file\n".to_owned())
    );

    let out = run(
        &fixtures(),
        &["validate", "--policy", "ok", "--format", "json"],
    );
    assert_eq!((code(&out), stdout(&out)), (0, "[]\n".to_owned()));

    let out = run(
        &fixtures(),
        &["validate", "--policy", "broken", "--format", "text"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("broken/a.gate:3:3") && stderr(&out).contains("broken/b.gate:2:42")
    );

    let out = run(
        &fixtures(),
        &["validate", "--policy", "broken", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let sources = changegate::load_sources_in(&fixtures(), &["broken"]).unwrap();
    assert_eq!(
        stdout(&out),
        changegate::api::validate_json(sources, &changegate::Limits::default())
    );

    let out = run(
        &fixtures(),
        &["validate", "--policy", "nothing-here", "--format", "json"],
    );
    assert_eq!(code(&out), 1);
    let err: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(err["error"]["kind"], "io");
}

// ---------------------------------------------------------------- impact

#[test]
fn impact_json_is_cores_impact_json() {
    let out = run(
        &repo(),
        &[
            "impact",
            "--graph",
            "policies/estate.json",
            "--target",
            "orders-db",
            "payments-db",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let graph = changegate::api::load_graph(
        &std::fs::read_to_string(repo().join("policies/estate.json")).unwrap(),
        &changegate::Limits::default(),
    )
    .unwrap();
    let expected =
        changegate::api::impact_json(&graph, &["orders-db".to_owned(), "payments-db".to_owned()])
            .unwrap();
    assert_eq!(stdout(&out), expected);
}

#[test]
fn impact_text_explains_each_node_with_its_path() {
    let out = run(
        &repo(),
        &[
            "impact",
            "--graph",
            "policies/estate.json",
            "--target",
            "orders-db",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    insta::assert_snapshot!("impact_orders_db_text", stdout(&out));
}

#[test]
fn impact_reads_the_graph_from_stdin_and_rejects_unknown_targets() {
    let graph = std::fs::read_to_string(repo().join("policies/estate.json")).unwrap();
    let out = run_with_stdin(
        &repo(),
        &[
            "impact",
            "--graph",
            "-",
            "--target",
            "orders-db",
            "--format",
            "json",
        ],
        &graph,
    );
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("\"orders-api\""));

    let out = run(
        &repo(),
        &[
            "impact",
            "--graph",
            "policies/estate.json",
            "--target",
            "orders-bd",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("unknown target `orders-bd`"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------- arguments

#[test]
fn help_version_and_usage_errors() {
    let out = run(&repo(), &["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        format!("changegate {}\n", env!("CARGO_PKG_VERSION"))
    );

    let out = run(&repo(), &["check", "--help"]);
    assert_eq!(code(&out), 0);
    let help = stdout(&out);
    assert!(
        help.contains("text on a terminal, json otherwise"),
        "{help}"
    );
    assert!(help.contains("Exit codes:"), "{help}");
    assert!(help.contains("Examples:"), "{help}");

    // A usage error exits 1, never 2 (which means "pending").
    let out = run(&repo(), &["check", "--policy", "policies/"]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("--graph"), "{}", stderr(&out));

    let out = run(&repo(), &["check", "--format", "yaml"]);
    assert_eq!(code(&out), 1);

    let out = run(&repo(), &[]);
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("Usage:"), "{}", stderr(&out));
}

// ---------------------------------------------------------------- limits

#[test]
fn limits_come_from_a_json_file() {
    let dir = std::env::temp_dir().join(format!("changegate-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let small = dir.join("small.json");
    std::fs::write(&small, r#"{"max_graph_nodes": 3}"#).unwrap();
    let args = |limits: &Path| {
        vec![
            "--limits".to_owned(),
            limits.display().to_string(),
            "impact".to_owned(),
            "--graph".to_owned(),
            "policies/estate.json".to_owned(),
            "--target".to_owned(),
            "orders-db".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
        ]
    };
    let out = run(
        &repo(),
        &args(&small).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(code(&out), 1);
    let err: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(err["error"]["document"], "graph", "{err}");
    assert!(
        err["error"]["message"].as_str().unwrap().contains("nodes"),
        "{err}"
    );

    let typo = dir.join("typo.json");
    std::fs::write(&typo, r#"{"max_graph_nodez": 3}"#).unwrap();
    let out = run(
        &repo(),
        &args(&typo).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(code(&out), 1);
    let err: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(err["error"]["document"], "limits", "{err}");
    assert!(
        err["error"]["help"]
            .as_str()
            .unwrap()
            .contains("`max_graph_nodes`")
    );

    let roomy = dir.join("roomy.json");
    std::fs::write(&roomy, r#"{"max_graph_nodes": 100000}"#).unwrap();
    let out = run(
        &repo(),
        &args(&roomy).iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A limit met only while searching for the next allowed start: the text
/// says the start is unknown and why, instead of failing the decision.
#[test]
fn a_limit_in_the_next_start_search_is_shown_in_text() {
    let dir = "core/tests/corpus/next-allowed-start/limit-window-scan-in-the-search";
    let out = run(
        &repo(),
        &[
            "check",
            "--policy",
            &format!("{dir}/policy.gate"),
            "--graph",
            "core/tests/corpus/next-allowed-start/shared-graph.json",
            "--change",
            &format!("{dir}/change.json"),
            "--format",
            "text",
            "--color",
            "never",
        ],
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Next allowed start  unknown: the search stopped at a limit"),
        "{text}"
    );
    assert!(text.contains("window search examined more than 1000000 occurrences"));
    assert!(text.contains("help: ") && text.contains("`max_window_scan`"));
}
