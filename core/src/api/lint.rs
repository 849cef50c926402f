//! The linter at the boundary (docs/language.md, *The command line*:
//! `changegate lint`): findings of a policy set, with or without a date,
//! a configuration, a graph and example changes, and the findings as JSON,
//! SARIF or text.

use serde_json::Value as Json;

use super::Error;
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
