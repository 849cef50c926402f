//! Errors in one input file: its name, then the JSON path (`backups.json:
//! items[2].status.phase`), in the adapter's document.

use crate::error::{Document, Error};
use crate::import::input_error;
use crate::input::{InputError, Path};

/// The file being read, for errors that name it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ctx<'a> {
    /// The adapter's document (`velero` or `aws-backup`; `graph` for the
    /// graph file).
    pub document: Document,
    /// The file's name as given.
    pub file: &'a str,
}

impl Ctx<'_> {
    /// `FILE: PATH`, or the file alone for the whole document.
    pub(super) fn place(&self, path: &str) -> String {
        if path.is_empty() {
            self.file.to_owned()
        } else {
            format!("{}: {path}", self.file)
        }
    }

    /// An error at `path` of this file.
    pub(super) fn error(&self, path: &Path<'_>, message: impl Into<String>, help: &str) -> Error {
        let help = (!help.is_empty()).then(|| help.to_owned());
        input_error(self.document, self.place(&path.render()), message, help)
    }

    /// A reader's error, placed in this file.
    pub(super) fn wrap(&self, e: InputError) -> Error {
        input_error(self.document, self.place(&e.path), e.message, e.help)
    }

    /// A reader's error about record `record`, placed in this file: its
    /// message is prefixed with the record, as every record error is.
    pub(super) fn wrap_record(&self, record: &str, e: InputError) -> Error {
        let message = format!("{record}: {}", e.message);
        input_error(self.document, self.place(&e.path), message, e.help)
    }
}
