//! The backup adapters' options, and their reading with errors at
//! `options.<field>`.

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Document, Error};
use crate::import::input_error;
use crate::input::{self, InputError, Path};

/// Options of the `velero` and `aws-backup` adapters.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct BackupOptions {
    /// The node attribute that names what a node's backups are recorded
    /// under: a string or a list of strings, each `velero:<namespace>`, an
    /// AWS resource ARN, `rds:<DB instance identifier>` or
    /// `ebs:<volume id>`. Default `backup_id`; a second attribute (such as
    /// `backup_id_eu`) separates two clusters' namespaces of the same name.
    pub id_attribute: String,
    /// The `kind` of every backup made, instead of the source's own
    /// (`velero`, `aws-backup`, `rds-snapshot`, `ebs-snapshot`), to match a
    /// policy's `kind "…"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl Default for BackupOptions {
    fn default() -> Self {
        BackupOptions {
            id_attribute: "backup_id".to_owned(),
            kind: None,
        }
    }
}

const FIELDS: &[&str] = &["id_attribute", "kind"];

impl BackupOptions {
    /// Reads the options object; `null` gives the defaults.
    pub(super) fn read(options: &Json, document: Document) -> Result<BackupOptions, Error> {
        read(options).map_err(|e| input_error(document, e.path, e.message, e.help))
    }
}

fn read(options: &Json) -> Result<BackupOptions, InputError> {
    let mut out = BackupOptions::default();
    if options.is_null() {
        return Ok(out);
    }
    let root = Path::Root;
    let opts = root.key("options");
    let obj = input::as_object(options, &opts)?;
    input::check_fields(obj, FIELDS, &opts, false)?;
    if let Some(v) = input::get(obj, "id_attribute") {
        let p = opts.key("id_attribute");
        out.id_attribute = input::as_nonempty_str(v, &p)
            .map_err(|e| e.with_help("name a node attribute, such as `backup_id`"))?
            .to_owned();
    }
    if let Some(v) = input::get(obj, "kind") {
        let p = opts.key("kind");
        let kind = input::as_nonempty_str(v, &p)
            .map_err(|e| e.with_help("give the kind a policy asks for, such as `snapshot`"))?;
        out.kind = Some(kind.to_owned());
    }
    Ok(out)
}
