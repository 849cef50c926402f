//! The linter at the boundary (docs/language.md, *The command line*:
//! `changegate lint`): findings of a policy set, with or without a date,
//! a configuration, a graph and example changes, and the findings as JSON,
//! SARIF or text.

use serde_json::Value as Json;

use super::{ChangeInput, Document, Error};
use crate::change::Change;
use crate::graph::Graph;
use crate::input::InputError;
use crate::limits::Limits;
pub use crate::lint::{
    ConfigError, DEFAULT_MIN_WINDOW, Finding, Level, Lint, LintConfig, LintOptions, LintSettings,
    Resolved, Severity, render as render_findings, sarif as findings_sarif,
};
use crate::source::Source;

/// The lint findings of policy sources, sorted by file, line, column and
/// name; an error when the policy does not compile. Comments `#
/// changegate: allow(name)` suppress findings. The lints that depend on
/// the date (`window-never-occurs`, `window-ended`) do not run: see
/// [`lint_at`]; nor do those that read a graph or changes: see
/// [`lint_with`].
pub fn lint(sources: Vec<Source>, limits: &Limits) -> Result<Vec<Finding>, Error> {
    lint_with(sources, limits, &LintOptions::default())
}

/// [`lint`] and the window lints, from the instant `at` (the CLI's `--at`,
/// by default now): a cron window with no occurrence in the 366 days from
/// `at`, a `between` window that ended before `at`.
pub fn lint_at(
    sources: Vec<Source>,
    limits: &Limits,
    at: jiff::Timestamp,
) -> Result<Vec<Finding>, Error> {
    let options = LintOptions {
        at: Some(at),
        ..LintOptions::default()
    };
    lint_with(sources, limits, &options)
}

/// The lints with every option: the instant of the window lints, the
/// configuration (levels, `min-window`), a graph and example changes for
/// `unknown-attribute` and `empty-owner-set`.
pub fn lint_with(
    sources: Vec<Source>,
    limits: &Limits,
    options: &LintOptions<'_>,
) -> Result<Vec<Finding>, Error> {
    Ok(crate::lint::lint(sources, limits, options)?)
}

/// Reads a lint configuration given as JSON text: either a whole
/// configuration file's shape (`{"lint": {…}}`, as `changegate.toml` reads)
/// or, when it has no `lint` key but looks like the table itself, the
/// `[lint]` table (`{"unused-let": "off", "options": {"min-window":
/// "2h"}}`). `file` names it in errors.
pub fn lint_config_from_json(file: &str, text: &str) -> Result<Resolved, ConfigError> {
    let doc: Json = serde_json::from_str(text).map_err(|e| ConfigError {
        file: file.to_owned(),
        key: String::new(),
        message: format!("not JSON: {e}"),
        help: "write an object such as `{\"lint\": {\"unused-let\": \"off\"}}`".to_owned(),
    })?;
    let config = match &doc {
        Json::Object(m) if m.contains_key("lint") => LintConfig::from_file_json(file, &doc)?,
        _ => LintConfig::from_json(file, &doc)?,
    };
    config.resolve(file)
}

/// [`lint`]'s findings as JSON (a two-space indented list ending with a
/// newline).
pub fn lint_json(sources: Vec<Source>, limits: &Limits) -> Result<String, Error> {
    Ok(findings_json(&lint(sources, limits)?))
}

/// Findings as JSON (a two-space indented list ending with a newline).
pub fn findings_json(findings: &[Finding]) -> String {
    crate::decision::to_json(findings, 256 + 256 * findings.len())
}

/// What a front end asks of the linter besides the sources, as
/// [`LintRequestDocument`] describes it: the instant of the window lints,
/// the configuration, example changes. With a graph, [`LintRequest::options`]
/// gives [`lint_with`]'s options.
#[derive(Debug, Clone, Default)]
pub struct LintRequest {
    /// The instant the window lints look from.
    pub at: Option<jiff::Timestamp>,
    /// Levels and options.
    pub config: Resolved,
    /// Example changes for `unknown-attribute`.
    pub changes: Vec<Change>,
    /// The request's own graph, for `empty-owner-set` and `unknown-attribute`.
    pub graph: Option<Graph>,
}

impl LintRequest {
    /// The options of [`lint_with`]: `graph` (a graph the host already
    /// loaded) or else the request's own for the lints that read one.
    pub fn options<'a>(&'a self, graph: Option<&'a Graph>) -> LintOptions<'a> {
        LintOptions {
            at: self.at,
            config: self.config.clone(),
            graph: graph.or(self.graph.as_ref()),
            changes: &self.changes,
        }
    }
}

/// The lint request's JSON shape (`lint-request.schema.json`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LintRequestDocument {
    /// The instant the window lints (`window-never-occurs`, `window-ended`)
    /// look from, RFC 3339; without it they do not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// The configuration: `changegate.toml`'s shape as JSON (`{"lint":
    /// {"unused-let": "off", "options": {"min-window": "2h"}}}`) or its
    /// `[lint]` table alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<serde_json::Map<String, Json>>,
    /// Example changes: `unknown-attribute` checks `change.X` against them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<super::ChangeDocument>,
    /// A graph: `unknown-attribute` checks `node.X` against its nodes, and
    /// `empty-owner-set` runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graph: Option<super::GraphDocument>,
}

/// An error in the lint request, at `path`.
fn bad(path: String, message: String, help: Option<String>) -> Error {
    let mut error = InputError::new(path, message);
    if let Some(help) = help {
        error = error.with_help(help);
    }
    Error::Input {
        document: Document::Lint,
        error,
    }
}

/// Reads a lint request from JSON text (`null` for none); each error names
/// its JSON path with document `lint`.
pub fn lint_request_from_json(text: &str, limits: &Limits) -> Result<LintRequest, Error> {
    let doc: Json = serde_json::from_str(text)
        .map_err(|e| bad(String::new(), format!("not JSON: {e}"), None))?;
    lint_request_from_value(doc, limits)
}

/// [`lint_request_from_json`] for a host that already holds the request as
/// a JSON value (Python's dict).
pub fn lint_request_from_value(doc: Json, limits: &Limits) -> Result<LintRequest, Error> {
    let mut request = LintRequest::default();
    let fields = match doc {
        Json::Null => return Ok(request),
        Json::Object(fields) => fields,
        _ => {
            let help = "give an object with any of `at`, `config`, `changes`, `graph`".to_owned();
            return Err(bad(
                String::new(),
                "expected an object".to_owned(),
                Some(help),
            ));
        }
    };
    for (key, value) in fields {
        match (key.as_str(), value) {
            (_, Json::Null) => {}
            ("at", Json::String(at)) => {
                let at = at.parse::<jiff::Timestamp>().map_err(|e| {
                    let help = "write an RFC 3339 instant such as `2026-12-01T00:00:00Z`";
                    bad(
                        "at".to_owned(),
                        format!("`{at}` is not an instant: {e}"),
                        Some(help.to_owned()),
                    )
                })?;
                request.at = Some(at);
            }
            ("config", config) => {
                let whole = matches!(&config, Json::Object(m) if m.contains_key("lint"));
                let read = if whole {
                    LintConfig::from_file_json("config", &config)
                } else {
                    LintConfig::from_json("config", &config)
                };
                request.config = read.and_then(|c| c.resolve("config")).map_err(|e| {
                    // The key is the file's (`lint.x`); a table given alone has no `lint.`.
                    let key = match e.key.strip_prefix("lint.") {
                        Some(k) if !whole => k,
                        _ => e.key.as_str(),
                    };
                    let path = match key {
                        "" => "config".to_owned(),
                        k => format!("config.{k}"),
                    };
                    bad(path, e.message, Some(e.help))
                })?;
            }
            ("changes", Json::Array(changes)) => {
                for (i, change) in changes.iter().enumerate() {
                    let read = super::read_change(ChangeInput::Value(change), limits);
                    let change = read.map_err(|e| match e {
                        Error::Input { error, .. } => {
                            let path = match error.path.as_str() {
                                "" => format!("changes[{i}]"),
                                p => format!("changes[{i}].{p}"),
                            };
                            bad(path, error.message, error.help)
                        }
                        other => other,
                    })?;
                    request.changes.push(change);
                }
            }
            ("graph", graph) => {
                let loaded = super::load_graph_value(&graph, limits).map_err(|e| match e {
                    Error::Input { error, .. } => {
                        let path = match error.path.as_str() {
                            "" => "graph".to_owned(),
                            p => format!("graph.{p}"),
                        };
                        bad(path, error.message, error.help)
                    }
                    other => other,
                })?;
                request.graph = Some(loaded);
            }
            ("at", _) => return Err(bad("at".to_owned(), "expected a string".to_owned(), None)),
            ("changes", _) => {
                return Err(bad(
                    "changes".to_owned(),
                    "expected a list of changes".to_owned(),
                    None,
                ));
            }
            (other, _) => {
                let help = "the keys are `at`, `config`, `changes` and `graph`".to_owned();
                return Err(bad(
                    other.to_owned(),
                    format!("unknown key `{other}`"),
                    Some(help),
                ));
            }
        }
    }
    Ok(request)
}
