//! The SQLite store: the chain, verification, and each kind of tampering
//! found at the first bad record; concurrent appenders keep one chain.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use changegate_log::{Check, Error, GENESIS, Log, Range, hash};
use rusqlite::Connection;

mod common;
use common::{TempDir, entry};

/// A log of `n` records, appended in batches of up to 3.
fn log_of(dir: &TempDir, n: u32) -> (String, Log) {
    let url = dir.file("log.sqlite");
    let log = Log::open(&url).unwrap();
    let entries: Vec<_> = (1..=n).map(entry).collect();
    for batch in entries.chunks(3) {
        log.append(batch).unwrap();
    }
    (url, log)
}

/// A raw connection to the file, with the append-only triggers dropped, as
/// someone with write access to the file could.
fn tamper(url: &str, sql: &str) {
    let conn = Connection::open(url).unwrap();
    conn.execute_batch(
        "DROP TRIGGER changegate_log_no_update; DROP TRIGGER changegate_log_no_delete;",
    )
    .unwrap();
    conn.execute_batch(sql).unwrap();
}

fn first_break(log: &Log) -> changegate_log::Break {
    log.verify(&mut |_| {})
        .unwrap()
        .first_break
        .expect("a break")
}

#[test]
fn appends_chain_each_record_to_the_one_before() {
    let dir = TempDir::new("chain");
    let log = Log::open(&dir.file("log.sqlite")).unwrap();
    assert_eq!(log.head().unwrap(), None);
    let receipts = log.append(&[entry(1), entry(2)]).unwrap();
    let more = log.append(&[entry(3)]).unwrap();
    assert_eq!(
        receipts
            .iter()
            .chain(&more)
            .map(|r| r.seq)
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(receipts[0].hash, hash(1, GENESIS, &entry(1)));
    assert_eq!(receipts[1].hash, hash(2, &receipts[0].hash, &entry(2)));
    assert_eq!(more[0].hash, hash(3, &receipts[1].hash, &entry(3)));
    assert_eq!(log.head().unwrap(), Some(more[0].clone()));
    let mut calls = Vec::new();
    let v = log.verify(&mut |p| calls.push((p.done, p.total))).unwrap();
    assert_eq!(v.first_break, None);
    assert_eq!(v.records, 3);
    assert_eq!(v.head, Some(more[0].clone()));
    assert_eq!(calls, [(1, 3), (2, 3), (3, 3)]);
    // Reopened, the log goes on from its head.
    drop(log);
    let log = Log::open_existing(&dir.file("log.sqlite")).unwrap();
    assert_eq!(log.append(&[entry(4)]).unwrap()[0].seq, 4);
    assert_eq!(log.history("CHG-2").unwrap()[0].entry, entry(2));
}

#[test]
fn the_file_is_in_wal_mode_and_refuses_updates_and_deletes() {
    let dir = TempDir::new("append-only");
    let (url, _log) = log_of(&dir, 2);
    let conn = Connection::open(&url).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    for sql in [
        "UPDATE changegate_log SET outcome = 'approved' WHERE seq = 1",
        "DELETE FROM changegate_log WHERE seq = 2",
        "UPDATE changegate_log_meta SET value = '2'",
    ] {
        let e = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
}

#[test]
fn a_changed_field_is_found_by_its_hash() {
    let dir = TempDir::new("edit");
    let (url, log) = log_of(&dir, 5);
    tamper(
        &url,
        "UPDATE changegate_log SET outcome = 'approved', decision = replace(decision, 'approved', 'approved ') WHERE seq = 3",
    );
    let b = first_break(&log);
    assert_eq!(
        (b.seq, b.check, b.change_id.as_deref()),
        (3, Check::Hash, Some("CHG-3"))
    );
    assert!(
        b.to_string()
            .starts_with("record 3 (change `CHG-3`) was changed"),
        "{b}"
    );
}

#[test]
fn a_deleted_record_breaks_the_sequence() {
    let dir = TempDir::new("delete");
    let (url, log) = log_of(&dir, 5);
    tamper(&url, "DELETE FROM changegate_log WHERE seq = 3");
    let b = first_break(&log);
    assert_eq!((b.seq, b.check), (4, Check::Sequence));
    assert_eq!((b.expected.as_str(), b.found.as_str()), ("3", "4"));
}

#[test]
fn a_deleted_and_renumbered_record_breaks_the_prev_link() {
    let dir = TempDir::new("renumber");
    let (url, log) = log_of(&dir, 5);
    tamper(
        &url,
        "DELETE FROM changegate_log WHERE seq = 3; UPDATE changegate_log SET seq = seq - 1 WHERE seq > 3",
    );
    let b = first_break(&log);
    assert_eq!(
        (b.seq, b.check, b.change_id.as_deref()),
        (3, Check::Prev, Some("CHG-4"))
    );
}

#[test]
fn reordered_records_break_the_prev_link() {
    let dir = TempDir::new("reorder");
    let (url, log) = log_of(&dir, 5);
    tamper(
        &url,
        "UPDATE changegate_log SET seq = 100 WHERE seq = 2; UPDATE changegate_log SET seq = 2 WHERE seq = 3; UPDATE changegate_log SET seq = 3 WHERE seq = 100",
    );
    let b = first_break(&log);
    assert_eq!(
        (b.seq, b.check, b.change_id.as_deref()),
        (2, Check::Prev, Some("CHG-3"))
    );
}

#[test]
fn a_truncated_last_record_is_found() {
    let dir = TempDir::new("truncate");
    let (url, log) = log_of(&dir, 4);
    tamper(
        &url,
        "UPDATE changegate_log SET decision = substr(decision, 1, 12) WHERE seq = 4",
    );
    let b = first_break(&log);
    assert_eq!((b.seq, b.check), (4, Check::Hash));
    let v = log.verify(&mut |_| {}).unwrap();
    assert_eq!(v.head.unwrap().seq, 3, "the last intact record");
}

#[test]
fn a_field_of_the_wrong_type_is_named_and_nothing_panics() {
    let dir = TempDir::new("corrupt");
    let (url, log) = log_of(&dir, 4);
    tamper(
        &url,
        "UPDATE changegate_log SET decision = X'FF00' WHERE seq = 2; UPDATE changegate_log SET at = 'yesterday' WHERE seq = 3",
    );
    let b = first_break(&log);
    assert_eq!(
        (b.seq, b.check, b.expected.as_str()),
        (2, Check::Field, "decision")
    );
    assert!(
        b.to_string()
            .contains("unreadable field `decision`: it is a blob of 2 bytes"),
        "{b}"
    );
    // Reads that meet the row fail with an error naming it.
    let mut out = Vec::new();
    let e = log.export(Range::ALL, &mut out, &mut |_| {}).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Corrupt {
                seq: 2,
                field: "decision",
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        e.to_string(),
        "record 2: field `decision` is unreadable: it is a blob of 2 bytes"
    );
    let e = log.history("CHG-3").unwrap_err();
    assert!(
        e.to_string()
            .starts_with("record 3: field `at` is unreadable: `yesterday`"),
        "{e}"
    );
    assert!(e.help().is_some());
}

#[test]
fn a_field_that_is_not_json_is_stored_as_given_and_hashed() {
    // A change as received may be anything; it is hashed like any text.
    let dir = TempDir::new("bad-json");
    let log = Log::open(&dir.file("log.sqlite")).unwrap();
    let mut e = entry(1);
    e.change = "{\"id\": \"CHG-1\", ".to_owned();
    e.outcome = "error".to_owned();
    log.append(&[e.clone()]).unwrap();
    assert_eq!(log.history("CHG-1").unwrap()[0].entry, e);
    assert_eq!(log.verify(&mut |_| {}).unwrap().first_break, None);
}

#[test]
fn entries_the_log_cannot_store_are_refused_and_none_of_the_batch_is_stored() {
    let dir = TempDir::new("refuse");
    let log = Log::open(&dir.file("log.sqlite")).unwrap();
    let mut bad = entry(2);
    bad.caller = "a\0b".to_owned();
    let e = log.append(&[entry(1), bad]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "entry 1 of the batch: field `caller` contains a NUL character, which the log cannot store"
    );
    assert_eq!(log.head().unwrap(), None);
}

#[test]
fn readers_do_not_create_a_log() {
    let dir = TempDir::new("missing");
    let e = Log::open_existing(&dir.file("nope.sqlite")).unwrap_err();
    assert!(matches!(e, Error::Missing { .. }), "{e}");
    assert!(!dir.path().join("nope.sqlite").exists());
    std::fs::write(dir.path().join("other.sqlite"), b"").unwrap();
    let e = Log::open_existing(&dir.file("other.sqlite")).unwrap_err();
    assert!(
        e.to_string().contains("not a changegate decision log"),
        "{e}"
    );
    std::fs::write(dir.path().join("garbage.sqlite"), [0x42u8; 4096]).unwrap();
    for open in [Log::open, Log::open_existing] {
        let e = open(&dir.file("garbage.sqlite")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "the sqlite store failed to open: file is not a database"
        );
    }
    let e = Log::open("mysql://x/y").unwrap_err();
    assert_eq!(
        e.to_string(),
        "`mysql://x/y` is not a decision log location: `mysql://` is not a store changegate knows"
    );
}

#[test]
fn concurrent_appenders_keep_one_chain() {
    let dir = TempDir::new("threads");
    let url = dir.file("log.sqlite");
    Log::open(&url).unwrap();
    let shared = Log::open(&url).unwrap();
    let seqs: Vec<u64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4u32)
            .map(|t| {
                let (url, shared) = (&url, &shared);
                s.spawn(move || {
                    // Two threads with a connection of their own, two sharing one.
                    let own = (t % 2 == 0).then(|| Log::open(url).unwrap());
                    let log = own.as_ref().unwrap_or(shared);
                    let mut seqs = Vec::new();
                    for i in 0..20 {
                        let n = t * 100 + i;
                        for r in log.append(&[entry(n), entry(n + 50)]).unwrap() {
                            seqs.push(r.seq);
                        }
                    }
                    seqs
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let mut sorted = seqs.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=160).collect::<Vec<u64>>());
    let v = shared.verify(&mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (160, None));
}

#[test]
fn an_export_is_deterministic_and_verifies_on_its_own() {
    let dir = TempDir::new("export");
    let (_url, log) = log_of(&dir, 6);
    let range = Range {
        from: Some("2026-06-10T10:00:03Z".parse().unwrap()),
        to: Some("2026-06-10T10:00:06Z".parse().unwrap()),
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    assert_eq!(log.export(range, &mut a, &mut |_| {}).unwrap(), 3);
    log.export(range, &mut b, &mut |_| {}).unwrap();
    assert_eq!(a, b);
    let text = String::from_utf8(a).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(r#"{"seq":3,"at":"2026-06-10T10:00:03.000000000Z","caller":"caller-0","change_id":"CHG-3","change":"{\"id\": \"CHG-3\", \"type\": \"standard\"}","decision":"{\n  \"change\""#), "{first}");
    let v = changegate_log::verify_export(text.as_bytes(), &[], &mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (3, None));
    let tampered = text.replacen("caller-0", "caller-9", 1);
    let v = changegate_log::verify_export(tampered.as_bytes(), &[], &mut |_| {}).unwrap();
    assert_eq!(
        v.first_break.map(|b| (b.seq, b.check)),
        Some((3, Check::Hash))
    );
}

/// Appends of the second process of `two_processes_keep_one_chain`, never
/// on its own.
#[test]
#[ignore = "run by two_processes_keep_one_chain as a second process"]
fn appender_process() {
    let url = std::env::var("CHANGEGATE_LOG_TEST_URL").expect("the log's path");
    let log = Log::open(&url).unwrap();
    for i in 0..40 {
        log.append(&[entry(1000 + i), entry(2000 + i)]).unwrap();
    }
}

#[test]
fn two_processes_keep_one_chain() {
    let dir = TempDir::new("processes");
    let url = dir.file("log.sqlite");
    let log = Log::open(&url).unwrap();
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "appender_process", "--ignored", "--quiet"])
        .env("CHANGEGATE_LOG_TEST_URL", &url)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    for i in 0..40 {
        log.append(&[entry(i), entry(500 + i)]).unwrap();
    }
    assert!(
        child.wait_with_output().unwrap().status.success(),
        "the second process failed"
    );
    let v = log.verify(&mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (160, None));
    assert_eq!(log.head().unwrap().unwrap().seq, 160);
}

#[test]
fn receipts_kept_elsewhere_find_records_cut_from_the_end() {
    let dir = TempDir::new("receipts");
    let (url, log) = log_of(&dir, 5);
    let receipts = log.verify(&mut |_| {}).unwrap();
    let head = receipts.head.unwrap();
    let v = log
        .verify_with(std::slice::from_ref(&head), &mut |_| {})
        .unwrap();
    assert_eq!(v.first_break, None);
    // The last two records cut: the chain alone is intact, the receipt is not.
    tamper(&url, "DELETE FROM changegate_log WHERE seq > 3");
    assert_eq!(log.verify(&mut |_| {}).unwrap().first_break, None);
    let b = log
        .verify_with(std::slice::from_ref(&head), &mut |_| {})
        .unwrap()
        .first_break
        .unwrap();
    assert_eq!((b.seq, b.check), (5, Check::Receipt));
    assert_eq!(
        b.to_string(),
        "record 5 is missing: a receipt names it, but the log ends before it (records were cut from its end)"
    );
    // A whole chain recomputed after a change: it verifies, its receipts do not.
    let rewritten = TempDir::new("receipts-rewritten");
    let other = Log::open(&rewritten.file("log.sqlite")).unwrap();
    let mut entries: Vec<_> = (1..=5).map(entry).collect();
    entries[1].outcome = "denied".to_owned();
    other.append(&entries).unwrap();
    assert_eq!(other.verify(&mut |_| {}).unwrap().first_break, None);
    let b = other
        .verify_with(&[head], &mut |_| {})
        .unwrap()
        .first_break
        .unwrap();
    assert_eq!((b.seq, b.check), (5, Check::Receipt));
    assert!(
        b.to_string()
            .starts_with("record 5 (change `CHG-5`) does not match its receipt"),
        "{b}"
    );
}

#[test]
fn replay_reports_a_change_it_cannot_decide_and_never_panics() {
    use changegate::Limits;
    use changegate::api;
    let limits = Limits::default();
    let policy = api::compile(
        vec![changegate::Source {
            name: "p.gate".to_owned(),
            text: "rule cab {\n  when change.type == \"normal\"\n  require approval \"cab\"\n}\n"
                .to_owned(),
        }],
        &limits,
    )
    .unwrap();
    let graph = api::load_graph(r#"{"nodes": [{"id": "api"}]}"#, &limits).unwrap();
    let dir = TempDir::new("replay");
    let log = Log::open(&dir.file("log.sqlite")).unwrap();
    let change = r#"{"id": "CHG-1", "type": "normal", "targets": ["api"], "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T11:00:00Z", "requested_by": "a"}"#;
    let decided = api::evaluate_json(&policy, change, &graph).unwrap();
    let mut same = entry(1);
    same.change = change.to_owned();
    same.decision = decided.clone();
    same.outcome = "pending".to_owned();
    let mut broken_change = entry(2);
    broken_change.change = "{\"id\": ".to_owned();
    broken_change.outcome = "pending".to_owned();
    let mut broken_decision = same.clone();
    broken_decision.change_id = Some("CHG-3".to_owned());
    broken_decision.decision = "not json".to_owned();
    broken_decision.outcome = "approved".to_owned();
    log.append(&[same, broken_change, broken_decision]).unwrap();
    let r = changegate_log::replay(&log, &policy, &graph, Range::ALL, &mut |_| {}).unwrap();
    assert_eq!((r.replayed, r.same, r.different.len()), (3, 1, 2));
    let d = &r.different[0];
    assert_eq!(
        (d.seq, d.old_outcome.as_str(), d.new_outcome.as_str()),
        (2, "pending", "error")
    );
    assert!(
        d.error.as_deref().unwrap().contains("change"),
        "{:?}",
        d.error
    );
    let d = &r.different[1];
    assert_eq!((d.seq, d.new_outcome.as_str()), (3, "pending"));
    assert_eq!(d.now_unmet, ["approval cab"]);
    assert_eq!(
        d.error.as_deref(),
        Some("the logged decision is not JSON; its requirements are not compared")
    );
}
