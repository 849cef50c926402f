//! `duplicate-requirement`: an effect that another effect already makes
//! whenever it applies. Two cases, both compared on canonical text (the
//! same words, whatever the spacing or parentheses):
//!
//! - the same requirement in two rules with the same conditions (the same
//!   `when`s and `unless`es, in any order), or twice in one rule;
//! - a requirement that a rule without conditions already makes.
//!
//! The earlier rule's override must not lift more: if the other rule can
//! be overridden by a group that the duplicate's rule cannot, the duplicate
//! still holds after that override and is no duplicate.

use std::collections::{BTreeSet, HashMap};

use super::{Lint, Raw, canon};
use crate::ast::{Effect, RuleDef};

struct Seen<'a> {
    rule: &'a RuleDef,
    conditions: Vec<String>,
    overrides: BTreeSet<&'a str>,
    effects: Vec<(Option<String>, &'a Effect)>,
}

impl<'a> Seen<'a> {
    fn of(rule: &'a RuleDef) -> Seen<'a> {
        let mut conditions: Vec<String> = rule
            .when
            .iter()
            .map(|e| format!("when {}", canon::expr(e)))
            .chain(
                rule.unless
                    .iter()
                    .map(|e| format!("unless {}", canon::expr(e))),
            )
            .collect();
        conditions.sort_unstable();
        conditions.dedup();
        Seen {
            rule,
            conditions,
            overrides: rule
                .override_by
                .iter()
                .flatten()
                .map(|g| g.value.as_str())
                .collect(),
            effects: rule
                .effects
                .iter()
                .map(|e| (canon::effect(&e.kind), e))
                .collect(),
        }
    }

    /// Whether this rule's requirements hold whenever `later`'s apply:
    /// the same conditions or none, and no override that `later` lacks.
    fn covers(&self, later: &Seen<'_>) -> bool {
        (self.conditions.is_empty() || self.conditions == later.conditions)
            && self.overrides.is_subset(&later.overrides)
    }
}

/// The findings, in the order of the rules (every file in turn).
pub(super) fn all(rules: &[&RuleDef], out: &mut Vec<Raw>) {
    let seen: Vec<Seen<'_>> = rules.iter().map(|r| Seen::of(r)).collect();
    // The rules that make each requirement, so that a large policy set is
    // not compared rule by rule.
    let mut makers: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, s) in seen.iter().enumerate() {
        for key in s.effects.iter().filter_map(|(k, _)| k.as_deref()) {
            let list = makers.entry(key).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    for (i, later) in seen.iter().enumerate() {
        for (j, (key, effect)) in later.effects.iter().enumerate() {
            let Some(key) = key else { continue };
            let same_rule = later
                .effects
                .iter()
                .take(j)
                .any(|(k, _)| k.as_deref() == Some(key.as_str()));
            let earlier = makers
                .get(key.as_str())
                .into_iter()
                .flatten()
                .filter_map(|&k| Some((k, seen.get(k)?)))
                .find(|(k, s)| {
                    *k != i
                        && s.covers(later)
                        // Of two rules with the same conditions the later one
                        // is the duplicate; an unconditional rule is never one
                        // of a conditional rule's.
                        && (*k < i || (s.conditions.is_empty() && !later.conditions.is_empty()))
                });
            let by = if same_rule {
                "the rule already requires this above".to_owned()
            } else if let Some((_, s)) = earlier {
                if s.conditions.is_empty() {
                    format!(
                        "rule `{}` already requires this of every change",
                        s.rule.name.name
                    )
                } else {
                    format!(
                        "rule `{}` already requires this under the same conditions",
                        s.rule.name.name
                    )
                }
            } else {
                continue;
            };
            out.push(Raw {
                lint: Lint::DuplicateRequirement,
                span: effect.span,
                message: format!(
                    "rule `{}`: a duplicate requirement: {by}",
                    later.rule.name.name
                ),
                help: Some(
                    "remove one of the two; if they are meant to differ, say how (another \
                     group, count, set or window)"
                        .to_owned(),
                ),
            });
        }
    }
}
