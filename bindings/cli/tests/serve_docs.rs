//! The worked example of docs/serve.md, run as written: it starts
//! `changegate serve`, asks it with curl, and must print what the page
//! says it prints.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "test helpers: a failure should stop the test"
)]

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The text between the first `start` and the next `end`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let rest = text.get(text.find(start)? + start.len()..)?;
    rest.get(..rest.find(end)?)
}

/// `text` with each time (`2026-…Z`) and each SHA-256 hex hash made
/// `TIME` and `HASH`: they differ from run to run.
fn mask(text: &str) -> String {
    let word = |w: &str| {
        let b = w.as_bytes();
        if b.len() == 64 && b.iter().all(u8::is_ascii_hexdigit) {
            "HASH".to_owned()
        } else if b.len() > 20 && b[4] == b'-' && b[10] == b'T' && w.ends_with('Z') {
            "TIME".to_owned()
        } else {
            w.to_owned()
        }
    };
    text.split('\n')
        .map(|line| line.split(' ').map(word).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn worked_example_runs_as_documented() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let doc = std::fs::read_to_string(repo.join("docs/serve.md")).unwrap();
    let section = doc.split("## A worked example").nth(1).unwrap();
    let script = between(section, "```sh\n", "\n```").unwrap();
    let expected = between(
        section,
        "prints (with the time and hashes of your run)\n\n```text\n",
        "```",
    )
    .unwrap();

    // A fresh folder with the examples: the service writes its decision log
    // there, and `changegate log` reads it from there.
    let work =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve-docs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    copy_dir(&repo.join("docs/examples"), &work.join("docs/examples"));

    // A free port, and a log file of this run's own.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("serve-docs-{}.log", std::process::id()));
    let script = script
        .replace("8080", &port.to_string())
        .replace("serve.log", &log.display().to_string());
    let bin = Path::new(env!("CARGO_BIN_EXE_changegate"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut child = Command::new("bash")
        .args(["-eu", "-c", &script])
        .current_dir(&work)
        .env("PATH", path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the example did not finish within 60 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert!(status.success(), "the example failed ({status}):\n{out}");
    assert_eq!(mask(&out), mask(expected));
    assert!(work.join("changegate-log.sqlite").exists());
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.contains(r#""route":"/v1/evaluate""#), "{log}");
    // SIGTERM (`kill %1`) shut it down gracefully.
    assert!(log.contains(r#""message":"stopped""#), "{log}");
}

/// `changegate serve` refuses a non-loopback address without tokens, as
/// an error (exit 1) that names the flag to add.
#[test]
fn serve_refuses_to_listen_beyond_loopback_without_tokens() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let had_log = repo.join("changegate-log.sqlite").exists();
    let out = Command::new(env!("CARGO_BIN_EXE_changegate"))
        .args([
            "serve",
            "--policy",
            "docs/examples/testing/change-control.gate",
            "--graph",
            "docs/examples/testing/graph.json",
            "--listen",
            "0.0.0.0:0",
            "--color",
            "never",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("refusing to listen on `0.0.0.0:0` without authentication"),
        "{stderr}"
    );
    assert!(stderr.contains("--tokens"), "{stderr}");

    // A policy that does not compile: core's diagnostics, exit 1.
    let out = Command::new(env!("CARGO_BIN_EXE_changegate"))
        .args([
            "serve",
            "--policy",
            "README.md",
            "--graph",
            "docs/examples/testing/graph.json",
            "--color",
            "never",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // Neither refused start left a decision log behind.
    assert_eq!(repo.join("changegate-log.sqlite").exists(), had_log);

    // A log location it does not know: an error naming the log and the way
    // out, exit 1.
    let out = Command::new(env!("CARGO_BIN_EXE_changegate"))
        .args([
            "serve",
            "--policy",
            "docs/examples/testing/change-control.gate",
            "--graph",
            "docs/examples/testing/graph.json",
            "--listen",
            "127.0.0.1:0",
            "--log",
            "mysql://db/log",
            "--color",
            "never",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cannot open the decision log") && stderr.contains("`mysql://`"),
        "{stderr}"
    );
    assert!(stderr.contains("--no-log"), "{stderr}");
}

/// `changegate serve --hash-token NAME` prints the tokens-file line for the
/// token on standard input.
#[test]
fn hash_token_prints_a_tokens_file_line() {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_changegate"))
        .args(["serve", "--hash-token", "itsm"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"0123456789abcdef0123456789abcdef\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    // SHA-256 of the token without its final newline (as `printf %s TOKEN | sha256sum` gives it).
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "itsm sha256:3eb1bd439947eb762998e566ccc2e099c791118b2f40579cc4f7da2b5061b7f9\n"
    );
}
