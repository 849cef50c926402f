//! A compiled policy set: compiling, digesting and evaluating.

use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::change::Change;
use crate::compile::{Checked, Program};
use crate::decision::Decision;
use crate::graph::Graph;
use crate::limits::Limits;
use crate::load::load_sources;
use crate::source::{PolicyError, Source, SourceMap};
use crate::window::ScanBudget;
use crate::{Error, eval};

/// A compiled policy set, ready to evaluate any number of changes.
///
/// Immutable and `Send + Sync`: compile once, share between threads.
#[derive(Debug, Clone)]
pub struct Policy {
    program: Program,
    digest: crate::decision::Text,
    limits: Limits,
    names: Vec<String>,
}

impl Policy {
    /// Compiles policy files given as `(name, text)` pairs, with the default
    /// [`Limits`]. The name is what diagnostics and `fired` show.
    pub fn from_sources<N, T, I>(sources: I) -> Result<Policy, PolicyError>
    where
        I: IntoIterator<Item = (N, T)>,
        N: Into<String>,
        T: Into<String>,
    {
        Policy::compile(
            sources.into_iter().map(|(n, t)| Source {
                name: n.into(),
                text: t.into(),
            }),
            &Limits::default(),
        )
    }

    /// Reads and compiles `.gate` files: each path is a file, or a directory
    /// whose `*.gate` files below it are all read (sorted by path).
    pub fn from_paths<P: AsRef<Path>>(paths: &[P]) -> Result<Policy, Error> {
        let sources = load_sources(paths)?;
        Ok(Policy::compile(sources, &Limits::default())?)
    }

    /// Compiles sources with explicit limits. Every error of every file is
    /// returned at once.
    pub fn compile<I: IntoIterator<Item = Source>>(
        sources: I,
        limits: &Limits,
    ) -> Result<Policy, PolicyError> {
        let sources: Vec<Source> = sources.into_iter().collect();
        let digest = digest(&sources);
        let names = sources.iter().map(|s| s.name.clone()).collect();
        let program = analyse(sources, limits, crate::compile::compile)?;
        Ok(Policy {
            program,
            digest: digest.into(),
            limits: limits.clone(),
            names,
        })
    }

    /// `sha256:` and a digest of the sources' contents (independent of file
    /// names and order).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The names of the files the policy was compiled from.
    pub fn files(&self) -> &[String] {
        &self.names
    }

    /// The names of the rules, sorted.
    pub fn rules(&self) -> impl Iterator<Item = &str> {
        self.program.rules.iter().map(|r| &*r.name)
    }

    /// The IANA time zone of the window named `name` (`UTC` when it names
    /// none), so a front end can show a block's occurrence in the window's
    /// own wall-clock time.
    pub fn window_time_zone(&self, name: &str) -> Option<&str> {
        self.program
            .windows
            .iter()
            .find(|w| &*w.name == name)
            .map(|w| w.window.tz_name())
    }

    /// The compiled rules and windows, for the test runner's coverage.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// The limits the policy was compiled with, which also bound evaluation.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Evaluates a change against this policy and a graph.
    pub fn evaluate(&self, change: &Change, graph: &Graph) -> Result<Decision, Error> {
        let mut budget = ScanBudget::from_limits(&self.limits);
        eval::evaluate(&self.program, &self.digest, change, graph, &mut budget).map_err(Error::from)
    }

    /// Evaluates a change given as JSON and returns the decision as JSON,
    /// exactly as every front end prints it.
    pub fn evaluate_json(&self, change_json: &str, graph: &Graph) -> Result<String, Error> {
        let change =
            Change::from_json_with_limits(change_json, &self.limits).map_err(Error::change)?;
        Ok(self.evaluate(&change, graph)?.to_json())
    }
}

/// Parses and checks a policy set, then gives the checked set and its
/// sources to `then` (the compiler, or the linter); every error of every
/// file is returned at once when it does not compile.
pub(crate) fn analyse<R>(
    sources: Vec<Source>,
    limits: &Limits,
    then: impl FnOnce(&Checked<'_>, &SourceMap) -> R,
) -> Result<R, PolicyError> {
    let map = SourceMap::new(sources);
    let mut items = Vec::new();
    let mut located = Vec::new();
    for (i, (src, _)) in map.files.iter().enumerate() {
        let (mut its, errs) =
            crate::parse::parse_file(u32::try_from(i).unwrap_or(u32::MAX), &src.text, limits);
        items.append(&mut its);
        located.extend(
            errs.into_iter()
                .map(|(span, e)| (span, e.to_string(), e.help())),
        );
    }
    let checked = match crate::check::check(&items, &map, limits.max_nesting) {
        Ok(c) if located.is_empty() => Some(c),
        Ok(_) => None,
        Err(errs) => {
            located.extend(
                errs.into_iter()
                    .map(|(span, e)| (span, e.to_string(), e.help())),
            );
            None
        }
    };
    let Some(checked) = checked else {
        located.sort_by_key(|(span, _, _)| (span.file, span.start));
        let diagnostics = located
            .into_iter()
            .map(|(span, msg, help)| map.diagnostic(span, msg, help))
            .collect();
        return Err(PolicyError {
            diagnostics,
            sources: map,
        });
    };
    Ok(then(&checked, &map))
}

fn digest(sources: &[Source]) -> String {
    let mut each: Vec<[u8; 32]> = sources
        .iter()
        .map(|s| Sha256::digest(s.text.as_bytes()).into())
        .collect();
    each.sort_unstable();
    let mut h = Sha256::new();
    for d in &each {
        h.update(d);
    }
    let mut out = String::from("sha256:");
    for b in h.finalize() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]
mod tests {
    use super::*;

    /// Found while fuzzing `parse`: the report of n errors took time in n
    /// times the size of the files (16,000 errors: 15 s).
    #[test]
    fn rendering_many_errors_is_linear() {
        let text: String = (0..8000)
            .map(|i| format!("rule r{i} {{ deny }}\n"))
            .collect();
        let err =
            Policy::from_sources([("a.gate", text.as_str()), ("b.gate", "rule {")]).unwrap_err();
        assert_eq!(err.diagnostics().len(), 8001);
        // Before the fix this took about 15 s; the time is measured by
        // benches, not asserted here: the test pins that every error renders.
        let report = err.render(false);
        assert_eq!(report.matches("Error:").count(), 8001);
        assert!(report.contains("a.gate:8000:") && report.contains("b.gate:1:"));
    }
}
