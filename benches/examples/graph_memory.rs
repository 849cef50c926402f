//! Peak resident memory of loading the 100k estate from its graph JSON.
//!
//! `graph_memory [N]` writes the estate to `target/bench-data/estate_N.json`
//! (if missing), then runs itself again as `graph_memory --load FILE`, so
//! that the measured process holds only what loading needs: the file's text
//! and the graph. It prints VmHWM (peak resident) of that process, and how
//! much the resident size grew from the text alone to text + graph.

#![expect(clippy::print_stdout, reason = "the figures are this example's output")]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "an example stops loudly on a broken setup"
)]

use changegate::Graph;
use changegate_benches::report::{data_dir, write_results};
use changegate_benches::{estate_json, largest_impact_target};

fn status_kb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix(field)?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .expect("the field is in /proc/self/status")
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = args.as_slice()
        && flag == "--load"
    {
        let text = std::fs::read_to_string(path).expect("the estate file");
        let before = status_kb("VmRSS:");
        let start = std::time::Instant::now();
        let graph = Graph::from_json(&text).expect("the estate loads");
        let elapsed = start.elapsed();
        let after = status_kb("VmRSS:");
        let peak = status_kb("VmHWM:");
        println!(
            "{} {} {} {:.3} {}",
            peak / 1024.0,
            (after - before) / 1024.0,
            before / 1024.0,
            elapsed.as_secs_f64() * 1e3,
            graph.len()
        );
        return;
    }
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("the data directory");
    let path = dir.join(format!("estate_{n}.json"));
    if !path.exists() {
        std::fs::write(&path, estate_json(n)).expect("writes the estate");
    }
    let out = std::process::Command::new(std::env::current_exe().expect("this binary"))
        .arg("--load")
        .arg(&path)
        .output()
        .expect("runs the loader");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<f64> = text
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    let [peak, graph, text_mb, ms, nodes] = f.as_slice() else {
        panic!("unexpected loader output: {text}");
    };
    let file_mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / 1048576.0);
    let (_, largest) = largest_impact_target(n);
    println!(
        "graph_memory: N={nodes} from {file_mb:.1} MB of JSON: peak resident (VmHWM) {peak:.1} MB; \
         resident with the text alone {text_mb:.1} MB, +{graph:.1} MB once the graph is loaded; \
         one load {ms:.1} ms"
    );
    write_results(
        "graph_memory",
        &[
            ("peak_rss_mb", *peak),
            ("graph_rss_mb", *graph),
            ("text_rss_mb", *text_mb),
            ("file_mb", file_mb),
            ("load_ms", *ms),
            ("largest_impact", largest as f64),
        ],
    )
    .expect("writes the results");
}
