//! Evaluation: a compiled policy, a graph and a change give a decision.
//!
//! The blast radius is computed once; every set expression is computed at
//! most once and shared; requirements are merged as docs/language.md (*Effects*) says; windows
//! are searched within a scan budget.

use std::sync::Arc;

use jiff::SignedDuration;

use crate::change::Change;
use crate::compile::{Program, WindowId};
use crate::decision::{
    Audit, Block, BlockKind, ConditionCheck, Decision, ImpactReport, Interval, Outcome,
    OverrideCheck, Text,
};
use crate::graph::{Graph, Impact, NodeIdx};
use crate::input::InputError;
use crate::value::Value;
use crate::window::{ScanBudget, WindowError};
use entries::Entries;

mod entries;
mod expr;
mod next_start;
mod requirements;
mod resolve;
#[cfg(test)]
mod tests;

pub use next_start::next_allowed_start;
pub(crate) use resolve::targets as resolve_targets;

static ENGINE: std::sync::LazyLock<Text> =
    std::sync::LazyLock::new(|| Text::from(concat!("changegate ", env!("CARGO_PKG_VERSION"))));

/// What can stop an evaluation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A target that is not a node of the graph, or a target or backup
    /// resource that names several nodes (docs/language.md, *The graph*).
    #[error("{0}")]
    UnknownTarget(InputError),
    /// A window search went over its budget.
    #[error("{0}")]
    Window(#[from] WindowError),
}

/// Evaluates `program` for one change.
pub(crate) fn evaluate(
    program: &Program,
    digest: &Text,
    change: &Change,
    graph: &Graph,
    budget: &mut ScanBudget,
) -> Result<Decision, EvalError> {
    let fallback = Some("add the node to the graph, or fix the id");
    let targets =
        resolve::targets(graph, &change.targets, fallback).map_err(EvalError::UnknownTarget)?;
    let backup_nodes =
        resolve::backups(graph, &change.backups).map_err(EvalError::UnknownTarget)?;
    let impact = graph.impact(&targets);
    let ev = Evaluator {
        program,
        change,
        graph,
        targets,
        backup_nodes,
        impact,
        sets: vec![None; program.sets.len()],
        node: None,
        targets_value: None,
    };
    ev.run(digest, budget)
}

struct Evaluator<'a> {
    program: &'a Program,
    change: &'a Change,
    graph: &'a Graph,
    /// The targets' nodes, each once, in the change's order.
    targets: Vec<NodeIdx>,
    /// The node each backup's `resource` names, if any.
    backup_nodes: Vec<Option<NodeIdx>>,
    impact: Impact,
    /// Each set, once computed.
    sets: Vec<Option<Arc<[NodeIdx]>>>,
    /// The node bound by a filter or set function.
    node: Option<NodeIdx>,
    targets_value: Option<Value>,
}

/// Rule names behind a requirement or block.
type Rules = Vec<Arc<str>>;
/// A backup requirement's key: node id and kind (`None`: any kind).
type BackupKey = (Arc<str>, Option<Arc<str>>);

/// Requirements and blocks as rules add them, merged.
#[derive(Default)]
struct Merged {
    /// group → (largest count, rules)
    approvals: Entries<Arc<str>, (u32, Rules)>,
    /// (node, kind) → (shortest within and its text, verified if any
    /// asked, rules)
    backups: Entries<BackupKey, (SignedDuration, Text, bool, Rules)>,
    /// message → (all satisfied, rules)
    conditions: Entries<Text, (bool, Rules)>,
    /// (kind, window or message) → (first overlapping occurrence, rules)
    blocks: Entries<(BlockKind, Text), (Option<Interval>, Rules)>,
    during: Vec<WindowId>,
    outside: Vec<Vec<WindowId>>,
}

impl Evaluator<'_> {
    fn run(mut self, digest: &Text, budget: &mut ScanBudget) -> Result<Decision, EvalError> {
        let program = self.program;
        let change = self.change;
        let (overrides, lifted) = self.overrides();
        let mut m = Merged::default();
        let mut fired = Vec::with_capacity(program.rules.len());
        for (ri, rule) in program.rules.iter().enumerate() {
            let applies = rule.when.iter().all(|e| self.expr(e).is_true())
                && !rule.unless.iter().any(|e| self.expr(e).is_true());
            if !applies {
                continue;
            }
            fired.push(rule.fired.clone());
            if lifted.get(ri).copied().unwrap_or(false) {
                continue;
            }
            for eff in &rule.effects {
                self.effect(eff, &rule.name, &mut m, budget)?;
            }
        }

        let approvals = self.approvals(std::mem::take(&mut m.approvals));
        let backups = self.backups(std::mem::take(&mut m.backups));
        let conditions: Vec<ConditionCheck> = m
            .conditions
            .into_sorted()
            .into_iter()
            .map(|(message, (satisfied, rules))| ConditionCheck {
                message,
                satisfied,
                rules: names(rules),
            })
            .collect();
        let blocks: Vec<Block> = m
            .blocks
            .into_sorted()
            .into_iter()
            .map(|((kind, key), (occurrence, rules))| Block {
                kind,
                window: (kind != BlockKind::Deny).then(|| key.clone()),
                message: (kind == BlockKind::Deny).then_some(key),
                occurrence,
                rules: names(rules),
            })
            .collect();

        let outcome = if !blocks.is_empty() {
            Outcome::Denied
        } else if approvals.iter().any(|a| !a.satisfied)
            || backups.iter().any(|b| !b.satisfied)
            || conditions.iter().any(|c| !c.satisfied)
        {
            Outcome::Pending
        } else {
            Outcome::Approved
        };

        let only_windows =
            outcome == Outcome::Denied && blocks.iter().all(|b| b.kind != BlockKind::Deny);
        // The outcome and blocks are known by now: a limit reached only
        // while looking for a later start leaves the start unknown and says
        // why, instead of costing the decision.
        let (next_allowed_start, next_allowed_start_limit) = if only_windows {
            let win = |i: &WindowId| program.windows.get(*i).map(|w| &w.window);
            let mut during_ids = std::mem::take(&mut m.during);
            during_ids.sort_unstable();
            during_ids.dedup();
            let during: Vec<_> = during_ids.iter().filter_map(win).collect();
            let outside: Vec<Vec<_>> = m
                .outside
                .iter()
                .map(|g| g.iter().filter_map(win).collect())
                .collect();
            match next_allowed_start(change.start, change.duration(), &during, &outside, budget) {
                Ok(t) => (t.map(Into::into), None),
                Err(e) => match next_start::limit_note(&e) {
                    Some(note) => (None, Some(note)),
                    None => return Err(e.into()),
                },
            }
        } else {
            (None, None)
        };

        fired.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
        let impact = ImpactReport::new(self.targets, self.impact);
        Ok(Decision {
            change: Text::from(change.id.as_str()),
            outcome,
            approvals,
            backups,
            conditions,
            blocks,
            next_allowed_start,
            next_allowed_start_limit,
            impact,
            overrides,
            fired,
            audit: Audit {
                policy_digest: digest.clone(),
                engine: ENGINE.clone(),
            },
        })
    }

    /// Judges every override; returns them and which rules they lift.
    fn overrides(&self) -> (Vec<OverrideCheck>, Vec<bool>) {
        let program = self.program;
        // Allocated only when there is something to lift.
        let rules = if self.change.overrides.is_empty() {
            0
        } else {
            program.rules.len()
        };
        let mut lifted = vec![false; rules];
        let mut out: Vec<OverrideCheck> = self
            .change
            .overrides
            .iter()
            .map(|o| {
                let rule = program.rule_index.get(o.rule.as_str()).copied();
                let problem = match rule.and_then(|i| program.rules.get(i)) {
                    None => Some(format!("no rule is named `{}`", o.rule)),
                    Some(r) => match &r.override_by {
                        None => Some(format!(
                            "rule `{}` has no `override by`, so it cannot be overridden",
                            o.rule
                        )),
                        Some(groups) if !groups.iter().any(|g| **g == *o.group) => Some(format!(
                            "group `{}` may not override rule `{}`; it allows {}",
                            o.group,
                            o.rule,
                            groups
                                .iter()
                                .map(|g| format!("`{g}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                        Some(_) if o.reason.trim().is_empty() => {
                            Some("the reason is empty; say why the glass was broken".to_owned())
                        }
                        Some(_) if self.change.requested_by.as_deref() == Some(o.by.as_str()) => {
                            Some(format!(
                                "`{}` requested this change and cannot override its rules",
                                o.by
                            ))
                        }
                        Some(_) => None,
                    },
                };
                if problem.is_none() {
                    if let Some(l) = rule.and_then(|i| lifted.get_mut(i)) {
                        *l = true;
                    }
                }
                OverrideCheck {
                    rule: Text::from(o.rule.as_str()),
                    group: Text::from(o.group.as_str()),
                    by: Text::from(o.by.as_str()),
                    reason: Text::from(o.reason.as_str()),
                    counted: problem.is_none(),
                    problem,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            (&a.rule, &a.group, &a.by, &a.reason).cmp(&(&b.rule, &b.group, &b.by, &b.reason))
        });
        (out, lifted)
    }
}

/// Adds `rule` to the rules behind a requirement or block. Rules run one
/// after another, so a rule that adds to the same entry twice (an owner of
/// several nodes) is always the last one there: checking the last keeps
/// this O(1), where a search would be quadratic in policies of many rules.
pub(super) fn push_rule(rules: &mut Vec<Arc<str>>, rule: &Arc<str>) {
    if rules.last() != Some(rule) {
        rules.push(rule.clone());
    }
}

pub(super) fn names(mut rules: Vec<Arc<str>>) -> Vec<Text> {
    rules.sort_unstable();
    rules
}
