//! The PostgreSQL store against a real server: one server per run of this
//! file, started by `initdb` and `pg_ctl` in a temporary folder, listening
//! on a unix socket in that folder only (no TCP), and stopped when the test
//! ends, passed or failed. The cases run one after another on it.
//!
//! Without PostgreSQL's binaries the test fails when `CI=true` (the
//! Makefile installs Debian's `postgresql` package first) and is skipped
//! with a note otherwise.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use std::process::{Command, Stdio};

use changegate_testkit::postgres::Postgres;

use changegate_log::{Check, Log, Range, Receipt};

mod common;
use common::{TempDir, entry};

/// The run's server, and what the cases ask of it.
struct Server(Postgres);

impl Server {
    fn start() -> Option<Server> {
        let dir = std::env::temp_dir().join(format!("changegate-log-pg-{}", std::process::id()));
        match Postgres::start(dir) {
            Ok(Some(pg)) => Some(Server(pg)),
            Ok(None) => {
                eprintln!("note: PostgreSQL is not installed; the PostgreSQL store is not tested");
                None
            }
            Err(e) => panic!("{e}"),
        }
    }

    fn url(&self, db: &str) -> String {
        self.0.url(db)
    }

    fn create_database(&self, name: &str) {
        let mut admin = postgres::Client::connect(&self.url("postgres"), postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
    }

    fn sql(&self, db: &str, sql: &str) -> Result<(), postgres::Error> {
        let mut c = postgres::Client::connect(&self.url(db), postgres::NoTls).unwrap();
        c.batch_execute(sql)
    }
}

/// Appends of the child process (run by `two_processes_keep_one_chain`),
/// never on its own.
#[test]
#[ignore = "run by the PostgreSQL test as a second process"]
fn appender_process() {
    let url = std::env::var("CHANGEGATE_LOG_TEST_URL").expect("the URL of the log");
    let log = Log::open(&url).unwrap();
    for i in 0..30 {
        log.append(&[entry(1000 + i), entry(2000 + i)]).unwrap();
    }
}

#[test]
fn the_postgresql_store() {
    let Some(server) = Server::start() else {
        return;
    };
    type Case = (&'static str, fn(&Server));
    let cases: [Case; 5] = [
        ("a closed connection is opened again", reconnects),
        (
            "chain, history, export and append-only",
            chain_and_append_only,
        ),
        ("tampering is found", tampering_is_found),
        (
            "connections of one process keep one chain",
            connections_keep_one_chain,
        ),
        ("two processes keep one chain", two_processes_keep_one_chain),
    ];
    let mut failed = Vec::new();
    for (name, case) in cases {
        if std::panic::catch_unwind(|| case(&server)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "failed: {failed:?}");
}

fn chain_and_append_only(server: &Server) {
    server.create_database("chain");
    let url = server.url("chain");
    let e = Log::open_existing(&url).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the postgresql store failed to open: the database holds no changegate decision log"
    );
    let log = Log::open(&url).unwrap();
    assert_eq!(log.head().unwrap(), None);
    let r = log.append(&[entry(1), entry(2), entry(3)]).unwrap();
    assert_eq!(r.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    let again = Log::open_existing(&url).unwrap();
    assert_eq!(again.append(&[entry(4)]).unwrap()[0].seq, 4);
    assert_eq!(log.head().unwrap().unwrap().seq, 4);
    assert_eq!(log.history("CHG-2").unwrap()[0].entry, entry(2));
    let v = log.verify(&mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (4, None));

    // The same entries give the same records, and so the same export, in
    // either store.
    let dir = TempDir::new("pg-same");
    let lite = Log::open(&dir.file("log.sqlite")).unwrap();
    lite.append(&[entry(1), entry(2), entry(3)]).unwrap();
    lite.append(&[entry(4)]).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    log.export(Range::ALL, &mut a, &mut |_| {}).unwrap();
    lite.export(Range::ALL, &mut b, &mut |_| {}).unwrap();
    assert_eq!(String::from_utf8(a).unwrap(), String::from_utf8(b).unwrap());

    for sql in [
        "UPDATE changegate_log SET outcome = 'denied' WHERE seq = 1",
        "DELETE FROM changegate_log WHERE seq = 4",
        "TRUNCATE changegate_log",
    ] {
        let e = server.sql("chain", sql).unwrap_err();
        let message = e.as_db_error().unwrap().message().to_owned();
        assert!(
            message.starts_with("the decision log is append-only"),
            "{sql}: {message}"
        );
    }
}

fn tampering_is_found(server: &Server) {
    server.create_database("tamper");
    let url = server.url("tamper");
    let log = Log::open(&url).unwrap();
    log.append(&(1..=5).map(entry).collect::<Vec<_>>()).unwrap();
    server
        .sql(
            "tamper",
            "ALTER TABLE changegate_log DISABLE TRIGGER changegate_log_no_change; \
                        UPDATE changegate_log SET caller = 'someone-else' WHERE seq = 4",
        )
        .unwrap();
    let b = log.verify(&mut |_| {}).unwrap().first_break.unwrap();
    assert_eq!(
        (b.seq, b.check, b.change_id.as_deref()),
        (4, Check::Hash, Some("CHG-4"))
    );
    server
        .sql("tamper", "DELETE FROM changegate_log WHERE seq = 2")
        .unwrap();
    let b = log.verify(&mut |_| {}).unwrap().first_break.unwrap();
    assert_eq!((b.seq, b.check), (3, Check::Sequence));
}

fn check_one_chain(log: &Log, receipts: &[Receipt], n: u64) {
    let mut seqs: Vec<u64> = receipts.iter().map(|r| r.seq).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>());
    let v = log.verify(&mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (n, None));
}

fn connections_keep_one_chain(server: &Server) {
    server.create_database("threads");
    let url = server.url("threads");
    // The first opens race to create the tables.
    let receipts: Vec<Receipt> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4u32)
            .map(|t| {
                let url = &url;
                s.spawn(move || {
                    let log = Log::open(url).unwrap();
                    (0..15)
                        .flat_map(|i| {
                            log.append(&[entry(t * 100 + i), entry(t * 100 + 50 + i)])
                                .unwrap()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    check_one_chain(&Log::open_existing(&url).unwrap(), &receipts, 120);
}

fn two_processes_keep_one_chain(server: &Server) {
    server.create_database("processes");
    let url = server.url("processes");
    let log = Log::open(&url).unwrap();
    let exe = std::env::current_exe().unwrap();
    let child = Command::new(&exe)
        .args(["--exact", "appender_process", "--ignored", "--quiet"])
        .env("CHANGEGATE_LOG_TEST_URL", &url)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut receipts = Vec::new();
    for i in 0..30 {
        receipts.extend(log.append(&[entry(i), entry(500 + i)]).unwrap());
    }
    let status = child.wait_with_output().unwrap().status;
    assert!(status.success(), "the second process failed");
    let mut all = receipts;
    // The child's receipts are the seqs this process did not get.
    let mine: std::collections::BTreeSet<u64> = all.iter().map(|r| r.seq).collect();
    all.extend((1..=120).filter(|s| !mine.contains(s)).map(|seq| Receipt {
        seq,
        hash: String::new(),
    }));
    check_one_chain(&log, &all, 120);
}

fn reconnects(server: &Server) {
    server.create_database("reconnect");
    let url = server.url("reconnect");
    let log = Log::open(&url).unwrap();
    log.append(&[entry(1)]).unwrap();
    // The server ends every other session of the database, as a restart would.
    server
        .sql("reconnect", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'reconnect' AND pid <> pg_backend_pid()")
        .unwrap();
    // The call that meets the closed connection fails; the next reconnects.
    let first = log.append(&[entry(2)]);
    let receipts = match first {
        Ok(r) => r,
        Err(e) => {
            assert!(
                e.to_string()
                    .starts_with("the postgresql store failed to append"),
                "{e}"
            );
            log.append(&[entry(2)]).unwrap()
        }
    };
    assert_eq!(receipts[0].seq, 2);
    let v = log.verify(&mut |_| {}).unwrap();
    assert_eq!((v.records, v.first_break), (2, None));
}
