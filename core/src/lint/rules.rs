//! One function per lint, each over the checked policy set.

use std::collections::HashSet;

use super::{Lint, Raw};
use crate::ast::{EffectKind, Expr, Part, RuleDef, SetExpr, SetKind};
use crate::compile::Checked;

/// Every lint's findings, unsorted.
pub(super) fn all(checked: &Checked<'_>) -> Vec<Raw> {
    let mut out = Vec::new();
    let used = Used::of(checked);
    unused_let(checked, &used, &mut out);
    unused_window(checked, &used, &mut out);
    for r in &checked.rules {
        empty_else_message(r, &mut out);
        override_by_approver(r, &mut out);
    }
    out
}

/// The names that rules and `let`s refer to, across every file.
#[derive(Default)]
struct Used<'a> {
    sets: HashSet<&'a str>,
    windows: HashSet<&'a str>,
}

impl<'a> Used<'a> {
    fn of(checked: &Checked<'a>) -> Used<'a> {
        let mut u = Used::default();
        for l in &checked.lets {
            u.set(&l.set);
        }
        for r in &checked.rules {
            r.when.iter().chain(&r.unless).for_each(|e| u.expr(e));
            for e in &r.effects {
                match &e.kind {
                    EffectKind::ApprovalGroup { .. } | EffectKind::DenyMessage(_) => {}
                    EffectKind::ApprovalOwner { set } | EffectKind::Backup { set, .. } => {
                        u.set(set);
                    }
                    EffectKind::Condition { expr, .. } => u.expr(expr),
                    EffectKind::DenyDuring(ws) | EffectKind::DenyOutside(ws) => {
                        u.windows.extend(ws.iter().map(|w| w.name.as_str()));
                    }
                }
            }
        }
        u
    }

    fn set(&mut self, s: &'a SetExpr) {
        match &s.kind {
            SetKind::Targets | SetKind::Impacted => {}
            SetKind::Walk { of, .. } => self.set(of),
            SetKind::Named(n) => {
                self.sets.insert(n.name.as_str());
            }
            SetKind::Where { of, filters } => {
                self.set(of);
                filters.iter().for_each(|f| self.expr(f));
            }
        }
    }

    fn expr(&mut self, e: &'a Expr) {
        e.each_part(|part| match part {
            Part::Expr(x) => self.expr(x),
            Part::Set(s) => self.set(s),
        });
    }
}

/// `unused-let`: a `let` set that no rule or `let` of any file refers to.
fn unused_let(checked: &Checked<'_>, used: &Used<'_>, out: &mut Vec<Raw>) {
    for l in &checked.lets {
        if !used.sets.contains(l.name.name.as_str()) {
            out.push(Raw {
                lint: Lint::UnusedLet,
                span: l.name.span,
                message: format!("the set `{}` is defined but never used", l.name.name),
                help: Some(
                    "use it in a rule or another `let`, or remove it; if another policy set \
                     uses this file, allow it with `# changegate: allow(unused-let)`"
                        .to_owned(),
                ),
            });
        }
    }
}

/// `unused-window`: a window that no rule of any file denies during or
/// outside.
fn unused_window(checked: &Checked<'_>, used: &Used<'_>, out: &mut Vec<Raw>) {
    for (w, _) in &checked.windows {
        if !used.windows.contains(w.name.name.as_str()) {
            out.push(Raw {
                lint: Lint::UnusedWindow,
                span: w.name.span,
                message: format!("the window `{}` is defined but never used", w.name.name),
                help: Some(format!(
                    "use it in a rule (`deny during {0}` or `deny outside {0}`), or remove it",
                    w.name.name
                )),
            });
        }
    }
}

/// `empty-else-message`: `require … else ""` (or only spaces) tells the
/// person whose change is held nothing.
fn empty_else_message(rule: &RuleDef, out: &mut Vec<Raw>) {
    for e in &rule.effects {
        if let EffectKind::Condition { message, .. } = &e.kind {
            if message.value.trim().is_empty() {
                out.push(Raw {
                    lint: Lint::EmptyElseMessage,
                    span: message.span,
                    message: format!(
                        "rule `{}`: the `else` message is empty, so a held change shows no reason",
                        rule.name.name
                    ),
                    help: Some(
                        "say what is missing and how to get it, e.g. `else \"a rollback plan is \
                         required: add change.attributes.rollback_plan\"`"
                            .to_owned(),
                    ),
                });
            }
        }
    }
}

/// `override-by-approver`: `override by "G"` on a rule that requires
/// approval from `G` lets the approvers bypass their own requirement.
fn override_by_approver(rule: &RuleDef, out: &mut Vec<Raw>) {
    let Some(groups) = &rule.override_by else {
        return;
    };
    let required: HashSet<&str> = rule
        .effects
        .iter()
        .filter_map(|e| match &e.kind {
            EffectKind::ApprovalGroup { group, .. } => Some(group.value.as_str()),
            _ => None,
        })
        .collect();
    for g in groups {
        if required.contains(g.value.as_str()) {
            out.push(Raw {
                lint: Lint::OverrideByApprover,
                span: g.span,
                message: format!(
                    "rule `{}` requires approval from `{}` and can be overridden by `{}`: its \
                     approvers can bypass their own requirement",
                    rule.name.name, g.value, g.value
                ),
                help: Some(
                    "name another group in `override by` (an incident or break-glass group), \
                     so that the override is someone else's decision"
                        .to_owned(),
                ),
            });
        }
    }
}
