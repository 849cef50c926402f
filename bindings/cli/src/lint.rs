//! `changegate lint`: read the policy, the configuration, the graph and the
//! example changes, call core's linter, print the findings.

use std::path::{Path, PathBuf};

use changegate::api::{self, ChangeInput, ConfigError, LintConfig, LintOptions, Resolved};
use changegate::{Change, Error, Limits};

use crate::args::{Format, LintArgs, LintFormat};
use crate::err::Failure;
use crate::render;
use crate::run::{ERROR, emit, fail, format_or_default, load_graph, read_input, read_limits};
use crate::style::ColorChoice;

/// The configuration file looked for beside the policy.
const CONFIG_FILE: &str = "changegate.toml";

/// `changegate lint`: exit 0 when no finding is an error or a warning.
pub(crate) fn lint(args: &LintArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let format = args.format.unwrap_or(match format_or_default(None) {
        Format::Text => LintFormat::Text,
        Format::Json => LintFormat::Json,
    });
    // Errors are shown as every command shows them: SARIF is for findings.
    let error_format = match format {
        LintFormat::Text => Format::Text,
        LintFormat::Json | LintFormat::Sarif => Format::Json,
    };
    let found = read_limits(limits).and_then(|limits| {
        let config = read_config(args)?;
        let graph = args
            .graph
            .as_deref()
            .map(|g| load_graph(g, &limits))
            .transpose()?;
        let changes = args
            .change
            .iter()
            .map(|c| read_change(c, &limits))
            .collect::<Result<Vec<Change>, Failure>>()?;
        let sources = api::load_sources(&args.policy).map_err(Error::from)?;
        let options = LintOptions {
            at: Some(args.at.unwrap_or_else(jiff::Timestamp::now)),
            config,
            graph: graph.as_ref(),
            changes: &changes,
        };
        let findings = api::lint_with(sources.clone(), &limits, &options)?;
        Ok((sources, findings))
    });
    let (sources, findings) = match found {
        Ok(r) => r,
        Err(f) => return fail(&f, error_format, color),
    };
    let failing = findings
        .iter()
        .any(|f| matches!(f.severity, api::Severity::Error | api::Severity::Warning));
    let code = if failing { ERROR } else { 0 };
    let text = match format {
        LintFormat::Json => api::findings_json(&findings),
        LintFormat::Sarif => api::findings_sarif(&findings),
        LintFormat::Text => render::linted(&findings, &sources, color.stdout_colored()),
    };
    emit(&text, error_format, color, code)
}

/// One example change; its errors name the file, as there can be several.
fn read_change(path: &Path, limits: &Limits) -> Result<Change, Failure> {
    let text = read_input(path)?;
    api::read_change(ChangeInput::Text(&text), limits).map_err(|e| match e {
        Error::Input {
            document,
            mut error,
        } => {
            let file = path.to_string_lossy().replace('\\', "/");
            error.message = format!("in `{file}`: {}", error.message);
            Failure::Core(Error::Input { document, error })
        }
        other => Failure::Core(other),
    })
}

/// `--config FILE`, or `changegate.toml` found from the first policy path,
/// or the defaults.
fn read_config(args: &LintArgs) -> Result<Resolved, Failure> {
    let path = match &args.config {
        Some(p) => p.clone(),
        None => match args.policy.first().and_then(|p| find_config(p)) {
            Some(p) => p,
            None => return Ok(Resolved::default()),
        },
    };
    read_config_file(&path)
}

/// The lint configuration in the file `path` (TOML, or JSON by its
/// extension); errors name it relative to the working folder.
pub(crate) fn read_config_file(path: &Path) -> Result<Resolved, Failure> {
    // A found file is shown relative to the working folder, as given paths are.
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    let relative = cwd
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let shown = relative.to_string_lossy().replace('\\', "/");
    let text = read_input(path)?;
    let is_json = path.extension().is_some_and(|e| e == "json");
    let config = if is_json {
        api::lint_config_from_json(&shown, &text)
    } else {
        toml::from_str::<serde_json::Value>(&text)
            .map_err(|e| ConfigError {
                file: shown.clone(),
                key: String::new(),
                message: format!("not TOML: {}", e.message()),
                help: toml_place(&text, e.span()),
            })
            .and_then(|doc| LintConfig::from_file_json(&shown, &doc))
            .and_then(|c| c.resolve(&shown))
    };
    config.map_err(|e| Failure::Usage {
        message: e.to_string(),
        help: Some(e.help),
    })
}

/// Where a TOML error is, as `line L, column C`, and the usual fix.
fn toml_place(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    let Some(span) = span else {
        return "write a `[lint]` table of `NAME = \"LEVEL\"` lines".to_owned();
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("at line {line}, column {column}; write a `[lint]` table of `NAME = \"LEVEL\"` lines")
}

/// `changegate.toml` in the folder of `policy` (itself when it is a folder)
/// or the nearest folder above it, stopping at a repository's root (a
/// folder with `.git`), so that a file outside the project is never read.
pub(crate) fn find_config(policy: &Path) -> Option<PathBuf> {
    let start = if policy.is_dir() {
        policy.to_path_buf()
    } else {
        policy.parent()?.to_path_buf()
    };
    let start = if start.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        start
    };
    let start = std::fs::canonicalize(&start).unwrap_or(start);
    for dir in start.ancestors() {
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}
