//! Tests of the pieces: AWS times, the phase and status tables, node
//! mapping, options, and that no input makes the adapters panic.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use proptest::prelude::*;
use serde_json::{Value as Json, json};

use super::record::aws_time;
use super::*;
use crate::change::Change;
use crate::input::Path;

fn src(name: &str, v: &Json) -> Source {
    Source {
        name: name.to_owned(),
        text: v.to_string(),
    }
}

fn graph() -> Json {
    json!({"nodes": [
        {"id": "a", "attributes": {"backup_id": "velero:pay"}},
        {"id": "b", "attributes": {"backup_id": ["velero:pay", "velero:pay", "rds:db1"]}},
        {"id": "c", "attributes": {"backup_id": ["velero:ops"], "other": "velero:pay"}},
        {"id": "d"}
    ]})
}

fn run(
    adapter: Adapter,
    records: &Json,
    options: &Json,
) -> Result<Imported<Vec<BackupDocument>>, Error> {
    backups(
        adapter,
        &[src("r.json", records)],
        &[src("g.json", &graph())],
        options,
        &Limits::default(),
    )
}

fn velero(ns: Json, phase: &str) -> Json {
    json!({"kind": "Backup", "metadata": {"name": "b1"},
           "spec": {"includedNamespaces": ns},
           "status": {"phase": phase, "startTimestamp": "2026-12-22T02:00:00Z"}})
}

fn resources(i: &Imported<Vec<BackupDocument>>) -> Vec<&str> {
    i.document.iter().map(|b| b.resource.as_str()).collect()
}

#[test]
fn aws_times_as_text_or_seconds() {
    let p = Path::Root;
    let t = |v: Json| aws_time(&v, &p).map(|t| t.to_string());
    assert_eq!(
        t(json!("2026-12-22T05:00:00.512000+00:00")).unwrap(),
        "2026-12-22T05:00:00.512Z"
    );
    assert_eq!(
        t(json!("2026-12-22T06:00:31.000Z")).unwrap(),
        "2026-12-22T06:00:31Z"
    );
    assert_eq!(t(json!(1_797_915_600)).unwrap(), "2026-12-22T05:00:00Z");
    assert_eq!(
        t(json!(1_797_915_600.512)).unwrap(),
        "2026-12-22T05:00:00.512Z"
    );
    for bad in [
        json!("22/12/2026"),
        json!("2026-12-22T05:00:00"),
        json!(1e300),
        json!(-1e300),
        json!(i64::MAX),
        json!(true),
    ] {
        assert!(t(bad.clone()).is_err(), "{bad}");
    }
}

#[test]
fn a_record_maps_to_every_node_listing_its_id_once_each() {
    let out = run(
        Adapter::Velero,
        &velero(json!(["pay"]), "Completed"),
        &Json::Null,
    )
    .unwrap();
    assert_eq!(resources(&out), ["a", "b"]);
    let out = run(
        Adapter::Velero,
        &velero(json!(["pay", "ops"]), "Completed"),
        &Json::Null,
    )
    .unwrap();
    assert_eq!(resources(&out), ["a", "b", "c"], "in the graph's order");
    assert!(out.notes.is_empty());
}

#[test]
fn all_namespaces_less_the_excluded() {
    for ns in [json!(null), json!([]), json!(["*"]), json!(["pay", "*"])] {
        let out = run(
            Adapter::Velero,
            &velero(ns.clone(), "Completed"),
            &Json::Null,
        )
        .unwrap();
        assert_eq!(resources(&out), ["a", "b", "c"], "{ns}");
    }
    let mut b = velero(json!(["*"]), "Completed");
    b["spec"]["excludedNamespaces"] = json!(["ops"]);
    assert_eq!(
        resources(&run(Adapter::Velero, &b, &Json::Null).unwrap()),
        ["a", "b"]
    );
    b["spec"]["includedNamespaces"] = json!(["ops"]);
    let out = run(Adapter::Velero, &b, &Json::Null).unwrap();
    assert!(out.document.is_empty());
    assert_eq!(out.notes[0].message, "the backup covers no namespace");
}

#[test]
fn every_velero_phase_has_a_meaning() {
    let made = [
        ("Completed", "completed"),
        ("PartiallyFailed", "partial"),
        ("Failed", "failed"),
        ("InProgress", "in_progress"),
        ("WaitingForPluginOperations", "in_progress"),
        ("WaitingForPluginOperationsPartiallyFailed", "in_progress"),
        ("Finalizing", "in_progress"),
        ("FinalizingPartiallyFailed", "in_progress"),
    ];
    for (phase, status) in made {
        let out = run(Adapter::Velero, &velero(json!(["ops"]), phase), &Json::Null).unwrap();
        let got = serde_json::to_value(out.document[0].status).unwrap();
        assert_eq!(got, json!(status), "{phase}");
        assert_eq!(
            out.notes.len(),
            usize::from(status != "completed"),
            "{phase}"
        );
    }
    for phase in [
        "New",
        "Queued",
        "ReadyToStart",
        "FailedValidation",
        "Deleting",
    ] {
        let out = run(Adapter::Velero, &velero(json!(["ops"]), phase), &Json::Null).unwrap();
        assert!(out.document.is_empty(), "{phase}");
        assert_eq!(out.notes[0].field.as_deref(), Some("status.phase"));
    }
}

#[test]
fn a_record_that_does_not_count_needs_no_time() {
    let mut b = velero(json!(["ops"]), "InProgress");
    b["status"]["startTimestamp"] = Json::Null;
    let out = run(Adapter::Velero, &b, &Json::Null).unwrap();
    assert!(out.document.is_empty());
    assert_eq!(out.notes[0].field.as_deref(), Some("status.startTimestamp"));
    let e = run(Adapter::AwsBackup, &json!({"Snapshots": [{"SnapshotId": "snap-1", "VolumeId": "vol-1", "State": "completed"}]}), &Json::Null)
        .unwrap_err();
    assert_eq!(
        e.report().path.as_deref(),
        Some("r.json: Snapshots[0].StartTime")
    );
}

#[test]
fn options() {
    let b = velero(json!(["pay"]), "Completed");
    let out = run(
        Adapter::Velero,
        &b,
        &json!({"id_attribute": "other", "kind": "snapshot"}),
    )
    .unwrap();
    assert_eq!(resources(&out), ["c"]);
    assert_eq!(out.document[0].kind.as_deref(), Some("snapshot"));
    let cases = [
        (json!([1]), "options", "expected an object"),
        (
            json!({"kinds": "x"}),
            "options.kinds",
            "unknown field `kinds`",
        ),
        (
            json!({"id_attribute": ""}),
            "options.id_attribute",
            "non-empty",
        ),
        (json!({"kind": 3}), "options.kind", "expected a string"),
    ];
    for (o, path, msg) in cases {
        let r = run(Adapter::Velero, &b, &o).unwrap_err().report();
        assert_eq!(r.path.as_deref(), Some(path), "{o}");
        assert!(r.message.contains(msg), "{o}: {}", r.message);
    }
}

#[test]
fn the_graph_input() {
    let b = src("r.json", &velero(json!(["pay"]), "Completed"));
    let l = Limits::default();
    let e = backups(
        Adapter::Velero,
        std::slice::from_ref(&b),
        &[],
        &Json::Null,
        &l,
    )
    .unwrap_err();
    assert!(e.report().message.contains("no `graph`"));
    let g = src("g.json", &graph());
    let e = backups(
        Adapter::Velero,
        std::slice::from_ref(&b),
        &[g.clone(), g.clone()],
        &Json::Null,
        &l,
    )
    .unwrap_err();
    assert!(e.report().message.contains("more than one"));
    let e = backups(Adapter::Velero, &[], &[g], &Json::Null, &l).unwrap_err();
    assert!(e.report().message.contains("no `records`"));
    let bad = src("g.json", &json!({"nodes": [{"id": "a"}, {"id": "a"}]}));
    let e = backups(
        Adapter::Velero,
        std::slice::from_ref(&b),
        &[bad],
        &Json::Null,
        &l,
    )
    .unwrap_err();
    let r = e.report();
    assert!(
        r.path
            .as_deref()
            .unwrap_or("")
            .starts_with("g.json: nodes[1]"),
        "{r:?}"
    );
    let bad = src(
        "g.json",
        &json!({"nodes": [{"id": "a", "attributes": {"backup_id": ["x", ""]}}]}),
    );
    let r = backups(Adapter::Velero, &[b], &[bad], &Json::Null, &l)
        .unwrap_err()
        .report();
    assert_eq!(
        r.path.as_deref(),
        Some("g.json: nodes[0].attributes.backup_id[1]")
    );
}

/// The backups made load as a change's `backups`, as the engine reads them.
fn loads(out: &Imported<Vec<BackupDocument>>) {
    let change = json!({"id": "CHG1", "type": "normal", "targets": ["a"],
                        "start": "2026-12-22T14:00:00Z", "end": "2026-12-22T15:00:00Z",
                        "backups": out.document});
    Change::from_value(&change).unwrap();
}

#[test]
fn every_import_case_loads_as_a_change() {
    let b = velero(json!(["pay", "ops"]), "PartiallyFailed");
    loads(&run(Adapter::Velero, &b, &Json::Null).unwrap());
    let aws = json!({"DBSnapshots": [{"DBSnapshotIdentifier": "s", "DBInstanceIdentifier": "db1",
                     "Status": "available", "SnapshotCreateTime": 1_797_915_600.25}]});
    let out = run(Adapter::AwsBackup, &aws, &Json::Null).unwrap();
    assert_eq!(resources(&out), ["b"]);
    loads(&out);
}

fn arb_json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::from),
        any::<i64>().prop_map(Json::from),
        any::<f64>().prop_map(Json::from),
        prop::sample::select(vec![
            "Backup",
            "List",
            "Completed",
            "Failed",
            "*",
            "pay",
            "ops",
            "COMPLETED",
            "available",
            "completed",
            "2026-12-22T02:00:00Z",
            "vol-1",
            "db1",
            "",
        ])
        .prop_map(Json::from),
    ];
    let keys = prop::sample::select(vec![
        "kind",
        "items",
        "metadata",
        "name",
        "spec",
        "status",
        "phase",
        "startTimestamp",
        "includedNamespaces",
        "excludedNamespaces",
        "labelSelector",
        "includedResources",
        "snapshotVolumes",
        "RecoveryPoints",
        "RecoveryPointArn",
        "ResourceArn",
        "Status",
        "CreationDate",
        "DBSnapshots",
        "DBSnapshotIdentifier",
        "DBInstanceIdentifier",
        "SnapshotCreateTime",
        "Snapshots",
        "SnapshotId",
        "VolumeId",
        "State",
        "StartTime",
    ]);
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| {
                Json::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #[test]
    fn never_panics_and_what_it_makes_loads(doc in arb_json()) {
        for adapter in [Adapter::Velero, Adapter::AwsBackup] {
            if let Ok(out) = run(adapter, &doc, &Json::Null) {
                loads(&out);
            }
        }
    }
}

/// A Velero list of backups with every phase, some namespaces, some times.
fn arb_velero() -> impl Strategy<Value = Json> {
    let phases = vec![
        "Completed",
        "PartiallyFailed",
        "Failed",
        "InProgress",
        "Finalizing",
        "New",
        "FailedValidation",
        "Deleting",
        "Queued",
    ];
    let one = (
        prop::sample::select(phases),
        prop::collection::vec(prop::sample::select(vec!["pay", "ops", "other", "*"]), 0..3),
        prop::collection::vec(prop::sample::select(vec!["pay", "ops"]), 0..2),
        any::<bool>(),
    );
    prop::collection::vec(one, 0..6).prop_map(|items| {
        let items: Vec<Json> = items
            .into_iter()
            .enumerate()
            .map(|(i, (phase, inc, exc, started))| {
                let mut b = velero(json!(inc), phase);
                b["metadata"]["name"] = json!(format!("b{i}"));
                b["spec"]["excludedNamespaces"] = json!(exc);
                if !started && phase != "Completed" {
                    b["status"]["startTimestamp"] = Json::Null;
                }
                b
            })
            .collect();
        json!({"kind": "List", "items": items})
    })
}

proptest! {
    /// Every record is accounted for: it makes a completed backup of some
    /// node, or a note names it.
    #[test]
    fn every_velero_record_is_accounted_for(doc in arb_velero()) {
        let out = run(Adapter::Velero, &doc, &Json::Null).unwrap();
        loads(&out);
        for item in doc["items"].as_array().unwrap() {
            let name = item["metadata"]["name"].as_str().unwrap();
            let noted = out.notes.iter().any(|n| n.record == name);
            prop_assert!(noted || item["status"]["phase"] == "Completed", "{name}");
        }
        let completed = out.document.iter().filter(|b| b.status == Some(BackupStatusDocument::Completed));
        prop_assert!(completed.count() <= 3 * doc["items"].as_array().unwrap().len());
    }
}
