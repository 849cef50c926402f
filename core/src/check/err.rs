//! What the checks can find wrong in a policy set.

use crate::value::Type;
use crate::window::WindowError;

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
