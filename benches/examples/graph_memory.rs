//! Memory of a loaded graph: changegate's, Cedar's and regorus's, from the
//! same 100k-node estate.
//!
//! `graph_memory [N]` writes the estate to `target/bench-data/estate_N.json`
//! (and the same nodes without their `depends_on` beside it), then runs
//! itself again once per engine and estate as `graph_memory --load ENGINE
//! FILE|N`, so that each measured process holds only what loading needs: the
//! input and the loaded graph. Each reports its peak resident size (VmHWM),
//! and, from a counting allocator, the heap the graph keeps and the heap's
//! peak during the load above what the input itself takes. Bytes per node
//! are the graph without edges over its nodes; bytes per edge, what the
//! edges add over the edges.
//!
//! The peers hold the estate as they are given it in the peers bench: Cedar
//! as entities whose parents are their dependents (built from the same
//! scenario, not parsed from text: Cedar computes the transitive closure of
//! the parents as it loads), regorus as the estate's JSON added as data.

#![expect(clippy::print_stdout, reason = "the figures are this example's output")]
#![expect(
    clippy::expect_used,
    clippy::panic,
    reason = "an example stops loudly on a broken setup"
)]

use std::collections::HashSet;
use std::str::FromStr as _;

use cedar_policy::{Entities, Entity, EntityId, EntityTypeName, EntityUid};
use changegate::Graph;
use changegate_benches::report::{data_dir, write_results};
use changegate_benches::{dependencies, estate_json, largest_impact_target, reverse};

#[global_allocator]
static ALLOC: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, usize::MAX);

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

const MB: f64 = 1024.0 * 1024.0;

/// What one load took: resident sizes in MB, heap in bytes.
#[derive(Debug, Clone, Copy)]
struct Load {
    peak_rss: f64,
    input_rss: f64,
    graph_rss: f64,
    /// Heap the loaded graph keeps.
    kept: f64,
    /// Heap at its highest during the load, above the input's.
    peak_heap: f64,
    ms: f64,
}

/// Loads with `load` after `input` has been read, in this process.
fn measure<I>(input: impl FnOnce() -> I, load: impl FnOnce(&I) -> Box<dyn std::any::Any>) -> Load {
    let input = input();
    let before = status_kb("VmRSS:");
    let heap = ALLOC.allocated();
    let start = std::time::Instant::now();
    let graph = load(&input);
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let kept = ALLOC.allocated().saturating_sub(heap);
    let peak_heap = ALLOC.max_allocated().saturating_sub(heap);
    let after = status_kb("VmRSS:");
    let peak = status_kb("VmHWM:");
    drop(graph);
    Load {
        peak_rss: peak / 1024.0,
        input_rss: before / 1024.0,
        graph_rss: (after - before) / 1024.0,
        kept: kept as f64,
        peak_heap: peak_heap as f64,
        ms,
    }
}

fn uid(ty: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(ty).expect("a type name"),
        EntityId::new(id),
    )
}

/// Cedar's entities of the estate as the peers bench builds them: each
/// node's parents are its dependents, plus `Tier::"0"` and `Tag::"pii"`.
fn cedar_entities(rdeps: &[Vec<usize>], edges: bool) -> Entities {
    let n = rdeps.len();
    let tier0 = uid("Tier", "0");
    let pii = uid("Tag", "pii");
    let mut all = Vec::with_capacity(n + 2);
    all.push(Entity::new_no_attrs(tier0.clone(), HashSet::new()));
    all.push(Entity::new_no_attrs(pii.clone(), HashSet::new()));
    for (i, d) in rdeps.iter().enumerate() {
        let mut parents: HashSet<EntityUid> = HashSet::new();
        if edges {
            parents.extend(d.iter().map(|j| uid("Node", &format!("n{j}"))));
        }
        if changegate_benches::layer(i, n) == 0 {
            parents.insert(tier0.clone());
        }
        if i % 7 == 0 {
            parents.insert(pii.clone());
        }
        all.push(Entity::new_no_attrs(uid("Node", &format!("n{i}")), parents));
    }
    Entities::from_entities(all, None).expect("the entities load")
}

/// The child process: loads one estate with one engine, prints its figures.
fn child(engine: &str, what: &str) {
    let text = || std::fs::read_to_string(what).expect("the estate file");
    let l = match engine {
        "changegate" => measure(text, |t| {
            Box::new(Graph::from_json(t).expect("the estate loads"))
        }),
        "regorus" => measure(text, |t| {
            let mut engine = regorus::Engine::new();
            engine.add_data_json(t).expect("regorus reads the estate");
            Box::new(engine)
        }),
        "cedar" | "cedar-no-edges" => {
            let n: usize = what.parse().expect("a node count");
            let rdeps = || reverse(&dependencies(n));
            measure(rdeps, |r| Box::new(cedar_entities(r, engine == "cedar")))
        }
        _ => panic!("unknown engine `{engine}`"),
    };
    println!(
        "{} {} {} {} {} {}",
        l.peak_rss, l.input_rss, l.graph_rss, l.kept, l.peak_heap, l.ms
    );
}

fn run(engine: &str, what: &str) -> Load {
    let out = std::process::Command::new(std::env::current_exe().expect("this binary"))
        .args(["--load", engine, what])
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
    let [peak_rss, input_rss, graph_rss, kept, peak_heap, ms] = f[..] else {
        panic!("unexpected loader output: {text}");
    };
    Load {
        peak_rss,
        input_rss,
        graph_rss,
        kept,
        peak_heap,
        ms,
    }
}

/// The estate of `n` nodes without its edges (no `depends_on`).
fn without_edges(estate: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(estate).expect("the estate is JSON");
    for node in v
        .get_mut("nodes")
        .and_then(|n| n.as_array_mut())
        .into_iter()
        .flatten()
    {
        if let Some(o) = node.as_object_mut() {
            o.remove("depends_on");
        }
    }
    v.to_string()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, engine, what] = args.as_slice()
        && flag == "--load"
    {
        child(engine, what);
        return;
    }
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("the data directory");
    let path = dir.join(format!("estate_{n}.json"));
    let bare = dir.join(format!("estate_{n}_no_edges.json"));
    if !path.exists() || !bare.exists() {
        let estate = estate_json(n);
        std::fs::write(&path, &estate).expect("writes the estate");
        std::fs::write(&bare, without_edges(&estate)).expect("writes the estate without edges");
    }
    let (path, bare) = (path.display().to_string(), bare.display().to_string());
    let edges: usize = dependencies(n).iter().map(Vec::len).sum();
    let file_mb = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64 / MB);
    let (_, largest) = largest_impact_target(n);

    let engines = [
        ("changegate", path.as_str(), bare.as_str()),
        ("regorus", path.as_str(), bare.as_str()),
        ("cedar", "", ""),
    ];
    let count = n.to_string();
    let mut figures: Vec<(String, f64)> = Vec::new();
    println!(
        "graph_memory: N={n} nodes, {edges} edges, from {file_mb:.1} MB of JSON (Cedar: from the scenario)"
    );
    println!(
        "  {:<11} {:>9} {:>9} {:>10} {:>10} {:>8} {:>8} {:>9}",
        "engine", "peak RSS", "input RSS", "graph RSS", "heap peak", "B/node", "B/edge", "load"
    );
    for (engine, full, none) in engines {
        let (full, none) = if engine == "cedar" {
            (run("cedar", &count), run("cedar-no-edges", &count))
        } else {
            (run(engine, full), run(engine, none))
        };
        let per_node = none.kept / n as f64;
        let per_edge = (full.kept - none.kept) / edges as f64;
        println!(
            "  {engine:<11} {:>6.1} MB {:>6.1} MB {:>7.1} MB {:>7.1} MB {per_node:>8.0} {per_edge:>8.0} {:>6.0} ms",
            full.peak_rss,
            full.input_rss,
            full.graph_rss,
            full.peak_heap / MB,
            full.ms
        );
        for (k, v) in [
            ("peak_rss_mb", full.peak_rss),
            ("input_rss_mb", full.input_rss),
            ("graph_rss_mb", full.graph_rss),
            ("graph_heap_mb", full.kept / MB),
            ("load_peak_heap_mb", full.peak_heap / MB),
            ("bytes_per_node", per_node),
            ("bytes_per_edge", per_edge),
            ("load_ms", full.ms),
        ] {
            let name = if engine == "changegate" {
                k.to_owned()
            } else {
                format!("{engine}_{k}")
            };
            figures.push((name, v));
        }
    }
    println!(
        "  peak RSS: the whole process at its highest; input RSS: with the input alone; \
         graph RSS and heap: what the loaded graph adds; heap peak: the highest heap \
         above the input's during the load; B/node: the graph without edges over its \
         nodes; B/edge: what the edges add, over the edges"
    );
    figures.push(("file_mb".to_owned(), file_mb));
    figures.push(("largest_impact".to_owned(), largest as f64));
    let figures: Vec<(&str, f64)> = figures.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    write_results("graph_memory", &figures).expect("writes the results");
}
