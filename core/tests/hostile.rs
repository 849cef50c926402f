//! The hostile-input list (`tests/hostile/cases.json`, as
//! `changegate_testkit::hostile` expands it) through the Rust API: every
//! case gives its documented error, with its place, or its documented
//! decision, within the time limit; cases that lower `Limits` run here (the
//! other front ends take no limits). Policies that are not UTF-8 are read
//! from files (`load_sources_in`); graphs and changes are strings, decoded
//! with U+FFFD replacement.

#![expect(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use std::path::PathBuf;
use std::time::Instant;

use changegate::{Document, Error, Graph, Limits, Policy, Source, api};
use changegate_testkit::hostile::{self, Case, FRONT_ENDS, Got, List};
use serde_json::Value;

fn list() -> List {
    hostile::load(&changegate_testkit::corpus::repo()).unwrap()
}

fn limits(case: &Case) -> Limits {
    let mut l = Limits::default();
    for (k, v) in case.limits.iter().flatten() {
        let n = usize::try_from(v.as_u64().unwrap()).unwrap();
        match k.as_str() {
            "max_source_bytes" => l.max_source_bytes = n,
            "max_nesting" => l.max_nesting = n,
            "max_graph_nodes" => l.max_graph_nodes = n,
            "max_graph_edges" => l.max_graph_edges = n,
            "max_window_scan" => l.max_window_scan = n,
            "max_input_bytes" => l.max_input_bytes = n,
            other => panic!("unknown limit `{other}`"),
        }
    }
    l
}

/// A fresh directory for the policy files of one case.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("changegate-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(case: &Case) -> Got {
    let limits = limits(case);
    let result = (|| -> Result<String, Error> {
        let sources = if case.policy.iter().all(|d| d.is_utf8()) {
            case.policy
                .iter()
                .map(|d| Source {
                    name: d.name.clone(),
                    text: d.lossy(),
                })
                .collect()
        } else {
            let dir = scratch(&case.name);
            for d in &case.policy {
                std::fs::write(dir.join(&d.name), d.bytes.as_slice()).unwrap();
            }
            let names: Vec<&String> = case.policy.iter().map(|d| &d.name).collect();
            let sources = changegate::load_sources_in(&dir, &names);
            let _ = std::fs::remove_dir_all(&dir);
            sources?
        };
        let policy = Policy::compile(sources, &limits)?;
        let graph =
            Graph::from_json_with_limits(&case.graph.lossy(), &limits).map_err(|error| {
                Error::Input {
                    document: Document::Graph,
                    error,
                }
            })?;
        policy.evaluate_json(&case.change.lossy(), &graph)
    })();
    match result {
        Ok(json) => Got::Decision(serde_json::from_str(&json).unwrap()),
        Err(e) => Got::Error(api::error_json(&e)["error"].clone()),
    }
}

#[test]
fn every_hostile_input_gives_its_documented_result() {
    let m = list();
    let mut failures = Vec::new();
    for case in &m.cases {
        let started = Instant::now();
        let got = run(case);
        let took = started.elapsed();
        if let Err(why) = hostile::check(case.expect("rust"), &got) {
            failures.push(format!("{}: {why}", case.name));
        }
        // Unoptimised test builds are several times slower than a release.
        let limit = if cfg!(debug_assertions) {
            m.time_limit * 3
        } else {
            m.time_limit
        };
        if took > limit {
            failures.push(format!("{}: took {took:?}", case.name));
        }
    }
    // The engine is still fine after all of the above.
    if let Err(why) = hostile::check(m.base.expect("rust"), &run(&m.base)) {
        failures.push(format!("base after the cases: {why}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_case_has_a_unique_name_and_a_placed_expectation() {
    let m = list();
    let mut names = std::collections::HashSet::new();
    for case in &m.cases {
        assert!(names.insert(case.name.clone()), "`{}` twice", case.name);
        for fe in FRONT_ENDS {
            let Some(e) = case.expect(fe).get("error") else {
                continue;
            };
            let placed = match e["kind"].as_str().unwrap() {
                "input" => e.get("path").is_some(),
                "policy" => e["diagnostic"]["line"].is_u64() && e["diagnostic"]["column"].is_u64(),
                "io" => e["file"].is_string(),
                "limit" => e["message_contains"].is_string(),
                other => panic!("{}: unknown kind `{other}`", case.name),
            };
            assert!(
                placed,
                "{} ({fe}): an error without a place: {e}",
                case.name
            );
            if e["path"] == "" {
                let whole_document = e["message_has_line_column"] == Value::Bool(true)
                    || e["message_contains"].as_str().is_some_and(|m| {
                        [
                            "expected an object",
                            "more than the limit",
                            "UTF-8",
                            "surrogate",
                        ]
                        .iter()
                        .any(|w| m.contains(w))
                    });
                assert!(
                    whole_document,
                    "{} ({fe}): an empty path needs a line and column",
                    case.name
                );
            }
        }
    }
}
