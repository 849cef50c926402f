//! What the log's tests share: entries, and temporary folders that remove
//! themselves.

#![allow(
    dead_code,
    unreachable_pub,
    reason = "each test file uses the helpers it needs"
)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use changegate_log::Entry;

/// A folder under the system's temporary folder, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        TempDir::new_in(&std::env::temp_dir(), name)
    }

    pub fn new_in(parent: &Path, name: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = parent.join(format!(
            "changegate-log-{name}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A file in it, as a log location.
    pub fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An entry for change `CHG-{n}` decided at second `n` of a fixed day.
pub fn entry(n: u32) -> Entry {
    let at: jiff::Timestamp = "2026-06-10T10:00:00Z".parse().unwrap();
    let at = at + jiff::SignedDuration::from_secs(i64::from(n));
    Entry {
        at,
        caller: format!("caller-{}", n % 3),
        change_id: Some(format!("CHG-{n}")),
        change: format!(r#"{{"id": "CHG-{n}", "type": "standard"}}"#),
        decision: format!("{{\n  \"change\": \"CHG-{n}\",\n  \"outcome\": \"approved\"\n}}\n"),
        outcome: "approved".to_owned(),
        policy_digest: "sha256:1111".to_owned(),
        graph_digest: "sha256:2222".to_owned(),
        engine: "changegate 0.1.0".to_owned(),
    }
}

/// The python that runs the independent verifier: the repository's
/// `.venv` when there is one, else `python3`.
pub fn python() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/python");
    if venv.exists() {
        venv
    } else {
        PathBuf::from("python3")
    }
}
