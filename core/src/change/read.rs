//! The change record (an RFC: request for change) that a policy set decides
//! on, read from the JSON of spec §2.2.

use std::collections::{BTreeMap, HashSet};

use jiff::{SignedDuration, Timestamp};
use serde_json::{Map, Value as Json};

use crate::input::{self, InputError, Path};
use crate::limits::Limits;
use crate::value::Value;

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
    /// Every type, in the order of the spec.
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

/// The outcome of a backup job. Only [`BackupStatus::Completed`] backups
/// satisfy a requirement: tools such as Velero record a completion time even
/// for failed or partial backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BackupStatus {
    /// Finished successfully (the default when `status` is absent).
    Completed,
    /// Failed.
    Failed,
    /// Finished with some items missing.
    Partial,
    /// Still running.
    InProgress,
}

impl BackupStatus {
    /// Every status.
    pub const ALL: [BackupStatus; 4] = [
        BackupStatus::Completed,
        BackupStatus::Failed,
        BackupStatus::Partial,
        BackupStatus::InProgress,
    ];

    /// The JSON spelling: `completed`, `failed`, `partial` or `in_progress`.
    pub fn as_str(self) -> &'static str {
        match self {
            BackupStatus::Completed => "completed",
            BackupStatus::Failed => "failed",
            BackupStatus::Partial => "partial",
            BackupStatus::InProgress => "in_progress",
        }
    }
}

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

/// A backup taken for the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    /// The id of the graph node that was backed up.
    pub resource: String,
    /// The kind of backup, such as `snapshot`.
    pub kind: Option<String>,
    /// When the backup was taken.
    pub taken_at: Timestamp,
    /// Whether a restore was verified (`false` when absent).
    pub verified: bool,
    /// The job's outcome (`completed` when absent).
    pub status: BackupStatus,
}

/// A break-glass override of one rule (spec §3.6). Loading accepts any
/// override; the evaluator decides whether it counts (an empty `reason`, for
/// one, never does).
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

const CHANGE_FIELDS: &[&str] = &[
    "id",
    "type",
    "targets",
    "start",
    "end",
    "requested_by",
    "approvals",
    "backups",
    "overrides",
    "attributes",
];
const APPROVAL_FIELDS: &[&str] = &["group", "by", "at"];
const BACKUP_FIELDS: &[&str] = &["resource", "kind", "taken_at", "verified", "status"];
const OVERRIDE_FIELDS: &[&str] = &["rule", "group", "by", "reason"];

impl Change {
    /// Reads a change from JSON text with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<Change, InputError> {
        Change::from_json_with_limits(text, &Limits::default())
    }

    /// Reads a change from JSON text no larger than `limits.max_input_bytes`.
    pub fn from_json_with_limits(text: &str, limits: &Limits) -> Result<Change, InputError> {
        Change::from_value(&input::parse_json(text, limits)?)
    }

    /// Reads a change from an already parsed JSON document.
    pub fn from_value(v: &Json) -> Result<Change, InputError> {
        let root = Path::Root;
        let obj = input::as_object(v, &root)?;
        input::check_fields(obj, CHANGE_FIELDS, &root, true)?;
        let id = input::req_str(obj, "id", &root)?.to_owned();
        let change_type = change_type(obj, &root)?;
        let targets = targets(obj, &root)?;
        let start = input::req_timestamp(obj, "start", &root)?;
        let end = input::req_timestamp(obj, "end", &root)?;
        if end <= start {
            return Err(root
                .key("end")
                .error(format!("end `{end}` is not after start `{start}`"))
                .with_help("a change must end after it starts"));
        }
        Ok(Change {
            id,
            change_type,
            targets,
            start,
            end,
            requested_by: input::opt_str(obj, "requested_by", &root)?.map(str::to_owned),
            approvals: items(obj, "approvals", APPROVAL_FIELDS, approval)?,
            backups: items(obj, "backups", BACKUP_FIELDS, backup)?,
            overrides: items(obj, "overrides", OVERRIDE_FIELDS, override_)?,
            attributes: input::opt_attributes(obj, "attributes", &root)?,
        })
    }

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

/// Reads a string field as one of a fixed set of spellings.
fn one_of<T: Copy>(
    obj: &Map<String, Json>,
    key: &str,
    path: &Path<'_>,
    what: &str,
    all: &[T],
    name: fn(T) -> &'static str,
) -> Result<Option<T>, InputError> {
    let Some(v) = input::get(obj, key) else {
        return Ok(None);
    };
    let p = path.key(key);
    let s = input::as_str(v, &p)?;
    if let Some(&t) = all.iter().find(|&&t| name(t) == s) {
        return Ok(Some(t));
    }
    let names: Vec<&str> = all.iter().map(|&t| name(t)).collect();
    let err = p.error(format!(
        "unknown {what} `{s}`, expected one of {}",
        input::backticked(&names)
    ));
    let lower = s.to_lowercase();
    Err(match input::did_you_mean(&lower, names.iter().copied()) {
        Some(m) => err.with_help(format!("did you mean `{m}`?")),
        None => err,
    })
}

fn change_type(obj: &Map<String, Json>, root: &Path<'_>) -> Result<ChangeType, InputError> {
    input::required(obj, "type", root)?;
    let t = one_of(
        obj,
        "type",
        root,
        "change type",
        &ChangeType::ALL,
        ChangeType::as_str,
    )?;
    // `required` passed, so only an explicit `null` is left.
    t.ok_or_else(|| root.key("type").error("expected a string, found `null`"))
}

fn targets(obj: &Map<String, Json>, root: &Path<'_>) -> Result<Vec<String>, InputError> {
    let p = root.key("targets");
    let list = input::as_list(input::required(obj, "targets", root)?, &p)?;
    if list.is_empty() {
        return Err(p.error("a change needs at least one target").with_help(
            "list the ids of the graph nodes the change touches, such as `[\"orders-db\"]`",
        ));
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, t) in list.iter().enumerate() {
        let t = input::as_nonempty_str(t, &p.index(i))?;
        if seen.insert(t) {
            out.push(t.to_owned());
        }
    }
    Ok(out)
}

/// Reads optional list `key` of objects with fields `known`, each with `read`.
fn items<T>(
    obj: &Map<String, Json>,
    key: &str,
    known: &[&str],
    read: fn(&Map<String, Json>, &Path<'_>) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let Some(v) = input::get(obj, key) else {
        return Ok(Vec::new());
    };
    let root = Path::Root;
    let lp = root.key(key);
    let mut out = Vec::new();
    for (i, item) in input::as_list(v, &lp)?.iter().enumerate() {
        let p = lp.index(i);
        let o = input::as_object(item, &p)?;
        input::check_fields(o, known, &p, false)?;
        out.push(read(o, &p)?);
    }
    Ok(out)
}

fn approval(o: &Map<String, Json>, p: &Path<'_>) -> Result<Approval, InputError> {
    Ok(Approval {
        group: input::req_str(o, "group", p)?.to_owned(),
        by: input::req_str(o, "by", p)?.to_owned(),
        at: input::opt_timestamp(o, "at", p)?,
    })
}

fn backup(o: &Map<String, Json>, p: &Path<'_>) -> Result<Backup, InputError> {
    Ok(Backup {
        resource: input::req_str(o, "resource", p)?.to_owned(),
        kind: input::opt_str(o, "kind", p)?.map(str::to_owned),
        taken_at: input::req_timestamp(o, "taken_at", p)?,
        verified: input::opt_bool(o, "verified", p)?.unwrap_or(false),
        status: one_of(
            o,
            "status",
            p,
            "backup status",
            &BackupStatus::ALL,
            BackupStatus::as_str,
        )?
        .unwrap_or(BackupStatus::Completed),
    })
}

fn override_(o: &Map<String, Json>, p: &Path<'_>) -> Result<Override, InputError> {
    Ok(Override {
        rule: input::req_str(o, "rule", p)?.to_owned(),
        group: input::req_str(o, "group", p)?.to_owned(),
        by: input::req_str(o, "by", p)?.to_owned(),
        reason: input::opt_str(o, "reason", p)?.unwrap_or("").to_owned(),
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example() -> Json {
        json!({
            "id": "CHG0031337",
            "type": "normal",
            "targets": ["orders-db", "orders-api", "orders-db"],
            "start": "2026-12-22T15:00:00+01:00",
            "end": "2026-12-22T15:30:00Z",
            "requested_by": "carol",
            "approvals": [{"group": "dba", "by": "alice", "at": "2026-12-21T09:00:00Z"},
                          {"group": "cab", "by": "bob"}],
            "backups": [{"resource": "orders-db", "kind": "snapshot",
                         "taken_at": "2026-12-22T10:00:00Z", "verified": true},
                        {"resource": "orders-api", "taken_at": "2026-12-22T10:00:00Z",
                         "status": "partial"}],
            "overrides": [{"rule": "freeze", "group": "cto", "by": "dana"}],
            "attributes": {"category": "database", "risk": "high", "type": "shadowed",
                           "tags": ["schema"]}
        })
    }

    fn with(patch: Json) -> Json {
        let mut v = example();
        for (k, val) in patch.as_object().unwrap() {
            if val == "<absent>" {
                v.as_object_mut().unwrap().remove(k);
            } else {
                v[k] = val.clone();
            }
        }
        v
    }

    #[test]
    fn reads_the_spec_example() {
        let c = Change::from_value(&example()).unwrap();
        assert_eq!(c.id, "CHG0031337");
        assert_eq!(c.change_type, ChangeType::Normal);
        assert_eq!(
            c.targets,
            ["orders-db", "orders-api"],
            "duplicates collapse, order kept"
        );
        assert_eq!(c.requested_by.as_deref(), Some("carol"));
        assert_eq!(c.approvals.len(), 2);
        assert_eq!(c.approvals[1].at, None);
        assert_eq!(
            c.approvals[0].at,
            Some("2026-12-21T09:00:00Z".parse().unwrap())
        );
        assert!(c.backups[0].verified);
        assert_eq!(c.backups[0].status, BackupStatus::Completed);
        assert_eq!(c.backups[0].kind.as_deref(), Some("snapshot"));
        assert!(!c.backups[1].verified);
        assert_eq!(c.backups[1].status, BackupStatus::Partial);
        assert_eq!(c.overrides[0].reason, "", "a missing reason loads as empty");
        let text = serde_json::to_string(&example()).unwrap();
        assert_eq!(Change::from_json(&text).unwrap(), c);
    }

    #[test]
    fn timestamps_with_offsets_are_utc_instants() {
        let c = Change::from_value(&example()).unwrap();
        assert_eq!(
            c.start,
            "2026-12-22T14:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(c.start.to_string(), "2026-12-22T14:00:00Z");
        assert_eq!(c.duration(), SignedDuration::from_mins(90));
    }

    #[test]
    fn fields_of_the_language() {
        let c = Change::from_value(&example()).unwrap();
        assert_eq!(c.field("id"), Value::str("CHG0031337"));
        assert_eq!(
            c.field("type"),
            Value::str("normal"),
            "first-class beats attributes"
        );
        assert_eq!(c.field("start"), Value::DateTime(c.start));
        assert_eq!(c.field("end"), Value::DateTime(c.end));
        assert_eq!(c.field("requested_by"), Value::str("carol"));
        assert_eq!(
            c.field("targets"),
            Value::List(vec![Value::str("orders-db"), Value::str("orders-api")].into())
        );
        assert_eq!(
            c.field("duration"),
            Value::Duration(SignedDuration::from_secs(5400))
        );
        assert_eq!(c.field("risk"), Value::str("high"));
        assert_eq!(
            c.field("tags"),
            Value::List(vec![Value::str("schema")].into())
        );
        assert_eq!(c.field("backout_plan"), Value::Null);
        let c = Change::from_value(&with(json!({"requested_by": "<absent>"}))).unwrap();
        assert_eq!(c.field("requested_by"), Value::Null);
    }

    #[test]
    fn bad_changes_name_the_field() {
        // (patch of the example, path, message fragment, help fragment)
        let cases: &[(Json, &str, &str, &str)] = &[
            (
                json!({"id": null}),
                "id",
                "expected a string, found `null`",
                "",
            ),
            (json!({"id": ""}), "id", "non-empty", ""),
            (
                json!({"type": "Normal"}),
                "type",
                "unknown change type `Normal`, expected one of `standard`, `normal`, `emergency`",
                "did you mean `normal`?",
            ),
            (json!({"type": "routine"}), "type", "expected one of", ""),
            (
                json!({"targets": []}),
                "targets",
                "at least one target",
                "such as",
            ),
            (
                json!({"targets": "orders-db"}),
                "targets",
                "expected a list, found string",
                "",
            ),
            (
                json!({"targets": ["a", "b", 3]}),
                "targets[2]",
                "expected a string, found number `3`",
                "",
            ),
            (
                json!({"start": "2026-12-22T14:00:00"}),
                "start",
                "no UTC offset",
                "add `Z` or an offset such as `+01:00`",
            ),
            (
                json!({"end": "2026-12-22T13:00:00Z"}),
                "end",
                "is not after start",
                "",
            ),
            (
                json!({"end": "2026-12-22T14:00:00Z"}),
                "end",
                "is not after start",
                "",
            ),
            (
                json!({"risk": "high"}),
                "risk",
                "unknown field `risk`",
                "put custom data under `attributes`",
            ),
            (
                json!({"requsted_by": "x"}),
                "requsted_by",
                "unknown field",
                "did you mean `requested_by`?",
            ),
            (
                json!({"approvals": [{"group": "a", "by": "b"}, {"group": "a"}]}),
                "approvals[1].by",
                "missing required field `by`",
                "",
            ),
            (
                json!({"approvals": {"group": "a"}}),
                "approvals",
                "expected a list, found an object",
                "",
            ),
            (
                json!({"approvals": [{"group": "a", "by": "b", "at": "noon"}]}),
                "approvals[0].at",
                "invalid timestamp `noon`",
                "",
            ),
            (
                json!({"backups": [{"resource": "db", "taken_at": "2026-12-22T10:00:00Z", "verifed": true}]}),
                "backups[0].verifed",
                "unknown field `verifed`",
                "did you mean `verified`?",
            ),
            (
                json!({"backups": [{"resource": "db", "taken_at": "2026-12-22T10:00:00Z", "verified": "yes"}]}),
                "backups[0].verified",
                "expected `true` or `false`",
                "",
            ),
            (
                json!({"backups": [{"resource": "db", "taken_at": "2026-12-22T10:00:00Z", "status": "done"}]}),
                "backups[0].status",
                "expected one of `completed`, `failed`, `partial`, `in_progress`",
                "",
            ),
            (
                json!({"backups": [{"resource": "db"}]}),
                "backups[0].taken_at",
                "missing required field `taken_at`",
                "",
            ),
            (
                json!({"overrides": [{"rule": "r", "group": "g", "by": "b", "why": "x"}]}),
                "overrides[0].why",
                "unknown field `why`",
                "known fields: `rule`, `group`, `by`, `reason`",
            ),
            (
                json!({"attributes": ["x"]}),
                "attributes",
                "expected an object",
                "",
            ),
        ];
        for (patch, path, message, help) in cases {
            let err = Change::from_value(&with(patch.clone())).unwrap_err();
            assert_eq!(err.path, *path, "{patch}: {err:?}");
            assert!(err.message.contains(message), "{patch}: {err:?}");
            let got = err.help.clone().unwrap_or_default();
            assert!(got.contains(help), "{patch}: {err:?}");
        }
        for missing in ["id", "type", "targets", "start", "end"] {
            let err = Change::from_value(&with(json!({ missing: "<absent>" }))).unwrap_err();
            assert_eq!(err.path, missing);
            assert_eq!(err.message, format!("missing required field `{missing}`"));
        }
    }

    #[test]
    fn bad_text_and_limits() {
        let err = Change::from_json("{\"id\": ").unwrap_err();
        assert_eq!(err.path, "");
        assert!(err.message.starts_with("invalid JSON"), "{err:?}");
        let err = Change::from_json("[]").unwrap_err();
        assert_eq!(err.message, "expected an object, found a list");
        let text = serde_json::to_string(&example()).unwrap();
        let limits = Limits {
            max_input_bytes: 100,
            ..Limits::default()
        };
        let err = Change::from_json_with_limits(&text, &limits).unwrap_err();
        assert!(err.message.contains("limit of 100 bytes"), "{err:?}");
    }
}
