//! The shapes that cross the boundary, declared for napi's TypeScript
//! generator: `index.d.ts` is generated from these declarations.
//!
//! Decisions and impact reports reach JavaScript with the keys and values of
//! the decision JSON (spec §4), snake_case (a decision builds each field from
//! core's JSON of it when first read, see `decision`), so these structs only
//! describe them; the corpus type-check
//! (`test/types.test.mjs`) keeps them in step with core. Error objects are
//! built from [`Diagnostic`] and carry camelCase names, as JavaScript errors do.

use napi_derive::napi;

/// The verdict on a change: `denied` beats `pending` beats `approved`.
#[napi(string_enum = "lowercase")]
pub enum Outcome {
    /// Nothing blocks the change and every requirement is met.
    Approved,
    /// Nothing blocks it, but some requirement is unmet.
    Pending,
    /// A rule blocks it.
    Denied,
}

/// The decision on one change (spec §4): the fields of the decision JSON, as
/// `evaluateJson` prints it. `evaluate` returns an object whose fields are
/// getters, built when first read, and whose `toJSON()` is this plain shape.
#[napi(object, use_nullable = true)]
pub struct Decision {
    /// The change's id.
    pub change: String,
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
    /// When the change could start instead (RFC 3339, UTC) if window blocks
    /// alone deny it; `null` otherwise.
    #[napi(js_name = "next_allowed_start")]
    pub next_allowed_start: Option<String>,
    /// The blast radius.
    pub impact: ImpactReport,
    /// Every override the change carries, counted or rejected.
    pub overrides: Vec<OverrideCheck>,
    /// Every rule whose conditions held, sorted by file and line.
    pub fired: Vec<Fired>,
    /// What made the decision.
    pub audit: Audit,
}

/// An approval requirement and how far it is met.
#[napi(object)]
pub struct ApprovalCheck {
    /// The approving group.
    pub group: String,
    /// Distinct approvers needed.
    pub required: u32,
    /// The distinct people who approved and count (never the requester), sorted.
    #[napi(js_name = "granted_by")]
    pub granted_by: Vec<String>,
    /// Whether enough people approved.
    pub satisfied: bool,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<String>,
}

/// A backup requirement for one node.
#[napi(object, use_nullable = true)]
pub struct BackupCheck {
    /// The node to back up.
    pub node: String,
    /// The kind of backup required; `null` for any kind.
    pub kind: Option<String>,
    /// How recent the backup must be before the change's start, such as `24h` or `7d`.
    pub within: String,
    /// Whether the backup must be verified.
    pub verified: bool,
    /// Whether a backup satisfies it.
    pub satisfied: bool,
    /// The most recent backup that satisfies it; `null` when none does.
    pub evidence: Option<Evidence>,
    /// The rules behind the requirement, sorted.
    pub rules: Vec<String>,
}

/// The backup that satisfies a requirement.
#[napi(object)]
pub struct Evidence {
    /// When it was taken (RFC 3339, UTC).
    #[napi(js_name = "taken_at")]
    pub taken_at: String,
}

/// A precondition and whether it holds.
#[napi(object)]
pub struct ConditionCheck {
    /// What is required.
    pub message: String,
    /// Whether it holds.
    pub satisfied: bool,
    /// The rules behind it, sorted.
    pub rules: Vec<String>,
}

/// Something that blocks the change, told apart by `kind`.
#[napi(discriminant = "kind", discriminant_case = "lowercase")]
pub enum Block {
    /// The change overlaps a window it must avoid (`deny during`).
    During {
        /// The window.
        window: String,
        /// The first occurrence of the window that overlaps the change.
        occurrence: Interval,
        /// The rules behind it, sorted.
        rules: Vec<String>,
    },
    /// The change does not fit a window it must lie inside (`deny outside`).
    Outside {
        /// The window.
        window: String,
        /// The rules behind it, sorted.
        rules: Vec<String>,
    },
    /// An explicit `deny "MSG"`.
    Deny {
        /// The message.
        message: String,
        /// The rules behind it, sorted.
        rules: Vec<String>,
    },
}

/// A half-open interval of time, in RFC 3339 UTC.
#[napi(object)]
pub struct Interval {
    /// Inclusive start.
    pub start: String,
    /// Exclusive end.
    pub end: String,
}

/// The blast radius of a change's targets.
#[napi(object)]
pub struct ImpactReport {
    /// The targets, in the order given, duplicates removed.
    pub targets: Vec<String>,
    /// Targets and every node that transitively depends on one, by depth then id.
    pub impacted: Vec<ImpactedNode>,
}

/// One node of the blast radius.
#[napi(object)]
pub struct ImpactedNode {
    /// The node's id.
    pub id: String,
    /// Distance from the nearest target (targets: 0).
    pub depth: u32,
    /// One shortest path from a target to the node: why it is impacted.
    pub path: Vec<String>,
}

/// A break-glass override and whether it counted.
#[napi(object)]
pub struct OverrideCheck {
    /// The rule it names.
    pub rule: String,
    /// The group it invokes.
    pub group: String,
    /// Who broke the glass.
    pub by: String,
    /// Why.
    pub reason: String,
    /// Whether it counted (and lifted the rule).
    pub counted: bool,
    /// Why it was rejected, when it was.
    pub problem: Option<String>,
}

/// A rule whose conditions held.
#[napi(object)]
pub struct Fired {
    /// The rule's name.
    pub rule: String,
    /// The policy file it is in, named as given.
    pub file: String,
    /// The line of its name.
    pub line: u32,
    /// Its `because` text, if it has one.
    pub because: Option<String>,
}

/// What made the decision.
#[napi(object)]
pub struct Audit {
    /// `sha256:` and the digest of the policy sources.
    #[napi(js_name = "policy_digest")]
    pub policy_digest: String,
    /// `changegate` and its version.
    pub engine: String,
}

/// The ITIL type of a change.
#[napi(string_enum = "lowercase")]
pub enum ChangeType {
    /// A pre-approved, low-risk, routine change.
    Standard,
    /// A change that goes through the usual assessment and approval.
    Normal,
    /// A change that must be made urgently, such as to restore service.
    Emergency,
}

/// A change record (spec §2.2), as `JSON.stringify` will send it to the engine.
#[napi(object)]
pub struct Change {
    /// The change's id, such as `CHG0031337`.
    pub id: String,
    /// `standard`, `normal` or `emergency`.
    #[napi(js_name = "type")]
    pub change_type: ChangeType,
    /// Ids of the graph nodes it touches (at least one).
    pub targets: Vec<String>,
    /// Start of the change window (RFC 3339 with an offset).
    pub start: String,
    /// End of the change window, after `start`.
    pub end: String,
    /// Who asked for the change; their own approvals and overrides never count.
    #[napi(js_name = "requested_by")]
    pub requested_by: Option<String>,
    /// Approvals granted.
    pub approvals: Option<Vec<Approval>>,
    /// Backups taken.
    pub backups: Option<Vec<Backup>>,
    /// Break-glass overrides.
    pub overrides: Option<Vec<Override>>,
    /// Custom fields, reachable in the language as `change.<name>`.
    #[napi(ts_type = "Record<string, unknown>")]
    pub attributes: Option<serde_json::Value>,
}

/// An approval granted to a change.
#[napi(object)]
pub struct Approval {
    /// The approving group, such as `cab`.
    pub group: String,
    /// The person who approved.
    pub by: String,
    /// When they approved (RFC 3339); informational.
    pub at: Option<String>,
}

/// The outcome of a backup job; only `completed` backups count.
#[napi(string_enum = "snake_case")]
pub enum BackupStatus {
    /// Finished successfully (the default).
    Completed,
    /// Failed.
    Failed,
    /// Finished with some items missing.
    Partial,
    /// Still running.
    InProgress,
}

/// A backup taken for a change.
#[napi(object)]
pub struct Backup {
    /// The id of the graph node that was backed up.
    pub resource: String,
    /// The kind of backup, such as `snapshot`.
    pub kind: Option<String>,
    /// When it was taken (RFC 3339 with an offset).
    #[napi(js_name = "taken_at")]
    pub taken_at: String,
    /// Whether a restore was verified (`false` when absent).
    pub verified: Option<bool>,
    /// The job's outcome (`completed` when absent).
    pub status: Option<BackupStatus>,
}

/// A break-glass override of one rule.
#[napi(object)]
pub struct Override {
    /// The rule it lifts.
    pub rule: String,
    /// The group on whose authority it is made.
    pub group: String,
    /// The person who broke the glass.
    pub by: String,
    /// Why; an override without a reason never counts.
    pub reason: Option<String>,
}

/// What kind of error was thrown: `err.code`.
#[napi(string_enum = "UPPERCASE")]
pub enum ErrorCode {
    /// The policy does not compile; see `diagnostics`.
    Policy,
    /// The graph or change is invalid, or names an unknown node; see `document` and `path`.
    Input,
    /// A policy or graph file could not be read; see `path`.
    Io,
    /// Evaluation went over a resource limit.
    Limit,
    /// A bug in changegate: the engine panicked (the process lives on).
    Internal,
}

/// The document an input error is in.
#[napi(string_enum = "lowercase")]
pub enum Document {
    /// The graph JSON.
    Graph,
    /// The change JSON.
    Change,
}

/// One problem in a policy, on a `POLICY` error's `diagnostics`.
#[napi(object)]
pub struct Diagnostic {
    /// The policy file, named as given.
    pub file: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column (in characters) of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column (in characters) just past the end.
    pub end_column: u32,
    /// What is wrong: what was expected and what was found.
    pub message: String,
    /// How to fix it, when there is advice.
    pub help: Option<String>,
}

/// The `Error` every changegate function throws (or a promise rejects with):
/// a plain `Error` with these extra properties.
#[napi(object)]
pub struct ChangegateError {
    /// `Error`.
    pub name: String,
    /// What went wrong, as the `message` of the error JSON the CLI prints.
    pub message: String,
    /// The stack, as on every `Error`.
    pub stack: Option<String>,
    /// `POLICY`, `INPUT`, `IO` or `LIMIT` (`INTERNAL` only for a bug).
    pub code: ErrorCode,
    /// How to fix it, when there is advice (policy errors carry theirs on each diagnostic).
    pub help: Option<String>,
    /// `POLICY` only: every problem of every file, in file order, then by position.
    pub diagnostics: Option<Vec<Diagnostic>>,
    /// `INPUT`: the JSON path of the offending value (`targets[2]`, `nodes[17].tier`;
    /// empty for the whole document). `IO`: the file or directory.
    pub path: Option<String>,
    /// `INPUT` only: which document is wrong.
    pub document: Option<Document>,
}
