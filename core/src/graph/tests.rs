//! Tests of graph loading, queries, impact and reach.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;
use crate::limits::Limits;
use crate::value::Value;
use serde_json::Value as Json;
use serde_json::json;

fn load(v: Json) -> Graph {
    let text = serde_json::to_string(&v).unwrap();
    let streamed = Graph::from_json(&text).unwrap();
    let whole = Graph::from_value(&v, &Limits::default()).unwrap();
    assert_eq!(ids(&streamed, &all(&streamed)), ids(&whole, &all(&whole)));
    streamed
}

fn all(g: &Graph) -> Vec<NodeIdx> {
    g.nodes().map(|(i, _)| i).collect()
}

fn ids(g: &Graph, nodes: &[NodeIdx]) -> Vec<String> {
    nodes.iter().map(|&n| g.node(n).id.to_string()).collect()
}

fn idx(g: &Graph, id: &str) -> NodeIdx {
    g.index_of(id).unwrap()
}

/// a and b are targets; c depends on both, e on a, d on c and e.
fn diamond() -> Graph {
    load(json!({"nodes": [
        {"id": "d", "depends_on": ["e", "c"]},
        {"id": "e", "depends_on": ["a"]},
        {"id": "c", "depends_on": ["b", "a"]},
        {"id": "a"}, {"id": "b"}, {"id": "z"}
    ]}))
}

#[test]
fn impact_on_a_diamond_with_two_targets() {
    let g = diamond();
    let imp = g.impact(&[idx(&g, "b"), idx(&g, "a")]);
    assert_eq!(ids(&g, imp.nodes()), ["a", "b", "c", "e", "d"]);
    assert_eq!(imp.len(), 5);
    assert_eq!(imp.depth(idx(&g, "a")), Some(0));
    assert_eq!(imp.depth(idx(&g, "c")), Some(1));
    assert_eq!(imp.depth(idx(&g, "d")), Some(2));
    assert_eq!(imp.depth(idx(&g, "z")), None);
    assert!(!imp.contains(idx(&g, "z")));
    assert!(imp.path(idx(&g, "z")).is_empty());
    // b comes first, so it discovers c; d is reached through c (id order).
    assert_eq!(ids(&g, &imp.path(idx(&g, "d"))), ["b", "c", "d"]);
    assert_eq!(ids(&g, &imp.path(idx(&g, "e"))), ["a", "e"]);
    assert_eq!(ids(&g, &imp.path(idx(&g, "a"))), ["a"]);
    // With a first, a discovers c.
    let imp = g.impact(&[idx(&g, "a"), idx(&g, "b"), idx(&g, "a")]);
    assert_eq!(ids(&g, &imp.path(idx(&g, "d"))), ["a", "c", "d"]);
    assert_eq!(imp.len(), 5);
}

#[test]
fn cycles_and_self_loops_terminate() {
    // x <- z <- y <- x (y also depends on itself)
    let g = load(json!({"nodes": [
        {"id": "x", "depends_on": ["y"]},
        {"id": "y", "depends_on": ["z", "y"]},
        {"id": "z", "depends_on": ["x"]}
    ]}));
    let (x, y, z) = (idx(&g, "x"), idx(&g, "y"), idx(&g, "z"));
    assert_eq!(g.dependents_of(y), [x, y]);
    let imp = g.impact(&[x]);
    assert_eq!(ids(&g, imp.nodes()), ["x", "z", "y"]);
    assert_eq!(imp.depth(y), Some(2));
    assert_eq!(ids(&g, &imp.path(y)), ["x", "z", "y"]);
    let r = g.reach(&[x], Direction::Dependents, None);
    assert_eq!(r, [(z, 1), (y, 2), (x, 3)]);
    assert_eq!(
        g.reach(&[y], Direction::Dependents, Some(1)),
        [(x, 1), (y, 1)]
    );
    assert_eq!(
        g.reach(&[x], Direction::Dependencies, None),
        [(y, 1), (z, 2), (x, 3)]
    );
}

#[test]
fn reach_with_depth_limits() {
    let g = diamond();
    let (a, c, d, e) = (idx(&g, "a"), idx(&g, "c"), idx(&g, "d"), idx(&g, "e"));
    assert_eq!(
        g.reach(&[a], Direction::Dependents, Some(1)),
        [(c, 1), (e, 1)]
    );
    assert_eq!(
        g.reach(&[a], Direction::Dependents, None),
        [(c, 1), (e, 1), (d, 2)]
    );
    assert!(g.reach(&[a], Direction::Dependents, Some(0)).is_empty());
    // A member of `from` counts only when reached from another member.
    assert_eq!(
        g.reach(&[a, e], Direction::Dependents, Some(1)),
        [(c, 1), (d, 1), (e, 1)]
    );
    let deps = g.reach(&[d], Direction::Dependencies, Some(2));
    assert_eq!(
        ids(&g, &deps.iter().map(|p| p.0).collect::<Vec<_>>()),
        ["c", "e", "a", "b"]
    );
    assert_eq!(deps.iter().map(|p| p.1).collect::<Vec<_>>(), [1, 1, 2, 2]);
}

#[test]
fn depends_on_and_edges_combine_and_duplicates_collapse() {
    // Edges come first and name nodes declared later.
    let g = load(json!({
        "edges": [{"from": "a", "to": "b"}, {"from": "c", "to": "b"}, {"from": "a", "to": "b"}],
        "nodes": [{"id": "b"}, {"id": "a", "depends_on": ["b", "b"]}, {"id": "c"}]
    }));
    let (a, b, c) = (idx(&g, "a"), idx(&g, "b"), idx(&g, "c"));
    assert_eq!(g.dependencies_of(a), [b]);
    assert_eq!(g.dependents_of(b), [a, c]);
    assert!(g.dependents_of(a).is_empty());
    assert_eq!(g.edge_count(), 2);
    assert_eq!(a, NodeIdx(1), "indices follow JSON order");
}

#[test]
fn unusual_but_valid_documents_load_the_same() {
    // Escaped strings and nulls leave the fast pass.

    let text = r#"{"nodes": [
        {"id": "caf\u00e9", "kind": null, "tags": null, "depends_on": ["b"],
         "attributes": {"x": 2, "note": "line\nbreak"}},
        {"id": "b", "tier": -3}
    ], "edges": null}"#;
    let g = Graph::from_json(text).unwrap();
    let cafe = g.node(idx(&g, "café"));
    assert_eq!(cafe.field("x"), Value::Int(2));
    assert_eq!(cafe.field("note"), Value::str("line\nbreak"));
    assert_eq!(cafe.kind, None);
    assert_eq!(g.node(idx(&g, "b")).tier, Some(-3));
    let err = Graph::from_json(&text.replace("\"id\": \"b\"", "\"id\": \"c\"")).unwrap_err();
    assert_eq!(err.path, "nodes[0].depends_on[0]");
}

#[test]
fn neighbours_are_in_id_order_not_json_order() {
    let g = load(json!({"nodes": [
        {"id": "zeta", "depends_on": ["hub"]}, {"id": "hub"},
        {"id": "alpha", "depends_on": ["hub"]}, {"id": "mu", "depends_on": ["hub"]}
    ]}));
    assert_eq!(
        ids(&g, g.dependents_of(idx(&g, "hub"))),
        ["alpha", "mu", "zeta"]
    );
    let mut v = all(&g);
    g.sort_by_id(&mut v);
    assert_eq!(ids(&g, &v), ["alpha", "hub", "mu", "zeta"]);
}

#[test]
fn node_fields_and_name_clashes() {
    let g = load(json!({"nodes": [
        {"id": "db", "kind": "database", "tier": 0, "owner": "dba", "tags": ["pii", "eu"],
         "attributes": {"owner": "someone-else", "region": "eu-west-1", "kind": 7}},
        {"id": "bare", "attributes": {"tier": 9}}
    ]}));
    let db = g.node(idx(&g, "db"));
    assert_eq!(db.field("id"), Value::str("db"));
    assert_eq!(db.field("kind"), Value::str("database"));
    assert_eq!(db.field("tier"), Value::Int(0));
    assert_eq!(db.field("owner"), Value::str("dba"));
    assert_eq!(
        db.field("tags"),
        Value::List(vec![Value::str("pii"), Value::str("eu")].into())
    );
    assert_eq!(db.field("region"), Value::str("eu-west-1"));
    assert_eq!(db.field("nope"), Value::Null);
    let bare = g.node(idx(&g, "bare"));
    assert_eq!(
        bare.field("tier"),
        Value::Null,
        "first-class names win even when absent"
    );
    assert_eq!(bare.field("tags"), Value::List(Vec::new().into()));
}

#[test]
fn foreign_indices_do_not_panic() {
    let g = diamond();
    assert_eq!(&*g.node(NodeIdx(999)).id, "");
    assert!(g.dependents_of(NodeIdx(999)).is_empty());
    assert!(g.impact(&[NodeIdx(999)]).is_empty());
    assert!(
        g.reach(&[NodeIdx(999)], Direction::Dependencies, None)
            .is_empty()
    );
    let empty = load(json!({"nodes": []}));
    assert!(empty.is_empty());
}

#[test]
fn graphs_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Graph>();
    check::<Impact>();
}

#[test]
fn bad_graphs_name_the_field() {
    // (document, path, message fragment, help fragment)
    let cases: &[(&str, &str, &str, &str)] = &[
        (r#"[]"#, "", "expected an object, found a list", ""),
        (r#"{}"#, "nodes", "missing required field `nodes`", ""),
        (
            r#"{"edges": []}"#,
            "nodes",
            "missing required field `nodes`",
            "",
        ),
        (
            r#"{"nodes": {}}"#,
            "nodes",
            "expected a list, found an object",
            "",
        ),
        (
            r#"{"nodez": []}"#,
            "nodez",
            "unknown field `nodez`",
            "did you mean `nodes`?",
        ),
        // A repeated key, wherever it is: read by the whole-document pass,
        // the checked pass and the fast pass (which gives up on it).
        (
            r#"{"nodes": [], "nodes": [1]}"#,
            "nodes",
            "duplicate key `nodes`",
            "a key may appear once in an object; remove one of them",
        ),
        (
            r#"{"nodes": [{"id": "a", "tier": 0, "tier": 5}]}"#,
            "nodes[0].tier",
            "duplicate key `tier`",
            "remove one of them",
        ),
        (
            r#"{"nodes": [{"id": "caf\u00e9", "id": "b"}]}"#,
            "nodes[0].id",
            "duplicate key `id`",
            "remove one of them",
        ),
        (
            r#"{"nodes": [{"id": "a", "attributes": {"x": 1, "x": 2}}]}"#,
            "nodes[0].attributes.x",
            "duplicate key `x`",
            "remove one of them",
        ),
        (
            r#"{"nodes": [{"id": "a", "attributes": {"m": {"k": [{"q": 1, "q": 1}]}}}]}"#,
            "nodes[0].attributes.m.k[0].q",
            "duplicate key `q`",
            "remove one of them",
        ),
        (
            r#"{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "a", "to": "a"}]}"#,
            "edges[0].to",
            "duplicate key `to`",
            "remove one of them",
        ),
        (
            r#"{"nodes": [{"kind": "db"}]}"#,
            "nodes[0].id",
            "missing required field `id`",
            "",
        ),
        (r#"{"nodes": [{"id": ""}]}"#, "nodes[0].id", "non-empty", ""),
        (
            r#"{"nodes": [{"id": 5}]}"#,
            "nodes[0].id",
            "expected a string, found number `5`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a"}, {"id": "b", "tier": "1"}]}"#,
            "nodes[1].tier",
            "expected an integer, found string `\"1\"`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "tier": 1.5}]}"#,
            "nodes[0].tier",
            "expected an integer, found number `1.5`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "owner": ["x"]}]}"#,
            "nodes[0].owner",
            "expected a string, found a list",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "tags": ["x", 3]}]}"#,
            "nodes[0].tags[1]",
            "expected a string",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "attributes": []}]}"#,
            "nodes[0].attributes",
            "expected an object",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "region": "eu"}]}"#,
            "nodes[0].region",
            "unknown field `region`",
            "put custom data under `attributes`",
        ),
        (
            r#"{"nodes": [{"id": "a", "onwer": "x"}]}"#,
            "nodes[0].onwer",
            "unknown field",
            "did you mean `owner`?",
        ),
        (
            r#"{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "a"}]}"#,
            "nodes[2].id",
            "duplicate id `a`, first at `nodes[0]`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "orders-db"}, {"id": "api", "depends_on": ["ordrs-db"]}]}"#,
            "nodes[1].depends_on[0]",
            "unknown node `ordrs-db`",
            "did you mean `orders-db`?",
        ),
        (
            // Edges to nodes declared later resolve; the first that names no
            // node is reported where it was written, past earlier ones.
            r#"{"nodes": [{"id": "a", "depends_on": ["c", "b"]}, {"id": "b", "depends_on": ["c", "c", "d", "e"]}, {"id": "c"}], "edges": [{"from": "a", "to": "x"}]}"#,
            "nodes[1].depends_on[2]",
            "unknown node `d`",
            "",
        ),
        (
            r#"{"edges": [{"from": "a", "to": "b"}, {"from": "b", "to": "a"}, {"from": "b", "to": "zz"}], "nodes": [{"id": "a", "depends_on": ["q"]}, {"id": "b"}]}"#,
            "edges[2].to",
            "unknown node `zz`",
            "",
        ),
        (
            r#"{"edges": [{"from": "a", "to": "b"}], "nodes": [{"id": "a"}, {"id": "b", "depends_on": ["a", "b", "a", "q"]}]}"#,
            "nodes[1].depends_on[3]",
            "unknown node `q`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a", "depends_on": "b"}]}"#,
            "nodes[0].depends_on",
            "expected a list",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "qqqq"}]}"#,
            "edges[0].to",
            "unknown node `qqqq`",
            "declared in `nodes`",
        ),
        (
            r#"{"edges": [{"from": "x", "to": "a"}], "nodes": [{"id": "a"}]}"#,
            "edges[0].from",
            "unknown node `x`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a"}], "edges": [{"to": "a"}]}"#,
            "edges[0].from",
            "missing required field `from`",
            "",
        ),
        (
            r#"{"nodes": [{"id": "a"}], "edges": [{"from": "a", "to": "a", "type": "x"}]}"#,
            "edges[0].type",
            "unknown field `type`",
            "known fields: `from`, `to`",
        ),
        (
            r#"{"nodes": [{"id": "a"}], "edges": {}}"#,
            "edges",
            "expected a list",
            "",
        ),
        (r#"{"nodes": [{"id": "a"}"#, "", "invalid JSON", ""),
        (
            r#"{"nodes": []} x"#,
            "",
            "invalid JSON: trailing characters at line 1 column 15",
            "",
        ),
    ];
    for (text, path, message, help) in cases {
        let err = Graph::from_json(text).unwrap_err();
        assert_eq!(err.path, *path, "{text}: {err:?}");
        assert!(err.message.contains(message), "{text}: {err:?}");
        assert!(
            err.help.clone().unwrap_or_default().contains(help),
            "{text}: {err:?}"
        );
        // The same document already parsed gives the same error (one with
        // a repeated key cannot be: serde_json keeps the last).
        let repeated = err.message.starts_with("duplicate key");
        if let (Ok(v), false) = (serde_json::from_str::<Json>(text), repeated) {
            assert_eq!(
                Graph::from_value(&v, &Limits::default()).err(),
                Some(err),
                "{text}"
            );
        }
    }
}

#[test]
fn limits_are_enforced() {
    let limits = Limits {
        max_graph_nodes: 2,
        max_graph_edges: 2,
        ..Limits::default()
    };
    let text = r#"{"nodes": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}"#;
    let err = Graph::from_json_with_limits(text, &limits).unwrap_err();
    assert_eq!(err.path, "nodes[2]");
    assert!(err.message.contains("more than 2 nodes"), "{err:?}");
    let text = r#"{"nodes": [{"id": "a", "depends_on": ["b", "b"]}, {"id": "b"}],
                   "edges": [{"from": "b", "to": "a"}]}"#;
    let err = Graph::from_json_with_limits(text, &limits).unwrap_err();
    assert_eq!(err.path, "edges[0]");
    assert!(err.message.contains("more than 2 edges"), "{err:?}");
    let small = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    let err = Graph::from_json_with_limits(text, &small).unwrap_err();
    assert!(err.message.contains("limit of 10 bytes"), "{err:?}");
}

/// A generated estate: node i depends on up to three earlier nodes.
fn estate(n: usize) -> String {
    let mut nodes = Vec::with_capacity(n);
    for i in 0..n {
        let deps: Vec<String> = [i / 2, i / 3, i.saturating_sub(7)]
            .iter()
            .filter(|&&d| d < i)
            .map(|d| format!("svc-{d:06}"))
            .collect();
        let kind = ["service", "database", "queue"][i % 3];
        nodes.push(json!({
            "id": format!("svc-{i:06}"), "kind": kind,
            "tier": (i % 4) as i64, "owner": format!("team-{}", i % 50),
            "tags": if i % 10 == 0 { json!(["pii"]) } else { json!([]) },
            "attributes": {"region": "eu-west-1"}, "depends_on": deps
        }));
    }
    serde_json::to_string(&json!({"nodes": nodes})).unwrap()
}

#[test]
fn a_large_estate_loads() {
    let text = estate(100_000);
    let started = std::time::Instant::now();
    let g = Graph::from_json(&text).unwrap();
    let loaded = started.elapsed();
    let root = idx(&g, "svc-000000");
    let started = std::time::Instant::now();
    let imp = g.impact(&[root]);
    eprintln!(
        "load {loaded:?}, impact of {} nodes {:?}",
        imp.len(),
        started.elapsed()
    );
    assert_eq!(g.len(), 100_000);
    assert_eq!(imp.len(), 100_000);
    assert_eq!(
        ids(&g, g.dependencies_of(idx(&g, "svc-000100"))),
        ["svc-000033", "svc-000050", "svc-000093"]
    );
    // Every path is a shortest chain of real edges from the target.
    for &n in imp.nodes().iter().step_by(997) {
        let path = imp.path(n);
        assert_eq!(path.first(), Some(&root));
        assert_eq!(path.last(), Some(&n));
        assert_eq!(path.len() as u32, imp.depth(n).unwrap() + 1);
        assert!(
            path.windows(2)
                .all(|w| g.dependents_of(w[0]).contains(&w[1]))
        );
    }
}

fn aliases_of(g: &Graph) -> Vec<(String, String)> {
    g.aliases()
        .map(|(a, n)| (a.to_owned(), g.node(n).id.to_string()))
        .collect()
}

/// Both loaders, fast and checked passes, keep the same aliases.
fn load_aliased(v: Json) -> Graph {
    let g = load(v.clone());
    let whole = Graph::from_value(&v, &Limits::default()).unwrap();
    assert_eq!(aliases_of(&g), aliases_of(&whole));
    g
}

fn name(g: &Graph, name: &str) -> Result<String, Vec<String>> {
    match g.resolve(name) {
        Ok(n) => Ok(g.node(n).id.to_string()),
        Err(Unresolved::Unknown) => Err(Vec::new()),
        Err(Unresolved::Ambiguous(nodes)) => Err(ids(g, &nodes)),
    }
}

#[test]
fn names_resolve_by_id_then_alias_then_ignoring_ascii_case() {
    let g = load_aliased(json!({"nodes": [
        {"id": "component:default/artist-lookup",
         "aliases": ["default/artist-lookup", "component:artist-lookup", "artist-lookup"]},
        {"id": "component:default/Artist-Web", "aliases": ["artist-web", "web", "web"]},
        {"id": "api:default/web", "aliases": ["web", "api:default/web"]},
        {"id": "db", "aliases": ["Primary"], "depends_on": ["db"]},
        {"id": "DB-replica", "aliases": ["primary"]},
        {"id": "caf\u{e9}", "aliases": ["b\u{fc}ro"]}
    ]}));
    let ok = |n: &str| name(&g, n).unwrap();
    // Exact id, exact alias, then either ignoring case.
    assert_eq!(
        ok("component:default/artist-lookup"),
        "component:default/artist-lookup"
    );
    assert_eq!(ok("artist-lookup"), "component:default/artist-lookup");
    assert_eq!(
        ok("Component:Default/Artist-Lookup"),
        "component:default/artist-lookup"
    );
    assert_eq!(
        ok("COMPONENT:ARTIST-LOOKUP"),
        "component:default/artist-lookup"
    );
    assert_eq!(
        ok("component:default/artist-web"),
        "component:default/Artist-Web"
    );
    // An exact alias wins over one that differs only in case.
    assert_eq!(ok("Primary"), "db");
    assert_eq!(ok("primary"), "DB-replica");
    assert_eq!(ok("DB"), "db");
    // A repeated alias and a node's own id among its aliases add nothing.
    assert_eq!(ok("artist-web"), "component:default/Artist-Web");
    // Shared names are ambiguous, candidates sorted by id.
    assert_eq!(
        name(&g, "web"),
        Err(vec![
            "api:default/web".to_owned(),
            "component:default/Artist-Web".to_owned()
        ])
    );
    assert_eq!(
        name(&g, "PRIMARY"),
        Err(vec!["DB-replica".to_owned(), "db".to_owned()])
    );
    // Only ASCII letters fold.
    assert_eq!(ok("CAF\u{e9}"), "caf\u{e9}");
    assert_eq!(name(&g, "CAF\u{c9}"), Err(Vec::new()));
    assert_eq!(ok("B\u{fc}RO"), "caf\u{e9}");
    assert_eq!(name(&g, "nothing"), Err(Vec::new()));
    assert_eq!(name(&g, ""), Err(Vec::new()));
    // Sorted by alias, then node; the own id and repeats left out.
    assert_eq!(aliases_of(&g).len(), 9);
    assert_eq!(g.index_of("artist-lookup"), None, "index_of stays exact");
}

#[test]
fn a_graph_without_aliases_still_resolves_ignoring_case() {
    let g = load(json!({"nodes": [{"id": "Orders-DB"}, {"id": "orders-db"}, {"id": "web"}]}));
    assert_eq!(g.aliases().count(), 0);
    assert_eq!(name(&g, "WEB"), Ok("web".to_owned()));
    assert_eq!(name(&g, "orders-db"), Ok("orders-db".to_owned()));
    assert_eq!(
        name(&g, "ORDERS-DB"),
        Err(vec!["Orders-DB".to_owned(), "orders-db".to_owned()])
    );
    // Reports read back from JSON have no aliases either.
    let bare = Graph::from_ids(vec!["a".into()]);
    assert_eq!(name(&bare, "A"), Ok("a".to_owned()));
}

#[test]
fn aliases_on_a_cycle_and_on_many_nodes() {
    let g = load_aliased(json!({"nodes": [
        {"id": "a", "aliases": ["first"], "depends_on": ["b"]},
        {"id": "b", "aliases": ["second"], "depends_on": ["a"]}
    ]}));
    let b = g.resolve("SECOND").unwrap();
    let imp = g.impact(&[b]);
    assert_eq!(ids(&g, imp.nodes()), ["b", "a"]);
    // Many nodes sharing one alias: every one is a candidate.
    let nodes: Vec<Json> = (0..40)
        .map(|i| json!({"id": format!("n{i}"), "aliases": ["shared", format!("only-{i}")]}))
        .collect();
    let g = load_aliased(json!({ "nodes": nodes }));
    assert!(matches!(g.resolve("shared"), Err(Unresolved::Ambiguous(v)) if v.len() == 40));
    assert_eq!(name(&g, "ONLY-39"), Ok("n39".to_owned()));
    let mut sorted = all(&g);
    g.sort_by_id(&mut sorted);
    assert_eq!(
        crate::graph::candidates(&g, &sorted),
        "`n0`, `n1`, `n10`, `n11`, `n12`, and 35 more"
    );
}

#[test]
fn bad_aliases_name_the_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"nodes": [{"id": "a", "aliases": "x"}]}"#,
            "nodes[0].aliases",
            "expected a list",
        ),
        (
            r#"{"nodes": [{"id": "a", "aliases": ["x", ""]}]}"#,
            "nodes[0].aliases[1]",
            "empty",
        ),
        (
            r#"{"nodes": [{"id": "a", "aliases": [1]}]}"#,
            "nodes[0].aliases[0]",
            "expected a string",
        ),
        (
            r#"{"nodes": [{"id": "a"}, {"id": "b", "aliases": ["x", "a"]}]}"#,
            "nodes[1].aliases[1]",
            "alias `a` is the id of another node, `nodes[0]`",
        ),
        // The id declared after the alias: found all the same.
        (
            r#"{"nodes": [{"id": "a", "aliases": ["b"]}, {"id": "b"}]}"#,
            "nodes[0].aliases[0]",
            "alias `b` is the id of another node, `nodes[1]`",
        ),
        (
            r#"{"nodes": [{"id": "a", "alias": ["b"]}]}"#,
            "nodes[0].alias",
            "unknown field",
        ),
    ];
    for (text, path, message) in cases {
        let err = Graph::from_json(text).unwrap_err();
        assert_eq!(err.path, *path, "{text}: {err:?}");
        assert!(err.message.contains(message), "{text}: {err:?}");
        let v: Json = serde_json::from_str(text).unwrap();
        assert_eq!(
            Graph::from_value(&v, &Limits::default()).err(),
            Some(err),
            "{text}"
        );
    }
    // `null` is absent; an escaped alias is read by the checked pass.
    let g = load_aliased(
        json!({"nodes": [{"id": "a", "aliases": null}, {"id": "b", "aliases": ["q\"uote"]}]}),
    );
    assert_eq!(name(&g, "Q\"UOTE"), Ok("b".to_owned()));
}

#[test]
fn forward_references_duplicates_and_both_directions_match_a_plain_edge_set() {
    // Edges to earlier and later nodes, to the node itself and repeated,
    // from `depends_on` and from `edges`: the adjacency both ways is the
    // set of distinct pairs, each node's neighbours sorted by id.
    let n = 3000usize;
    let id = |i: usize| format!("n{i}");
    let deps = |i: usize| [(i * 7 + 1) % n, (i * 13 + 5) % n, (i * 7 + 1) % n, i];
    let nodes: Vec<Json> = (0..n)
        .map(|i| json!({"id": id(i), "depends_on": deps(i).map(id)}))
        .collect();
    let edges: Vec<Json> = (0..n)
        .step_by(11)
        .map(|i| json!({"from": id((i * 3) % n), "to": id((i * 5 + 2) % n)}))
        .collect();
    let g = load(json!({"edges": edges, "nodes": nodes}));
    let mut pairs = std::collections::BTreeSet::new();
    for i in 0..n {
        pairs.extend(deps(i).map(|d| (i, d)));
    }
    for i in (0..n).step_by(11) {
        pairs.insert(((i * 3) % n, (i * 5 + 2) % n));
    }
    assert_eq!(g.edge_count(), pairs.len());
    for i in 0..n {
        assert_eq!(g.index_of(&id(i)), Some(NodeIdx(i as u32)));
        let mut out: Vec<String> = pairs.iter().filter(|p| p.0 == i).map(|p| id(p.1)).collect();
        let mut into: Vec<String> = pairs.iter().filter(|p| p.1 == i).map(|p| id(p.0)).collect();
        out.sort();
        into.sort();
        assert_eq!(ids(&g, g.dependencies_of(NodeIdx(i as u32))), out);
        assert_eq!(ids(&g, g.dependents_of(NodeIdx(i as u32))), into);
    }
    assert_eq!(g.index_of("n3000"), None);
    assert_eq!(g.index_of(""), None);
}
