//! `changegate fmt` through the binary: in place, `--check` with its diff
//! and exit code, `--stdin`, and a file that does not parse.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a failing test should stop loudly"
)]

use std::path::{Path, PathBuf};

mod common;
use common::*;

const MESSY: &str = "rule r { when change.type==\"normal\" # why\n require approval \"cab\" }\n";
const TIDY: &str =
    "rule r {\n  when change.type == \"normal\" # why\n  require approval \"cab\"\n}\n";

/// A fresh folder of the test's own, with `files` in it.
fn folder(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fmt")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    for (file, text) in files {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn fmt_rewrites_every_gate_file_below_a_directory() {
    let dir = folder(
        "in-place",
        &[
            ("p/a.gate", MESSY),
            ("p/sub/b.gate", TIDY),
            ("p/notes.txt", MESSY),
        ],
    );
    let out = run(&dir, &["fmt", "p"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(dir.join("p/a.gate")).unwrap(), TIDY);
    assert_eq!(
        std::fs::read_to_string(dir.join("p/sub/b.gate")).unwrap(),
        TIDY
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("p/notes.txt")).unwrap(),
        MESSY
    );
}

#[test]
fn fmt_check_prints_a_diff_writes_nothing_and_exits_1() {
    let dir = folder("check", &[("a.gate", MESSY), ("b.gate", TIDY)]);
    let out = run(&dir, &["fmt", "--check", "a.gate", "b.gate"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- a.gate\n+++ a.gate (formatted)\n@@ "),
        "{diff}"
    );
    assert!(
        diff.contains("\n+  when change.type == \"normal\" # why\n"),
        "{diff}"
    );
    assert!(!diff.contains("b.gate"), "{diff}");
    assert_eq!(std::fs::read_to_string(dir.join("a.gate")).unwrap(), MESSY);

    let out = run(&dir, &["fmt", "--check", "b.gate"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn fmt_stdin_writes_the_formatted_policy_to_stdout() {
    let dir = folder("stdin", &[]);
    std::fs::create_dir_all(&dir).unwrap();
    let out = run_with_stdin(&dir, &["fmt", "--stdin"], MESSY);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), TIDY);

    let out = run_with_stdin(&dir, &["fmt", "--stdin", "--check"], MESSY);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).starts_with("--- standard input\n"));
    let out = run_with_stdin(&dir, &["fmt", "--stdin", "--check"], TIDY);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());

    // Paths and --stdin do not go together; one of them is needed.
    assert_eq!(
        run(&dir, &["fmt", "--stdin", "a.gate"]).status.code(),
        Some(1)
    );
    assert_eq!(run(&dir, &["fmt"]).status.code(), Some(1));
}

#[test]
fn a_file_that_does_not_parse_is_an_error_and_left_alone() {
    let broken = "rule r {\n  requir approval \"cab\"\n}\n";
    let dir = folder("broken", &[("bad.gate", broken), ("good.gate", MESSY)]);
    let out = run(&dir, &["fmt", "--color", "never", "bad.gate", "good.gate"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("bad.gate:2:3"), "{err}");
    assert!(
        err.contains("error: the policy does not compile: 1 error in 1 file"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.gate")).unwrap(),
        broken
    );
    // The other files are still formatted.
    assert_eq!(
        std::fs::read_to_string(dir.join("good.gate")).unwrap(),
        TIDY
    );

    let out = run_with_stdin(&dir, &["fmt", "--stdin"], broken);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(text(&out.stderr).contains("standard input:2:3"));
}

#[test]
fn the_policy_library_passes_its_own_check() {
    let out = run(&repo(), &["fmt", "--check", "policies/"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}
