//! Unit tests of the ServiceNow adapters: fields in every shape, names,
//! dates, codes, approval states, relationship types; and that no input
//! makes them panic.

use jiff::tz::TimeZone;
use proptest::prelude::*;
use serde_json::{Value as Json, json};

use super::approvals::Status;
use super::codes::Code;
use super::options::Direction;
use super::records::{self, Field, Names, Parsed, attribute};
use super::relations::{Types, fold};
use super::{change, cmdb, dates};
use crate::limits::Limits;
use crate::source::Source;

fn parsed(json: Json) -> Vec<Parsed> {
    vec![Parsed {
        name: "t.json".to_owned(),
        json,
    }]
}

fn field(record: Json, name: &str) -> Result<Field, String> {
    let files = parsed(json!({ "result": record }));
    let recs = records::records(&files, "t").map_err(|e| e.to_string())?;
    let r = recs.first().ok_or("no record")?;
    r.field(name, "record `x`").map_err(|e| e.to_string())
}

fn f(value: Option<&str>, display: Option<&str>, reference: bool) -> Field {
    Field {
        value: value.map(str::to_owned),
        display: display.map(str::to_owned),
        reference,
    }
}

#[test]
fn a_field_reads_in_every_shape() {
    let id = "b0c25d1bc0a800090168be1bfcdcd759";
    let link = format!("https://x.service-now.com/api/now/table/cmdb_ci/{id}");
    assert_eq!(
        field(json!({"risk": "3"}), "risk"),
        Ok(f(Some("3"), None, false))
    );
    assert_eq!(
        field(json!({"risk": 3}), "risk"),
        Ok(f(Some("3"), None, false))
    );
    assert_eq!(field(json!({"risk": ""}), "risk"), Ok(f(None, None, false)));
    assert_eq!(
        field(json!({"risk": null}), "risk"),
        Ok(f(None, None, false))
    );
    assert_eq!(field(json!({}), "risk"), Ok(f(None, None, false)));
    // a reference, raw and bare
    assert_eq!(
        field(json!({"cmdb_ci": {"link": link, "value": id}}), "cmdb_ci"),
        Ok(f(Some(id), None, true))
    );
    assert_eq!(
        field(json!({"cmdb_ci": id}), "cmdb_ci"),
        Ok(f(Some(id), None, false))
    );
    // sysparm_display_value=all
    assert_eq!(
        field(
            json!({"cmdb_ci": {"display_value": "orders-db", "link": link, "value": id}}),
            "cmdb_ci"
        ),
        Ok(f(Some(id), Some("orders-db"), true))
    );
    assert_eq!(
        field(
            json!({"risk": {"display_value": "Moderate", "value": "3"}}),
            "risk"
        ),
        Ok(f(Some("3"), Some("Moderate"), false))
    );
    assert_eq!(
        field(json!({"risk": {"display_value": "", "value": ""}}), "risk"),
        Ok(f(None, None, false))
    );
    // sysparm_display_value=true: a plain string is a display value too
    let display_only = json!({
        "cmdb_ci": {"display_value": "orders-db", "link": link},
        "start_date": "2026-12-22 15:00:00"
    });
    assert_eq!(
        field(display_only, "start_date"),
        Ok(f(None, Some("2026-12-22 15:00:00"), false))
    );
}

#[test]
fn a_field_of_another_shape_is_an_error_naming_record_and_field() {
    let e = field(json!({"risk": {"value": "3", "label": "x"}}), "risk").unwrap_err();
    assert!(
        e.contains("record `x`: `risk` is an object with a field `label`"),
        "{e}"
    );
    let e = field(json!({"risk": ["3"]}), "risk").unwrap_err();
    assert!(e.contains("`risk` is a list"), "{e}");
    let e = field(json!({"risk": {"value": {"a": 1}}}), "risk").unwrap_err();
    assert!(e.contains("whose `value` is an object"), "{e}");
}

#[test]
fn files_must_be_table_api_results() {
    for bad in [
        json!([]),
        json!({"records": []}),
        json!({"result": 3}),
        json!({"result": [1]}),
    ] {
        assert!(
            records::records(&parsed(bad.clone()), "t").is_err(),
            "{bad}"
        );
    }
    let one = parsed(json!({"result": {"sys_id": "a"}}));
    let recs = records::records(&one, "t").unwrap_or_default();
    assert_eq!(recs.first().map(|r| r.place.as_str()), Some("result"));
    let list = parsed(json!({"result": [{"sys_id": "a"}, {"sys_id": "b"}]}));
    let recs = records::records(&list, "t").unwrap_or_default();
    assert_eq!(recs.get(1).map(|r| r.place.as_str()), Some("result[1]"));
}

#[test]
fn names_resolve_sys_ids_the_export_names_elsewhere() {
    let files = parsed(json!({"result": [
        {"approver": {"display_value": "Alice Ng", "link": "l", "value": "u1"}},
        {"approver": {"link": "l", "value": "u1"}, "group": "g1"}
    ]}));
    let recs = records::records(&files, "t").unwrap_or_default();
    let mut names = Names::default();
    names.learn(&recs);
    assert_eq!(
        names.shown(&f(Some("u1"), None, true)),
        Some("Alice Ng".to_owned())
    );
    assert_eq!(
        names.shown(&f(Some("g1"), None, false)),
        Some("g1".to_owned())
    );
    assert_eq!(names.shown(&f(None, None, false)), None);
    // a reference is kept by name, a value by its raw form, booleans as such
    assert_eq!(
        attribute(&f(Some("u1"), None, true), &names),
        Some(json!("Alice Ng"))
    );
    assert_eq!(
        attribute(&f(Some("3"), Some("Moderate"), false), &names),
        Some(json!("3"))
    );
    assert_eq!(
        attribute(&f(Some("true"), None, false), &names),
        Some(json!(true))
    );
}

#[test]
fn raw_dates_are_utc_and_display_dates_need_a_zone() {
    assert_eq!(
        dates::utc("2026-12-22 14:00:00").map(|t| t.to_string()),
        Some("2026-12-22T14:00:00Z".to_owned())
    );
    for bad in [
        "2026-13-01 10:00:00",
        "2026-12-22T14:00:00Z",
        "12/22/2026 02:00:00 PM",
        "",
    ] {
        assert_eq!(dates::utc(bad), None, "{bad}");
    }
    let berlin = TimeZone::get("Europe/Berlin").unwrap_or(TimeZone::UTC);
    assert_eq!(
        dates::in_zone("2026-12-22 15:00:00", &berlin).map(|t| t.to_string()),
        Ok("2026-12-22T14:00:00Z".to_owned())
    );
    assert_eq!(
        dates::in_zone("2026-07-01 15:00:00", &berlin).map(|t| t.to_string()),
        Ok("2026-07-01T13:00:00Z".to_owned())
    );
    // skipped (spring forward) and repeated (fall back) local times
    assert!(dates::in_zone("2026-03-29 02:30:00", &berlin).is_err());
    assert!(dates::in_zone("2026-10-25 02:30:00", &berlin).is_err());
}

#[test]
fn codes_read_raw_values_and_labels() {
    assert_eq!(Code::raw("-5"), Some(-5));
    assert_eq!(Code::raw("high"), None);
    assert_eq!(Code::Risk.name(1), Some("very high"));
    assert_eq!(Code::Risk.name(4), Some("low"));
    assert_eq!(Code::Impact.name(2), Some("medium"));
    assert_eq!(Code::Priority.name(5), Some("planning"));
    assert_eq!(Code::State.name(-1), Some("implement"));
    assert_eq!(Code::State.name(4), Some("canceled"));
    assert_eq!(Code::State.name(7), None);
    assert_eq!(Code::Risk.label("Very High"), Some(1));
    assert_eq!(Code::Impact.label("2 - Medium"), Some(2));
    assert_eq!(Code::Priority.label("1 - Critical"), Some(1));
    assert_eq!(Code::State.label("Cancelled"), Some(4));
    assert_eq!(Code::State.label("Scheduled"), Some(-2));
    assert_eq!(Code::Urgency.label("soon"), None);
}

#[test]
fn approval_states_map_to_statuses() {
    for (s, want) in [
        ("not requested", Status::Pending),
        ("Not Yet Requested", Status::Pending),
        ("requested", Status::Pending),
        ("approved", Status::Approved),
        ("rejected", Status::Rejected),
        ("cancelled", Status::Cancelled),
        ("not_required", Status::NotRequired),
        ("No Longer Required", Status::NotRequired),
        ("duplicate", Status::NotRequired),
    ] {
        assert_eq!(Status::parse(s), Some(want), "{s}");
    }
    assert_eq!(Status::parse("maybe"), None);
}

#[test]
fn relationship_types_have_directions_by_name_or_sys_id() {
    let types = Types::new(&Default::default());
    assert_eq!(fold(" Depends on :: Used  by "), "depends on::used by");
    assert_eq!(
        types.direction("Depends on::Used by"),
        Some(Direction::ParentDependsOnChild)
    );
    assert_eq!(
        types.direction("runs on::runs"),
        Some(Direction::ParentDependsOnChild)
    );
    assert_eq!(
        types.direction("Contains::Contained by"),
        Some(Direction::ChildDependsOnParent)
    );
    assert_eq!(
        types.direction("Connects to::Connected by"),
        Some(Direction::Both)
    );
    assert_eq!(
        types.direction("1a9cb166f1571100a92eb60da2bce5c5"),
        Some(Direction::ParentDependsOnChild)
    );
    assert_eq!(types.direction("Feeds::Fed by"), None);
    let user = [
        ("Feeds::Fed by".to_owned(), Direction::ChildDependsOnParent),
        ("Contains::Contained by".to_owned(), Direction::None),
        (
            "e94e3d0dc3731000fb1ad6a31d40dd4b".to_owned(),
            Direction::Both,
        ),
    ]
    .into_iter()
    .collect();
    let types = Types::new(&user);
    assert_eq!(
        types.direction("feeds::fed by"),
        Some(Direction::ChildDependsOnParent)
    );
    assert_eq!(
        types.direction("Contains::Contained by"),
        Some(Direction::None)
    );
    // a built-in sys_id follows the user's override of its name
    assert_eq!(
        types.direction("55c95bf6c0a8010e0118ec7056ebc54d"),
        Some(Direction::None)
    );
    assert_eq!(
        types.direction("e94e3d0dc3731000fb1ad6a31d40dd4b"),
        Some(Direction::Both)
    );
}

fn source(text: &str) -> Vec<Source> {
    vec![Source {
        name: "in.json".to_owned(),
        text: text.to_owned(),
    }]
}

#[test]
fn a_file_over_the_size_limit_is_an_error() {
    let limits = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    let text = r#"{"result": [{"sys_id": "a", "name": "b"}]}"#;
    let e = cmdb::import(&source(text), &[], &Json::Null, &limits).err();
    assert!(
        e.is_some_and(|e| e.to_string().contains("more than the limit")),
        "no size error"
    );
}

/// Arbitrary JSON of bounded depth, with the keys the adapters read.
fn json_value() -> impl Strategy<Value = Json> {
    let key = prop::sample::select(vec![
        "sys_id",
        "number",
        "type",
        "start_date",
        "end_date",
        "cmdb_ci",
        "state",
        "risk",
        "approver",
        "group",
        "sysapproval",
        "ci_item",
        "task",
        "name",
        "parent",
        "child",
        "value",
        "display_value",
        "link",
        "business_criticality",
        "u_x",
        "result",
    ]);
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i32>().prop_map(Json::from),
        prop::sample::select(vec![
            "",
            "3",
            "-5",
            "normal",
            "approved",
            "2026-12-22 14:00:00",
            "Depends on::Used by",
            "1 - most critical",
            "a",
            "b",
        ])
        .prop_map(Json::from),
    ];
    leaf.prop_recursive(4, 40, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6).prop_map(|m| Json::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #[test]
    fn no_input_makes_the_adapters_panic(a in json_value(), b in json_value(), c in json_value()) {
        let limits = Limits::default();
        let wrap = |v: &Json| source(&json!({"result": v}).to_string());
        let (a, b, c) = (wrap(&a), wrap(&b), wrap(&c));
        let _ = change::import(&a, &b, &c, &Json::Null, &limits);
        if let Ok(i) = change::import(&a, &b, &c, &json!({"time_zone": "Europe/Berlin"}), &limits) {
            let v = serde_json::to_value(&i.document).unwrap_or_default();
            let read = crate::api::read_change(crate::api::ChangeInput::Value(&v), &limits);
            prop_assert!(read.is_ok(), "a change the engine refuses: {v}");
        }
        if let Ok(g) = cmdb::import(&a, &b, &json!({"unknown_types": "note", "missing_cis": "note"}), &limits) {
            let v = serde_json::to_value(&g.document).unwrap_or_default();
            prop_assert!(crate::api::load_graph_value(&v, &limits).is_ok(), "a graph the engine refuses: {v}");
        }
    }

    #[test]
    fn no_text_makes_the_adapters_panic(text in ".{0,200}") {
        let limits = Limits::default();
        let _ = change::import(&source(&text), &source(&text), &[], &Json::Null, &limits);
        let _ = cmdb::import(&source(&text), &source(&text), &Json::Null, &limits);
    }
}

#[test]
fn the_change_targets_the_nodes_the_cmdb_import_names() {
    const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import/");
    let read = |path: &str| {
        vec![Source {
            name: path.to_owned(),
            text: std::fs::read_to_string(format!("{DIR}{path}")).unwrap_or_default(),
        }]
    };
    let limits = Limits::default();
    for ci_ids in ["name", "sys_id"] {
        let options = json!({ "ci_ids": ci_ids });
        let change = change::import(
            &read("servicenow-change/worked-example/change_request.json"),
            &read("servicenow-change/worked-example/sysapproval_approver.json"),
            &[],
            &options,
            &limits,
        );
        let graph = cmdb::import(
            &read("servicenow-cmdb/worked-example/cmdb_ci.json"),
            &read("servicenow-cmdb/worked-example/cmdb_rel_ci.json"),
            &options,
            &limits,
        );
        let (Ok(change), Ok(graph)) = (change, graph) else {
            panic!("the worked example does not import with `ci_ids: {ci_ids}`");
        };
        for t in &change.document.targets {
            assert!(
                graph.document.nodes.iter().any(|n| &n.id == t),
                "target {t} is not a node with `ci_ids: {ci_ids}`"
            );
        }
    }
}
