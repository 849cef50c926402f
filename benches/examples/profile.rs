//! Runs the scenario's fixed decision in a loop, for profilers:
//! `perf record -g target/release/examples/profile [N] [ITERS] [json]`
//! (N = 10000, ITERS = 200000 by default; `json` times `evaluate_json`,
//! change JSON to decision JSON, instead of `evaluate` on a parsed change;
//! `baseline` times the hand-written stateless baseline instead, `scratch`
//! the one that reuses its scratch space).

#![expect(clippy::print_stdout, reason = "the figure is this example's output")]
#![expect(
    clippy::expect_used,
    reason = "an example stops loudly on a broken setup"
)]

use changegate::{Change, Graph, Policy};
use changegate_benches::{POLICY, change_json, deep_target, estate_json};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let iters: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("compiles");
    let graph = Graph::from_json(&estate_json(n)).expect("loads");
    let json = change_json(deep_target(n));
    let change = Change::from_json(&json).expect("loads");
    if std::env::args().nth(3).as_deref() == Some("baseline") {
        let estate = changegate_benches::baseline::Estate::new(n);
        let c = estate.change(&json).expect("the baseline reads the change");
        let start = std::time::Instant::now();
        let mut impacted = 0;
        for _ in 0..iters {
            impacted += std::hint::black_box(estate.decide_stateless(&c)).impacted;
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
        println!(
            "n={n} baseline impacted={} {per:.2} µs/decision",
            impacted / iters
        );
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("scratch") {
        let estate = changegate_benches::baseline::Estate::new(n);
        let c = estate.change(&json).expect("the baseline reads the change");
        let mut scratch = estate.scratch();
        let start = std::time::Instant::now();
        let mut impacted = 0;
        for _ in 0..iters {
            impacted += std::hint::black_box(estate.decide(&c, &mut scratch)).impacted;
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
        println!(
            "n={n} scratch baseline impacted={} {per:.2} µs/decision",
            impacted / iters
        );
        return;
    }
    if std::env::args().nth(3).as_deref() == Some("json") {
        let start = std::time::Instant::now();
        let mut bytes = 0;
        for _ in 0..iters {
            bytes += policy
                .evaluate_json(&json, &graph)
                .expect("evaluates")
                .len();
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
        println!("n={n} json={} bytes {per:.2} µs/decision", bytes / iters);
        return;
    }
    let start = std::time::Instant::now();
    let mut impacted = 0;
    for _ in 0..iters {
        let d = policy.evaluate(&change, &graph).expect("evaluates");
        impacted += d.impact.len();
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / iters as f64;
    println!("n={n} impacted={} {per:.2} µs/decision", impacted / iters);
}
