//! The parsed form of a policy, for changegate's own test machinery: the
//! reference evaluator in `testkit/` walks it to check the engine. Not part
//! of the stable API: it is compiled only with the `internals` feature and
//! may change in any release.

pub use crate::ast::{
    BinOp, DateTimeLit, DurationLit, Effect, EffectKind, Expr, ExprKind, Func, Ident, Item, LetDef,
    Root, RuleDef, SetExpr, SetKind, StrLit, Walk, WindowDef, WindowSpec,
};
use crate::limits::Limits;

/// The items of one policy file, or the messages of its syntax errors
/// (names are not resolved and types not checked: compile the policy with
/// [`crate::Policy`] for that).
pub fn parse(text: &str, limits: &Limits) -> Result<Vec<Item>, Vec<String>> {
    let (items, errors) = crate::parse::parse_file(0, text, limits);
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors.iter().map(|(_, e)| e.to_string()).collect())
    }
}
