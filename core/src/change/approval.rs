//! What people granted a change: approvals, and break-glass overrides of
//! single rules.

use jiff::Timestamp;

/// Where an approval record stands. Only [`ApprovalStatus::Approved`]
/// counts: ITSM tools keep a record per approver whatever its state, and the
/// decision lists the others as not counted (see docs/language.md, *The
/// change*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ApprovalStatus {
    /// Given (the default when `status` is absent).
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

impl ApprovalStatus {
    /// Every status.
    pub const ALL: [ApprovalStatus; 5] = [
        ApprovalStatus::Approved,
        ApprovalStatus::Pending,
        ApprovalStatus::Rejected,
        ApprovalStatus::Cancelled,
        ApprovalStatus::NotRequired,
    ];

    /// The JSON spelling: `approved`, `pending`, `rejected`, `cancelled` or
    /// `not_required`.
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalStatus::Approved => "approved",
            ApprovalStatus::Pending => "pending",
            ApprovalStatus::Rejected => "rejected",
            ApprovalStatus::Cancelled => "cancelled",
            ApprovalStatus::NotRequired => "not_required",
        }
    }
}

/// An approval record of the change: granted, or in another state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The approving group, such as `cab` or an owner group.
    pub group: String,
    /// The person who approved (or was asked to).
    pub by: String,
    /// When they approved, if recorded.
    pub at: Option<Timestamp>,
    /// Where the record stands (`approved` when absent); only `approved`
    /// counts.
    pub status: ApprovalStatus,
}

/// A break-glass override of one rule (see docs/language.md, *Break-glass
/// overrides*). Loading accepts any override; the evaluator decides whether
/// it counts (an empty `reason`, for one, never does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The rule it lifts.
    pub rule: String,
    /// The group on whose authority it is made.
    pub group: String,
    /// The person who broke the glass.
    pub by: String,
    /// Why; empty when absent.
    pub reason: String,
}
