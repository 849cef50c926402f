#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "tests stop loudly"
)]

use serde_json::{Value as Json, json};

use super::check::check;
use super::coverage::located;
use super::junit::escape;
use super::plan::{merge, plan};
use super::read::read_file;
use crate::limits::Limits;

fn merged(target: Json, patch: Json) -> Json {
    let mut t = target;
    merge(&mut t, &patch);
    t
}

#[test]
fn merge_is_a_json_merge_patch() {
    // Objects key by key, `null` deletes, lists and scalars replace.
    assert_eq!(
        merged(
            json!({"a": 1, "b": {"c": 2, "d": 3}, "l": [1, 2]}),
            json!({"b": {"c": null, "e": 4}, "l": [3], "a": "x"})
        ),
        json!({"a": "x", "b": {"d": 3, "e": 4}, "l": [3]})
    );
    assert_eq!(
        merged(json!([1]), json!({"a": null, "b": 1})),
        json!({"b": 1})
    );
    assert_eq!(merged(json!({"a": 1}), json!(7)), json!(7));
    assert_eq!(
        merged(json!({"a": {"b": 1}}), json!({"a": {}})),
        json!({"a": {"b": 1}})
    );
}

fn file(v: Json) -> Result<super::format::TestFile, crate::input::InputError> {
    read_file(&v.to_string(), &Limits::default())
}

#[test]
fn tables_expand_row_by_row_over_the_base() {
    let f = file(json!({
        "graph": "g.json",
        "base": {"id": "C", "attributes": {"risk": "low", "keep": 1}},
        "cases": [{"name": "one", "change": {"id": "D"}, "expect": {"outcome": "approved"}}],
        "tables": [{
            "name": "risk",
            "change": {"type": "normal"},
            "expect": {"outcome": "pending"},
            "columns": ["change.attributes.risk", ["expect", "approvals", "cab.x"]],
            "rows": [["high", true], [null, false]]
        }, {
            "name": "named",
            "columns": ["name", "expect.outcome"],
            "rows": [["my own name", "denied"]]
        }]
    }))
    .unwrap();
    let cases = plan(&f).unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "one",
            "risk (high, true)",
            "risk (null, false)",
            "my own name"
        ]
    );
    assert_eq!(
        cases[0].change,
        json!({"id": "D", "attributes": {"risk": "low", "keep": 1}})
    );
    assert_eq!(
        cases[1].change,
        json!({"id": "C", "type": "normal", "attributes": {"risk": "high", "keep": 1}})
    );
    // A `null` in a change column deletes the key.
    assert_eq!(
        cases[2].change,
        json!({"id": "C", "type": "normal", "attributes": {"keep": 1}})
    );
    let approvals = cases[1].expect.approvals.as_ref().unwrap();
    assert_eq!(approvals.get("cab.x"), Some(&json!(true)));
    assert_eq!(cases[1].expect.outcome, Some(crate::Outcome::Pending));
    assert_eq!(cases[3].expect.outcome, Some(crate::Outcome::Denied));
}

#[test]
fn errors_name_the_json_path_and_the_fix() {
    let err = |v: Json| {
        let e = file(v.clone())
            .and_then(|f| plan(&f).map(|_| ()))
            .unwrap_err();
        (e.path, e.message, e.help.unwrap_or_default())
    };
    let (path, message, help) = err(json!({"graph": "g", "cases": [
        {"name": "a", "expect": {"outcom": "approved"}}
    ]}));
    assert_eq!(path, "cases[0].expect.outcom");
    assert_eq!(message, "unknown field `outcom`");
    assert_eq!(help, "did you mean `outcome`?");
    let (path, message, _) = err(json!({"graph": "g", "cases": [
        {"name": "a", "expect": {"approvals": {"cab": {"requird": 2}}}}
    ]}));
    assert_eq!(
        (path.as_str(), message.as_str()),
        (
            "cases[0].expect.approvals.cab.requird",
            "unknown field `requird`"
        )
    );
    let (path, _, _) = err(json!({"graph": "g", "cases": [
        {"name": "a", "expect": {"outcome": "approved"}},
        {"name": "a", "expect": {"outcome": "approved"}}
    ]}));
    assert_eq!(path, "cases[1].name");
    let (path, message, _) = err(json!({"graph": "g", "tables": [
        {"name": "t", "columns": ["change.id", "expect.outcome"], "rows": [["x"]]}
    ]}));
    assert_eq!(path, "tables[0].rows[0]");
    assert!(
        message.contains("1 values, but the table has 2 columns"),
        "{message}"
    );
    let (path, _, help) = err(json!({"graph": "g", "tables": [
        {"name": "t", "columns": ["expect.fird"], "rows": [[[]]]}
    ]}));
    assert_eq!(
        (path.as_str(), help.as_str()),
        ("tables[0].columns[0]", "did you mean `expect.fired`?")
    );
    let (path, message, _) = err(json!({"graph": "g", "cases": [{"name": "a", "expect": {}}]}));
    assert_eq!(path, "cases[0].expect");
    assert!(message.contains("check nothing"), "{message}");
    let (path, _, _) = err(json!({"graph": "g", "cases": []}));
    assert_eq!(path, "");
    let (path, _, _) = err(json!({"cases": [{"name": "a", "expect": {"outcome": "approved"}}]}));
    assert_eq!(path, "graph");
    let (path, _, _) = err(json!({"graph": "g", "cases": [
        {"name": "a", "expect": {"next_allowed_start": "tomorrow"}}
    ]}));
    assert_eq!(path, "cases[0].expect.next_allowed_start");
}

fn decision() -> crate::Decision {
    let policy = crate::Policy::from_sources([(
        "p.gate",
        "window w = between 2026-01-01T00:00 and 2026-01-02T00:00\n\
         rule r { require approval \"cab\" count 2 }\n\
         rule f { deny during w }\n\
         rule b { require backup of targets kind \"snapshot\" within 1d }\n\
         rule c { require change.plan != null else \"a plan\" }",
    )])
    .unwrap();
    let graph =
        crate::Graph::from_json(r#"{"nodes": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}"#)
            .unwrap();
    let change = crate::Change::from_json(
        r#"{"id": "C1", "type": "normal", "targets": ["a"], "requested_by": "me",
            "approvals": [{"group": "cab", "by": "x"}],
            "start": "2026-01-01T10:00:00Z", "end": "2026-01-01T11:00:00Z"}"#,
    )
    .unwrap();
    policy.evaluate(&change, &graph).unwrap()
}

fn expect(v: Json) -> super::format::Expect {
    super::read::read_expect(&v, &crate::input::Path::Root).unwrap()
}

fn paths(v: Json) -> Vec<String> {
    check(&expect(v), &Ok(decision()))
        .into_iter()
        .map(|m| m.path)
        .collect()
}

#[test]
fn expectations_that_hold_give_no_difference() {
    let none: Vec<String> = Vec::new();
    assert_eq!(
        paths(json!({
            "outcome": "denied",
            "approvals": {"cab": {"required": 2, "granted_by": ["x"], "satisfied": false}, "dba": null},
            "approvals_unmet": ["cab"],
            "backups": {"a snapshot": false, "a": null},
            "backups_unmet": ["a snapshot"],
            "conditions": {"a plan": false},
            "conditions_unmet": ["a plan"],
            "blocks": {"w": {"kind": "during", "occurrence": {"start": "2026-01-01T00:00:00Z"}}, "other": false},
            "blocked_by": ["w"],
            "next_allowed_start": "2026-01-02T01:00:00+01:00",
            "impacted": ["b", "a"],
            "fired": ["b", "c", "f", "r"],
            "fired_include": ["r"],
            "fired_exclude": ["nope"],
            "overrides": {"f": null},
            "decision": {"change": "C1", "impact": {"targets": ["a"]}}
        })),
        none
    );
}

#[test]
fn each_difference_is_at_its_expectation() {
    assert_eq!(
        paths(json!({
            "outcome": "approved",
            "approvals": {"cab": {"required": 1}, "dba": true},
            "approvals_unmet": [],
            "blocks": {"w": false},
            "fired_exclude": ["r"],
            "next_allowed_start": null,
            "decision": {"impact": {"targets": ["a", "b"]}}
        })),
        [
            "outcome",
            "approvals.cab.required",
            "approvals.dba",
            "approvals_unmet",
            "blocks.w",
            "next_allowed_start",
            "fired_exclude",
            "decision.impact.targets"
        ]
    );
    let m = check(&expect(json!({"fired": ["r", "x"]})), &Ok(decision()));
    assert_eq!(m[0].missing, ["x"]);
    assert_eq!(m[0].unexpected, ["b", "c", "f"]);
    assert!(m[0].diff().contains("missing    `x`"), "{}", m[0].diff());
}

#[test]
fn a_refused_change_matches_only_an_expected_error() {
    let refused: Result<crate::Decision, crate::Error> = Err(crate::Error::change(
        crate::InputError::new("targets[0]", "unknown target `zz`"),
    ));
    assert!(check(&expect(json!({"error": "unknown target"})), &refused).is_empty());
    let m = check(&expect(json!({"outcome": "approved"})), &refused);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].path, "error");
    let m = check(&expect(json!({"error": "x"})), &Ok(decision()));
    assert_eq!(m[0].path, "error");
}

#[test]
fn junit_escapes_markup_quotes_and_controls() {
    assert_eq!(
        escape("a<b>&\"c\" 'd'\n\u{1}\u{0}é"),
        "a&lt;b&gt;&amp;&quot;c&quot; &apos;d&apos;&#10;\u{fffd}\u{fffd}é"
    );
}

#[test]
fn policy_files_are_named_from_where_the_tests_run() {
    assert_eq!(
        located("policies/itil", "baseline.gate"),
        "policies/itil/baseline.gate"
    );
    assert_eq!(
        located("policies/examples", "../itil/x.gate"),
        "policies/itil/x.gate"
    );
    assert_eq!(located("", "./a.gate"), "a.gate");
    assert_eq!(located("a", "../../b.gate"), "../b.gate");
}
