//! A compiled policy set: loading from files, compiling, digesting,
//! evaluating, and the error that lists every problem of every file.

use std::fmt;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use crate::change::Change;
use crate::compile::Program;
use crate::decision::Decision;
use crate::graph::Graph;
use crate::limits::Limits;
use crate::source::{Diagnostic, Source, SourceMap};
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

/// Every problem found in a policy set, with the sources to render them.
#[derive(Debug, Clone)]
pub struct PolicyError {
    diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
}

impl PolicyError {
    /// The problems, in file order, then by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// A report of every problem with its source line and a caret, as a
    /// compiler prints it; with ANSI colors if `color`.
    pub fn render(&self, color: bool) -> String {
        use ariadne::{Config, IndexType, Label, Report, ReportKind};
        let mut out = Vec::new();
        let files: Vec<(String, String)> = self
            .sources
            .files
            .iter()
            .map(|(s, _)| (s.name.clone(), s.text.clone()))
            .collect();
        // One cache for every diagnostic: building it indexes the lines of
        // every file, and once per diagnostic made a report of n errors take
        // time in n times the file's size (16,000 errors: 15 s; now 0.1 s).
        let mut cache = ariadne::sources(files.iter().map(|(n, t)| (n.clone(), t.as_str())));
        for d in &self.diagnostics {
            let range = d.range.0 as usize..d.range.1 as usize;
            let mut report = Report::build(ReportKind::Error, (d.file.clone(), range.clone()))
                .with_config(
                    Config::default()
                        .with_color(color)
                        .with_index_type(IndexType::Byte),
                )
                .with_message(&d.message)
                .with_label(Label::new((d.file.clone(), range)).with_message(&d.message));
            if let Some(help) = &d.help {
                report = report.with_help(help);
            }
            if report.finish().write(&mut cache, &mut out).is_err() {
                out.extend_from_slice(format!("{d}\n").as_bytes());
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "{n} error{} in the policy",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

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
        let program = crate::compile::compile(&checked, &map);
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

/// Reads policy files: each path is a `.gate` file (read whatever its
/// extension) or a directory whose `*.gate` files below it are read, sorted.
/// Names are the paths as given, joined with the path below a directory,
/// with `/` separators.
pub fn load_sources<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Source>, Error> {
    load_sources_in(Path::new(""), paths)
}

/// Like [`load_sources`], with relative paths resolved against `base`; the
/// names stay as given (relative to `base`), so a test corpus or a policy
/// repository gives the same names wherever it is checked out.
pub fn load_sources_in<P: AsRef<Path>>(base: &Path, paths: &[P]) -> Result<Vec<Source>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let given = p.as_ref();
        let full = base.join(given);
        let meta = std::fs::metadata(&full).map_err(|e| Error::io(&full, &e))?;
        if meta.is_dir() {
            let mut files = Vec::new();
            walk(&full, &mut files, 0)?;
            if files.is_empty() {
                return Err(Error::Io {
                    path: display(&full),
                    message: "no `.gate` files below this directory".to_owned(),
                });
            }
            files.sort();
            for f in files {
                let below = f.strip_prefix(&full).unwrap_or(&f);
                let mut src = read(&f)?;
                src.name = display(&given.join(below));
                out.push(src);
            }
        } else {
            let mut src = read(&full)?;
            src.name = display(given);
            out.push(src);
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>, depth: usize) -> Result<(), Error> {
    if depth > 32 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, &e))?;
        let path = entry.path();
        let ft = entry.file_type().map_err(|e| Error::io(&path, &e))?;
        if ft.is_dir() {
            walk(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "gate") {
            out.push(path);
        }
    }
    Ok(())
}

fn read(path: &Path) -> Result<Source, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| Error::Io {
        path: display(path),
        message: format!("not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()),
    })?;
    Ok(Source {
        name: display(path),
        text,
    })
}

pub(crate) fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_owned).unwrap_or(s)
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
