//! Properties of evaluation over random policies, graphs and changes, the
//! first of them that the engine agrees with the reference evaluator.

use std::collections::{BTreeSet, HashMap, VecDeque};

use changegate::change::Change;
use changegate::decision::{BlockKind, Decision, Text};
use changegate::graph::Graph;
use changegate_testkit::scenario::strategy::{estate_change, graph, scenario};
use changegate_testkit::scenario::{GEffect, GROUPS, PEOPLE, Scenario, spread};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{Index, select, subsequence};
use serde_json::json;

use crate::{both_refuse, fast, slow};

// ------------------------------------------------------------ helpers

/// The first lines where two texts differ, for failure messages.
fn diff(a: &str, b: &str) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let first = la
        .iter()
        .zip(&lb)
        .position(|(x, y)| x != y)
        .unwrap_or(la.len().min(lb.len()));
    let from = first.saturating_sub(6);
    format!(
        "first difference at line {}\n--- fast\n{}\n--- reference\n{}",
        first + 1,
        la[from..la.len().min(first + 6)].join("\n"),
        lb[from..lb.len().min(first + 6)].join("\n")
    )
}

fn build(sc: &Scenario) -> (Vec<(String, String)>, Graph, Change) {
    (
        sc.policy.sources(sc.files),
        sc.graph.load().unwrap(),
        sc.change.load().unwrap(),
    )
}

/// The decision without what depends on how the policy is laid out in
/// files: `fired` keeps only rule names and reasons, and no digest.
fn layout_free(d: &Decision) -> Decision {
    let mut d = d.clone();
    for f in &mut d.fired {
        let f = std::sync::Arc::make_mut(f);
        f.file = Text::from("");
        f.line = 0;
    }
    d.fired.sort_by(|a, b| a.rule.cmp(&b.rule));
    d.audit.policy_digest = Text::from("");
    d
}

fn block_keys(d: &Decision) -> BTreeSet<(BlockKind, String)> {
    d.blocks
        .iter()
        .map(|b| {
            let key = b.window.as_ref().or(b.message.as_ref()).unwrap();
            (b.kind, key.to_string())
        })
        .collect()
}

fn with_change(
    sc: &Scenario,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Change {
    let mut json = sc.change.json.clone();
    edit(json.as_object_mut().unwrap());
    Change::from_value(&json).unwrap()
}

// --------------------------------------------------------- properties

/// `cases` cases, or `PROPTEST_CASES` for a longer hunt; counterexamples
/// are kept as `#[test]`s in `regress`, not in a regressions file.
/// Scenarios shrink byte by byte (`scenario::strategy`), so shrinking is
/// bounded.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        failure_persistence: None,
        max_shrink_iters: 2048,
        ..ProptestConfig::with_cases(cases)
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// 1. The fast evaluator and the reference give the same decision.
    #[test]
    fn fast_equals_reference(sc in scenario(false)) {
        let (sources, graph, change) = build(&sc);
        if both_refuse(&sources, &change, &graph) {
            return Ok(());
        }
        if let Some(want) = fast(&sources, &change, &graph) {
            let (a, b) = (want.to_json(), slow(&sources, &change, &graph).to_json());
            prop_assert!(a == b, "{}", diff(&a, &b));
        }
    }

    /// 1 again, on policies made mostly of window rules.
    #[test]
    fn fast_equals_reference_on_windows(sc in scenario(true)) {
        let (sources, graph, change) = build(&sc);
        if both_refuse(&sources, &change, &graph) {
            return Ok(());
        }
        if let Some(want) = fast(&sources, &change, &graph) {
            let (a, b) = (want.to_json(), slow(&sources, &change, &graph).to_json());
            prop_assert!(a == b, "{}", diff(&a, &b));
        }
    }

    /// 5. `next_allowed_start` is allowed: moved there, the change meets no
    /// window block from the rules that applied.
    #[test]
    fn next_allowed_start_is_allowed(sc in scenario(true)) {
        let (sources, graph, change) = build(&sc);
        let Some(d) = fast(&sources, &change, &graph) else { return Ok(()) };
        let Some(next) = &d.next_allowed_start else { return Ok(()) };
        let t: jiff::Timestamp = next.timestamp();
        let len = change.end.duration_since(change.start);
        prop_assert!(change.start <= t && t <= change.start + jiff::SignedDuration::from_hours(366 * 24));
        let moved = with_change(&sc, |c| {
            c.insert("start".into(), json!(t.to_string()));
            c.insert("end".into(), json!((t + len).to_string()));
        });
        let Some(after) = fast(&sources, &moved, &graph) else { return Ok(()) };
        let applied: BTreeSet<&Text> = d.fired.iter().map(|f| &f.rule).collect();
        for b in &after.blocks {
            if b.kind != BlockKind::Deny {
                prop_assert!(
                    b.rules.iter().all(|r| !applied.contains(r)),
                    "moved to {next}, still blocked: {b:?}\n{}", after.to_json()
                );
            }
        }
    }
}

/// A policy of window rules over dense and sparse windows (some take
/// turns a minute at a time, so that the next allowed start is costly to
/// find), and a change: `(policy text, start, duration)`.
fn window_rules() -> impl Strategy<Value = (String, String, String)> {
    let pattern = select(vec![
        "* * * * *",
        "*/2 * * * *",
        "1-59/2 * * * *",
        "0-29 * * * *",
        "0 * * * *",
        "0 0 * * *",
        "0 22 * * SAT",
        "*/30 1-3 * * *",
        "0 0 * 2 MON#5",
    ]);
    let length = select(vec!["30s", "1m", "90s", "15m", "1h", "2h", "1d", "25h"]);
    let zone = select(vec![
        "UTC",
        "Europe/Berlin",
        "Australia/Lord_Howe",
        "America/New_York",
    ]);
    let cron =
        (pattern, length, zone).prop_map(|(p, d, z)| format!("cron \"{p}\" for {d} in \"{z}\""));
    let between = select(vec![
        "between 2026-03-29T00:00 and 2026-03-30T00:00 in \"Europe/Berlin\"",
        "between 2026-06-01T00:00Z and 2027-06-01T00:00Z",
    ])
    .prop_map(str::to_owned);
    let window = prop_oneof![4 => cron, 1 => between];
    let rule = (any::<bool>(), subsequence(vec![0usize, 1, 2], 1..=2));
    (vec(window, 3), vec(rule, 1..=3)).prop_flat_map(|(windows, rules)| {
        let mut text = String::new();
        for (i, w) in windows.iter().enumerate() {
            text.push_str(&format!("window w{i} = {w}\n"));
        }
        for (i, (during, ws)) in rules.iter().enumerate() {
            let list: Vec<String> = ws.iter().map(|w| format!("w{w}")).collect();
            let how = if *during { "during" } else { "outside" };
            text.push_str(&format!(
                "rule r{i} {{\n  deny {how} {}\n}}\n",
                list.join(", ")
            ));
        }
        let start = select(vec![
            "2026-03-29T00:30:00Z",
            "2026-06-01T00:00:00Z",
            "2026-06-13T21:00:00Z",
            "2026-10-25T00:45:00Z",
            "4999-06-01T10:00:00Z",
        ]);
        let duration = select(vec!["30s", "1m", "30m", "1h", "5h"]);
        (
            Just(text),
            start.prop_map(str::to_owned),
            duration.prop_map(str::to_owned),
        )
    })
}

/// `sources` compiled with the window scan limit `budget`, evaluated.
fn with_budget(
    sources: &[(String, String)],
    change: &Change,
    graph: &Graph,
    budget: usize,
) -> Result<Decision, changegate::Error> {
    let limits = changegate::Limits {
        max_window_scan: budget,
        ..changegate::Limits::default()
    };
    let sources = sources.iter().map(|(name, text)| changegate::Source {
        name: name.clone(),
        text: text.clone(),
    });
    let policy = changegate::Policy::compile(sources, &limits).unwrap();
    policy.evaluate(change, graph)
}

/// The decision without its next allowed start.
fn without_next_start(d: &Decision) -> Decision {
    let mut d = d.clone();
    d.next_allowed_start = None;
    d.next_allowed_start_limit = None;
    d
}

proptest! {
    #![proptest_config(config(48))]

    /// 9. A limit reached only while looking for the next allowed start
    /// never costs the decision: with any window scan limit, evaluation
    /// fails exactly when it fails without that search (a `deny "MSG"`
    /// rule turns it off, and costs no search), with the documented limit
    /// error; otherwise the decision is the one a larger limit gives, its
    /// next allowed start aside, and a limit that stopped that search is
    /// named in `next_allowed_start_limit`.
    #[test]
    fn a_limit_in_the_next_start_search_keeps_the_decision(
        (text, start, duration) in window_rules(),
        budget in prop_oneof![0usize..=40, 40usize..=3_000],
    ) {
        let graph = Graph::from_json(r#"{"nodes": [{"id": "app"}]}"#).unwrap();
        let start: jiff::Timestamp = start.parse().unwrap();
        let len: jiff::SignedDuration = duration.parse().unwrap();
        let change = Change::from_value(&json!({
            "id": "CHG", "type": "normal", "targets": ["app"],
            "start": start.to_string(), "end": (start + len).to_string(),
        })).unwrap();
        let sources = vec![("p.gate".to_owned(), text.clone())];
        let mut stopped = sources.clone();
        stopped.push(("zz.gate".to_owned(), "rule zz_stop {\n  deny \"stop\"\n}\n".to_owned()));

        let big = with_budget(&sources, &change, &graph, 20_000);
        let got = with_budget(&sources, &change, &graph, budget);
        let deciding = with_budget(&stopped, &change, &graph, budget);
        match (&got, &deciding) {
            (Err(e), Err(f)) => {
                prop_assert_eq!(e.to_string(), f.to_string());
                let documented = e.to_string()
                    == format!("window search examined more than {budget} occurrences")
                    || e.to_string().contains("4999");
                prop_assert!(e.kind() == changegate::ErrorKind::Limit && documented, "{e}");
            }
            (Ok(_), Ok(_)) => {}
            _ => prop_assert!(
                false,
                "with a limit of {budget}: {:?}, but {:?} without the next-start search\n{text}",
                got.as_ref().map(|d| d.outcome).map_err(ToString::to_string),
                deciding.as_ref().map(|d| d.outcome).map_err(ToString::to_string)
            ),
        }
        let (Ok(d), Ok(big)) = (got, big) else { return Ok(()) };
        prop_assert_eq!(without_next_start(&d), without_next_start(&big));
        match &d.next_allowed_start_limit {
            None => prop_assert_eq!(&d, &big),
            Some(note) => {
                prop_assert!(d.next_allowed_start.is_none());
                prop_assert!(d.outcome == changegate::Outcome::Denied);
                prop_assert!(d.blocks.iter().all(|b| b.kind != BlockKind::Deny));
                match note.limit.as_str() {
                    "max_window_scan" => prop_assert_eq!(
                        &note.message,
                        &format!("window search examined more than {budget} occurrences")
                    ),
                    "cron_calendar" => prop_assert!(note.message.contains("4999")),
                    other => prop_assert!(false, "unknown limit `{other}`"),
                }
                prop_assert!(!note.help.is_empty());
            }
        }
    }
}

/// The shipped policy library (`policies/`, every `.gate` below it) and
/// the shipped estate graph.
fn estate() -> (Vec<(String, String)>, Graph, Vec<String>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
    let sources = changegate::load_sources_in(&root, &["itil", "calendar", "backups"]).unwrap();
    let sources = sources.into_iter().map(|s| (s.name, s.text)).collect();
    let text = std::fs::read_to_string(root.join("estate.json")).unwrap();
    let graph = Graph::from_json(&text).unwrap();
    let ids = graph.nodes().map(|(_, n)| n.id.to_string()).collect();
    (sources, graph, ids)
}

proptest! {
    #![proptest_config(config(128))]

    /// 1 again: the shipped library on the shipped estate, random changes.
    #[test]
    fn fast_equals_reference_on_the_shipped_library(
        c in estate_change(estate().2)
    ) {
        let (sources, graph, _) = estate();
        let change = c.load().unwrap();
        if let Some(want) = fast(&sources, &change, &graph) {
            let (a, b) = (want.to_json(), slow(&sources, &change, &graph).to_json());
            prop_assert!(a == b, "{}", diff(&a, &b));
        }
    }

    /// 2. Evaluation is deterministic: the same bytes twice, the same bytes
    /// with the files passed in another order, and the same decision
    /// (`fired` and digest aside) with the text split into other files.
    #[test]
    fn deterministic(sc in scenario(false), files in 1..=4usize) {
        let (sources, graph, change) = build(&sc);
        let Some(first) = fast(&sources, &change, &graph) else { return Ok(()) };
        let again = fast(&sources, &change, &graph).unwrap();
        prop_assert_eq!(first.to_json(), again.to_json());
        let mut reversed = sources.clone();
        reversed.reverse();
        prop_assert_eq!(first.to_json(), fast(&reversed, &change, &graph).unwrap().to_json());
        let split = sc.policy.sources(files);
        let other = fast(&split, &change, &graph).unwrap();
        prop_assert_eq!(layout_free(&first).to_json(), layout_free(&other).to_json());
    }

    /// 7. Shuffling items (rules, sets, windows) and files gives the same
    /// decision, `fired` positions and digest aside.
    #[test]
    fn shuffling_rules_and_files(sc in scenario(false), keys in vec(any::<u32>(), 16), files in 1..=4usize) {
        let (sources, graph, change) = build(&sc);
        let Some(first) = fast(&sources, &change, &graph) else { return Ok(()) };
        let items = sc.policy.items();
        let mut order: Vec<usize> = (0..items.len()).collect();
        order.sort_by_key(|&i| (keys[i % keys.len()], i));
        let shuffled: Vec<String> = order.iter().map(|&i| items[i].clone()).collect();
        let other = fast(&spread(&shuffled, files), &change, &graph).unwrap();
        prop_assert_eq!(layout_free(&first).to_json(), layout_free(&other).to_json());
    }

    /// 3. Adding an approval never makes the outcome worse and never adds
    /// a requirement.
    #[test]
    fn adding_an_approval_never_hurts(
        sc in scenario(false),
        group in select(GROUPS.to_vec()),
        by in select(PEOPLE.to_vec()),
    ) {
        let (sources, graph, change) = build(&sc);
        let Some(before) = fast(&sources, &change, &graph) else { return Ok(()) };
        let more = with_change(&sc, |c| {
            c.entry("approvals").or_insert(json!([])).as_array_mut().unwrap()
                .push(json!({"group": group, "by": by}));
        });
        let after = fast(&sources, &more, &graph).unwrap();
        prop_assert!(after.outcome <= before.outcome, "{:?} -> {:?}", before.outcome, after.outcome);
        let groups = |d: &Decision| d.approvals.iter().map(|a| a.group.clone()).collect::<BTreeSet<_>>();
        let backups = |d: &Decision| d.backups.iter().map(|b| (b.node.clone(), b.kind.clone())).collect::<BTreeSet<_>>();
        let conds = |d: &Decision| d.conditions.iter().map(|c| c.message.clone()).collect::<BTreeSet<_>>();
        prop_assert!(groups(&after).is_subset(&groups(&before)));
        prop_assert!(backups(&after).is_subset(&backups(&before)));
        prop_assert!(conds(&after).is_subset(&conds(&before)));
        for a in &after.approvals {
            let b = before.approvals.iter().find(|b| b.group == a.group).unwrap();
            prop_assert!(a.required <= b.required && (a.satisfied || !b.satisfied));
        }
    }

    /// 8. Approvals by the requester change nothing at all.
    #[test]
    fn requester_approvals_never_count(sc in scenario(false), groups in vec(select(GROUPS.to_vec()), 1..=3)) {
        let requester = |c: &mut serde_json::Map<String, serde_json::Value>| {
            c.entry("requested_by").or_insert(json!("carol")).as_str().unwrap().to_owned()
        };
        let base = with_change(&sc, |c| { requester(c); });
        let more = with_change(&sc, |c| {
            let who = requester(c);
            let list = c.entry("approvals").or_insert(json!([])).as_array_mut().unwrap();
            for g in &groups {
                list.push(json!({"group": g, "by": who}));
            }
        });
        let (sources, graph, _) = build(&sc);
        let Some(before) = fast(&sources, &base, &graph) else { return Ok(()) };
        let after = fast(&sources, &more, &graph).unwrap();
        prop_assert_eq!(before.to_json(), after.to_json());
    }

    /// 4. Removing a window from a `deny during`, or a whole window rule,
    /// never adds a block.
    #[test]
    fn removing_a_window_never_adds_a_block(sc in scenario(true), pick in any::<Index>()) {
        let (sources, graph, change) = build(&sc);
        let Some(before) = fast(&sources, &change, &graph) else { return Ok(()) };
        // Every possible removal: (rule, Some((effect, window))) or (rule, None).
        let mut removals = Vec::new();
        for (ri, r) in sc.policy.rules.iter().enumerate() {
            let mut windowy = false;
            for (ei, e) in r.effects.iter().enumerate() {
                match e {
                    GEffect::During(ws) => {
                        windowy = true;
                        removals.extend((0..ws.len()).map(|wi| (ri, Some((ei, wi)))));
                    }
                    GEffect::Outside(_) => windowy = true,
                    GEffect::Text(_) => {}
                }
            }
            if windowy {
                removals.push((ri, None));
            }
        }
        if removals.is_empty() {
            return Ok(());
        }
        let (ri, what) = removals[pick.index(removals.len())];
        let mut policy = sc.policy.clone();
        match what {
            None => {
                policy.rules.remove(ri);
            }
            Some((ei, wi)) => {
                let rule = &mut policy.rules[ri];
                if let GEffect::During(ws) = &mut rule.effects[ei] {
                    ws.remove(wi);
                    if ws.is_empty() {
                        rule.effects.remove(ei);
                    }
                }
                if rule.effects.is_empty() {
                    policy.rules.remove(ri);
                }
            }
        }
        let after = fast(&policy.sources(sc.files), &change, &graph).unwrap();
        let (b, a) = (block_keys(&before), block_keys(&after));
        prop_assert!(a.is_subset(&b), "before {b:?}\nafter {a:?}");
    }

    /// 6. The blast radius is a breadth-first search over the edges as
    /// written: same nodes, same depths, and each path a real shortest
    /// chain of edges from a target.
    #[test]
    fn impact_is_a_shortest_path_search(g in graph(25), picks in vec(any::<Index>(), 1..=3)) {
        let gr = g.load().unwrap();
        let n = g.ids.len();
        let targets: Vec<String> = picks.iter().map(|p| g.ids[p.index(n)].clone()).collect();
        let report = changegate::api::impact(&gr, &targets).unwrap();
        let mut want: HashMap<usize, u32> = HashMap::new();
        let mut queue = VecDeque::new();
        for t in &targets {
            let i = g.ids.iter().position(|x| x == t).unwrap();
            if want.insert(i, 0).is_none() {
                queue.push_back(i);
            }
        }
        while let Some(u) = queue.pop_front() {
            for &(from, to) in &g.edges {
                if to == u && !want.contains_key(&from) {
                    want.insert(from, want[&u] + 1);
                    queue.push_back(from);
                }
            }
        }
        let mut firsts: Vec<&String> = Vec::new();
        for t in &targets {
            if !firsts.contains(&t) {
                firsts.push(t);
            }
        }
        let got_targets: Vec<&str> = report.targets().collect();
        let want_targets: Vec<&str> = firsts.iter().map(|t| t.as_str()).collect();
        prop_assert_eq!(got_targets, want_targets);
        prop_assert_eq!(report.len(), want.len());
        let mut last = (0u32, String::new());
        for (k, node) in report.iter().enumerate() {
            let i = g.ids.iter().position(|x| **x == *node.id).unwrap();
            prop_assert_eq!(Some(&node.depth), want.get(&i), "depth of {}", node.id);
            let key = (node.depth, node.id.to_string());
            prop_assert!(k == 0 || key > last, "order at {}", node.id);
            last = key;
            let path = report.path(k);
            prop_assert_eq!(path.len(), node.depth as usize + 1);
            prop_assert!(targets.iter().any(|t| **t == *path[0]));
            prop_assert_eq!(path[path.len() - 1], node.id);
            for w in path.windows(2) {
                let a = g.ids.iter().position(|x| **x == *w[0]).unwrap();
                let b = g.ids.iter().position(|x| **x == *w[1]).unwrap();
                prop_assert!(g.edges.contains(&(b, a)), "no edge {} -> {}", w[1], w[0]);
            }
        }
    }
}

/// What the generators produce: outcomes, blocks, fired rules, how often
/// `next_allowed_start` exists. Run by hand when changing the generator
/// (`changegate_testkit::scenario`).
#[test]
#[ignore = "statistics, run by hand"]
#[allow(clippy::print_stdout, reason = "the output is the point")]
fn generator_statistics() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    for windowy in [false, true] {
        let mut runner = TestRunner::deterministic();
        let strat = scenario(windowy);
        let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
        for _ in 0..300 {
            let sc = strat.new_tree(&mut runner).unwrap().current();
            let (sources, graph, change) = build(&sc);
            let Some(d) = fast(&sources, &change, &graph) else {
                *counts.entry("budget".into()).or_default() += 1;
                continue;
            };
            *counts
                .entry(format!("outcome {:?}", d.outcome))
                .or_default() += 1;
            *counts
                .entry(format!("fired {}", d.fired.len().min(4)))
                .or_default() += 1;
            *counts
                .entry(format!("next {}", d.next_allowed_start.is_some()))
                .or_default() += 1;
            if d.outcome == changegate::Outcome::Denied
                && d.blocks.iter().all(|b| b.kind != BlockKind::Deny)
            {
                *counts
                    .entry(format!("winonly next {}", d.next_allowed_start.is_some()))
                    .or_default() += 1;
            }
            for b in &d.blocks {
                *counts.entry(format!("block {:?}", b.kind)).or_default() += 1;
            }
            *counts
                .entry(format!("approvals {}", d.approvals.len().min(3)))
                .or_default() += 1;
            *counts
                .entry(format!("backups {}", d.backups.len().min(3)))
                .or_default() += 1;
            *counts
                .entry(format!(
                    "sat backups {}",
                    d.backups.iter().filter(|b| b.satisfied).count().min(3)
                ))
                .or_default() += 1;
            *counts
                .entry(format!(
                    "overrides counted {}",
                    d.overrides.iter().filter(|o| o.counted).count()
                ))
                .or_default() += 1;
            *counts
                .entry(format!("impacted {}", d.impact.len().min(5)))
                .or_default() += 1;
        }
        println!("windowy {windowy}: {counts:#?}");
    }
}
