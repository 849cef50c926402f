//! The decision corpus: every case that `corpus/manifest.json` lists (the
//! folders holding a `change.json` below `core/tests/corpus/` and
//! `policies/examples/`, see `corpus/README.md`). Each case's output must
//! equal its `expected.json` byte for byte and match the hand-written
//! `expect` in its `case.json`.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a broken fixture should stop the test loudly"
)]

use std::path::{Path, PathBuf};

use changegate::{Error, Policy, api};
use serde_json::Value;

/// The repository.
fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs one case (an entry of the manifest) and returns the bytes it
/// produces: a decision or an error.
fn run(dir: &Path, entry: &Value) -> String {
    let policy_paths: Vec<&str> = entry["policy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let result = (|| -> Result<String, Error> {
        let sources = changegate::load_sources_in(dir, &policy_paths)?;
        let policy = Policy::compile(sources, &changegate::Limits::default())?;
        let (graph_text, change) = changegate_testkit::corpus::documents(&repo(), entry)?;
        let graph = api::load_graph(&graph_text, &changegate::Limits::default())?;
        policy.evaluate_json(&change, &graph)
    })();
    match result {
        Ok(json) => json,
        Err(e) => e.to_json(),
    }
}

/// `expect` matches `actual`: objects as subsets, lists of equal length
/// element by element, scalars exactly.
fn matches(expect: &Value, actual: &Value, at: &str, problems: &mut Vec<String>) {
    match (expect, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, v) in e {
                match a.get(k) {
                    Some(av) => matches(v, av, &format!("{at}.{k}"), problems),
                    None => problems.push(format!("{at}.{k}: missing, expected {v}")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                problems.push(format!(
                    "{at}: expected {} elements, found {}: {actual}",
                    e.len(),
                    a.len()
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                matches(ev, av, &format!("{at}[{i}]"), problems);
            }
        }
        _ if expect == actual => {}
        _ => problems.push(format!("{at}: expected {expect}, found {actual}")),
    }
}

fn check_case(entry: &Value) -> Result<(), String> {
    let dir = &repo().join(entry["dir"].as_str().unwrap());
    let case: Value = match entry["case"].as_str() {
        Some(file) => {
            let t = std::fs::read_to_string(dir.join(file)).map_err(|e| e.to_string())?;
            serde_json::from_str(&t)
                .map_err(|e| format!("{}: bad case.json: {e}", dir.display()))?
        }
        None => Value::Null,
    };
    let out = run(dir, entry);
    let expected_path = dir.join(entry["expected"].as_str().unwrap());
    let bless = std::env::var_os("CHANGEGATE_BLESS").is_some();
    match std::fs::read_to_string(&expected_path) {
        Ok(expected) if !bless => {
            if expected != out {
                return Err(format!(
                    "{}: output differs from expected.json\n--- expected\n{expected}\n--- actual\n{out}",
                    dir.display()
                ));
            }
        }
        Ok(expected) if expected == out => {}
        _ => {
            std::fs::write(&expected_path, &out).map_err(|e| e.to_string())?;
            if !bless {
                return Err(format!(
                    "{}: wrote a new expected.json; review it, then rerun",
                    dir.display()
                ));
            }
        }
    }
    let actual: Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
    let expect = case
        .get("expect")
        .ok_or_else(|| format!("{}: case.json has no `expect`", dir.display()))?;
    if expect.get("outcome").is_none() && expect.get("error").is_none() {
        return Err(format!(
            "{}: `expect` must state an `outcome` or an `error`",
            dir.display()
        ));
    }
    let mut problems = Vec::new();
    matches(expect, &actual, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}:\n  {}\n{out}",
            dir.display(),
            problems.join("\n  ")
        ))
    }
}

/// Runs every case of the manifest in `root` and fails once, listing every
/// failing case.
fn run_all(root: &str) {
    let manifest: Value = serde_json::from_str(include_str!("corpus/manifest.json")).unwrap();
    let cases: Vec<&Value> = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["dir"].as_str().unwrap().starts_with(root))
        .collect();
    assert!(!cases.is_empty(), "no cases found");
    let failures: Vec<String> = cases.iter().filter_map(|c| check_case(c).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn corpus() {
    run_all("core/tests/corpus/");
}

#[test]
fn policy_examples() {
    run_all("policies/examples/");
}
