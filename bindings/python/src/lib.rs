//! The native half of the `changegate` Python package.
//!
//! A thin pyo3 layer over core's API: policies and graphs are compiled here
//! and held as immutable Rust values; evaluation runs without the GIL and
//! returns core's `Decision` itself (`views`), whose parts the pure-Python
//! layer (`python/changegate/`) turns into typed objects when they are first
//! read. A change given as a mapping is read into core's JSON value directly
//! (`convert`). Every core error becomes the matching `changegate` exception
//! (built from core's error JSON by `changegate._errors`), and a panic
//! becomes `changegate.Error`, never a `PanicException`.

mod convert;
mod views;

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use changegate::{Decision, Error, Graph, Limits, Policy, api};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyMapping, PyString};
use serde_json::Value as Json;

use crate::convert::Failure;
use crate::views::{NativeDecision, NativeImpact};

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

    /// Evaluates one change, JSON text or a mapping, and returns the
    /// decision (read lazily by `changegate.Decision`).
    fn evaluate(
        &self,
        py: Python<'_>,
        change: &Bound<'_, PyAny>,
        graph: &NativeGraph,
    ) -> PyResult<NativeDecision> {
        let change = ChangeInput::read(change).map_err(|f| failure(py, f))?;
        run(py, || change.evaluate(&self.0, &graph.0)).map(NativeDecision)
    }

    /// Evaluates many changes (JSON text or mappings), releasing the GIL
    /// once for the whole batch; the first failure is raised with `index`
    /// set to the position of the change.
    fn evaluate_many(
        &self,
        py: Python<'_>,
        changes: Vec<Bound<'_, PyAny>>,
        graph: &NativeGraph,
    ) -> PyResult<Vec<NativeDecision>> {
        let mut inputs = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            match ChangeInput::read(change) {
                Ok(input) => inputs.push(input),
                Err(f) => return Err(with_index(py, failure(py, f), i)),
            }
        }
        let results = run(py, || {
            Ok(inputs
                .iter()
                .enumerate()
                .map(|(i, c)| c.evaluate(&self.0, &graph.0).map_err(|e| (i, e)))
                .collect::<Result<Vec<_>, _>>())
        })?;
        match results {
            Ok(decisions) => Ok(decisions.into_iter().map(NativeDecision).collect()),
            Err((i, e)) => Err(with_index(py, core_error(py, &e), i)),
        }
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
        results.map_err(|(i, e)| with_index(py, core_error(py, &e), i))
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
        run(py, || {
            Ok(NativeGraph(api::load_graph(&text, &Limits::default())?))
        })
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

/// The blast radius of `targets` (read lazily by `changegate.Impact`).
#[pyfunction]
fn impact(py: Python<'_>, graph: &NativeGraph, targets: Vec<String>) -> PyResult<NativeImpact> {
    run(py, || api::impact(&graph.0, &targets)).map(NativeImpact)
}

/// A change as the binding received it: JSON text, or a mapping already
/// read into core's JSON value.
enum ChangeInput {
    Text(PyBackedStr),
    /// Text that came as `bytes` or `bytearray`.
    Decoded(String),
    Value(Json),
}

impl ChangeInput {
    /// Reads `str`, `bytes`/`bytearray` (UTF-8 JSON text) or a mapping; any
    /// other type is a `TypeError`.
    fn read(change: &Bound<'_, PyAny>) -> Result<ChangeInput, Failure> {
        let py = change.py();
        if let Ok(text) = change.cast::<PyString>() {
            return match PyBackedStr::try_from(text.clone()) {
                Ok(text) => Ok(ChangeInput::Text(text)),
                Err(e) => Err(convert::surrogate(py, e, "")),
            };
        }
        if change.is_instance_of::<PyDict>() || change.is_instance_of::<PyMapping>() {
            return convert::change(change).map(ChangeInput::Value);
        }
        let bytes: Option<Vec<u8>> = if let Ok(b) = change.cast::<PyBytes>() {
            Some(b.as_bytes().to_vec())
        } else if let Ok(b) = change.cast::<PyByteArray>() {
            Some(b.to_vec())
        } else {
            None
        };
        match bytes {
            Some(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(ChangeInput::Decoded(text)),
                Err(e) => Err(convert::input_error(
                    "",
                    format!(
                        "the JSON is not valid UTF-8 (byte {})",
                        e.utf8_error().valid_up_to()
                    ),
                    None,
                )),
            },
            None => {
                let name = change.get_type().name()?;
                Err(Failure::Python(PyTypeError::new_err(format!(
                    "expected a change as a mapping or JSON text, found {name}"
                ))))
            }
        }
    }

    fn evaluate(&self, policy: &Policy, graph: &Graph) -> Result<Decision, Error> {
        match self {
            ChangeInput::Text(text) => api::evaluate(policy, api::ChangeInput::Text(text), graph),
            ChangeInput::Decoded(text) => {
                api::evaluate(policy, api::ChangeInput::Text(text), graph)
            }
            ChangeInput::Value(value) => {
                api::evaluate(policy, api::ChangeInput::Value(value), graph)
            }
        }
    }
}

fn failure(py: Python<'_>, f: Failure) -> PyErr {
    match f {
        Failure::Input(e) => core_error(py, &e),
        Failure::Python(e) => e,
    }
}

/// `e` with `index` set: the position of the change that failed in a batch.
fn with_index(py: Python<'_>, e: PyErr, i: usize) -> PyErr {
    match e.value(py).setattr("index", i) {
        Ok(()) => e,
        Err(other) => other,
    }
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

/// Test-only: the JSON value a change reads as, compact: a mapping through
/// the binding's converter, JSON text through core's parser; so the tests
/// can check that a dict and its `json.dumps` text read the same.
#[pyfunction]
fn _change_value_for_tests(py: Python<'_>, change: &Bound<'_, PyAny>) -> PyResult<String> {
    let value = match change.cast::<PyString>() {
        Ok(text) => serde_json::from_str(&text.to_cow()?)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?,
        Err(_) => convert::change(change).map_err(|f| failure(py, f))?,
    };
    Ok(value.to_string())
}

/// The native module `changegate._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<NativePolicy>()?;
    m.add_class::<NativeGraph>()?;
    m.add_class::<NativeDecision>()?;
    m.add_class::<NativeImpact>()?;
    m.add_function(wrap_pyfunction!(impact, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_change_value_for_tests, m)?)?;
    Ok(())
}
