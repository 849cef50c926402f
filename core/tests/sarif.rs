//! `api::findings_sarif` against the SARIF 2.1.0 schema (tests/sarif/), and
//! the fields code-scanning services read.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a failing test should stop loudly"
)]

use changegate::api::{self, LintOptions};
use changegate::{Limits, Source};
use serde_json::Value;

fn validator() -> jsonschema::Validator {
    let text = include_str!("sarif/sarif-schema-2.1.0.json");
    // The published `run.language` pattern ends with a stray `]`, which the
    // validator's check of the schema rejects as a regex; escaped here, it
    // matches what it meant. changegate writes no `language`.
    let text = text.replace(r#"{2}]?$"#, r#"{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).unwrap()
}

fn log(files: &[(&str, &str)]) -> Value {
    let sources = files
        .iter()
        .map(|(n, t)| Source {
            name: (*n).to_owned(),
            text: (*t).to_owned(),
        })
        .collect();
    let options = LintOptions {
        at: Some("2026-12-01T00:00:00Z".parse().unwrap()),
        ..LintOptions::default()
    };
    let findings = api::lint_with(sources, &Limits::default(), &options).unwrap();
    serde_json::from_str(&api::findings_sarif(&findings)).unwrap()
}

const POLICY: &str = "\
window lunch = cron \"0 12 * * *\" for 30m
let unused = targets
rule r {
  when change.risk == \"high\" and change.risk == \"low\"
  deny outside lunch
}
rule s { require approval \"cab\" require approval \"cab\" }
";

#[test]
fn the_log_is_valid_sarif_2_1_0() {
    let v = validator();
    for doc in [
        log(&[("policies/a b.gate", POLICY)]),
        log(&[("clean.gate", "rule r { deny \"no\" }\n")]),
    ] {
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
    }
}

#[test]
fn an_invalid_log_is_rejected_by_the_schema() {
    // The schema check itself can fail: a result without its message.
    let mut doc = log(&[("a.gate", POLICY)]);
    doc["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator().is_valid(&doc));
}

#[test]
fn results_name_their_rule_level_and_place() {
    let doc = log(&[("policies/a b.gate", POLICY)]);
    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "changegate");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), api::Lint::ALL.len());
    let results = run["results"].as_array().unwrap();
    let ids: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "unused-let",
            "never-holds",
            "short-window",
            "duplicate-requirement"
        ]
    );
    let never = &results[1];
    assert_eq!(never["level"], "error");
    let index = usize::try_from(never["ruleIndex"].as_u64().unwrap()).unwrap();
    assert_eq!(rules[index]["id"], "never-holds");
    let loc = &never["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "policies/a%20b.gate");
    assert_eq!(loc["region"]["startLine"], 4);
    assert_eq!(loc["region"]["startColumn"], 34);
    assert_eq!(loc["region"]["endLine"], 4);
    assert_eq!(loc["region"]["endColumn"], 54);
    assert!(
        never["message"]["text"]
            .as_str()
            .unwrap()
            .contains("help: ")
    );
}

#[test]
fn the_same_findings_give_the_same_bytes() {
    let sources = vec![Source {
        name: "a.gate".to_owned(),
        text: POLICY.to_owned(),
    }];
    let findings = api::lint(sources, &Limits::default()).unwrap();
    assert_eq!(
        api::findings_sarif(&findings),
        api::findings_sarif(&findings)
    );
}
