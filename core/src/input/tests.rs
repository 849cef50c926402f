//! Tests of JSON paths, typed readers, unknown fields and document limits.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;
use crate::limits::Limits;
use serde_json::{Value as Json, json};

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

#[test]
fn one_rule_decides_what_is_suggested() {
    // A third of the longer length in edits, and always one.
    assert_eq!(did_you_mean("teir", ["kind", "tier"]), Some("tier"));
    assert_eq!(did_you_mean("dbb", ["api", "db"]), Some("db"));
    assert_eq!(did_you_mean("verifed", ["verified"]), Some("verified"));
    assert_eq!(did_you_mean("xyz", ["id"]), None);
    assert_eq!(did_you_mean("abcdefghi", ["abcdefxyz"]), Some("abcdefxyz"));
    assert_eq!(did_you_mean("abcdefghi", ["abcdewxyz"]), None);
    // Lengths are in characters.
    assert_eq!(did_you_mean("zürich", ["zurich"]), Some("zurich"));
    // The closest wins; among equally close, the first in alphabetical
    // order, whatever the order of the candidates.
    assert_eq!(
        did_you_mean("ordres-db", ["orders-api", "orders-db"]),
        Some("orders-db")
    );
    assert_eq!(did_you_mean("node-b", ["node-c", "node-a"]), Some("node-a"));
    assert_eq!(did_you_mean("node-b", ["node-a", "node-c"]), Some("node-a"));
    // Searches are bounded: a word over 256 bytes gets nothing.
    let long = "x".repeat(300);
    assert_eq!(did_you_mean(&long, [long.as_str()]), None);
}

#[test]
fn several_suggestions_are_the_equally_close_ones_in_any_form() {
    // A time zone compared by its full name and its last part.
    let zones = [
        ("europe/berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"),
        ("europe/dublin", "Europe/Dublin"),
        ("dublin", "Europe/Dublin"),
        ("utc", "UTC"),
        ("etc/utc", "Etc/UTC"),
        ("utc", "Etc/UTC"),
        ("etc/uct", "Etc/UCT"),
        ("uct", "Etc/UCT"),
    ];
    assert_eq!(suggest::suggestions("berlni", zones, 3), ["Europe/Berlin"]);
    assert_eq!(suggest::suggestions("berlin", zones, 3), ["Europe/Berlin"]);
    assert_eq!(suggest::suggestions("utc", zones, 3), ["Etc/UTC", "UTC"]);
    assert_eq!(suggest::suggestions("utc", zones, 1), ["Etc/UTC"]);
    assert!(suggest::suggestions("mars/olympus", zones, 3).is_empty());
}

#[test]
fn a_repeated_key_is_an_error_at_its_path() {
    let text = r#"{"approvals": [{"group": "cab", "group": "dba"}]}"#;
    let e = parse_json(text, &Limits::default()).unwrap_err();
    assert_eq!(e.path, "approvals[0].group");
    assert_eq!(e.message, "duplicate key `group`");
    assert_eq!(
        e.help.as_deref(),
        Some("a key may appear once in an object; remove one of them")
    );
    assert_eq!(
        e.to_string(),
        "duplicate key `group` at `approvals[0].group`"
    );
    // At any depth, at the top, and however the key is written.
    for (text, path) in [
        (r#"[[{"x": {"y": 1, "y": 1}}]]"#, "[0][0].x.y"),
        (r#"{"a": 1, "b": 2, "a": 1}"#, "a"),
        (r#"{"a": 1, "\u0061": 2}"#, "a"),
        (r#"{"k": [{}, {"a": null, "a": {}}]}"#, "k[1].a"),
    ] {
        let e = parse_json(text, &Limits::default()).unwrap_err();
        assert_eq!(e.path, path, "{text}");
    }
    // The same key in different objects is fine.
    let v = parse_json(r#"[{"a": 1}, {"a": 2, "b": {"a": 3}}]"#, &Limits::default());
    assert!(v.is_ok(), "{v:?}");
}

#[test]
fn documents_without_repeated_keys_read_as_serde_json_reads_them() {
    for text in [
        r#"{"s": "x\ny\u00e9", "n": [0, -1, 18446744073709551615, -9223372036854775808, 1.5, 1e300, -0.0], "b": [true, false, null], "o": {"z": {}, "a": []}}"#,
        "[]",
        "\"text\"",
        " 42 ",
        "null",
    ] {
        let ours = parse_json(text, &Limits::default()).unwrap();
        let theirs: Json = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs, "{text}");
        // Key order is kept too.
        assert_eq!(ours.to_string(), theirs.to_string());
    }
    // Text that is not JSON gives serde_json's error, with its place.
    for text in ["{\"a\": 1,}", "[1, 2", "1e400", "{\"a\": 1} x", ""] {
        let ours = parse_json(text, &Limits::default()).unwrap_err();
        let theirs = serde_json::from_str::<Json>(text).unwrap_err();
        assert_eq!(ours, json_error(&theirs), "{text}");
    }
}
