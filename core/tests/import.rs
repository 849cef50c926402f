//! The adapters' cases: each folder below `core/tests/import/<adapter>/`
//! holds a `case.json` (`adapter`, `inputs` by role as file or directory
//! names in the folder, `options`), the source's own records, and either
//! `expected.json` (the import: `document` and `notes`) or `error.json`
//! (the error JSON). A graph the adapter makes must also load as a graph,
//! and a change as a change: the engine reads what the import prints.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a broken fixture should stop the test loudly"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use changegate::import::{self, Adapter, ImportedDocument};
use changegate::{Limits, api};
use serde_json::Value;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/import");
    let mut out = Vec::new();
    for adapter in std::fs::read_dir(&root).unwrap() {
        let adapter = adapter.unwrap().path();
        if !adapter.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&adapter).unwrap() {
            let case = case.unwrap().path();
            if case.join("case.json").is_file() {
                out.push(case);
            }
        }
    }
    out.sort();
    out
}

fn run(dir: &Path) -> (String, bool) {
    let case: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap()).unwrap();
    let adapter: Adapter = serde_json::from_value(case["adapter"].clone()).unwrap();
    let mut inputs = import::Inputs::new();
    for (role, names) in case["inputs"].as_object().unwrap() {
        let names: Vec<&str> = names
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        let files =
            changegate::load_files_in(dir, &names, &["yaml", "yml", "json"], "a fixture").unwrap();
        inputs.insert(role.clone(), files);
    }
    let options = case.get("options").cloned().unwrap_or(Value::Null);
    match import::import(adapter, &inputs, &options, &Limits::default()) {
        Ok(imported) => {
            let limits = Limits::default();
            let loaded = match &imported.document {
                ImportedDocument::Graph(g) => {
                    api::load_graph_value(&serde_json::to_value(g).unwrap(), &limits).map(drop)
                }
                ImportedDocument::Change(c) => api::read_change(
                    api::ChangeInput::Value(&serde_json::to_value(c).unwrap()),
                    &limits,
                )
                .map(drop),
                ImportedDocument::Backups(_) => Ok(()),
            };
            if let Err(e) = loaded {
                panic!(
                    "{}: the engine refuses what the import made: {e}",
                    dir.display()
                );
            }
            (
                serde_json::to_string_pretty(&imported).unwrap() + "\n",
                true,
            )
        }
        Err(e) => (e.to_json(), false),
    }
}

#[test]
fn every_import_case_gives_its_expected_output() {
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    let mut failures = Vec::new();
    let mut seen: BTreeMap<bool, usize> = BTreeMap::new();
    for dir in cases() {
        let (got, ok) = run(&dir);
        *seen.entry(ok).or_default() += 1;
        let (want_file, other) = if ok {
            ("expected.json", "error.json")
        } else {
            ("error.json", "expected.json")
        };
        if bless {
            std::fs::write(dir.join(want_file), &got).unwrap();
            let _ = std::fs::remove_file(dir.join(other));
            continue;
        }
        match std::fs::read_to_string(dir.join(want_file)) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: {want_file} differs\n--- want\n{want}\n--- got\n{got}",
                dir.display()
            )),
            Err(_) => failures.push(format!("{}: no {want_file}; got\n{got}", dir.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
