//! The error for a graph or change document: what is wrong, at which JSON
//! path, and how to fix it.

/// An error in a graph or change document, naming the JSON path of the
/// offending value.
///
/// `path` is written the way a person would point at the value: `targets[2]`,
/// `nodes[17].tier`, `edges[4].to`; it is empty for the document as a whole
/// (invalid JSON, a document over the size limit). The message is lowercase,
/// without a final period, with user input in backticks; `help`, when present,
/// says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", located(.message, .path))]
pub struct InputError {
    /// JSON path of the offending value, such as `nodes[17].tier`; empty for
    /// the whole document.
    pub path: String,
    /// What is wrong, such as ``expected an integer, found string `"1"` ``.
    pub message: String,
    /// How to fix it, such as ``did you mean `verified`?``.
    pub help: Option<String>,
}

fn located(message: &str, path: &str) -> String {
    if path.is_empty() {
        message.to_owned()
    } else {
        format!("{message} at `{path}`")
    }
}

impl InputError {
    /// An error at `path` (empty for the whole document) without help.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> InputError {
        InputError {
            path: path.into(),
            message: message.into(),
            help: None,
        }
    }

    /// The same error with `help` attached.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> InputError {
        self.help = Some(help.into());
        self
    }
}

/// `a`, `b`, `c` (for help texts).
pub(crate) fn backticked(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
