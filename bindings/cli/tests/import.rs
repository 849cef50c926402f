//! Runs `changegate import` and `check --graph-from/--change-from/
//! --backups-from` through the built binary: every adapter case of the
//! manifest `core/tests/import/manifest.json` against its `expected.json`
//! or `error.json`, the
//! `servicenow` shorthand, role and adapter errors, `--with-notes`, a check
//! from the records of three tools, and the worked examples of the docs
//! (`docs/sources/*.md` and this crate's README), which are run as written.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly; clippy's test allowances skip the helper functions"
)]

use std::path::{Path, PathBuf};
use std::process::Output;

use changegate_testkit::imports::{self, ImportCase};
use serde_json::Value;

mod common;
use common::*;

fn records() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/records")
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap() + "\n"
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------- the cases

/// The case's command line: `import ADAPTER --ROLE PATH... [--options
/// JSON]`, with the paths as `case.json` gives them (files or directories).
fn case_args(case: &ImportCase) -> Vec<String> {
    let mut args = vec!["import".to_owned(), case.adapter.clone()];
    for (role, paths) in &case.paths {
        args.push(format!("--{role}"));
        args.extend(paths.iter().cloned());
    }
    if !case.options.is_null() {
        args.push("--options".to_owned());
        args.push(case.options.to_string());
    }
    args
}

/// `note: RECORD (FIELD): MESSAGE`, as `import` writes a note on stderr.
fn note_line(note: &Value) -> String {
    let record = note["record"].as_str().unwrap();
    let message = note["message"].as_str().unwrap();
    match note["field"].as_str() {
        Some(field) => format!("note: {record} ({field}): {message}\n"),
        None => format!("note: {record}: {message}\n"),
    }
}

fn check_case(case: &ImportCase) -> Result<(), String> {
    let dir = &repo().join(&case.dir);
    let args = case_args(case);
    let mut argv: Vec<&str> = args.iter().map(String::as_str).collect();
    argv.extend(["--format", "json"]);
    let out = run(dir, &argv);
    let shown = format!(
        "changegate {}\nexit {}\n--- stdout\n{}--- stderr\n{}",
        argv.join(" "),
        code(&out),
        stdout(&out),
        stderr(&out)
    );
    if case.expected == "expected.json" {
        let expected = read(&dir.join("expected.json"));
        let expected_json = json(&expected);
        let notes: String = expected_json["notes"]
            .as_array()
            .unwrap()
            .iter()
            .map(note_line)
            .collect();
        // The document alone, byte for byte, and each note as a line.
        if code(&out) != 0
            || stdout(&out) != pretty(&expected_json["document"])
            || stderr(&out) != notes
        {
            return Err(format!("{shown}--- expected\n{expected}"));
        }
        // With --with-notes: expected.json itself, and nothing on stderr.
        argv.push("--with-notes");
        let out = run(dir, &argv);
        if code(&out) != 0 || stdout(&out) != expected || !stderr(&out).is_empty() {
            return Err(format!("with --with-notes: {}", stderr(&out)));
        }
    } else {
        let expected = read(&dir.join("error.json"));
        if code(&out) != 1 || !stdout(&out).is_empty() || stderr(&out) != expected {
            return Err(format!("{shown}--- expected error\n{expected}"));
        }
        // As text, the error names the place too.
        argv.truncate(argv.len() - 2);
        argv.extend(["--format", "text"]);
        let out = run(dir, &argv);
        let place = json(&expected)["error"]["path"]
            .as_str()
            .unwrap()
            .to_owned();
        let err = stderr(&out);
        if code(&out) != 1 || !err.starts_with("error: ") || !err.contains(&place) {
            return Err(format!("as text:\n{err}"));
        }
    }
    Ok(())
}

/// Every case of the adapters' manifest (`core/tests/import/manifest.json`).
#[test]
fn every_import_case_through_the_binary() {
    let cases = imports::read(&repo()).unwrap();
    assert!(cases.len() > 50, "the import cases were not found");
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check_case(case).err().map(|e| format!("{}: {e}", case.dir)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------- arguments

#[test]
fn servicenow_means_the_change_or_the_cmdb_by_the_flags() {
    let change = repo().join("core/tests/import/servicenow-change/worked-example");
    let args = [
        "--change",
        "change_request.json",
        "--approvals",
        "sysapproval_approver.json",
    ];
    let short = run(&change, &[&["import", "servicenow"][..], &args].concat());
    let long = run(
        &change,
        &[&["import", "servicenow-change"][..], &args].concat(),
    );
    assert_eq!(code(&short), 0, "{}", stderr(&short));
    assert_eq!(stdout(&short), stdout(&long));
    assert!(stdout(&short).contains("\"CHG0030001\""));

    let cmdb = repo().join("core/tests/import/servicenow-cmdb/worked-example");
    let args = [
        "--cis",
        "cmdb_ci.json",
        "--relationships",
        "cmdb_rel_ci.json",
    ];
    let short = run(&cmdb, &[&["import", "servicenow"][..], &args].concat());
    let long = run(&cmdb, &[&["import", "servicenow-cmdb"][..], &args].concat());
    assert_eq!(code(&short), 0, "{}", stderr(&short));
    assert_eq!(stdout(&short), stdout(&long));
    assert!(stdout(&short).contains("\"nodes\""));

    // Neither, or both: say which.
    for args in [
        &[
            "import",
            "servicenow",
            "--approvals",
            "a.json",
            "--format",
            "text",
        ][..],
        &[
            "import",
            "servicenow",
            "--change",
            "a.json",
            "--cis",
            "b.json",
            "--format",
            "text",
        ],
        &["import", "servicenow", "a.json", "--format", "text"],
    ] {
        let out = run(&cmdb, args);
        assert_eq!(code(&out), 1);
        assert!(stdout(&out).is_empty());
        let err = stderr(&out);
        assert!(
            err.starts_with("error: `servicenow` is two adapters"),
            "{err}"
        );
        assert!(
            err.contains("`--change`") && err.contains("`--cis`"),
            "{err}"
        );
    }
}

#[test]
fn a_role_the_adapter_does_not_take_is_an_error_naming_its_roles() {
    let dir = repo().join("core/tests/import/velero/worked-example");
    let out = run(
        &dir,
        &[
            "import",
            "velero",
            "backups.json",
            "--cis",
            "graph.json",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "error: the velero adapter takes no `--cis`\n  \
         help: its inputs are `--records` (required), `--graph`\n"
    );

    let out = run(
        &dir,
        &[
            "import",
            "velero",
            "--graph",
            "graph.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["kind"], "usage");
    assert_eq!(
        err["error"]["message"],
        "the velero adapter needs `--records`"
    );

    // Standard input is not an adapter's.
    let out = run(
        &dir,
        &[
            "import",
            "velero",
            "-",
            "--graph",
            "graph.json",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("does not read standard input"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_adapter_lists_the_adapters() {
    let out = run(&repo(), &["import", "servicenw", "x.json"]);
    assert_eq!(code(&out), 1, "a usage error exits 1, never 2");
    let err = stderr(&out);
    for name in [
        "servicenow-change",
        "servicenow-cmdb",
        "backstage",
        "velero",
        "aws-backup",
        "servicenow",
    ] {
        assert!(err.contains(name), "{err}");
    }

    let out = run(&repo(), &["import", "--help"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out).contains("--records PATH... --graph FILE"),
        "{}",
        stdout(&out)
    );

    // `--graph-from` offers only the adapters that make a graph.
    let out = run(
        &repo(),
        &[
            "check",
            "--policy",
            "p",
            "--graph",
            "g",
            "--change",
            "c",
            "--graph-from",
            "velero",
        ],
    );
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("backstage") && err.contains("servicenow-cmdb"),
        "{err}"
    );
}

#[test]
fn positional_paths_are_the_first_role() {
    let dir = repo().join("core/tests/import/backstage/worked-example");
    let positional = run(&dir, &["import", "backstage", "catalog-info.yaml"]);
    let flag = run(
        &dir,
        &["import", "backstage", "--catalog", "catalog-info.yaml"],
    );
    // A directory: its `*.yaml`, `*.yml` and `*.json` files.
    let tmp = std::env::temp_dir().join(format!("cg-catalog-{}", std::process::id()));
    std::fs::create_dir_all(tmp.join("catalog")).unwrap();
    std::fs::copy(
        dir.join("catalog-info.yaml"),
        tmp.join("catalog/catalog-info.yaml"),
    )
    .unwrap();
    let directory = run(&tmp, &["import", "backstage", "catalog"]);
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(code(&positional), 0, "{}", stderr(&positional));
    assert_eq!(stdout(&positional), stdout(&flag));
    assert_eq!(stdout(&positional), stdout(&directory));
    let expected = json(&read(&dir.join("expected.json")));
    assert_eq!(stdout(&positional), pretty(&expected["document"]));
}

#[test]
fn options_come_as_json_or_as_a_file_and_are_checked() {
    let dir = repo().join("core/tests/import/backstage/dangling-report");
    let case = json(&read(&dir.join("case.json")));
    let expected = read(&dir.join("expected.json"));
    let options_file = std::env::temp_dir().join(format!("cg-options-{}.json", std::process::id()));
    std::fs::write(&options_file, case["options"].to_string()).unwrap();
    let mut args = vec!["import".to_owned(), "backstage".to_owned()];
    args.extend(
        case["inputs"]["catalog"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_owned()),
    );
    args.extend([
        "--with-notes".to_owned(),
        "--options".to_owned(),
        options_file.display().to_string(),
    ]);
    let out = run(&dir, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let _ = std::fs::remove_file(&options_file);
    assert_eq!(
        (code(&out), stdout(&out)),
        (0, expected),
        "{}",
        stderr(&out)
    );

    // A repeated key, or JSON that is not an object: an error at `options`.
    let options_error = |options: &str| {
        let args = [
            "import",
            "backstage",
            "catalog-info.yaml",
            "--options",
            options,
            "--format",
            "json",
        ];
        let out = run(&dir, &args);
        assert_eq!(code(&out), 1);
        json(&stderr(&out))["error"].clone()
    };
    let err = options_error(r#"{"dangling": "report", "dangling": "error"}"#);
    assert_eq!(err["document"], "import", "{err}");
    assert_eq!(err["path"], "options: dangling", "{err}");
    assert!(err["message"].as_str().unwrap().contains("duplicate key"));
    let err = options_error(r#"{"dangling": "report"} 1"#);
    assert_eq!(err["document"], "import", "{err}");
    // `null` is the defaults (here: a dangling reference is an error).
    let err = options_error("null");
    assert_eq!(err["document"], "backstage", "{err}");
    // Anything else is a file's path.
    let err = options_error("[1]");
    assert_eq!(err["kind"], "io", "{err}");
    assert_eq!(err["path"], "[1]", "{err}");
}

// ---------------------------------------------------------------- check

const FROM_RECORDS: [&str; 18] = [
    "check",
    "--policy",
    "policy.gate",
    "--graph-from",
    "backstage",
    "--graph",
    "catalog-info.yaml",
    "--change-from",
    "servicenow-change",
    "--change",
    "change_request.json",
    "--approvals",
    "sysapproval_approver.json",
    "--backups-from",
    "velero",
    "--backups",
    "velero-backups.json",
    "--import-options",
];

fn from_records(extra: &[&str]) -> Output {
    let mut args = FROM_RECORDS.to_vec();
    args.push("import-options.json");
    args.extend(extra);
    run(&records(), &args)
}

#[test]
fn check_from_backstage_servicenow_and_velero() {
    let out = from_records(&["--format", "text", "--color", "never"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    insta::assert_snapshot!("check_from_records_text", stdout(&out));
    assert_eq!(
        stderr(&out),
        "note: velero: orders-pre-release (status.phase): the backup is `Failed`: made with \
         status `failed`, which does not count\n"
    );

    // The same decision as from the documents `import` prints.
    let dir = records();
    let import = |args: &[&str]| {
        let out = run(&dir, args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        stdout(&out)
    };
    let graph = import(&[
        "import",
        "backstage",
        "catalog-info.yaml",
        "--options",
        r#"{"annotation_attributes": {"backup_id": "changegate/backup-id"}}"#,
    ]);
    let change = import(&[
        "import",
        "servicenow",
        "--change",
        "change_request.json",
        "--approvals",
        "sysapproval_approver.json",
    ]);
    let tmp = std::env::temp_dir().join(format!("cg-records-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("graph.json"), &graph).unwrap();
    let backups = run(
        &dir,
        &[
            "import",
            "velero",
            "velero-backups.json",
            "--graph",
            tmp.join("graph.json").to_str().unwrap(),
        ],
    );
    let mut change = json(&change);
    change["backups"] = json(&stdout(&backups));
    std::fs::write(tmp.join("change.json"), pretty(&change)).unwrap();
    let plain = run(
        &dir,
        &[
            "check",
            "--policy",
            "policy.gate",
            "--graph",
            tmp.join("graph.json").to_str().unwrap(),
            "--change",
            tmp.join("change.json").to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let _ = std::fs::remove_dir_all(&tmp);
    let json_out = from_records(&["--format", "json"]);
    assert_eq!(code(&json_out), 2);
    assert_eq!(stdout(&json_out), stdout(&plain), "{}", stderr(&plain));
    // The decision JSON is the decision alone; notes stay on stderr.
    let decision = json(&stdout(&json_out));
    assert_eq!(decision["outcome"], "pending");
    assert!(stderr(&json_out).starts_with("note: velero: "));
}

#[test]
fn check_from_records_errors() {
    // An adapter's error, as JSON: its document and place; no notes then.
    let mut args = FROM_RECORDS.to_vec();
    args.extend([
        "{\"backstage\": {\"dangling\": \"nope\"}}",
        "--format",
        "json",
    ]);
    let out = run(&records(), &args);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
    let err = json(&stderr(&out));
    assert_eq!(err["error"]["document"], "backstage", "{err}");
    assert!(
        err["error"]["path"].as_str().unwrap().contains("dangling"),
        "{err}"
    );

    // `--import-options` keys are adapter names.
    let mut args = FROM_RECORDS.to_vec();
    args.extend(["{\"servicenow\": {}}", "--format", "text"]);
    let out = run(&records(), &args);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`--import-options` names no adapter `servicenow`"),
        "{}",
        stderr(&out)
    );

    // Several files without an adapter.
    let out = run(
        &records(),
        &[
            "check",
            "--policy",
            "policy.gate",
            "--graph",
            "a.json",
            "b.json",
            "--change",
            "c.json",
            "--format",
            "text",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("`--graph` takes one JSON file"),
        "{}",
        stderr(&out)
    );

    // The flags of an adapter need it.
    let out = run(
        &records(),
        &[
            "check",
            "--policy",
            "policy.gate",
            "--graph",
            "g.json",
            "--change",
            "c.json",
            "--approvals",
            "a.json",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("--change-from"), "{}", stderr(&out));
    let out = run(
        &records(),
        &[
            "check",
            "--policy",
            "policy.gate",
            "--graph",
            "g.json",
            "--change",
            "c.json",
            "--backups",
            "a.json",
        ],
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("--backups-from"), "{}", stderr(&out));

    // With a plain graph file, the backups map onto it, and an error in it
    // names that file.
    let velero = repo().join("core/tests/import/velero");
    let out = run(
        &velero,
        &[
            "check",
            "--policy",
            "../../../../bindings/cli/tests/fixtures/records/policy.gate",
            "--graph",
            "error-graph-backup-id-not-a-string/graph.json",
            "--change",
            "../../../../policies/examples/demo/change.json",
            "--backups-from",
            "velero",
            "--backups",
            "worked-example/backups.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let err = json(&stderr(&out));
    assert!(
        err["error"]["path"]
            .as_str()
            .unwrap()
            .starts_with("error-graph-backup-id-not-a-string/graph.json"),
        "{err}"
    );
}
