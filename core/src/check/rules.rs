//! Checks of each rule's clauses and effects (docs/language.md, *Rules and
//! their clauses* and *Effects*).

use super::{CheckError, Cx, Located};
use crate::ast::{Effect, EffectKind, RuleDef};

impl Cx<'_, '_> {
    /// Checks a rule's conditions, effects and `override by` groups.
    pub(super) fn rule(&self, r: &RuleDef, errors: &mut Vec<Located>) {
        for e in r.when.iter().chain(&r.unless) {
            self.condition(e, "a condition", false, errors);
        }
        for eff in &r.effects {
            self.effect(eff, errors);
        }
        for g in r.override_by.iter().flatten() {
            if g.value.trim().is_empty() {
                errors.push((g.span, CheckError::EmptyGroup));
            }
        }
    }

    /// Checks an effect's sets, windows, conditions and numbers.
    fn effect(&self, eff: &Effect, errors: &mut Vec<Located>) {
        match &eff.kind {
            EffectKind::ApprovalGroup { group, count } => {
                if group.value.trim().is_empty() {
                    errors.push((group.span, CheckError::EmptyGroup));
                }
                if let Some((n, span)) = count {
                    if *n < 1 || *n > i64::from(u32::MAX) {
                        errors.push((
                            *span,
                            CheckError::TooSmall {
                                what: "an approval count",
                                min: "1",
                                found: n.to_string(),
                            },
                        ));
                    }
                }
            }
            EffectKind::ApprovalOwner { set } => self.set(set, errors),
            EffectKind::Backup { set, within, .. } => {
                self.set(set, errors);
                if within.value.as_secs() <= 0 {
                    errors.push((
                        within.span,
                        CheckError::TooSmall {
                            what: "`within`",
                            min: "1s",
                            found: crate::value::format_duration(within.value),
                        },
                    ));
                }
            }
            EffectKind::Condition { expr, .. } => {
                self.condition(expr, "`require … else`", false, errors)
            }
            EffectKind::DenyDuring(names) | EffectKind::DenyOutside(names) => {
                for n in names {
                    self.resolve(n, "window", errors);
                }
            }
            EffectKind::DenyMessage(_) => {}
        }
    }
}
