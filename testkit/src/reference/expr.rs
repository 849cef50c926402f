//! Expressions and node sets of the reference evaluator: a tree walk over
//! the AST, every set recomputed wherever it is used (docs/language.md,
//! *Expressions* and *Node sets and the graph*).

use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};

use jiff::tz::Offset;

use changegate::graph::NodeIdx;
use changegate::internals::{BinOp, Expr, ExprKind, Func, Root, SetExpr, SetKind, Walk};
use changegate::value::Value;

use super::Env;

impl Env<'_> {
    /// The value of `e`, with `node` bound inside set filters and functions.
    pub(super) fn eval(&self, e: &Expr, node: Option<NodeIdx>) -> Value {
        match &e.kind {
            ExprKind::Null => Value::Null,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Int(i) => Value::Int(*i),
            ExprKind::Str(s) => Value::str(s),
            ExprKind::Duration(d) => Value::Duration(*d),
            // Decision 3: a datetime literal without an offset is UTC.
            ExprKind::DateTime(lit) => Value::DateTime(
                lit.offset
                    .unwrap_or(Offset::UTC)
                    .to_timestamp(lit.civil)
                    .unwrap(),
            ),
            ExprKind::List(xs) => Value::List(xs.iter().map(|x| self.eval(x, node)).collect()),
            ExprKind::Path { root, fields } => self.path(*root, fields, node),
            // Decision 12: `not` of a non-boolean is null.
            ExprKind::Not(x) => match self.eval(x, node) {
                Value::Bool(b) => Value::Bool(!b),
                _ => Value::Null,
            },
            ExprKind::Logic { op, operands } => {
                let truths: Vec<bool> = operands
                    .iter()
                    .map(|o| self.eval(o, node).is_true())
                    .collect();
                if *op == BinOp::And {
                    Value::Bool(truths.iter().all(|t| *t))
                } else {
                    Value::Bool(truths.iter().any(|t| *t))
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.eval(lhs, node), self.eval(rhs, node));
                Value::Bool(binary(*op, &l, &r))
            }
            ExprKind::Call { func, set, arg } => {
                let nodes = self.set(set);
                let each = |n: NodeIdx| self.eval(arg.as_deref().unwrap(), Some(n));
                match func {
                    Func::Count => Value::Int(nodes.len() as i64),
                    Func::Any => Value::Bool(nodes.iter().any(|&n| each(n).is_true())),
                    Func::All => Value::Bool(nodes.iter().all(|&n| each(n).is_true())),
                    Func::Max | Func::Min => {
                        let values: Vec<Value> = nodes
                            .iter()
                            .map(|&n| each(n))
                            .filter(|v| *v != Value::Null)
                            .collect();
                        extreme(&values, *func == Func::Max)
                    }
                }
            }
        }
    }

    fn path(&self, root: Root, fields: &[String], node: Option<NodeIdx>) -> Value {
        let (first, rest) = fields.split_first().unwrap();
        let start = match root {
            Root::Change => {
                let c = self.change;
                match first.as_str() {
                    "id" => Value::str(&c.id),
                    "type" => Value::str(c.change_type.as_str()),
                    "start" => Value::DateTime(c.start),
                    "end" => Value::DateTime(c.end),
                    "requested_by" => match &c.requested_by {
                        Some(r) => Value::str(r),
                        None => Value::Null,
                    },
                    // The nodes' ids, whatever names the change gave.
                    "targets" => Value::List(
                        self.targets
                            .iter()
                            .map(|&n| Value::str(&self.graph.node(n).id))
                            .collect(),
                    ),
                    "duration" => Value::Duration(c.end.duration_since(c.start)),
                    other => c.attributes.get(other).cloned().unwrap_or(Value::Null),
                }
            }
            Root::Node => {
                let Some(n) = node else { return Value::Null };
                let nd = self.graph.node(n);
                let text = |s: &Option<std::sync::Arc<str>>| match s {
                    Some(s) => Value::Str(s.clone()),
                    None => Value::Null,
                };
                match first.as_str() {
                    "id" => Value::Str(nd.id.clone()),
                    "kind" => text(&nd.kind),
                    "tier" => nd.tier.map_or(Value::Null, Value::Int),
                    "owner" => text(&nd.owner),
                    "tags" => Value::List(nd.tags.iter().map(|t| Value::Str(t.clone())).collect()),
                    // Decision 9: null outside the blast radius.
                    "depth" => self
                        .depth
                        .get(&n)
                        .map_or(Value::Null, |d| Value::Int(i64::from(*d))),
                    other => nd.attributes.get(other).cloned().unwrap_or(Value::Null),
                }
            }
        };
        // Decision 6: nested reads into objects; anything else is null.
        rest.iter().fold(start, |v, name| match v {
            Value::Object(o) => o.get(name).cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        })
    }

    /// The nodes of a set, sorted by id, without duplicates.
    pub(super) fn set(&self, s: &SetExpr) -> Vec<NodeIdx> {
        let mut out = match &s.kind {
            SetKind::Targets => self.targets.clone(),
            SetKind::Impacted => self.depth.keys().copied().collect(),
            SetKind::Named(id) => self.set(self.let_set(&id.name).unwrap()),
            SetKind::Where { of, filters } => self
                .set(of)
                .into_iter()
                .filter(|&n| filters.iter().all(|f| self.eval(f, Some(n)).is_true()))
                .collect(),
            SetKind::Walk { dir, of, depth } => {
                let from = self.set(of);
                self.walk(&from, *dir, depth.map(|(d, _)| d))
            }
        };
        out.sort_by(|a, b| self.graph.node(*a).id.cmp(&self.graph.node(*b).id));
        out.dedup();
        out
    }

    /// Decision 10: nodes reachable from `from` in one to `max` steps.
    fn walk(&self, from: &[NodeIdx], dir: Walk, max: Option<i64>) -> Vec<NodeIdx> {
        let step = |n: NodeIdx| match dir {
            Walk::Dependents => self.graph.dependents_of(n),
            Walk::Dependencies => self.graph.dependencies_of(n),
        };
        let mut dist: HashMap<NodeIdx, i64> = HashMap::new();
        let mut queue = VecDeque::new();
        for &s in from {
            for &v in step(s) {
                if dist.insert(v, 1).is_none() {
                    queue.push_back(v);
                }
            }
        }
        while let Some(u) = queue.pop_front() {
            let du = dist[&u];
            if max.is_some_and(|m| du >= m) {
                continue;
            }
            for &v in step(u) {
                if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(v) {
                    e.insert(du + 1);
                    queue.push_back(v);
                }
            }
        }
        dist.into_iter()
            .filter(|(_, d)| max.is_none_or(|m| *d <= m))
            .map(|(n, _)| n)
            .collect()
    }
}

/// `max`/`min` over non-null values: defined when every value is ordered
/// against every other (numbers, durations or datetimes of one type).
fn extreme(values: &[Value], max: bool) -> Value {
    let Some(first) = values.first() else {
        return Value::Null;
    };
    if values.iter().any(|v| order(v, first).is_none()) {
        return Value::Null;
    }
    let want = if max {
        Ordering::Greater
    } else {
        Ordering::Less
    };
    let mut best = first;
    for v in values {
        if order(v, best) == Some(want) {
            best = v;
        }
    }
    best.clone()
}

fn comparable(l: &Value, r: &Value) -> bool {
    use Value::*;
    matches!(
        (l, r),
        (Null, _)
            | (_, Null)
            | (Bool(_), Bool(_))
            | (Int(_) | Float(_), Int(_) | Float(_))
            | (Str(_), Str(_))
            | (Duration(_), Duration(_))
            | (DateTime(_), DateTime(_))
            | (List(_), List(_))
            | (Object(_), Object(_))
    )
}

fn binary(op: BinOp, l: &Value, r: &Value) -> bool {
    let member = || match r {
        Value::List(items) => items.iter().any(|i| equal(l, i)),
        _ => false,
    };
    match op {
        BinOp::Eq => equal(l, r),
        // Comparing values of different types (other than with null) is
        // false, for `!=` as for `==` (docs/language.md, *Types and null*;
        // decision 14).
        BinOp::Ne => comparable(l, r) && !equal(l, r),
        BinOp::Lt => order(l, r) == Some(Ordering::Less),
        BinOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        BinOp::Gt => order(l, r) == Some(Ordering::Greater),
        BinOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        BinOp::In => member(),
        BinOp::NotIn => !member(),
        BinOp::And | BinOp::Or => unreachable!("logic is not a comparison"),
    }
}

/// `==`: same type and value; numbers compare by value (decision 5).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Duration(x), Value::Duration(y)) => x == y,
        (Value::DateTime(x), Value::DateTime(y)) => x == y,
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => false,
    }
}

/// `<` and friends: numbers, durations and datetimes, each among their own.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Float(y)) => (*x as f64).partial_cmp(y),
        (Value::Float(x), Value::Int(y)) => x.partial_cmp(&(*y as f64)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Duration(x), Value::Duration(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(y)),
        _ => None,
    }
}
