//! Why the service cannot start, and why a request is refused.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why the service cannot start (or a reload cannot be made).
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The policy, the graph or the limits are not valid.
    #[error("{0}")]
    Core(#[from] changegate::Error),
    /// The configuration does not make sense.
    #[error("{message}")]
    Config {
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// The tokens file cannot be read or has a bad line.
    #[error("{path}:{line}: {message}")]
    Tokens {
        /// The file.
        path: String,
        /// The line (1-based; 0 when the file cannot be read at all).
        line: usize,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// A certificate or key cannot be read or used.
    #[error("{path}: {message}")]
    Tls {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
        /// How to fix it.
        help: String,
    },
    /// The decision log cannot be opened.
    #[error("cannot open the decision log: {0}")]
    Log(#[from] changegate_log::Error),
    /// The address cannot be listened on, or the runtime cannot start.
    #[error("cannot listen on `{addr}`: {message}")]
    Listen {
        /// The address.
        addr: String,
        /// What went wrong.
        message: String,
    },
}

impl ServeError {
    pub(crate) fn config(message: impl Into<String>, help: impl Into<String>) -> ServeError {
        ServeError::Config {
            message: message.into(),
            help: help.into(),
        }
    }

    pub(crate) fn tls(
        path: &std::path::Path,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> ServeError {
        ServeError::Tls {
            path: path.display().to_string(),
            message: message.into(),
            help: help.into(),
        }
    }

    /// How to fix it, where there is advice.
    pub fn help(&self) -> Option<String> {
        match self {
            ServeError::Core(e) => e.help(),
            ServeError::Config { help, .. }
            | ServeError::Tokens { help, .. }
            | ServeError::Tls { help, .. } => Some(help.clone()),
            ServeError::Log(e) => e.help().map(|h| {
                format!(
                    "{h}; or pass `--log URL` for another store, or `--no-log` to record nothing"
                )
            }),
            ServeError::Listen { .. } => {
                Some("pass another `--listen` address, or stop what is listening there".to_owned())
            }
        }
    }

    /// The error as `{"error": …}` JSON: core's own for a core error, and
    /// the same shape with kind `config` otherwise.
    pub fn to_json(&self) -> String {
        match self {
            ServeError::Core(e) => e.to_json(),
            other => pretty(&json!({"error": {
                "kind": "config",
                "message": other.to_string(),
                "help": other.help(),
            }})),
        }
    }
}

/// Two-space indented JSON ending with a newline, as core writes errors.
pub(crate) fn pretty(value: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Why a request is refused: core's error, or the service's own.
#[derive(Debug)]
pub(crate) enum Reject {
    /// A bad change, graph, limits or policy: core's error JSON.
    Core(changegate::Error),
    /// A refusal of the service itself (authentication, size, time).
    Http {
        status: StatusCode,
        kind: &'static str,
        message: String,
        help: Option<String>,
    },
}

impl From<changegate::Error> for Reject {
    fn from(e: changegate::Error) -> Reject {
        Reject::Core(e)
    }
}

impl Reject {
    pub(crate) fn http(
        status: StatusCode,
        kind: &'static str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Reject {
        Reject::Http {
            status,
            kind,
            message: message.into(),
            help: Some(help.into()),
        }
    }

    pub(crate) fn unauthorized(message: &str) -> Reject {
        Reject::http(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            message,
            "send `Authorization: Bearer TOKEN` with a token of the service's tokens file",
        )
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            Reject::Http { status, .. } => *status,
            Reject::Core(e) => match e.kind() {
                changegate::ErrorKind::Input | changegate::ErrorKind::Policy => {
                    StatusCode::BAD_REQUEST
                }
                changegate::ErrorKind::Limit => StatusCode::UNPROCESSABLE_ENTITY,
                changegate::ErrorKind::Io | changegate::ErrorKind::Internal => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
        }
    }

    pub(crate) fn body(&self) -> String {
        match self {
            Reject::Core(e) => e.to_json(),
            Reject::Http {
                kind,
                message,
                help,
                ..
            } => pretty(&json!({"error": {"kind": kind, "message": message, "help": help}})),
        }
    }
}

impl IntoResponse for Reject {
    fn into_response(self) -> Response {
        crate::routes::json_response(self.status(), self.body())
    }
}
