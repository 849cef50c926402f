//! The linter (`changegate lint`): findings about policies that compile but
//! probably do not say what their author meant (an unused `let` or window,
//! an empty `else` message, an override group that is also the approval
//! group it bypasses). It reads the checker's results ([`Checked`]), never
//! parses again; suppressions are comments `# changegate: allow(name)`
//! ([`suppress`]).

mod findings;
mod rules;
mod suppress;
#[cfg(test)]
mod tests;
mod windows;

pub use findings::{Finding, Lint, Severity, render};

use jiff::Timestamp;

use crate::compile::Checked;
use crate::limits::Limits;
use crate::source::{PolicyError, Source, SourceMap, Span};

/// A finding before it is located: the lint, its place, message and help.
pub(crate) struct Raw {
    pub(crate) lint: Lint,
    pub(crate) span: Span,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

/// Lints a policy set; an error when it does not compile. With `at`, the
/// window lints run too, from that instant.
pub(crate) fn lint(
    sources: Vec<Source>,
    limits: &Limits,
    at: Option<Timestamp>,
) -> Result<Vec<Finding>, PolicyError> {
    crate::policy::analyse(sources, limits, |checked, map| {
        run(checked, map, limits, at)
    })
}

/// Every lint over a checked set, minus what the comments allow, located
/// and sorted by file, line, column and name.
fn run(
    checked: &Checked<'_>,
    map: &SourceMap,
    limits: &Limits,
    at: Option<Timestamp>,
) -> Vec<Finding> {
    let mut raw = rules::all(checked);
    if let Some(at) = at {
        windows::all(checked, limits, at, &mut raw);
    }
    let allows = suppress::Allows::read(checked, map, &mut raw);
    let mut out: Vec<Finding> = raw
        .into_iter()
        .filter(|r| !allows.allowed(r.lint, r.span, map))
        .map(|r| Finding::at(map, r))
        .collect();
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.name).cmp(&(&b.file, b.line, b.column, &b.name))
    });
    out.dedup();
    out
}
