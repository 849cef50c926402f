//! Stage 3 of compilation: checks over the whole policy set. Names are
//! unique and every reference resolves; `let` sets do not refer to
//! themselves; windows have a known time zone and a valid cron; types agree
//! where both sides are known; `node` appears only where a node is bound.

use std::collections::HashMap;

use jiff::SignedDuration;

use crate::ast::{
    BinOp, Effect, EffectKind, Expr, ExprKind, Func, Ident, Item, Root, SetExpr, SetKind,
    WindowDef, WindowSpec,
};
use crate::source::{SourceMap, Span};
use crate::value::Type;
use crate::window::{Window, WindowError};

/// What the checks can find wrong in a policy set.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum CheckError {
    /// Two items with one name.
    #[error("`{name}` is defined twice")]
    Duplicate {
        name: String,
        first: String,
        what: &'static str,
    },
    /// A name that is not defined, or not of the kind needed here.
    #[error("unknown {what} `{name}`")]
    Unknown {
        what: &'static str,
        name: String,
        suggestion: Option<String>,
        actual: Option<&'static str>,
    },
    /// A `let` that refers to itself, directly or through others.
    #[error("set `{0}` is defined in terms of itself")]
    Cycle(String),
    /// A window the window module rejects (time zone, cron, bounds).
    #[error("{0}")]
    Window(WindowError),
    /// Two operands of types that cannot be compared.
    #[error("cannot compare {lt} `{l}` with {rt} `{r}`")]
    Compare {
        l: String,
        lt: Type,
        r: String,
        rt: Type,
    },
    /// An ordering on values that have no order.
    #[error("`{op}` needs numbers, durations or datetimes, found {t} `{text}`")]
    Unordered {
        op: &'static str,
        t: Type,
        text: String,
    },
    /// A boolean was needed.
    #[error("{place} needs a boolean, found {t} `{text}`")]
    NotBool {
        place: &'static str,
        t: Type,
        text: String,
        under_not: bool,
    },
    /// `x in y` where y is known not to be a list.
    #[error("`{op}` needs a list on its right, found {t} `{text}`")]
    NotList {
        op: &'static str,
        t: Type,
        text: String,
    },
    /// `node` where no node is bound.
    #[error("`node` is only defined inside a set filter or a set function")]
    NodeOutsideSet,
    /// A count, depth or duration that must be positive.
    #[error("{what} must be at least {min}, found `{found}`")]
    TooSmall {
        what: &'static str,
        min: &'static str,
        found: String,
    },
    /// An empty group name.
    #[error("group name is empty")]
    EmptyGroup,
    /// Sets built on sets, deeper than the nesting limit.
    #[error("set `{name}` is built on a chain of {depth} sets, more than the limit of {limit}")]
    ChainTooDeep {
        name: String,
        depth: usize,
        limit: usize,
    },
}

impl CheckError {
    /// Advice on how to fix it.
    pub(crate) fn help(&self) -> Option<String> {
        match self {
            CheckError::Duplicate { first, what, .. } => Some(format!(
                "the first definition, a {what}, is at {first}; rules, windows and sets share one namespace, so rename one"
            )),
            CheckError::Unknown {
                suggestion,
                actual,
                name,
                ..
            } => match (actual, suggestion) {
                (Some(actual), _) => Some(format!("`{name}` is a {actual}")),
                (None, Some(s)) => Some(format!("did you mean `{s}`?")),
                (None, None) => None,
            },
            CheckError::Cycle(_) => Some("a set may use other sets, but not itself".to_owned()),
            CheckError::Window(w) => w.help(),
            CheckError::Compare { lt, rt, r, .. } => match (lt, rt) {
                (Type::Number, Type::Str) if r.trim_matches('"').parse::<i64>().is_ok() => {
                    Some(format!("write the number without quotes: `{}`", r.trim_matches('"')))
                }
                _ => Some("values of different types are never equal; compare with a value of the same type".to_owned()),
            },
            CheckError::Unordered { .. } => None,
            CheckError::NotBool { under_not: true, .. } => Some(
                "`not` binds tighter than comparisons: write `not (a == b)`, or `a != b`".to_owned(),
            ),
            CheckError::NotBool { .. } => Some("compare it, e.g. `change.x == \"value\"` or `change.x != null`".to_owned()),
            CheckError::NotList { .. } => Some("write a list, e.g. `[\"a\", \"b\"]`, or a list field such as `node.tags`".to_owned()),
            CheckError::NodeOutsideSet => Some(
                "use it in `any(SET, …)`, `all(SET, …)`, `max(SET, …)`, `min(SET, …)` or `SET where …`".to_owned(),
            ),
            CheckError::TooSmall { .. } | CheckError::EmptyGroup => None,
            CheckError::ChainTooDeep { .. } => {
                Some("flatten the chain, or raise `Limits::max_nesting`".to_owned())
            }
        }
    }
}

/// A checked error with its place.
pub(crate) type Located = (Span, CheckError);

/// What an item name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Symbol {
    Window(usize),
    Set(usize),
    Rule(usize),
}

/// The checked policy set: items sorted by kind, windows built.
#[derive(Debug)]
pub(crate) struct Checked<'a> {
    pub(crate) windows: Vec<(&'a WindowDef, Window)>,
    pub(crate) lets: Vec<&'a crate::ast::LetDef>,
    pub(crate) rules: Vec<&'a crate::ast::RuleDef>,
    pub(crate) symbols: HashMap<&'a str, Symbol>,
}

/// Runs every check; returns the checked set or all the errors found.
pub(crate) fn check<'a>(
    items: &'a [Item],
    map: &SourceMap,
    max_nesting: usize,
) -> Result<Checked<'a>, Vec<Located>> {
    let mut errors = Vec::new();
    let mut out = Checked {
        windows: Vec::new(),
        lets: Vec::new(),
        rules: Vec::new(),
        symbols: HashMap::new(),
    };
    let mut first_of: HashMap<&str, &Item> = HashMap::new();
    let mut crons = CronWindows::new();
    for item in items {
        let name = item.name();
        if let Some(first) = first_of.get(name.name.as_str()) {
            let f = first.name().span;
            errors.push((
                name.span,
                CheckError::Duplicate {
                    name: name.name.clone(),
                    first: format!("{}:{}", map.name(f.file), map.line(f)),
                    what: first.what(),
                },
            ));
            continue;
        }
        first_of.insert(&name.name, item);
        let sym = match item {
            Item::Window(w) => match build_window(w, &mut crons) {
                Ok(win) => {
                    out.windows.push((w, win));
                    Symbol::Window(out.windows.len() - 1)
                }
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
            Item::Let(l) => {
                out.lets.push(l);
                Symbol::Set(out.lets.len() - 1)
            }
            Item::Rule(r) => {
                out.rules.push(r);
                Symbol::Rule(out.rules.len() - 1)
            }
        };
        out.symbols.insert(&name.name, sym);
    }
    // Windows that failed to build are still names: don't report them again as unknown.
    let broken: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            Item::Window(w) if !out.symbols.contains_key(w.name.name.as_str()) => {
                Some(w.name.name.as_str())
            }
            _ => None,
        })
        .collect();
    let cx = Cx {
        symbols: &out.symbols,
        broken: &broken,
        map,
    };
    for l in &out.lets {
        cx.set(&l.set, &mut errors);
    }
    let before = errors.len();
    let refs = cycles(&out, &mut errors);
    if errors.len() == before {
        chains(&out, &refs, max_nesting, &mut errors);
    }
    for r in &out.rules {
        for e in r.when.iter().chain(&r.unless) {
            cx.condition(e, "a condition", false, &mut errors);
        }
        for eff in &r.effects {
            cx.effect(eff, &mut errors);
        }
        for g in r.override_by.iter().flatten() {
            if g.value.trim().is_empty() {
                errors.push((g.span, CheckError::EmptyGroup));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Cron windows already built, by expression, duration and time zone as
/// written: building one parses its cron expression (croner sets a bit for
/// each of 5,000 years), the largest part of checking a policy; a policy
/// that writes the same window under several names builds it once.
type CronWindows<'a> = HashMap<(&'a str, SignedDuration, Option<&'a str>), Window>;

fn build_window<'a>(w: &'a WindowDef, crons: &mut CronWindows<'a>) -> Result<Window, Located> {
    let tz = w.tz.as_ref().map(|t| t.value.as_str());
    if let WindowSpec::Cron { expr, duration } = &w.spec {
        let key = (expr.value.as_str(), duration.value, tz);
        if let Some(built) = crons.get(&key) {
            return Ok(built.clone());
        }
        let built = build_window_uncached(w, tz)?;
        crons.insert(key, built.clone());
        return Ok(built);
    }
    build_window_uncached(w, tz)
}

fn build_window_uncached(w: &WindowDef, tz: Option<&str>) -> Result<Window, Located> {
    if let Some(t) = &w.tz {
        crate::window::resolve_tz(&t.value).map_err(|e| (t.span, CheckError::Window(e)))?;
    }
    match &w.spec {
        WindowSpec::Between { start, end } => {
            Window::between(start.civil, start.offset, end.civil, end.offset, tz)
                .map_err(|e| (end.span, CheckError::Window(e)))
        }
        WindowSpec::Cron { expr, duration } => {
            if duration.value.as_secs() <= 0 {
                return Err((
                    duration.span,
                    CheckError::TooSmall {
                        what: "a window's duration",
                        min: "1s",
                        found: crate::value::format_duration(duration.value),
                    },
                ));
            }
            Window::cron(&expr.value, duration.value, tz)
                .map_err(|e| (expr.span, CheckError::Window(e)))
        }
    }
}

/// Reports every `let` whose chain of sets it is built on is longer than
/// `max`: evaluation and compilation recurse along such chains. Runs on an
/// acyclic graph of references (after [`cycles`] found none).
fn chains(out: &Checked<'_>, refs: &[Vec<usize>], max: usize, errors: &mut Vec<Located>) {
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
fn cycles(out: &Checked<'_>, errors: &mut Vec<Located>) -> Vec<Vec<usize>> {
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

/// The checking context.
struct Cx<'a, 'b> {
    symbols: &'b HashMap<&'a str, Symbol>,
    broken: &'b [&'a str],
    map: &'b SourceMap,
}

impl Cx<'_, '_> {
    fn text(&self, span: Span) -> String {
        let t = self
            .map
            .files
            .get(span.file as usize)
            .and_then(|(s, _)| s.text.get(span.start as usize..span.end as usize))
            .unwrap_or("");
        if t.chars().count() > 40 {
            format!("{}…", t.chars().take(40).collect::<String>())
        } else {
            t.to_owned()
        }
    }

    fn effect(&self, eff: &Effect, errors: &mut Vec<Located>) {
        match &eff.kind {
            EffectKind::ApprovalGroup { group, count } => {
                if group.value.trim().is_empty() {
                    errors.push((group.span, CheckError::EmptyGroup));
                }
                if let Some((n, span)) = count {
                    if *n < 1 || *n > i64::from(u32::MAX) {
                        errors.push((
                            *span,
                            CheckError::TooSmall {
                                what: "an approval count",
                                min: "1",
                                found: n.to_string(),
                            },
                        ));
                    }
                }
            }
            EffectKind::ApprovalOwner { set } => self.set(set, errors),
            EffectKind::Backup { set, within, .. } => {
                self.set(set, errors);
                if within.value.as_secs() <= 0 {
                    errors.push((
                        within.span,
                        CheckError::TooSmall {
                            what: "`within`",
                            min: "1s",
                            found: crate::value::format_duration(within.value),
                        },
                    ));
                }
            }
            EffectKind::Condition { expr, .. } => {
                self.condition(expr, "`require … else`", false, errors)
            }
            EffectKind::DenyDuring(names) | EffectKind::DenyOutside(names) => {
                for n in names {
                    self.resolve(n, "window", errors);
                }
            }
            EffectKind::DenyMessage(_) => {}
        }
    }

    /// Resolves a reference to a window (`what == "window"`) or a set.
    fn resolve(&self, id: &Ident, what: &'static str, errors: &mut Vec<Located>) {
        let found = self.symbols.get(id.name.as_str());
        let ok = matches!(
            (what, found),
            ("window", Some(Symbol::Window(_))) | ("set", Some(Symbol::Set(_)))
        );
        if ok || (what == "window" && self.broken.contains(&id.name.as_str())) {
            return;
        }
        let actual = match found {
            Some(Symbol::Window(_)) => Some("window"),
            Some(Symbol::Set(_)) => Some("set"),
            Some(Symbol::Rule(_)) => Some("rule"),
            None => None,
        };
        let candidates = self.symbols.iter().filter_map(|(name, s)| {
            let kind_ok = matches!(
                (what, s),
                ("window", Symbol::Window(_)) | ("set", Symbol::Set(_))
            );
            kind_ok.then_some(*name)
        });
        errors.push((
            id.span,
            CheckError::Unknown {
                what,
                name: id.name.clone(),
                suggestion: closest(&id.name, candidates),
                actual,
            },
        ));
    }

    fn set(&self, set: &SetExpr, errors: &mut Vec<Located>) {
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

    /// Checks an expression that must be a boolean.
    fn condition(&self, e: &Expr, place: &'static str, node: bool, errors: &mut Vec<Located>) {
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

/// The type of `change.…`/`node.…` where the language fixes it.
pub(crate) fn path_type(root: Root, fields: &[String]) -> Option<Type> {
    let [first] = fields else { return None };
    match (root, first.as_str()) {
        (Root::Change, "id" | "type" | "requested_by") => Some(Type::Str),
        (Root::Change, "start" | "end") => Some(Type::DateTime),
        (Root::Change, "targets") => Some(Type::List),
        (Root::Change, "duration") => Some(Type::Duration),
        (Root::Node, "id" | "kind" | "owner") => Some(Type::Str),
        (Root::Node, "tier" | "depth") => Some(Type::Number),
        (Root::Node, "tags") => Some(Type::List),
        _ => None,
    }
}

/// The closest of `candidates` to `name`, if it is close enough to suggest.
pub(crate) fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut search = crate::input::Suggest::new(name)?;
    candidates
        .filter(|c| search.worth(c, |longer| (longer / 3).max(1)))
        .map(|c| (strsim::damerau_levenshtein(name, c), c))
        .filter(|(d, c)| *d <= (name.len().max(c.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c.to_owned())
}
