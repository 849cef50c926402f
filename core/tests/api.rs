//! The public API as an embedding application sees it: nothing but what
//! `changegate` exports.

use std::sync::Arc;

use changegate::{Change, Document, Error, Graph, Limits, Outcome, Policy, Source};

const POLICY_A: &str = r#"
window holiday_freeze = between 2026-12-20T00:00 and 2027-01-04T00:00 in "America/New_York"

rule cab {
  when any(impacted, node.tier == 0)
  require approval "cab" count 2
  because "tier 0 is impacted"
}

rule freeze {
  unless change.type == "emergency"
  deny during holiday_freeze
  override by "cto"
}
"#;

const POLICY_B: &str = r#"
rule owners {
  require approval owner of impacted where node.depth <= 1
}

rule backout {
  require change.backout_plan != null else "a backout plan is required"
}
"#;

const GRAPH: &str = r#"{
  "nodes": [
    {"id": "db", "kind": "database", "tier": 0, "owner": "team-dba"},
    {"id": "api", "tier": 1, "owner": "team-api", "depends_on": ["db"]},
    {"id": "web", "tier": 2, "owner": "team-web", "depends_on": ["api"]}
  ]
}"#;

fn change(start: &str, end: &str) -> String {
    format!(
        r#"{{"id": "CHG1", "type": "normal", "targets": ["db"], "start": "{start}", "end": "{end}",
            "requested_by": "carol",
            "approvals": [{{"group": "cab", "by": "bob"}}, {{"group": "cab", "by": "carol"}},
                          {{"group": "team-dba", "by": "dan"}}],
            "attributes": {{"backout_plan": "restore"}}}}"#
    )
}

#[expect(
    clippy::unwrap_used,
    reason = "a broken fixture should stop the test loudly"
)]
fn policy() -> Policy {
    Policy::from_sources([("a.gate", POLICY_A), ("b.gate", POLICY_B)]).unwrap()
}

#[test]
fn a_decision_explains_itself() {
    let graph = Graph::from_json(GRAPH).unwrap();
    let change =
        Change::from_json(&change("2026-12-22T14:00:00Z", "2026-12-22T15:00:00Z")).unwrap();
    let d = policy().evaluate(&change, &graph).unwrap();
    assert_eq!(d.outcome, Outcome::Denied);
    assert_eq!(
        d.next_allowed_start.map(|t| t.to_string()).as_deref(),
        Some("2027-01-04T05:00:00Z")
    );
    let groups: Vec<(&str, u32, bool)> = d
        .approvals
        .iter()
        .map(|a| (&*a.group, a.required, a.satisfied))
        .collect();
    assert_eq!(
        groups,
        [
            ("cab", 2, false),
            ("team-api", 1, false),
            ("team-dba", 1, true)
        ]
    );
    assert_eq!(
        d.approvals[0].granted_by,
        ["bob".into()] as [std::sync::Arc<str>; 1],
        "the requester never counts"
    );
    assert_eq!(d.blocks.len(), 1);
    let last = d.impact.len() - 1;
    assert_eq!(d.impact.path(last), ["db", "api", "web"]);
    let web = d.impact.get(last).expect("the last impacted node");
    assert_eq!((web.id, web.depth), ("web", 2));
    assert_eq!(
        web.via.and_then(|v| d.impact.get(v)).map(|n| n.id),
        Some("api")
    );
    let fired: Vec<(&str, &str, u32)> = d
        .fired
        .iter()
        .map(|f| (&*f.file, &*f.rule, f.line))
        .collect();
    assert_eq!(
        fired,
        [
            ("a.gate", "cab", 4),
            ("a.gate", "freeze", 10),
            ("b.gate", "owners", 2),
            ("b.gate", "backout", 6)
        ]
    );
    assert_eq!(d.fired[0].because.as_deref(), Some("tier 0 is impacted"));
    assert!(d.audit.policy_digest.starts_with("sha256:") && d.audit.policy_digest.len() == 7 + 64);
}

#[test]
fn same_inputs_give_the_same_bytes_whatever_the_file_order() {
    let graph = Graph::from_json(GRAPH).unwrap();
    let json = change("2026-12-22T14:00:00Z", "2026-12-22T15:00:00Z");
    let ab = policy().evaluate_json(&json, &graph).unwrap();
    let ba = Policy::from_sources([("b.gate", POLICY_B), ("a.gate", POLICY_A)]).unwrap();
    assert_eq!(ab, policy().evaluate_json(&json, &graph).unwrap());
    assert_eq!(ab, ba.evaluate_json(&json, &graph).unwrap());
    assert_eq!(policy().digest(), ba.digest());
    let renamed = Policy::from_sources([("x.gate", POLICY_A), ("y.gate", POLICY_B)]).unwrap();
    assert_eq!(
        renamed.digest(),
        ba.digest(),
        "the digest is of contents, not names"
    );
    let edited =
        Policy::from_sources([("a.gate", POLICY_A), ("b.gate", &format!("{POLICY_B} "))]).unwrap();
    assert_ne!(edited.digest(), ba.digest());
}

#[test]
fn policy_and_graph_are_shared_between_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Policy>();
    assert_send_sync::<Graph>();
    let policy = Arc::new(policy());
    let graph = Arc::new(Graph::from_json(GRAPH).unwrap());
    let json = change("2026-12-22T14:00:00Z", "2026-12-22T15:00:00Z");
    let expected = policy.evaluate_json(&json, &graph).unwrap();
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (p, g, j) = (policy.clone(), graph.clone(), json.clone());
            std::thread::spawn(move || {
                (0..50)
                    .map(|_| p.evaluate_json(&j, &g).unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        for out in h.join().unwrap() {
            assert_eq!(out, expected);
        }
    }
}

#[test]
fn every_error_of_every_file_is_reported() {
    let err = Policy::from_sources([
        ("a.gate", "rule a {\n  deny during nowhere\n}\n"),
        ("b.gate", "rule b {\n  when change.x ==\n  deny \"x\"\n}\nrule c { when node.tier == 1 deny \"y\" }\n"),
    ])
    .unwrap_err();
    let places: Vec<(&str, u32, u32)> = err
        .diagnostics()
        .iter()
        .map(|d| (d.file.as_str(), d.line, d.column))
        .collect();
    assert_eq!(
        places,
        [("a.gate", 2, 15), ("b.gate", 3, 3), ("b.gate", 5, 15)]
    );
    assert_eq!(err.diagnostics()[0].message, "unknown window `nowhere`");
    let report = err.render(false);
    assert!(report.contains("deny during nowhere"), "{report}");
    assert!(
        report.contains("b.gate:5:15") || report.contains("b.gate:5"),
        "{report}"
    );
    assert_eq!(
        err.to_string().lines().next(),
        Some("3 errors in the policy")
    );
}

#[test]
fn errors_have_a_kind_a_place_and_json() {
    let graph = Graph::from_json(GRAPH).unwrap();
    let bad_target = change("2026-12-22T14:00:00Z", "2026-12-22T15:00:00Z")
        .replace("[\"db\"]", "[\"db\", \"dbb\"]");
    match policy().evaluate_json(&bad_target, &graph) {
        Err(Error::Input {
            document: Document::Change,
            error,
        }) => {
            assert_eq!(error.path, "targets[1]");
            assert_eq!(error.help.as_deref(), Some("did you mean `db`?"));
        }
        other => panic!("expected an input error, got {other:?}"),
    }
    let e = changegate::api::load_graph(
        r#"{"nodes": [{"id": "a", "tier": "0"}]}"#,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), changegate::ErrorKind::Input);
    let report = e.report();
    assert_eq!(report.document, Some(Document::Graph));
    assert_eq!(report.path.as_deref(), Some("nodes[0].tier"));
    assert!(report.diagnostics.is_empty());
    let json: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
    assert_eq!(json["error"]["document"], "graph");
    assert_eq!(json["error"]["path"], "nodes[0].tier");
    let backwards = policy().evaluate_json(
        &change("2026-12-22T15:00:00Z", "2026-12-22T14:00:00Z"),
        &graph,
    );
    assert!(matches!(backwards, Err(Error::Input { ref error, .. }) if error.path == "end"));
}

#[test]
fn limits_bound_the_work_with_clear_errors() {
    let limits = Limits {
        max_source_bytes: 64,
        ..Limits::default()
    };
    let src = Source {
        name: "big.gate".into(),
        text: format!("# {}\n", "x".repeat(100)),
    };
    let err = Policy::compile([src], &limits).unwrap_err();
    assert!(
        err.diagnostics()[0]
            .message
            .contains("more than the limit of 64")
    );
    let nested = format!(
        "rule r {{ when {}true{} deny \"x\" }}",
        "(".repeat(65),
        ")".repeat(65)
    );
    let err = Policy::from_sources([("n.gate", nested)]).unwrap_err();
    assert!(
        err.diagnostics()[0]
            .message
            .contains("nesting is deeper than the limit of 64")
    );
}

#[test]
fn the_json_api_is_the_same_pipeline() {
    let json = change("2026-12-22T14:00:00Z", "2026-12-22T15:00:00Z");
    let sources = vec![
        Source {
            name: "a.gate".into(),
            text: POLICY_A.into(),
        },
        Source {
            name: "b.gate".into(),
            text: POLICY_B.into(),
        },
    ];
    let direct = policy()
        .evaluate_json(&json, &Graph::from_json(GRAPH).unwrap())
        .unwrap();
    let limits = Limits::default();
    let compiled = changegate::api::compile(sources.clone(), &limits).unwrap();
    let graph = changegate::api::load_graph(GRAPH, &limits).unwrap();
    assert_eq!(
        changegate::api::evaluate_json(&compiled, &json, &graph).unwrap(),
        direct
    );
    assert_eq!(changegate::api::validate_json(sources, &limits), "[]\n");
    let impact =
        changegate::api::impact_json(&Graph::from_json(GRAPH).unwrap(), &["api".to_owned()])
            .unwrap();
    let v: serde_json::Value = serde_json::from_str(&impact).unwrap();
    assert_eq!(v["impacted"][1]["path"], serde_json::json!(["api", "web"]));
    assert_eq!(
        policy().window_time_zone("holiday_freeze"),
        Some("America/New_York")
    );
}

#[test]
fn long_chains_of_sets_are_bounded() {
    let mut src = String::from("let s0 = impacted\n");
    for i in 1..=10_000 {
        src.push_str(&format!("let s{i} = s{} where node.tier >= 0\n", i - 1));
    }
    src.push_str("rule r { when count(s10000) > 0 deny \"x\" }\n");
    let err = Policy::from_sources([("chain.gate", src)]).unwrap_err();
    let d = &err.diagnostics()[0];
    assert_eq!(
        d.message,
        "set `s64` is built on a chain of 65 sets, more than the limit of 64"
    );
    let mut ok = String::from("let s0 = impacted\n");
    for i in 1..64 {
        ok.push_str(&format!("let s{i} = s{} where node.tier >= 0\n", i - 1));
    }
    assert!(Policy::from_sources([("chain.gate", ok)]).is_ok());
}

#[test]
fn limits_come_from_json_with_defaults_and_clear_errors() {
    let limits = changegate::api::limits_from_json(r#"{"max_graph_nodes": 2}"#).unwrap();
    assert_eq!(limits.max_graph_nodes, 2);
    assert_eq!(limits.max_nesting, Limits::default().max_nesting);
    let e = changegate::api::load_graph(
        r#"{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}"#,
        &limits,
    )
    .unwrap_err();
    assert_eq!(e.report().document, Some(Document::Graph));
    let e = changegate::api::limits_from_json(r#"{"max_graph_node": 2}"#).unwrap_err();
    let report = e.report();
    assert_eq!(report.document, Some(Document::Limits));
    assert!(
        report.message.contains("max_graph_node"),
        "{}",
        report.message
    );
    assert!(report.help.unwrap().contains("`max_graph_nodes`"));
    let e = changegate::api::limits_from_json(r#"{"max_nesting": -1}"#).unwrap_err();
    assert_eq!(e.kind(), changegate::ErrorKind::Input);
}

#[test]
fn graph_nodes_list_what_the_engine_read() {
    let graph = changegate::api::load_graph(GRAPH, &Limits::default()).unwrap();
    let nodes = changegate::api::graph_nodes(&graph);
    assert_eq!(nodes.len(), graph.len());
    let json: serde_json::Value =
        serde_json::from_str(&changegate::api::graph_nodes_json(&graph)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), graph.len());
    assert!(
        nodes
            .iter()
            .any(|n| n.depends_on.as_ref().is_some_and(|d| !d.is_empty()))
    );
}

#[test]
fn an_unreadable_graph_file_gets_advice_about_graphs() {
    let e = changegate::api::load_graph_file(
        std::path::Path::new("no/such/graph.json"),
        &Limits::default(),
    )
    .unwrap_err();
    let report = e.report();
    assert_eq!(report.kind, changegate::ErrorKind::Io);
    assert_eq!(report.path.as_deref(), Some("no/such/graph.json"));
    assert_eq!(
        report.help.as_deref(),
        Some("pass the path of a graph JSON file")
    );
    let e = changegate::api::compile_paths(
        std::path::Path::new(""),
        &["no/such/policy.gate"],
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.report().help.as_deref(),
        Some("pass a `.gate` file or a directory that holds some")
    );
}
