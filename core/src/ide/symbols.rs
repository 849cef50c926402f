//! The names of a policy set: where each window, `let` and rule is defined
//! and where windows and sets are used (docs/language.md, *Items:
//! `window`, `let`, `rule`*). Rules are never named inside a policy; only a
//! change's `overrides` name them.

use super::Place;
use crate::ast::{EffectKind, Expr, Ident, Item, Part, SetExpr, SetKind};
use crate::source::Span;

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SymbolKind {
    /// `window NAME = …`
    Window,
    /// `let NAME = …`
    Let,
    /// `rule NAME { … }`
    Rule,
}

impl SymbolKind {
    /// The keyword that defines it.
    pub fn keyword(self) -> &'static str {
        match self {
            SymbolKind::Window => "window",
            SymbolKind::Let => "let",
            SymbolKind::Rule => "rule",
        }
    }
}

/// A definition: the name's place and the item, by file and index.
#[derive(Debug, Clone)]
pub(crate) struct Def {
    pub(crate) name: String,
    pub(crate) kind: SymbolKind,
    pub(crate) place: Place,
    pub(crate) item: (usize, usize),
}

/// A use of a name (of a window after `deny during` or `deny outside`,
/// of a set elsewhere; names are resolved whatever their kind, as one
/// namespace holds them all).
#[derive(Debug, Clone)]
pub(crate) struct Use {
    pub(crate) name: String,
    pub(crate) place: Place,
}

/// Every definition and use, in file and source order.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) defs: Vec<Def>,
    pub(crate) uses: Vec<Use>,
}

/// What is at an offset: a definition or a use, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hit {
    Def(usize),
    Use(usize),
}

fn place(span: Span) -> Place {
    Place {
        file: span.file as usize,
        start: span.start as usize,
        end: span.end as usize,
    }
}

impl Index {
    pub(crate) fn new(files: &[Vec<Item>]) -> Index {
        let mut index = Index::default();
        for (f, items) in files.iter().enumerate() {
            for (i, item) in items.iter().enumerate() {
                let kind = match item {
                    Item::Window(_) => SymbolKind::Window,
                    Item::Let(_) => SymbolKind::Let,
                    Item::Rule(_) => SymbolKind::Rule,
                };
                let name = item.name();
                index.defs.push(Def {
                    name: name.name.clone(),
                    kind,
                    place: place(name.span),
                    item: (f, i),
                });
                match item {
                    Item::Window(_) => {}
                    Item::Let(l) => index.set(&l.set),
                    Item::Rule(r) => {
                        for e in r.when.iter().chain(&r.unless) {
                            index.expr(e);
                        }
                        for e in &r.effects {
                            match &e.kind {
                                EffectKind::ApprovalOwner { set }
                                | EffectKind::Backup { set, .. } => index.set(set),
                                EffectKind::Condition { expr, .. } => index.expr(expr),
                                EffectKind::DenyDuring(ws) | EffectKind::DenyOutside(ws) => {
                                    for w in ws {
                                        index.used(w);
                                    }
                                }
                                EffectKind::ApprovalGroup { .. } | EffectKind::DenyMessage(_) => {}
                            }
                        }
                    }
                }
            }
        }
        index
    }

    fn used(&mut self, ident: &Ident) {
        self.uses.push(Use {
            name: ident.name.clone(),
            place: place(ident.span),
        });
    }

    fn set(&mut self, set: &SetExpr) {
        match &set.kind {
            SetKind::Targets | SetKind::Impacted => {}
            SetKind::Named(ident) => self.used(ident),
            SetKind::Walk { of, .. } => self.set(of),
            SetKind::Where { of, filters } => {
                self.set(of);
                for f in filters {
                    self.expr(f);
                }
            }
        }
    }

    fn expr(&mut self, expr: &Expr) {
        expr.each_part(|part| match part {
            Part::Expr(x) => self.expr(x),
            Part::Set(s) => self.set(s),
        });
    }

    /// The definition or use whose name covers `offset` of `file` (its
    /// end included, so a cursor just after a name finds it).
    pub(crate) fn at(&self, file: usize, offset: usize) -> Option<Hit> {
        let covers = |p: &Place| p.file == file && p.start <= offset && offset <= p.end;
        if let Some(i) = self.defs.iter().position(|d| covers(&d.place)) {
            return Some(Hit::Def(i));
        }
        self.uses
            .iter()
            .position(|u| covers(&u.place))
            .map(Hit::Use)
    }

    /// The first definition of `name` (a name defined twice is a compile
    /// error at the second).
    pub(crate) fn def(&self, name: &str) -> Option<&Def> {
        self.defs.iter().find(|d| d.name == name)
    }

    /// The name at a hit and the definition it resolves to, if any.
    pub(crate) fn resolve(&self, hit: Hit) -> (&str, Option<&Def>) {
        match hit {
            Hit::Def(i) => match self.defs.get(i) {
                Some(d) => (d.name.as_str(), self.def(&d.name)),
                None => ("", None),
            },
            Hit::Use(i) => match self.uses.get(i) {
                Some(u) => (u.name.as_str(), self.def(&u.name)),
                None => ("", None),
            },
        }
    }
}
