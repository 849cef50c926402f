//! `changegate lsp` through the binary: each folder of `tests/lsp/` is a
//! scripted session. Its `session.json` lists the messages to send
//! (`send`), in order, and what the server must answer: every message it
//! writes, in order (`expect`), and its exit code (`exit_code`). The
//! folder's other files are the policies and graphs the session opens.
//!
//! In `send`, `"jsonrpc": "2.0"` is added where missing; `${dir}` stands
//! for the folder's `file:` URI (and its path, in what the server writes);
//! a string `"${file:NAME}"` is the text of the folder's file NAME; a
//! message that is a string is sent as it is, framed, to test what a
//! broken client does. `CHANGEGATE_BLESS=1` rewrites `expect` and
//! `exit_code` with what the server did.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

mod common;
use common::*;

/// How long a session may take before it counts as hung.
const TIMEOUT: Duration = Duration::from_secs(60);

fn cases() -> Vec<PathBuf> {
    let root = repo().join("bindings/cli/tests/lsp");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("session.json").is_file())
        .collect();
    out.sort();
    out
}

/// `value` with the placeholders of `send` filled in.
fn fill(value: &Value, dir: &Path, dir_uri: &str) -> Value {
    match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix("${file:").and_then(|r| r.strip_suffix('}')) {
                let text = std::fs::read_to_string(dir.join(name))
                    .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()));
                return Value::String(text);
            }
            Value::String(s.replace("${dir}", dir_uri))
        }
        Value::Array(xs) => Value::Array(xs.iter().map(|x| fill(x, dir, dir_uri)).collect()),
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| (k.clone(), fill(v, dir, dir_uri)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `value` with the folder's URI and path written as `${dir}`.
fn unfill(value: Value, dir_uri: &str, dir_path: &str) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace(dir_uri, "${dir}").replace(dir_path, "${dir}")),
        Value::Array(xs) => Value::Array(
            xs.into_iter()
                .map(|x| unfill(x, dir_uri, dir_path))
                .collect(),
        ),
        // Keys too: a workspace edit is keyed by URI.
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let k = k.replace(dir_uri, "${dir}").replace(dir_path, "${dir}");
                    (k, unfill(v, dir_uri, dir_path))
                })
                .collect(),
        ),
        other => other,
    }
}

fn frame(body: &str) -> Vec<u8> {
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// The messages of a framed stream.
fn unframe(mut bytes: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let head_end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| {
                panic!(
                    "a frame without a header end: {:?}",
                    String::from_utf8_lossy(bytes)
                )
            });
        let head = std::str::from_utf8(&bytes[..head_end]).unwrap();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .unwrap_or_else(|| panic!("no Content-Length in {head:?}"))
            .trim()
            .parse()
            .unwrap();
        let body = &bytes[head_end + 4..head_end + 4 + len];
        out.push(serde_json::from_slice(body).unwrap());
        bytes = &bytes[head_end + 4 + len..];
    }
    out
}

/// Runs one session: what the server wrote, its stderr and its exit code.
fn run_session(dir: &Path, session: &Value) -> (Vec<Value>, String, i32) {
    let dir_path = dir.to_str().unwrap().to_owned();
    let dir_uri = format!("file://{dir_path}");
    let mut input = Vec::new();
    for msg in session["send"].as_array().expect("`send` is a list") {
        let body = match fill(msg, dir, &dir_uri) {
            Value::String(raw) => raw,
            Value::Object(mut m) => {
                if !m.contains_key("jsonrpc") {
                    let mut with = Map::new();
                    with.insert("jsonrpc".to_owned(), Value::from("2.0"));
                    with.extend(m);
                    m = with;
                }
                Value::Object(m).to_string()
            }
            other => panic!("a message is an object or a string, not {other}"),
        };
        input.extend(frame(&body));
    }
    let args: Vec<String> = session["args"]
        .as_array()
        .map(|a| a.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let mut child = Command::new(BIN)
        .arg("lsp")
        .args(&args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        // The server may stop reading early (a broken message): that is
        // what such a session tests, not a failure to write.
        let _ = stdin.write_all(&input);
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut b = Vec::new();
        stdout.read_to_end(&mut b).unwrap();
        b
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        stderr.read_to_string(&mut s).unwrap();
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!(
                "{}: the server did not exit within {TIMEOUT:?}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    writer.join().unwrap();
    let out = out_reader.join().unwrap();
    let err = err_reader.join().unwrap();
    let got = unframe(&out)
        .into_iter()
        .map(|m| unfill(m, &dir_uri, &dir_path))
        .collect();
    (got, err, status.code().unwrap_or(-1))
}

#[test]
fn scripted_sessions_get_the_expected_answers() {
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    let mut failures = Vec::new();
    let all = cases();
    assert!(all.len() >= 11, "the sessions are missing: {all:?}");
    for dir in all {
        let path = dir.join("session.json");
        let mut session: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let dir = dir.canonicalize().unwrap();
        let (got, stderr, code) = run_session(&dir, &session);
        let got = Value::Array(got);
        if bless {
            session["expect"] = got;
            session["exit_code"] = Value::from(code);
            let text = serde_json::to_string_pretty(&session).unwrap() + "\n";
            std::fs::write(&path, text).unwrap();
            continue;
        }
        if session["expect"] != got || session["exit_code"] != code {
            failures.push(format!(
                "{}: (rerun with CHANGEGATE_BLESS=1 to accept)\n--- expected (exit {})\n{}\n--- got (exit {code})\n{}\n--- stderr\n{stderr}",
                path.display(),
                session["exit_code"],
                serde_json::to_string_pretty(&session["expect"]).unwrap(),
                serde_json::to_string_pretty(&got).unwrap(),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
