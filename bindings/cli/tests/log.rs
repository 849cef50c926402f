//! `changegate log`: docs/log.md's worked example runs as written, against
//! a log made as a service makes it (each change decided by core with the
//! example's earlier policy and appended); and the commands' exit codes,
//! JSON and errors, on intact and tampered logs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use std::path::{Path, PathBuf};

use changegate::Limits;
use changegate::api;
use changegate_log::{Entry, Log};
use serde_json::Value;
use sha2::{Digest as _, Sha256};

mod common;
use common::*;

/// The example's folder.
fn example() -> PathBuf {
    repo().join("docs/examples/log")
}

/// The decisions of the example: change file, caller, time.
const LOGGED: [(&str, &str, &str); 4] = [
    ("CHG-1.json", "deploy-bot", "2026-06-10T08:30:00Z"),
    ("CHG-2.json", "deploy-bot", "2026-06-10T16:05:00Z"),
    ("CHG-2-with-snapshot.json", "carol", "2026-06-11T08:10:00Z"),
    ("CHG-3.json", "pager", "2026-12-28T21:50:00Z"),
];

/// A copy of the example in a fresh folder, with `changegate-log.sqlite`
/// holding its decisions, decided with `then/`.
fn example_copy(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("changegate-log-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&example(), &dir);
    let limits = Limits::default();
    let policy = api::compile_paths(&dir, &[PathBuf::from("then")], &limits).unwrap();
    let graph_text = std::fs::read_to_string(dir.join("graph.json")).unwrap();
    let graph = api::load_graph(&graph_text, &limits).unwrap();
    let graph_digest = format!("sha256:{:x}", Sha256::digest(graph_text.as_bytes()));
    let log = Log::open(&dir.join("changegate-log.sqlite").display().to_string()).unwrap();
    for (file, caller, at) in LOGGED {
        let change = std::fs::read_to_string(dir.join("changes").join(file)).unwrap();
        let decision = api::evaluate(&policy, api::ChangeInput::Text(&change), &graph).unwrap();
        log.append(&[Entry {
            at: at.parse().unwrap(),
            caller: caller.to_owned(),
            change_id: Some(decision.change.to_string()),
            change: change.clone(),
            decision: decision.to_json(),
            outcome: decision.outcome.as_str().to_owned(),
            policy_digest: policy.digest().to_owned(),
            graph_digest: graph_digest.clone(),
            engine: decision.audit.engine.to_string(),
        }])
        .unwrap();
    }
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// The `$ changegate …` lines of the page's fenced blocks, each with the
/// lines after it in its block (its output: stderr, then stdout).
fn examples(page: &str) -> Vec<(usize, String, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    let mut current: Option<(usize, String, String)> = None;
    for (i, line) in page.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            out.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ changegate ") {
            out.extend(current.take());
            current = Some((i + 1, cmd.to_owned(), String::new()));
        } else if let Some((_, _, expected)) = &mut current {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    out
}

#[test]
fn the_pages_worked_example_runs_as_written() {
    let dir = example_copy("docs");
    let page = std::fs::read_to_string(repo().join("docs/log.md")).unwrap();
    let examples = examples(&page);
    assert!(examples.len() >= 5, "docs/log.md's examples were not found");
    let mut failures = Vec::new();
    for (line, command, expected) in examples {
        let args: Vec<&str> = command.split_whitespace().collect();
        let out = changegate(&dir)
            .args(&args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let got = format!("{}{}", stderr(&out), stdout(&out));
        if got.trim_end() != expected.trim_end() {
            failures.push(format!("docs/log.md:{line}: `changegate {command}` printed\n{got}--- the page shows\n{expected}"));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn verify_names_the_first_bad_record_and_exits_1() {
    let dir = example_copy("verify");
    let out = run(&dir, &["log", "verify", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["records"].as_u64(), v["head"]["seq"].as_u64()),
        (Some(4), Some(4))
    );
    assert!(v["first_break"].is_null());
    assert_eq!(stderr(&out), "", "no progress when the output is JSON");

    let db = dir.join("changegate-log.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let e = conn
        .execute(
            "UPDATE changegate_log SET outcome = 'approved' WHERE seq = 2",
            [],
        )
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    conn.execute_batch("DROP TRIGGER changegate_log_no_update; UPDATE changegate_log SET outcome = 'approved', decision = replace(decision, '\"pending\"', '\"approved\"') WHERE seq = 2").unwrap();
    drop(conn);
    let out = run(&dir, &["log", "verify", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["first_break"]["seq"], 2);
    assert_eq!(v["first_break"]["change_id"], "CHG-2");
    assert_eq!(v["first_break"]["check"], "hash");
    assert_eq!(v["head"]["seq"], 1);
    let out = run(&dir, &["log", "verify", "--format", "text"]);
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out)
            .starts_with("broken: record 2 (change `CHG-2`) was changed: its fields hash to `"),
        "{}",
        stdout(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exports_are_the_same_bytes_and_verify_on_their_own() {
    let dir = example_copy("export");
    let a = run(&dir, &["log", "export"]);
    let b = run(
        &dir,
        &[
            "log",
            "export",
            "--from",
            "2026-06-10",
            "--to",
            "2027-01-01",
        ],
    );
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(stdout(&a).lines().count(), 4);
    let june = run(
        &dir,
        &[
            "log",
            "export",
            "--from",
            "2026-06-10T12:00:00Z",
            "--to",
            "2026-07-01",
        ],
    );
    let seqs: Vec<u64> = stdout(&june)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["seq"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, [2, 3]);
    let out = run_with_stdin(
        &dir,
        &["log", "verify", "--export", "-", "--format", "json"],
        &stdout(&june),
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let tampered = stdout(&june).replace("\"caller\":\"carol\"", "\"caller\":\"mallory\"");
    let out = run_with_stdin(
        &dir,
        &["log", "verify", "--export", "-", "--format", "json"],
        &tampered,
    );
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (
            v["first_break"]["seq"].as_u64(),
            v["first_break"]["check"].as_str()
        ),
        (Some(3), Some("hash"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn show_and_replay_as_json() {
    let dir = example_copy("json");
    let out = run(&dir, &["log", "show", "CHG-2", "CHG-9", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let decisions = v[0]["decisions"].as_array().unwrap();
    assert_eq!(
        decisions
            .iter()
            .map(|d| d["seq"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [2, 3]
    );
    assert_eq!(decisions[1]["outcome"], "approved");
    assert_eq!(
        v[1],
        serde_json::json!({"change_id": "CHG-9", "decisions": []})
    );

    let out = run(
        &dir,
        &[
            "log",
            "replay",
            "--policy",
            "change-control.gate",
            "--graph",
            "graph.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["replayed"].as_u64(), v["same"].as_u64()),
        (Some(4), Some(2))
    );
    assert_eq!(v["different"][1]["old_outcome"], "approved");
    assert_eq!(v["different"][1]["new_outcome"], "pending");
    assert_eq!(
        v["different"][1]["now_unmet"],
        serde_json::json!(["approval dba"])
    );
    // The policy the decisions were made with: nothing differs.
    let out = run(
        &dir,
        &[
            "log",
            "replay",
            "--policy",
            "then",
            "--graph",
            "graph.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn errors_name_the_log_and_the_fix() {
    let dir = example_copy("errors");
    let out = run(
        &dir,
        &["log", "verify", "--log", "nope.sqlite", "--format", "text"],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        "error: no decision log at `nope.sqlite`\n  help: give the log with `--log PATH` or `--log postgres://…`; the service writes `changegate-log.sqlite` in its working directory by default\n"
    );
    assert!(
        !dir.join("nope.sqlite").exists(),
        "a reader never creates a log"
    );
    let out = run(&dir, &["log", "export", "--from", "last tuesday"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("error: `--from last tuesday` is not a time"),
        "{}",
        stderr(&out)
    );
    let out = run(
        &dir,
        &[
            "log",
            "show",
            "CHG-1",
            "--log",
            "graph.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["kind"], "store");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_receipt_finds_records_cut_from_the_end() {
    let dir = example_copy("receipt");
    let out = run(&dir, &["log", "verify", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let receipt = format!(
        "{}:{}",
        v["head"]["seq"],
        v["head"]["hash"].as_str().unwrap()
    );
    let out = run(
        &dir,
        &["log", "verify", "--receipt", &receipt, "--format", "text"],
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let conn = rusqlite::Connection::open(dir.join("changegate-log.sqlite")).unwrap();
    conn.execute_batch(
        "DROP TRIGGER changegate_log_no_delete; DELETE FROM changegate_log WHERE seq = 4",
    )
    .unwrap();
    drop(conn);
    let out = run(&dir, &["log", "verify", "--format", "text"]);
    assert_eq!(code(&out), 0, "the chain alone cannot tell");
    let out = run(
        &dir,
        &["log", "verify", "--receipt", &receipt, "--format", "text"],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        stdout(&out).lines().next().unwrap(),
        "broken: record 4 is missing: a receipt names it, but the log ends before it (records were cut from its end)"
    );
    let out = run(
        &dir,
        &["log", "verify", "--receipt", "4:abc", "--format", "text"],
    );
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).starts_with("error: `--receipt 4:abc` is not a receipt"),
        "{}",
        stderr(&out)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
