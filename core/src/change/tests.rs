//! Tests of reading a change and of its language fields.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;
use crate::limits::Limits;
use serde_json::Value as Json;
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
fn approval_statuses() {
    let c = Change::from_value(&with(json!({"approvals": [
        {"group": "cab", "by": "alice"},
        {"group": "cab", "by": "bob", "status": "approved"},
        {"group": "cab", "by": "dana", "status": "pending"},
        {"group": "cab", "by": "erin", "status": "rejected"},
        {"group": "cab", "by": "fay", "status": "cancelled"},
        {"group": "cab", "by": "gus", "status": "not_required"},
        {"group": "cab", "by": "hal", "status": null},
    ]})))
    .unwrap();
    let got: Vec<ApprovalStatus> = c.approvals.iter().map(|a| a.status).collect();
    use ApprovalStatus as S;
    assert_eq!(
        got,
        [
            S::Approved,
            S::Approved,
            S::Pending,
            S::Rejected,
            S::Cancelled,
            S::NotRequired,
            S::Approved
        ],
        "absent and `null` read as approved"
    );
    for s in ApprovalStatus::ALL {
        let a = json!({"approvals": [{"group": "cab", "by": "x", "status": s.as_str()}]});
        assert_eq!(Change::from_value(&with(a)).unwrap().approvals[0].status, s);
    }
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
            json!({"approvals": [{"group": "a", "by": "b", "status": "canceled"}]}),
            "approvals[0].status",
            "unknown approval status `canceled`, expected one of `approved`, `pending`, `rejected`, `cancelled`, `not_required`",
            "did you mean `cancelled`?",
        ),
        (
            json!({"approvals": [{"group": "a", "by": "b", "status": "Not_Required"}]}),
            "approvals[0].status",
            "unknown approval status `Not_Required`",
            "did you mean `not_required`?",
        ),
        (
            json!({"approvals": [{"group": "a", "by": "b", "status": true}]}),
            "approvals[0].status",
            "expected a string, found",
            "",
        ),
        (
            json!({"approvals": [{"group": "a", "by": "b", "state": "approved"}]}),
            "approvals[0].state",
            "unknown field `state`",
            "did you mean `status`?",
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
fn a_repeated_key_is_an_error_naming_it() {
    let mut v = example();
    v["approvals"] = json!([{"group": "cab", "by": "bob"}]);
    let text = serde_json::to_string(&v)
        .unwrap()
        .replace(r#""group":"cab""#, r#""group":"cab","group":"dba""#);
    let err = Change::from_json(&text).unwrap_err();
    assert_eq!(err.path, "approvals[0].group");
    assert_eq!(err.message, "duplicate key `group`");
    assert_eq!(
        err.help.as_deref(),
        Some("a key may appear once in an object; remove one of them")
    );
    let text = r#"{"id": "C", "targets": ["a"], "targets": ["b"]}"#;
    assert_eq!(Change::from_json(text).unwrap_err().path, "targets");
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

/// The quick reader of valid changes takes exactly what the path-precise
/// reader takes, and reads it the same; everything else is left to the
/// latter, whose errors are then the ones reported.
#[test]
fn the_quick_reader_agrees_with_the_precise_one() {
    let ok = [
        r#"{"id": "C", "type": "normal", "targets": ["a", "b", "a"],
            "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00+00:30",
            "requested_by": "", "approvals": [{"group": "cab", "by": "x", "at": null,
            "status": "rejected"}], "backups": [{"resource": "a", "kind": "",
            "taken_at": "2026-01-01T09:00:00Z", "verified": null, "status": null}],
            "overrides": [{"rule": "r", "group": "g", "by": "y", "reason": null}],
            "attributes": {"n": 1.5, "l": [1, "x", {"k": null}]}}"#,
        r#"{"id": "\u0043", "type": "emergency", "targets": ["a"], "attributes": null,
            "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z",
            "approvals": null, "backups": [], "requested_by": null}"#,
    ];
    for text in ok {
        let fast = super::fast::read(text);
        assert!(fast.is_some(), "{text}");
        let precise = Change::from_value(&serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(fast.unwrap(), precise);
    }
    let base =
        r#""type": "normal", "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z""#;
    let not_quick = [
        r#"["C", "normal", ["a"], "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z"]"#.to_owned(),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "approvals": [["cab", "x"]]}}"#),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "extra": 1}}"#),
        format!(r#"{{"id": "C", "id": "D", "targets": ["a"], {base}}}"#),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "attributes": {{"k": 1, "k": 2}}}}"#),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "attributes": [1]}}"#),
        format!(r#"{{"id": "", "targets": ["a"], {base}}}"#),
        format!(r#"{{"id": "C", "targets": [], {base}}}"#),
        format!(r#"{{"id": "C", "targets": [""], {base}}}"#),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "backups": [{{"resource": "a"}}]}}"#),
        format!(r#"{{"id": "C", "targets": ["a"], {base}, "overrides": [null]}}"#),
        r#"{"id": "C", "type": "Normal", "targets": ["a"], "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"}"#.to_owned(),
        r#"{"id": "C", "type": "normal", "targets": ["a"], "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T10:00:00Z"}"#.to_owned(),
        r#"{"id": "C", "type": "normal", "targets": ["a"], "start": "2026-01-01T10:00:00", "end": "2026-01-01T11:00:00Z"}"#.to_owned(),
    ];
    for text in &not_quick {
        assert!(super::fast::read(text).is_none(), "{text}");
        assert!(Change::from_json(text).is_err(), "{text}");
    }
}
