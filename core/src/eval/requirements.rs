//! Effects: how a fired rule adds requirements and blocks, merged as the
//! spec says, and how merged requirements are checked against the change.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use super::entries::Entries;
use super::{BackupKey, EvalError, Evaluator, Merged, Rules, names, push_rule};
use crate::change::BackupStatus;
use crate::compile::CEffect;
use crate::decision::{
    ApprovalCheck, BackupCheck, BlockKind, Evidence, Interval, NotCounted, NotCountedStatus, Text,
};
use crate::window::ScanBudget;

impl Evaluator<'_> {
    pub(super) fn effect(
        &mut self,
        eff: &CEffect,
        rule: &Arc<str>,
        m: &mut Merged,
        budget: &mut ScanBudget,
    ) -> Result<(), EvalError> {
        let change = self.change;
        match eff {
            CEffect::Approval { group, count } => {
                let e = m.approvals.entry(group.clone(), || (0, Vec::new()));
                e.0 = e.0.max(*count);
                push_rule(&mut e.1, rule);
            }
            CEffect::Owner(set) => {
                let nodes = self.set(*set);
                for &n in nodes.iter() {
                    let node = self.graph.node(n);
                    match &node.owner {
                        Some(owner) => {
                            let e = m.approvals.entry(owner.clone(), || (0, Vec::new()));
                            e.0 = e.0.max(1);
                            push_rule(&mut e.1, rule);
                        }
                        None => {
                            let msg = Text::from(format!(
                                "`{}` has no owner to approve the change",
                                node.id
                            ));
                            let e = m.conditions.entry(msg, || (false, Vec::new()));
                            // A gap is unmet even if a met condition shares its message.
                            e.0 = false;
                            push_rule(&mut e.1, rule);
                        }
                    }
                }
            }
            CEffect::Backup {
                set,
                kind,
                within,
                within_text,
                verified,
            } => {
                let nodes = self.set(*set);
                for &n in nodes.iter() {
                    let key = (self.graph.node(n).id.clone(), kind.clone());
                    let e = m.backups.entry(key, || {
                        (*within, within_text.clone(), *verified, Vec::new())
                    });
                    if *within < e.0 {
                        e.0 = *within;
                        e.1 = within_text.clone();
                    }
                    e.2 |= *verified;
                    push_rule(&mut e.3, rule);
                }
            }
            CEffect::Condition { expr, message } => {
                let ok = self.expr(expr).is_true();
                let e = m.conditions.entry(message.clone(), || (true, Vec::new()));
                e.0 &= ok;
                push_rule(&mut e.1, rule);
            }
            CEffect::DenyDuring(ws) => {
                for &w in ws {
                    m.during.push(w);
                    let Some(cw) = self.program.windows.get(w) else {
                        continue;
                    };
                    if let Some(occ) = cw.window.first_overlap(change.start, change.end, budget)? {
                        let e = m
                            .blocks
                            .entry((BlockKind::During, cw.name.clone()), || (None, Vec::new()));
                        e.0 = Some(Interval {
                            start: occ.start.into(),
                            end: occ.end.into(),
                        });
                        push_rule(&mut e.1, rule);
                    }
                }
            }
            CEffect::DenyOutside(ws) => {
                m.outside.push(ws.clone());
                let mut fits = false;
                for &w in ws {
                    if let Some(cw) = self.program.windows.get(w) {
                        if cw
                            .window
                            .containing(change.start, change.end, budget)?
                            .is_some()
                        {
                            fits = true;
                            break;
                        }
                    }
                }
                if !fits {
                    for &w in ws {
                        if let Some(cw) = self.program.windows.get(w) {
                            let e = m.blocks.entry((BlockKind::Outside, cw.name.clone()), || {
                                (None, Vec::new())
                            });
                            push_rule(&mut e.1, rule);
                        }
                    }
                }
            }
            CEffect::DenyMessage(msg) => {
                let e = m
                    .blocks
                    .entry((BlockKind::Deny, msg.clone()), || (None, Vec::new()));
                push_rule(&mut e.1, rule);
            }
        }
        Ok(())
    }

    pub(super) fn approvals(&self, merged: Entries<Arc<str>, (u32, Rules)>) -> Vec<ApprovalCheck> {
        let change = self.change;
        merged
            .into_sorted()
            .into_iter()
            .map(|(group, (required, rules))| {
                let mut granted: Vec<Text> = Vec::new();
                let mut not_counted: Vec<NotCounted> = Vec::new();
                for a in change.approvals.iter().filter(|a| *a.group == *group) {
                    match NotCountedStatus::of(a.status) {
                        Some(status) => not_counted.push(NotCounted {
                            by: Text::from(a.by.as_str()),
                            status,
                        }),
                        None if change.requested_by.as_deref() != Some(a.by.as_str()) => {
                            granted.push(Text::from(a.by.as_str()));
                        }
                        // The requester's own approval: see `granted_by`.
                        None => {}
                    }
                }
                granted.sort_unstable();
                granted.dedup();
                not_counted.sort_unstable();
                not_counted.dedup();
                ApprovalCheck {
                    group,
                    required,
                    satisfied: granted.len() >= required as usize,
                    granted_by: granted,
                    rules: names(rules),
                    not_counted,
                }
            })
            .collect()
    }

    pub(super) fn backups(
        &self,
        merged: Entries<BackupKey, (SignedDuration, Text, bool, Rules)>,
    ) -> Vec<BackupCheck> {
        let change = self.change;
        merged
            .into_sorted()
            .into_iter()
            .map(|((node, kind), (within, within_text, verified, rules))| {
                let earliest = change.start.checked_sub(within).unwrap_or(Timestamp::MIN);
                let best = change
                    .backups
                    .iter()
                    .zip(&self.backup_nodes)
                    .filter(|(b, at)| {
                        at.is_some_and(|n| *self.graph.node(n).id == *node)
                            && kind.as_deref().is_none_or(|k| b.kind.as_deref() == Some(k))
                            && b.status == BackupStatus::Completed
                            && (b.verified || !verified)
                            && b.taken_at >= earliest
                            && b.taken_at <= change.start
                    })
                    .map(|(b, _)| b.taken_at)
                    .max();
                BackupCheck {
                    node,
                    kind,
                    within: within_text,
                    verified,
                    satisfied: best.is_some(),
                    evidence: best.map(|t| Evidence { taken_at: t.into() }),
                    rules: names(rules),
                }
            })
            .collect()
    }
}
