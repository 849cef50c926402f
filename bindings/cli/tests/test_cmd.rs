//! `changegate test` through the binary: passing and failing cases, exit
//! codes, the differences, JUnit XML, JSON, the filter, coverage, and test
//! files that cannot run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use std::path::PathBuf;

use serde_json::Value;

mod common;
use common::*;

const POLICY: &str = "\
window freeze = between 2026-12-19T00:00 and 2027-01-04T00:00 in \"UTC\"
rule cab { when change.type == \"normal\" require approval \"cab\" }
rule holiday { deny during freeze }
";

const GRAPH: &str = r#"{"nodes": [{"id": "db"}, {"id": "api", "depends_on": ["db"]}]}"#;

/// A scratch folder holding `p.gate`, `g.json` and `t.test.json` with
/// `test` as its text.
fn scratch(name: &str, test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("changegate-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("p.gate"), POLICY).unwrap();
    std::fs::write(dir.join("g.json"), GRAPH).unwrap();
    std::fs::write(dir.join("t.test.json"), test).unwrap();
    dir
}

const TESTS: &str = r#"{
  "graph": "g.json",
  "base": {"id": "C1", "type": "normal", "targets": ["db"],
           "start": "2026-06-01T10:00:00Z", "end": "2026-06-01T11:00:00Z",
           "approvals": [{"group": "cab", "by": "bob"}]},
  "cases": [
    {"name": "approved with the CAB", "expect": {"outcome": "approved", "impacted": ["db", "api"]}},
    {"name": "frozen <at> & holidays", "change": {"start": "2026-12-20T10:00:00Z", "end": "2026-12-20T11:00:00Z"},
     "expect": {"outcome": "approved", "blocked_by": []}},
    {"name": "skipped one", "skip": "not yet", "expect": {"outcome": "approved"}}
  ],
  "tables": [{"name": "cab by type", "columns": ["change.type", "expect.approvals.cab"],
              "rows": [["normal", true], ["standard", null]]}]
}"#;

fn last_line(s: &str) -> &str {
    s.trim_end().lines().last().unwrap_or_default()
}

#[test]
fn the_policy_librarys_tests_pass() {
    let out = run(&repo(), &["test", "policies/", "--color", "never"]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(
        last_line(&stdout(&out)).ends_with(" passed, 0 failed"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_failing_case_shows_what_differs_and_exits_3() {
    let dir = scratch("fail", TESTS);
    let out = run(&dir, &["test", "--color", "never"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 3, "{text}{}", stderr(&out));
    assert!(text.contains("  ✓ approved with the CAB\n"), "{text}");
    assert!(
        text.contains(
            "  ✗ frozen <at> & holidays\n      outcome\n        expected   \"approved\"\n        actual     \"denied\"\n      blocked_by\n        expected   []\n        actual     [\"freeze\"]\n        unexpected `freeze`\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  - skipped one  skipped: not yet\n"),
        "{text}"
    );
    assert!(text.contains("cab by type (standard, null)"), "{text}");
    assert_eq!(last_line(&text), "3 passed, 1 failed, 1 skipped");
}

#[test]
fn the_filter_runs_only_matching_cases() {
    let dir = scratch("filter", TESTS);
    let out = run(&dir, &["test", ".", "--filter", "cab", "--color", "never"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert_eq!(
        last_line(&stdout(&out)),
        "2 passed, 0 failed, 3 filtered out"
    );
}

#[test]
fn json_is_the_report() {
    let dir = scratch("json", TESTS);
    let out = run(&dir, &["test", "t.test.json", "--format", "json"]);
    assert_eq!(code(&out), 3);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"passed": 3, "failed": 1, "skipped": 1, "filtered": 0, "errors": 0})
    );
    assert_eq!(v["files"][0]["file"], "t.test.json");
    let failed = &v["files"][0]["cases"][1];
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["mismatches"][0]["path"], "outcome");
    assert_eq!(failed["mismatches"][0]["actual"], "denied");
    assert!(v.get("coverage").is_none());
}

/// Every tag opened is closed in order, and no `<` or `&` is loose.
fn well_formed(xml: &str) -> Result<(), String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find('<') {
        let text = &rest[..i];
        for (j, _) in text.match_indices('&') {
            let entity = &text[j..];
            if !["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| entity.starts_with(e))
            {
                return Err(format!("loose `&` in {text:?}"));
            }
        }
        let end = rest[i..].find('>').ok_or("unclosed tag")? + i;
        let tag = &rest[i + 1..end];
        if tag.contains('<') {
            return Err(format!("`<` inside tag {tag:?}"));
        }
        if let Some(name) = tag.strip_prefix('/') {
            if stack.pop().as_deref() != Some(name) {
                return Err(format!("`</{name}>` closes nothing open"));
            }
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or_default().to_owned());
        }
        rest = &rest[end + 1..];
    }
    if stack.is_empty() {
        Ok(())
    } else {
        Err(format!("unclosed {stack:?}"))
    }
}

#[test]
fn junit_is_well_formed_xml_with_a_suite_per_file() {
    let dir = scratch("junit", TESTS);
    let out = run(&dir, &["test", "--format", "junit"]);
    assert_eq!(code(&out), 3);
    let xml = stdout(&out);
    well_formed(&xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
    assert!(xml.contains(
        "<testsuites name=\"changegate\" tests=\"5\" failures=\"1\" errors=\"0\" skipped=\"1\">"
    ));
    assert!(xml.contains("<testsuite name=\"t.test.json\" tests=\"5\" failures=\"1\""));
    assert!(
        xml.contains("<testcase name=\"frozen &lt;at&gt; &amp; holidays\""),
        "{xml}"
    );
    assert!(
        xml.contains("<failure message=\"2 differences\">outcome&#10;"),
        "{xml}"
    );
    assert!(xml.contains("<skipped message=\"not yet\"/>"), "{xml}");
    let lib = run(&repo(), &["test", "policies/", "--format", "junit"]);
    well_formed(&stdout(&lib)).unwrap();
}

#[test]
fn coverage_lists_what_no_case_exercised() {
    let dir = scratch("coverage", TESTS);
    let out = run(&dir, &["test", "--coverage", "--color", "never"]);
    let text = stdout(&out);
    // `holiday` has no `when`: it fires for every change, so firing once
    // covers it; no case leaves the CAB's approval unmet.
    assert!(
        text.contains("Coverage  rules 2 of 2, effects 1 of 2, windows 1 of 1 covered"),
        "{text}"
    );
    assert!(
        text.contains("cab: require approval \"cab\"  p.gate:2  met 3  unmet 0"),
        "{text}"
    );
    let out = run(&dir, &["test", "--coverage", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules = v["coverage"]["rules"].as_array().unwrap();
    assert_eq!(
        rules[0],
        serde_json::json!({"file": "p.gate", "line": 2, "rule": "cab", "fired": 3, "not_fired": 1,
                           "unconditional": false, "covered": true})
    );
    assert_eq!(rules[1]["unconditional"], true);
    assert_eq!(v["coverage"]["effects"][0]["covered"], false);
    assert_eq!(v["coverage"]["windows"][0]["blocked"], 1);
    let lib = run(
        &repo(),
        &["test", "policies/", "--coverage", "--color", "never"],
    );
    assert!(
        stdout(&lib).contains("every rule, effect and window was exercised both ways"),
        "{}",
        stdout(&lib)
    );
}

#[test]
fn a_broken_test_file_is_an_error_at_its_json_path() {
    let dir = scratch(
        "broken",
        r#"{"graph": "g.json", "cases": [{"name": "a", "expect": {"outcom": "approved"}}]}"#,
    );
    std::fs::write(
        dir.join("ok.test.json"),
        r#"{"graph": "g.json", "base": {"id": "C", "type": "standard", "targets": ["db"],
            "start": "2026-06-01T10:00:00Z", "end": "2026-06-01T11:00:00Z"},
            "cases": [{"name": "fine", "expect": {"outcome": "approved"}}]}"#,
    )
    .unwrap();
    let out = run(&dir, &["test", "--color", "never"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(
        text.contains("t.test.json\n  error: cases[0].expect.outcom: unknown field `outcom`\n    help: did you mean `outcome`?\n"),
        "{text}"
    );
    assert_eq!(last_line(&text), "1 passed, 0 failed, 1 error");
    let out = run(&dir, &["test", "--format", "junit"]);
    assert_eq!(code(&out), 1);
    well_formed(&stdout(&out)).unwrap();
    assert!(stdout(&out).contains("<error message=\"unknown field `outcom`\">"));
}

#[test]
fn a_policy_that_does_not_compile_or_a_missing_graph_is_an_error() {
    let dir = scratch("nopolicy", TESTS);
    std::fs::write(dir.join("p.gate"), "rule {").unwrap();
    let out = run(&dir, &["test", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let error = &v["files"][0]["error"];
    assert_eq!(error["path"], "policy");
    assert_eq!(error["diagnostics"][0]["file"], "p.gate");

    let dir = scratch("nograph", &TESTS.replace("g.json", "missing.json"));
    let out = run(&dir, &["test", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["files"][0]["error"]["path"], "graph");
    assert!(
        v["files"][0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("missing.json")
    );
}

#[test]
fn no_test_files_is_an_error() {
    let dir = scratch("none", "{}");
    std::fs::remove_file(dir.join("t.test.json")).unwrap();
    let out = run(&dir, &["test", "--color", "never"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no `.test.json` files below this folder"),
        "{}",
        stderr(&out)
    );
    let out = run(&dir, &["test", "nope", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stderr(&out)).unwrap();
    assert_eq!(v["error"]["kind"], "io");
}
