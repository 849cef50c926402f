//! The report over one `make bench` run: criterion's medians
//! (`target/criterion/**/new/estimates.json`) and the figures the example
//! binaries and binding scripts write to `target/bench-results/*.json`,
//! checked against the performance targets.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// The cargo target directory (`CARGO_TARGET_DIR`, else the workspace's `target/`).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join("target")
        },
        PathBuf::from,
    )
}

/// Where the example binaries and binding scripts put their figures.
pub fn results_dir() -> PathBuf {
    target_dir().join("bench-results")
}

/// Where the fixtures shared with the binding scripts go.
pub fn data_dir() -> PathBuf {
    target_dir().join("bench-data")
}

/// Writes `figures` (name → value) as `results_dir()/<name>.json`.
pub fn write_results(name: &str, figures: &[(&str, f64)]) -> std::io::Result<PathBuf> {
    let dir = results_dir();
    std::fs::create_dir_all(&dir)?;
    let map: serde_json::Map<String, Json> = figures
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Json::from(*v)))
        .collect();
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, Json::Object(map).to_string())?;
    Ok(path)
}

/// Every figure of the run, in nanoseconds (criterion medians, keyed by
/// their full id such as `evaluate/deep/10000`) or as written by the
/// examples and scripts (keyed `file.key`, in the unit the key names).
#[derive(Debug, Default, Clone)]
pub struct Figures(BTreeMap<String, f64>);

impl Figures {
    /// Reads criterion's medians and the result files.
    pub fn load() -> Figures {
        let mut f = Figures::default();
        f.read_criterion(&target_dir().join("criterion"));
        if let Ok(entries) = std::fs::read_dir(results_dir()) {
            for e in entries.flatten() {
                let path = e.path();
                let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
                    continue;
                };
                let Some(Json::Object(map)) = read_json(&path) else {
                    continue;
                };
                for (k, v) in map {
                    if let Some(v) = v.as_f64() {
                        f.0.insert(format!("{stem}.{k}"), v);
                    }
                }
            }
        }
        f
    }

    fn read_criterion(&mut self, dir: &Path) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            if !path.is_dir() {
                continue;
            }
            if path.file_name().is_some_and(|n| n == "new") {
                let id = read_json(&path.join("benchmark.json"))
                    .and_then(|b| b.get("full_id")?.as_str().map(str::to_owned));
                let median = read_json(&path.join("estimates.json"))
                    .and_then(|e| e.get("median")?.get("point_estimate")?.as_f64());
                if let (Some(id), Some(median)) = (id, median) {
                    self.0.insert(id, median);
                }
            } else {
                self.read_criterion(&path);
            }
        }
    }

    /// One figure.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.0.get(key).copied()
    }

    /// A criterion median in microseconds.
    pub fn us(&self, id: &str) -> Option<f64> {
        self.get(id).map(|ns| ns / 1e3)
    }
}

fn read_json(path: &Path) -> Option<Json> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// A duration given in µs, in a readable unit.
pub fn fmt_us(us: f64) -> String {
    if us >= 1e6 {
        format!("{:.2} s", us / 1e6)
    } else if us >= 1e3 {
        format!("{:.2} ms", us / 1e3)
    } else if us >= 100.0 {
        format!("{us:.0} µs")
    } else if us >= 10.0 {
        format!("{us:.1} µs")
    } else {
        format!("{us:.2} µs")
    }
}

fn opt_us(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), fmt_us)
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.1}×", a / b),
        _ => "–".to_owned(),
    }
}

/// The sizes every per-decision bench runs at.
pub const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// The engines of the `peers` bench, as (criterion function id, label).
pub const PEERS: [(&str, &str); 6] = [
    ("changegate", "changegate"),
    (
        "baseline",
        "hand-written Rust (BFS + 8 checks, scratch reused)",
    ),
    (
        "baseline_stateless",
        "hand-written Rust, stateless (fresh visited set per decision)",
    ),
    ("cedar", "Cedar `is_authorized` (6 of 8 rules)"),
    ("regorus_impact_in_rego", "regorus, impact in Rego"),
    ("regorus_impact_precomputed", "regorus, impact precomputed"),
];

/// The `peers` table: median µs per decision, and each engine's time as a
/// multiple of changegate's in the same run.
pub fn peers_table(f: &Figures) -> String {
    let mut s = String::new();
    s.push_str("| N |");
    for (_, label) in PEERS {
        let _ = write!(s, " {label} |");
    }
    s.push_str("\n|---|");
    s.push_str(&"---|".repeat(PEERS.len()));
    s.push('\n');
    for n in SIZES {
        let cg = f.us(&format!("peers/changegate/{n}"));
        let _ = write!(s, "| {n} |");
        for (id, _) in PEERS {
            let v = f.us(&format!("peers/{id}/{n}"));
            if id == "changegate" {
                let _ = write!(s, " {} |", opt_us(v));
            } else {
                let _ = write!(s, " {} ({} changegate) |", opt_us(v), ratio(v, cg));
            }
        }
        s.push('\n');
    }
    s
}

/// The imports of the `import` bench: (criterion function id, size,
/// label). Each is set against `<id>_graph_json`, loading the graph it
/// made from changegate's own JSON in the same run.
pub const IMPORTS: [(&str, usize, &str); 3] = [
    (
        "servicenow_cmdb",
        100_000,
        "ServiceNow CMDB, 100,000 CIs + 300,000 relationships",
    ),
    (
        "backstage_yaml",
        10_000,
        "Backstage, 10,000 entities, YAML descriptor files",
    ),
    (
        "backstage_json",
        10_000,
        "Backstage, 10,000 entities, catalog API JSON",
    ),
];

/// The size of an import's input in MB, from `import.json` (the bench
/// writes it).
fn import_mb(f: &Figures, id: &str) -> Option<f64> {
    let key = match id {
        "servicenow_cmdb" => "import.cmdb_mb",
        "backstage_yaml" => "import.backstage_yaml_mb",
        _ => "import.backstage_json_mb",
    };
    f.get(key)
}

/// The `import` table: median per import, the load of the graph it made
/// from changegate's JSON, and the ratio of the two (same run).
pub fn import_table(f: &Figures) -> String {
    let mut s = String::new();
    s.push_str(
        "| import | input | median | loading its graph JSON | import / load |\n|---|---|---|---|---|\n",
    );
    for (id, n, label) in IMPORTS {
        let v = f.us(&format!("import/{id}/{n}"));
        let load = f.us(&format!("import/{id}_graph_json/{n}"));
        let mb = import_mb(f, id).map_or_else(|| "–".to_owned(), |m| format!("{m:.1} MB"));
        let _ = writeln!(
            s,
            "| {label} | {mb} | {} | {} | {} |",
            opt_us(v),
            opt_us(load),
            ratio(v, load)
        );
    }
    s
}

struct Table {
    s: String,
    met: Vec<(String, bool)>,
}

impl Table {
    fn new() -> Table {
        let mut s = String::new();
        s.push_str("| figure | median | target | met | command |\n|---|---|---|---|---|\n");
        Table { s, met: Vec::new() }
    }

    fn row(&mut self, figure: &str, value: String, target: Option<(String, bool)>, cmd: &str) {
        let (t, m) = match target {
            Some((t, m)) => {
                self.met.push((format!("{figure}: {t}"), m));
                (t, if m { "yes" } else { "**no**" })
            }
            None => (String::new(), ""),
        };
        let _ = writeln!(self.s, "| {figure} | {value} | {t} | {m} | `{cmd}` |");
    }
}

fn below(v: Option<f64>, limit: f64, text: &str) -> Option<(String, bool)> {
    v.map(|v| (text.to_owned(), v < limit))
}

const CMD_EVAL: &str = "cargo bench -p changegate-benches --bench evaluate";
const CMD_PEERS: &str = "cargo bench -p changegate-benches --bench peers";
const CMD_COMPILE: &str = "cargo bench -p changegate-benches --bench compile";
const CMD_GRAPH: &str = "cargo bench -p changegate-benches --bench graph";
const CMD_WINDOWS: &str = "cargo bench -p changegate-benches --bench windows";
const CMD_IMPORT: &str = "cargo bench -p changegate-benches --bench import";
const CMD_MEM: &str = "cargo run --profile bench -p changegate-benches --example graph_memory";
const CMD_PY: &str = ".venv/bin/python benches/bindings/python_overhead.py";
const CMD_NODE: &str = "node benches/bindings/node_overhead.js";
const CMD_WASM: &str = "node benches/bindings/wasm_overhead.js";
const CMD_RUST: &str = "cargo run --profile bench -p changegate-benches --example rust_call";

/// The whole report: every figure with its command, and which
/// targets are met.
pub fn summary(f: &Figures) -> String {
    let mut t = Table::new();
    for n in SIZES {
        t.row(
            &format!("evaluate, deep target n{}, N={n}", crate::deep_target(n)),
            opt_us(f.us(&format!("evaluate/deep/{n}"))),
            None,
            CMD_EVAL,
        );
    }
    for n in SIZES {
        t.row(
            &format!("evaluate, leaf target n0, N={n}"),
            opt_us(f.us(&format!("evaluate/leaf/{n}"))),
            None,
            CMD_EVAL,
        );
    }
    for n in SIZES {
        t.row(
            &format!("evaluate, average over 100 layer-4 targets, N={n}"),
            opt_us(f.us(&format!("evaluate/spread100/{n}"))),
            None,
            CMD_EVAL,
        );
    }
    for n in SIZES {
        let json = f.us(&format!("evaluate/deep_json_to_json/{n}"));
        let eval = f.us(&format!("evaluate/deep/{n}"));
        t.row(
            &format!("evaluate, change JSON → decision JSON, deep, N={n}"),
            opt_us(json),
            json.zip(eval).map(|(j, e)| {
                (
                    format!("≤ 3× `evaluate` (is {})", ratio(json, eval)),
                    j <= 3.0 * e,
                )
            }),
            CMD_EVAL,
        );
    }
    let one = f.us("batch/evaluate_many_1000/1");
    for threads in [1, 2] {
        let v = f.us(&format!("batch/evaluate_many_1000/{threads}"));
        t.row(
            &format!("`evaluate_many`, 1,000 changes, N=10000, {threads} thread(s), per change"),
            opt_us(v.map(|b| b / 1000.0)),
            (threads == 2)
                .then(|| v.zip(one))
                .flatten()
                .map(|(two, one)| {
                    (
                        format!("scales with cores (speed-up {:.2}×)", one / two),
                        one / two >= 1.6,
                    )
                }),
            "cargo bench -p changegate-benches --bench batch",
        );
    }
    for n in SIZES {
        let cg = f.us(&format!("peers/changegate/{n}"));
        for (id, label) in PEERS {
            let v = f.us(&format!("peers/{id}/{n}"));
            let target = match (id, n) {
                ("changegate", 10_000) => {
                    let base = f.us("peers/baseline_stateless/10000");
                    let scratch = f.us("peers/baseline/10000");
                    cg.zip(scratch).map(|(c, b)| {
                        (
                            format!(
                                "≤ 2× the scratch-reusing baseline (is {}; {} the stateless one)",
                                ratio(cg, scratch),
                                ratio(cg, base)
                            ),
                            c <= 2.0 * b,
                        )
                    })
                }
                ("cedar", 10_000) => v.zip(cg).map(|(p, c)| {
                    (
                        format!("changegate ≥ 4× faster (is {})", ratio(v, cg)),
                        p >= 4.0 * c,
                    )
                }),
                ("regorus_impact_in_rego" | "regorus_impact_precomputed", 10_000) => {
                    v.zip(cg).map(|(p, c)| {
                        (
                            format!("changegate ≥ 50× faster (is {})", ratio(v, cg)),
                            p >= 50.0 * c,
                        )
                    })
                }
                _ => None,
            };
            let value = if id == "changegate" {
                opt_us(v)
            } else {
                format!("{} ({} changegate)", opt_us(v), ratio(v, cg))
            };
            t.row(&format!("peers, {label}, N={n}"), value, target, CMD_PEERS);
        }
    }
    for r in [10usize, 100, 1_000, 10_000] {
        let v = f.us(&format!("compile/rules/{r}"));
        let target = match r {
            1_000 => below(v, 5_000.0, "< 5 ms"),
            10_000 => below(v, 50_000.0, "< 50 ms"),
            _ => None,
        };
        let per_rule = v.map_or_else(String::new, |v| {
            format!(" ({} per rule)", fmt_us(v / r as f64))
        });
        t.row(
            &format!("compile (parse + check + compile), {r} rules"),
            format!("{}{per_rule}", opt_us(v)),
            target,
            CMD_COMPILE,
        );
    }
    for n in SIZES {
        let v = f.us(&format!("graph/load_json/{n}"));
        let target = (n == 100_000)
            .then(|| below(v, 150_000.0, "< 150 ms"))
            .flatten();
        t.row(
            &format!("graph load from JSON, N={n}"),
            opt_us(v),
            target,
            CMD_GRAPH,
        );
    }
    let peak = f.get("graph_memory.peak_rss_mb");
    t.row(
        "graph load N=100000: peak resident (VmHWM, whole process)",
        peak.map_or_else(|| "–".to_owned(), |m| format!("{m:.1} MB")),
        peak.map(|m| ("< 60 MB".to_owned(), m < 60.0)),
        CMD_MEM,
    );
    if let Some(g) = f.get("graph_memory.graph_rss_mb") {
        t.row(
            "graph load N=100000: resident growth of the loaded graph",
            format!("{g:.1} MB"),
            None,
            CMD_MEM,
        );
    }
    for (engine, prefix) in [
        ("changegate", ""),
        ("Cedar", "cedar_"),
        ("regorus", "regorus_"),
    ] {
        let node = f.get(&format!("graph_memory.{prefix}bytes_per_node"));
        let edge = f.get(&format!("graph_memory.{prefix}bytes_per_edge"));
        if let (Some(node), Some(edge)) = (node, edge) {
            t.row(
                &format!("graph N=100000 in {engine}: heap per node / per edge"),
                format!("{node:.0} B / {edge:.0} B"),
                None,
                CMD_MEM,
            );
        }
    }
    let size = f
        .get("graph_memory.largest_impact")
        .map_or(String::new(), |s| format!(", {s:.0} nodes"));
    let v = f.us("graph/impact_largest_layer4/100000");
    t.row(
        &format!("impact alone, N=100000, largest layer-4 blast radius{size}"),
        opt_us(v),
        below(v, 10_000.0, "< 10 ms"),
        CMD_GRAPH,
    );
    let v = f.us("graph/impact_all_layer4/100000");
    t.row(
        "impact alone, N=100000, all 20000 layer-4 nodes as targets (the whole estate)",
        opt_us(v),
        below(v, 10_000.0, "< 10 ms"),
        CMD_GRAPH,
    );
    for (id, n, label) in IMPORTS {
        let v = f.us(&format!("import/{id}/{n}"));
        let load = f.us(&format!("import/{id}_graph_json/{n}"));
        let target = (id == "servicenow_cmdb")
            .then(|| below(v, 10_000_000.0, "< 10 s"))
            .flatten();
        let mb = import_mb(f, id).map_or_else(String::new, |m| format!(" ({m:.1} MB)"));
        t.row(
            &format!("import, {label}{mb}"),
            format!(
                "{} ({} loading its graph JSON, {})",
                opt_us(v),
                ratio(v, load),
                opt_us(load)
            ),
            target,
            CMD_IMPORT,
        );
    }
    t.row(
        "next_allowed_start, 20 cron windows in 5 zones, average of 12 starts over a year",
        opt_us(f.us("windows/next_allowed_start/12_starts")),
        None,
        CMD_WINDOWS,
    );
    t.row(
        "next_allowed_start, 20 cron windows in 5 zones, no slot in the 366-day horizon",
        opt_us(f.us("windows/next_allowed_start/no_slot")),
        None,
        CMD_WINDOWS,
    );
    bindings(&mut t, f);

    let mut s = String::new();
    let _ = writeln!(s, "{}", t.s);
    let _ = writeln!(s, "Peers, median per decision (same criterion run):\n");
    let _ = writeln!(s, "{}", peers_table(f));
    let _ = writeln!(
        s,
        "Imports, median, and as a multiple of loading the same graph from changegate's JSON (same criterion run):\n"
    );
    let _ = writeln!(s, "{}", import_table(f));
    let met = t.met.iter().filter(|m| m.1).count();
    let _ = writeln!(s, "Targets met: {met} of {}", t.met.len());
    for (what, ok) in &t.met {
        if !ok {
            let _ = writeln!(s, "- NOT met: {what}");
        }
    }
    s
}

/// The binding rows: for the fixed decision (deep target) and a leaf, each
/// binding call against the Rust call doing the same work (the whole
/// decision JSON, or a decision whose parts are read later).
fn bindings(t: &mut Table, f: &Figures) {
    for (who, key, cmd) in [
        ("Python", "python", CMD_PY),
        ("Node", "node", CMD_NODE),
        ("WASM in Node", "wasm", CMD_WASM),
    ] {
        if let Some(us) = f.get(&format!("{key}.crossing_us")) {
            t.row(
                &format!(
                    "{who}: one call across the boundary (the `digest` getter, no engine work)"
                ),
                fmt_us(us),
                None,
                cmd,
            );
        }
    }
    for (case, sfx) in [("deep target n8002", ""), ("leaf target n0", "_leaf")] {
        let rust = f.get(&format!("rust_call.evaluate_json{sfx}_us"));
        t.row(
            &format!(
                "Rust `Policy::evaluate_json` (reference of the binding rows that return JSON), N=10000, {case}"
            ),
            opt_us(rust),
            None,
            CMD_RUST,
        );
        t.row(
            &format!(
                "Rust `Change::from_json` + `Policy::evaluate` (reference of the lazy binding rows), N=10000, {case}"
            ),
            opt_us(f.get(&format!("rust_call.evaluate{sfx}_us"))),
            None,
            CMD_RUST,
        );
        // Each binding call against the Rust call doing the same work:
        // `evaluate_json` (the whole decision JSON) or `evaluate`
        // (`Change::from_json` + `Policy::evaluate`, a decision read later,
        // as the bindings' lazy decisions are).
        let rust_evaluate = f.get(&format!("rust_call.evaluate{sfx}_us"));
        let mut binding = |figure: &str,
                           key: &str,
                           reference: &str,
                           limit: Option<f64>,
                           cmd: &str| {
            let r = if reference == "evaluate" {
                rust_evaluate
            } else {
                rust
            };
            let v = f.get(&format!("{key}{sfx}_us"));
            let over = v.zip(r).map(|(v, r)| v - r);
            let target = limit.and_then(|l| over.map(|o| (format!("overhead < {l} µs"), o < l)));
            let value = match (v, over) {
                (Some(v), Some(o)) => format!("{} ({o:+.2} µs over Rust `{reference}`)", fmt_us(v)),
                (v, _) => opt_us(v),
            };
            t.row(&format!("{figure}, {case}"), value, target, cmd);
        };
        binding(
            "Python `policy.evaluate(dict)` (lazy decision)",
            "python.evaluate",
            "evaluate",
            Some(2.0),
            CMD_PY,
        );
        binding(
            "Python `policy.evaluate(json_text)` (lazy decision)",
            "python.evaluate_text",
            "evaluate",
            Some(2.0),
            CMD_PY,
        );
        binding(
            "Python `policy.evaluate(json_text).to_json()`",
            "python.evaluate_to_json",
            "evaluate_json",
            Some(2.0),
            CMD_PY,
        );
        binding(
            "Python native `evaluate_json` (the FFI call alone)",
            "python.native_evaluate_json",
            "evaluate_json",
            Some(2.0),
            CMD_PY,
        );
        binding(
            "Python `policy.evaluate_many` (100 dicts), per change",
            "python.evaluate_many",
            "evaluate",
            None,
            CMD_PY,
        );
        binding(
            "Node `policy.evaluate(object)` (lazy decision)",
            "node.evaluate",
            "evaluate",
            Some(1.0),
            CMD_NODE,
        );
        binding(
            "Node `policy.evaluateJson(text)`",
            "node.evaluate_json",
            "evaluate_json",
            Some(1.0),
            CMD_NODE,
        );
        binding(
            "WASM `policy.evaluateJson(text)` in Node",
            "wasm.evaluate_json",
            "evaluate_json",
            None,
            CMD_WASM,
        );
        binding(
            "WASM `policy.evaluate(object)` in Node",
            "wasm.evaluate",
            "evaluate_json",
            None,
            CMD_WASM,
        );
        // What reading a lazy decision costs (no Rust counterpart).
        for (figure, key, cmd) in [
            (
                "Python `evaluate(dict)` and read `outcome`, `approvals`",
                "python.evaluate_read_usual",
                CMD_PY,
            ),
            (
                "Python `evaluate(json_text)` and read every field and impacted node",
                "python.evaluate_read_all",
                CMD_PY,
            ),
            (
                "Node `evaluate(object)` and read `outcome`, `approvals`",
                "node.evaluate_read_usual",
                CMD_NODE,
            ),
            (
                "Node `JSON.stringify(evaluate(object))`",
                "node.evaluate_stringify",
                CMD_NODE,
            ),
            (
                "Node: a JS string of the decision JSON's bytes (`Buffer#toString('utf8')`), no engine work",
                "node.string_from_utf8",
                CMD_NODE,
            ),
        ] {
            if let Some(v) = f.get(&format!("{key}{sfx}_us")) {
                t.row(&format!("{figure}, {case}"), fmt_us(v), None, cmd);
            }
        }
        let many = f.get(&format!("python.evaluate_many{sfx}_us"));
        if let (Some(m), Some(r)) = (many, rust_evaluate) {
            t.row(
                &format!(
                    "Python `evaluate_many` per change / Rust `Change::from_json` + `evaluate`, {case}"
                ),
                format!("{:.2}×", m / r),
                Some(("≤ 1.5×".to_owned(), m <= 1.5 * r)),
                CMD_PY,
            );
        }
        let wasm = f.get(&format!("wasm.evaluate_json{sfx}_us"));
        if let (Some(w), Some(r)) = (wasm, rust) {
            t.row(
                &format!("WASM `evaluateJson` / native Rust `evaluate_json`, {case}"),
                format!("{:.2}×", w / r),
                Some(("≤ 3×".to_owned(), w <= 3.0 * r)),
                CMD_WASM,
            );
        }
    }
}

/// The median time per call of `f`, in µs, over `batches` batches of
/// `calls` calls each (the same method as the binding scripts).
pub fn median_per_call_us<R>(batches: usize, calls: usize, mut f: impl FnMut() -> R) -> f64 {
    let mut per: Vec<f64> = (0..batches)
        .map(|_| {
            let start = std::time::Instant::now();
            for _ in 0..calls {
                std::hint::black_box(f());
            }
            start.elapsed().as_secs_f64() * 1e6 / calls.max(1) as f64
        })
        .collect();
    per.sort_by(f64::total_cmp);
    per.get(per.len() / 2).copied().unwrap_or(f64::NAN)
}
