//! Decisions and impact reports as native objects that hold core's values
//! and hand each part to Python only when it is read: `changegate.Decision`
//! and `changegate.Impact` wrap them and build their typed objects from the
//! plain tuples returned here, on first access.

use changegate::Decision;
use changegate::decision::ImpactReport;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

/// A decision (wrapped by `changegate.Decision`).
#[pyclass(frozen, module = "changegate._native", name = "Decision")]
pub(crate) struct NativeDecision(pub(crate) Decision);

// The rows Python reads each part from, field by field as the dataclasses
// of `changegate._decision` declare them (times and durations as text).
type ApprovalRow<'a> = (&'a str, u32, Vec<&'a str>, bool, Vec<&'a str>);
type BackupRow<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    bool,
    bool,
    Option<&'a str>,
    Vec<&'a str>,
);
type ConditionRow<'a> = (&'a str, bool, Vec<&'a str>);
type BlockRow<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Vec<&'a str>,
);
type OverrideRow<'a> = (&'a str, &'a str, &'a str, &'a str, bool, Option<&'a str>);
type FiredRow<'a> = (&'a str, &'a str, u32, Option<&'a str>);

fn texts<T: AsRef<str>>(v: &[T]) -> Vec<&str> {
    v.iter().map(AsRef::as_ref).collect()
}

#[pymethods]
impl NativeDecision {
    /// Reads a decision from its JSON; `ValueError` if it is not one.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(NativeDecision)
            .map_err(|e| PyValueError::new_err(format!("not a decision JSON: {e}")))
    }

    #[getter]
    fn change(&self) -> &str {
        &self.0.change
    }

    #[getter]
    fn outcome(&self) -> &'static str {
        self.0.outcome.as_str()
    }

    /// `(group, required, granted_by, satisfied, rules)` each.
    #[getter]
    fn approvals(&self) -> Vec<ApprovalRow<'_>> {
        self.0
            .approvals
            .iter()
            .map(|a| {
                (
                    &*a.group,
                    a.required,
                    texts(&a.granted_by),
                    a.satisfied,
                    texts(&a.rules),
                )
            })
            .collect()
    }

    /// `(node, kind, within, verified, satisfied, evidence taken_at, rules)` each.
    #[getter]
    fn backups(&self) -> Vec<BackupRow<'_>> {
        self.0
            .backups
            .iter()
            .map(|b| {
                (
                    &*b.node,
                    b.kind.as_deref(),
                    b.within.as_str(),
                    b.verified,
                    b.satisfied,
                    b.evidence.as_ref().map(|e| e.taken_at.as_str()),
                    texts(&b.rules),
                )
            })
            .collect()
    }

    /// `(message, satisfied, rules)` each.
    #[getter]
    fn conditions(&self) -> Vec<ConditionRow<'_>> {
        self.0
            .conditions
            .iter()
            .map(|c| (&*c.message, c.satisfied, texts(&c.rules)))
            .collect()
    }

    /// `(kind, window, message, occurrence start, occurrence end, rules)` each.
    #[getter]
    fn blocks(&self) -> Vec<BlockRow<'_>> {
        self.0
            .blocks
            .iter()
            .map(|b| {
                let kind = match b.kind {
                    changegate::decision::BlockKind::During => "during",
                    changegate::decision::BlockKind::Outside => "outside",
                    changegate::decision::BlockKind::Deny => "deny",
                };
                (
                    kind,
                    b.window.as_deref(),
                    b.message.as_deref(),
                    b.occurrence.as_ref().map(|o| o.start.as_str()),
                    b.occurrence.as_ref().map(|o| o.end.as_str()),
                    texts(&b.rules),
                )
            })
            .collect()
    }

    #[getter]
    fn next_allowed_start(&self) -> Option<&str> {
        self.0.next_allowed_start.as_deref()
    }

    /// The blast radius, itself read on demand.
    #[getter]
    fn impact(&self) -> NativeImpact {
        NativeImpact(self.0.impact.clone())
    }

    /// `(rule, group, by, reason, counted, problem)` each.
    #[getter]
    fn overrides(&self) -> Vec<OverrideRow<'_>> {
        self.0
            .overrides
            .iter()
            .map(|o| {
                (
                    &*o.rule,
                    &*o.group,
                    &*o.by,
                    &*o.reason,
                    o.counted,
                    o.problem.as_deref(),
                )
            })
            .collect()
    }

    /// `(rule, file, line, because)` each.
    #[getter]
    fn fired(&self) -> Vec<FiredRow<'_>> {
        self.0
            .fired
            .iter()
            .map(|f| (&*f.rule, &*f.file, f.line, f.because.as_deref()))
            .collect()
    }

    /// `(policy_digest, engine)`.
    #[getter]
    fn audit(&self) -> (&str, &str) {
        (&self.0.audit.policy_digest, &self.0.audit.engine)
    }

    /// The decision JSON, byte for byte as the command line prints it.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<NativeDecision>()
            .is_ok_and(|o| o.get().0 == self.0)
    }
}

/// A blast radius (wrapped by `changegate.Impact`).
#[pyclass(frozen, module = "changegate._native", name = "Impact")]
pub(crate) struct NativeImpact(pub(crate) ImpactReport);

#[pymethods]
impl NativeImpact {
    /// Reads an impact report from its JSON; `ValueError` if it is not one.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        serde_json::from_str(text)
            .map(NativeImpact)
            .map_err(|e| PyValueError::new_err(format!("not an impact report JSON: {e}")))
    }

    #[getter]
    fn targets(&self) -> Vec<&str> {
        self.0.targets().collect()
    }

    /// `(id, depth, path)` for each impacted node, by depth then id. Each
    /// id becomes one Python string, shared by every path through it, and
    /// a path is its parent's (built before it: parents are shallower) plus
    /// the node, so the paths cost a list copy each instead of one string
    /// per step.
    #[getter]
    fn impacted<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut paths: Vec<Bound<'py, PyList>> = Vec::with_capacity(self.0.len());
        let out = PyList::empty(py);
        for (i, node) in self.0.iter().enumerate() {
            let id = PyString::new(py, node.id);
            let parent = node
                .via
                .filter(|_| node.depth > 0)
                .and_then(|v| paths.get(v));
            let path = match parent {
                Some(parent) => {
                    let path = parent.get_slice(0, parent.len());
                    path.append(&id)?;
                    path
                }
                None if node.depth == 0 => PyList::new(py, [&id])?,
                None => PyList::new(py, self.0.path(i))?,
            };
            out.append((&id, node.depth, &path))?;
            paths.push(path);
        }
        Ok(out)
    }

    /// The number of impacted nodes, targets included.
    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<NativeImpact>()
            .is_ok_and(|o| o.get().0 == self.0)
    }
}
