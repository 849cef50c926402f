//! The decision corpus: every folder holding a `change.json` below
//! `core/tests/corpus/` and `policies/examples/` is a case (see
//! `corpus/README.md`). Each case's output must equal its `expected.json`
//! byte for byte and match the hand-written `expect` in its `case.json`.

#![expect(
    clippy::unwrap_used,
    reason = "a broken fixture should stop the test loudly"
)]

use std::path::{Path, PathBuf};

use changegate::{Error, Policy, api};
use serde_json::Value;

/// Runs one case folder and returns the bytes it produces: a decision or an error.
fn run(dir: &Path, case: &Value) -> String {
    let policy_paths: Vec<PathBuf> = match case.get("policy").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(PathBuf::from)
            .collect(),
        None => {
            let mut gates: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "gate"))
                .map(|p| PathBuf::from(p.file_name().unwrap()))
                .collect();
            gates.sort();
            gates
        }
    };
    let graph = case
        .get("graph")
        .and_then(Value::as_str)
        .unwrap_or("graph.json");
    let result = (|| -> Result<String, Error> {
        let sources = changegate::load_sources_in(dir, &policy_paths)?;
        let policy = Policy::compile(sources, &changegate::Limits::default())?;
        let graph_text = std::fs::read_to_string(dir.join(graph)).unwrap();
        let graph = api::load_graph(&graph_text, &changegate::Limits::default())?;
        let change = std::fs::read_to_string(dir.join("change.json")).unwrap();
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

fn check_case(change_path: &Path) -> Result<(), String> {
    let dir = change_path.parent().unwrap();
    let case: Value = match std::fs::read_to_string(dir.join("case.json")) {
        Ok(t) => serde_json::from_str(&t)
            .map_err(|e| format!("{}: bad case.json: {e}", dir.display()))?,
        Err(_) => Value::Null,
    };
    let out = run(dir, &case);
    let expected_path = dir.join("expected.json");
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

/// Runs every case and fails once, listing every failing case.
fn run_all(cases: &[PathBuf]) {
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
    let mut cases = Vec::new();
    insta::glob!("corpus/**/change.json", |path| cases
        .push(path.to_path_buf()));
    run_all(&cases);
}

#[test]
fn policy_examples() {
    let mut cases = Vec::new();
    insta::glob!("../../policies", "examples/**/change.json", |path| cases
        .push(path.to_path_buf()));
    run_all(&cases);
}
