//! The linter (`changegate lint`): findings about policies that compile but
//! probably do not say what their author meant (an unused `let` or window,
//! an empty `else` message, an override group that is also the approval
//! group it bypasses, a `when` that never holds, a duplicate requirement,
//! a window too short for `deny outside`) and, given a graph or example
//! changes, about what the policy reads from them. It reads the checker's
//! results ([`Checked`]), never parses again; suppressions are comments
//! `# changegate: allow(name)` ([`suppress`]), levels and options come from
//! the configuration ([`config`]).

mod canon;
#[cfg(test)]
mod checks_tests;
mod config;
mod duplicates;
mod err;
mod findings;
mod inputs;
mod logic;
mod rules;
mod sarif;
mod suppress;
#[cfg(test)]
mod tests;
mod windows;

pub use config::{DEFAULT_MIN_WINDOW, Level, LintConfig, LintOptions, LintSettings, Resolved};
pub use err::ConfigError;
pub use findings::{Finding, Lint, Severity, render};
pub use sarif::sarif;

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
/// window lints run too, from that instant; with a graph or changes, the
/// lints that read them.
pub(crate) fn lint(
    sources: Vec<Source>,
    limits: &Limits,
    options: &LintOptions<'_>,
) -> Result<Vec<Finding>, PolicyError> {
    crate::policy::analyse(sources, limits, |checked, map| {
        run(checked, map, limits, options)
    })
}

/// Every lint over a checked set, minus what the comments allow and the
/// configuration turns off, located and sorted by file, line, column and
/// name.
fn run(
    checked: &Checked<'_>,
    map: &SourceMap,
    limits: &Limits,
    options: &LintOptions<'_>,
) -> Vec<Finding> {
    let mut raw = rules::all(checked);
    for r in &checked.rules {
        if let Some(never) = logic::conjunction(&r.when) {
            raw.push(Raw {
                lint: Lint::NeverHolds,
                span: never.span,
                message: format!("rule `{}` never applies: {}", r.name.name, never.reason),
                help: Some(
                    "fix the condition (often `and` meant `or`, or a bound is turned \
                     around), or remove the rule"
                        .to_owned(),
                ),
            });
        }
    }
    duplicates::all(&checked.rules, &mut raw);
    windows::short(checked, options.config.min_window, &mut raw);
    if let Some(at) = options.at {
        windows::all(checked, limits, at, &mut raw);
    }
    inputs::unknown_attributes(checked, options.graph, options.changes, &mut raw);
    if let Some(graph) = options.graph {
        inputs::empty_owner_sets(checked, graph, &mut raw);
    }
    let allows = suppress::Allows::read(checked, map, &mut raw);
    let mut kept: Vec<Raw> = raw
        .into_iter()
        .filter(|r| !allows.allowed(r.lint, r.span, map))
        .collect();
    let ran = |lint: Lint| {
        options.config.severity(lint).is_some()
            && match lint {
                Lint::WindowNeverOccurs | Lint::WindowEnded => options.at.is_some(),
                Lint::EmptyOwnerSet => options.graph.is_some(),
                // Only when both are given does it check `change.` and `node.` alike.
                Lint::UnknownAttribute => options.graph.is_some() && !options.changes.is_empty(),
                _ => true,
            }
    };
    let unused = allows.unused(ran);
    kept.extend(
        unused
            .into_iter()
            .filter(|r| !allows.allowed(r.lint, r.span, map)),
    );
    let mut out: Vec<Finding> = kept
        .into_iter()
        .filter_map(|mut r| {
            let severity = options.config.severity(r.lint)?;
            r.span = trimmed(map, r.span);
            Some(Finding::at(map, r, severity))
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.name).cmp(&(&b.file, b.line, b.column, &b.name))
    });
    out.dedup();
    out
}

/// `span` without the blank and comment lines and spaces at its end: an
/// effect's span runs to the next clause, and a finding underlines only
/// its words.
fn trimmed(map: &SourceMap, span: Span) -> Span {
    let Some(text) = map
        .files
        .get(span.file as usize)
        .and_then(|(src, _)| src.text.get(span.start as usize..span.end as usize))
    else {
        return span;
    };
    let mut kept = text.trim_end();
    // A line of its own that is empty or a comment is not part of it.
    while let Some((before, last)) = kept.rsplit_once('\n') {
        let last = last.trim();
        if last.is_empty() || last.starts_with('#') {
            kept = before.trim_end();
        } else {
            break;
        }
    }
    if kept.is_empty() {
        return span;
    }
    Span::new(
        span.file,
        span.start as usize,
        span.start as usize + kept.len(),
    )
}
