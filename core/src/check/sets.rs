//! Checks of the sets that `let` defines (docs/language.md, *Node sets and
//! the graph*): each reference resolves, no set is built on itself, and
//! chains of sets stay within the nesting limit.

use super::{CheckError, Cx, Located};
use crate::ast::{Expr, ExprKind, Ident, SetExpr, SetKind};
use crate::compile::{Checked, Symbol};

impl Cx<'_, '_> {
    /// Checks a set expression: names are sets, depths at least 1, filters
    /// conditions on `node`.
    pub(super) fn set(&self, set: &SetExpr, errors: &mut Vec<Located>) {
        match &set.kind {
            SetKind::Targets | SetKind::Impacted => {}
            SetKind::Named(id) => self.resolve(id, "set", errors),
            SetKind::Walk { of, depth, .. } => {
                self.set(of, errors);
                if let Some((d, span)) = depth {
                    if *d < 1 || *d > i64::from(u32::MAX) {
                        errors.push((
                            *span,
                            CheckError::TooSmall {
                                what: "a depth",
                                min: "1",
                                found: d.to_string(),
                            },
                        ));
                    }
                }
            }
            SetKind::Where { of, filters } => {
                self.set(of, errors);
                for f in filters {
                    self.condition(f, "a `where` filter", true, errors);
                }
            }
        }
    }
}

/// Reports every `let` whose chain of sets it is built on is longer than
/// `max`: evaluation and compilation recurse along such chains. Runs on an
/// acyclic graph of references (after [`cycles`] found none).
pub(super) fn chains(
    out: &Checked<'_>,
    refs: &[Vec<usize>],
    max: usize,
    errors: &mut Vec<Located>,
) {
    let n = refs.len();
    // Kahn's algorithm from the sets that use no other set.
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut pending: Vec<usize> = refs.iter().map(Vec::len).collect();
    for (i, r) in refs.iter().enumerate() {
        for &j in r {
            if let Some(u) = users.get_mut(j) {
                u.push(i);
            }
        }
    }
    let mut depth = vec![1usize; n];
    let mut ready: Vec<usize> = (0..n).filter(|&i| pending.get(i) == Some(&0)).collect();
    while let Some(j) = ready.pop() {
        let dj = depth.get(j).copied().unwrap_or(1);
        for &i in users.get(j).map_or(&[][..], Vec::as_slice) {
            if let Some(d) = depth.get_mut(i) {
                *d = (*d).max(dj + 1);
            }
            if let Some(p) = pending.get_mut(i) {
                *p -= 1;
                if *p == 0 {
                    ready.push(i);
                }
            }
        }
    }
    for (i, &d) in depth.iter().enumerate() {
        if d > max {
            if let Some(l) = out.lets.get(i) {
                errors.push((
                    l.name.span,
                    CheckError::ChainTooDeep {
                        name: l.name.name.clone(),
                        depth: d,
                        limit: max,
                    },
                ));
            }
            // One report is enough: the sets above it are deeper still.
            return;
        }
    }
}

/// Reports every `let` that reaches itself through set references; returns
/// each set's references to other sets.
pub(super) fn cycles(out: &Checked<'_>, errors: &mut Vec<Located>) -> Vec<Vec<usize>> {
    let n = out.lets.len();
    let refs: Vec<Vec<usize>> = out
        .lets
        .iter()
        .map(|l| {
            let mut names = Vec::new();
            set_refs(&l.set, &mut names);
            names
                .into_iter()
                .filter_map(|id| match out.symbols.get(id.name.as_str()) {
                    Some(Symbol::Set(i)) => Some(*i),
                    _ => None,
                })
                .collect()
        })
        .collect();
    // 0 = unvisited, 1 = on the stack, 2 = done. Iterative DFS.
    let mut state = vec![0u8; n];
    let mut reported = vec![false; n];
    for root in 0..n {
        if state.get(root) != Some(&0) {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        if let Some(s) = state.get_mut(root) {
            *s = 1;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let succ = refs.get(node).and_then(|r| r.get(*next)).copied();
            *next += 1;
            match succ {
                Some(s) => match state.get(s).copied() {
                    Some(0) => {
                        if let Some(st) = state.get_mut(s) {
                            *st = 1;
                        }
                        stack.push((s, 0));
                    }
                    Some(1) if !reported.get(s).copied().unwrap_or(true) => {
                        if let (Some(r), Some(l)) = (reported.get_mut(s), out.lets.get(s)) {
                            *r = true;
                            errors.push((l.name.span, CheckError::Cycle(l.name.name.clone())));
                        }
                    }
                    _ => {}
                },
                None => {
                    if let Some(st) = state.get_mut(node) {
                        *st = 2;
                    }
                    stack.pop();
                }
            }
        }
    }
    refs
}

/// Every set name a set expression refers to directly (not through filters'
/// own set functions, which are also followed).
fn set_refs<'a>(set: &'a SetExpr, out: &mut Vec<&'a Ident>) {
    match &set.kind {
        SetKind::Targets | SetKind::Impacted => {}
        SetKind::Named(id) => out.push(id),
        SetKind::Walk { of, .. } => set_refs(of, out),
        SetKind::Where { of, filters } => {
            set_refs(of, out);
            for f in filters {
                expr_set_refs(f, out);
            }
        }
    }
}

fn expr_set_refs<'a>(e: &'a Expr, out: &mut Vec<&'a Ident>) {
    match &e.kind {
        ExprKind::Call { set, arg, .. } => {
            set_refs(set, out);
            if let Some(a) = arg {
                expr_set_refs(a, out);
            }
        }
        ExprKind::Not(x) => expr_set_refs(x, out),
        ExprKind::Logic { operands, .. } | ExprKind::List(operands) => {
            for o in operands {
                expr_set_refs(o, out);
            }
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_set_refs(lhs, out);
            expr_set_refs(rhs, out);
        }
        _ => {}
    }
}
