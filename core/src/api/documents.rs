//! The input documents' shapes: a graph and a change as JSON. The readers
//! (`graph::load`, `change`) accept exactly these fields, with JSON-path
//! errors; these types declare them once for the JSON Schemas in `schemas/`
//! and for each field list the readers check unknown keys against.
//! Optional fields may also be `null`, which reads as absent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// A dependency graph: nodes, and edges from a node to what it depends on
/// (see docs/language.md, *Inputs: the graph and the change*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GraphDocument {
    /// Every node, each with a unique `id`.
    pub nodes: Vec<NodeDocument>,
    /// Dependencies besides the nodes' own `depends_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<Vec<EdgeDocument>>,
}

/// A node of the graph: a service, database, queue or any other system.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "GraphNode"))]
#[serde(deny_unknown_fields)]
pub struct NodeDocument {
    /// Unique, non-empty.
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub id: String,
    /// What the node is (`service`, `database`, …): `node.kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Criticality, 0 the most critical: `node.tier`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<i64>,
    /// The group that owns the node (`require approval owner of …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Labels such as `pii`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Anything else, read as `node.<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, Json>>,
    /// The ids of the nodes this one depends on (non-empty strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<String>>,
    /// Other names of the node (non-empty strings), by which a change may
    /// name it: a target or a backup's `resource` that is no node's id
    /// resolves to the one node with that alias, or else to the one node
    /// whose id or alias it equals ignoring ASCII case. An alias may be
    /// shared by several nodes (naming them by it is then an error), but
    /// may not be another node's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
}

/// `from` depends on `to`: a change to `to` impacts `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "GraphEdge"))]
#[serde(deny_unknown_fields)]
pub struct EdgeDocument {
    /// The dependent node's id.
    pub from: String,
    /// The id of the node it depends on.
    pub to: String,
}

/// The kind of change, as ITIL names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ChangeType"))]
#[serde(rename_all = "lowercase")]
pub enum ChangeTypeDocument {
    /// A pre-approved, low-risk change.
    Standard,
    /// A change that needs assessment and approval.
    Normal,
    /// A change that cannot wait.
    Emergency,
}

/// A change (an RFC): what it touches, when, and the evidence it carries
/// (see docs/language.md, *Inputs: the graph and the change*).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Change"))]
#[serde(deny_unknown_fields)]
pub struct ChangeDocument {
    /// The change's id, such as `CHG0031337`.
    pub id: String,
    /// `standard`, `normal` or `emergency`.
    #[serde(rename = "type")]
    pub change_type: ChangeTypeDocument,
    /// The ids of the graph nodes the change touches (at least one).
    #[cfg_attr(feature = "schema", schemars(length(min = 1)))]
    pub targets: Vec<String>,
    /// When it starts: RFC 3339 with an offset.
    pub start: String,
    /// When it ends (after `start`): RFC 3339 with an offset.
    pub end: String,
    /// Who asked for it; never counts as an approver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<String>,
    /// Approvals given so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<Vec<ApprovalDocument>>,
    /// Backups taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups: Option<Vec<BackupDocument>>,
    /// Overrides of rules that block the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Vec<OverrideDocument>>,
    /// Anything else, read as `change.<name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<BTreeMap<String, Json>>,
}

/// One person's approval on behalf of a group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Approval"))]
#[serde(deny_unknown_fields)]
pub struct ApprovalDocument {
    /// The approving group.
    pub group: String,
    /// Who approved (or was asked to).
    pub by: String,
    /// When (RFC 3339; informational).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Default `approved`; any other status does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ApprovalStatusDocument>,
}

/// Where an approval record stands; only `approved` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "ApprovalStatus"))]
#[serde(rename_all = "snake_case")]
pub enum ApprovalStatusDocument {
    /// Given (the default).
    Approved,
    /// Asked for, not yet given.
    Pending,
    /// Refused.
    Rejected,
    /// Withdrawn before it was given.
    Cancelled,
    /// Not needed after all.
    NotRequired,
}

/// What a backup record's status can be; only `completed` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "BackupStatus"))]
#[serde(rename_all = "snake_case")]
pub enum BackupStatusDocument {
    /// Finished (the default).
    Completed,
    /// Failed.
    Failed,
    /// Finished with parts missing.
    Partial,
    /// Still running.
    InProgress,
}

/// A backup of a graph node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Backup"))]
#[serde(deny_unknown_fields)]
pub struct BackupDocument {
    /// The id of the node backed up.
    pub resource: String,
    /// The kind of backup, such as `snapshot`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// When it was taken: RFC 3339 with an offset.
    pub taken_at: String,
    /// Whether a restore was tested (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
    /// Default `completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BackupStatusDocument>,
}

/// An override of a rule's block by someone of the rule's override group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Override"))]
#[serde(deny_unknown_fields)]
pub struct OverrideDocument {
    /// The rule overridden.
    pub rule: String,
    /// The group the person acts for.
    pub group: String,
    /// Who overrode.
    pub by: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
