//! The classes `changegate.Policy` and `changegate.Graph`, each holding one of core's values,
//! and the native half of a decision (read lazily by `changegate.Decision`).

use std::path::PathBuf;

use changegate::api::{self, DecisionField, Document};
use changegate::{Decision, Graph, Policy};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use crate::{Input, decision, json_text, run};

/// A compiled policy set, ready to evaluate any number of changes.
///
/// Build one with :meth:`from_path` or :meth:`from_sources`; ``limits`` (any keys of
/// :class:`Limits`) bounds the work of compiling it and of each evaluation. Immutable and safe
/// to share between threads.
#[pyclass(frozen, module = "changegate", name = "Policy")]
pub(crate) struct NativePolicy(Policy);

#[pymethods]
impl NativePolicy {
    /// Reads and compiles ``.gate`` files: one path or a list; a directory stands for every ``*.gate`` below it.
    ///
    /// Files are named as given (joined with the path below a directory) in diagnostics and
    /// ``Decision.fired``; relative paths are resolved against ``base_dir``, so names do not
    /// depend on where a repository is checked out. Raises :class:`PolicyError` listing every
    /// problem of every file, or :class:`IoError` when a path cannot be read.
    #[staticmethod]
    #[pyo3(signature = (paths, *, base_dir = None, limits = None))]
    fn from_path(
        py: Python<'_>,
        paths: &Bound<'_, PyAny>,
        base_dir: Option<PathBuf>,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let paths: Vec<PathBuf> = match paths.extract() {
            Ok(one) => vec![one],
            Err(_) => paths
                .try_iter()?
                .map(|p| p?.extract())
                .collect::<PyResult<_>>()?,
        };
        let limits = crate::limits(limits)?;
        let base = base_dir.unwrap_or_default();
        run(py, || api::compile_paths(&base, &paths, &limits).map(Self))
    }

    /// Compiles policy files given as ``{name: text}`` or ``(name, text)`` pairs; raises :class:`PolicyError`.
    #[staticmethod]
    #[pyo3(signature = (sources, *, limits = None))]
    fn from_sources(
        py: Python<'_>,
        sources: &Bound<'_, PyAny>,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (sources, limits) = (crate::sources(sources)?, crate::limits(limits)?);
        run(py, || api::compile(sources, &limits).map(Self))
    }

    /// Evaluates a change (JSON text or a :class:`Change` mapping) against this policy and ``graph``.
    ///
    /// ``datetime`` values in a mapping must be timezone-aware. Raises :class:`InputError` for an
    /// invalid change (``path`` names the field, such as ``targets[2]``) and :class:`LimitError`
    /// when evaluation goes over a resource limit. The GIL is released while evaluating.
    fn evaluate<'py>(
        &self,
        change: &Bound<'py, PyAny>,
        graph: &NativeGraph,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (py, change) = (change.py(), Input::read(change, Document::Change)?);
        let decided = run(py, || api::evaluate(&self.0, change.change(), &graph.0))?;
        decision(py, decided)
    }

    /// Evaluates many changes (a change calendar) on ``threads`` threads (0: one per core).
    ///
    /// Each change is read while holding the GIL, then the batch is decided with the GIL released,
    /// the changes spread over the threads; decisions come back in the order given. The first
    /// change that fails raises its error with ``index`` set to its position.
    #[pyo3(signature = (changes, graph, *, threads = 0))]
    fn evaluate_many<'py>(
        &self,
        changes: &Bound<'py, PyAny>,
        graph: &NativeGraph,
        threads: usize,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let py = changes.py();
        let at = |i: usize, e: PyErr| match e.value(py).setattr("index", i) {
            Ok(()) => e,
            Err(other) => other,
        };
        let changes = changes.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        let mut inputs = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            inputs.push(Input::read(change, Document::Change).map_err(|e| at(i, e))?);
        }
        let inputs: Vec<_> = inputs.iter().map(Input::change).collect();
        let decided = run(py, || {
            Ok(api::evaluate_many(&self.0, &inputs, &graph.0, threads))
        })?;
        let mut decisions = Vec::with_capacity(decided.len());
        for (i, d) in decided.into_iter().enumerate() {
            match d {
                Ok(d) => decisions.push(decision(py, d)?),
                Err(e) => return Err(at(i, crate::core_error(py, &e))),
            }
        }
        Ok(decisions)
    }

    /// Evaluates a change given as JSON text; returns the decision JSON, as the command line prints it.
    fn evaluate_json(
        &self,
        py: Python<'_>,
        change: &Bound<'_, PyAny>,
        graph: &NativeGraph,
    ) -> PyResult<String> {
        let change = json_text(change, Document::Change, "JSON text")?;
        run(py, || api::evaluate_json(&self.0, &change, &graph.0))
    }

    /// ``sha256:`` and the digest of the policy sources (as in ``Decision.audit``).
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

    /// The IANA time zone a window of the policy is in; ``None`` if there is no such window.
    fn window_time_zone(&self, window: &str) -> Option<&str> {
        self.0.window_time_zone(window)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let files = self.0.files();
        let mut shown = files.iter().take(3).cloned().collect::<Vec<_>>();
        if files.len() > 3 {
            shown.push(format!("... {} more", files.len() - 3));
        }
        let (rules, digest) = (self.0.rules().count(), &self.0.digest()[..19]);
        let shown = PyList::new(py, shown)?.repr()?;
        Ok(format!(
            "Policy(files={shown}, rules={rules}, digest='{digest}...')"
        ))
    }
}

/// A dependency graph of the estate (see docs/language.md, *Inputs: the graph and the change*).
///
/// Build one with :meth:`from_file`, :meth:`from_json` or :meth:`from_dict`; ``limits`` (any
/// keys of :class:`Limits`) bounds its size. Immutable and safe to share between threads.
/// ``len(graph)`` is the number of nodes and ``"orders-db" in graph`` tells whether a node has
/// that id.
#[pyclass(frozen, module = "changegate", name = "Graph")]
pub(crate) struct NativeGraph(pub(crate) Graph);

#[pymethods]
impl NativeGraph {
    /// Reads a graph from JSON text; raises :class:`InputError` naming the bad field.
    #[staticmethod]
    #[pyo3(signature = (text, *, limits = None))]
    fn from_json(text: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Self::load(text, limits)
    }

    /// Reads a graph from a mapping (``{"nodes": [...], "edges": [...]}``, a :class:`GraphDocument`).
    #[staticmethod]
    #[pyo3(signature = (graph, *, limits = None))]
    fn from_dict(graph: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        Self::load(graph, limits)
    }

    /// Reads a graph from a JSON file; raises :class:`IoError` or :class:`InputError` naming the bad field.
    #[staticmethod]
    #[pyo3(signature = (path, *, limits = None))]
    fn from_file(
        py: Python<'_>,
        path: PathBuf,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let limits = crate::limits(limits)?;
        run(py, || api::load_graph_file(&path, &limits).map(Self))
    }

    /// The number of dependency edges (``depends_on`` and ``edges`` together).
    #[getter]
    fn edge_count(&self) -> usize {
        self.0.edge_count()
    }

    /// The nodes in document order, each with every id it depends on (sorted); attributes left out.
    fn nodes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = py.import("json")?;
        json.call_method1("loads", (api::graph_nodes_json(&self.0),))
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __contains__(&self, id: &Bound<'_, PyAny>) -> bool {
        let id = id.cast::<PyString>().ok().and_then(|s| s.to_cow().ok());
        id.is_some_and(|id| self.0.index_of(&id).is_some())
    }

    fn __repr__(&self) -> String {
        format!(
            "Graph(nodes={}, edges={})",
            self.0.len(),
            self.0.edge_count()
        )
    }
}

impl NativeGraph {
    fn load(graph: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let (input, limits) = (Input::read(graph, Document::Graph)?, crate::limits(limits)?);
        run(graph.py(), || {
            match &input {
                Input::Text(text) => api::load_graph(text, &limits),
                Input::Value(value) => api::load_graph_value(value, &limits),
            }
            .map(Self)
        })
    }
}

/// The native half of a decision; each field is read as its JSON (`field_json`).
#[pyclass(frozen, module = "changegate._native", name = "Decision")]
pub(crate) struct NativeDecision(pub(crate) Decision);

#[pymethods]
impl NativeDecision {
    /// Reads a decision from its JSON; `ValueError` if it is not one.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(Self)
            .map_err(|e| PyValueError::new_err(format!("not a decision JSON: {e}")))
    }

    fn field_json(&self, name: &str) -> PyResult<String> {
        let field = DecisionField::from_name(name)
            .ok_or_else(|| PyValueError::new_err(format!("a decision has no field `{name}`")))?;
        Ok(api::decision_field_json(&self.0, field))
    }

    fn to_json(&self) -> String {
        self.0.to_json()
    }
}
