//! The lints that read the inputs a policy is meant for: a graph and
//! example changes.
//!
//! `unknown-attribute`: `change.X` where X is no first-class field and no
//! given change has the attribute X, or `node.X` where no node of the
//! graph has it (docs/language.md, *Paths*), with the nearest existing name.
//!
//! `empty-owner-set`: `require approval owner of SET` where the owners of
//! SET can be empty for a change on this graph, so the requirement asks
//! for less than it says. A node of the graph can be in SET unless a
//! `where` filter on the way is false for it whatever the change (filters
//! are evaluated on the node; what depends on the change, `node.depth` and
//! the set functions count as possibly true). The finding names the nodes
//! SET can hold that have no owner (each holds a change as pending until
//! the graph names one), or says that SET holds no node of the graph at
//! all (then it never requires an approval).

use std::collections::BTreeSet;

use super::{Lint, Raw, logic};
use crate::ast::{BinOp, EffectKind, Expr, ExprKind, Root, SetExpr, SetKind};
use crate::change::Change;
use crate::compile::Checked;
use crate::graph::{Graph, Node};
use crate::value::Value;

/// The first-class fields of `change.X` (docs/language.md, *Paths*).
const CHANGE_FIELDS: [&str; 7] = [
    "id",
    "type",
    "start",
    "end",
    "duration",
    "requested_by",
    "targets",
];
/// The first-class fields of `node.X`.
const NODE_FIELDS: [&str; 6] = ["id", "kind", "tier", "owner", "tags", "depth"];
/// How many node ids a finding lists before `and N more`.
const SHOWN: usize = 5;

/// `unknown-attribute` for the paths of every rule and `let`.
pub(super) fn unknown_attributes(
    checked: &Checked<'_>,
    graph: Option<&Graph>,
    changes: &[Change],
    out: &mut Vec<Raw>,
) {
    if graph.is_none() && changes.is_empty() {
        return;
    }
    let mut paths = Vec::new();
    for l in &checked.lets {
        set_paths(&l.set, &mut paths);
    }
    for r in &checked.rules {
        r.when
            .iter()
            .chain(&r.unless)
            .for_each(|e| expr_paths(e, &mut paths));
        for e in &r.effects {
            match &e.kind {
                EffectKind::ApprovalOwner { set } | EffectKind::Backup { set, .. } => {
                    set_paths(set, &mut paths);
                }
                EffectKind::Condition { expr, .. } => expr_paths(expr, &mut paths),
                _ => {}
            }
        }
    }
    let change_names: BTreeSet<&str> = changes
        .iter()
        .flat_map(|c| c.attributes.keys().map(String::as_str))
        .chain(CHANGE_FIELDS)
        .collect();
    let node_names: BTreeSet<&str> = graph
        .iter()
        .flat_map(|g| {
            g.nodes()
                .flat_map(|(_, n)| n.attributes.iter().map(|(k, _)| k))
        })
        .chain(NODE_FIELDS)
        .collect();
    for (root, name, e) in paths {
        let (known, what) = match root {
            Root::Change if !changes.is_empty() => (&change_names, "change"),
            Root::Node if graph.is_some() => (&node_names, "node"),
            _ => continue,
        };
        if known.contains(name) {
            continue;
        }
        let given = match root {
            Root::Change => "no change given has",
            Root::Node => "no node of the graph has",
        };
        let help = match crate::input::did_you_mean(name, known.iter().copied()) {
            Some(near) => format!("did you mean `{what}.{near}`?"),
            None => format!(
                "check the name against the inputs; if only other {what}s carry it, allow it \
                 with `# changegate: allow(unknown-attribute)`"
            ),
        };
        out.push(Raw {
            lint: Lint::UnknownAttribute,
            span: e.span,
            message: format!("`{what}.{name}`: {given} the attribute `{name}`, so it is `null`"),
            help: Some(help),
        });
    }
}

type Path<'a> = (Root, &'a str, &'a Expr);

fn expr_paths<'a>(e: &'a Expr, out: &mut Vec<Path<'a>>) {
    match &e.kind {
        ExprKind::Path { root, fields } => {
            if let Some(first) = fields.first() {
                out.push((*root, first, e));
            }
        }
        ExprKind::List(xs) | ExprKind::Logic { operands: xs, .. } => {
            xs.iter().for_each(|x| expr_paths(x, out));
        }
        ExprKind::Not(x) => expr_paths(x, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_paths(lhs, out);
            expr_paths(rhs, out);
        }
        ExprKind::Call { set, arg, .. } => {
            set_paths(set, out);
            if let Some(a) = arg {
                expr_paths(a, out);
            }
        }
        _ => {}
    }
}

fn set_paths<'a>(s: &'a SetExpr, out: &mut Vec<Path<'a>>) {
    match &s.kind {
        SetKind::Walk { of, .. } => set_paths(of, out),
        SetKind::Where { of, filters } => {
            set_paths(of, out);
            filters.iter().for_each(|f| expr_paths(f, out));
        }
        SetKind::Targets | SetKind::Impacted | SetKind::Named(_) => {}
    }
}

/// `empty-owner-set` for every `require approval owner of SET`.
pub(super) fn empty_owner_sets(checked: &Checked<'_>, graph: &Graph, out: &mut Vec<Raw>) {
    for r in &checked.rules {
        for e in &r.effects {
            let EffectKind::ApprovalOwner { set } = &e.kind else {
                continue;
            };
            let mut members = 0usize;
            let mut unowned = Vec::new();
            for (_, node) in graph.nodes() {
                if can_hold(checked, set, node, 0) {
                    members += 1;
                    if node.owner.is_none() {
                        unowned.push(&*node.id);
                    }
                }
            }
            let shown = unowned
                .iter()
                .take(SHOWN)
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let more = unowned.len().saturating_sub(SHOWN);
            let (message, help) = if members == 0 {
                (
                    format!(
                        "rule `{}`: no node of the graph can be in this set, so it never \
                         requires an approval",
                        r.name.name
                    ),
                    "check the set's filters against the graph's nodes".to_owned(),
                )
            } else if unowned.is_empty() {
                continue;
            } else {
                (
                    format!(
                        "rule `{}`: the set can hold nodes without an owner, and a change to \
                         them stays pending: {shown}{}",
                        r.name.name,
                        if more > 0 {
                            format!(" and {more} more")
                        } else {
                            String::new()
                        }
                    ),
                    "give them an `owner` in the graph, or require a group's approval for \
                     them (`require approval \"G\"`)"
                        .to_owned(),
                )
            };
            out.push(Raw {
                lint: Lint::EmptyOwnerSet,
                span: set.span,
                message,
                help: Some(help),
            });
        }
    }
}

/// Whether `node` can be in `set` for some change: false only when a
/// filter on the way is false for it whatever the change.
fn can_hold(checked: &Checked<'_>, set: &SetExpr, node: &Node, depth: usize) -> bool {
    // `let`s cannot refer to themselves (the checker rejects cycles); the
    // bound only keeps a malformed tree from recursing far.
    if depth > 64 {
        return true;
    }
    match &set.kind {
        SetKind::Targets | SetKind::Impacted | SetKind::Walk { .. } => true,
        SetKind::Named(n) => checked
            .lets
            .iter()
            .find(|l| l.name.name == n.name)
            .is_none_or(|l| can_hold(checked, &l.set, node, depth + 1)),
        SetKind::Where { of, filters } => {
            filters
                .iter()
                .all(|f| eval(f, node).is_none_or(|v| v.is_true()))
                && can_hold(checked, of, node, depth + 1)
        }
    }
}

/// `e` for `node`, or `None` when it depends on the change.
fn eval(e: &Expr, node: &Node) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Int(n) => Value::Int(*n),
        ExprKind::Str(s) => Value::str(s),
        ExprKind::Duration(d) => Value::Duration(*d),
        ExprKind::List(xs) => Value::List(xs.iter().map(|x| eval(x, node)).collect::<Option<_>>()?),
        ExprKind::Path {
            root: Root::Node,
            fields,
        } => {
            let (first, rest) = fields.split_first()?;
            if first == "depth" {
                return None;
            }
            rest.iter().fold(node.field(first), |v, f| v.field(f))
        }
        ExprKind::Not(x) => match eval(x, node)? {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Null,
        },
        ExprKind::Logic { op, operands } => {
            let values: Vec<Option<Value>> = operands.iter().map(|o| eval(o, node)).collect();
            let is_true = |v: &Option<Value>| v.as_ref().is_some_and(Value::is_true);
            let is_false = |v: &Option<Value>| v.as_ref().is_some_and(|v| !v.is_true());
            match op {
                BinOp::And if values.iter().any(is_false) => Value::Bool(false),
                BinOp::And if values.iter().all(is_true) => Value::Bool(true),
                BinOp::Or if values.iter().any(is_true) => Value::Bool(true),
                BinOp::Or if values.iter().all(is_false) => Value::Bool(false),
                _ => return None,
            }
        }
        ExprKind::Binary { op, lhs, rhs } => {
            Value::Bool(logic::compare(*op, &eval(lhs, node)?, &eval(rhs, node)?))
        }
        // Datetimes, `change.X` and the set functions: left to the change.
        ExprKind::DateTime(_) | ExprKind::Path { .. } | ExprKind::Call { .. } => return None,
    })
}
