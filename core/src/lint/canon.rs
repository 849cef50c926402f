//! The canonical text of expressions, sets and effects, without places: two
//! parts written alike (whatever their spacing, comments or parentheses)
//! have the same text, which is what `duplicate-requirement` and
//! `never-holds` compare.

use std::fmt::Write as _;

use crate::ast::{EffectKind, Expr, ExprKind, SetExpr, SetKind, Walk};

/// `e` as one line of text.
pub(super) fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

/// `s` as one line of text.
pub(super) fn set(s: &SetExpr) -> String {
    let mut out = String::new();
    write_set(&mut out, s);
    out
}

/// A requirement's identity: what it requires, without its message. `None`
/// for effects that require nothing comparable.
pub(super) fn effect(e: &EffectKind) -> Option<String> {
    Some(match e {
        EffectKind::ApprovalGroup { group, count } => format!(
            "approval {:?} count {}",
            group.value,
            count.map_or(1, |(n, _)| n)
        ),
        EffectKind::ApprovalOwner { set: s } => format!("approval owner of {}", set(s)),
        EffectKind::Backup {
            verified,
            set: s,
            kind,
            within,
        } => format!(
            "{}backup of {}{} within {}",
            if *verified { "verified " } else { "" },
            set(s),
            kind.as_ref()
                .map(|k| format!(" kind {:?}", k.value))
                .unwrap_or_default(),
            within.value.as_secs()
        ),
        EffectKind::Condition { expr: e, .. } => format!("require {}", expr(e)),
        EffectKind::DenyDuring(ws) | EffectKind::DenyOutside(ws) => {
            let mut names: Vec<&str> = ws.iter().map(|w| w.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let verb = if matches!(e, EffectKind::DenyDuring(_)) {
                "during"
            } else {
                "outside"
            };
            format!("deny {verb} {}", names.join(", "))
        }
        EffectKind::DenyMessage(m) => format!("deny {:?}", m.value),
    })
}

fn write_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Null => out.push_str("null"),
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Int(n) => {
            let _ = write!(out, "{n}");
        }
        ExprKind::Str(s) => {
            let _ = write!(out, "{s:?}");
        }
        ExprKind::Duration(d) => {
            let _ = write!(out, "{}s", d.as_secs());
        }
        ExprKind::DateTime(d) => {
            let _ = write!(out, "{}", d.civil);
            if let Some(o) = d.offset {
                let _ = write!(out, "{o}");
            }
        }
        ExprKind::List(xs) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, x);
            }
            out.push(']');
        }
        ExprKind::Path { root, fields } => {
            out.push_str(match root {
                crate::ast::Root::Change => "change",
                crate::ast::Root::Node => "node",
            });
            for f in fields {
                out.push('.');
                out.push_str(f);
            }
        }
        ExprKind::Not(x) => {
            out.push_str("not (");
            write_expr(out, x);
            out.push(')');
        }
        ExprKind::Logic { op, operands } => {
            out.push('(');
            for (i, x) in operands.iter().enumerate() {
                if i > 0 {
                    let _ = write!(out, " {} ", op.symbol());
                }
                write_expr(out, x);
            }
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            out.push('(');
            write_expr(out, lhs);
            let _ = write!(out, " {} ", op.symbol());
            write_expr(out, rhs);
            out.push(')');
        }
        ExprKind::Call { func, set, arg } => {
            let _ = write!(out, "{}(", func.name());
            write_set(out, set);
            if let Some(a) = arg {
                out.push_str(", ");
                write_expr(out, a);
            }
            out.push(')');
        }
    }
}

fn write_set(out: &mut String, s: &SetExpr) {
    match &s.kind {
        SetKind::Targets => out.push_str("targets"),
        SetKind::Impacted => out.push_str("impacted"),
        SetKind::Named(n) => out.push_str(&n.name),
        SetKind::Walk { dir, of, depth } => {
            out.push_str(match dir {
                Walk::Dependents => "dependents(",
                Walk::Dependencies => "dependencies(",
            });
            write_set(out, of);
            if let Some((n, _)) = depth {
                let _ = write!(out, ", depth {n}");
            }
            out.push(')');
        }
        SetKind::Where { of, filters } => {
            out.push('(');
            write_set(out, of);
            for f in filters {
                out.push_str(" where ");
                write_expr(out, f);
            }
            out.push(')');
        }
    }
}
