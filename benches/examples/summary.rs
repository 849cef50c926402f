//! Prints the report of the last `make bench` (criterion's medians and the
//! figures in `target/bench-results/`) and writes it to
//! `target/bench-results/summary.md`.

#![expect(clippy::print_stdout, reason = "the report is this example's output")]
#![expect(
    clippy::expect_used,
    reason = "an example stops loudly on a broken setup"
)]

use changegate_benches::report::{Figures, results_dir, summary};

fn main() {
    let now = jiff::Timestamp::now();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")?
                    .split(':')
                    .nth(1)
                    .map(|m| m.trim().to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    // Others may be compiling on the same machine: say how busy it was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| {
            l.split_whitespace()
                .take(3)
                .map(str::to_owned)
                .reduce(|a, b| a + " " + &b)
        })
        .unwrap_or_default();
    let mut s = format!(
        "changegate benchmarks, {} UTC, {cores} cores ({cpu}), load average at the end {load}\n\n",
        now.strftime("%Y-%m-%d %H:%M")
    );
    s.push_str(&summary(&Figures::load()));
    std::fs::create_dir_all(results_dir()).expect("the results directory");
    std::fs::write(results_dir().join("summary.md"), &s).expect("writes the summary");
    println!("{s}");
}
