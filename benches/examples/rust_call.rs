//! The Rust side of the binding overhead figures: writes the fixtures the
//! binding scripts read (`target/bench-data/`: the policy, the N = 10k
//! estate, the fixed change) and times the same decision through the Rust
//! API, the way the scripts time theirs (median of 31 batches).

#![expect(clippy::print_stdout, reason = "the figures are this example's output")]
#![expect(
    clippy::expect_used,
    reason = "an example stops loudly on a broken setup"
)]

use changegate::{Change, Graph, Policy};
use changegate_benches::report::{data_dir, median_per_call_us, write_results};
use changegate_benches::{POLICY, change_json, deep_target, estate_json};

fn main() {
    let n = 10_000;
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("the data directory");
    let estate = estate_json(n);
    let json = change_json(deep_target(n));
    std::fs::write(dir.join("policy.gate"), POLICY).expect("writes the policy");
    std::fs::write(dir.join(format!("estate_{n}.json")), &estate).expect("writes the estate");
    std::fs::write(dir.join("change.json"), &json).expect("writes the change");

    let policy = Policy::from_sources([("bench.gate", POLICY)]).expect("compiles");
    let graph = Graph::from_json(&estate).expect("loads");
    let change = Change::from_json(&json).expect("loads");
    let calls = 2_000;
    let evaluate_json = median_per_call_us(31, calls, || policy.evaluate_json(&json, &graph));
    let evaluate = median_per_call_us(31, calls, || {
        let change = Change::from_json(&json).expect("loads");
        policy.evaluate(&change, &graph)
    });
    let parsed = median_per_call_us(31, calls, || policy.evaluate(&change, &graph));
    println!(
        "rust (N={n}, deep target): evaluate_json {evaluate_json:.2} µs/call; \
         Change::from_json + evaluate {evaluate:.2} µs/call; evaluate (parsed change) {parsed:.2} µs/call"
    );
    write_results(
        "rust_call",
        &[
            ("evaluate_json_us", evaluate_json),
            ("evaluate_us", evaluate),
            ("evaluate_parsed_us", parsed),
        ],
    )
    .expect("writes the results");
}
