//! The one error every front end reports, and its one JSON shape.

use std::fmt;

use serde::Serialize;

use crate::eval::EvalError;
use crate::input::InputError;
use crate::load::IoError;
use crate::source::{Diagnostic, PolicyError};
use crate::window::WindowError;

/// Which input document an input error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Document {
    /// The graph JSON.
    Graph,
    /// The change JSON.
    Change,
    /// The limits a front end was given.
    Limits,
    /// The import request a front end was given (adapter, inputs, options).
    Import,
    /// ServiceNow Table API records (changes, approvals, CIs, relationships).
    #[serde(rename = "servicenow")]
    ServiceNow,
    /// A Backstage software catalog (`catalog-info.yaml` files or the
    /// catalog API's JSON).
    Backstage,
    /// Velero `Backup` objects.
    Velero,
    /// AWS Backup recovery points, RDS and EBS snapshots.
    #[serde(rename = "aws-backup")]
    AwsBackup,
    /// The lint request a front end was given (instant, configuration,
    /// example changes).
    Lint,
}

impl Document {
    /// `graph`, `change`, `limits`, or the source an adapter reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Document::Graph => "graph",
            Document::Change => "change",
            Document::Limits => "limits",
            Document::Import => "import",
            Document::ServiceNow => "servicenow",
            Document::Backstage => "backstage",
            Document::Velero => "velero",
            Document::AwsBackup => "aws-backup",
            Document::Lint => "lint",
        }
    }

    /// The document named `name` (as [`Document::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<Document> {
        const ALL: [Document; 9] = [
            Document::Graph,
            Document::Change,
            Document::Limits,
            Document::Import,
            Document::ServiceNow,
            Document::Backstage,
            Document::Velero,
            Document::AwsBackup,
            Document::Lint,
        ];
        ALL.into_iter().find(|d| d.as_str() == name)
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
    #[error("{0}")]
    Io(#[from] IoError),
    /// Evaluation went over a resource limit.
    #[error("{0}")]
    Limit(WindowError),
    /// A bug in changegate: a panic caught at the boundary ([`crate::api::guard`]).
    #[error("internal error in changegate: {0}")]
    Internal(String),
}

impl From<EvalError> for Error {
    fn from(e: EvalError) -> Error {
        match e {
            EvalError::UnknownTarget(error) => Error::change(error),
            EvalError::Window(w) => Error::Limit(w),
        }
    }
}

/// The kind of an error: which exception or error class a host raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum ErrorKind {
    /// The policy does not compile: see `diagnostics`.
    Policy,
    /// A graph or change document is invalid: see `document` and `path`.
    Input,
    /// A policy file could not be read: see `path`.
    Io,
    /// Evaluation went over a resource limit.
    Limit,
    /// A bug in changegate: a panic caught at the boundary.
    Internal,
}

impl ErrorKind {
    /// `policy`, `input`, `io` or `limit`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Policy => "policy",
            ErrorKind::Input => "input",
            ErrorKind::Io => "io",
            ErrorKind::Limit => "limit",
            ErrorKind::Internal => "internal",
        }
    }
}

/// An error as every front end shows it: one value with one set of fields,
/// whatever its kind. Hosts build their exception from this (Python's
/// `changegate.Error` subclasses, JavaScript's `ChangegateError`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorReport {
    /// What failed.
    pub kind: ErrorKind,
    /// What is wrong, in one line.
    pub message: String,
    /// How to fix it, where one piece of advice fits the whole error
    /// (policy errors carry theirs on each diagnostic).
    pub help: Option<String>,
    /// Every problem of a policy error, in file order; empty otherwise.
    pub diagnostics: Vec<Diagnostic>,
    /// The document of an input error.
    pub document: Option<Document>,
    /// Where: the JSON path of an input error (`approvals[0].group`, empty
    /// for the whole document), or the file of an I/O error.
    pub path: Option<String>,
}

/// The error JSON's body: one object per kind, with only the fields that
/// kind has, in a fixed order (the bytes every front end writes).
#[derive(Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum ErrorBody<'a> {
    Policy {
        message: &'a str,
        diagnostics: &'a [Diagnostic],
    },
    Input {
        document: Document,
        path: &'a str,
        message: &'a str,
        help: Option<&'a str>,
    },
    Io {
        path: &'a str,
        message: &'a str,
        help: Option<&'a str>,
    },
    Limit {
        message: &'a str,
        help: Option<&'a str>,
    },
    Internal {
        message: &'a str,
        help: Option<&'a str>,
    },
}

/// The error JSON: `{"error": {...}}`.
#[derive(Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ErrorDocument<'a> {
    #[serde(borrow)]
    pub(crate) error: ErrorBody<'a>,
}

impl ErrorReport {
    /// The report as compact JSON, with every field (`null` or `[]` where
    /// it has no value): what a binding hands its host to build the error.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Error {
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

    /// What failed.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Policy(_) => ErrorKind::Policy,
            Error::Input { .. } => ErrorKind::Input,
            Error::Io(_) => ErrorKind::Io,
            Error::Limit(_) => ErrorKind::Limit,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Advice on how to fix it, where there is one (policy errors carry
    /// theirs on each diagnostic).
    pub fn help(&self) -> Option<String> {
        match self {
            Error::Policy(_) => None,
            Error::Input { error, .. } => error.help.clone(),
            Error::Io(e) => Some(e.help().to_owned()),
            Error::Limit(w) => w.help(),
            Error::Internal(_) => Some(
                "this is a bug in changegate; please report it with the inputs that caused it"
                    .to_owned(),
            ),
        }
    }

    /// The one-line message a host puts on its exception: for a policy
    /// error, how many problems there are (each is in `diagnostics`).
    pub fn message(&self) -> String {
        match self {
            Error::Policy(p) => {
                let n = p.diagnostics().len();
                format!("{n} error{} in the policy", if n == 1 { "" } else { "s" })
            }
            Error::Input { error, .. } => error.message.clone(),
            Error::Io(e) => e.message.clone(),
            Error::Limit(w) => w.to_string(),
            Error::Internal(_) => self.to_string(),
        }
    }

    /// The error for a panic caught at a binding's boundary, with its message.
    pub fn internal(message: &str) -> Error {
        Error::Internal(message.to_owned())
    }

    /// The error as one value with every field a host shows.
    pub fn report(&self) -> ErrorReport {
        let (diagnostics, document, path) = match self {
            Error::Policy(p) => (p.diagnostics().to_vec(), None, None),
            Error::Input { document, error } => {
                (Vec::new(), Some(*document), Some(error.path.clone()))
            }
            Error::Io(e) => (Vec::new(), None, Some(e.path.clone())),
            Error::Limit(_) | Error::Internal(_) => (Vec::new(), None, None),
        };
        ErrorReport {
            kind: self.kind(),
            message: self.message(),
            help: self.help(),
            diagnostics,
            document,
            path,
        }
    }

    /// The error as JSON: `{"error": {"kind": …, …}}`, two-space indented,
    /// ending with a newline; each kind has only its own fields (see the
    /// error schema in `schemas/`).
    pub fn to_json(&self) -> String {
        let message = self.message();
        let help = self.help();
        let help = help.as_deref();
        let error = match self {
            Error::Policy(p) => ErrorBody::Policy {
                message: &message,
                diagnostics: p.diagnostics(),
            },
            Error::Input { document, error } => ErrorBody::Input {
                document: *document,
                path: &error.path,
                message: &message,
                help,
            },
            Error::Io(e) => ErrorBody::Io {
                path: &e.path,
                message: &message,
                help,
            },
            Error::Limit(_) => ErrorBody::Limit {
                message: &message,
                help,
            },
            Error::Internal(_) => ErrorBody::Internal {
                message: &message,
                help,
            },
        };
        let mut s = serde_json::to_string_pretty(&ErrorDocument { error }).unwrap_or_default();
        s.push('\n');
        s
    }
}
