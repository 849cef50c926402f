//! The boundary: the one module every front end (the CLI, Python, Node and
//! WASM) calls, so that all of them offer the same operations and print the
//! same bytes for the same inputs. Bindings only marshal: each operation,
//! each shape and each error is here.
//!
//! | operation | here | Python | JavaScript |
//! |---|---|---|---|
//! | compile sources | [`compile`] | `Policy.from_sources` | `Policy.fromSources` |
//! | compile files | [`compile_paths`] | `Policy.from_path` | `Policy.fromPath` (Node) |
//! | validate sources | [`validate`] | `changegate.validate` | `validate` |
//! | load a graph | [`load_graph`] | `Graph.from_json` | `Graph.fromJson` |
//! | evaluate a change | [`evaluate`] | `Policy.evaluate` | `policy.evaluate` |
//! | evaluate to JSON | [`evaluate_json`] | `Policy.evaluate_json` | `policy.evaluateJson` |
//! | evaluate a batch on every core | [`evaluate_many`], [`evaluate_many_json`] | `Policy.evaluate_many` | `policy.evaluateMany`, `evaluateManyAsync` (Node) |
//! | blast radius | [`impact`] | `changegate.impact` | `impact` |
//! | format a policy file | [`format`], [`format_with_limits`] | `changegate.format_policy` | `formatPolicy` |
//! | import records | [`import`], [`import_paths`] | `changegate.import_texts`, `import_files` | `importTexts`, `importFiles` (Node) |
//! | run policy tests | [`run_tests`] | `changegate.run_tests` | `runTests` (Node) |
//! | lint sources | [`lint`], [`lint_at`], [`lint_with`], [`lint_json`], [`findings_json`], [`findings_sarif`], [`render_findings`], [`lint_config_from_json`] | `changegate.lint` | `lint` |
//! | editor queries | [`ide::Workspace`] | | |
//!
//! Every operation takes explicit [`Limits`]; errors are one [`Error`]
//! whose [`Error::report`] every host turns into its exception.

mod batch;
mod documents;
mod host;
pub mod ide;
mod imports;
mod lint;
mod parts;
#[cfg(feature = "schema")]
pub mod schema;
mod text;

use std::path::Path;

use serde_json::Value as Json;

pub use self::batch::{batch_threads, evaluate_many, evaluate_many_json};
pub use self::documents::{
    ApprovalDocument, ApprovalStatusDocument, BackupDocument, BackupStatusDocument, ChangeDocument,
    ChangeTypeDocument, EdgeDocument, GraphDocument, NodeDocument, OverrideDocument,
};
pub use self::host::{
    HostDocument, HostError, HostValue, Visit, guard, read_host, unencodable, unencodable_source,
};
pub use self::imports::{
    Adapter, ImportFile, ImportNote, ImportRequest, Imported, ImportedDocument, Inputs, adapter,
    document_json, import, import_json, import_paths, imported_json, options_from_json,
};
pub use self::lint::{
    ConfigError, DEFAULT_MIN_WINDOW, Finding, Level, Lint, LintConfig, LintOptions, LintRequest,
    LintRequestDocument, LintSettings, Resolved, Severity, findings_json, findings_sarif, lint,
    lint_at, lint_config_from_json, lint_json, lint_request_from_json, lint_request_from_value,
    lint_with, render_findings,
};
pub use self::parts::{DecisionField, decision_field_json};
pub use self::text::{format_duration, time_zone};
use crate::change::Change;
use crate::decision::{Decision, ImpactReport};
pub use crate::error::{Document, Error, ErrorKind, ErrorReport};
use crate::graph::Graph;
use crate::input::InputError;
use crate::limits::Limits;
pub use crate::load::{IoError, load_files_in, load_sources, load_sources_in};
use crate::policy::Policy;
use crate::source::{Diagnostic, Source};
pub use crate::testing::{
    Case, CaseReport, Column, Coverage, EffectCoverage, Expect, FileError, FileReport, GraphRef,
    Mismatch, RuleCoverage, Status, Summary, TEST_SUFFIX, Table, TestFile, TestOptions, TestReport,
    WindowCoverage, find_tests, run_tests,
};

/// A change as a front end received it: JSON text, or a value its host
/// already read (a Python dict, a JavaScript object).
#[derive(Debug, Clone, Copy)]
pub enum ChangeInput<'a> {
    /// JSON text, bounded by the policy's `max_input_bytes`.
    Text(&'a str),
    /// A JSON value.
    Value(&'a Json),
}

/// Compiles policy sources; every problem of every file is reported at once.
pub fn compile(sources: Vec<Source>, limits: &Limits) -> Result<Policy, Error> {
    Ok(Policy::compile(sources, limits)?)
}

/// Reads and compiles `.gate` files: each path is a file, or a directory
/// whose `*.gate` files below it are all read, sorted by path. Relative
/// paths are resolved against `base`, and files are named as given.
pub fn compile_paths<P: AsRef<Path>>(
    base: &Path,
    paths: &[P],
    limits: &Limits,
) -> Result<Policy, Error> {
    let sources = crate::load::load_sources_in(base, paths)?;
    compile(sources, limits)
}

/// The diagnostics of policy sources: empty when they compile. For editors
/// that underline problems as the author types.
pub fn validate(sources: Vec<Source>, limits: &Limits) -> Vec<Diagnostic> {
    match Policy::compile(sources, limits) {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().to_vec(),
    }
}

/// [`validate`]'s diagnostics as JSON (a two-space indented list ending
/// with a newline).
pub fn validate_json(sources: Vec<Source>, limits: &Limits) -> String {
    crate::decision::to_json(&validate(sources, limits), 256)
}

/// One policy file in the canonical layout (docs/language.md, *Files,
/// comments and names*): only whitespace changes, every comment stays
/// where it was among the tokens, and formatting again changes nothing. A
/// file with syntax errors is not formatted: they are the error. Names are
/// not resolved, as the file may belong to a larger policy set.
pub fn format(source: &Source) -> Result<String, Error> {
    format_with_limits(source, &Limits::default())
}

/// [`format`] with explicit limits (on the file's size and nesting).
pub fn format_with_limits(source: &Source, limits: &Limits) -> Result<String, Error> {
    crate::fmt::format(source, limits)
}

/// Reads limits from a JSON object with any of [`Limits`]' fields (the
/// others keep their defaults); an unknown key is an error.
pub fn limits_from_json(text: &str) -> Result<Limits, Error> {
    serde_json::from_str(text).map_err(|e| {
        let known = [
            "max_source_bytes",
            "max_nesting",
            "max_graph_nodes",
            "max_graph_edges",
            "max_window_scan",
            "max_input_bytes",
        ];
        Error::Input {
            document: crate::error::Document::Limits,
            error: InputError {
                path: String::new(),
                message: e
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
                help: Some(format!(
                    "limits are whole numbers under the keys {}",
                    known.map(|k| format!("`{k}`")).join(", ")
                )),
            },
        }
    })
}

/// The graph's nodes as the engine read them, in document order, each with
/// every id it depends on (its `depends_on` and the `edges` from it,
/// sorted), and its aliases when it has any (sorted); attributes are left
/// out.
pub fn graph_nodes(graph: &Graph) -> Vec<NodeDocument> {
    let mut aliases: Vec<Vec<String>> = Vec::new();
    for (alias, n) in graph.aliases() {
        if aliases.is_empty() {
            aliases.resize_with(graph.len(), Vec::new);
        }
        if let Some(list) = aliases.get_mut(n.index()) {
            list.push(alias.to_owned());
        }
    }
    graph
        .nodes()
        .map(|(i, n)| {
            let mut deps: Vec<String> = graph
                .dependencies_of(i)
                .iter()
                .map(|&d| graph.node(d).id.to_string())
                .collect();
            deps.sort();
            NodeDocument {
                id: n.id.to_string(),
                kind: n.kind.as_deref().map(str::to_owned),
                tier: n.tier,
                owner: n.owner.as_deref().map(str::to_owned),
                tags: Some(n.tags.iter().map(|t| t.to_string()).collect()),
                attributes: None,
                depends_on: Some(deps),
                aliases: aliases
                    .get_mut(i.index())
                    .filter(|a| !a.is_empty())
                    .map(std::mem::take),
            }
        })
        .collect()
}

/// [`graph_nodes`] as compact JSON.
pub fn graph_nodes_json(graph: &Graph) -> String {
    serde_json::to_string(&graph_nodes(graph)).unwrap_or_default()
}

/// Loads a graph from JSON text; errors name the JSON path.
pub fn load_graph(graph_json: &str, limits: &Limits) -> Result<Graph, Error> {
    Graph::from_json_with_limits(graph_json, limits).map_err(Error::graph)
}

/// Loads a graph from a JSON value a host already read.
pub fn load_graph_value(graph: &Json, limits: &Limits) -> Result<Graph, Error> {
    Graph::from_value(graph, limits).map_err(Error::graph)
}

/// Loads a graph from a JSON file (read as policy files are: text that is
/// not UTF-8 is an I/O error naming the byte).
pub fn load_graph_file(path: &Path, limits: &Limits) -> Result<Graph, Error> {
    let source = crate::load::read(path).map_err(IoError::for_graph)?;
    load_graph(&source.text, limits)
}

/// Reads a change (bounded by `limits`); errors are in the change document.
pub fn read_change(change: ChangeInput<'_>, limits: &Limits) -> Result<Change, Error> {
    match change {
        ChangeInput::Text(text) => Change::from_json_with_limits(text, limits),
        ChangeInput::Value(value) => Change::from_value(value),
    }
    .map_err(Error::change)
}

/// Decides on a change: the decision itself, for a front end that reads its
/// parts on demand (see [`decision_field_json`]).
pub fn evaluate(
    policy: &Policy,
    change: ChangeInput<'_>,
    graph: &Graph,
) -> Result<Decision, Error> {
    let change = read_change(change, policy.limits())?;
    policy.evaluate(&change, graph)
}

/// Decides on a change given as JSON text and returns the decision JSON:
/// two-space indented, ending with a newline, byte for byte what every
/// front end prints.
pub fn evaluate_json(policy: &Policy, change_json: &str, graph: &Graph) -> Result<String, Error> {
    evaluate(policy, ChangeInput::Text(change_json), graph).map(|d| d.to_json())
}

/// The blast radius of `targets`, as a decision's `impact` holds it.
pub fn impact(graph: &Graph, targets: &[String]) -> Result<ImpactReport, Error> {
    if targets.is_empty() {
        return Err(Error::change(InputError {
            path: "targets".to_owned(),
            message: "no targets given".to_owned(),
            help: Some("name at least one node of the graph".to_owned()),
        }));
    }
    let idx = crate::eval::resolve_targets(graph, targets, None).map_err(Error::change)?;
    let impact = graph.impact(&idx);
    Ok(ImpactReport::new(idx, impact))
}

/// [`impact`] as JSON: `{"targets": […], "impacted": [{"id", "depth",
/// "path"}]}`, the same shape as a decision's `impact`.
pub fn impact_json(graph: &Graph, targets: &[String]) -> Result<String, Error> {
    Ok(impact(graph, targets)?.to_json())
}

/// Parses an error's JSON back into a value (for tests and tools).
pub fn error_json(e: &Error) -> Json {
    serde_json::from_str(&e.to_json()).unwrap_or(Json::Null)
}
