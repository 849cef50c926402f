//! The lints that read conditions, requirements, windows and inputs, and the
//! configuration; each case that fires has a near miss beside it.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on purpose"
)]

use super::*;

fn findings(text: &str, options: &LintOptions<'_>) -> Vec<Finding> {
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: text.to_owned(),
    }];
    lint(sources, &Limits::default(), options).unwrap()
}

fn names(text: &str) -> Vec<String> {
    findings(text, &LintOptions::default())
        .into_iter()
        .map(|f| f.name)
        .collect()
}

fn never(when: &str) -> bool {
    let text = format!("rule r {{\n  when {when}\n  require approval \"cab\"\n}}\n");
    names(&text).iter().any(|n| n == "never-holds")
}

#[test]
fn contradictions_are_found() {
    for when in [
        "change.risk == \"high\" and change.risk == \"low\"",
        "change.x < 3 and change.x > 5",
        "change.x <= 3 and change.x > 3",
        "change.x >= 3 and change.x < 3",
        "count(targets) < 0",
        "count(targets) == -1",
        "count(impacted) <= -1",
        "\"a\" == \"b\"",
        "change.x in []",
        "change.x == 3 and change.x != 3",
        "change.x == 3 and change.x > 4",
        "change.x < 3 and change.x > 2h",
        "(change.x == 2 and change.x == 3) or (change.y < 0 and change.y > 0)",
        "any(targets, node.tier < 0 and node.tier > 0)",
        "change.start > 2026-12-01T00:00Z and change.start < 2026-11-01T00:00Z",
        "3 < change.x and change.x < 2",
    ] {
        assert!(never(when), "not found: {when}");
    }
}

#[test]
fn what_can_hold_is_no_finding() {
    for when in [
        "change.x > 3 and change.x < 4",
        "change.x >= 3 and change.x <= 3",
        "change.x < 3 or change.x > 5",
        "count(targets) <= 0",
        "count(impacted) > 0 and count(impacted) < 2",
        "\"a\" == \"a\"",
        "change.x == null and change.x != 3",
        "change.x != 3 and change.x != 4",
        "change.x == 1 and (change.x == 2 or change.x == 1)",
        "all(targets, node.tier < 0 and node.tier > 0)",
        "change.x == 3 and change.y == 4",
        "not (change.x == 3) and change.x == 3",
        "max(impacted, node.tier) < 1 and min(impacted, node.tier) > 1",
        "change.start > 2026-12-01T00:00Z and change.start < 2026-12-01T00:00+01:00 or true",
    ] {
        assert!(!never(when), "found: {when}");
    }
}

#[test]
fn a_never_holding_rule_is_an_error_at_the_later_comparison() {
    let text = "rule r {\n  when change.risk == \"high\"\n  when change.risk == \"low\"\n  deny \"no\"\n}\n";
    let fs = findings(text, &LintOptions::default());
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].severity, Severity::Error);
    assert_eq!((fs[0].line, fs[0].column), (3, 8));
}

#[test]
fn duplicates_need_the_same_conditions_or_none() {
    let dup = "rule a { when change.x == 1 require approval \"g\" }\nrule b { when (change.x == 1) require approval \"g\" }\n";
    assert_eq!(names(dup), ["duplicate-requirement"]);
    let other = "rule a { when change.x == 1 require approval \"g\" }\nrule b { when change.x == 2 require approval \"g\" }\n";
    assert!(names(other).is_empty());
    let unconditional =
        "rule b { when change.x == 2 require approval \"g\" }\nrule a { require approval \"g\" }\n";
    let fs = findings(unconditional, &LintOptions::default());
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].line, 1);
    let count = "rule a { require approval \"g\" }\nrule b { require approval \"g\" count 2 }\n";
    assert!(names(count).is_empty());
    let conditions = "rule a { require change.x != null else \"x\" }\nrule b { require change.x != null else \"another message\" }\n";
    assert_eq!(names(conditions), ["duplicate-requirement"]);
}

#[test]
fn a_window_shorter_than_min_window_is_found_only_for_deny_outside() {
    let text = "window w = cron \"0 12 * * *\" for 30m\nrule r { deny outside w }\n";
    assert_eq!(names(text), ["short-window"]);
    let during = "window w = cron \"0 12 * * *\" for 30m\nrule r { deny during w }\n";
    assert!(names(during).is_empty());
    let config = LintConfig {
        options: LintSettings {
            min_window: Some("30m".to_owned()),
        },
        ..LintConfig::default()
    };
    let options = LintOptions {
        config: config.resolve("changegate.toml").unwrap(),
        ..LintOptions::default()
    };
    assert!(findings(text, &options).is_empty());
}

#[test]
fn levels_change_severities_and_off_removes() {
    let doc = serde_json::json!({"lint": {"unused-let": "error", "unused-window": "off"}});
    let config = LintConfig::from_file_json("c.toml", &doc).unwrap();
    let options = LintOptions {
        config: config.resolve("c.toml").unwrap(),
        ..LintOptions::default()
    };
    let text = "window w = cron \"0 12 * * *\" for 2h\nlet s = targets\n";
    let fs = findings(text, &options);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].name, "unused-let");
    assert_eq!(fs[0].severity, Severity::Error);
}

#[test]
fn bad_configurations_name_the_key_and_the_fix() {
    let bad = |doc: serde_json::Value| LintConfig::from_file_json("c.toml", &doc).unwrap_err();
    let e = bad(serde_json::json!({"lint": {"never-hold": "off"}}));
    assert_eq!(e.key, "lint.never-hold");
    assert_eq!(e.help, "did you mean `never-holds`?");
    assert_eq!(
        e.to_string(),
        "c.toml: `lint.never-hold`: `never-hold` is not a lint"
    );
    let e = bad(serde_json::json!({"lint": {"never-holds": "fatal"}}));
    assert!(e.help.contains("`\"warning\"`"), "{}", e.help);
    let e = bad(serde_json::json!({"lint": {"options": {"min-window": "0h"}}}));
    assert_eq!(e.key, "lint.options.min-window");
    let e = bad(serde_json::json!({"lint": {"options": {"minwindow": "1h"}}}));
    assert_eq!(e.help, "did you mean `min-window`?");
    let e = bad(serde_json::json!({"lint": 3}));
    assert_eq!(e.key, "lint");
    assert!(LintConfig::from_file_json("c.toml", &serde_json::json!({"fmt": {}})).is_ok());
}

fn graph() -> crate::graph::Graph {
    crate::graph::Graph::from_json_with_limits(
        r#"{"nodes": [
            {"id": "db", "kind": "database", "tier": 0, "owner": "dba", "attributes": {"region": "eu"}},
            {"id": "job", "kind": "job", "tier": 2}
        ]}"#,
        &Limits::default(),
    )
    .unwrap()
}

#[test]
fn owner_sets_are_read_against_the_graph() {
    let g = graph();
    let options = LintOptions {
        graph: Some(&g),
        ..LintOptions::default()
    };
    let fires = |set: &str| {
        let text = format!("rule r {{ require approval owner of {set} }}\n");
        findings(&text, &options)
            .into_iter()
            .map(|f| f.message)
            .collect::<Vec<_>>()
    };
    assert!(fires("impacted")[0].contains("`job`"));
    assert!(fires("impacted where node.kind == \"cache\"")[0].contains("no node of the graph"));
    assert!(fires("impacted where node.tier == 0").is_empty());
    assert!(fires("impacted where node.owner != null").is_empty());
    assert!(fires("impacted where change.x == 1 and node.tier < 1").is_empty());
    // Without a graph the lint does not run.
    let text = "rule r { require approval owner of impacted }\n";
    assert!(names(text).is_empty());
}

#[test]
fn attributes_are_checked_against_the_inputs_with_a_suggestion() {
    let g = graph();
    let change = crate::change::Change::from_json(
        r#"{"id": "c", "type": "normal", "targets": ["db"], "start": "2026-11-17T09:00:00Z",
            "end": "2026-11-17T10:00:00Z", "attributes": {"risk": "low"}}"#,
    )
    .unwrap();
    let changes = [change];
    let text = "rule r {\n  when change.rsik == \"high\" and any(targets, node.regoin == \"eu\")\n  when change.type == \"normal\" and any(targets, node.depth == 0 and node.region == \"eu\")\n  deny \"no\"\n}\n";
    let only_graph = LintOptions {
        graph: Some(&g),
        ..LintOptions::default()
    };
    let fs = findings(text, &only_graph);
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].help.as_deref(), Some("did you mean `node.region`?"));
    let both = LintOptions {
        graph: Some(&g),
        changes: &changes,
        ..LintOptions::default()
    };
    let fs = findings(text, &both);
    assert_eq!(fs.len(), 2);
    assert_eq!(fs[0].help.as_deref(), Some("did you mean `change.risk`?"));
    assert!(names(text).is_empty());
}
