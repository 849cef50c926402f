//! The native classes: each holds one of core's values and calls
//! `changegate::api` (wrapped by `changegate.Policy`, `changegate.Graph`
//! and `changegate.Decision`).

use std::path::{Path, PathBuf};

use changegate::api::{self, DecisionField, Document};
use changegate::{Decision, Graph, Policy};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::{Input, json_text, run};

/// A compiled policy set.
#[pyclass(frozen, module = "changegate._native", name = "Policy")]
pub(crate) struct NativePolicy(Policy);

#[pymethods]
impl NativePolicy {
    /// Reads and compiles `.gate` files and directories; relative paths are
    /// resolved against `base_dir`, and files are named as given.
    #[staticmethod]
    #[pyo3(signature = (paths, base_dir = None, limits = None))]
    fn from_paths(
        py: Python<'_>,
        paths: Vec<PathBuf>,
        base_dir: Option<PathBuf>,
        limits: Option<String>,
    ) -> PyResult<Self> {
        run(py, || {
            let base = base_dir.as_deref().unwrap_or(Path::new(""));
            api::compile_paths(base, &paths, &crate::limits(limits.as_deref())?).map(Self)
        })
    }

    /// Compiles `(name, text)` pairs.
    #[staticmethod]
    #[pyo3(signature = (sources, limits = None))]
    fn from_sources(
        py: Python<'_>,
        sources: Vec<(String, String)>,
        limits: Option<String>,
    ) -> PyResult<Self> {
        run(py, || {
            api::compile(crate::sources(sources), &crate::limits(limits.as_deref())?).map(Self)
        })
    }

    /// Decides on a change (JSON text or a mapping).
    fn evaluate(
        &self,
        py: Python<'_>,
        change: &Bound<'_, PyAny>,
        graph: &NativeGraph,
    ) -> PyResult<NativeDecision> {
        let change = Input::read(change, Document::Change)?;
        run(py, || api::evaluate(&self.0, change.change(), &graph.0)).map(NativeDecision)
    }

    /// Decides on many changes, releasing the GIL once for the batch; the
    /// first failure is raised with `index` set to its change's position.
    fn evaluate_many(
        &self,
        py: Python<'_>,
        changes: Vec<Bound<'_, PyAny>>,
        graph: &NativeGraph,
    ) -> PyResult<Vec<NativeDecision>> {
        let at = |i: usize, e: PyErr| match e.value(py).setattr("index", i) {
            Ok(()) => e,
            Err(other) => other,
        };
        let mut inputs = Vec::with_capacity(changes.len());
        for (i, change) in changes.iter().enumerate() {
            inputs.push(Input::read(change, Document::Change).map_err(|e| at(i, e))?);
        }
        let decided = run(py, || {
            Ok(inputs
                .iter()
                .enumerate()
                .map(|(i, c)| api::evaluate(&self.0, c.change(), &graph.0).map_err(|e| (i, e)))
                .collect::<Result<Vec<_>, _>>())
        })?;
        match decided {
            Ok(decisions) => Ok(decisions.into_iter().map(NativeDecision).collect()),
            Err((i, e)) => Err(at(i, crate::core_error(py, &e))),
        }
    }

    /// Decides on a change given as JSON text; the decision JSON.
    fn evaluate_json(
        &self,
        py: Python<'_>,
        change: &Bound<'_, PyAny>,
        graph: &NativeGraph,
    ) -> PyResult<String> {
        let change = json_text(change, Document::Change, "JSON text")?;
        run(py, || api::evaluate_json(&self.0, &change, &graph.0))
    }

    #[getter]
    fn digest(&self) -> &str {
        self.0.digest()
    }

    #[getter]
    fn files(&self) -> Vec<String> {
        self.0.files().to_vec()
    }

    #[getter]
    fn rules(&self) -> Vec<String> {
        self.0.rules().map(str::to_owned).collect()
    }

    fn window_time_zone(&self, window: &str) -> Option<&str> {
        self.0.window_time_zone(window)
    }
}

/// A dependency graph.
#[pyclass(frozen, module = "changegate._native", name = "Graph")]
pub(crate) struct NativeGraph(pub(crate) Graph);

#[pymethods]
impl NativeGraph {
    /// Reads a graph from JSON text or a mapping.
    #[staticmethod]
    #[pyo3(signature = (graph, limits = None))]
    fn load(py: Python<'_>, graph: &Bound<'_, PyAny>, limits: Option<String>) -> PyResult<Self> {
        let graph = Input::read(graph, Document::Graph)?;
        run(py, || {
            let limits = crate::limits(limits.as_deref())?;
            match &graph {
                Input::Text(text) => api::load_graph(text, &limits),
                Input::Value(value) => api::load_graph_value(value, &limits),
            }
            .map(Self)
        })
    }

    /// Reads a graph from a JSON file.
    #[staticmethod]
    #[pyo3(signature = (path, limits = None))]
    fn from_file(py: Python<'_>, path: PathBuf, limits: Option<String>) -> PyResult<Self> {
        run(py, || {
            api::load_graph_file(&path, &crate::limits(limits.as_deref())?).map(Self)
        })
    }

    #[getter]
    fn node_count(&self) -> usize {
        self.0.len()
    }

    #[getter]
    fn edge_count(&self) -> usize {
        self.0.edge_count()
    }

    fn contains(&self, id: &str) -> bool {
        self.0.index_of(id).is_some()
    }

    fn nodes_json(&self) -> String {
        api::graph_nodes_json(&self.0)
    }
}

/// A decision; each field is read as its JSON (`field_json`).
#[pyclass(frozen, module = "changegate._native", name = "Decision")]
pub(crate) struct NativeDecision(Decision);

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
