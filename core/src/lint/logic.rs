//! `never-holds`: a rule's `when` clauses that no change can satisfy.
//!
//! Conservative on purpose: only what follows from the language's own
//! rules for comparisons (docs/language.md, *Operators and precedence* and
//! *Types and null*) counts, so a finding is a proof. The `when` clauses
//! of a rule are one conjunction; in it, the comparisons of one operand (a
//! path such as `change.risk`, or `count(SET)`, `min(…)`, `max(…)` written
//! alike) with literals are checked together:
//!
//! - with an `==` literal, the operand is that value, and every other
//!   comparison is evaluated on it (`change.risk == "high" and change.risk
//!   == "low"`);
//! - with an `in [literals]`, one of the listed values must pass every
//!   comparison;
//! - otherwise the ordering comparisons must leave a non-empty interval (`x
//!   < 3 and x > 5`), and all compare with one type (a value is never both
//!   a number and a duration).
//!
//! `count(SET)` is never negative. A comparison of two literals is
//! evaluated. An `or` never holds when none of its operands can, and
//! `any(SET, E)` never holds when E cannot. `not`, `unless` and anything
//! read at run time without a literal to compare with are left alone.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::tz::Offset;

use super::canon;
use crate::ast::{BinOp, Expr, ExprKind, Func};
use crate::source::Span;
use crate::value::Value;

/// Why a conjunction never holds: the place to show and the reason.
pub(super) struct Never {
    pub(super) span: Span,
    pub(super) reason: String,
}

/// Whether the conjunction of `clauses` (a rule's `when`s) can never hold.
pub(super) fn conjunction(clauses: &[Expr]) -> Option<Never> {
    let mut flat = Vec::new();
    for c in clauses {
        flatten(c, &mut flat);
    }
    never_all(&flat)
}

/// Whether `e` can never hold.
fn never(e: &Expr) -> Option<Never> {
    let mut flat = Vec::new();
    flatten(e, &mut flat);
    never_all(&flat)
}

fn flatten<'e>(e: &'e Expr, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Logic {
            op: BinOp::And,
            operands,
        } => operands.iter().for_each(|o| flatten(o, out)),
        _ => out.push(e),
    }
}

/// One comparison of an operand with a literal, as `operand OP value`.
struct Atom<'e> {
    op: BinOp,
    value: Value,
    expr: &'e Expr,
}

fn never_all(conj: &[&Expr]) -> Option<Never> {
    let mut by_operand: BTreeMap<String, Vec<Atom<'_>>> = BTreeMap::new();
    for e in conj {
        if let Some(n) = never_alone(e) {
            return Some(n);
        }
        if let Some((key, atom)) = atom(e) {
            by_operand.entry(key).or_default().push(atom);
        }
    }
    by_operand
        .iter()
        .find_map(|(key, atoms)| contradiction(key, atoms))
}

/// A conjunct that never holds by itself.
fn never_alone(e: &Expr) -> Option<Never> {
    match &e.kind {
        ExprKind::Bool(false) => None,
        ExprKind::Logic {
            op: BinOp::Or,
            operands,
        } => {
            let reasons: Option<Vec<Never>> = operands.iter().map(never).collect();
            let reasons = reasons?;
            Some(Never {
                span: e.span,
                reason: format!(
                    "none of the alternatives of `or` can hold ({})",
                    reasons
                        .iter()
                        .map(|r| r.reason.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            })
        }
        ExprKind::Call {
            func: Func::Any,
            arg: Some(arg),
            ..
        } => never(arg).map(|n| Never {
            span: n.span,
            reason: format!("`any` needs a node for which {}", n.reason),
        }),
        ExprKind::Binary { op, lhs, rhs } => {
            let (l, r) = (literal(lhs)?, literal(rhs)?);
            (!compare(*op, &l, &r)).then(|| Never {
                span: e.span,
                reason: format!(
                    "`{}` compares two literals and is false",
                    canon::expr(e).trim_matches(['(', ')'])
                ),
            })
        }
        _ => None,
    }
}

/// `operand OP literal` (or `literal OP operand`, turned around), keyed by
/// the operand's canonical text.
fn atom(e: &Expr) -> Option<(String, Atom<'_>)> {
    let ExprKind::Binary { op, lhs, rhs } = &e.kind else {
        return None;
    };
    let (operand, value, op) = match (literal(lhs), literal(rhs)) {
        (None, Some(v)) => (lhs, v, *op),
        (Some(v), None) => (rhs, v, flip(*op)?),
        _ => return None,
    };
    operand_key(operand).map(|key| (key, Atom { op, value, expr: e }))
}

/// The operands compared: paths and the set functions with a value.
fn operand_key(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Path { .. }
        | ExprKind::Call {
            func: Func::Count | Func::Max | Func::Min,
            ..
        } => Some(canon::expr(e)),
        _ => None,
    }
}

/// `a OP b` as `b OP' a`; `None` for `in` (the list is on the right).
fn flip(op: BinOp) -> Option<BinOp> {
    Some(match op {
        BinOp::Eq | BinOp::Ne => op,
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        BinOp::In | BinOp::NotIn | BinOp::And | BinOp::Or => return None,
    })
}

/// A literal's value (lists of literals included).
fn literal(e: &Expr) -> Option<Value> {
    Some(match &e.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Int(n) => Value::Int(*n),
        ExprKind::Str(s) => Value::str(s),
        ExprKind::Duration(d) => Value::Duration(*d),
        // In expressions a datetime without an offset is UTC.
        ExprKind::DateTime(d) => {
            Value::DateTime(d.offset.unwrap_or(Offset::UTC).to_timestamp(d.civil).ok()?)
        }
        ExprKind::List(xs) => Value::List(xs.iter().map(literal).collect::<Option<_>>()?),
        _ => return None,
    })
}

/// The comparisons of the language on two values (docs/language.md,
/// *Operators and precedence*); the same rules as evaluation.
pub(super) fn compare(op: BinOp, l: &Value, r: &Value) -> bool {
    match op {
        BinOp::Eq => l.lang_eq(r),
        BinOp::Ne => comparable(l, r) && !l.lang_eq(r),
        BinOp::Lt => l.lang_cmp(r) == Some(Ordering::Less),
        BinOp::Le => matches!(l.lang_cmp(r), Some(o) if o != Ordering::Greater),
        BinOp::Gt => l.lang_cmp(r) == Some(Ordering::Greater),
        BinOp::Ge => matches!(l.lang_cmp(r), Some(o) if o != Ordering::Less),
        BinOp::In => matches!(r, Value::List(items) if items.iter().any(|i| i.lang_eq(l))),
        BinOp::NotIn => !matches!(r, Value::List(items) if items.iter().any(|i| i.lang_eq(l))),
        BinOp::And | BinOp::Or => false,
    }
}

fn comparable(l: &Value, r: &Value) -> bool {
    matches!(l, Value::Null) || matches!(r, Value::Null) || l.type_of() == r.type_of()
}

/// The text of a comparison as a reason names it.
fn shown(a: &Atom<'_>) -> String {
    canon::expr(a.expr)
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .map(str::to_owned)
        .unwrap_or_else(|| canon::expr(a.expr))
}

/// Whether the comparisons `atoms` of one operand contradict each other.
fn contradiction(key: &str, atoms: &[Atom<'_>]) -> Option<Never> {
    let is_count = key.starts_with("count(");
    // A count is a number of nodes: never below 0.
    let holds = |v: &Value| !is_count || compare(BinOp::Ge, v, &Value::Int(0));
    if let Some(eq) = atoms.iter().find(|a| a.op == BinOp::Eq) {
        if !holds(&eq.value) {
            return Some(Never {
                span: eq.expr.span,
                reason: format!("`{}` is never true: a count is never negative", shown(eq)),
            });
        }
        let other = atoms.iter().find(|a| !compare(a.op, &eq.value, &a.value))?;
        return Some(Never {
            span: later(eq, other).expr.span,
            reason: format!(
                "`{}` and `{}` cannot both hold",
                shown(first(eq, other)),
                shown(later(eq, other))
            ),
        });
    }
    if let Some(list) = atoms.iter().find(|a| a.op == BinOp::In) {
        let Value::List(items) = &list.value else {
            // `x in null` is false.
            return Some(Never {
                span: list.expr.span,
                reason: format!("`{}` is never true: the list is `null`", shown(list)),
            });
        };
        let possible = items
            .iter()
            .any(|v| holds(v) && atoms.iter().all(|a| compare(a.op, v, &a.value)));
        if possible {
            return None;
        }
        let others: Vec<String> = atoms
            .iter()
            .filter(|a| !std::ptr::eq(*a, list))
            .map(shown)
            .collect();
        return Some(Never {
            span: list.expr.span,
            reason: if others.is_empty() && items.is_empty() {
                format!("`{}` is never true: the list is empty", shown(list))
            } else if others.is_empty() {
                format!("`{}` is never true: a count is never negative", shown(list))
            } else {
                format!(
                    "no value of `{}` passes `{}`",
                    shown(list),
                    others.join("` and `")
                )
            },
        });
    }
    interval(key, atoms, is_count)
}

/// The ordering comparisons: one type, and a non-empty interval.
fn interval(key: &str, atoms: &[Atom<'_>], is_count: bool) -> Option<Never> {
    let ordered: Vec<&Atom<'_>> = atoms
        .iter()
        .filter(|a| matches!(a.op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge))
        .collect();
    // (value, strict, the comparison), tightest so far.
    let mut low: Option<(Value, bool, Option<&Atom<'_>>)> =
        is_count.then_some((Value::Int(0), false, None));
    let mut high: Option<(Value, bool, &Atom<'_>)> = None;
    for a in &ordered {
        if let Some(b) = ordered
            .iter()
            .find(|b| b.value.lang_cmp(&a.value).is_none())
        {
            return Some(Never {
                span: later(a, b).expr.span,
                reason: format!(
                    "`{}` and `{}` compare `{key}` with values of different types, and a value \
                     has one type",
                    shown(first(a, b)),
                    shown(later(a, b))
                ),
            });
        }
        let strict = matches!(a.op, BinOp::Lt | BinOp::Gt);
        match a.op {
            BinOp::Gt | BinOp::Ge => {
                let tighter = low
                    .as_ref()
                    .is_none_or(|(v, s, _)| match a.value.lang_cmp(v) {
                        Some(Ordering::Greater) => true,
                        Some(Ordering::Equal) => strict && !s,
                        _ => false,
                    });
                if tighter {
                    low = Some((a.value.clone(), strict, Some(a)));
                }
            }
            _ => {
                let tighter = high
                    .as_ref()
                    .is_none_or(|(v, s, _)| match a.value.lang_cmp(v) {
                        Some(Ordering::Less) => true,
                        Some(Ordering::Equal) => strict && !s,
                        _ => false,
                    });
                if tighter {
                    high = Some((a.value.clone(), strict, a));
                }
            }
        }
    }
    let ((lv, ls, la), (hv, hs, ha)) = (low?, high?);
    let empty = match lv.lang_cmp(&hv)? {
        Ordering::Greater => true,
        Ordering::Equal => ls || hs,
        Ordering::Less => false,
    };
    if !empty {
        return None;
    }
    Some(match la {
        Some(la) => Never {
            span: later(la, ha).expr.span,
            reason: format!(
                "`{}` and `{}` cannot both hold",
                shown(first(la, ha)),
                shown(later(la, ha))
            ),
        },
        None => Never {
            span: ha.expr.span,
            reason: format!("`{}` is never true: a count is never negative", shown(ha)),
        },
    })
}

fn first<'a, 'e>(a: &'a Atom<'e>, b: &'a Atom<'e>) -> &'a Atom<'e> {
    if (b.expr.span.file, b.expr.span.start) < (a.expr.span.file, a.expr.span.start) {
        b
    } else {
        a
    }
}

fn later<'a, 'e>(a: &'a Atom<'e>, b: &'a Atom<'e>) -> &'a Atom<'e> {
    if std::ptr::eq(first(a, b), a) { b } else { a }
}
