//! The change record (an RFC: request for change) that a policy set decides
//! on, read from the JSON of docs/language.md, *The change*.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use crate::value::Value;

mod approval;
mod backup;
mod fast;
mod read;
#[cfg(test)]
mod tests;

pub use approval::{Approval, ApprovalStatus, Override};
pub use backup::{Backup, BackupStatus};

/// The ITIL type of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeType {
    /// A pre-approved, low-risk, routine change.
    Standard,
    /// A change that goes through the usual assessment and approval.
    Normal,
    /// A change that must be made urgently, such as to restore service.
    Emergency,
}

impl ChangeType {
    /// Every type, in the order of docs/language.md, *The change*.
    pub const ALL: [ChangeType; 3] = [
        ChangeType::Standard,
        ChangeType::Normal,
        ChangeType::Emergency,
    ];

    /// The JSON and language spelling: `standard`, `normal` or `emergency`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Standard => "standard",
            ChangeType::Normal => "normal",
            ChangeType::Emergency => "emergency",
        }
    }
}

/// A change: what it touches, when, and the approvals, backups and
/// overrides gathered for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The change's id, such as `CHG0031337`.
    pub id: String,
    /// Standard, normal or emergency.
    pub change_type: ChangeType,
    /// Ids of the graph nodes it touches: non-empty, duplicates removed,
    /// first occurrences in order. They are resolved against the graph at
    /// evaluation.
    pub targets: Vec<String>,
    /// Start of the change window.
    pub start: Timestamp,
    /// End of the change window (after `start`).
    pub end: Timestamp,
    /// Who asked for the change; their own approvals and overrides never count.
    pub requested_by: Option<String>,
    /// Approvals, in the order given.
    pub approvals: Vec<Approval>,
    /// Backups, in the order given.
    pub backups: Vec<Backup>,
    /// Break-glass overrides, in the order given.
    pub overrides: Vec<Override>,
    /// Custom fields, reachable in the language as `change.<name>`.
    pub attributes: BTreeMap<String, Value>,
}

impl Change {
    /// `end - start`.
    pub fn duration(&self) -> SignedDuration {
        self.end.duration_since(self.start)
    }

    /// `change.X` of the language: `id`, `type`, `start`, `end`,
    /// `requested_by`, `targets` (a list of ids), `duration`, and otherwise
    /// `attributes.X`. First-class names always win; missing → `null`.
    pub fn field(&self, name: &str) -> Value {
        match name {
            "id" => Value::str(&self.id),
            "type" => Value::str(self.change_type.as_str()),
            "start" => Value::DateTime(self.start),
            "end" => Value::DateTime(self.end),
            "requested_by" => self.requested_by.as_deref().map_or(Value::Null, Value::str),
            "targets" => Value::List(self.targets.iter().map(|t| Value::str(t)).collect()),
            "duration" => Value::Duration(self.duration()),
            _ => self.attributes.get(name).cloned().unwrap_or(Value::Null),
        }
    }
}
