//! Finding test files and running their cases.

use std::path::{Path, PathBuf};

use super::check::check;
use super::coverage::Gather;
use super::err;
use super::plan::plan;
use super::read::read_file;
use super::report::{CaseReport, FileReport, Status, Summary, TestReport};
use crate::api::{ChangeInput, evaluate, load_graph_file, load_graph_value};
use crate::error::Error;
use crate::graph::Graph;
use crate::limits::Limits;
use crate::load::{IoError, display};
use crate::policy::Policy;

/// What to run, and what to gather.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestOptions {
    /// Run only the cases whose name contains this text.
    pub filter: Option<String>,
    /// Gather coverage.
    pub coverage: bool,
}

/// The end of a test file's name.
pub const TEST_SUFFIX: &str = ".test.json";

const FIND_HELP: &str = "pass `.test.json` files or folders that hold some";

/// Folders never searched for tests: hidden ones, build outputs and
/// installed packages, which hold no policy and can hold many files.
fn skipped_folder(name: &str) -> bool {
    name.starts_with('.') || name == "target" || name == "node_modules"
}

/// The test files below `paths` (relative ones resolved against `base`):
/// a file is taken whatever its name, a folder gives every `*.test.json`
/// below it. Named as given, with `/` separators; sorted, each once.
pub fn find_tests<P: AsRef<Path>>(
    base: &Path,
    paths: &[P],
) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut out = Vec::new();
    for p in paths {
        let given = p.as_ref();
        let full = base.join(given);
        let meta = std::fs::metadata(&full).map_err(|e| IoError {
            help: FIND_HELP,
            ..IoError::from_io(&full, &e)
        })?;
        if !meta.is_dir() {
            out.push((display(given), full));
            continue;
        }
        let mut found = Vec::new();
        walk(&full, &mut found, 0)?;
        if found.is_empty() {
            return Err(Error::Io(IoError {
                path: display(&full),
                message: "no `.test.json` files below this folder".to_owned(),
                help: FIND_HELP,
            }));
        }
        for f in found {
            let below = f.strip_prefix(&full).unwrap_or(&f).to_path_buf();
            out.push((display(&given.join(below)), f));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), Error> {
    if depth > 32 {
        return Ok(());
    }
    let io = |path: &Path, e: std::io::Error| {
        Error::Io(IoError {
            help: FIND_HELP,
            ..IoError::from_io(path, &e)
        })
    };
    let entries = std::fs::read_dir(dir).map_err(|e| io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let kind = entry.file_type().map_err(|e| io(&path, e))?;
        if kind.is_dir() {
            if !skipped_folder(&name) {
                walk(&path, out, depth + 1)?;
            }
        } else if name.ends_with(TEST_SUFFIX) {
            out.push(path);
        }
    }
    Ok(())
}

/// Runs every case of every test file below `paths`.
pub fn run_tests<P: AsRef<Path>>(
    base: &Path,
    paths: &[P],
    options: &TestOptions,
    limits: &Limits,
) -> Result<TestReport, Error> {
    let files = find_tests(base, paths)?;
    let mut summary = Summary::default();
    let mut gather = options.coverage.then(Gather::default);
    let mut reports = Vec::new();
    for (name, full) in files {
        let report = run_file(&name, &full, options, limits, &mut summary, gather.as_mut());
        if report.error.is_some() {
            summary.errors += 1;
        }
        reports.push(report);
    }
    Ok(TestReport {
        files: reports,
        summary,
        coverage: gather.map(Gather::finish),
    })
}

/// The `.gate` files directly in `dir`, sorted.
fn gate_files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".gate"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// The policy and graph of a test file.
fn load(
    file: &super::format::TestFile,
    dir: &Path,
    shown_dir: &str,
    limits: &Limits,
) -> Result<(Policy, Graph), super::report::FileError> {
    let paths = match &file.policy {
        Some(p) => p.clone(),
        None => gate_files(dir),
    };
    if paths.is_empty() {
        return Err(err::no_policy());
    }
    let policy = crate::api::compile_paths(dir, &paths, limits)
        .map_err(|e| err::policy(&e, |f| super::coverage::located(shown_dir, f)))?;
    let graph = match &file.graph {
        super::format::GraphRef::Path(p) => {
            load_graph_file(&dir.join(p), limits).map_err(|e| err::graph(Some(p), &e))?
        }
        super::format::GraphRef::Inline(g) => {
            load_graph_value(&serde_json::Value::Object(g.clone()), limits)
                .map_err(|e| err::graph(None, &e))?
        }
    };
    Ok((policy, graph))
}

fn run_file(
    name: &str,
    full: &Path,
    options: &TestOptions,
    limits: &Limits,
    summary: &mut Summary,
    mut gather: Option<&mut Gather>,
) -> FileReport {
    let broken = |error| FileReport {
        file: name.to_owned(),
        error: Some(error),
        cases: Vec::new(),
    };
    let text = match crate::load::read(full) {
        Ok(source) => source.text,
        Err(e) => return broken(err::unreadable(&e)),
    };
    let file = match read_file(&text, limits) {
        Ok(f) => f,
        Err(e) => return broken(err::in_file(e)),
    };
    let planned = match plan(&file) {
        Ok(p) => p,
        Err(e) => return broken(err::in_file(e)),
    };
    let dir = match full.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let shown_dir = name.rsplit_once('/').map_or("", |(d, _)| d);
    let (policy, graph) = match load(&file, dir, shown_dir, limits) {
        Ok(loaded) => loaded,
        Err(e) => return broken(e),
    };
    if let Some(g) = gather.as_deref_mut() {
        g.policy(shown_dir, &policy);
    }
    let mut cases = Vec::new();
    for case in planned {
        if options
            .filter
            .as_deref()
            .is_some_and(|f| !case.name.contains(f))
        {
            summary.filtered += 1;
            continue;
        }
        if let Some(reason) = case.skip {
            summary.skipped += 1;
            cases.push(CaseReport {
                name: case.name,
                status: Status::Skipped,
                skip: Some(reason),
                mismatches: Vec::new(),
            });
            continue;
        }
        let result = evaluate(&policy, ChangeInput::Value(&case.change), &graph);
        if let (Some(g), Ok(d)) = (gather.as_deref_mut(), &result) {
            g.decision(shown_dir, &policy, d);
        }
        let mismatches = check(&case.expect, &result);
        let status = if mismatches.is_empty() {
            summary.passed += 1;
            Status::Passed
        } else {
            summary.failed += 1;
            Status::Failed
        };
        cases.push(CaseReport {
            name: case.name,
            status,
            skip: None,
            mismatches,
        });
    }
    FileReport {
        file: name.to_owned(),
        error: None,
        cases,
    }
}
