//! Type checks of expressions (docs/language.md, *Types and null*): where
//! both sides' types are known (literals, and the built-in fields of
//! [`crate::compile::fields`]) they agree; conditions are booleans; `node`
//! appears only where a node is bound.

use super::{CheckError, Cx, Located};
use crate::ast::{BinOp, Expr, ExprKind, Func, Root};
use crate::compile::{ChangeField, NodeField};
use crate::source::Span;
use crate::value::Type;

impl Cx<'_, '_> {
    /// Checks an expression that must be a boolean.
    pub(super) fn condition(
        &self,
        e: &Expr,
        place: &'static str,
        node: bool,
        errors: &mut Vec<Located>,
    ) {
        if let Some(t) = self.expr(e, node, errors) {
            if t != Type::Bool && t != Type::Null {
                errors.push((
                    e.span,
                    CheckError::NotBool {
                        place,
                        t,
                        text: self.text(e.span),
                        under_not: false,
                    },
                ));
            }
        }
    }

    /// Checks an expression and returns its type where it is known.
    fn expr(&self, e: &Expr, node: bool, errors: &mut Vec<Located>) -> Option<Type> {
        match &e.kind {
            ExprKind::Null => Some(Type::Null),
            ExprKind::Bool(_) => Some(Type::Bool),
            ExprKind::Int(_) => Some(Type::Number),
            ExprKind::Str(_) => Some(Type::Str),
            ExprKind::Duration(_) => Some(Type::Duration),
            ExprKind::DateTime(_) => Some(Type::DateTime),
            ExprKind::List(items) => {
                for i in items {
                    self.expr(i, node, errors);
                }
                Some(Type::List)
            }
            ExprKind::Path { root, fields } => {
                if *root == Root::Node && !node {
                    errors.push((e.span, CheckError::NodeOutsideSet));
                    return None;
                }
                path_type(*root, fields)
            }
            ExprKind::Not(x) => {
                if let Some(t) = self.expr(x, node, errors) {
                    if t != Type::Bool && t != Type::Null {
                        // Reported once here; an unknown type keeps it from cascading.
                        errors.push((
                            e.span,
                            CheckError::NotBool {
                                place: "`not`",
                                t,
                                text: self.text(x.span),
                                under_not: true,
                            },
                        ));
                        return None;
                    }
                }
                Some(Type::Bool)
            }
            ExprKind::Logic { op, operands } => {
                let place = if *op == BinOp::And { "`and`" } else { "`or`" };
                for o in operands {
                    self.condition(o, place, node, errors);
                }
                Some(Type::Bool)
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let lt = self.expr(lhs, node, errors);
                let rt = self.expr(rhs, node, errors);
                self.binary(*op, lhs, lt, rhs, rt, errors);
                Some(Type::Bool)
            }
            ExprKind::Call { func, set, arg } => {
                self.set(set, errors);
                let at = arg.as_ref().and_then(|a| self.expr(a, true, errors));
                match func {
                    Func::Any | Func::All => {
                        if let (Some(t), Some(a)) = (at, arg) {
                            if t != Type::Bool && t != Type::Null {
                                errors.push((
                                    a.span,
                                    CheckError::NotBool {
                                        place: if *func == Func::Any { "`any`" } else { "`all`" },
                                        t,
                                        text: self.text(a.span),
                                        under_not: false,
                                    },
                                ));
                            }
                        }
                        Some(Type::Bool)
                    }
                    Func::Count => Some(Type::Number),
                    Func::Max | Func::Min => at,
                }
            }
        }
    }

    /// Reports a comparison of two known, different types (`null` aside).
    fn same_type(
        &self,
        lhs: &Expr,
        lt: Option<Type>,
        rhs: &Expr,
        rt: Option<Type>,
        errors: &mut Vec<Located>,
    ) {
        if let (Some(l), Some(r)) = (lt, rt) {
            if l != r && l != Type::Null && r != Type::Null {
                errors.push((
                    join(lhs.span, rhs.span),
                    CheckError::Compare {
                        l: self.text(lhs.span),
                        lt: l,
                        r: self.text(rhs.span),
                        rt: r,
                    },
                ));
            }
        }
    }

    fn binary(
        &self,
        op: BinOp,
        lhs: &Expr,
        lt: Option<Type>,
        rhs: &Expr,
        rt: Option<Type>,
        errors: &mut Vec<Located>,
    ) {
        match op {
            BinOp::Eq | BinOp::Ne => {
                self.same_type(lhs, lt, rhs, rt, errors);
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let orderable = |t: Type| {
                    matches!(
                        t,
                        Type::Number | Type::Duration | Type::DateTime | Type::Null
                    )
                };
                for (t, x) in [(lt, lhs), (rt, rhs)] {
                    if let Some(t) = t.filter(|t| !orderable(*t)) {
                        errors.push((
                            x.span,
                            CheckError::Unordered {
                                op: op.symbol(),
                                t,
                                text: self.text(x.span),
                            },
                        ));
                        return;
                    }
                }
                self.same_type(lhs, lt, rhs, rt, errors);
            }
            BinOp::In | BinOp::NotIn => {
                if let Some(t) = rt.filter(|t| *t != Type::List && *t != Type::Null) {
                    errors.push((
                        rhs.span,
                        CheckError::NotList {
                            op: op.symbol(),
                            t,
                            text: self.text(rhs.span),
                        },
                    ));
                }
            }
            BinOp::And | BinOp::Or => {}
        }
    }
}

fn join(a: Span, b: Span) -> Span {
    Span {
        file: a.file,
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

/// The type of `change.…`/`node.…` where the language fixes it: a built-in
/// field with nothing after it.
fn path_type(root: Root, fields: &[String]) -> Option<Type> {
    let [first] = fields else { return None };
    match root {
        Root::Change => ChangeField::named(first).ty(),
        Root::Node => NodeField::named(first).ty(),
    }
}
