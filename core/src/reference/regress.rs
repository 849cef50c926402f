//! The reference against the fast evaluator on fixed cases: every case of
//! the decision corpus, and the counterexamples the properties found.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::tests::{fast, slow};
use crate::change::Change;
use crate::decision::Decision;
use crate::graph::Graph;
use crate::{Limits, Policy};

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
}

// --------------------------------------------------- regression cases

/// Evaluates `policy` on a change to `targets` of `graph` with both
/// evaluators and returns (fast, reference).
fn both(policy: &str, graph: &str, change: serde_json::Value) -> (Decision, Decision) {
    let sources = vec![("p.gate".to_owned(), policy.to_owned())];
    let graph = Graph::from_json(graph).unwrap();
    let change = Change::from_value(&change).unwrap();
    let f = fast(&sources, &change, &graph).unwrap();
    (f, slow(&sources, &change, &graph))
}

fn simple_change(targets: &[&str], start: &str, end: &str) -> serde_json::Value {
    json!({"id": "CHG1", "type": "normal", "targets": targets, "start": start, "end": end})
}

/// `max`/`min` over values that have no order (strings, booleans) is
/// `null`, whatever the number of nodes: §3.3 orders only integers,
/// durations and datetimes. The fast evaluator returns the value when the
/// set has exactly one node with a non-null value (and `null` for two,
/// even two equal ones), so `max(targets, node.kind) == null` depends on
/// how many targets there are.
#[test]
#[ignore = "fast evaluator bug (eval.rs, `call`): max/min of one unordered value is that value"]
fn max_of_unordered_values_is_null() {
    let policy = "rule r { when max(targets, node.kind) == null\n deny \"no order\" }";
    let graph = r#"{"nodes": [{"id": "a", "kind": "database"}, {"id": "b", "kind": "database"}]}"#;
    let change = |t: &[&str]| simple_change(t, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
    // Two nodes: both evaluators say null, the rule fires.
    let (f, r) = both(policy, graph, change(&["a", "b"]));
    assert_eq!(f.to_json(), r.to_json());
    assert_eq!(f.outcome, crate::Outcome::Denied);
    // One node: the reference still says null; the fast one says "database".
    let (f, r) = both(policy, graph, change(&["a"]));
    assert_eq!(r.outcome, crate::Outcome::Denied);
    assert_eq!(f.to_json(), r.to_json());
}

/// Decisions 8 and 21: a node without an owner adds an unmet condition, and
/// conditions with the same message merge into one entry that is met only
/// if every part is. The fast evaluator keeps the entry met when a
/// satisfied `require … else` with that message was merged first (rules
/// run in name order), so the outcome depends on rule names.
#[test]
#[ignore = "fast evaluator bug (eval.rs, `CEffect::Owner`): or_insert keeps an earlier satisfied condition"]
fn missing_owner_is_unmet_even_when_a_condition_shares_its_message() {
    let graph = r#"{"nodes": [{"id": "x"}]}"#;
    let change = simple_change(&["x"], "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
    let cond = "require true else \"`x` has no owner to approve the change\"";
    let owner = "require approval owner of targets";
    for (first, second) in [(cond, owner), (owner, cond)] {
        let policy = format!("rule a {{ {first} }}\nrule b {{ {second} }}\n");
        let (f, r) = both(&policy, graph, change.clone());
        assert_eq!(r.outcome, crate::Outcome::Pending, "{policy}");
        assert_eq!(f.to_json(), r.to_json(), "{policy}");
    }
}
