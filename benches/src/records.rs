//! Generated ServiceNow CMDB exports for the import bench
//! (`benches/import.rs`): `cmdb_ci` and `cmdb_rel_ci` records as the Table
//! API writes them with `sysparm_display_value=all` (every field
//! `{"display_value", "value"}`, references with their `link`), the shape
//! docs/sources/servicenow.md asks for, in pages of [`PAGE`] records (a
//! large CMDB is exported with `sysparm_limit` and `sysparm_offset`).
//!
//! The CIs form five layers, as the scenario's estate does (`lib.rs`):
//! application services, applications and app servers, database instances,
//! servers, hypervisors. Every relationship goes from a CI to one of a
//! deeper layer, so the graph is acyclic, and no two relationships join the
//! same pair of CIs, so every relationship is one edge. The same generator
//! also writes the graph the import should make, as changegate's graph
//! JSON, for the tests.

use std::fmt::Write as _;

use changegate::Source;
use changegate::import::Inputs;

/// Records per page (file), as `sysparm_limit=10000` pages an export.
pub const PAGE: usize = 10_000;

const INSTANCE: &str = "https://bench01.service-now.com/api/now/table";

/// The generators' random numbers: the scenario's LCG (`lib.rs`).
#[derive(Debug, Clone)]
pub struct Lcg(u64);

impl Lcg {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    /// The next number, 31 bits.
    pub fn next_u31(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u31() as usize).checked_rem(n).unwrap_or(0)
    }
}

/// splitmix64: spreads an index over 64 bits, for sys_ids.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A sys_id (32 lowercase hex digits) for item `i` of table `salt`.
pub fn sys_id(salt: u64, i: usize) -> String {
    let a = mix((salt << 40) ^ i as u64);
    format!("{a:016x}{:016x}", mix(a))
}

/// The CI classes of each layer: table, label, name prefix.
const CLASSES: [&[(&str, &str, &str)]; 5] = [
    &[("cmdb_ci_service_discovered", "Application Service", "svc")],
    &[
        ("cmdb_ci_appl", "Application", "app"),
        ("cmdb_ci_app_server_tomcat", "Tomcat", "tomcat"),
        ("cmdb_ci_app_server_java", "Java Server", "jvm"),
    ],
    &[
        (
            "cmdb_ci_db_postgresql_instance",
            "PostgreSQL Instance",
            "pg",
        ),
        ("cmdb_ci_db_mysql_instance", "MySQL Instance", "mysql"),
        ("cmdb_ci_db_mssql_instance", "MSSQL Instance", "mssql"),
    ],
    &[
        ("cmdb_ci_linux_server", "Linux Server", "lnx"),
        ("cmdb_ci_win_server", "Windows Server", "win"),
    ],
    &[("cmdb_ci_esx_server", "ESX Server", "esx")],
];

/// Where each layer starts, in percent of the CIs (the last is the end).
const LAYER_PERCENT: [usize; 6] = [0, 5, 30, 45, 85, 100];

/// `business_criticality` labels; the number is the tier plus 1.
const CRITICALITY: [&str; 4] = [
    "1 - most critical",
    "2 - somewhat critical",
    "3 - less critical",
    "4 - not critical",
];

/// A relationship type: its name, its sys_id on a base instance where
/// docs/sources/servicenow.md gives it (else a generated one: the adapter
/// reads the type by its display value), and whether the parent is the CI
/// that depends on the other.
type RelType = (&'static str, Option<&'static str>, bool);
const DEPENDS_ON: RelType = (
    "Depends on::Used by",
    Some("1a9cb166f1571100a92eb60da2bce5c5"),
    true,
);
const RUNS_ON: RelType = (
    "Runs on::Runs",
    Some("60bc4e22c0a8010e01f074cbe6bd73c3"),
    true,
);
const HOSTED_ON: RelType = (
    "Hosted on::Hosts",
    Some("5f985e0ec0a8010e00a9714f2a172815"),
    true,
);
const CONTAINS: RelType = (
    "Contains::Contained by",
    Some("55c95bf6c0a8010e0118ec7056ebc54d"),
    false,
);
const VIRTUALIZED_BY: RelType = ("Virtualized by::Virtualizes", None, true);

/// The first CI of layer `l` (layer 5 is one past the end).
fn layer_start(l: usize, n: usize) -> usize {
    LAYER_PERCENT.get(l).map_or(n, |p| p * n / 100)
}

fn layer_of(i: usize, n: usize) -> usize {
    (1..5).take_while(|&l| i >= layer_start(l, n)).count()
}

/// A generated CMDB export and the graph it should import as.
#[derive(Debug, Clone)]
pub struct Cmdb {
    /// `cmdb_ci` pages, each `{"result": [...]}`.
    pub cis: Vec<Source>,
    /// `cmdb_rel_ci` pages.
    pub relationships: Vec<Source>,
    /// The graph the import should make, as changegate's graph JSON
    /// (ids, kinds, tiers, owners, edges; no attributes).
    pub expected: String,
    /// How many CIs (nodes).
    pub ci_count: usize,
    /// How many relationships, each a distinct edge.
    pub edge_count: usize,
}

impl Cmdb {
    /// The adapter's inputs: `cis` and `relationships`.
    pub fn inputs(&self) -> Inputs {
        let mut inputs = Inputs::new();
        inputs.insert("cis".to_owned(), self.cis.clone());
        inputs.insert("relationships".to_owned(), self.relationships.clone());
        inputs
    }

    /// The size of every page, in bytes.
    pub fn bytes(&self) -> usize {
        self.cis
            .iter()
            .chain(&self.relationships)
            .map(|s| s.text.len())
            .sum()
    }
}

/// Writes `"key":{"display_value":"d","value":"v"}` (generated text needs
/// no escaping).
fn field(s: &mut String, key: &str, display: &str, value: &str) {
    let _ = write!(
        s,
        "\"{key}\":{{\"display_value\":\"{display}\",\"value\":\"{value}\"}}"
    );
}

/// Writes a reference field: display value, link to `table`, sys_id.
fn reference(s: &mut String, key: &str, display: &str, table: &str, id: &str) {
    let _ = write!(
        s,
        "\"{key}\":{{\"display_value\":\"{display}\",\"link\":\"{INSTANCE}/{table}/{id}\",\"value\":\"{id}\"}}"
    );
}

/// Splits records (each a JSON object's text) into Table API pages.
fn pages(table: &str, records: &[String]) -> Vec<Source> {
    records
        .chunks(PAGE)
        .enumerate()
        .map(|(k, chunk)| Source {
            name: format!("{table}-{:03}.json", k + 1),
            text: format!("{{\"result\":[{}]}}", chunk.join(",")),
        })
        .collect()
}

/// A CMDB export of `n` CIs and `m` relationships (fewer only when the
/// deeper layers are too small to give every CI its share of distinct
/// partners), deterministic (seed 7).
pub fn cmdb(n: usize, m: usize) -> Cmdb {
    let mut rng = Lcg::new(7);
    let groups = (n / 500).max(4);
    let group_ids: Vec<String> = (0..groups).map(|g| sys_id(1, g)).collect();
    let locations = [
        "Frankfurt DC 2",
        "Ashburn DC 1",
        "Singapore DC 3",
        "London DC 1",
    ];
    let location_ids: Vec<String> = (0..locations.len()).map(|k| sys_id(2, k)).collect();

    let mut names = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    let mut records = Vec::with_capacity(n);
    let mut expected_nodes = Vec::with_capacity(n);
    for i in 0..n {
        let layer = layer_of(i, n);
        let classes = CLASSES.get(layer).copied().unwrap_or(&[]);
        let Some(&(table, label, prefix)) = classes.get(rng.below(classes.len())) else {
            continue;
        };
        let name = format!("{prefix}-{i:06}");
        let id = sys_id(3, i);
        let crit = (layer.saturating_sub(1) + rng.below(2)).min(3);
        let group = rng.below(groups);
        let group_name = format!("{prefix}-support-{group:03}");
        let server = layer >= 3;
        let mut s = String::with_capacity(1_400);
        s.push('{');
        field(&mut s, "sys_id", &id, &id);
        s.push(',');
        field(&mut s, "name", &name, &name);
        s.push(',');
        field(&mut s, "sys_class_name", label, table);
        s.push(',');
        let (op_label, op) = if rng.below(50) == 0 {
            ("Non-Operational", "2")
        } else {
            ("Operational", "1")
        };
        field(&mut s, "operational_status", op_label, op);
        s.push(',');
        field(&mut s, "install_status", "Installed", "1");
        s.push(',');
        let env = if rng.below(4) == 0 {
            "Test"
        } else {
            "Production"
        };
        field(&mut s, "environment", env, env);
        s.push(',');
        let c = CRITICALITY.get(crit).copied().unwrap_or_default();
        field(&mut s, "business_criticality", c, c);
        s.push(',');
        let gid = group_ids.get(group).map_or("", String::as_str);
        reference(&mut s, "support_group", &group_name, "sys_user_group", gid);
        s.push(',');
        let loc = rng.below(locations.len());
        reference(
            &mut s,
            "location",
            locations.get(loc).copied().unwrap_or_default(),
            "cmn_location",
            location_ids.get(loc).map_or("", String::as_str),
        );
        s.push(',');
        if server {
            let ip = format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255);
            field(&mut s, "ip_address", &ip, &ip);
            s.push(',');
            let fqdn = format!("{name}.bench.example.com");
            field(&mut s, "fqdn", &fqdn, &fqdn);
            s.push(',');
            let os = if prefix == "win" {
                "Windows 2022 Datacenter"
            } else {
                "Linux Red Hat"
            };
            field(&mut s, "os", os, os);
        } else {
            field(&mut s, "ip_address", "", "");
            s.push(',');
            field(&mut s, "fqdn", "", "");
            s.push(',');
            field(&mut s, "os", "", "");
        }
        s.push(',');
        let desc = format!("{label} {name}");
        field(&mut s, "short_description", &desc, &desc);
        s.push(',');
        field(
            &mut s,
            "sys_updated_on",
            "2026-11-30 03:14:09",
            "2026-11-30 02:14:09",
        );
        s.push(',');
        let pci = if i % 9 == 0 { "true" } else { "false" };
        field(&mut s, "u_pci_scope", pci, pci);
        s.push('}');
        records.push(s);
        expected_nodes.push((
            name.clone(),
            table,
            crit,
            group_name,
            Vec::new(),
            id.clone(),
        ));
        names.push(name);
        ids.push(id);
    }
    let n = names.len();

    // Each CI of layers 0-3 gets its share of the `m` relationships, to
    // distinct CIs of deeper layers (three in four to the next layer).
    let sources = layer_start(4, n);
    let mut rels = Vec::with_capacity(m);
    for i in 0..sources {
        let layer = layer_of(i, n);
        let deeper = n - layer_start(layer + 1, n);
        let share = m / sources.max(1) + usize::from(i < m % sources.max(1));
        let want = share.min(deeper);
        let mut partners: Vec<usize> = Vec::with_capacity(want);
        while partners.len() < want {
            let to_layer = if rng.below(4) < 3 || layer == 3 {
                layer + 1
            } else {
                layer + 2 + rng.below(3 - layer)
            };
            let lo = layer_start(to_layer, n);
            let j = lo + rng.below(layer_start(to_layer + 1, n) - lo);
            if !partners.contains(&j) {
                partners.push(j);
            }
        }
        for j in partners {
            let to_layer = layer_of(j, n);
            let kind = match (layer, to_layer) {
                (1, 3) if rng.below(8) == 0 => CONTAINS,
                (1 | 2, 3) => RUNS_ON,
                (3, 4) => VIRTUALIZED_BY,
                (_, 4) => HOSTED_ON,
                _ => DEPENDS_ON,
            };
            // `i` depends on `j`: the parent when the type says so, else
            // the child (`j` contains `i`).
            let (parent, child) = if kind.2 { (i, j) } else { (j, i) };
            let k = rels.len();
            let mut s = String::with_capacity(900);
            s.push('{');
            let rid = sys_id(4, k);
            field(&mut s, "sys_id", &rid, &rid);
            for (key, ci) in [("parent", parent), ("child", child)] {
                s.push(',');
                let (name, id) = (names.get(ci), ids.get(ci));
                let (name, id) = (
                    name.map_or("", String::as_str),
                    id.map_or("", String::as_str),
                );
                reference(&mut s, key, name, "cmdb_ci", id);
            }
            s.push(',');
            let type_id = kind.1.map_or_else(|| sys_id(5, 0), str::to_owned);
            reference(&mut s, "type", kind.0, "cmdb_rel_type", &type_id);
            s.push(',');
            field(&mut s, "connection_strength", "Always", "always");
            s.push(',');
            field(
                &mut s,
                "sys_updated_on",
                "2026-11-30 03:14:10",
                "2026-11-30 02:14:10",
            );
            s.push('}');
            rels.push(s);
            if let (Some(node), Some(to)) = (expected_nodes.get_mut(i), names.get(j)) {
                node.4.push(to.clone());
            }
        }
    }

    let mut expected = String::with_capacity(n * 100);
    expected.push_str("{\"nodes\":[");
    for (k, (name, table, tier, owner, deps, sys_id)) in expected_nodes.iter().enumerate() {
        if k > 0 {
            expected.push(',');
        }
        let deps: Vec<String> = deps.iter().map(|d| format!("\"{d}\"")).collect();
        let _ = write!(
            expected,
            "{{\"id\":\"{name}\",\"kind\":\"{table}\",\"tier\":{tier},\"owner\":\"{owner}\",\"depends_on\":[{}],\"aliases\":[\"{sys_id}\"]}}",
            deps.join(",")
        );
    }
    expected.push_str("]}");
    Cmdb {
        cis: pages("cmdb_ci", &records),
        relationships: pages("cmdb_rel_ci", &rels),
        expected,
        ci_count: n,
        edge_count: rels.len(),
    }
}
