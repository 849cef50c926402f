//! The native half of the `changegate` Python package: marshalling only.
//!
//! Every operation is one call to `changegate::api`, run without the GIL;
//! `changegate.Policy` and `changegate.Graph` are the classes of `views`,
//! holding core's values, and a decision reaches Python one field at a time
//! as JSON text. A document
//! given as a mapping is read into core's JSON value directly (`convert`).
//! Every failure is core's error report, which `changegate._errors` turns
//! into the matching exception; a panic is reported as an internal error,
//! never as a `PanicException`.

mod convert;
mod views;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;

use changegate::api::{self, DecisionField, Document, Error};
use changegate::{Decision, Limits, Source};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyMapping, PyString, PyTuple, PyType};
use serde_json::Value as Json;

use crate::views::{NativeDecision, NativeGraph, NativePolicy};

/// Runs `f` with the GIL released, turning a core error (a panic among
/// them, as an internal error) into the matching Python exception.
fn run<T, F>(py: Python<'_>, f: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce() -> Result<T, Error> + Send,
{
    py.detach(|| api::guard(f)).map_err(|e| core_error(py, &e))
}

/// The exception for a core error (`changegate._errors._from_native`): its
/// report, the text `str()` shows (for a policy error the rendered report,
/// with source lines and carets) and the error JSON the command line prints.
pub(crate) fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    static FROM_NATIVE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let text = match (e, e.help()) {
        (Error::Policy(p), _) => p.render(false),
        (_, Some(help)) => format!("{e}\nhelp: {help}"),
        (_, None) => e.to_string(),
    };
    let made = FROM_NATIVE
        .import(py, "changegate._errors", "_from_native")
        .and_then(|f| f.call1((e.report().to_json(), text, e.to_json())));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(e) => e,
    }
}

/// Limits from a host mapping (`None`: the defaults), read by core.
fn limits(limits: Option<&Bound<'_, PyAny>>) -> PyResult<Limits> {
    let Some(limits) = limits else {
        return Ok(Limits::default());
    };
    let json = convert::value(limits, Document::Limits)?.to_string();
    api::limits_from_json(&json).map_err(|e| core_error(limits.py(), &e))
}

/// Policy sources given as `{name: text}` or `(name, text)` pairs; a lone
/// surrogate in one is a policy error at its place (core never sees the text).
fn sources(given: &Bound<'_, PyAny>) -> PyResult<Vec<Source>> {
    let items = if given.is_instance_of::<PyMapping>() {
        given.call_method0("items")?
    } else {
        given.clone()
    };
    let read = |pair: PyResult<Bound<'_, PyAny>>| {
        let (name, text): (Bound<'_, PyString>, Bound<'_, PyString>) = pair?.extract()?;
        let (bad, e) = match (name.to_cow(), text.to_cow()) {
            (Ok(n), Ok(t)) => {
                return Ok(Source {
                    name: n.into_owned(),
                    text: t.into_owned(),
                });
            }
            (Err(e), _) => (&name, e),
            (Ok(_), Err(e)) => (&text, e),
        };
        let (code, at) = convert::surrogate(bad, e)?;
        let lossy = |s: &Bound<'_, PyString>| s.to_string_lossy().into_owned();
        let e = api::unencodable_source(lossy(&name), lossy(&text), code, at, bad.is(&name));
        Err(core_error(given.py(), &e))
    };
    items.try_iter()?.map(read).collect()
}

/// The lazy `changegate.Decision` over core's decision.
fn decision(py: Python<'_>, decision: Decision) -> PyResult<Bound<'_, PyAny>> {
    static LAZY: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let class = LAZY.import(py, "changegate._decision", "Decision")?;
    class.call_method1("_lazy", (NativeDecision(decision),))
}

/// A document as the binding received it: JSON text, or a mapping already
/// read into core's JSON value.
enum Input<'a> {
    Text(Cow<'a, str>),
    Value(Json),
}

impl<'a> Input<'a> {
    fn read(doc: &'a Bound<'_, PyAny>, document: Document) -> PyResult<Self> {
        // Text first: the test for a mapping that is not a dict is slow.
        let text = doc.is_instance_of::<PyString>()
            || doc.is_instance_of::<PyBytes>()
            || doc.is_instance_of::<PyByteArray>();
        if !text && doc.is_instance_of::<PyMapping>() {
            return convert::value(doc, document).map(Input::Value);
        }
        json_text(doc, document, "a mapping or JSON text").map(Input::Text)
    }

    fn change(&self) -> api::ChangeInput<'_> {
        match self {
            Input::Text(text) => api::ChangeInput::Text(text),
            Input::Value(value) => api::ChangeInput::Value(value),
        }
    }
}

/// JSON text given as `str`, `bytes` or `bytearray` (UTF-8); any other type
/// is a `TypeError` saying `expected` was.
fn json_text<'a>(
    doc: &'a Bound<'_, PyAny>,
    document: Document,
    expected: &str,
) -> PyResult<Cow<'a, str>> {
    if let Ok(s) = doc.cast::<PyString>() {
        return convert::text(s, document, "");
    }
    let Ok(bytes) = doc.extract::<Cow<'a, [u8]>>() else {
        let name = doc.get_type().name()?;
        let message = format!("expected the {document} as {expected}, found {name}");
        return Err(PyTypeError::new_err(message));
    };
    match bytes {
        Cow::Borrowed(b) => std::str::from_utf8(b).map(Cow::Borrowed),
        Cow::Owned(b) => String::from_utf8(b)
            .map(Cow::Owned)
            .map_err(|e| e.utf8_error()),
    }
    .map_err(|e| {
        let message = format!("the JSON is not valid UTF-8 (byte {})", e.valid_up_to());
        let error = changegate::InputError::new("", message);
        core_error(doc.py(), &Error::Input { document, error })
    })
}

/// The blast radius of `targets`, as JSON.
#[pyfunction]
fn impact_json(
    py: Python<'_>,
    graph: &NativeGraph,
    targets: Vec<Bound<'_, PyString>>,
) -> PyResult<String> {
    let targets = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            convert::text(t, Document::Change, &format!("targets[{i}]")).map(Cow::into_owned)
        })
        .collect::<PyResult<Vec<_>>>()?;
    run(py, || api::impact_json(&graph.0, &targets))
}

/// The diagnostics of policy sources, as JSON.
#[pyfunction]
#[pyo3(signature = (sources, limits = None))]
fn validate_json(
    py: Python<'_>,
    sources: &Bound<'_, PyAny>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (sources, limits) = (self::sources(sources)?, self::limits(limits)?);
    run(py, || Ok(api::validate_json(sources, &limits)))
}

/// One policy file (a single `(name, text)` pair) in the canonical layout.
#[pyfunction]
#[pyo3(signature = (source, limits = None))]
fn format_source(
    py: Python<'_>,
    source: &Bound<'_, PyAny>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (mut sources, limits) = (self::sources(source)?, self::limits(limits)?);
    let Some(source) = sources.pop() else {
        return Err(PyValueError::new_err("expected one `(name, text)` pair"));
    };
    run(py, || api::format_with_limits(&source, &limits))
}

/// The lint findings of policy sources, as JSON: `request` is the lint
/// request (`at`, `config`, `changes`), `graph` the graph the owner and
/// attribute lints read.
#[pyfunction]
#[pyo3(signature = (sources, request = None, graph = None, limits = None))]
fn lint_json(
    py: Python<'_>,
    sources: &Bound<'_, PyAny>,
    request: Option<&Bound<'_, PyAny>>,
    graph: Option<&NativeGraph>,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (sources, limits) = (self::sources(sources)?, self::limits(limits)?);
    let request = request.map_or(Ok(Json::Null), |r| convert::value(r, Document::Lint))?;
    let request = api::lint_request_from_value(request, &limits).map_err(|e| core_error(py, &e))?;
    run(py, || {
        let options = request.options(graph.map(|g| &g.0));
        api::lint_with(sources, &limits, &options).map(|f| api::findings_json(&f))
    })
}

/// The report of the policy tests below `paths` (relative ones against
/// `base_dir`), as JSON.
#[pyfunction]
#[pyo3(signature = (paths, base_dir = None, filter = None, coverage = false, limits = None))]
fn run_tests_json(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    base_dir: Option<PathBuf>,
    filter: Option<String>,
    coverage: bool,
    limits: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (limits, base) = (self::limits(limits)?, base_dir.unwrap_or_default());
    let options = api::TestOptions { filter, coverage };
    run(py, || {
        api::run_tests(&base, &paths, &options, &limits).map(|r| r.to_json())
    })
}

/// What an adapter reads from `inputs` (each role's files as `{name: text}`
/// or pairs, or with `texts` false as paths), as the import's JSON.
#[pyfunction]
#[pyo3(signature = (adapter, inputs, texts, options = None, limits = None, base_dir = None))]
fn import_json(
    py: Python<'_>,
    adapter: &str,
    inputs: &Bound<'_, PyMapping>,
    texts: bool,
    options: Option<&Bound<'_, PyAny>>,
    limits: Option<&Bound<'_, PyAny>>,
    base_dir: Option<PathBuf>,
) -> PyResult<String> {
    let adapter = api::adapter(adapter).map_err(|e| core_error(py, &e))?;
    let options = options.map_or(Ok(Json::Null), |o| convert::value(o, Document::Import))?;
    let (limits, base) = (self::limits(limits)?, base_dir.unwrap_or_default());
    let roles: Vec<(String, Bound<'_, PyAny>)> = inputs.items()?.extract()?;
    if texts {
        let files = roles
            .iter()
            .map(|(role, given)| Ok((role.clone(), sources(given)?)));
        let files = files.collect::<PyResult<api::Inputs>>()?;
        return run(py, || {
            api::import(adapter, &files, &options, &limits).map(|i| api::imported_json(&i))
        });
    }
    let paths = roles.iter().map(|(role, given)| {
        let paths = given
            .extract::<PathBuf>()
            .map(|one| vec![one])
            .or_else(|_| given.extract())?;
        Ok((role.clone(), paths))
    });
    let paths = paths.collect::<PyResult<BTreeMap<String, Vec<PathBuf>>>>()?;
    run(py, || {
        api::import_paths(adapter, &base, &paths, &options, &limits).map(|i| api::imported_json(&i))
    })
}

/// Panics inside the guard every call goes through, so the tests can check
/// that a panic comes out as `changegate.Error`.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>) -> PyResult<()> {
    run(py, || {
        std::panic::resume_unwind(Box::new("a deliberate panic"))
    })
}

/// Test-only: the JSON value a change reads as, compact: a mapping through
/// the converter, JSON text through serde_json; so the tests can check that
/// a dict and its `json.dumps` text read the same.
#[pyfunction]
fn _change_value_for_tests(change: &Bound<'_, PyAny>) -> PyResult<String> {
    let value: Json = match change.cast::<PyString>() {
        Ok(text) => serde_json::from_str(&text.to_cow()?)
            .map_err(|e| PyValueError::new_err(e.to_string()))?,
        Err(_) => convert::value(change, Document::Change)?,
    };
    Ok(value.to_string())
}

/// The native module `changegate._native`.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    let fields = DecisionField::ALL.map(DecisionField::name);
    m.add("DECISION_FIELDS", PyTuple::new(m.py(), fields)?)?;
    m.add_class::<NativePolicy>()?;
    m.add_class::<NativeGraph>()?;
    m.add_class::<NativeDecision>()?;
    m.add_function(wrap_pyfunction!(impact_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_json, m)?)?;
    m.add_function(wrap_pyfunction!(import_json, m)?)?;
    m.add_function(wrap_pyfunction!(format_source, m)?)?;
    m.add_function(wrap_pyfunction!(lint_json, m)?)?;
    m.add_function(wrap_pyfunction!(run_tests_json, m)?)?;
    m.add_function(wrap_pyfunction!(_panic_for_tests, m)?)?;
    m.add_function(wrap_pyfunction!(_change_value_for_tests, m)?)?;
    Ok(())
}
