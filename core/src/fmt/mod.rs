//! The formatter: one canonical layout for a policy file
//! (docs/language.md, *Files, comments and names*: "by convention each
//! clause or effect of a rule sits on its own line").
//!
//! It changes whitespace only. Every token is written as it was read (but
//! `not in`, whose inner blanks become one space), so a comment stays
//! between the same two tokens, and the file parses to the same items.
//! The layout:
//!
//! - items start at column 0; a `rule` has one blank line before and after
//!   it; between other items a blank line is kept where the source had one
//!   (several become one);
//! - each clause and effect of a rule on its own line, indented two spaces,
//!   its closing `}` on a line of its own; blank lines between clauses are
//!   kept (several become one), never after `{` or before `}`;
//! - one space between tokens, none inside `( )` and `[ ]`, before `,` or
//!   between a set function and its `(`;
//! - a line longer than [`layout::WIDTH`] characters breaks before each
//!   `or` outside parentheses (or, if there is none, each `and`), the parts
//!   indented four spaces more than the line's start;
//! - comments: one on its own line stays on its own line, above the token
//!   it preceded, at that line's indentation; one at the end of a line stays
//!   at the end of that line, after one space. A comment inside a clause
//!   breaks the clause there, and its rest continues four spaces in;
//! - a byte order mark is dropped, lines end with `\n`, trailing blanks are
//!   removed, and the file ends with one newline.

mod layout;
mod tokens;

use crate::error::Error;
use crate::limits::Limits;
use crate::source::{PolicyError, Source, SourceMap};

/// `source` in the canonical layout, or its syntax errors as a policy error
/// (a file is formatted only when it parses; its names are not resolved,
/// since a file of a policy set may use names of the others).
pub(crate) fn format(source: &Source, limits: &Limits) -> Result<String, Error> {
    let (_, mut errors) = crate::parse::parse_file(0, &source.text, limits);
    if !errors.is_empty() {
        errors.sort_by_key(|(span, _)| span.start);
        let map = SourceMap::new(vec![source.clone()]);
        let diagnostics = errors
            .into_iter()
            .map(|(span, e)| map.diagnostic(span, e.to_string(), e.help()))
            .collect();
        return Err(Error::Policy(PolicyError {
            diagnostics,
            sources: map,
        }));
    }
    let text = crate::input::strip_bom(&source.text);
    let stream = tokens::read(text).ok_or_else(|| {
        Error::Internal(format!(
            "the formatter could not read `{}`, which parses",
            source.name
        ))
    })?;
    Ok(layout::print(&stream))
}

#[cfg(test)]
mod tests;
