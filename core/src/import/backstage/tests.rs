//! The pieces: references, tiers, YAML scalars and limits, file shapes, and
//! the direction of every link.

use proptest::prelude::*;
use serde_json::{Value as Json, json};

use super::entity::parse_tier;
use super::refs::{self, EntityRef, Link};
use super::tree::Value;
use super::yaml;
use crate::limits::Limits;
use crate::source::Source;

fn r(kind: &str, namespace: &str, name: &str) -> EntityRef {
    EntityRef {
        kind: kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    }
}

#[test]
fn references_take_kind_and_namespace_from_the_context() {
    let p = |s| refs::parse(s, Some("group"), "music");
    assert_eq!(p("team-a").unwrap(), r("group", "music", "team-a"));
    assert_eq!(p("user:jdoe").unwrap(), r("user", "music", "jdoe"));
    assert_eq!(
        p("default/team-a").unwrap(),
        r("group", "default", "team-a")
    );
    assert_eq!(
        p("Component:Default/Artist-Lookup").unwrap(),
        r("Component", "Default", "Artist-Lookup")
    );
    // A `/` before the first `:`: no kind, the colon is the name's.
    assert_eq!(p("ns/a:b").unwrap(), r("group", "ns", "a:b"));
    assert_eq!(p("k:ns/a/b").unwrap(), r("k", "ns", "a/b"));
    for bad in ["", ":x", "k:", "/x", "k:/x", "k:ns/"] {
        assert!(p(bad).is_err(), "{bad:?}");
    }
    assert!(refs::parse("artists-db", None, "default").is_err());
}

#[test]
fn references_compare_without_case_and_keep_the_name_spelled() {
    let a = r("Component", "Default", "Artist-Lookup");
    assert_eq!(a.key(), r("component", "default", "artist-lookup").key());
    assert_eq!(a.canonical(), "component:default/Artist-Lookup");
}

#[test]
fn kinds_and_namespaces_follow_backstage() {
    assert!(refs::valid_kind("API") && refs::valid_kind("Component2"));
    assert!(!refs::valid_kind("2x") && !refs::valid_kind("a-b") && !refs::valid_kind(""));
    assert!(refs::valid_namespace("default") && refs::valid_namespace("tracking-services"));
    assert!(!refs::valid_namespace("a--b") && !refs::valid_namespace("-a"));
    assert!(!refs::valid_namespace("a/b") && !refs::valid_namespace(""));
    assert!(refs::valid_name("CircleciBuildsDumpV2_avro_gcs"));
    assert!(!refs::valid_name("two words") && !refs::valid_name(""));
}

#[test]
fn relations_map_to_directions() {
    use Link::*;
    let cases = [
        ("dependsOn", Some(DependsOn)),
        ("consumesApi", Some(DependsOn)),
        ("apiProvidedBy", Some(DependsOn)),
        ("dependencyOf", Some(DependencyOf)),
        ("apiConsumedBy", Some(DependencyOf)),
        ("providesApi", Some(DependencyOf)),
        ("partOf", Some(PartOf)),
        ("hasPart", Some(HasPart)),
        ("ownedBy", None),
        ("hasMember", None),
        ("parentOf", None),
    ];
    for (t, want) in cases {
        assert_eq!(refs::relation(t), Ok(want), "{t}");
    }
    assert_eq!(refs::relation("runsOn"), Err(()));
    assert_eq!(refs::relation("DependsOn"), Err(()));
    for t in refs::RELATIONS {
        assert!(refs::relation(t).is_ok(), "{t}");
    }
}

#[test]
fn tiers_read_numbers_with_or_without_a_prefix() {
    for (text, want) in [
        ("0", Some(0)),
        ("1", Some(1)),
        (" 2 ", Some(2)),
        ("tier-1", Some(1)),
        ("Tier 3", Some(3)),
        ("TIER_0", Some(0)),
        ("t1", Some(1)),
        ("tier1", Some(1)),
        ("critical", None),
        ("-1", None),
        ("tier-", None),
        ("1.5", None),
        ("", None),
        ("99999999999999999999", None),
    ] {
        assert_eq!(parse_tier(text), want, "{text:?}");
    }
}

fn one_doc(text: &str) -> Json {
    let docs = yaml::documents("f.yaml", text).unwrap();
    assert_eq!(docs.len(), 1, "{text:?}");
    docs[0].to_json()
}

#[test]
fn yaml_scalars_follow_the_core_schema() {
    let v = one_doc(
        "a: yes\nb: on\nc: true\nd: ~\ne:\nf: 012\ng: 0x1F\nh: 0o17\ni: 1.5e3\nj: .inf\n\
         k: '1'\nl: !!str 2\nm: -7\nn: 99999999999999999999999\no: 1_000\n",
    );
    assert_eq!(
        v,
        json!({"a": "yes", "b": "on", "c": true, "d": null, "e": null, "f": 12,
               "g": 31, "h": 15, "i": 1500.0, "j": ".inf", "k": "1", "l": "2",
               "m": -7, "n": 1e23, "o": "1_000"})
    );
}

#[test]
fn yaml_keeps_every_document_and_its_positions() {
    let docs = yaml::documents("f.yaml", "# c\n---\n---\na: 1\n---\n- x\n...\n").unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0].value, Value::Null);
    assert_eq!(docs[1].pos, Some((4, 1)));
    assert_eq!(docs[1].get("a").unwrap().pos, Some((4, 4)));
    assert_eq!(docs[2].to_json(), json!(["x"]));
}

#[test]
fn yaml_aliases_expand_within_a_budget() {
    let v = one_doc("a: &x {k: v}\nb: *x\n");
    assert_eq!(v, json!({"a": {"k": "v"}, "b": {"k": "v"}}));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let e = yaml::documents("f.yaml", &bomb).unwrap_err();
    assert!(
        e.message.starts_with("aliases expand the document"),
        "{e:?}"
    );
    assert!(e.path.starts_with("f.yaml:"), "{e:?}");
}

#[test]
fn yaml_refuses_deep_nesting_and_complex_keys() {
    let deep = "[".repeat(yaml::MAX_DEPTH + 1) + &"]".repeat(yaml::MAX_DEPTH + 1);
    let e = yaml::documents("f.yaml", &deep).unwrap_err();
    assert!(e.message.contains("nested more than"), "{e:?}");
    let e = yaml::documents("f.yaml", "? [a]\n: b\n").unwrap_err();
    assert!(e.message.contains("key must be a scalar"), "{e:?}");
    let e = yaml::documents("f.yaml", "a: *nope\n").unwrap_err();
    assert!(e.path.starts_with("f.yaml:1:"), "{e:?}");
}

fn run(
    files: &[(&str, &str)],
    options: Json,
) -> Result<super::Imported<crate::api::GraphDocument>, crate::Error> {
    let files: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source {
            name: (*name).to_owned(),
            text: (*text).to_owned(),
        })
        .collect();
    super::catalog(&files, &options, &Limits::default())
}

const TWO: &str = "apiVersion: v1\nkind: Component\nmetadata: {name: a}\nspec: {type: service}\n\
                   ---\napiVersion: v1\nkind: Component\nmetadata: {name: b}\n\
                   spec: {type: service, dependsOn: [component:a]}\n";

#[test]
fn json_exports_read_as_a_list_or_items_and_null_items_are_notes() {
    let list = r#"[{"apiVersion": "v1", "kind": "Component", "metadata": {"name": "a"}}, null]"#;
    let items = r#"{"items": [{"apiVersion": "v1", "kind": "API", "metadata": {"name": "p"}}],
                   "totalItems": 1, "pageInfo": {}}"#;
    let one = r#"{"apiVersion": "v1", "kind": "User", "metadata": {"name": "u"}}"#;
    let got = run(
        &[("l.json", list), ("i.JSON", items), ("o.json", one)],
        Json::Null,
    )
    .unwrap();
    let ids: Vec<_> = got.document.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        ["component:default/a", "api:default/p", "user:default/u"]
    );
    assert_eq!(got.notes.len(), 1);
    assert_eq!(got.notes[0].record, "l.json: [1]");
    // A repeated key in JSON is an error at its path.
    let e = run(&[("d.json", r#"{"kind": "A", "kind": "B"}"#)], Json::Null).unwrap_err();
    assert!(e.to_json().contains("d.json: kind"), "{}", e.to_json());
}

#[test]
fn spec_links_point_the_documented_way() {
    let got = run(&[("c.yaml", TWO)], Json::Null).unwrap();
    let b = &got.document.nodes[1];
    assert_eq!(
        b.depends_on.as_deref(),
        Some(&["component:default/a".to_owned()][..])
    );
    let provides = "apiVersion: v1\nkind: Component\nmetadata: {name: p}\n\
                    spec: {providesApis: [x], subcomponentOf: q}\n---\n\
                    apiVersion: v1\nkind: API\nmetadata: {name: x}\n---\n\
                    apiVersion: v1\nkind: Component\nmetadata: {name: q}\n";
    let got = run(&[("p.yaml", provides)], Json::Null).unwrap();
    let deps = |i: usize| got.document.nodes[i].depends_on.clone().unwrap_or_default();
    assert!(deps(0).is_empty());
    assert_eq!(deps(1), ["component:default/p"]);
    assert_eq!(deps(2), ["component:default/p"]);
}

#[test]
fn options_are_checked_field_by_field() {
    let e = run(&[("c.yaml", TWO)], json!({"danglin": "report"})).unwrap_err();
    assert!(e.to_json().contains("options.danglin"), "{}", e.to_json());
    assert!(
        e.to_json().contains("did you mean `dangling`"),
        "{}",
        e.to_json()
    );
    let e = run(&[("c.yaml", TWO)], json!({"part_of_edges": "yes"})).unwrap_err();
    assert!(
        e.to_json().contains("options.part_of_edges"),
        "{}",
        e.to_json()
    );
    let e = run(&[("c.yaml", TWO)], json!([])).unwrap_err();
    assert!(e.to_json().contains("\"options\""), "{}", e.to_json());
    assert!(run(&[], Json::Null).is_err());
    let e = run(
        &[("c.yaml", TWO)],
        json!({"annotation_attributes": {"name": "example.com/name"}}),
    )
    .unwrap_err();
    assert!(
        e.to_json().contains("options.annotation_attributes.name"),
        "{}",
        e.to_json()
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let files = [Source {
        name: "big.yaml".to_owned(),
        text: TWO.to_owned(),
    }];
    let limits = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    let e = super::catalog(&files, &Json::Null, &limits).unwrap_err();
    assert!(e.to_json().contains("big.yaml"), "{}", e.to_json());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any text, as YAML or as JSON, is a graph the engine loads or an
    /// error; never a panic.
    #[test]
    fn never_panics_and_what_it_makes_loads(text in ".{0,400}", json in any::<bool>()) {
        let name = if json { "x.json" } else { "x.yaml" };
        if let Ok(got) = run(&[(name, &text)], Json::Null) {
            let v = serde_json::to_value(&got.document).unwrap();
            prop_assert!(crate::api::load_graph_value(&v, &Limits::default()).is_ok());
        }
    }

    /// Entities built from arbitrary names and references: the import
    /// either fails cleanly or loads.
    #[test]
    fn generated_catalogs_load(
        names in prop::collection::vec("[a-zA-Z][a-zA-Z0-9-]{0,6}", 1..8),
        deps in prop::collection::vec((0usize..8, 0usize..8), 0..12),
        dangling in prop::sample::select(vec!["error", "report", "placeholder"]),
    ) {
        let mut text = String::new();
        for (i, n) in names.iter().enumerate() {
            let d: Vec<String> = deps
                .iter()
                .filter(|(from, _)| *from == i)
                .map(|(_, to)| format!("component:{}", names.get(*to).map_or("missing", String::as_str)))
                .collect();
            text.push_str(&format!(
                "---\napiVersion: v1\nkind: Component\nmetadata: {{name: {n}}}\n\
                 spec: {{type: service, owner: team, dependsOn: [{}]}}\n",
                d.join(", ")
            ));
        }
        if let Ok(got) = run(&[("c.yaml", &text)], json!({"dangling": dangling})) {
            let v = serde_json::to_value(&got.document).unwrap();
            prop_assert!(crate::api::load_graph_value(&v, &Limits::default()).is_ok());
        }
    }
}
