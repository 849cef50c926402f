//! The published JSON Schemas accept every document of the decision corpus
//! and the policy library's examples (the corpus manifest's cases): each graph and change that the engine
//! decides on, each decision, and each error.

#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a broken fixture should stop the test loudly"
)]

use std::path::Path;

use serde_json::Value as Json;

fn schema(name: &str) -> jsonschema::Validator {
    let path = changegate_codegen::repo_root().join("schemas").join(name);
    let schema: Json = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn read(path: &Path) -> Json {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn check(v: &jsonschema::Validator, doc: &Json, what: &str, errors: &mut Vec<String>) {
    for e in v.iter_errors(doc) {
        errors.push(format!("{what}: {e} at {}", e.instance_path()));
    }
}

#[test]
fn the_schemas_accept_every_corpus_document() {
    let root = changegate_codegen::repo_root();
    let (graph, change, decision, error) = (
        schema("graph.schema.json"),
        schema("change.schema.json"),
        schema("decision.schema.json"),
        schema("error.schema.json"),
    );
    let cases = changegate_testkit::corpus::read(&root).unwrap();
    assert!(cases.len() > 200, "only {} cases listed", cases.len());
    let (mut errors, mut decisions, mut failures) = (Vec::new(), 0, 0);
    for case in &cases {
        let dir = root.join(&case.dir);
        let name = &case.dir;
        let expected = read(&dir.join("expected.json"));
        if expected.get("error").is_some() {
            failures += 1;
            check(
                &error,
                &expected,
                &format!("{name}/expected.json"),
                &mut errors,
            );
            continue;
        }
        decisions += 1;
        check(
            &decision,
            &expected,
            &format!("{name}/expected.json"),
            &mut errors,
        );
        // The documents the engine read: the case's own, or what its
        // imports made of other tools' records.
        let entry = serde_json::json!({"dir": case.dir, "graph": case.graph, "change": "change.json",
            "imports": case.imports});
        let (graph_text, change_text) =
            changegate_testkit::corpus::documents(&root, &entry).unwrap();
        let as_json = |t: &str| serde_json::from_str::<Json>(t).unwrap();
        check(
            &change,
            &as_json(&change_text),
            &format!("{name}: change"),
            &mut errors,
        );
        check(
            &graph,
            &as_json(&graph_text),
            &format!("{name}: graph"),
            &mut errors,
        );
    }
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(
        decisions > 100 && failures > 20,
        "{decisions} decisions, {failures} errors"
    );
}

/// Every import case's result validates against `imported.schema.json`
/// and its options against its adapter's options schema (but for the
/// cases about bad options).
#[test]
fn the_schemas_accept_every_import_case() {
    let root = changegate_codegen::repo_root();
    let imported = schema("imported.schema.json");
    let cases = changegate_testkit::imports::read(&root).unwrap();
    let mut errors = Vec::new();
    let mut results = 0;
    for case in &cases {
        let options = match case.adapter.as_str() {
            "velero" | "aws-backup" => "backup-options.schema.json".to_owned(),
            other => format!("{other}-options.schema.json"),
        };
        if case.expected == "expected.json" {
            results += 1;
            if !case.options.is_null() {
                check(
                    &schema(&options),
                    &case.options,
                    &format!("{}: options", case.dir),
                    &mut errors,
                );
            }
            let doc = read(&root.join(&case.dir).join("expected.json"));
            check(
                &imported,
                &doc,
                &format!("{}/expected.json", case.dir),
                &mut errors,
            );
        }
    }
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert!(results > 30, "only {results} import results");
}

/// The schemas are not so loose that they accept anything: a typo'd field,
/// a wrong type and a missing key are each rejected, as the engine rejects
/// them.
#[test]
fn the_schemas_reject_what_the_engine_rejects() {
    let change = schema("change.schema.json");
    let ok = serde_json::json!({"id": "C1", "type": "normal", "targets": ["a"],
        "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"});
    assert!(change.is_valid(&ok));
    for (key, value) in [
        ("type", serde_json::json!("urgent")),
        ("targets", serde_json::json!([])),
        (
            "approvals",
            serde_json::json!([{"group": "cab", "by": "x", "verifed": true}]),
        ),
        ("requested_by", serde_json::json!(7)),
    ] {
        let mut bad = ok.clone();
        bad[key] = value;
        assert!(!change.is_valid(&bad), "{key}");
        let engine = changegate::Change::from_value(&bad);
        assert!(
            engine.is_err(),
            "the engine accepts what the schema rejects: {key}"
        );
    }
    let mut missing = ok.clone();
    missing.as_object_mut().unwrap().remove("end");
    assert!(!change.is_valid(&missing));
    let graph = schema("graph.schema.json");
    assert!(graph.is_valid(&serde_json::json!({"nodes": [{"id": "a", "tier": 0}]})));
    assert!(!graph.is_valid(&serde_json::json!({"nodes": [{"id": "a", "tier": "0"}]})));
    assert!(!graph.is_valid(&serde_json::json!({"nodes": [{"id": "a", "owners": "x"}]})));
}
