//! The native half of the `changegate` Python package.
//!
//! A thin pyo3 layer over core's JSON-facing API: policies and graphs are
//! compiled here and held as immutable Rust values; evaluation runs without
//! the GIL and returns core's decision JSON, which the pure-Python layer
//! (`python/changegate/`) turns into typed objects. Every core error becomes
//! the matching `changegate` exception (built from core's error JSON by
//! `changegate._errors`), and a panic becomes `changegate.Error`, never a
//! `PanicException`.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use changegate::{Error, Graph, Limits, Policy, api};
use pyo3::prelude::*;

/// Runs `f` with the GIL released, turning a core error into the matching
/// Python exception and a panic into `changegate.Error`.
fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T, Error> + Send,
{
    match py.detach(|| catch_unwind(AssertUnwindSafe(f)).map_err(|p| panic_message(&*p))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(core_error(py, &e)),
        Err(message) => Err(internal_error(py, &message)),
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}

/// Builds the exception for a core error: `changegate._errors._from_core`
/// takes core's error JSON and the text `str()` shows (the rendered report
/// for a policy error, with source lines and carets).
fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    let text = match e {
        Error::Policy(p) => p.render(false),
        other => other.to_string(),
    };
    make_error(py, "_from_core", (e.to_json(), text))
}

fn internal_error(py: Python<'_>, message: &str) -> PyErr {
    make_error(
        py,
        "_internal",
        (format!("internal error in changegate: {message}"),),
    )
}

fn make_error<'py, A: pyo3::call::PyCallArgs<'py>>(
    py: Python<'py>,
    factory: &str,
    args: A,
) -> PyErr {
    let made = py
        .import("changegate._errors")
        .and_then(|m| m.getattr(factory))
        .and_then(|f| f.call1(args));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

/// A compiled policy set (wrapped by `changegate.Policy`).
#[pyclass(frozen, module = "changegate._native", name = "Policy")]
struct NativePolicy(Policy);

#[pymethods]
impl NativePolicy {
    /// Reads and compiles `.gate` files and directories; relative paths are
    /// resolved against `base_dir`, and file names are kept as given.
    #[staticmethod]
    #[pyo3(signature = (paths, base_dir = None))]
    fn from_paths(
        py: Python<'_>,
        paths: Vec<PathBuf>,
        base_dir: Option<PathBuf>,
    ) -> PyResult<Self> {
        run(py, || {
            let base = base_dir.as_deref().unwrap_or(Path::new(""));
            let sources = changegate::load_sources_in(base, &paths)?;
            Ok(NativePolicy(Policy::compile(sources, &Limits::default())?))
        })
    }

    /// Compiles `(name, text)` pairs.
    #[staticmethod]
    fn from_sources(py: Python<'_>, sources: Vec<(String, String)>) -> PyResult<Self> {
        run(py, || Ok(NativePolicy(Policy::from_sources(sources)?)))
    }

    /// Evaluates one change (JSON text) and returns the decision JSON.
    fn evaluate_json(
        &self,
        py: Python<'_>,
        change: String,
        graph: &NativeGraph,
    ) -> PyResult<String> {
        run(py, || self.0.evaluate_json(&change, &graph.0))
    }

    /// Evaluates many changes; the first failure is raised with `index` set
    /// to the position of the change.
    fn evaluate_many_json(
        &self,
        py: Python<'_>,
        changes: Vec<String>,
        graph: &NativeGraph,
    ) -> PyResult<Vec<String>> {
        let results = run(py, || {
            Ok(changes
                .iter()
                .enumerate()
                .map(|(i, c)| self.0.evaluate_json(c, &graph.0).map_err(|e| (i, e)))
                .collect::<Result<Vec<_>, _>>())
        })?;
        results.or_else(|(i, e)| {
            let err = core_error(py, &e);
            err.value(py).setattr("index", i)?;
            Err(err)
        })
    }

    /// `sha256:` and the digest of the policy sources.
    #[getter]
    fn digest(&self) -> &str {
        self.0.digest()
    }

    /// The names of the policy files.
    #[getter]
    fn files(&self) -> Vec<String> {
        self.0.files().to_vec()
    }

    /// The names of the rules, sorted.
    #[getter]
    fn rules(&self) -> Vec<String> {
        self.0.rules().map(str::to_owned).collect()
    }
}

/// A dependency graph (wrapped by `changegate.Graph`).
#[pyclass(frozen, module = "changegate._native", name = "Graph")]
struct NativeGraph(Graph);

#[pymethods]
impl NativeGraph {
    /// Reads a graph from JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: String) -> PyResult<Self> {
        run(py, || Ok(NativeGraph(api::load_graph(&text)?)))
    }

    /// The number of nodes.
    #[getter]
    fn node_count(&self) -> usize {
        self.0.len()
    }

    /// The number of dependency edges.
    #[getter]
    fn edge_count(&self) -> usize {
        self.0.edge_count()
    }

    /// Whether a node has this id.
    fn contains(&self, id: &str) -> bool {
        self.0.index_of(id).is_some()
    }
}

/// The blast radius of `targets` as JSON.
#[pyfunction]
fn impact_json(py: Python<'_>, graph: &NativeGraph, targets: Vec<String>) -> PyResult<String> {
    run(py, || api::impact_json(&graph.0, &targets))
}

/// Panics inside the guard that every call goes through, so the tests can
/// check that a panic comes out as `changegate.Error`, never as a
/// `PanicException`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || {
        std::panic::resume_unwind(Box::new("a deliberate panic"))
    })
}

/// The native module `changegate._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativePolicy>()?;
    m.add_class::<NativeGraph>()?;
    m.add_function(wrap_pyfunction!(impact_json, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    Ok(())
}
