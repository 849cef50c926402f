//! The Rust side of the binding overhead figures: writes the fixtures the
//! binding scripts read (`target/bench-data/`: the policy, the N = 10k
//! estate, the fixed change on the deep target and the same change on a
//! leaf) and times the same decisions through the Rust API, the way the
//! scripts time theirs (median of 31 batches): `evaluate_json` (the
//! reference of the binding calls that return the decision JSON) and
//! `Change::from_json` + `Policy::evaluate` (`evaluate`, the reference of
//! the binding calls that return a lazy decision, read later), and the
//! evaluation of an already parsed change alone.

#![expect(clippy::print_stdout, reason = "the figures are this example's output")]
#![expect(
    clippy::expect_used,
    reason = "an example stops loudly on a broken setup"
)]

use changegate::{Change, Graph, Policy};
use changegate_benches::report::{data_dir, median_per_call_us, write_results};
use changegate_benches::{POLICY, change_json, deep_target, estate_json, leaf_target};

fn main() {
    let n = 10_000;
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("the data directory");
    let estate = estate_json(n);
    std::fs::write(dir.join("policy.gate"), POLICY).expect("writes the policy");
    std::fs::write(dir.join(format!("estate_{n}.json")), &estate).expect("writes the estate");
    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("compiles");
    let graph = Graph::from_json(&estate).expect("loads");
    let calls = 2_000;
    let mut figures = Vec::new();
    for (case, t, suffix) in [
        ("deep", deep_target(n), ""),
        ("leaf", leaf_target(n), "_leaf"),
    ] {
        let json = change_json(t);
        std::fs::write(dir.join(format!("change{suffix}.json")), &json).expect("writes the change");
        let change = Change::from_json(&json).expect("loads");
        let evaluate_json = median_per_call_us(31, calls, || policy.evaluate_json(&json, &graph));
        let evaluate = median_per_call_us(31, calls, || {
            let change = Change::from_json(&json).expect("loads");
            policy.evaluate(&change, &graph)
        });
        let parsed = median_per_call_us(31, calls, || policy.evaluate(&change, &graph));
        println!(
            "rust (N={n}, {case} target n{t}): evaluate_json {evaluate_json:.2} µs/call; \
             Change::from_json + evaluate {evaluate:.2} µs/call; evaluate (parsed change) {parsed:.2} µs/call"
        );
        figures.push((format!("evaluate_json{suffix}_us"), evaluate_json));
        figures.push((format!("evaluate{suffix}_us"), evaluate));
        figures.push((format!("evaluate_parsed{suffix}_us"), parsed));
    }
    let figures: Vec<(&str, f64)> = figures.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    write_results("rust_call", &figures).expect("writes the results");
}
