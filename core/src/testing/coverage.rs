//! What the cases exercised of each policy: every rule fired and not fired,
//! every effect met and unmet, every window blocking and clearing a change
//! (docs/testing.md, *Coverage*).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::compile::{CEffect, Program};
use crate::decision::{Block, BlockKind, Decision};
use crate::policy::Policy;

/// Coverage over every case of a run that reached a decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Coverage {
    /// Each rule, by file and line.
    pub rules: Vec<RuleCoverage>,
    /// Each effect of each rule, by file, line and order in the rule.
    pub effects: Vec<EffectCoverage>,
    /// Each window, by file and line.
    pub windows: Vec<WindowCoverage>,
}

/// A rule: covered when it fired in some case and did not in another (a
/// rule without `when` or `unless` always fires: covered once it fired).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleCoverage {
    /// The policy file, relative to where the tests were run from.
    pub file: String,
    /// The line of the rule's name.
    pub line: u32,
    /// The rule.
    pub rule: String,
    /// Cases in which it fired.
    pub fired: usize,
    /// Cases in which it did not.
    pub not_fired: usize,
    /// It has no `when` or `unless`, so it fires for every change.
    pub unconditional: bool,
    /// See the type's description.
    pub covered: bool,
}

/// An effect of a rule, in cases where the rule fired and no override
/// lifted it. A requirement is `met` or `unmet` as its entry in the
/// decision is satisfied or not; a `deny during`/`deny outside` is `unmet`
/// when it blocks the change and `met` when the change clears it. Covered
/// when both happened; a `deny "…"` always blocks when its rule holds, so
/// it is covered once it blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EffectCoverage {
    /// The policy file.
    pub file: String,
    /// The line of the rule's name.
    pub line: u32,
    /// The rule.
    pub rule: String,
    /// The effect, as the language writes it (`require approval "cab"`).
    pub effect: String,
    /// Cases in which it was met (or cleared).
    pub met: usize,
    /// Cases in which it was unmet (or blocked).
    pub unmet: usize,
    /// See the type's description.
    pub covered: bool,
}

/// A window: covered when it blocked some case, and some case that a rule
/// checked against it cleared it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct WindowCoverage {
    /// The policy file.
    pub file: String,
    /// The line of the window's name.
    pub line: u32,
    /// The window.
    pub window: String,
    /// Cases it blocked.
    pub blocked: usize,
    /// Cases a fired rule checked against it and it did not block.
    pub cleared: usize,
    /// Both counts are above zero.
    pub covered: bool,
}

/// Coverage being gathered over a run: items by (file, name), so a policy
/// file tested from several test files is counted once.
#[derive(Debug, Default)]
pub(crate) struct Gather {
    rules: BTreeMap<(String, u32, String), RuleCoverage>,
    effects: BTreeMap<(String, u32, String, usize), EffectCoverage>,
    windows: BTreeMap<(String, u32, String), WindowCoverage>,
}

/// `file` as the run names it: `dir` (the test file's folder) joined with
/// the policy source's name, `.` and `..` resolved by hand.
pub(crate) fn located(dir: &str, file: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in dir.split('/').chain(file.split('/')) {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn describe(program: &Program, effect: &CEffect) -> String {
    let window = |ids: &[usize]| {
        ids.iter()
            .filter_map(|&i| program.windows.get(i).map(|w| w.name.to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match effect {
        CEffect::Approval { group, count } if *count > 1 => {
            format!("require approval \"{group}\" count {count}")
        }
        CEffect::Approval { group, .. } => format!("require approval \"{group}\""),
        CEffect::Owner(_) => "require approval owner of …".to_owned(),
        CEffect::Backup {
            kind,
            within_text,
            verified,
            ..
        } => {
            let verified = if *verified { "verified " } else { "" };
            let kind = kind
                .as_ref()
                .map(|k| format!(" kind \"{k}\""))
                .unwrap_or_default();
            format!("require {verified}backup of …{kind} within {within_text}")
        }
        CEffect::Condition { message, .. } => format!("require … else \"{message}\""),
        CEffect::DenyDuring(ids) => format!("deny during {}", window(ids)),
        CEffect::DenyOutside(ids) => format!("deny outside {}", window(ids)),
        CEffect::DenyMessage(m) => format!("deny \"{m}\""),
    }
}

/// What one effect did in one decision: `Some(true)` met (cleared),
/// `Some(false)` unmet (blocked), `None` nothing to tell.
fn effect_in(
    program: &Program,
    rule: &str,
    effects: &[CEffect],
    i: usize,
    d: &Decision,
) -> Option<bool> {
    let listed = |rules: &[Arc<str>]| rules.iter().any(|r| &**r == rule);
    let blocked = |kind: BlockKind, ids: &[usize]| {
        d.blocks.iter().any(|b: &Block| {
            b.kind == kind
                && listed(&b.rules)
                && b.window.as_deref().is_some_and(|w| {
                    ids.iter()
                        .any(|&id| program.windows.get(id).is_some_and(|cw| &*cw.name == w))
                })
        })
    };
    let all = |found: Vec<bool>| (!found.is_empty()).then(|| found.iter().all(|s| *s));
    match effects.get(i)? {
        CEffect::Approval { group, .. } => d
            .approvals
            .iter()
            .find(|a| &a.group == group && listed(&a.rules))
            .map(|a| a.satisfied),
        CEffect::Owner(_) => {
            let explicit: Vec<&Arc<str>> = effects
                .iter()
                .filter_map(|e| match e {
                    CEffect::Approval { group, .. } => Some(group),
                    _ => None,
                })
                .collect();
            all(d
                .approvals
                .iter()
                .filter(|a| listed(&a.rules) && !explicit.contains(&&a.group))
                .map(|a| a.satisfied)
                .collect())
        }
        CEffect::Backup { kind, .. } => all(d
            .backups
            .iter()
            .filter(|b| &b.kind == kind && listed(&b.rules))
            .map(|b| b.satisfied)
            .collect()),
        CEffect::Condition { message, .. } => d
            .conditions
            .iter()
            .find(|c| &c.message == message && listed(&c.rules))
            .map(|c| c.satisfied),
        CEffect::DenyDuring(ids) => Some(!blocked(BlockKind::During, ids)),
        CEffect::DenyOutside(ids) => Some(!blocked(BlockKind::Outside, ids)),
        CEffect::DenyMessage(m) => Some(!d.blocks.iter().any(|b| {
            b.kind == BlockKind::Deny && b.message.as_ref() == Some(m) && listed(&b.rules)
        })),
    }
}

impl Gather {
    /// Lists every rule, effect and window of `policy` (tested from the
    /// folder `dir`), so that those no case reaches show as uncovered.
    pub(crate) fn policy(&mut self, dir: &str, policy: &Policy) {
        let program = policy.program();
        for rule in &program.rules {
            let file = located(dir, &rule.fired.file);
            let line = rule.fired.line;
            let name = rule.name.to_string();
            self.rules
                .entry((file.clone(), line, name.clone()))
                .or_insert_with(|| RuleCoverage {
                    file: file.clone(),
                    line,
                    rule: name.clone(),
                    fired: 0,
                    not_fired: 0,
                    unconditional: rule.when.is_empty() && rule.unless.is_empty(),
                    covered: false,
                });
            for (i, effect) in rule.effects.iter().enumerate() {
                self.effects
                    .entry((file.clone(), line, name.clone(), i))
                    .or_insert_with(|| EffectCoverage {
                        file: file.clone(),
                        line,
                        rule: name.clone(),
                        effect: describe(program, effect),
                        met: 0,
                        unmet: 0,
                        covered: false,
                    });
            }
        }
        for w in &program.windows {
            let file = located(dir, &w.file);
            self.windows
                .entry((file.clone(), w.line, w.name.to_string()))
                .or_insert_with(|| WindowCoverage {
                    file,
                    line: w.line,
                    window: w.name.to_string(),
                    blocked: 0,
                    cleared: 0,
                    covered: false,
                });
        }
    }

    /// Counts what the decision `d` of `policy` (tested from `dir`) shows.
    pub(crate) fn decision(&mut self, dir: &str, policy: &Policy, d: &Decision) {
        let program = policy.program();
        let lifted = |rule: &str| d.overrides.iter().any(|o| o.counted && &*o.rule == rule);
        let mut checked_windows: Vec<usize> = Vec::new();
        for rule in &program.rules {
            let file = located(dir, &rule.fired.file);
            let line = rule.fired.line;
            let name = rule.name.to_string();
            let fired = d.fired.iter().any(|f| f.rule == rule.name);
            if let Some(r) = self.rules.get_mut(&(file.clone(), line, name.clone())) {
                if fired {
                    r.fired += 1;
                } else {
                    r.not_fired += 1;
                }
            }
            if !fired || lifted(&rule.name) {
                continue;
            }
            for (i, effect) in rule.effects.iter().enumerate() {
                if let CEffect::DenyDuring(ids) | CEffect::DenyOutside(ids) = effect {
                    checked_windows.extend(ids);
                }
                let seen = effect_in(program, &rule.name, &rule.effects, i, d);
                if let (Some(met), Some(e)) = (
                    seen,
                    self.effects.get_mut(&(file.clone(), line, name.clone(), i)),
                ) {
                    if met {
                        e.met += 1;
                    } else {
                        e.unmet += 1;
                    }
                }
            }
        }
        for (id, w) in program.windows.iter().enumerate() {
            let blocked = d.blocks.iter().any(|b| b.window.as_ref() == Some(&w.name));
            let key = (located(dir, &w.file), w.line, w.name.to_string());
            if let Some(c) = self.windows.get_mut(&key) {
                if blocked {
                    c.blocked += 1;
                } else if checked_windows.contains(&id) {
                    c.cleared += 1;
                }
            }
        }
    }

    /// The coverage, each list sorted by file, line and name.
    pub(crate) fn finish(self) -> Coverage {
        Coverage {
            rules: self
                .rules
                .into_values()
                .map(|mut r| {
                    r.covered = r.fired > 0 && (r.not_fired > 0 || r.unconditional);
                    r
                })
                .collect(),
            effects: self
                .effects
                .into_values()
                .map(|mut e| {
                    e.covered = e.unmet > 0 && (e.met > 0 || e.effect.starts_with("deny \""));
                    e
                })
                .collect(),
            windows: self
                .windows
                .into_values()
                .map(|mut w| {
                    w.covered = w.blocked > 0 && w.cleared > 0;
                    w
                })
                .collect(),
        }
    }
}
