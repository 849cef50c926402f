#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a failing test should stop loudly"
)]

use arbitrary::Unstructured;
use changegate::{Change, Graph, Policy};

use super::{Config, Scenario};

/// `n` byte strings of `len` bytes from a fixed xorshift sequence.
fn inputs(n: usize, len: usize) -> Vec<Vec<u8>> {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    (0..n)
        .map(|_| {
            (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 24) as u8
                })
                .collect()
        })
        .collect()
}

/// Whether the scenario compiles, loads and evaluates under its limits.
fn evaluates(s: &Scenario) -> Result<(), String> {
    let p = Policy::compile(s.policy_sources(), &s.limits).map_err(|e| e.to_string())?;
    let g = Graph::from_json_with_limits(&s.graph_json(), &s.limits).map_err(|e| e.to_string())?;
    let c =
        Change::from_json_with_limits(&s.change_json(), &s.limits).map_err(|e| e.to_string())?;
    p.evaluate(&c, &g).map(|_| ()).map_err(|e| e.to_string())
}

/// Most fuzz scenarios compile, load and evaluate: the generator is worth
/// fuzzing with.
#[test]
fn fuzz_scenarios_are_mostly_valid() {
    let mut ok = 0;
    for bytes in inputs(300, 2048) {
        let s = Scenario::generate(&mut Unstructured::new(&bytes), Config::FUZZ).unwrap();
        if evaluates(&s).is_ok() {
            ok += 1;
        }
    }
    assert!(ok > 180, "only {ok} of 300 scenarios evaluate");
}

/// Every scenario for the properties compiles, loads and evaluates (or
/// runs out of window-search budget, which the properties skip, or names a
/// node by a name several nodes answer to, which both evaluators must
/// refuse); few are refused.
#[test]
fn property_scenarios_are_all_valid() {
    let mut refused = 0;
    for windowy in [false, true] {
        for bytes in inputs(300, 4096) {
            let config = Config::properties(windowy);
            let s = Scenario::generate(&mut Unstructured::new(&bytes), config).unwrap();
            if let Err(e) = evaluates(&s) {
                let ambiguous = e.contains(" nodes: `");
                refused += usize::from(ambiguous);
                assert!(
                    ambiguous || e.contains("window search examined"),
                    "{e}\n{s:?}"
                );
            }
        }
    }
    assert!(
        refused < 60,
        "{refused} of 600 scenarios name a node ambiguously"
    );
}

/// Property scenarios name targets and backups by aliases and in another
/// case often enough for the properties to compare how both evaluators
/// resolve them, and some of those names are ambiguous.
#[test]
fn property_scenarios_name_nodes_by_other_names() {
    let (mut other, mut refused) = (0, 0);
    for bytes in inputs(300, 4096) {
        let s =
            Scenario::generate(&mut Unstructured::new(&bytes), Config::properties(false)).unwrap();
        let named = |v: &serde_json::Value| {
            v.as_str()
                .is_some_and(|n| n != "ghost" && !s.graph.ids.iter().any(|i| i == n))
        };
        let targets = s.change.json["targets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let backups = s.change.json["backups"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if targets.iter().any(named) || backups.iter().any(|b| named(&b["resource"])) {
            match evaluates(&s) {
                Ok(()) => other += 1,
                Err(e) if e.contains(" nodes: `") => refused += 1,
                Err(_) => {}
            }
        }
    }
    assert!(
        other > 100 && refused > 0,
        "{other} evaluated, {refused} refused"
    );
}
