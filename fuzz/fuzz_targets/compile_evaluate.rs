//! Structure-aware: the bytes drive `changegate_testkit::scenario::Scenario`,
//! a policy set, a graph and a change that are valid most of the time (see
//! testkit/src/scenario/). Compiling, loading and evaluating must never
//! panic, overflow the stack or hang, and a decision must be consistent:
//!
//! - `denied` iff there is a block; `pending` iff no block and some
//!   approval, backup or condition unmet; otherwise `approved`;
//! - `next_allowed_start` only when denied by `during`/`outside` blocks
//!   alone, at or after the start and within 366 days of it;
//! - approvals are satisfied iff enough people count, and the requester
//!   never counts; blocks carry what their kind needs;
//! - the impact starts with the targets at depth 0, every path leads from a
//!   target to its node in `depth` steps;
//! - evaluating twice (`Policy::evaluate`, then `Policy::evaluate_json`)
//!   gives the same bytes, and the decision JSON reads back into the same
//!   decision;
//! - an evaluation error is a limit (or an unknown or ambiguous target or
//!   backup resource), with error JSON
//!   that parses.
//!
//! `CHANGEGATE_FUZZ_CASE=dir cargo +nightly fuzz run compile_evaluate
//! artifacts/compile_evaluate/<file>` writes the scenario as a corpus case
//! folder (`p*.gate`, `graph.json`, `change.json`) before checking it.
#![no_main]

use changegate::decision::BlockKind;
use changegate::{Change, Decision, Error, Graph, Outcome, Policy};
use changegate_testkit::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: Scenario| {
    if let Some(dir) = std::env::var_os("CHANGEGATE_FUZZ_CASE") {
        write_case(std::path::Path::new(&dir), &s);
    }
    let (graph_json, change_json) = (s.graph_json(), s.change_json());
    let policy = match Policy::compile(s.policy_sources(), &s.limits) {
        Ok(p) => p,
        Err(e) => {
            assert!(
                !e.diagnostics().is_empty(),
                "a policy error without diagnostics"
            );
            let _ = e.render(false);
            return;
        }
    };
    let Ok(graph) = Graph::from_json_with_limits(&graph_json, &s.limits) else {
        return;
    };
    let Ok(change) = Change::from_json_with_limits(&change_json, &s.limits) else {
        return;
    };

    // Twice: once as values, once as JSON text through `evaluate_json`.
    let first = policy.evaluate(&change, &graph);
    let via_json = policy.evaluate_json(&change_json, &graph);
    match (first, via_json) {
        (Ok(a), Ok(text)) => {
            let json = a.to_json();
            assert_eq!(json, text, "evaluating twice gives different bytes");
            let back: Decision = serde_json::from_str(&json).expect("the decision JSON reads back");
            assert_eq!(
                back, a,
                "the decision JSON does not read back to the same decision"
            );
            consistent(&a, &change, &graph);
        }
        (Err(a), Err(b)) => {
            let json = a.to_json();
            assert_eq!(json, b.to_json(), "evaluating twice gives different errors");
            let _: serde_json::Value = serde_json::from_str(&json).expect("the error JSON parses");
            match &a {
                Error::Limit(_) => {}
                Error::Input { error, .. } if error.message.starts_with("unknown target") => {}
                // A name several nodes answer to (docs/language.md, *The graph*).
                Error::Input { error, .. }
                    if error.message.contains(" names ")
                        && (error.path.starts_with("targets[") || error.path.starts_with("backups[")) => {}
                other => panic!("unexpected evaluation error: {other}"),
            }
        }
        (a, b) => panic!(
            "evaluation is not deterministic: {:?} / {:?}",
            a.map(|d| d.outcome),
            b.map(|_| ())
        ),
    }
});

fn consistent(d: &Decision, change: &Change, graph: &Graph) {
    let unmet = d.approvals.iter().any(|a| !a.satisfied)
        || d.backups.iter().any(|b| !b.satisfied)
        || d.conditions.iter().any(|c| !c.satisfied);
    let expected = if !d.blocks.is_empty() {
        Outcome::Denied
    } else if unmet {
        Outcome::Pending
    } else {
        Outcome::Approved
    };
    assert_eq!(
        d.outcome, expected,
        "outcome does not follow from blocks and requirements"
    );

    if let Some(t) = &d.next_allowed_start {
        assert_eq!(
            d.outcome,
            Outcome::Denied,
            "next_allowed_start on a change that is not denied"
        );
        assert!(
            d.blocks.iter().all(|b| b.kind != BlockKind::Deny),
            "next_allowed_start with a `deny` block"
        );
        let t: jiff::Timestamp = t.timestamp();
        assert!(t >= change.start, "next_allowed_start before the start");
        let horizon = change.start + jiff::SignedDuration::from_hours(366 * 24);
        assert!(t <= horizon, "next_allowed_start beyond 366 days");
    }

    for a in &d.approvals {
        assert!(a.required >= 1);
        assert_eq!(
            a.satisfied,
            a.granted_by.len() >= a.required as usize,
            "approval {}",
            a.group
        );
        if let Some(r) = &change.requested_by {
            assert!(
                !a.granted_by.iter().any(|p| &**p == r),
                "the requester counted for {}",
                a.group
            );
        }
        assert!(
            a.granted_by.windows(2).all(|w| w[0] < w[1]),
            "granted_by not sorted/distinct"
        );
        assert!(!a.rules.is_empty());
    }
    for b in &d.backups {
        assert_eq!(
            b.satisfied,
            b.evidence.is_some(),
            "backup evidence vs satisfied"
        );
    }
    for b in &d.blocks {
        match b.kind {
            BlockKind::During => assert!(b.window.is_some() && b.occurrence.is_some()),
            BlockKind::Outside => assert!(b.window.is_some() && b.occurrence.is_none()),
            BlockKind::Deny => assert!(b.message.is_some() && b.window.is_none()),
        }
        if let Some(o) = &b.occurrence {
            let s: jiff::Timestamp = o.start.timestamp();
            let e: jiff::Timestamp = o.end.timestamp();
            assert!(
                s < e && s < change.end && change.start < e,
                "a during occurrence that does not overlap"
            );
        }
        assert!(!b.rules.is_empty());
    }
    assert!(
        d.blocks.windows(2).all(|w| w[0].kind <= w[1].kind),
        "blocks not sorted by kind"
    );

    let targets: Vec<&str> = d.impact.targets().collect();
    // The change may name a target by an alias or another case: the impact
    // names the node it resolves to, each once (docs/language.md, *The graph*).
    let mut given: Vec<&str> = Vec::new();
    for t in &change.targets {
        let id = graph.resolve(t).map(|n| &*graph.node(n).id).expect("an evaluated target resolves");
        if !given.contains(&id) {
            given.push(id);
        }
    }
    assert_eq!(targets, given, "impact targets differ from the change's");
    let mut depth = 0;
    for (i, n) in d.impact.iter().enumerate() {
        assert!(n.depth >= depth, "impacted not sorted by depth");
        depth = n.depth;
        let path = d.impact.path(i);
        assert_eq!(
            path.len(),
            n.depth as usize + 1,
            "path length vs depth of {}",
            n.id
        );
        assert!(
            targets.contains(&path[0]),
            "path of {} does not start at a target",
            n.id
        );
        assert_eq!(path.last(), Some(&n.id));
        assert_eq!(n.depth == 0, targets.contains(&n.id));
    }
    assert_eq!(d.overrides.len(), change.overrides.len());
}

fn write_case(dir: &std::path::Path, s: &Scenario) {
    let _ = std::fs::create_dir_all(dir);
    for (name, text) in s.sources() {
        let _ = std::fs::write(dir.join(name), text);
    }
    let _ = std::fs::write(dir.join("graph.json"), format!("{}\n", s.graph_json()));
    let _ = std::fs::write(dir.join("change.json"), format!("{}\n", s.change_json()));
    if s.limits != changegate::Limits::default() {
        let _ = std::fs::write(dir.join("limits.txt"), format!("{:?}\n", s.limits));
    }
}
