//! Expressions: a `PrattParser` over the `expr` pairs, with the precedence
//! of docs/language.md, *Operators and precedence*: `not` > comparison >
//! `and` > `or`. `and`/`or` chains are kept flat so that a long chain does
//! not make a deep tree.

use std::sync::LazyLock;

use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::Rule;
use super::build::{Builder, Built, not_keyword};
use super::err::ParseError;
use crate::ast::{BinOp, Expr, ExprKind, Func, Root};
use crate::source::Span;

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    PrattParser::new()
        .op(Op::infix(Rule::op_or, Assoc::Left))
        .op(Op::infix(Rule::op_and, Assoc::Left))
        .op(Op::infix(Rule::op_eq, Assoc::Left)
            | Op::infix(Rule::op_ne, Assoc::Left)
            | Op::infix(Rule::op_lt, Assoc::Left)
            | Op::infix(Rule::op_le, Assoc::Left)
            | Op::infix(Rule::op_gt, Assoc::Left)
            | Op::infix(Rule::op_ge, Assoc::Left)
            | Op::infix(Rule::op_in, Assoc::Left)
            | Op::infix(Rule::op_not_in, Assoc::Left))
        .op(Op::prefix(Rule::op_not))
});

fn join(a: Span, b: Span) -> Span {
    Span {
        file: a.file,
        start: a.start.min(b.start),
        end: a.end.max(b.end),
    }
}

fn is_comparison(op: BinOp) -> bool {
    !matches!(op, BinOp::And | BinOp::Or)
}

impl Builder {
    /// An `expr` pair to an expression.
    pub(super) fn expr(&self, pair: Pair<'_, Rule>) -> Built<Expr> {
        let outer = self.span(&pair);
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = join(self.span(&op), rhs.span);
                Ok(Expr {
                    kind: ExprKind::Not(Box::new(rhs)),
                    span,
                })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = match (lhs, rhs) {
                    (Ok(l), Ok(r)) => (l, r),
                    (Err(mut a), Err(mut b)) => {
                        a.append(&mut b);
                        return Err(a);
                    }
                    (Err(e), _) | (_, Err(e)) => return Err(e),
                };
                let bop = match op.as_rule() {
                    Rule::op_or => BinOp::Or,
                    Rule::op_and => BinOp::And,
                    Rule::op_eq => BinOp::Eq,
                    Rule::op_ne => BinOp::Ne,
                    Rule::op_lt => BinOp::Lt,
                    Rule::op_le => BinOp::Le,
                    Rule::op_gt => BinOp::Gt,
                    Rule::op_ge => BinOp::Ge,
                    Rule::op_in => BinOp::In,
                    _ => BinOp::NotIn,
                };
                let span = join(lhs.span, rhs.span);
                if !is_comparison(bop) {
                    let mut operands = match lhs.kind {
                        ExprKind::Logic { op, operands } if op == bop => operands,
                        kind => vec![Expr {
                            kind,
                            span: lhs.span,
                        }],
                    };
                    operands.push(rhs);
                    return Ok(Expr {
                        kind: ExprKind::Logic { op: bop, operands },
                        span,
                    });
                }
                {
                    if let ExprKind::Binary { op: inner, .. } = &lhs.kind {
                        if is_comparison(*inner) && !self.parenthesized(lhs.span) {
                            return Err(vec![(self.span(&op), ParseError::ChainedComparison)]);
                        }
                    }
                }
                Ok(Expr {
                    kind: ExprKind::Binary {
                        op: bop,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                })
            })
            .parse(pair.into_inner().filter(not_keyword))
            .map(|mut e| {
                e.span = outer;
                e
            })
    }

    /// Whether the expression at `span` was written in parentheses (recorded when the
    /// parenthesized `expr` pair was read).
    fn parenthesized(&self, span: Span) -> bool {
        self.parens.borrow().contains(&(span.start, span.end))
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Built<Expr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => {
                let inner = self.expr(pair)?;
                self.parens
                    .borrow_mut()
                    .push((inner.span.start, inner.span.end));
                return Ok(inner);
            }
            Rule::true_lit => ExprKind::Bool(true),
            Rule::false_lit => ExprKind::Bool(false),
            Rule::null_lit => ExprKind::Null,
            Rule::integer => ExprKind::Int(self.integer(&pair)?),
            Rule::duration => ExprKind::Duration(self.duration(&pair)?.value),
            Rule::datetime => ExprKind::DateTime(self.datetime(&pair)?),
            Rule::string => ExprKind::Str(self.string(pair)?.value),
            Rule::list => ExprKind::List(
                pair.into_inner()
                    .filter(not_keyword)
                    .map(|p| self.expr(p))
                    .collect::<Built<Vec<_>>>()?,
            ),
            Rule::path => {
                let mut it = pair.into_inner().filter(not_keyword);
                let root = match it.next().map(|p| p.as_str()) {
                    Some("node") => Root::Node,
                    _ => Root::Change,
                };
                ExprKind::Path {
                    root,
                    fields: it.map(|p| p.as_str().to_owned()).collect(),
                }
            }
            _ => return self.call(pair),
        };
        Ok(Expr { kind, span })
    }

    fn call(&self, pair: Pair<'_, Rule>) -> Built<Expr> {
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let fpair = self.expect(it.next())?;
        let func = match fpair.as_str() {
            "any" => Func::Any,
            "all" => Func::All,
            "count" => Func::Count,
            "max" => Func::Max,
            _ => Func::Min,
        };
        let set = Box::new(self.set_expr(it.next())?);
        let arg = match it.next() {
            Some(p) => Some(Box::new(self.expr(p)?)),
            None => None,
        };
        let takes = match (func, arg.is_some()) {
            (Func::Count, true) => Some("one argument, a node set"),
            (Func::Count, false) | (_, true) => None,
            (_, false) => Some("two arguments, a node set and an expression"),
        };
        if let Some(takes) = takes {
            return Err(vec![(
                span,
                ParseError::Arity {
                    func: func.name(),
                    takes,
                },
            )]);
        }
        Ok(Expr {
            kind: ExprKind::Call { func, set, arg },
            span,
        })
    }
}
