//! Stage 4 of compilation: the checked AST lowered to the form the evaluator
//! runs. Names are resolved to indices, paths to field selectors, every set
//! expression (named or inline) to one entry of a table that the evaluator
//! computes at most once per evaluation, and constant lists folded.

use std::collections::HashMap;
use std::sync::Arc;

use jiff::SignedDuration;

use crate::ast::{self, BinOp, EffectKind, ExprKind, Func, Root, SetKind, Walk};
use crate::check::{Checked, Symbol};
use crate::decision::Fired;
use crate::source::SourceMap;
use crate::value::Value;
use crate::window::Window;

/// Index into [`Program::sets`].
pub(crate) type SetId = usize;
/// Index into [`Program::windows`].
pub(crate) type WindowId = usize;

/// A compiled policy set.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub(crate) rules: Vec<CRule>,
    pub(crate) sets: Vec<CSet>,
    pub(crate) windows: Vec<CWindow>,
    /// Rule index by name, for overrides.
    pub(crate) rule_index: HashMap<Arc<str>, usize>,
}

/// A named window.
#[derive(Debug, Clone)]
pub(crate) struct CWindow {
    pub(crate) name: Arc<str>,
    pub(crate) window: Window,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub(crate) name: Arc<str>,
    pub(crate) when: Vec<CExpr>,
    pub(crate) unless: Vec<CExpr>,
    pub(crate) effects: Vec<CEffect>,
    /// `None` when the rule has no `override by`.
    pub(crate) override_by: Option<Vec<Arc<str>>>,
    /// The decision's entry for the rule when it fires, shared by every
    /// decision.
    pub(crate) fired: Arc<Fired>,
}

/// A compiled effect.
#[derive(Debug, Clone)]
pub(crate) enum CEffect {
    Approval {
        group: Arc<str>,
        count: u32,
    },
    Owner(SetId),
    Backup {
        set: SetId,
        kind: Option<Arc<str>>,
        within: SignedDuration,
        verified: bool,
    },
    Condition {
        expr: CExpr,
        message: Arc<str>,
    },
    DenyDuring(Vec<WindowId>),
    DenyOutside(Vec<WindowId>),
    DenyMessage(Arc<str>),
}

/// A compiled node set.
#[derive(Debug, Clone)]
pub(crate) enum CSet {
    Targets,
    Impacted,
    Walk {
        dir: Walk,
        of: SetId,
        depth: Option<u32>,
    },
    Filter {
        of: SetId,
        filters: Vec<CExpr>,
    },
}

/// The first field of a `change.…` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeField {
    Id,
    Type,
    Start,
    End,
    RequestedBy,
    Targets,
    Duration,
    Attr,
}

/// The first field of a `node.…` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeField {
    Id,
    Kind,
    Tier,
    Owner,
    Tags,
    Depth,
    Attr,
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub(crate) enum CExpr {
    Const(Value),
    /// `change.first.rest…`; for `Attr`, `rest[0]` is the attribute name.
    Change(ChangeField, Box<[Arc<str>]>),
    /// `node.first.rest…`; for `Attr`, `rest[0]` is the attribute name.
    Node(NodeField, Box<[Arc<str>]>),
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Cmp(BinOp, Box<CExpr>, Box<CExpr>),
    /// `x in node.tags` (or `not in` when the flag is set): tested against
    /// the node's tags in place, without building a list.
    InNodeTags(Box<CExpr>, bool),
    List(Vec<CExpr>),
    Call(Func, SetId, Option<Box<CExpr>>),
}

/// Lowers a checked policy set.
pub(crate) fn compile(checked: &Checked<'_>, map: &SourceMap) -> Program {
    let mut c = Compiler {
        checked,
        sets: Vec::new(),
        let_ids: HashMap::new(),
    };
    let windows = checked
        .windows
        .iter()
        .map(|(def, w)| CWindow {
            name: Arc::from(def.name.name.as_str()),
            window: w.clone(),
        })
        .collect();
    let mut rules: Vec<CRule> = checked
        .rules
        .iter()
        .map(|r| {
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
                when: r.when.iter().map(|e| c.expr(e)).collect(),
                unless: r.unless.iter().map(|e| c.expr(e)).collect(),
                effects: r.effects.iter().map(|e| c.effect(&e.kind)).collect(),
                override_by: r
                    .override_by
                    .as_ref()
                    .map(|gs| gs.iter().map(|g| Arc::from(g.value.as_str())).collect()),
            }
        })
        .collect();
    // Evaluate in a stable order, independent of how files were passed.
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    let rule_index = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    Program {
        rules,
        sets: c.sets,
        windows,
        rule_index,
    }
}

struct Compiler<'c, 'a> {
    checked: &'c Checked<'a>,
    sets: Vec<CSet>,
    let_ids: HashMap<usize, SetId>,
}

impl Compiler<'_, '_> {
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

fn path(root: Root, fields: &[String]) -> CExpr {
    let first = fields.first().map_or("", String::as_str);
    let all: Box<[Arc<str>]> = fields.iter().map(|f| Arc::from(f.as_str())).collect();
    let rest: Box<[Arc<str>]> = all.get(1..).unwrap_or(&[]).into();
    match root {
        Root::Change => {
            let f = match first {
                "id" => ChangeField::Id,
                "type" => ChangeField::Type,
                "start" => ChangeField::Start,
                "end" => ChangeField::End,
                "requested_by" => ChangeField::RequestedBy,
                "targets" => ChangeField::Targets,
                "duration" => ChangeField::Duration,
                _ => return CExpr::Change(ChangeField::Attr, all),
            };
            CExpr::Change(f, rest)
        }
        Root::Node => {
            let f = match first {
                "id" => NodeField::Id,
                "kind" => NodeField::Kind,
                "tier" => NodeField::Tier,
                "owner" => NodeField::Owner,
                "tags" => NodeField::Tags,
                "depth" => NodeField::Depth,
                _ => return CExpr::Node(NodeField::Attr, all),
            };
            CExpr::Node(f, rest)
        }
    }
}
