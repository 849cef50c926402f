//! The adapters' cases: every case that `import/manifest.json` lists (each
//! folder below `core/tests/import/<adapter>/` with a `case.json`: the
//! adapter, its input paths by role and its options, the source's own
//! records, and either `expected.json`, what the import gives, or
//! `error.json`, its error). The files are given by name and text, as every
//! binding gives them; the paths are also read from disk, as the command
//! line reads them, and must give the same. A graph or change the import
//! makes must load: the engine reads what the import prints.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a broken fixture should stop the test loudly"
)]

use std::collections::BTreeSet;
use std::path::Path;

use changegate::api::{self, Adapter, ImportedDocument, Inputs};
use changegate::{Limits, Source};
use changegate_testkit::imports::{self, ImportCase};

fn run(repo: &Path, case: &ImportCase) -> String {
    let dir = repo.join(&case.dir);
    let adapter = Adapter::from_name(&case.adapter).unwrap();
    let mut inputs = Inputs::new();
    for (role, names) in &case.files {
        let files = names
            .iter()
            .map(|name| Source {
                name: name.clone(),
                text: std::fs::read_to_string(dir.join(name)).unwrap(),
            })
            .collect();
        inputs.insert(role.clone(), files);
    }
    let limits = Limits::default();
    let by_text = api::import(adapter, &inputs, &case.options, &limits);
    let by_path = api::import_paths(adapter, &dir, &case.paths, &case.options, &limits);
    let shown = |r: &Result<_, changegate::Error>| match r {
        Ok(i) => api::imported_json(i),
        Err(e) => e.to_json(),
    };
    assert_eq!(
        shown(&by_text),
        shown(&by_path),
        "{}: the files and the paths differ",
        case.dir
    );
    match by_text {
        Ok(imported) => {
            let loaded = match &imported.document {
                ImportedDocument::Graph(g) => {
                    api::load_graph_value(&serde_json::to_value(g).unwrap(), &limits).map(drop)
                }
                ImportedDocument::Change(c) => {
                    let value = serde_json::to_value(c).unwrap();
                    api::read_change(api::ChangeInput::Value(&value), &limits).map(drop)
                }
                ImportedDocument::Backups(_) => Ok(()),
            };
            if let Err(e) = loaded {
                panic!("{}: the engine refuses what the import made: {e}", case.dir);
            }
            api::imported_json(&imported)
        }
        Err(e) => e.to_json(),
    }
}

#[test]
fn every_import_case_gives_its_expected_output() {
    let repo = changegate_testkit::corpus::repo();
    let cases = imports::read(&repo).unwrap();
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let got = run(&repo, case);
        let dir = repo.join(&case.dir);
        let is_error = got.starts_with("{\n  \"error\"");
        let want_file = if is_error {
            "error.json"
        } else {
            "expected.json"
        };
        if bless {
            std::fs::write(dir.join(want_file), &got).unwrap();
            let other = if is_error {
                "expected.json"
            } else {
                "error.json"
            };
            let _ = std::fs::remove_file(dir.join(other));
            continue;
        }
        if want_file != case.expected {
            failures.push(format!(
                "{}: gave {want_file}, expected {}\n{got}",
                case.dir, case.expected
            ));
            continue;
        }
        let want = std::fs::read_to_string(dir.join(want_file)).unwrap_or_default();
        if want != got {
            failures.push(format!(
                "{}: {want_file} differs\n--- want\n{want}\n--- got\n{got}",
                case.dir
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let covered: BTreeSet<&str> = cases.iter().map(|c| c.adapter.as_str()).collect();
    for adapter in Adapter::ALL {
        assert!(
            covered.contains(adapter.name()),
            "no case for `{}`",
            adapter.name()
        );
    }
}
