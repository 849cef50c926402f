//! Pairs of one item turned into the AST ([`crate::ast`]): items, rules,
//! effects and set expressions. Expressions are in `expr.rs`, literals in
//! `literal.rs`.

use pest::iterators::Pair;

use super::Rule;
use super::err::{Located, ParseError};
use crate::ast::{
    Effect, EffectKind, Ident, Item, LetDef, RuleDef, SetExpr, SetKind, Walk, WindowDef, WindowSpec,
};
use crate::source::{FileId, Span};

/// Keyword tokens carry no information once parsed.
pub(super) fn not_keyword(pair: &Pair<'_, Rule>) -> bool {
    !matches!(
        pair.as_rule(),
        Rule::kw_window
            | Rule::kw_between
            | Rule::kw_and
            | Rule::kw_cron
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_let
            | Rule::kw_rule
            | Rule::kw_when
            | Rule::kw_unless
            | Rule::kw_because
            | Rule::kw_override
            | Rule::kw_by
            | Rule::kw_require
            | Rule::kw_approval
            | Rule::kw_owner
            | Rule::kw_of
            | Rule::kw_count
            | Rule::kw_backup
            | Rule::kw_kind
            | Rule::kw_within
            | Rule::kw_else
            | Rule::kw_deny
            | Rule::kw_during
            | Rule::kw_outside
            | Rule::kw_where
            | Rule::kw_depth
    )
}

/// Turns pairs of one item into AST, shifting spans by the item's offset.
pub(super) struct Builder {
    file: FileId,
    base: usize,
    /// Spans of expressions written in parentheses.
    pub(super) parens: std::cell::RefCell<Vec<(u32, u32)>>,
}

pub(super) type Built<T> = Result<T, Vec<Located>>;

impl Builder {
    /// A builder for an item whose pairs' offsets start at `base` in the file.
    pub(super) fn new(file: FileId, base: usize) -> Builder {
        Builder {
            file,
            base,
            parens: Default::default(),
        }
    }

    pub(super) fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    pub(super) fn err<T>(&self, pair: &Pair<'_, Rule>, e: ParseError) -> Built<T> {
        Err(vec![(self.span(pair), e)])
    }

    pub(super) fn item(&self, pair: Pair<'_, Rule>) -> Built<Item> {
        match pair.as_rule() {
            Rule::window_def => self.window(pair).map(Item::Window),
            Rule::let_def => {
                let mut it = pair.into_inner().filter(not_keyword);
                let name = self.ident(it.next())?;
                let set = self.set_expr(it.next())?;
                Ok(Item::Let(LetDef { name, set }))
            }
            _ => self.rule(pair).map(Item::Rule),
        }
    }

    pub(super) fn ident(&self, pair: Option<Pair<'_, Rule>>) -> Built<Ident> {
        let pair = self.expect(pair)?;
        Ok(Ident {
            name: pair.as_str().to_owned(),
            span: self.span(&pair),
        })
    }

    /// The grammar guarantees the pair; a missing one is an internal error,
    /// reported rather than panicking.
    pub(super) fn expect<'i>(&self, pair: Option<Pair<'i, Rule>>) -> Built<Pair<'i, Rule>> {
        pair.ok_or_else(|| {
            vec![(
                Span::new(self.file, self.base, self.base),
                ParseError::Syntax {
                    expected: "a complete item".to_owned(),
                    found: "an incomplete one".to_owned(),
                },
            )]
        })
    }

    fn window(&self, pair: Pair<'_, Rule>) -> Built<WindowDef> {
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next())?;
        let spec_pair = self.expect(it.next())?;
        let is_between = spec_pair.as_rule() == Rule::between;
        let mut inner = spec_pair.into_inner().filter(not_keyword);
        let a = self.expect(inner.next())?;
        let b = self.expect(inner.next())?;
        let tz = match inner.next() {
            Some(tz) => Some(self.string(self.expect(tz.into_inner().find(not_keyword))?)?),
            None => None,
        };
        let spec = if is_between {
            WindowSpec::Between {
                start: self.datetime(&a)?,
                end: self.datetime(&b)?,
            }
        } else {
            WindowSpec::Cron {
                expr: self.string(a)?,
                duration: self.duration(&b)?,
            }
        };
        Ok(WindowDef { name, spec, tz })
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Built<RuleDef> {
        let mut it = pair.into_inner().filter(not_keyword);
        let name = self.ident(it.next())?;
        let mut rule = RuleDef {
            name,
            when: Vec::new(),
            unless: Vec::new(),
            effects: Vec::new(),
            because: None,
            override_by: None,
        };
        let mut errors = Vec::new();
        for p in it {
            let r = match p.as_rule() {
                Rule::when_clause => self
                    .expr(self.expect(p.into_inner().find(not_keyword))?)
                    .map(|e| rule.when.push(e)),
                Rule::unless_clause => self
                    .expr(self.expect(p.into_inner().find(not_keyword))?)
                    .map(|e| rule.unless.push(e)),
                Rule::because => {
                    if rule.because.is_some() {
                        self.err(&p, ParseError::DuplicateClause("because"))
                    } else {
                        let s = self.string(self.expect(p.into_inner().find(not_keyword))?)?;
                        rule.because = Some(s);
                        Ok(())
                    }
                }
                Rule::override_by => {
                    if rule.override_by.is_some() {
                        self.err(&p, ParseError::DuplicateClause("override by"))
                    } else {
                        let groups = p
                            .into_inner()
                            .filter(not_keyword)
                            .map(|g| self.string(g))
                            .collect::<Built<Vec<_>>>()?;
                        rule.override_by = Some(groups);
                        Ok(())
                    }
                }
                _ => self.effect(p).map(|e| rule.effects.push(e)),
            };
            if let Err(mut e) = r {
                errors.append(&mut e);
            }
        }
        if errors.is_empty() {
            Ok(rule)
        } else {
            Err(errors)
        }
    }

    fn effect(&self, pair: Pair<'_, Rule>) -> Built<Effect> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut it = pair.into_inner().filter(not_keyword);
        let kind = match rule {
            Rule::require_owner => EffectKind::ApprovalOwner {
                set: self.set_expr(it.next())?,
            },
            Rule::require_group => {
                let group = self.string(self.expect(it.next())?)?;
                let count = match it.next() {
                    Some(n) => Some((self.integer(&n)?, self.span(&n))),
                    None => None,
                };
                EffectKind::ApprovalGroup { group, count }
            }
            Rule::require_backup => {
                let mut next = self.expect(it.next())?;
                let verified = next.as_rule() == Rule::verified;
                if verified {
                    next = self.expect(it.next())?;
                }
                let set = self.set_expr(Some(next))?;
                let mut next = self.expect(it.next())?;
                let kind = if next.as_rule() == Rule::string {
                    let k = self.string(next)?;
                    next = self.expect(it.next())?;
                    Some(k)
                } else {
                    None
                };
                EffectKind::Backup {
                    verified,
                    set,
                    kind,
                    within: self.duration(&next)?,
                }
            }
            Rule::require_cond => {
                let expr = self.expr(self.expect(it.next())?)?;
                let message = self.string(self.expect(it.next())?)?;
                EffectKind::Condition { expr, message }
            }
            Rule::deny_during | Rule::deny_outside => {
                let names = it.map(|p| self.ident(Some(p))).collect::<Built<Vec<_>>>()?;
                if rule == Rule::deny_during {
                    EffectKind::DenyDuring(names)
                } else {
                    EffectKind::DenyOutside(names)
                }
            }
            _ => EffectKind::DenyMessage(self.string(self.expect(it.next())?)?),
        };
        Ok(Effect { kind, span })
    }

    pub(super) fn set_expr(&self, pair: Option<Pair<'_, Rule>>) -> Built<SetExpr> {
        let pair = self.expect(pair)?;
        let span = self.span(&pair);
        let mut it = pair.into_inner().filter(not_keyword);
        let primary = self.expect(it.next())?;
        let base = self.set_primary(primary)?;
        let filters = it.map(|p| self.expr(p)).collect::<Built<Vec<_>>>()?;
        if filters.is_empty() {
            return Ok(base);
        }
        Ok(SetExpr {
            kind: SetKind::Where {
                of: Box::new(base),
                filters,
            },
            span,
        })
    }

    fn set_primary(&self, pair: Pair<'_, Rule>) -> Built<SetExpr> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::set_targets => SetKind::Targets,
            Rule::set_impacted => SetKind::Impacted,
            Rule::set_expr => return self.set_expr(Some(pair)),
            Rule::set_call => {
                let mut it = pair.into_inner().filter(not_keyword);
                let f = self.expect(it.next())?;
                let dir = if f.as_str().starts_with("dependents") {
                    Walk::Dependents
                } else {
                    Walk::Dependencies
                };
                let of = Box::new(self.set_expr(it.next())?);
                let depth = match it.next() {
                    Some(n) => Some((self.integer(&n)?, self.span(&n))),
                    None => None,
                };
                SetKind::Walk { dir, of, depth }
            }
            _ => SetKind::Named(self.ident(Some(pair))?),
        };
        Ok(SetExpr { kind, span })
    }
}
