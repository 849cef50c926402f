//! Stage 1 and 2 of compilation: the pest grammar, and its pairs turned into
//! the AST ([`crate::ast`]). A file is read item by item, so a syntax error
//! in one item is reported and the parser goes on with the next one: a file
//! with three broken rules gives three errors.

mod expr;
mod lexical;

use std::num::NonZeroUsize;
use std::sync::Once;

use jiff::SignedDuration;
use jiff::civil::DateTime;
use jiff::tz::Offset;
use pest::Parser as _;
use pest::iterators::Pair;

use crate::ast::{
    DateTimeLit, DurationLit, Effect, EffectKind, Ident, Item, LetDef, RuleDef, SetExpr, SetKind,
    StrLit, Walk, WindowDef, WindowSpec,
};
use crate::limits::Limits;
use crate::source::{FileId, Span};

/// The pest parser generated from `grammar.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "parse/grammar.pest"]
pub(crate) struct GateParser;

/// What can be wrong in the text of a policy file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ParseError {
    /// The text does not follow the grammar.
    #[error("expected {expected}, found {found}")]
    Syntax { expected: String, found: String },
    /// An escape other than `\"`, `\\`, `\n`, `\t`.
    #[error("unknown escape `\\{0}` in string")]
    BadEscape(char),
    /// An integer that does not fit.
    #[error("integer `{0}` is out of range")]
    IntRange(String),
    /// A datetime with an impossible date or time.
    #[error("`{0}` is not a valid datetime")]
    BadDateTime(String),
    /// A duration too large to represent.
    #[error("duration `{0}` is too large")]
    DurationRange(String),
    /// Parentheses, brackets or `not`s nested too deep.
    #[error("nesting is deeper than the limit of {0} levels")]
    TooDeep(usize),
    /// A file over the source size limit.
    #[error("file is {size} bytes, more than the limit of {limit}")]
    TooLarge { size: usize, limit: usize },
    /// `a == b == c`.
    #[error("comparisons cannot be chained")]
    ChainedComparison,
    /// A set function with the wrong number of arguments.
    #[error("`{func}` takes {takes}")]
    Arity {
        func: &'static str,
        takes: &'static str,
    },
    /// `because` or `override by` twice in one rule.
    #[error("`{0}` is given twice in this rule")]
    DuplicateClause(&'static str),
}

impl ParseError {
    /// Advice on how to fix it.
    pub(crate) fn help(&self) -> Option<String> {
        match self {
            ParseError::Syntax { .. } => None,
            ParseError::BadEscape(_) => Some("write `\\\"`, `\\\\`, `\\n` or `\\t`".to_owned()),
            ParseError::IntRange(_) => Some("integers are 64-bit".to_owned()),
            ParseError::BadDateTime(_) => {
                Some("write a real date and time, such as `2026-12-20T00:00`".to_owned())
            }
            ParseError::DurationRange(_) => None,
            ParseError::TooDeep(_) => Some(
                "split the expression with `let` sets, or raise `Limits::max_nesting`".to_owned(),
            ),
            ParseError::TooLarge { .. } => Some(
                "split the policy into several files, or raise `Limits::max_source_bytes`"
                    .to_owned(),
            ),
            ParseError::ChainedComparison => {
                Some("combine comparisons with `and`, e.g. `a < b and b < c`".to_owned())
            }
            ParseError::Arity { func, .. } => Some(match *func {
                "count" => "write `count(SET)`".to_owned(),
                f => format!("write `{f}(SET, EXPR)`, e.g. `{f}(impacted, node.tier == 0)`"),
            }),
            ParseError::DuplicateClause(_) => Some("keep one and remove the other".to_owned()),
        }
    }
}

/// A parse error with its place.
pub(crate) type Located = (Span, ParseError);

/// Parses one file into items; returns every item it could read and every
/// error it found.
pub(crate) fn parse_file(file: FileId, text: &str, limits: &Limits) -> (Vec<Item>, Vec<Located>) {
    static CALL_LIMIT: Once = Once::new();
    CALL_LIMIT.call_once(|| pest::set_call_limit(NonZeroUsize::new(50_000_000)));

    if text.len() > limits.max_source_bytes {
        let err = ParseError::TooLarge {
            size: text.len(),
            limit: limits.max_source_bytes,
        };
        return (Vec::new(), vec![(Span::new(file, 0, 0), err)]);
    }
    if let Err((pos, err)) = lexical::check_nesting(text, limits.max_nesting) {
        return (Vec::new(), vec![(Span::new(file, pos, pos + 1), err)]);
    }

    // A leading byte order mark (some Windows editors write one) is not code.
    let bom = text.len() - crate::input::strip_bom(text).len();
    if let Some(parsed) = parse_whole(file, text, bom) {
        return parsed;
    }
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut pos = lexical::skip_trivia(text, bom);
    while pos < text.len() {
        let rest = text.get(pos..lexical::item_extent(text, pos)).unwrap_or("");
        match GateParser::parse(Rule::item, rest) {
            Ok(pairs) => {
                let mut end = pos;
                for pair in pairs {
                    end = pos + pair.as_span().end();
                    let b = Builder {
                        file,
                        base: pos,
                        parens: Default::default(),
                    };
                    match b.item(pair) {
                        Ok(item) => items.push(item),
                        Err(mut errs) => errors.append(&mut errs),
                    }
                }
                pos = lexical::skip_trivia(text, end.max(pos + 1));
            }
            Err(e) => {
                let at = match e.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((s, _)) => s,
                };
                let at = pos + at;
                let err = syntax_error(&e, text, at);
                let end = lexical::token_end(text, at);
                errors.push((Span::new(file, at, end), err));
                pos = lexical::next_item_start(text, at.max(pos + 1));
            }
        }
    }
    (items, errors)
}

/// A file without syntax errors, read in one pest call: the items the item
/// by item loop reads, with the same pairs (an item never reaches past where
/// [`lexical::item_extent`] cuts it, and nothing after an item changes how
/// it parses), without that loop's cost for each item: a parser state, a
/// line index of the item and a scan for its extent. `None` at the first
/// syntax error: the loop then finds and reports every one.
fn parse_whole(file: FileId, text: &str, bom: usize) -> Option<(Vec<Item>, Vec<Located>)> {
    let pairs = GateParser::parse(Rule::file, text.get(bom..)?).ok()?;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for pair in pairs.filter(|p| p.as_rule() != Rule::EOI) {
        let b = Builder {
            file,
            base: bom,
            parens: Default::default(),
        };
        match b.item(pair) {
            Ok(item) => items.push(item),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    Some((items, errors))
}

fn syntax_error(e: &pest::error::Error<Rule>, text: &str, at: usize) -> ParseError {
    let mut expected: Vec<&'static str> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for r in positives {
            let d = describe(*r);
            if !expected.contains(&d) {
                expected.push(d);
            }
        }
    }
    let expected = match expected.as_slice() {
        [] => "something else".to_owned(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    };
    ParseError::Syntax {
        expected,
        found: lexical::describe_token(text, at),
    }
}

/// Keyword tokens carry no information once parsed.
fn not_keyword(pair: &Pair<'_, Rule>) -> bool {
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

/// A readable name for what a grammar rule stands for.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::window_def | Rule::let_def | Rule::rule_def => "`window`, `let` or `rule`",
        Rule::name | Rule::name_ref => "a name",
        Rule::string | Rule::string_inner => "a string",
        Rule::integer => "an integer",
        Rule::duration => "a duration such as `24h`",
        Rule::datetime | Rule::offset => "a datetime such as `2026-12-20T00:00`",
        Rule::between | Rule::cron => "`between` or `cron`",
        Rule::in_tz => "`in \"TIME/ZONE\"`",
        Rule::when_clause | Rule::unless_clause => "`when` or `unless`",
        Rule::require_owner
        | Rule::require_group
        | Rule::require_backup
        | Rule::require_cond
        | Rule::deny_during
        | Rule::deny_outside
        | Rule::deny_message => "an effect (`require …` or `deny …`)",
        Rule::because => "`because`",
        Rule::override_by => "`override by`",
        Rule::verified => "`verified`",
        Rule::set_expr | Rule::set_targets | Rule::set_impacted | Rule::set_call | Rule::set_fn => {
            "a node set"
        }
        Rule::op_or
        | Rule::op_and
        | Rule::op_eq
        | Rule::op_ne
        | Rule::op_le
        | Rule::op_ge
        | Rule::op_lt
        | Rule::op_gt
        | Rule::op_not_in
        | Rule::op_in => "an operator",
        Rule::EOI => "end of file",
        Rule::kw_window => "`window`",
        Rule::kw_between => "`between`",
        Rule::kw_and => "`and`",
        Rule::kw_cron => "`cron`",
        Rule::kw_for => "`for`",
        Rule::kw_in => "`in`",
        Rule::kw_let => "`let`",
        Rule::kw_rule => "`rule`",
        Rule::kw_when => "`when`",
        Rule::kw_unless => "`unless`",
        Rule::kw_because => "`because`",
        Rule::kw_override => "`override`",
        Rule::kw_by => "`by`",
        Rule::kw_require => "`require`",
        Rule::kw_approval => "`approval`",
        Rule::kw_owner => "`owner`",
        Rule::kw_of => "`of`",
        Rule::kw_count => "`count`",
        Rule::kw_backup => "`backup`",
        Rule::kw_kind => "`kind`",
        Rule::kw_within => "`within`",
        Rule::kw_else => "`else`",
        Rule::kw_deny => "`deny`",
        Rule::kw_during => "`during`",
        Rule::kw_outside => "`outside`",
        Rule::kw_where => "`where`",
        Rule::kw_depth => "`depth`",
        _ => "an expression",
    }
}

/// Turns pairs of one item into AST, shifting spans by the item's offset.
struct Builder {
    file: FileId,
    base: usize,
    /// Spans of expressions written in parentheses.
    parens: std::cell::RefCell<Vec<(u32, u32)>>,
}

type Built<T> = Result<T, Vec<Located>>;

impl Builder {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn err<T>(&self, pair: &Pair<'_, Rule>, e: ParseError) -> Built<T> {
        Err(vec![(self.span(pair), e)])
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Built<Item> {
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

    fn ident(&self, pair: Option<Pair<'_, Rule>>) -> Built<Ident> {
        let pair = self.expect(pair)?;
        Ok(Ident {
            name: pair.as_str().to_owned(),
            span: self.span(&pair),
        })
    }

    /// The grammar guarantees the pair; a missing one is an internal error,
    /// reported rather than panicking.
    fn expect<'i>(&self, pair: Option<Pair<'i, Rule>>) -> Built<Pair<'i, Rule>> {
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

    fn set_expr(&self, pair: Option<Pair<'_, Rule>>) -> Built<SetExpr> {
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

    fn string(&self, pair: Pair<'_, Rule>) -> Built<StrLit> {
        let span = self.span(&pair);
        let raw = pair
            .into_inner()
            .find(not_keyword)
            .map_or("", |p| p.as_str());
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => return Err(vec![(span, ParseError::BadEscape(other))]),
                None => return Err(vec![(span, ParseError::BadEscape(' '))]),
            }
        }
        Ok(StrLit { value: out, span })
    }

    fn integer(&self, pair: &Pair<'_, Rule>) -> Built<i64> {
        pair.as_str()
            .parse::<i64>()
            .or_else(|_| self.err(pair, ParseError::IntRange(pair.as_str().to_owned())))
    }

    fn duration(&self, pair: &Pair<'_, Rule>) -> Built<DurationLit> {
        match parse_duration(pair.as_str()) {
            Some(value) => Ok(DurationLit {
                value,
                span: self.span(pair),
            }),
            None => self.err(pair, ParseError::DurationRange(pair.as_str().to_owned())),
        }
    }

    fn datetime(&self, pair: &Pair<'_, Rule>) -> Built<DateTimeLit> {
        let text = pair.as_str();
        let bad = || vec![(self.span(pair), ParseError::BadDateTime(text.to_owned()))];
        let (civil_text, offset_text) = split_offset(text);
        let civil: DateTime = civil_text.parse().map_err(|_| bad())?;
        let offset = match offset_text {
            None => None,
            Some("Z") => Some(Offset::UTC),
            Some(o) => Some(parse_offset(o).ok_or_else(bad)?),
        };
        Ok(DateTimeLit {
            civil,
            offset,
            span: self.span(pair),
        })
    }
}

/// `2h30m` → 9000 seconds; `None` on overflow.
pub(crate) fn parse_duration(text: &str) -> Option<SignedDuration> {
    let mut total: i64 = 0;
    let mut n: i64 = 0;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            n = n.checked_mul(10)?.checked_add(i64::from(d))?;
            continue;
        }
        let unit: i64 = match c {
            'w' => 7 * 86_400,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            _ => 1,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
        n = 0;
    }
    // Keep durations well inside what timestamps can add (about 10,000 years).
    (total <= 100 * 366 * 86_400).then(|| SignedDuration::from_secs(total))
}

fn split_offset(text: &str) -> (&str, Option<&str>) {
    if let Some(stripped) = text.strip_suffix('Z') {
        return (stripped, Some("Z"));
    }
    // An offset is `+HH:MM` or `-HH:MM` after the `T`.
    if let Some(t) = text.find('T') {
        if let Some(i) = text
            .get(t..)
            .and_then(|rest| rest.find(['+', '-']))
            .map(|i| i + t)
        {
            return (text.get(..i).unwrap_or(text), text.get(i..));
        }
    }
    (text, None)
}

fn parse_offset(text: &str) -> Option<Offset> {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let h: i32 = text.get(1..3)?.parse().ok()?;
    let m: i32 = text.get(4..6)?.parse().ok()?;
    if h > 23 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests;
