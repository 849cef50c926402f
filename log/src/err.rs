//! The log's errors: each names the store, and the record (`seq`) and
//! field when one is at fault, with advice.

/// Why a log operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `--log` is neither a PostgreSQL URL nor a usable SQLite path.
    #[error("`{url}` is not a decision log location: {message}")]
    Location {
        /// The location as given.
        url: String,
        /// What is wrong with it.
        message: String,
    },
    /// The log to read does not exist.
    #[error("no decision log at `{path}`")]
    Missing {
        /// The SQLite file looked for.
        path: String,
    },
    /// The store refused or failed an operation.
    #[error("the {store} store failed to {action}: {message}")]
    Store {
        /// `sqlite` or `postgresql`.
        store: &'static str,
        /// What was being done (`append`, `open`, `read`).
        action: &'static str,
        /// The store's own message.
        message: String,
    },
    /// A stored record cannot be read: a field of the wrong type, missing,
    /// or out of range.
    #[error("record {seq}: field `{field}` is unreadable: {message}")]
    Corrupt {
        /// The record's sequence number (0 when the sequence number itself is unreadable).
        seq: i64,
        /// The column.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An entry to append breaks a rule of the log.
    #[error("entry {index} of the batch: field `{field}` {message}")]
    Entry {
        /// Its position in the batch.
        index: usize,
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The log was made by a newer changegate.
    #[error(
        "the decision log has format version `{found}`, this changegate reads version {supported}"
    )]
    Version {
        /// The version in the store.
        found: String,
        /// The version this build reads and writes.
        supported: u32,
    },
    /// Writing an export failed.
    #[error("cannot write the export: {0}")]
    Write(#[from] std::io::Error),
}

impl Error {
    /// How to fix it.
    pub fn help(&self) -> Option<String> {
        Some(match self {
            Error::Location { .. } => "give `postgres://…` or `postgresql://…` for PostgreSQL, a file path or `sqlite:PATH` for SQLite".to_owned(),
            Error::Missing { .. } => "give the log with `--log PATH` or `--log postgres://…`; the service writes `changegate-log.sqlite` in its working directory by default".to_owned(),
            Error::Store { store: "postgresql", .. } => "check the URL, that the server is running and that the role may use the database".to_owned(),
            Error::Store { .. } => "check that the file is a changegate decision log and that it can be read and written".to_owned(),
            Error::Corrupt { .. } => "the log was changed outside changegate; run `changegate log verify` to find the first bad record".to_owned(),
            Error::Entry { .. } => "fix what the service passes to the log".to_owned(),
            Error::Version { .. } => "read it with the changegate that wrote it, or a newer one".to_owned(),
            Error::Write(_) => "check the path of `--out` and the free space".to_owned(),
        })
    }

    /// A short name for the kind of error (the `kind` of the CLI's JSON errors).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Location { .. } => "location",
            Error::Missing { .. } => "missing",
            Error::Store { .. } => "store",
            Error::Corrupt { .. } => "corrupt",
            Error::Entry { .. } => "entry",
            Error::Version { .. } => "version",
            Error::Write(_) => "io",
        }
    }

    pub(crate) fn sqlite(action: &'static str, e: impl std::fmt::Display) -> Error {
        Error::Store {
            store: "sqlite",
            action,
            message: e.to_string(),
        }
    }

    pub(crate) fn postgres(action: &'static str, e: &postgres::Error) -> Error {
        // The server's own message (`relation … does not exist`) says more
        // than the client's summary (`db error`).
        let message = match e.as_db_error() {
            Some(db) => db.message().to_owned(),
            None => {
                // The client's summary (`error connecting to server`) and
                // what caused it (`No such file or directory`).
                let mut m = e.to_string();
                let mut source = std::error::Error::source(e);
                while let Some(s) = source {
                    let s_text = s.to_string();
                    if !m.contains(&s_text) {
                        m.push_str(": ");
                        m.push_str(&s_text);
                    }
                    source = s.source();
                }
                m
            }
        };
        Error::Store {
            store: "postgresql",
            action,
            message,
        }
    }
}
