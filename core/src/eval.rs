//! Evaluation: a compiled policy, a graph and a change give a decision.
//!
//! The blast radius is computed once; every set expression is computed at
//! most once and shared; requirements are merged as the spec says; windows
//! are searched within a scan budget.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};

use crate::ast::{BinOp, Func, Walk};
use crate::change::{BackupStatus, Change};
use crate::compile::{CEffect, CExpr, CSet, ChangeField, NodeField, Program, SetId, WindowId};
use crate::decision::{
    ApprovalCheck, Audit, BackupCheck, Block, BlockKind, ConditionCheck, Decision, Evidence,
    ImpactReport, Interval, Outcome, OverrideCheck, Text, ts,
};
use crate::graph::{Direction, Graph, Impact, NodeIdx};
use crate::input::InputError;
use crate::value::{Value, format_duration};
use crate::window::{ScanBudget, WindowError};

static ENGINE: std::sync::LazyLock<Text> =
    std::sync::LazyLock::new(|| Text::from(concat!("changegate ", env!("CARGO_PKG_VERSION"))));

/// What can stop an evaluation.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A target that is not a node of the graph.
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
    let mut targets = Vec::with_capacity(change.targets.len());
    for (i, id) in change.targets.iter().enumerate() {
        match graph.index_of(id) {
            Some(n) => targets.push(n),
            None => {
                let near = crate::check::closest(id, graph.nodes().map(|(_, n)| &*n.id));
                return Err(EvalError::UnknownTarget(InputError {
                    path: format!("targets[{i}]"),
                    message: format!("unknown target `{id}`: no node of the graph has this id"),
                    help: Some(match near {
                        Some(n) => format!("did you mean `{n}`?"),
                        None => "add the node to the graph, or fix the id".to_owned(),
                    }),
                }));
            }
        }
    }
    let impact = graph.impact(&targets);
    let ev = Evaluator {
        program,
        change,
        graph,
        targets,
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
    targets: Vec<NodeIdx>,
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
    approvals: BTreeMap<Arc<str>, (u32, Rules)>,
    /// (node, kind) → (shortest within, verified if any asked, rules)
    backups: BTreeMap<BackupKey, (SignedDuration, bool, Rules)>,
    /// message → (all satisfied, rules)
    conditions: BTreeMap<Text, (bool, Rules)>,
    /// (kind, window or message) → (first overlapping occurrence, rules)
    blocks: BTreeMap<(BlockKind, Text), (Option<Interval>, Rules)>,
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
            .into_iter()
            .map(|(message, (satisfied, rules))| ConditionCheck {
                message,
                satisfied,
                rules: names(rules),
            })
            .collect();
        let blocks: Vec<Block> = m
            .blocks
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
        let next_allowed_start = if only_windows {
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
            crate::window::next_allowed_start(
                change.start,
                change.duration(),
                &during,
                &outside,
                budget,
            )?
            .map(ts)
        } else {
            None
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

    fn effect(
        &mut self,
        eff: &CEffect,
        rule: &Arc<str>,
        m: &mut Merged,
        budget: &mut ScanBudget,
    ) -> Result<(), EvalError> {
        let change = self.change;
        match eff {
            CEffect::Approval { group, count } => {
                let e = m.approvals.entry(group.clone()).or_insert((0, Vec::new()));
                e.0 = e.0.max(*count);
                push_rule(&mut e.1, rule);
            }
            CEffect::Owner(set) => {
                let nodes = self.set(*set);
                for &n in nodes.iter() {
                    let node = self.graph.node(n);
                    match &node.owner {
                        Some(owner) => {
                            let e = m.approvals.entry(owner.clone()).or_insert((0, Vec::new()));
                            e.0 = e.0.max(1);
                            push_rule(&mut e.1, rule);
                        }
                        None => {
                            let msg = Text::from(format!(
                                "`{}` has no owner to approve the change",
                                node.id
                            ));
                            let e = m.conditions.entry(msg).or_insert((false, Vec::new()));
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
                verified,
            } => {
                let nodes = self.set(*set);
                for &n in nodes.iter() {
                    let key = (self.graph.node(n).id.clone(), kind.clone());
                    let e = m
                        .backups
                        .entry(key)
                        .or_insert((*within, *verified, Vec::new()));
                    e.0 = e.0.min(*within);
                    e.1 |= *verified;
                    push_rule(&mut e.2, rule);
                }
            }
            CEffect::Condition { expr, message } => {
                let ok = self.expr(expr).is_true();
                let e = m
                    .conditions
                    .entry(message.clone())
                    .or_insert((true, Vec::new()));
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
                            .entry((BlockKind::During, cw.name.clone()))
                            .or_insert((None, Vec::new()));
                        e.0 = Some(Interval {
                            start: ts(occ.start),
                            end: ts(occ.end),
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
                            let e = m
                                .blocks
                                .entry((BlockKind::Outside, cw.name.clone()))
                                .or_insert((None, Vec::new()));
                            push_rule(&mut e.1, rule);
                        }
                    }
                }
            }
            CEffect::DenyMessage(msg) => {
                let e = m
                    .blocks
                    .entry((BlockKind::Deny, msg.clone()))
                    .or_insert((None, Vec::new()));
                push_rule(&mut e.1, rule);
            }
        }
        Ok(())
    }

    fn approvals(&self, merged: BTreeMap<Arc<str>, (u32, Rules)>) -> Vec<ApprovalCheck> {
        let change = self.change;
        merged
            .into_iter()
            .map(|(group, (required, rules))| {
                let mut granted: Vec<Text> = change
                    .approvals
                    .iter()
                    .filter(|a| {
                        *a.group == *group && change.requested_by.as_deref() != Some(a.by.as_str())
                    })
                    .map(|a| Text::from(a.by.as_str()))
                    .collect();
                granted.sort_unstable();
                granted.dedup();
                ApprovalCheck {
                    group,
                    required,
                    satisfied: granted.len() >= required as usize,
                    granted_by: granted,
                    rules: names(rules),
                }
            })
            .collect()
    }

    fn backups(
        &self,
        merged: BTreeMap<BackupKey, (SignedDuration, bool, Rules)>,
    ) -> Vec<BackupCheck> {
        let change = self.change;
        merged
            .into_iter()
            .map(|((node, kind), (within, verified, rules))| {
                let earliest = change.start.checked_sub(within).unwrap_or(Timestamp::MIN);
                let best = change
                    .backups
                    .iter()
                    .filter(|b| {
                        *b.resource == *node
                            && kind.as_deref().is_none_or(|k| b.kind.as_deref() == Some(k))
                            && b.status == BackupStatus::Completed
                            && (b.verified || !verified)
                            && b.taken_at >= earliest
                            && b.taken_at <= change.start
                    })
                    .map(|b| b.taken_at)
                    .max();
                BackupCheck {
                    node,
                    kind,
                    within: format_duration(within),
                    verified,
                    satisfied: best.is_some(),
                    evidence: best.map(|t| Evidence { taken_at: ts(t) }),
                    rules: names(rules),
                }
            })
            .collect()
    }

    /// The nodes of set `id`, computed once per evaluation.
    fn set(&mut self, id: SetId) -> Arc<[NodeIdx]> {
        if let Some(Some(s)) = self.sets.get(id) {
            return s.clone();
        }
        let program = self.program;
        let nodes: Arc<[NodeIdx]> = match program.sets.get(id) {
            None => Arc::from([]),
            Some(CSet::Targets) => Arc::from(self.targets.as_slice()),
            // Rules only count, test or collect the nodes of a set, so the
            // walk's order serves (the report sorts only if it is read).
            Some(CSet::Impacted) => self.impact.nodes_unordered().collect(),
            Some(CSet::Walk { dir, of, depth }) => {
                let from = self.set(*of);
                let dir = match dir {
                    Walk::Dependents => Direction::Dependents,
                    Walk::Dependencies => Direction::Dependencies,
                };
                self.graph
                    .reach(&from, dir, *depth)
                    .into_iter()
                    .map(|(n, _)| n)
                    .collect()
            }
            Some(CSet::Filter { of, filters }) => {
                let from = self.set(*of);
                let saved = self.node;
                let mut out = Vec::new();
                for &n in from.iter() {
                    self.node = Some(n);
                    if filters.iter().all(|f| self.expr(f).is_true()) {
                        out.push(n);
                    }
                }
                self.node = saved;
                Arc::from(out)
            }
        };
        if let Some(slot) = self.sets.get_mut(id) {
            *slot = Some(nodes.clone());
        }
        nodes
    }

    fn expr(&mut self, e: &CExpr) -> Value {
        match e {
            CExpr::Const(v) => v.clone(),
            CExpr::Change(f, rest) => {
                let v = self.change_field(*f, rest);
                follow(v, rest, *f == ChangeField::Attr)
            }
            CExpr::Node(f, rest) => {
                let v = self.node_field(*f, rest);
                follow(v, rest, *f == NodeField::Attr)
            }
            CExpr::Not(x) => match self.expr(x) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            CExpr::And(xs) => Value::Bool(xs.iter().all(|x| self.expr(x).is_true())),
            CExpr::Or(xs) => Value::Bool(xs.iter().any(|x| self.expr(x).is_true())),
            CExpr::InNodeTags(item, negate) => {
                let found = match (&**item, self.node) {
                    (CExpr::Const(Value::Str(s)), Some(n)) => {
                        self.graph.node(n).tags.iter().any(|t| **t == **s)
                    }
                    (item, Some(n)) => match self.expr(item) {
                        Value::Str(s) => self.graph.node(n).tags.iter().any(|t| **t == *s),
                        _ => false,
                    },
                    (_, None) => false,
                };
                Value::Bool(found != *negate)
            }
            CExpr::Cmp(op, l, r) => {
                // `node.tier == 0`, `change.type == "normal"`: a field
                // against a constant is compared where it lies, unbuilt.
                if let CExpr::Const(c) = &**r {
                    if let Some(holds) = self.cmp_in_place(*op, l, c) {
                        return Value::Bool(holds);
                    }
                }
                let l = self.expr(l);
                // Constants (the usual right-hand side) are compared in place.
                let holds = match &**r {
                    CExpr::Const(c) => compare(*op, &l, c),
                    r => compare(*op, &l, &self.expr(r)),
                };
                Value::Bool(holds)
            }
            CExpr::List(xs) => Value::List(xs.iter().map(|x| self.expr(x)).collect()),
            CExpr::Call(func, set, arg) => self.call(*func, *set, arg.as_deref()),
        }
    }

    fn call(&mut self, func: Func, set: SetId, arg: Option<&CExpr>) -> Value {
        let count = |n: usize| Value::Int(i64::try_from(n).unwrap_or(i64::MAX));
        let test = arg.and_then(NodeTest::of);
        // `impacted` is read straight off the walk, not copied into a set.
        if let Some(CSet::Impacted) = self.program.sets.get(set) {
            match (func, &test) {
                (Func::Count, _) => return count(self.impact.len()),
                (Func::Any, Some(t)) => {
                    let mut nodes = self.impact.nodes_unordered();
                    return Value::Bool(nodes.any(|n| self.node_test(t, n)));
                }
                (Func::All, Some(t)) => {
                    let mut nodes = self.impact.nodes_unordered();
                    return Value::Bool(nodes.all(|n| self.node_test(t, n)));
                }
                _ => {}
            }
        }
        let nodes = self.set(set);
        if func == Func::Count {
            return count(nodes.len());
        }
        let Some(arg) = arg else { return Value::Null };
        // `any(S, node.tier == 0)`, `all(S, "pii" in node.tags)`: a tight
        // loop over the nodes with the test read off the expression once.
        if let (Func::Any | Func::All, Some(test)) = (func, test) {
            let holds = |n: &NodeIdx| self.node_test(&test, *n);
            return Value::Bool(if func == Func::Any {
                nodes.iter().any(holds)
            } else {
                nodes.iter().all(holds)
            });
        }
        let saved = self.node;
        let result = match func {
            Func::Any => Value::Bool(nodes.iter().any(|&n| {
                self.node = Some(n);
                self.expr(arg).is_true()
            })),
            Func::All => Value::Bool(nodes.iter().all(|&n| {
                self.node = Some(n);
                self.expr(arg).is_true()
            })),
            _ => {
                let want = if func == Func::Max {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Less
                };
                let mut best: Option<Value> = None;
                let mut mixed = false;
                for &n in nodes.iter() {
                    self.node = Some(n);
                    let v = self.expr(arg);
                    if v == Value::Null {
                        continue;
                    }
                    // Only numbers, durations and datetimes have an order.
                    if !matches!(
                        v,
                        Value::Int(_) | Value::Float(_) | Value::Duration(_) | Value::DateTime(_)
                    ) {
                        mixed = true;
                        break;
                    }
                    best = match best {
                        None => Some(v),
                        Some(b) => match v.lang_cmp(&b) {
                            Some(o) if o == want => Some(v),
                            Some(_) => Some(b),
                            None => {
                                mixed = true;
                                Some(b)
                            }
                        },
                    };
                }
                if mixed {
                    Value::Null
                } else {
                    best.unwrap_or(Value::Null)
                }
            }
        };
        self.node = saved;
        result
    }

    fn change_field(&mut self, f: ChangeField, rest: &[Arc<str>]) -> Value {
        let c = self.change;
        match f {
            ChangeField::Id => Value::str(&c.id),
            ChangeField::Type => Value::str(c.change_type.as_str()),
            ChangeField::Start => Value::DateTime(c.start),
            ChangeField::End => Value::DateTime(c.end),
            ChangeField::RequestedBy => c.requested_by.as_deref().map_or(Value::Null, Value::str),
            ChangeField::Duration => Value::Duration(c.duration()),
            ChangeField::Targets => self
                .targets_value
                .get_or_insert_with(|| {
                    Value::List(c.targets.iter().map(|t| Value::str(t)).collect())
                })
                .clone(),
            ChangeField::Attr => rest
                .first()
                .and_then(|name| c.attributes.get(&**name))
                .cloned()
                .unwrap_or(Value::Null),
        }
    }

    /// `l op c` without building `l`'s value, for a plain field of the
    /// node or the change; `None` for any other `l`.
    fn cmp_in_place(&self, op: BinOp, l: &CExpr, c: &Value) -> Option<bool> {
        let text = |x: &str| match (c, op) {
            (Value::Str(b), BinOp::Eq) => Some(x == &**b),
            (Value::Str(b), BinOp::Ne) => Some(x != &**b),
            _ => None,
        };
        match l {
            CExpr::Node(
                f @ (NodeField::Tier
                | NodeField::Depth
                | NodeField::Kind
                | NodeField::Owner
                | NodeField::Id),
                rest,
            ) if rest.is_empty() => Some(self.node_cmp(*f, op, c)),
            CExpr::Change(ChangeField::Type, rest) if rest.is_empty() => {
                text(self.change.change_type.as_str())
            }
            CExpr::Change(ChangeField::Id, rest) if rest.is_empty() => text(&self.change.id),
            CExpr::Change(ChangeField::Attr, rest) if rest.len() == 1 => {
                let v = rest
                    .first()
                    .and_then(|name| self.change.attributes.get(&**name));
                Some(compare(op, v.unwrap_or(&Value::Null), c))
            }
            _ => None,
        }
    }

    /// Whether `test` holds for node `n`.
    #[inline]
    fn node_test(&self, test: &NodeTest<'_>, n: NodeIdx) -> bool {
        match *test {
            NodeTest::Tier(op, k) => match self.graph.node(n).tier {
                Some(a) => int_compare(op, a, k).unwrap_or(false),
                None => compare(op, &Value::Null, &Value::Int(k)),
            },
            NodeTest::Cmp(f, op, c) => self.node_cmp_at(n, f, op, c),
            NodeTest::InTags(item, negate) => {
                self.graph.node(n).tags.iter().any(|t| **t == *item) != negate
            }
        }
    }

    /// `node.F op c` for a plain field `F` and a constant `c`, reading the
    /// field in place.
    fn node_cmp(&self, f: NodeField, op: BinOp, c: &Value) -> bool {
        match self.node {
            Some(n) => self.node_cmp_at(n, f, op, c),
            None => compare(op, &Value::Null, c),
        }
    }

    /// [`Evaluator::node_cmp`] for node `n`.
    #[inline]
    fn node_cmp_at(&self, n: NodeIdx, f: NodeField, op: BinOp, c: &Value) -> bool {
        let node = self.graph.node(n);
        let int = |x: Option<i64>| match (x, c) {
            (Some(a), Value::Int(b)) => {
                int_compare(op, a, *b).unwrap_or_else(|| compare(op, &Value::Int(a), c))
            }
            (x, c) => compare(op, &x.map_or(Value::Null, Value::Int), c),
        };
        let text = |x: Option<&Arc<str>>| match (x, c, op) {
            (Some(a), Value::Str(b), BinOp::Eq) => a == b,
            (Some(a), Value::Str(b), BinOp::Ne) => a != b,
            (x, c, op) => compare(op, &x.map_or(Value::Null, |s| Value::Str(s.clone())), c),
        };
        match f {
            NodeField::Tier => int(node.tier),
            NodeField::Depth => int(self.impact.depth(n).map(i64::from)),
            NodeField::Kind => text(node.kind.as_ref()),
            NodeField::Owner => text(node.owner.as_ref()),
            NodeField::Id => text(Some(&node.id)),
            // Not produced by `NodeTest::of` or the fast path in `expr`.
            NodeField::Tags | NodeField::Attr => compare(op, &self.node_field_at(n, f, &[]), c),
        }
    }

    fn node_field(&self, f: NodeField, rest: &[Arc<str>]) -> Value {
        match self.node {
            Some(n) => self.node_field_at(n, f, rest),
            None => Value::Null,
        }
    }

    fn node_field_at(&self, n: NodeIdx, f: NodeField, rest: &[Arc<str>]) -> Value {
        let node = self.graph.node(n);
        match f {
            NodeField::Depth => self
                .impact
                .depth(n)
                .map_or(Value::Null, |d| Value::Int(i64::from(d))),
            NodeField::Id => Value::Str(node.id.clone()),
            NodeField::Kind => node.kind.clone().map_or(Value::Null, Value::Str),
            NodeField::Tier => node.tier.map_or(Value::Null, Value::Int),
            NodeField::Owner => node.owner.clone().map_or(Value::Null, Value::Str),
            NodeField::Tags => {
                Value::List(node.tags.iter().map(|t| Value::Str(t.clone())).collect())
            }
            NodeField::Attr => rest
                .first()
                .and_then(|name| node.attributes.get(&**name as &str))
                .cloned()
                .unwrap_or(Value::Null),
        }
    }
}

/// A test on one node that needs no evaluator: the body of most
/// quantifiers.
enum NodeTest<'p> {
    /// `node.tier op k` for an integer `k`.
    Tier(BinOp, i64),
    /// `node.F op c` for a plain field and a constant.
    Cmp(NodeField, BinOp, &'p Value),
    /// `"x" in node.tags` (`not in` when the flag is set).
    InTags(&'p str, bool),
}

impl<'p> NodeTest<'p> {
    fn of(e: &'p CExpr) -> Option<NodeTest<'p>> {
        match e {
            CExpr::Cmp(op, l, r) => match (&**l, &**r) {
                (
                    CExpr::Node(
                        f @ (NodeField::Tier
                        | NodeField::Depth
                        | NodeField::Kind
                        | NodeField::Owner
                        | NodeField::Id),
                        rest,
                    ),
                    CExpr::Const(c),
                ) if rest.is_empty() => Some(match (f, c) {
                    (NodeField::Tier, Value::Int(k)) if int_compare(*op, 0, 0).is_some() => {
                        NodeTest::Tier(*op, *k)
                    }
                    _ => NodeTest::Cmp(*f, *op, c),
                }),
                _ => None,
            },
            CExpr::InNodeTags(item, negate) => match &**item {
                CExpr::Const(Value::Str(s)) => Some(NodeTest::InTags(s, *negate)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// `a op b` on two integers, for the comparison operators; `None` for
/// the others.
fn int_compare(op: BinOp, a: i64, b: i64) -> Option<bool> {
    Some(match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        _ => return None,
    })
}

/// Reads the rest of a path into objects. For attribute paths the first
/// element of `rest` was the attribute name itself.
#[inline]
fn follow(mut v: Value, rest: &[Arc<str>], attr: bool) -> Value {
    let skip = usize::from(attr);
    for name in rest.iter().skip(skip) {
        v = v.field(name);
    }
    v
}

fn compare(op: BinOp, l: &Value, r: &Value) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    match op {
        BinOp::Eq => l.lang_eq(r),
        // Values of different types are not comparable: `!=` is false too.
        BinOp::Ne => comparable(l, r) && !l.lang_eq(r),
        BinOp::Lt => l.lang_cmp(r) == Some(Less),
        BinOp::Le => matches!(l.lang_cmp(r), Some(o) if o != Greater),
        BinOp::Gt => l.lang_cmp(r) == Some(Greater),
        BinOp::Ge => matches!(l.lang_cmp(r), Some(o) if o != Less),
        BinOp::In => matches!(r, Value::List(items) if items.iter().any(|i| i.lang_eq(l))),
        BinOp::NotIn => !matches!(r, Value::List(items) if items.iter().any(|i| i.lang_eq(l))),
        BinOp::And | BinOp::Or => false,
    }
}

/// Whether `==`/`!=` can compare `l` and `r`: one is `null`, or both have
/// the same type (spec §3.3: comparing different types is `false`).
fn comparable(l: &Value, r: &Value) -> bool {
    matches!(l, Value::Null) || matches!(r, Value::Null) || l.type_of() == r.type_of()
}

/// Adds `rule` to the rules behind a requirement or block. Rules run one
/// after another, so a rule that adds to the same entry twice (an owner of
/// several nodes) is always the last one there: checking the last keeps
/// this O(1), where a search would be quadratic in policies of many rules.
fn push_rule(rules: &mut Vec<Arc<str>>, rule: &Arc<str>) {
    if rules.last() != Some(rule) {
        rules.push(rule.clone());
    }
}

fn names(mut rules: Vec<Arc<str>>) -> Vec<Text> {
    rules.sort_unstable();
    rules
}
