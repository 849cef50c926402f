//! The decision's types: the verdict, and each check, block and record
//! behind it (see docs/language.md, *The decision*).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{ImpactReport, Time};

/// A shared string: ids, group and rule names are shared with the policy
/// and the graph instead of copied into every decision.
pub type Text = Arc<str>;

/// The verdict on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Nothing blocks the change and every requirement is met.
    Approved,
    /// Nothing blocks it, but some requirement is unmet.
    Pending,
    /// A rule blocks it.
    Denied,
}

impl Outcome {
    /// `approved`, `pending` or `denied`.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Approved => "approved",
            Outcome::Pending => "pending",
            Outcome::Denied => "denied",
        }
    }
}

/// The result of checking one change against a policy and a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Decision {
    /// The change's id.
    pub change: Text,
    /// `denied` > `pending` > `approved`.
    pub outcome: Outcome,
    /// One entry per required approval group, sorted by group.
    pub approvals: Vec<ApprovalCheck>,
    /// One entry per required backup (node and kind), sorted by node then kind.
    pub backups: Vec<BackupCheck>,
    /// Preconditions (`require … else`) and other unmet facts, sorted by message.
    pub conditions: Vec<ConditionCheck>,
    /// What blocks the change, sorted by kind then window or message.
    pub blocks: Vec<Block>,
    /// When the change could start instead, if it is denied only by windows.
    pub next_allowed_start: Option<Time>,
    /// Present only when a limit stopped the search for
    /// `next_allowed_start` (which is then `null`); without it, a `null`
    /// for a change denied only by windows means no start within 366 days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_allowed_start_limit: Option<NextStartLimit>,
    /// The blast radius.
    pub impact: ImpactReport,
    /// Every override the change carries, counted or rejected.
    pub overrides: Vec<OverrideCheck>,
    /// Every rule whose conditions held, sorted by file and line. Entries
    /// are shared with the compiled policy (and every other decision).
    pub fired: Vec<Arc<Fired>>,
    /// What made the decision.
    pub audit: Audit,
}

/// The limit that stopped the search for the next allowed start; the
/// outcome and blocks are complete all the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct NextStartLimit {
    /// Which limit: `max_window_scan` (a field of [`crate::Limits`]) or
    /// `cron_calendar` (cron occurrences exist for the years 1 to 4999).
    pub limit: String,
    /// What the search reached, as the limit error says it.
    pub message: String,
    /// How to let the search finish.
    pub help: String,
}

/// An approval requirement and how far it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct ApprovalCheck {
    /// The approving group.
    pub group: Text,
    /// Distinct approvers needed (the largest count any rule asked).
    pub required: u32,
    /// The distinct people who approved and count (never the requester), sorted.
    pub granted_by: Vec<Text>,
    /// Whether enough people approved.
    pub satisfied: bool,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<Text>,
    /// The group's approval records that do not count because their status
    /// is not `approved`, distinct, sorted by person then status; absent
    /// from the JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_counted: Vec<NotCounted>,
}

/// An approval record that does not count, and its status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct NotCounted {
    /// The person.
    pub by: Text,
    /// `pending`, `rejected`, `cancelled` or `not_required`.
    pub status: NotCountedStatus,
}

/// The status of an approval record that does not count: every approval
/// status but `approved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotCountedStatus {
    // In the order of their names, so that the derived order sorts as the
    // decision does.
    /// Withdrawn before it was given.
    Cancelled,
    /// Not needed after all.
    NotRequired,
    /// Asked for, not yet given.
    Pending,
    /// Refused.
    Rejected,
}

impl NotCountedStatus {
    /// The status of a record that does not count, or `None` for
    /// `approved`.
    pub fn of(status: crate::change::ApprovalStatus) -> Option<NotCountedStatus> {
        use crate::change::ApprovalStatus as S;
        match status {
            S::Approved => None,
            S::Pending => Some(NotCountedStatus::Pending),
            S::Rejected => Some(NotCountedStatus::Rejected),
            S::Cancelled => Some(NotCountedStatus::Cancelled),
            S::NotRequired => Some(NotCountedStatus::NotRequired),
        }
    }
}

/// A backup requirement for one node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct BackupCheck {
    /// The node to back up.
    pub node: Text,
    /// The kind of backup required; `null` for any kind.
    pub kind: Option<Text>,
    /// How recent the backup must be, before the change's start.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "changegate-duration")))]
    pub within: Text,
    /// Whether the backup must be verified.
    pub verified: bool,
    /// Whether a backup satisfies it.
    pub satisfied: bool,
    /// The most recent backup that satisfies it.
    pub evidence: Option<Evidence>,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<Text>,
}

/// The backup that satisfies a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Evidence {
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: Time,
}

/// A precondition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct ConditionCheck {
    /// What is required.
    pub message: Text,
    /// Whether it holds.
    pub satisfied: bool,
    /// The rules behind it, sorted.
    pub rules: Vec<Text>,
}

/// The kind of a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// The change overlaps a window it must avoid (`deny during`).
    During,
    /// The change does not fit a window it must lie inside (`deny outside`).
    Outside,
    /// An explicit `deny "MSG"`.
    Deny,
}

/// Something that blocks the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Block {
    /// `during`, `outside` or `deny`.
    pub kind: BlockKind,
    /// The window, for `during` and `outside`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<Text>,
    /// The message, for `deny`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
    /// For `during`, the first occurrence of the window that overlaps the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurrence: Option<Interval>,
    /// The rules behind it, sorted.
    pub rules: Vec<Text>,
}

/// A half-open interval of time, in RFC 3339 UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Interval {
    /// Inclusive start.
    pub start: Time,
    /// Exclusive end.
    pub end: Time,
}

/// A break-glass override and whether it counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct OverrideCheck {
    /// The rule it names.
    pub rule: Text,
    /// The group it invokes.
    pub group: Text,
    /// Who broke the glass.
    pub by: Text,
    /// Why.
    pub reason: Text,
    /// Whether it counted (and lifted the rule).
    pub counted: bool,
    /// Why it was rejected, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// A rule whose conditions held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Fired {
    /// The rule's name.
    pub rule: Text,
    /// The policy file it is in.
    pub file: Text,
    /// The line of its name.
    pub line: u32,
    /// Its `because` text, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<Text>,
}

/// What made the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Audit {
    /// `sha256:` and the digest of the policy sources.
    pub policy_digest: Text,
    /// `changegate` and its version.
    pub engine: Text,
}
