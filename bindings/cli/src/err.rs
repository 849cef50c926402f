//! Why a command failed, and the error as JSON.

use changegate::Error;
use serde_json::json;

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Core's error: a bad policy, graph or change, an unreadable policy file.
    Core(Error),
    /// A graph or change file that cannot be read.
    Read {
        /// The path as given (`standard input` for `-`).
        path: String,
        /// What went wrong.
        message: String,
    },
    /// The arguments do not make sense together, or name something that is
    /// not there.
    Usage {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: Option<String>,
    },
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Core(e)
    }
}

impl Failure {
    /// The error as `{"error": …}` JSON, in core's shape.
    pub(crate) fn to_json(&self) -> String {
        match self {
            Failure::Core(e) => e.to_json(),
            Failure::Read { path, message } => {
                let v = json!({"error": {
                    "kind": "io",
                    "path": path,
                    "message": message,
                    "help": READ_HELP,
                }});
                let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                s.push('\n');
                s
            }
            Failure::Usage { message, help } => {
                let v = json!({"error": {"kind": "usage", "message": message, "help": help}});
                let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
                s.push('\n');
                s
            }
        }
    }
}

/// Advice for an unreadable graph or change file.
pub(crate) const READ_HELP: &str = "check the path; `-` reads standard input";
