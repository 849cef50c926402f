//! docs/log.md's encoding is precise enough for another tool: an export
//! verifies with the independent Python verifier (log/tools/verify_export.py,
//! standard library only), which also finds a tampered line.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;
use std::process::Command;

use changegate_log::{Log, Range};

mod common;
use common::{TempDir, entry, python};

fn verifier(file: &Path) -> (i32, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/verify_export.py");
    let out = Command::new(python())
        .arg(script)
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("python cannot be run ({e}); the verifier needs python 3.10 or later")
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn an_export_verifies_with_the_python_verifier_which_finds_a_tampered_line() {
    let dir = TempDir::new("python");
    let log = Log::open(&dir.file("log.sqlite")).unwrap();
    let mut entries: Vec<_> = (1..=6).map(entry).collect();
    // Fields that test the encoding: no change id, non-ASCII text, an
    // empty field, a fraction of a second.
    entries[1].change_id = None;
    entries[2].caller = "zoë ☃".to_owned();
    entries[3].graph_digest = String::new();
    entries[4].at = "2026-06-10T10:00:05.123456789Z".parse().unwrap();
    log.append(&entries).unwrap();
    let file = dir.path().join("export.jsonl");
    let mut out = std::fs::File::create(&file).unwrap();
    log.export(Range::ALL, &mut out, &mut |_| {}).unwrap();
    drop(out);
    assert_eq!(
        verifier(&file),
        (0, "6 records, chain unbroken\n".to_owned())
    );

    let text = std::fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replace(r#""outcome":"approved""#, r#""outcome":"denied""#);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let (code, said) = verifier(&file);
    assert_eq!(code, 1, "{said}");
    assert!(
        said.starts_with("broken: record 4 (change `CHG-4`): hash: computed "),
        "{said}"
    );

    // A line taken out breaks the sequence.
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines.remove(2);
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    let (code, said) = verifier(&file);
    assert_eq!(
        (code, said.as_str()),
        (
            1,
            "broken: record 4 (change `CHG-4`): sequence: expected record 3\n"
        )
    );
}
