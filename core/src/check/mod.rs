//! Checks over the whole policy set, between parsing and lowering
//! (docs/language.md, *Errors and limits*): names are unique and every
//! reference resolves ([`names`]); `let` sets do not refer to themselves or
//! nest too deep ([`sets`]); windows have a known time zone and a valid cron
//! (they are built here, by [`crate::compile::WindowBuilder`]); types agree
//! where both sides are known and `node` appears only where a node is bound
//! ([`types`]); counts, depths, durations and group names are in range
//! ([`rules`]).
//!
//! This module uses `compile` (its table of fields, its window builder and
//! [`Checked`], the shape of what it lowers); `compile` does not use this
//! module.

mod err;
mod names;
mod rules;
mod sets;
#[cfg(test)]
mod tests;
mod types;

use std::collections::HashMap;

use crate::ast::Item;
use crate::compile::{Checked, Symbol};
use crate::source::{SourceMap, Span};

pub(crate) use err::CheckError;

/// A checked error with its place.
pub(crate) type Located = (Span, CheckError);

/// Runs every check; returns the checked set or all the errors found.
pub(crate) fn check<'a>(
    items: &'a [Item],
    map: &SourceMap,
    max_nesting: usize,
) -> Result<Checked<'a>, Vec<Located>> {
    let mut errors = Vec::new();
    let (out, broken) = names::define(items, map, &mut errors);
    let cx = Cx {
        symbols: &out.symbols,
        broken: &broken,
        map,
    };
    for l in &out.lets {
        cx.set(&l.set, &mut errors);
    }
    let before = errors.len();
    let refs = sets::cycles(&out, &mut errors);
    if errors.len() == before {
        sets::chains(&out, &refs, max_nesting, &mut errors);
    }
    for r in &out.rules {
        cx.rule(r, &mut errors);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The checking context: the names defined, for the checks of what uses
/// them.
struct Cx<'a, 'b> {
    symbols: &'b HashMap<&'a str, Symbol>,
    /// Windows defined but not built: names, but already reported.
    broken: &'b [&'a str],
    map: &'b SourceMap,
}

impl Cx<'_, '_> {
    /// The source text at `span`, shortened to quote in a message.
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
}
