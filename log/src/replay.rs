//! Replaying the log: each logged change decided again by core against the
//! policy and graph given now, and what would be decided differently.
//!
//! A decision depends on the policy, the graph and the change alone (its
//! `start` and `end` place it in time; the engine never reads the clock),
//! so deciding the logged change text again is deciding it as at its time.

use std::collections::BTreeSet;

use changegate::api;
use changegate::{Graph, Policy};
use serde::Serialize;
use serde_json::Value;

use crate::entry::{Progress, Range, Record};
use crate::err::Error;
use crate::log::Log;

/// A logged decision that would be decided differently now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// The record's sequence number.
    pub seq: u64,
    /// The change's id.
    pub change_id: Option<String>,
    /// When it was decided.
    pub at: String,
    /// The logged outcome.
    pub old_outcome: String,
    /// The outcome now (`error` when the change cannot be decided now).
    pub new_outcome: String,
    /// Requirements unmet then and met now (`approval cab`, `backup orders-db
    /// snapshot`, `condition MESSAGE`, `block WINDOW`).
    pub now_met: Vec<String>,
    /// Requirements met then and unmet now.
    pub now_unmet: Vec<String>,
    /// Why the change cannot be decided now, or the logged decision read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The logged policy digest.
    pub old_policy_digest: String,
}

/// What a replay found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// The policy digest of the policy replayed against.
    pub policy_digest: String,
    /// Decisions replayed.
    pub replayed: u64,
    /// Decisions that would be the same.
    pub same: u64,
    /// Decisions that would be different, in log order.
    pub different: Vec<Difference>,
}

/// The requirements a decision (its JSON text) leaves unmet and what
/// blocks it, sorted: `approval GROUP`, `backup NODE KIND`, `condition
/// MESSAGE`, `block WINDOW` (or the block's message); `None` when the text
/// is not JSON.
pub fn requirements_unmet(decision: &str) -> Option<Vec<String>> {
    let v: Value = serde_json::from_str(decision).ok()?;
    Some(unmet(&v).into_iter().collect())
}

fn unmet(decision: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let list = |k: &str| {
        decision
            .get(k)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let text = |e: &Value, k: &str| {
        e.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let unsatisfied = |e: &Value| e.get("satisfied").and_then(Value::as_bool) == Some(false);
    for e in list("approvals").iter().filter(|e| unsatisfied(e)) {
        out.insert(format!("approval {}", text(e, "group")));
    }
    for e in list("backups").iter().filter(|e| unsatisfied(e)) {
        let kind = e
            .get("kind")
            .and_then(Value::as_str)
            .map(|k| format!(" {k}"))
            .unwrap_or_default();
        out.insert(format!("backup {}{kind}", text(e, "node")));
    }
    for e in list("conditions").iter().filter(|e| unsatisfied(e)) {
        out.insert(format!("condition {}", text(e, "message")));
    }
    for e in list("blocks") {
        let what = e
            .get("window")
            .and_then(Value::as_str)
            .map_or_else(|| text(&e, "message"), str::to_owned);
        out.insert(format!("block {what}"));
    }
    out
}

fn compare(record: &Record, policy: &Policy, graph: &Graph) -> Option<Difference> {
    let e = &record.entry;
    let mut diff = Difference {
        seq: record.seq,
        change_id: e.change_id.clone(),
        at: crate::encode::format_at(e.at),
        old_outcome: e.outcome.clone(),
        new_outcome: "error".to_owned(),
        now_met: Vec::new(),
        now_unmet: Vec::new(),
        error: None,
        old_policy_digest: e.policy_digest.clone(),
    };
    let old: Option<Value> = serde_json::from_str(&e.decision).ok();
    let old_unmet = old.as_ref().map(unmet).unwrap_or_default();
    let new = match api::evaluate_json(policy, &e.change, graph) {
        Ok(json) => serde_json::from_str::<Value>(&json).ok(),
        Err(err) => {
            diff.error = Some(err.to_string());
            None
        }
    };
    let Some(new) = new else {
        // Still an error: nothing changed.
        return (e.outcome != "error").then_some(diff);
    };
    diff.new_outcome = new
        .get("outcome")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let new_unmet = unmet(&new);
    if old.is_none() && e.outcome != "error" {
        diff.error =
            Some("the logged decision is not JSON; its requirements are not compared".to_owned());
    }
    diff.now_met = old_unmet.difference(&new_unmet).cloned().collect();
    diff.now_unmet = new_unmet.difference(&old_unmet).cloned().collect();
    let same =
        diff.new_outcome == e.outcome && diff.now_met.is_empty() && diff.now_unmet.is_empty();
    (!same).then_some(diff)
}

/// Decides every logged change of `range` again against `policy` and
/// `graph`, in log order; reports those decided differently.
pub fn replay(
    log: &Log,
    policy: &Policy,
    graph: &Graph,
    range: Range,
    progress: &mut dyn FnMut(Progress),
) -> Result<Replay, Error> {
    let total = log.count(range)?;
    let mut report = Replay {
        policy_digest: policy.digest().to_owned(),
        replayed: 0,
        same: 0,
        different: Vec::new(),
    };
    log.scan(range, &mut |record| {
        report.replayed += 1;
        match compare(&record, policy, graph) {
            Some(d) => report.different.push(d),
            None => report.same += 1,
        }
        progress(Progress {
            done: report.replayed,
            total,
        });
        Ok(())
    })?;
    Ok(report)
}
