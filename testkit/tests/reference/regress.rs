//! The reference against the fast evaluator on fixed cases: every case of
//! the decision corpus, and the counterexamples the properties found.

use serde_json::json;

use changegate::change::Change;
use changegate::decision::Decision;
use changegate::graph::Graph;
use changegate::{Limits, Policy};
use changegate_testkit::reference::windows::RWindow;

use crate::{fast, slow};

/// Every case of the decision corpus that yields a decision gives the same
/// bytes from the reference evaluator (the expected files were checked by
/// hand against docs/language.md, so this checks the reference too).
#[test]
fn corpus_decisions_agree() {
    let repo = changegate_testkit::corpus::repo();
    let cases = changegate_testkit::corpus::read(&repo).unwrap();
    assert!(cases.len() > 20, "{cases:?}");
    let mut compared = 0;
    let mut failures = Vec::new();
    for case in cases {
        let dir = repo.join(&case.dir);
        let Ok(sources) = changegate::load_sources_in(&dir, &case.policy) else {
            continue;
        };
        let sources: Vec<(String, String)> =
            sources.into_iter().map(|s| (s.name, s.text)).collect();
        let Ok(policy) = Policy::compile(
            sources.iter().map(|(n, t)| changegate::Source {
                name: n.clone(),
                text: t.clone(),
            }),
            &Limits::default(),
        ) else {
            continue;
        };
        let Ok(graph_text) = std::fs::read_to_string(dir.join(&case.graph)) else {
            continue;
        };
        let Ok(graph) = Graph::from_json(&graph_text) else {
            continue;
        };
        let Ok(change) =
            Change::from_json(&std::fs::read_to_string(dir.join("change.json")).unwrap())
        else {
            continue;
        };
        // A limit that ends the evaluation, or only the next-start search:
        // the reference has no limits, so there is nothing to compare.
        let Ok(want) = policy.evaluate(&change, &graph) else {
            continue;
        };
        if want.next_allowed_start_limit.is_some() {
            continue;
        }
        let got = slow(&sources, &change, &graph);
        compared += 1;
        if got.to_json() != want.to_json() {
            failures.push(format!(
                "{}\n--- fast\n{}\n--- reference\n{}",
                dir.display(),
                want.to_json(),
                got.to_json()
            ));
        }
    }
    assert!(compared > 20, "only {compared} cases compared");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// --------------------------------------------------- regression cases

/// Evaluates `policy` on a change to `targets` of `graph` with both
/// evaluators and returns (fast, reference).
fn both(policy: &str, graph: &str, change: serde_json::Value) -> (Decision, Decision) {
    let sources = vec![("p.gate".to_owned(), policy.to_owned())];
    let graph = Graph::from_json(graph).unwrap();
    let change = Change::from_value(&change).unwrap();
    let f = fast(&sources, &change, &graph).unwrap();
    (f, slow(&sources, &change, &graph))
}

fn simple_change(targets: &[&str], start: &str, end: &str) -> serde_json::Value {
    json!({"id": "CHG1", "type": "normal", "targets": targets, "start": start, "end": end})
}

/// `max`/`min` over values that have no order (strings, booleans) is
/// `null`, whatever the number of nodes: only numbers, durations and
/// datetimes are ordered (decision 15). The fast evaluator returned the
/// value when the set had exactly one node with a non-null value (and
/// `null` for two, even two equal ones), so `max(targets, node.kind) ==
/// null` depended on how many targets there were.
#[test]
fn max_of_unordered_values_is_null() {
    let policy = "rule r { when max(targets, node.kind) == null\n deny \"no order\" }";
    let graph = r#"{"nodes": [{"id": "a", "kind": "database"}, {"id": "b", "kind": "database"}]}"#;
    let change = |t: &[&str]| simple_change(t, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
    // Two nodes: both evaluators say null, the rule fires.
    let (f, r) = both(policy, graph, change(&["a", "b"]));
    assert_eq!(f.to_json(), r.to_json());
    assert_eq!(f.outcome, changegate::Outcome::Denied);
    // One node: the reference still says null; the fast one says "database".
    let (f, r) = both(policy, graph, change(&["a"]));
    assert_eq!(r.outcome, changegate::Outcome::Denied);
    assert_eq!(f.to_json(), r.to_json());
}

/// Decisions 8 and 24: a node without an owner adds an unmet condition, and
/// conditions with the same message merge into one entry that is met only
/// if every part is. The fast evaluator keeps the entry met when a
/// satisfied `require … else` with that message was merged first (rules
/// run in name order), so the outcome depends on rule names.
#[test]
fn missing_owner_is_unmet_even_when_a_condition_shares_its_message() {
    let graph = r#"{"nodes": [{"id": "x"}]}"#;
    let change = simple_change(&["x"], "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
    let cond = "require true else \"`x` has no owner to approve the change\"";
    let owner = "require approval owner of targets";
    for (first, second) in [(cond, owner), (owner, cond)] {
        let policy = format!("rule a {{ {first} }}\nrule b {{ {second} }}\n");
        let (f, r) = both(&policy, graph, change.clone());
        assert_eq!(r.outcome, changegate::Outcome::Pending, "{policy}");
        assert_eq!(f.to_json(), r.to_json(), "{policy}");
    }
}

/// Occurrence starts of `cron "EXPR" for 1h in "TZ"` in `[from, until)`,
/// from the reference and from the fast window search.
fn starts(expr: &str, tz: &str, from: &str, until: &str) -> (Vec<String>, Vec<String>) {
    let text = format!("window w = cron \"{expr}\" for 1h in \"{tz}\"\n");
    let items = changegate::internals::parse(&text, &Limits::default()).unwrap();
    let changegate::internals::Item::Window(def) = &items[0] else {
        panic!("not a window")
    };
    let (from, until): (jiff::Timestamp, jiff::Timestamp) =
        (from.parse().unwrap(), until.parse().unwrap());
    let reference = RWindow::new(def)
        .unwrap()
        .starting_in(from, until)
        .iter()
        .map(|o| o.start.to_string())
        .collect();
    let w = changegate::window::Window::cron(expr, jiff::SignedDuration::from_hours(1), Some(tz))
        .unwrap();
    let mut budget = changegate::window::ScanBudget::new(1_000_000);
    let mut t = from;
    let mut fast = Vec::new();
    while let Some(o) = w
        .next_start(t, jiff::SignedDuration::ZERO, until, &mut budget)
        .unwrap()
    {
        if o.start >= until {
            break;
        }
        fast.push(o.start.to_string());
        t = o.start + jiff::SignedDuration::from_nanos(1);
    }
    (reference, fast)
}

/// Hand-computed occurrences (docs/language.md, *Windows*; decision 13)
/// that both window implementations must produce: DST gaps and folds, the
/// Vixie OR of day of month and day of week, and the `L`, `W` and `#`
/// modifiers.
#[test]
fn window_occurrences_by_hand() {
    let cases: [(&str, &str, &str, &str, &[&str]); 10] = [
        // 02:30 does not exist on 2026-03-08 in New York: it moves to 03:30 EDT.
        (
            "30 2 * * *",
            "America/New_York",
            "2026-03-07T00:00Z",
            "2026-03-10T00:00Z",
            &[
                "2026-03-07T07:30:00Z",
                "2026-03-08T07:30:00Z",
                "2026-03-09T06:30:00Z",
            ],
        ),
        // 01:30 happens twice on 2026-11-01: the earlier (EDT), once.
        (
            "30 1 * * *",
            "America/New_York",
            "2026-10-31T00:00Z",
            "2026-11-03T00:00Z",
            &[
                "2026-10-31T05:30:00Z",
                "2026-11-01T05:30:00Z",
                "2026-11-02T06:30:00Z",
            ],
        ),
        // Day of month and day of week both restricted: either matches.
        (
            "0 0 13 * FRI",
            "UTC",
            "2026-01-01T00:00Z",
            "2026-02-01T00:00Z",
            &[
                "2026-01-02T00:00:00Z",
                "2026-01-09T00:00:00Z",
                "2026-01-13T00:00:00Z",
                "2026-01-16T00:00:00Z",
                "2026-01-23T00:00:00Z",
                "2026-01-30T00:00:00Z",
            ],
        ),
        // The 15th of August 2026 is a Saturday: the nearest weekday is Friday the 14th.
        (
            "0 6 15W * *",
            "UTC",
            "2026-08-01T00:00Z",
            "2026-09-01T00:00Z",
            &["2026-08-14T06:00:00Z"],
        ),
        // The 1st is a Saturday: W does not leave the month, so Monday the 3rd.
        (
            "0 6 1W * *",
            "UTC",
            "2026-08-01T00:00Z",
            "2026-09-01T00:00Z",
            &["2026-08-03T06:00:00Z"],
        ),
        // January 31st 2026 is a Saturday: Friday the 30th. February has no 31st.
        (
            "0 6 31W * *",
            "UTC",
            "2026-01-01T00:00Z",
            "2026-03-01T00:00Z",
            &["2026-01-30T06:00:00Z"],
        ),
        // The last weekday of May 2026 (the 31st is a Sunday).
        (
            "0 6 LW * *",
            "UTC",
            "2026-05-01T00:00Z",
            "2026-06-01T00:00Z",
            &["2026-05-29T06:00:00Z"],
        ),
        (
            "0 6 L * *",
            "UTC",
            "2026-02-01T00:00Z",
            "2026-03-01T00:00Z",
            &["2026-02-28T06:00:00Z"],
        ),
        // The last Friday and the second Monday of January 2026.
        (
            "0 9 * * 5L",
            "UTC",
            "2026-01-01T00:00Z",
            "2026-02-01T00:00Z",
            &["2026-01-30T09:00:00Z"],
        ),
        (
            "0 9 * * MON#2",
            "UTC",
            "2026-01-01T00:00Z",
            "2026-02-01T00:00Z",
            &["2026-01-12T09:00:00Z"],
        ),
    ];
    for (expr, tz, from, until, want) in cases {
        let (reference, fast) = starts(expr, tz, from, until);
        assert_eq!(reference, want, "reference: {expr} in {tz}");
        assert_eq!(fast, want, "fast: {expr} in {tz}");
    }
}

/// An unknown target is an error in both evaluators (docs/language.md,
/// *The change*).
#[test]
fn unknown_target_is_an_error() {
    let sources = vec![("p.gate".to_owned(), "rule r { deny \"x\" }".to_owned())];
    let graph = Graph::from_json(r#"{"nodes": [{"id": "a"}]}"#).unwrap();
    let change = Change::from_value(&simple_change(
        &["a", "b"],
        "2026-01-01T00:00:00Z",
        "2026-01-01T01:00:00Z",
    ))
    .unwrap();
    let policy = Policy::from_sources(sources.clone()).unwrap();
    let e = policy.evaluate(&change, &graph).unwrap_err();
    assert!(e.to_string().contains("`b`"), "{e}");
    let e = changegate_testkit::reference::evaluate(&sources, &change, &graph).unwrap_err();
    assert!(e.contains("`b`"), "{e}");
}

/// Names by alias and ignoring case resolve alike in both evaluators, and a
/// shared alias is refused by both (docs/language.md, *The graph*).
#[test]
fn aliases_resolve_alike() {
    let sources = vec![(
        "p.gate".to_owned(),
        "rule r {\n  require backup of targets within 1d\n  \
         require \"db\" in change.targets else \"by id\"\n}\n"
            .to_owned(),
    )];
    let graph = Graph::from_json(
        r#"{"nodes": [{"id": "db", "aliases": ["primary", "shared"]},
                      {"id": "Web", "aliases": ["shared"], "depends_on": ["db"]}]}"#,
    )
    .unwrap();
    let mut v = simple_change(
        &["PRIMARY", "web", "db"],
        "2026-01-01T10:00:00Z",
        "2026-01-01T11:00:00Z",
    );
    v["backups"] = json!([{"resource": "Primary", "taken_at": "2026-01-01T09:00:00Z"}]);
    let change = Change::from_value(&v).unwrap();
    let want = fast(&sources, &change, &graph).unwrap();
    assert_eq!(want.to_json(), slow(&sources, &change, &graph).to_json());
    assert_eq!(want.impact.targets().collect::<Vec<_>>(), ["db", "Web"]);
    let db = want.backups.iter().find(|b| &*b.node == "db").unwrap();
    assert!(db.satisfied && want.conditions[0].satisfied);
    v["backups"][0]["resource"] = json!("SHARED");
    let change = Change::from_value(&v).unwrap();
    assert!(crate::both_refuse(&sources, &change, &graph));
}
