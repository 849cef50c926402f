//! Other tools' records as changegate's documents (see the `import`
//! module): from texts, from files, and as JSON for hosts that speak it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Document, Error};
pub use crate::import::{Adapter, ImportNote, Imported, ImportedDocument, Inputs, import};
use crate::input::InputError;
use crate::limits::Limits;
use crate::source::Source;

/// One input file given as text: its name (shown in errors) and content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportFile {
    /// The file's name, such as `chg.json` or `catalog/a.yaml`.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// An import as a host asks for it: the adapter, its input files by role,
/// and its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// Which adapter reads the records.
    pub adapter: Adapter,
    /// The input files by role (`change`, `approvals`, `affected`, `cis`,
    /// `relationships`, `catalog`, `records`, `graph`).
    pub inputs: BTreeMap<String, Vec<ImportFile>>,
    /// The adapter's options (see its page in docs/sources/).
    #[serde(default)]
    pub options: Json,
}

/// The adapter named `name`; an unknown name is an error listing them.
pub fn adapter(name: &str) -> Result<Adapter, Error> {
    Adapter::from_name(name).ok_or_else(|| Error::Input {
        document: Document::Import,
        error: InputError::new("adapter", format!("there is no adapter `{name}`"))
            .with_help(adapters_help()),
    })
}

fn adapters_help() -> String {
    let names = Adapter::ALL.map(|a| format!("`{}`", a.name()));
    format!("the adapters are {}", names.join(", "))
}

/// Like [`import`], reading the files: each path is a file or a directory
/// whose files below it of the role's kinds ([`Adapter::extensions`]) are
/// read, sorted. Relative paths are resolved against `base` and files are
/// named as given.
pub fn import_paths<P: AsRef<Path>>(
    adapter: Adapter,
    base: &Path,
    paths: &BTreeMap<String, Vec<P>>,
    options: &Json,
    limits: &Limits,
) -> Result<Imported<ImportedDocument>, Error> {
    let mut inputs = Inputs::new();
    for (role, paths) in paths {
        let help = "pass the path of an export file, or a directory that holds some";
        let files = crate::load::load_files_in(base, paths, adapter.extensions(role), help)?;
        inputs.insert(role.clone(), files);
    }
    import(adapter, &inputs, options, limits)
}

/// An adapter's options given as JSON text (a command line's
/// `--options`): an object, or `null` for the defaults, read as changegate
/// reads its own JSON (bounded by `limits.max_input_bytes`, a repeated key
/// is an error). Each adapter then checks the object's fields.
pub fn options_from_json(text: &str, limits: &Limits) -> Result<Json, Error> {
    let help = "options are a JSON object, such as `{\"dangling\": \"report\"}`; each adapter's are on its page in docs/sources/";
    let error = |e: InputError| Error::Input {
        document: Document::Import,
        error: InputError {
            path: if e.path.is_empty() {
                "options".to_owned()
            } else {
                format!("options: {}", e.path)
            },
            ..e
        }
        .with_help(help),
    };
    let value = crate::input::parse_json(text, limits).map_err(error)?;
    if value.is_object() || value.is_null() {
        Ok(value)
    } else {
        let found = crate::input::describe(&value);
        Err(error(InputError::new(
            "",
            format!("expected an object, found {found}"),
        )))
    }
}

/// An [`ImportRequest`] given as JSON, answered as the JSON of what was
/// imported: `{"document": ..., "notes": [...]}`, two-space indented,
/// ending with a newline.
pub fn import_json(request: &str, limits: &Limits) -> Result<String, Error> {
    let request: ImportRequest = crate::input::parse_json(request, limits)
        .and_then(|v| serde_json::from_value(v).map_err(|e| InputError::new("", e.to_string())))
        .map_err(|error| Error::Input {
            document: Document::Import,
            error: error.with_help(format!(
                "an import request is {{\"adapter\", \"inputs\", \"options\"}}; {}",
                adapters_help()
            )),
        })?;
    let inputs = request
        .inputs
        .into_iter()
        .map(|(role, files)| {
            let files = files
                .into_iter()
                .map(|f| Source {
                    name: f.name,
                    text: f.text,
                })
                .collect();
            (role, files)
        })
        .collect();
    let imported = import(request.adapter, &inputs, &request.options, limits)?;
    Ok(imported_json(&imported))
}

/// What was imported as JSON, `{"document": ..., "notes": [...]}`, two-space
/// indented, ending with a newline; [`document_json`] gives the document
/// alone.
pub fn imported_json(imported: &Imported<ImportedDocument>) -> String {
    crate::decision::to_json(imported, 4096)
}

/// The imported document alone, as JSON the engine reads (a change, a
/// graph, or a change's `backups` list), two-space indented, ending with a
/// newline.
pub fn document_json(imported: &Imported<ImportedDocument>) -> String {
    crate::decision::to_json(&imported.document, 4096)
}
