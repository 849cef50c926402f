//! The errors that keep a test file from running, each at its place in the
//! test file (docs/testing.md, *Errors*).

use super::report::FileError;
use crate::error::Error;
use crate::input::InputError;
use crate::source::Diagnostic;

/// An error in the test file itself, at its JSON path.
pub(crate) fn in_file(e: InputError) -> FileError {
    FileError {
        path: e.path,
        message: e.message,
        help: e.help,
        diagnostics: Vec::new(),
    }
}

/// The file cannot be read.
pub(crate) fn unreadable(e: &crate::load::IoError) -> FileError {
    FileError {
        path: String::new(),
        message: format!("cannot read the file: {}", e.message),
        help: Some("check the file's permissions and that it is UTF-8 text".to_owned()),
        diagnostics: Vec::new(),
    }
}

/// The test file's folder holds no policy.
pub(crate) fn no_policy() -> FileError {
    FileError {
        path: "policy".to_owned(),
        message: "no `.gate` files in the test file's folder".to_owned(),
        help: Some(
            "name the policy files or folders in `policy`, relative to the test file".to_owned(),
        ),
        diagnostics: Vec::new(),
    }
}

/// The policy cannot be read or does not compile. `locate` names a
/// diagnostic's file as the run names files.
pub(crate) fn policy(e: &Error, locate: impl Fn(&str) -> String) -> FileError {
    match e {
        Error::Policy(p) => {
            let n = p.diagnostics().len();
            FileError {
                path: "policy".to_owned(),
                message: format!(
                    "the policy does not compile: {n} error{}",
                    if n == 1 { "" } else { "s" }
                ),
                help: Some(
                    "`changegate validate --policy …` shows each error in its source".to_owned(),
                ),
                diagnostics: p
                    .diagnostics()
                    .iter()
                    .map(|d| Diagnostic {
                        file: locate(&d.file),
                        ..d.clone()
                    })
                    .collect(),
            }
        }
        other => elsewhere("policy", None, other),
    }
}

/// The graph cannot be read or is invalid: `file` is its path as the test
/// file gives it, `None` for a graph in the test file (whose JSON path is
/// then below `graph`).
pub(crate) fn graph(file: Option<&str>, e: &Error) -> FileError {
    match (file, e) {
        (None, Error::Input { error, .. }) => {
            let path = if error.path.is_empty() {
                "graph".to_owned()
            } else {
                format!("graph.{}", error.path)
            };
            FileError {
                path,
                message: format!("invalid graph: {}", error.message),
                help: error.help.clone(),
                diagnostics: Vec::new(),
            }
        }
        _ => elsewhere("graph", file, e),
    }
}

fn elsewhere(path: &str, file: Option<&str>, e: &Error) -> FileError {
    let message = match file {
        Some(f) => format!("`{f}`: {e}"),
        None => e.to_string(),
    };
    FileError {
        path: path.to_owned(),
        message,
        help: e.help(),
        diagnostics: Vec::new(),
    }
}
