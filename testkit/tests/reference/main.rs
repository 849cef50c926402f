//! The engine against the reference evaluator: properties over random
//! scenarios (`properties`), and fixed cases, the decision corpus and the
//! counterexamples the properties found (`regress`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

mod properties;
mod regress;

use changegate::Policy;
use changegate::change::Change;
use changegate::decision::Decision;
use changegate::graph::Graph;

/// The engine's decision; `None` when a window search ran out of budget,
/// for the decision or for its next allowed start (the reference has none,
/// so there is nothing to compare), or when a name in the change belongs to
/// several nodes.
fn fast(sources: &[(String, String)], change: &Change, graph: &Graph) -> Option<Decision> {
    let policy = Policy::from_sources(sources.iter().cloned())
        .unwrap_or_else(|e| panic!("policy does not compile: {e}\n{sources:?}"));
    match policy.evaluate(change, graph) {
        Ok(d) if d.next_allowed_start_limit.is_some() => None,
        Ok(d) => Some(d),
        Err(e) if e.to_string().contains("window search examined") => None,
        // A name several nodes answer to (`both_refuse` checks the reference).
        Err(e) if e.to_string().contains(" nodes: `") => None,
        Err(e) => panic!("evaluation failed: {e}"),
    }
}

/// Whether the reference refuses the change: then a name in it (a target,
/// a backup's resource) belongs to several nodes, and the engine must
/// refuse it too, at the same path (docs/language.md, *The graph*).
fn both_refuse(sources: &[(String, String)], change: &Change, graph: &Graph) -> bool {
    let Err(e) = changegate_testkit::reference::evaluate(sources, change, graph) else {
        return false;
    };
    let policy = Policy::from_sources(sources.iter().cloned()).unwrap();
    let err = policy.evaluate(change, graph).expect_err(&format!(
        "the reference refuses the change ({e}), the engine does not"
    ));
    let json = changegate::api::error_json(&err);
    let path = json["error"]["path"].as_str().unwrap_or_default();
    assert!(
        e.starts_with(&format!("{path}: ")),
        "the reference refuses with {e:?}, the engine with {json}"
    );
    assert!(err.to_string().contains("names"), "{err}");
    true
}

/// The reference evaluator's decision.
fn slow(sources: &[(String, String)], change: &Change, graph: &Graph) -> Decision {
    changegate_testkit::reference::evaluate(sources, change, graph).unwrap()
}
