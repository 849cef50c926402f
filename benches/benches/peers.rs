//! The scenario's fixed decision in changegate and its peers, in one
//! criterion run: changegate (policy, graph and change parsed once), the
//! hand-written Rust baseline (with a visit-stamp scratch reused between
//! decisions, and stateless), Cedar (entities and request built once; rules
//! 1, 2, 5, 6, 7, 8) and regorus (impact in Rego, or precomputed). Each peer
//! is checked against the scenario's expected decision before it is timed;
//! the ratios to changegate are printed at the end.

#![expect(clippy::expect_used, reason = "a bench stops loudly on a broken setup")]
#![expect(clippy::print_stdout, reason = "the ratio table is the bench's report")]

#[path = "../support/peers.rs"]
mod peers;

use changegate::{Change, Graph, Policy};
use changegate_benches::baseline::Estate;
use changegate_benches::report::{Figures, peers_table};
use changegate_benches::{POLICY, change_json, deep_target, estate_json};
use criterion::{BenchmarkId, Criterion};
use peers::{Cedar, Impact, Rego, changegate_decision, expected};

fn peers(c: &mut Criterion) {
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("the bench policy compiles");
    let mut group = c.benchmark_group("peers");
    for n in changegate_benches::report::SIZES {
        let t = deep_target(n);
        let (denials, unmet) = expected(true);

        let graph = Graph::from_json(&estate_json(n)).expect("the estate loads");
        let json = change_json(t);
        let d = changegate_decision(&policy, &json, &graph).expect("changegate decides");
        assert_eq!(
            (d.outcome.as_str(), &d.denials, &d.unmet),
            ("denied", &denials, &unmet),
            "changegate, N={n}"
        );
        let impacted = d.impacted.expect("changegate reports the impact");
        let change = Change::from_json(&json).expect("the change loads");
        group.bench_function(BenchmarkId::new("changegate", n), |b| {
            b.iter(|| policy.evaluate(&change, &graph).expect("evaluates"));
        });
        drop(graph);

        let estate = Estate::new(n);
        let bchange = estate.change(&json).expect("the baseline reads the change");
        let mut scratch = estate.scratch();
        let v = estate.decide(&bchange, &mut scratch);
        assert_eq!(v.outcome, "denied", "baseline, N={n}");
        assert_eq!(v.denials, ["holiday freeze"], "baseline, N={n}");
        assert_eq!(
            v.unmet,
            [("cab", 2), ("sre-lead", 1), ("security", 1)],
            "baseline, N={n}"
        );
        assert_eq!(v.impacted, impacted, "baseline, N={n}");
        assert_eq!(estate.decide_stateless(&bchange), v, "baseline, N={n}");
        group.bench_function(BenchmarkId::new("baseline", n), |b| {
            b.iter(|| estate.decide(&bchange, &mut scratch));
        });
        group.bench_function(BenchmarkId::new("baseline_stateless", n), |b| {
            b.iter(|| estate.decide_stateless(&bchange));
        });
        drop(estate);

        let started = std::time::Instant::now();
        let entities = Cedar::entities(n).expect("Cedar builds the entities");
        println!(
            "cedar: entities for N={n} built in {:.2?} (not timed below)",
            started.elapsed()
        );
        let cedar = Cedar::new(entities, t).expect("Cedar's policies and request");
        let (cedar_denials, cedar_unmet) = expected(false);
        let d = cedar.decision();
        assert_eq!(
            (d.outcome.as_str(), &d.denials, &d.unmet),
            ("denied", &cedar_denials, &cedar_unmet),
            "cedar, N={n} (rules 3 and 4 are not expressible in Cedar)"
        );
        group.bench_function(BenchmarkId::new("cedar", n), |b| {
            b.iter(|| cedar.decide());
        });
        drop(cedar);

        for (id, impact) in [
            ("regorus_impact_in_rego", Impact::InRego),
            ("regorus_impact_precomputed", Impact::Precomputed),
        ] {
            let mut rego = Rego::new(n, t, impact).expect("regorus loads the policy and data");
            let d = rego.decision().expect("regorus decides");
            assert_eq!(
                (d.outcome.as_str(), &d.denials, &d.unmet, d.impacted),
                ("denied", &denials, &unmet, Some(impacted)),
                "{id}, N={n}"
            );
            group.bench_function(BenchmarkId::new(id, n), |b| {
                b.iter(|| rego.decide().expect("regorus evaluates"));
            });
        }
    }
    group.finish();
}

#[path = "../support/config.rs"]
mod config;

fn main() {
    let mut c = config::criterion();
    peers(&mut c);
    c.final_summary();
    println!("\nMedian per decision, and each engine's time as a multiple of changegate's:\n");
    println!("{}", peers_table(&Figures::load()));
}
