//! What can be wrong in the text of a policy file, and how a pest syntax
//! error is put into words.

use super::Rule;
use super::lexical;
use crate::source::Span;

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
    /// A name with a character that is not ASCII (`café`).
    #[error("`{0}` is not a name: names are written in ASCII")]
    NonAsciiName(String),
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
            ParseError::NonAsciiName(_) => Some(
                "start a name with a letter or `_`, then letters, digits or `_` (a to z, 0 to 9); \
                 other characters belong in strings"
                    .to_owned(),
            ),
        }
    }
}

/// A parse error with its place.
pub(crate) type Located = (Span, ParseError);

/// The error for a pest syntax error at `at` in `text`: what the grammar
/// expected there, and the token found.
pub(super) fn syntax_error(e: &pest::error::Error<Rule>, text: &str, at: usize) -> ParseError {
    let mut expected: Vec<&'static str> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &e.variant {
        for r in positives {
            let d = describe(*r);
            if !expected.contains(&d) {
                expected.push(d);
            }
        }
    }
    // The item alternatives are listed once, not again as their keywords.
    if expected.contains(&describe(Rule::rule_def)) {
        expected.retain(|d| !["`window`", "`let`", "`rule`"].contains(d));
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
