//! Expressions and node sets: what a rule's conditions read.

use std::sync::Arc;

use super::Evaluator;
use crate::ast::{BinOp, Func, Walk};
use crate::compile::fields::InPlace;
use crate::compile::{CExpr, CSet, ChangeField, NodeField, SetId};
use crate::graph::{Direction, NodeIdx};
use crate::value::Value;

impl Evaluator<'_> {
    /// The nodes of set `id`, computed once per evaluation.
    pub(super) fn set(&mut self, id: SetId) -> Arc<[NodeIdx]> {
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

    pub(super) fn expr(&mut self, e: &CExpr) -> Value {
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
            // The resolved ids, never the names the change gave (an alias
            // must not slip past `"db" in change.targets`); built once per
            // evaluation: a filter may read it for every node.
            ChangeField::Targets => {
                let graph = self.graph;
                let targets = &self.targets;
                self.targets_value
                    .get_or_insert_with(|| {
                        Value::List(
                            targets
                                .iter()
                                .map(|&n| Value::Str(graph.node(n).id.clone()))
                                .collect(),
                        )
                    })
                    .clone()
            }
            f => f.read(c, rest.first().map(|name| &**name)),
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
        if let Some(f) = plain_node_field(l) {
            return Some(self.node_cmp(f, op, c));
        }
        match l {
            CExpr::Change(ChangeField::Attr, rest) if rest.len() == 1 => {
                let v = rest
                    .first()
                    .and_then(|name| self.change.attributes.get(&**name));
                Some(compare(op, v.unwrap_or(&Value::Null), c))
            }
            CExpr::Change(f, rest) if rest.is_empty() => f.text(self.change).and_then(text),
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
        match f.in_place(self.graph.node(n), || self.impact.depth(n)) {
            Some(InPlace::Int(x)) => match (x, c) {
                (Some(a), Value::Int(b)) => {
                    int_compare(op, a, *b).unwrap_or_else(|| compare(op, &Value::Int(a), c))
                }
                (x, c) => compare(op, &x.map_or(Value::Null, Value::Int), c),
            },
            Some(InPlace::Text(x)) => match (x, c, op) {
                (Some(a), Value::Str(b), BinOp::Eq) => a == b,
                (Some(a), Value::Str(b), BinOp::Ne) => a != b,
                (x, c, op) => compare(op, &x.map_or(Value::Null, |s| Value::Str(s.clone())), c),
            },
            // Not produced by `NodeTest::of` or the fast path in `expr`.
            None => compare(op, &self.node_field_at(n, f, &[]), c),
        }
    }

    fn node_field(&self, f: NodeField, rest: &[Arc<str>]) -> Value {
        match self.node {
            Some(n) => self.node_field_at(n, f, rest),
            None => Value::Null,
        }
    }

    fn node_field_at(&self, n: NodeIdx, f: NodeField, rest: &[Arc<str>]) -> Value {
        f.read(
            self.graph.node(n),
            || self.impact.depth(n),
            rest.first().map(|name| &**name),
        )
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
            CExpr::Cmp(op, l, r) => match (plain_node_field(l), &**r) {
                (Some(f), CExpr::Const(c)) => Some(match (f, c) {
                    (NodeField::Tier, Value::Int(k)) if int_compare(*op, 0, 0).is_some() => {
                        NodeTest::Tier(*op, *k)
                    }
                    _ => NodeTest::Cmp(f, *op, c),
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

/// The field of `node.F` for a field `F` that is a plain value of the node
/// (no path after it, not a list): what [`Evaluator::node_cmp`] compares in
/// place.
fn plain_node_field(e: &CExpr) -> Option<NodeField> {
    match e {
        CExpr::Node(f, rest) if rest.is_empty() && f.is_scalar() => Some(*f),
        _ => None,
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
/// the same type (docs/language.md, *Types and null*: comparing different types is `false`).
fn comparable(l: &Value, r: &Value) -> bool {
    matches!(l, Value::Null) || matches!(r, Value::Null) || l.type_of() == r.type_of()
}
