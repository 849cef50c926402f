//! Adapters: the records other tools already keep, read into changegate's
//! own documents ([`GraphDocument`](crate::api::GraphDocument),
//! [`ChangeDocument`](crate::api::ChangeDocument), its `backups`), which the
//! engine then reads exactly as if a person had written them (see
//! docs/language.md, *Inputs: the graph and the change*).
//!
//! Each adapter is one folder: `servicenow/` (a change request, its
//! approvals and affected CIs; the CMDB), `backstage/` (the software
//! catalog), `backup/` (Velero, AWS Backup, RDS and EBS snapshots). A bad
//! record is an [`Error::Input`](crate::Error::Input) whose document is the
//! source ([`Document::ServiceNow`](crate::Document::ServiceNow), …) and
//! whose path names the file and the place in it; a record that is read but
//! does not count (an approval still requested, a failed backup, a
//! reference to an entity outside the catalog when the user asked for it to
//! be reported) is kept as an [`ImportNote`], never dropped silently.

pub mod backstage;
pub mod backup;
pub mod servicenow;

use serde::{Deserialize, Serialize};

/// A finding that does not stop an import: what was read, and why it does
/// not count or what was assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportNote {
    /// The record, as its source names it: a change number, a sys_id, an
    /// entity reference, a backup's name.
    pub record: String,
    /// The field of the record the note is about, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What happened, lowercase, with the record's values in backticks.
    pub message: String,
}

/// What an adapter produced: the document, and the notes on records it read
/// but did not count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Imported"))]
pub struct Imported<T> {
    /// changegate's own document, as the engine reads it.
    pub document: T,
    /// Records read but not counted, in input order.
    pub notes: Vec<ImportNote>,
}

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::api::{BackupDocument, ChangeDocument, GraphDocument};
use crate::error::{Document, Error};
use crate::input::InputError;
use crate::limits::Limits;
use crate::source::Source;

/// Which adapter reads the records, and so what it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Adapter {
    /// A ServiceNow `change_request` with its approvals and affected CIs:
    /// a change. Inputs: `change` (one file), `approvals`, `affected`.
    ServicenowChange,
    /// ServiceNow CMDB `cmdb_ci` and `cmdb_rel_ci` records: a graph.
    /// Inputs: `cis` (at least one file), `relationships`.
    ServicenowCmdb,
    /// Backstage catalog entities (YAML files or the catalog API's JSON): a
    /// graph. Inputs: `catalog` (at least one file).
    Backstage,
    /// Velero `Backup` objects: a change's `backups`. Inputs: `records`
    /// (at least one file) and `graph` (changegate's graph JSON, whose
    /// nodes say which backed-up resource is which node).
    Velero,
    /// AWS Backup recovery points and RDS or EBS snapshots: a change's
    /// `backups`. Inputs as for [`Adapter::Velero`].
    AwsBackup,
}

impl Adapter {
    /// Every adapter.
    pub const ALL: [Adapter; 5] = [
        Adapter::ServicenowChange,
        Adapter::ServicenowCmdb,
        Adapter::Backstage,
        Adapter::Velero,
        Adapter::AwsBackup,
    ];

    /// The adapter named `name` (as [`Adapter::name`] writes it).
    pub fn from_name(name: &str) -> Option<Adapter> {
        Adapter::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Its input roles, the first one required.
    pub fn roles(self) -> &'static [&'static str] {
        match self {
            Adapter::ServicenowChange => &["change", "approvals", "affected"],
            Adapter::ServicenowCmdb => &["cis", "relationships"],
            Adapter::Backstage => &["catalog"],
            Adapter::Velero | Adapter::AwsBackup => &["records", "graph"],
        }
    }

    /// The file extensions read from a directory given for `role`.
    pub fn extensions(self, role: &str) -> &'static [&'static str] {
        match (self, role) {
            (Adapter::Backstage, _) => &["yaml", "yml", "json"],
            _ => &["json"],
        }
    }

    /// The adapter's name on the command line and in every binding.
    pub fn name(self) -> &'static str {
        match self {
            Adapter::ServicenowChange => "servicenow-change",
            Adapter::ServicenowCmdb => "servicenow-cmdb",
            Adapter::Backstage => "backstage",
            Adapter::Velero => "velero",
            Adapter::AwsBackup => "aws-backup",
        }
    }

    /// The document its errors are reported in.
    pub fn document(self) -> Document {
        match self {
            Adapter::ServicenowChange | Adapter::ServicenowCmdb => Document::ServiceNow,
            Adapter::Backstage => Document::Backstage,
            Adapter::Velero => Document::Velero,
            Adapter::AwsBackup => Document::AwsBackup,
        }
    }
}

/// An adapter's input files, by role (`change`, `approvals`, `cis`, …):
/// each a name (shown in errors) and its text.
pub type Inputs = BTreeMap<String, Vec<Source>>;

/// What an import made: a change, a graph, or a change's backups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum ImportedDocument {
    /// From [`Adapter::ServicenowChange`].
    Change(ChangeDocument),
    /// From [`Adapter::ServicenowCmdb`] or [`Adapter::Backstage`].
    Graph(GraphDocument),
    /// From [`Adapter::Velero`] or [`Adapter::AwsBackup`].
    Backups(Vec<BackupDocument>),
}

/// Reads `inputs` with `adapter`; `options` is the adapter's options object
/// (`null` for the defaults). Every file is bounded by
/// `limits.max_input_bytes`.
pub fn import(
    adapter: Adapter,
    inputs: &Inputs,
    options: &Json,
    limits: &Limits,
) -> Result<Imported<ImportedDocument>, Error> {
    let roles = adapter.roles();
    if let Some(role) = inputs.keys().find(|r| !roles.contains(&r.as_str())) {
        let message = format!("the {} adapter takes no input `{role}`", adapter.name());
        let help = format!("its inputs are {}", crate::input::backticked(roles));
        return Err(input_error(adapter.document(), "", message, Some(help)));
    }
    let files = |role: &str| inputs.get(role).map_or(&[][..], Vec::as_slice);
    match adapter {
        Adapter::ServicenowChange => servicenow::change(
            files("change"),
            files("approvals"),
            files("affected"),
            options,
            limits,
        )
        .map(|i| i.map(ImportedDocument::Change)),
        Adapter::ServicenowCmdb => {
            servicenow::cmdb(files("cis"), files("relationships"), options, limits)
                .map(|i| i.map(ImportedDocument::Graph))
        }
        Adapter::Backstage => backstage::catalog(files("catalog"), options, limits)
            .map(|i| i.map(ImportedDocument::Graph)),
        Adapter::Velero | Adapter::AwsBackup => {
            backup::backups(adapter, files("records"), files("graph"), options, limits)
                .map(|i| i.map(ImportedDocument::Backups))
        }
    }
}

impl<T> Imported<T> {
    /// The same notes with the document turned into another.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Imported<U> {
        Imported {
            document: f(self.document),
            notes: self.notes,
        }
    }
}

/// The error for a bad record or option: `path` names the file and the
/// place in it (`chg.json: result[0].start_date`, `catalog/a.yaml:12:7`).
pub(crate) fn input_error(
    document: Document,
    path: impl Into<String>,
    message: impl Into<String>,
    help: Option<String>,
) -> Error {
    let mut error = InputError::new(path, message);
    error.help = help;
    Error::Input { document, error }
}
