//! The one JSON-facing API that every front end (CLI, Python, Node, WASM)
//! calls, so that all of them print the same bytes for the same inputs.

use std::fmt;
use std::path::Path;

use serde_json::{Value as Json, json};

use crate::eval::EvalError;
use crate::graph::Graph;
use crate::input::InputError;
use crate::policy::{Policy, PolicyError, display};
use crate::source::Source;
use crate::window::WindowError;

/// Which input document an input error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Document {
    /// The graph JSON.
    Graph,
    /// The change JSON.
    Change,
}

impl Document {
    /// `graph` or `change`.
    pub fn as_str(self) -> &'static str {
        match self {
            Document::Graph => "graph",
            Document::Change => "change",
        }
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can go wrong between inputs and a decision.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The policy does not compile; every problem is listed.
    #[error("{0}")]
    Policy(#[from] PolicyError),
    /// A graph or change document is invalid, or names an unknown node.
    #[error("invalid {document}: {error}")]
    Input {
        /// Which document.
        document: Document,
        /// What is wrong, and where.
        error: InputError,
    },
    /// A policy file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The file or directory.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// Evaluation went over a resource limit.
    #[error("{0}")]
    Limit(WindowError),
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Error {
        match e {
            EvalError::UnknownTarget(error) => Error::Input {
                document: Document::Change,
                error,
            },
            EvalError::Window(w) => Error::Limit(w),
        }
    }
}

impl Error {
    pub(crate) fn io(path: &Path, e: &std::io::Error) -> Error {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
            _ => e.to_string().to_lowercase(),
        };
        Error::Io {
            path: display(path),
            message,
        }
    }

    pub(crate) fn change(error: InputError) -> Error {
        Error::Input {
            document: Document::Change,
            error,
        }
    }

    pub(crate) fn graph(error: InputError) -> Error {
        Error::Input {
            document: Document::Graph,
            error,
        }
    }

    /// `policy`, `input`, `io` or `limit`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Policy(_) => "policy",
            Error::Input { .. } => "input",
            Error::Io { .. } => "io",
            Error::Limit(_) => "limit",
        }
    }

    /// Advice on how to fix it, where there is one (policy errors carry
    /// theirs on each diagnostic).
    pub fn help(&self) -> Option<String> {
        match self {
            Error::Policy(_) => None,
            Error::Input { error, .. } => error.help.clone(),
            Error::Io { .. } => {
                Some("pass a `.gate` file or a directory that holds some".to_owned())
            }
            Error::Limit(w) => w.help(),
        }
    }

    /// The error as JSON: `{"error": {"kind": …, …}}`, two-space indented,
    /// ending with a newline.
    pub fn to_json(&self) -> String {
        let body = match self {
            Error::Policy(p) => json!({
                "kind": "policy",
                "message": format!("{} error{} in the policy", p.diagnostics().len(), if p.diagnostics().len() == 1 { "" } else { "s" }),
                "diagnostics": p.diagnostics(),
            }),
            Error::Input { document, error } => json!({
                "kind": "input",
                "document": document.as_str(),
                "path": error.path,
                "message": error.message,
                "help": error.help,
            }),
            Error::Io { path, message } => json!({
                "kind": "io",
                "path": path,
                "message": message,
                "help": self.help(),
            }),
            Error::Limit(w) => json!({
                "kind": "limit",
                "message": w.to_string(),
                "help": w.help(),
            }),
        };
        let mut s = serde_json::to_string_pretty(&json!({ "error": body })).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// Loads a graph from JSON text; errors name the JSON path.
pub fn load_graph(graph_json: &str) -> Result<Graph, Error> {
    Graph::from_json(graph_json).map_err(Error::graph)
}

/// The whole pipeline in one call: policy sources, graph JSON and change
/// JSON in; the decision JSON out.
pub fn evaluate_json(
    sources: Vec<Source>,
    graph_json: &str,
    change_json: &str,
) -> Result<String, Error> {
    let policy = Policy::compile(sources, &crate::Limits::default())?;
    let graph = load_graph(graph_json)?;
    policy.evaluate_json(change_json, &graph)
}

/// Evaluates a change given as JSON text and returns the decision itself,
/// for a front end that reads its parts on demand: what
/// [`Policy::evaluate_json`] does before writing the JSON (the text is
/// bounded by the policy's limits, and its errors are in the change
/// document).
pub fn evaluate_change(
    policy: &Policy,
    change_json: &str,
    graph: &Graph,
) -> Result<crate::Decision, Error> {
    let change = crate::Change::from_json_with_limits(change_json, policy.limits())
        .map_err(Error::change)?;
    policy.evaluate(&change, graph)
}

/// Evaluates a change already read into a JSON value (by a front end that
/// converts its host's objects itself) and returns the decision; errors are
/// in the change document, as for [`evaluate_change`].
pub fn evaluate_change_value(
    policy: &Policy,
    change: &Json,
    graph: &Graph,
) -> Result<crate::Decision, Error> {
    let change = crate::Change::from_value(change).map_err(Error::change)?;
    policy.evaluate(&change, graph)
}

/// Compiles sources and returns their diagnostics as JSON (an empty list
/// when the policy compiles), for editors that underline problems as the
/// author types.
pub fn check_json(sources: Vec<Source>) -> String {
    let diagnostics = match Policy::compile(sources, &crate::Limits::default()) {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().to_vec(),
    };
    let mut s = serde_json::to_string_pretty(&diagnostics).unwrap_or_default();
    s.push('\n');
    s
}

/// The blast radius of `targets` as JSON: `{"targets": […], "impacted":
/// [{"id", "depth", "path"}]}`, the same shape as a decision's `impact`.
pub fn impact_json(graph: &Graph, targets: &[String]) -> Result<String, Error> {
    let report = impact(graph, targets)?;
    Ok(crate::decision::to_json(&report, 1024 + 160 * report.len()))
}

/// The blast radius of `targets`.
pub fn impact(graph: &Graph, targets: &[String]) -> Result<crate::decision::ImpactReport, Error> {
    if targets.is_empty() {
        return Err(Error::change(InputError {
            path: "targets".to_owned(),
            message: "no targets given".to_owned(),
            help: Some("name at least one node of the graph".to_owned()),
        }));
    }
    let mut idx = Vec::with_capacity(targets.len());
    for (i, t) in targets.iter().enumerate() {
        match graph.index_of(t) {
            Some(n) => {
                if !idx.contains(&n) {
                    idx.push(n);
                }
            }
            None => {
                let near = crate::check::closest(t, graph.nodes().map(|(_, n)| &*n.id));
                return Err(Error::change(InputError {
                    path: format!("targets[{i}]"),
                    message: format!("unknown target `{t}`: no node of the graph has this id"),
                    help: near.map(|n| format!("did you mean `{n}`?")),
                }));
            }
        }
    }
    let impact = graph.impact(&idx);
    Ok(crate::decision::ImpactReport::new(idx, impact))
}

/// Parses an error JSON back into a [`Json`] value (for tests and tools).
pub fn error_json(e: &Error) -> Json {
    serde_json::from_str(&e.to_json()).unwrap_or(Json::Null)
}
