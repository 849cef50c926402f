//! `changegate serve` and its decision log under faults, with the real
//! binary as a child process on loopback: killed with SIGKILL while
//! clients are answered, a log on a full file system, a PostgreSQL log
//! whose server stops. Whatever happens, a decision a client received is
//! on record, and the chain verifies.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use changegate_testkit::postgres::Postgres;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh folder of this run's own.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-faults-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn change(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "type": "normal", "targets": ["orders-db"],
 "start": "2026-06-10T10:00:00Z", "end": "2026-06-10T11:00:00Z",
 "requested_by": "alice", "approvals": [{{"group": "cab", "by": "bob"}}]}}"#
    )
}

/// A `changegate serve` child process; killed when dropped.
struct Service {
    child: Child,
    port: u16,
}

impl Service {
    /// Starts the service on a free port with the decision log at `log`,
    /// and waits until it answers.
    fn start(dir: &Path, log: &str) -> Service {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let examples = repo().join("docs/examples/testing");
        let child = Command::new(env!("CARGO_BIN_EXE_changegate"))
            .arg("serve")
            .arg("--policy")
            .arg(examples.join("change-control.gate"))
            .arg("--graph")
            .arg(examples.join("graph.json"))
            .args(["--listen", &format!("127.0.0.1:{port}"), "--no-watch"])
            .args(["--log", log])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut service = Service { child, port };
        let started = Instant::now();
        while request(port, "GET", "/healthz", "").is_none_or(|(s, _)| s != 200) {
            if let Some(status) = service.child.try_wait().unwrap() {
                panic!("changegate serve exited at start: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "changegate serve did not answer within 30 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        service
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        request(self.port, "POST", path, body).expect("the service answers")
    }

    fn get(&self, path: &str) -> (u16, String) {
        request(self.port, "GET", path, "").expect("the service answers")
    }

    /// SIGKILL: no shutdown, no flush.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request on its own connection: the status and the body,
/// or `None` when the connection fails.
fn request(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    Some((status, body.to_owned()))
}

/// The decisions the log holds for `id`, through the service.
fn history(service: &Service, id: &str) -> Vec<String> {
    let (status, body) = service.get(&format!("/v1/decisions?change={id}"));
    assert_eq!(status, 200, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    json["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["decision"].as_str().unwrap().to_owned())
        .collect()
}

/// `changegate log verify` on the log: the records it counted.
fn verify(dir: &Path, log: &str) -> u64 {
    let out = Command::new(env!("CARGO_BIN_EXE_changegate"))
        .args(["log", "verify", "--log", log, "--format", "json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the chain does not verify: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(json["first_break"].is_null(), "{stdout}");
    json["records"].as_u64().unwrap()
}

/// Killed with SIGKILL while four clients are being answered, then started
/// again on the same log: every decision a client received is in the log,
/// byte for byte, and the chain verifies.
#[test]
fn a_killed_service_loses_no_answered_decision() {
    let dir = scratch("kill");
    let log = "decisions.sqlite";
    let service = Service::start(&dir, log);
    let port = service.port;
    let stop = Arc::new(AtomicBool::new(false));
    let received = Arc::new(Mutex::new(Vec::<(String, String)>::new()));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (stop, received) = (Arc::clone(&stop), Arc::clone(&received));
            std::thread::spawn(move || {
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let id = format!("CHG-{c}-{n}");
                    if let Some((200, body)) = request(port, "POST", "/v1/evaluate", &change(&id)) {
                        received.lock().unwrap().push((id, body));
                    }
                }
            })
        })
        .collect();
    // Until a good number of decisions were answered, then some more in flight.
    let started = Instant::now();
    while received.lock().unwrap().len() < 200 && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    service.kill();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let received = received.lock().unwrap().clone();
    assert!(received.len() >= 50, "only {} answers", received.len());

    let records = verify(&dir, log);
    assert!(records >= received.len() as u64);
    let service = Service::start(&dir, log);
    for (id, decision) in &received {
        assert!(
            history(&service, id).contains(decision),
            "`{id}` was answered but is not on record"
        );
    }
    // The restarted service appends to the same chain.
    let (status, _) = service.post("/v1/evaluate", &change("CHG-after"));
    assert_eq!(status, 200);
    drop(service);
    assert_eq!(verify(&dir, log), records + 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tmpfs of `size`, unmounted when dropped; `None` where mounting is not
/// permitted.
struct Mount(PathBuf);

impl Mount {
    fn new(at: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(at.to_owned()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system of `dir` until it is full.
fn fill(path: &Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    while file.write_all(&block[..1]).is_ok() {}
    let _ = file.sync_all();
}

/// The log on a file system that fills up: the service answers 503 with
/// the reason, never a decision that is not on record, and decides again
/// once there is space.
#[test]
fn a_full_disk_refuses_decisions_until_there_is_space() {
    let dir = scratch("full");
    let Some(mount) = Mount::new(&dir.join("small"), "1m") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "cannot mount a tmpfs (`mount -t tmpfs` needs root): the full-disk test needs one"
        );
        eprintln!("note: cannot mount a tmpfs here; the full-disk case is not tested");
        return;
    };
    let log = "small/decisions.sqlite";
    let service = Service::start(&dir, log);
    let (status, _) = service.post("/v1/evaluate", &change("CHG-before"));
    assert_eq!(status, 200);

    fill(&dir.join("small/filler"));
    let mut answered = Vec::new();
    let mut refusal = None;
    for n in 0..500 {
        let id = format!("CHG-full-{n}");
        match service.post("/v1/evaluate", &change(&id)) {
            (200, body) => answered.push((id, body)),
            (503, body) => {
                refusal = Some(body);
                break;
            }
            (status, body) => panic!("{status}: {body}"),
        }
    }
    let refusal = refusal.expect("a full disk refused no decision");
    let json: Value = serde_json::from_str(&refusal).unwrap();
    assert_eq!(json["error"]["kind"], "unavailable", "{refusal}");
    let message = json["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("decision log") && message.contains("full"),
        "{message}"
    );
    assert!(json["error"]["help"].is_string(), "{refusal}");
    assert!(!refusal.contains("outcome"), "{refusal}");
    for (id, decision) in &answered {
        assert!(history(&service, id).contains(decision), "`{id}`");
    }
    assert!(history(&service, "CHG-full-refused").is_empty());

    // Space again: decisions again, on the same chain.
    std::fs::remove_file(dir.join("small/filler")).unwrap();
    let (status, body) = service.post("/v1/evaluate", &change("CHG-after"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(history(&service, "CHG-after"), [body]);
    drop(service);
    assert_eq!(verify(&dir, log), 2 + answered.len() as u64);
    drop(mount);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The log in PostgreSQL, whose server stops: 503 with the reason, no
/// decision; when it is back, the service reconnects and decides again.
#[test]
fn a_stopped_postgresql_log_refuses_decisions() {
    let Some(pg) = Postgres::start(scratch("pg")).unwrap() else {
        eprintln!("note: PostgreSQL is not installed; a stopped PostgreSQL log is not tested");
        return;
    };
    let dir = scratch("pg-service");
    let url = pg.url("postgres");
    let service = Service::start(&dir, &url);
    let (status, first) = service.post("/v1/evaluate", &change("CHG-1"));
    assert_eq!(status, 200);

    pg.pg_ctl("stop").unwrap();
    let (status, body) = service.post("/v1/evaluate", &change("CHG-2"));
    assert_eq!(status, 503, "{body}");
    let json: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"]["kind"], "unavailable", "{body}");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("decision log"),
        "{body}"
    );
    assert!(!body.contains("outcome"), "{body}");
    let (status, _) = service.get("/v1/decisions?change=CHG-1");
    assert_eq!(status, 503);

    pg.pg_ctl("start").unwrap();
    let (status, second) = service.post("/v1/evaluate", &change("CHG-2"));
    assert_eq!(status, 200, "{second}");
    assert_eq!(history(&service, "CHG-1"), [first]);
    assert_eq!(history(&service, "CHG-2"), [second]);
    drop(service);
    assert_eq!(verify(&dir, &url), 2);
    let _ = std::fs::remove_dir_all(&dir);
}
