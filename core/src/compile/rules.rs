//! Rules, sets and expressions lowered to their compiled form.

use std::collections::HashMap;
use std::sync::Arc;

use super::{
    CEffect, CExpr, CRule, CSet, ChangeField, Checked, NodeField, SetId, Symbol, WindowId,
};
use crate::ast::{self, BinOp, EffectKind, ExprKind, Root, RuleDef, SetKind};
use crate::decision::Fired;
use crate::source::SourceMap;
use crate::value::Value;

/// Lowers the rules of a checked policy set, collecting the table of sets
/// they use.
pub(super) struct Compiler<'c, 'a> {
    checked: &'c Checked<'a>,
    sets: Vec<CSet>,
    /// The set each `let` (by index) was lowered to, so a set used by many
    /// rules is computed once.
    let_ids: HashMap<usize, SetId>,
}

impl<'c, 'a> Compiler<'c, 'a> {
    pub(super) fn new(checked: &'c Checked<'a>) -> Self {
        Compiler {
            checked,
            sets: Vec::new(),
            let_ids: HashMap::new(),
        }
    }

    /// The sets the rules lowered so far use.
    pub(super) fn into_sets(self) -> Vec<CSet> {
        self.sets
    }

    /// Lowers a rule, with its entry for the decisions it fires in.
    pub(super) fn rule(&mut self, r: &RuleDef, map: &SourceMap) -> CRule {
        let name: Arc<str> = Arc::from(r.name.name.as_str());
        let file: Arc<str> = Arc::from(map.name(r.name.span.file));
        let line = map.line(r.name.span);
        let because: Option<Arc<str>> = r.because.as_ref().map(|b| Arc::from(b.value.as_str()));
        CRule {
            fired: Arc::new(Fired {
                rule: name.clone(),
                file,
                line,
                because,
            }),
            name,
            when: r.when.iter().map(|e| self.expr(e)).collect(),
            unless: r.unless.iter().map(|e| self.expr(e)).collect(),
            effects: r.effects.iter().map(|e| self.effect(&e.kind)).collect(),
            override_by: r
                .override_by
                .as_ref()
                .map(|gs| gs.iter().map(|g| Arc::from(g.value.as_str())).collect()),
        }
    }

    fn push(&mut self, s: CSet) -> SetId {
        // Share identical simple sets (targets, impacted).
        if let CSet::Targets | CSet::Impacted = s {
            let same = self
                .sets
                .iter()
                .position(|x| std::mem::discriminant(x) == std::mem::discriminant(&s));
            if let Some(i) = same {
                return i;
            }
        }
        self.sets.push(s);
        self.sets.len() - 1
    }

    fn effect(&mut self, e: &EffectKind) -> CEffect {
        match e {
            EffectKind::ApprovalGroup { group, count } => CEffect::Approval {
                group: Arc::from(group.value.as_str()),
                count: count.map_or(1, |(n, _)| u32::try_from(n).unwrap_or(u32::MAX)),
            },
            EffectKind::ApprovalOwner { set } => CEffect::Owner(self.set(set)),
            EffectKind::Backup {
                verified,
                set,
                kind,
                within,
            } => CEffect::Backup {
                set: self.set(set),
                kind: kind.as_ref().map(|k| Arc::from(k.value.as_str())),
                within: within.value,
                within_text: Arc::from(crate::value::format_duration(within.value)),
                verified: *verified,
            },
            EffectKind::Condition { expr, message } => CEffect::Condition {
                expr: self.expr(expr),
                message: Arc::from(message.value.as_str()),
            },
            EffectKind::DenyDuring(ws) => CEffect::DenyDuring(self.windows(ws)),
            EffectKind::DenyOutside(ws) => CEffect::DenyOutside(self.windows(ws)),
            EffectKind::DenyMessage(m) => CEffect::DenyMessage(Arc::from(m.value.as_str())),
        }
    }

    fn windows(&self, names: &[ast::Ident]) -> Vec<WindowId> {
        let mut ids: Vec<WindowId> = names
            .iter()
            .filter_map(|n| match self.checked.symbols.get(n.name.as_str()) {
                Some(Symbol::Window(i)) => Some(*i),
                _ => None,
            })
            .collect();
        ids.dedup();
        ids
    }

    fn set(&mut self, s: &ast::SetExpr) -> SetId {
        match &s.kind {
            SetKind::Targets => self.push(CSet::Targets),
            SetKind::Impacted => self.push(CSet::Impacted),
            SetKind::Walk { dir, of, depth } => {
                let of = self.set(of);
                self.push(CSet::Walk {
                    dir: *dir,
                    of,
                    depth: depth.map(|(d, _)| u32::try_from(d).unwrap_or(u32::MAX)),
                })
            }
            SetKind::Where { of, filters } => {
                let of = self.set(of);
                let filters = filters.iter().map(|f| self.expr(f)).collect();
                self.push(CSet::Filter { of, filters })
            }
            SetKind::Named(id) => match self.checked.symbols.get(id.name.as_str()) {
                Some(Symbol::Set(i)) => {
                    if let Some(&sid) = self.let_ids.get(i) {
                        return sid;
                    }
                    let sid = match self.checked.lets.get(*i) {
                        Some(l) => self.set(&l.set),
                        None => self.push(CSet::Filter {
                            of: 0,
                            filters: vec![CExpr::Const(Value::Bool(false))],
                        }),
                    };
                    self.let_ids.insert(*i, sid);
                    sid
                }
                // The checks guarantee a set; fall back to the empty set.
                _ => {
                    let of = self.push(CSet::Targets);
                    self.push(CSet::Filter {
                        of,
                        filters: vec![CExpr::Const(Value::Bool(false))],
                    })
                }
            },
        }
    }

    fn expr(&mut self, e: &ast::Expr) -> CExpr {
        match &e.kind {
            ExprKind::Null => CExpr::Const(Value::Null),
            ExprKind::Bool(b) => CExpr::Const(Value::Bool(*b)),
            ExprKind::Int(i) => CExpr::Const(Value::Int(*i)),
            ExprKind::Str(s) => CExpr::Const(Value::str(s)),
            ExprKind::Duration(d) => CExpr::Const(Value::Duration(*d)),
            ExprKind::DateTime(d) => CExpr::Const(Value::DateTime(
                d.civil
                    .to_zoned(jiff::tz::TimeZone::fixed(
                        d.offset.unwrap_or(jiff::tz::Offset::UTC),
                    ))
                    .map(|z| z.timestamp())
                    .unwrap_or_default(),
            )),
            ExprKind::List(items) => {
                let items: Vec<CExpr> = items.iter().map(|i| self.expr(i)).collect();
                if items.iter().all(|i| matches!(i, CExpr::Const(_))) {
                    let values = items
                        .into_iter()
                        .filter_map(|i| match i {
                            CExpr::Const(v) => Some(v),
                            _ => None,
                        })
                        .collect();
                    CExpr::Const(Value::List(values))
                } else {
                    CExpr::List(items)
                }
            }
            ExprKind::Path { root, fields } => path(*root, fields),
            ExprKind::Not(x) => CExpr::Not(Box::new(self.expr(x))),
            ExprKind::Logic { op, operands } => {
                let ops = operands.iter().map(|o| self.expr(o)).collect();
                if *op == BinOp::And {
                    CExpr::And(ops)
                } else {
                    CExpr::Or(ops)
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.expr(lhs), self.expr(rhs));
                match (op, &r) {
                    (BinOp::In | BinOp::NotIn, CExpr::Node(NodeField::Tags, rest))
                        if rest.is_empty() =>
                    {
                        CExpr::InNodeTags(Box::new(l), *op == BinOp::NotIn)
                    }
                    _ => CExpr::Cmp(*op, Box::new(l), Box::new(r)),
                }
            }
            ExprKind::Call { func, set, arg } => {
                let sid = self.set(set);
                CExpr::Call(*func, sid, arg.as_ref().map(|a| Box::new(self.expr(a))))
            }
        }
    }
}

/// `change.…` or `node.…`: the first field picks a built-in field, else
/// the path reads an attribute, whose name then stays first in the rest.
fn path(root: Root, fields: &[String]) -> CExpr {
    let first = fields.first().map_or("", String::as_str);
    let all: Box<[Arc<str>]> = fields.iter().map(|f| Arc::from(f.as_str())).collect();
    let rest = || -> Box<[Arc<str>]> { all.get(1..).unwrap_or(&[]).into() };
    match root {
        Root::Change => match ChangeField::named(first) {
            ChangeField::Attr => CExpr::Change(ChangeField::Attr, all),
            f => CExpr::Change(f, rest()),
        },
        Root::Node => match NodeField::named(first) {
            NodeField::Attr => CExpr::Node(NodeField::Attr, all),
            f => CExpr::Node(f, rest()),
        },
    }
}
