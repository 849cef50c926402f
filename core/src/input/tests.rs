//! Tests of JSON paths, typed readers, unknown fields and document limits.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;
use crate::limits::Limits;
use serde_json::json;

#[test]
fn paths_render_like_json_paths() {
    let root = Path::Root;
    let nodes = root.key("nodes");
    let n3 = nodes.index(3);
    let dep = n3.key("depends_on");
    assert_eq!(dep.index(1).render(), "nodes[3].depends_on[1]");
    assert_eq!(root.render(), "");
    assert_eq!(root.index(0).render(), "[0]");
}

#[test]
fn display_names_path_unless_root() {
    assert_eq!(
        InputError::new("nodes[1].tier", "expected an integer").to_string(),
        "expected an integer at `nodes[1].tier`"
    );
    assert_eq!(
        InputError::new("", "invalid JSON").to_string(),
        "invalid JSON"
    );
}

#[test]
fn integers_reject_floats_strings_and_huge_numbers() {
    let p = Path::Root;
    assert_eq!(as_int(&json!(-3), &p), Ok(-3));
    let e = as_int(&json!(1.5), &p).unwrap_err();
    assert_eq!(e.message, "expected an integer, found number `1.5`");
    let e = as_int(&json!(u64::MAX), &p).unwrap_err();
    assert!(e.message.contains("out of range"), "{}", e.message);
    let e = as_int(&json!("1"), &p).unwrap_err();
    assert_eq!(e.message, "expected an integer, found string `\"1\"`");
}

#[test]
fn timestamps_need_an_offset() {
    let p = Path::Root;
    let t = as_timestamp(&json!("2026-12-22T15:00:00+01:00"), &p).unwrap();
    assert_eq!(t.to_string(), "2026-12-22T14:00:00Z");
    let e = as_timestamp(&json!("2026-12-22T14:00:00"), &p).unwrap_err();
    assert!(e.message.contains("no UTC offset"), "{}", e.message);
    assert_eq!(
        e.help.as_deref(),
        Some("add `Z` or an offset such as `+01:00`")
    );
    let e = as_timestamp(&json!("2026-12-22"), &p).unwrap_err();
    assert!(e.message.contains("no time"), "{}", e.message);
    let e = as_timestamp(&json!("tomorrow"), &p).unwrap_err();
    assert!(
        e.message.starts_with("invalid timestamp `tomorrow`"),
        "{}",
        e.message
    );
    let e = as_timestamp(&json!(5), &p).unwrap_err();
    assert!(e.message.contains("found number `5`"), "{}", e.message);
}

#[test]
fn unknown_fields_suggest_a_fix() {
    let obj = json!({"resource": "db", "verifed": true});
    let obj = obj.as_object().unwrap();
    let root = Path::Root;
    let p = root.key("backups");
    let p = p.index(0);
    let e = check_fields(obj, &["resource", "verified"], &p, false).unwrap_err();
    assert_eq!(e.path, "backups[0].verifed");
    assert_eq!(e.message, "unknown field `verifed`");
    assert_eq!(e.help.as_deref(), Some("did you mean `verified`?"));
    let obj = json!({"region": "eu"});
    let e = check_fields(obj.as_object().unwrap(), &["id", "kind"], &Path::Root, true).unwrap_err();
    assert_eq!(
        e.help.as_deref(),
        Some("put custom data under `attributes`")
    );
    let e = check_fields(
        obj.as_object().unwrap(),
        &["id", "kind"],
        &Path::Root,
        false,
    )
    .unwrap_err();
    assert_eq!(e.help.as_deref(), Some("known fields: `id`, `kind`"));
}

#[test]
fn bad_json_and_oversized_text_are_errors_at_the_root() {
    let e = parse_json("{\"a\": 1,}", &Limits::default()).unwrap_err();
    assert_eq!(e.path, "");
    assert!(e.message.contains("line 1 column 9"), "{}", e.message);
    let limits = Limits {
        max_input_bytes: 4,
        ..Limits::default()
    };
    let e = parse_json("[1, 2]", &limits).unwrap_err();
    assert!(
        e.message.contains("more than the limit of 4 bytes"),
        "{}",
        e.message
    );
}

#[test]
fn null_optional_fields_are_absent_but_required_ones_are_not() {
    let obj = json!({"kind": null, "id": null});
    let obj = obj.as_object().unwrap();
    assert_eq!(opt_str(obj, "kind", &Path::Root), Ok(None));
    let e = req_str(obj, "id", &Path::Root).unwrap_err();
    assert_eq!(
        (e.path.as_str(), e.message.as_str()),
        ("id", "expected a string, found `null`")
    );
    let e = req_str(obj, "owner", &Path::Root).unwrap_err();
    assert_eq!(e.message, "missing required field `owner`");
    assert_eq!(e.path, "owner");
}
