//! The errors of the ServiceNow adapters: each names the file and the place
//! in it, the record (a change number, a sys_id) and the field.

use super::super::input_error;
use crate::error::{Document, Error};
use crate::input::InputError;

/// An error at `place` (a JSON path such as `result[2].state`, or empty for
/// the whole file) of `file`.
pub(super) fn at(file: &str, place: &str, message: impl Into<String>, help: &str) -> Error {
    let path = if place.is_empty() {
        file.to_owned()
    } else {
        format!("{file}: {place}")
    };
    let help = (!help.is_empty()).then(|| help.to_owned());
    input_error(Document::ServiceNow, path, message, help)
}

/// The error of the JSON reader (invalid JSON, a repeated key, a file over
/// the size limit) for `file`.
pub(super) fn json(file: &str, e: InputError) -> Error {
    let place = e.path.clone();
    let help = e.help.clone().unwrap_or_default();
    at(file, &place, e.message, &help)
}

/// A bad option: `options.<field>`.
pub(super) fn option(field: &str, message: impl Into<String>, help: &str) -> Error {
    let help = (!help.is_empty()).then(|| help.to_owned());
    let path = if field.is_empty() {
        "options".to_owned()
    } else {
        format!("options.{field}")
    };
    input_error(Document::ServiceNow, path, message, help)
}
