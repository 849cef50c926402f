//! The hostile-input list (`core/tests/hostile/cases.json`, as
//! `changegate_testkit::hostile` expands it) through the `changegate` binary: every case's files are written as bytes and checked
//! with `--format json`. An error must exit 1 with core's error JSON (kind and
//! place) on stderr and nothing on stdout; a decision must exit with its
//! outcome's code; nothing may crash, be killed or run past the time limit.
//! Cases that lower `Limits` are skipped: the command takes no limits.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a failing test should stop loudly"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use changegate_testkit::hostile::{self, Case, Got};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_changegate");

/// A fresh directory for one case's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "changegate-cli-hostile-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `changegate` in `dir`, killing it past `limit`; `None` if it had to be killed.
fn run_bin(dir: &Path, args: &[&str], limit: Duration) -> Option<std::process::Output> {
    let out_path = dir.join(".stdout");
    let err_path = dir.join(".stderr");
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Some(std::process::Output {
        status,
        stdout: std::fs::read(&out_path).unwrap(),
        stderr: std::fs::read(&err_path).unwrap(),
    })
}

/// Runs one case; the error says what went wrong.
fn run_case(case: &Case, limit: Duration) -> Result<(), String> {
    let dir = scratch(&case.name);
    for d in case.policy.iter().chain([&case.graph, &case.change]) {
        std::fs::write(dir.join(&d.name), d.bytes.as_slice()).unwrap();
    }
    let mut args = vec!["check", "--policy"];
    args.extend(case.policy.iter().map(|d| d.name.as_str()));
    args.extend([
        "--graph",
        "graph.json",
        "--change",
        "change.json",
        "--format",
        "json",
    ]);
    let output = run_bin(&dir, &args, limit);
    let _ = std::fs::remove_dir_all(&dir);
    let output = output.ok_or_else(|| format!("still running after {limit:?}: killed"))?;
    let code = output
        .status
        .code()
        .ok_or_else(|| format!("killed by a signal: {}", output.status))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let got = match code {
        1 => {
            if !stdout.is_empty() {
                return Err(format!("exit 1 with output on stdout: {stdout:.200}"));
            }
            let doc: Value = serde_json::from_str(&stderr)
                .map_err(|e| format!("stderr is not the error JSON ({e}): {stderr:.300}"))?;
            Got::Error(doc["error"].clone())
        }
        0 | 2 | 3 => {
            let decision: Value = serde_json::from_str(&stdout)
                .map_err(|e| format!("stdout is not a decision ({e})"))?;
            let want = match decision["outcome"].as_str() {
                Some("approved") => 0,
                Some("pending") => 2,
                _ => 3,
            };
            if code != want {
                return Err(format!("exit {code} for outcome {}", decision["outcome"]));
            }
            Got::Decision(decision)
        }
        other => return Err(format!("exit {other}: {stderr:.300}")),
    };
    hostile::check(case.expect("cli"), &got)
}

#[test]
fn every_hostile_input_gives_its_documented_error_or_decision() {
    let m = hostile::load(&changegate_testkit::corpus::repo()).unwrap();
    // Unoptimised test builds are several times slower than a release.
    let limit = if cfg!(debug_assertions) {
        m.time_limit * 3
    } else {
        m.time_limit
    };
    let cases: Vec<&Case> = m.cases.iter().filter(|c| c.limits.is_none()).collect();
    assert!(cases.len() > 90, "the list has {} cases", cases.len());
    let next = Mutex::new(cases.iter());
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                loop {
                    let Some(case) = next.lock().unwrap().next().copied() else {
                        break;
                    };
                    if let Err(why) = run_case(case, limit) {
                        failures
                            .lock()
                            .unwrap()
                            .push(format!("{}: {why}", case.name));
                    }
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    if let Err(why) = run_case(&m.base, limit) {
        failures.push(format!("the base case: {why}"));
    }
    failures.sort();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_panic_ends_as_an_internal_error_with_exit_1() {
    let dir = scratch("panic");
    let out = run_bin(&dir, &["__panic-for-tests"], Duration::from_secs(30)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a deliberate panic"), "{stderr}");
    assert!(
        stderr.contains("error: internal error in changegate"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}
