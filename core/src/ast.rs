//! The abstract syntax tree: what a policy file says, every node with its span.

use jiff::SignedDuration;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use crate::source::Span;

/// A name as written, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal, unescaped.
#[derive(Debug, Clone, PartialEq)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// A datetime literal: a wall-clock time and, if written, its offset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateTimeLit {
    pub civil: DateTime,
    pub offset: Option<Offset>,
    pub span: Span,
}

/// A duration literal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationLit {
    pub value: SignedDuration,
    pub span: Span,
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Window(WindowDef),
    Let(LetDef),
    Rule(RuleDef),
}

impl Item {
    pub fn name(&self) -> &Ident {
        match self {
            Item::Window(w) => &w.name,
            Item::Let(l) => &l.name,
            Item::Rule(r) => &r.name,
        }
    }

    pub fn what(&self) -> &'static str {
        match self {
            Item::Window(_) => "window",
            Item::Let(_) => "set",
            Item::Rule(_) => "rule",
        }
    }
}

/// `window NAME = …`
#[derive(Debug, Clone, PartialEq)]
pub struct WindowDef {
    pub name: Ident,
    pub spec: WindowSpec,
    pub tz: Option<StrLit>,
}

/// The two forms of a window.
#[derive(Debug, Clone, PartialEq)]
pub enum WindowSpec {
    Between {
        start: DateTimeLit,
        end: DateTimeLit,
    },
    Cron {
        expr: StrLit,
        duration: DurationLit,
    },
}

/// `let NAME = SET`
#[derive(Debug, Clone, PartialEq)]
pub struct LetDef {
    pub name: Ident,
    pub set: SetExpr,
}

/// `rule NAME { … }`
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDef {
    pub name: Ident,
    pub when: Vec<Expr>,
    pub unless: Vec<Expr>,
    pub effects: Vec<Effect>,
    pub because: Option<StrLit>,
    pub override_by: Option<Vec<StrLit>>,
}

/// One effect of a rule, with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    pub kind: EffectKind,
    pub span: Span,
}

/// What an effect asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum EffectKind {
    /// `require approval "G" [count N]`
    ApprovalGroup {
        group: StrLit,
        count: Option<(i64, Span)>,
    },
    /// `require approval owner of SET`
    ApprovalOwner { set: SetExpr },
    /// `require [verified] backup of SET [kind "K"] within DUR`
    Backup {
        verified: bool,
        set: SetExpr,
        kind: Option<StrLit>,
        within: DurationLit,
    },
    /// `require EXPR else "MSG"`
    Condition { expr: Expr, message: StrLit },
    /// `deny during W, …`
    DenyDuring(Vec<Ident>),
    /// `deny outside W, …`
    DenyOutside(Vec<Ident>),
    /// `deny "MSG"`
    DenyMessage(StrLit),
}

/// A node-set expression.
#[derive(Debug, Clone, PartialEq)]
pub struct SetExpr {
    pub kind: SetKind,
    pub span: Span,
}

/// The forms of a node set.
#[derive(Debug, Clone, PartialEq)]
pub enum SetKind {
    Targets,
    Impacted,
    Walk {
        dir: Walk,
        of: Box<SetExpr>,
        depth: Option<(i64, Span)>,
    },
    Named(Ident),
    /// `SET where A where B`: the filters, applied in turn.
    Where {
        of: Box<SetExpr>,
        filters: Vec<Expr>,
    },
}

/// Which way a graph walk goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Walk {
    /// `dependents(…)`: towards the nodes that depend on the set.
    Dependents,
    /// `dependencies(…)`: towards the nodes the set depends on.
    Dependencies,
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// The forms of an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    Duration(SignedDuration),
    DateTime(DateTimeLit),
    List(Vec<Expr>),
    /// `change.a.b` or `node.a.b`
    Path {
        root: Root,
        fields: Vec<String>,
    },
    Not(Box<Expr>),
    /// A chain `a and b and c` (or `or`), kept flat.
    Logic {
        op: BinOp,
        operands: Vec<Expr>,
    },
    /// A comparison or membership test.
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Call {
        func: Func,
        set: Box<SetExpr>,
        arg: Option<Box<Expr>>,
    },
}

/// A direct part of an expression: another expression or a node set.
pub(crate) enum Part<'a> {
    Expr(&'a Expr),
    Set(&'a SetExpr),
}

impl Expr {
    /// Calls `f` on each direct part of the expression, in source order
    /// (for the walks of the linter and the editor queries).
    pub(crate) fn each_part<'a>(&'a self, mut f: impl FnMut(Part<'a>)) {
        match &self.kind {
            ExprKind::List(xs) | ExprKind::Logic { operands: xs, .. } => {
                xs.iter().for_each(|x| f(Part::Expr(x)));
            }
            ExprKind::Not(x) => f(Part::Expr(x)),
            ExprKind::Binary { lhs, rhs, .. } => {
                f(Part::Expr(lhs));
                f(Part::Expr(rhs));
            }
            ExprKind::Call { set, arg, .. } => {
                f(Part::Set(set));
                if let Some(a) = arg {
                    f(Part::Expr(a));
                }
            }
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Str(_)
            | ExprKind::Duration(_)
            | ExprKind::DateTime(_)
            | ExprKind::Path { .. } => {}
        }
    }
}

/// The root of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    Change,
    Node,
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
        }
    }
}

/// The set functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    Any,
    All,
    Count,
    Max,
    Min,
}

impl Func {
    pub fn name(self) -> &'static str {
        match self {
            Func::Any => "any",
            Func::All => "all",
            Func::Count => "count",
            Func::Max => "max",
            Func::Min => "min",
        }
    }
}
