//! What people granted a change: approvals, and break-glass overrides of
//! single rules.

use jiff::Timestamp;

/// An approval granted to the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    /// The approving group, such as `cab` or an owner group.
    pub group: String,
    /// The person who approved.
    pub by: String,
    /// When they approved, if recorded.
    pub at: Option<Timestamp>,
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
