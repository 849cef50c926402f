//! A generated Backstage catalog for the import bench (`benches/import.rs`):
//! groups, systems, components, APIs and resources, written both as
//! `catalog-info.yaml` descriptor files (multi-document YAML, [`PER_FILE`]
//! entities a file, as a repository's descriptors are) and as the catalog
//! API's JSON (`/api/catalog/entities/by-query` pages of [`PER_PAGE`] items,
//! with `metadata.uid`, `etag` and the `relations[]` Backstage deduces).
//!
//! Components consume APIs, provide APIs and depend on resources and on
//! other components; every edge goes from a component to an API, resource
//! or component of a larger index, or from an API to its provider, a
//! component of a larger index than every consumer, so the graph is
//! acyclic. Both forms import as the same graph, which the generator also
//! writes as changegate's graph JSON for the tests.

use std::fmt::Write as _;

use changegate::Source;
use changegate::import::Inputs;
use serde_json::{Value as Json, json};

use crate::records::Lcg;

/// Entities per YAML file.
pub const PER_FILE: usize = 100;
/// Entities per catalog API page (`limit=1000`).
pub const PER_PAGE: usize = 1_000;

/// One generated entity.
#[derive(Debug, Clone)]
struct Entity {
    kind: &'static str,
    name: String,
    spec_type: Option<&'static str>,
    /// `spec.owner` as written (`team-007`, `group:team-007`, …) and the
    /// group's name.
    owner: Option<(String, String)>,
    system: Option<String>,
    lifecycle: Option<&'static str>,
    /// The `changegate/tier` annotation as written, and the tier.
    tier: Option<(String, i64)>,
    tags: Vec<&'static str>,
    /// Entity indices: what it depends on (components, resources), the
    /// APIs it consumes and provides.
    depends_on: Vec<usize>,
    consumes: Vec<usize>,
    provides: Vec<usize>,
}

impl Entity {
    fn new(kind: &'static str, name: String) -> Entity {
        Entity {
            kind,
            name,
            spec_type: None,
            owner: None,
            system: None,
            lifecycle: None,
            tier: None,
            tags: Vec::new(),
            depends_on: Vec::new(),
            consumes: Vec::new(),
            provides: Vec::new(),
        }
    }

    fn lower_kind(&self) -> String {
        self.kind.to_lowercase()
    }

    fn full_ref(&self) -> String {
        format!("{}:default/{}", self.lower_kind(), self.name)
    }
}

/// A generated catalog in both forms and the graph it should import as.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// `catalog-NNN.yaml` files.
    pub yaml: Vec<Source>,
    /// `by-query-NN.json` pages.
    pub json: Vec<Source>,
    /// The graph the import should make, as changegate's graph JSON (ids,
    /// kinds, tiers, owners, tags, edges; no attributes).
    pub expected: String,
    /// How many entities (nodes).
    pub entity_count: usize,
    /// How many distinct edges.
    pub edge_count: usize,
}

impl Catalog {
    /// The adapter's inputs for one form: `catalog` holding `files`.
    pub fn inputs(files: &[Source]) -> Inputs {
        let mut inputs = Inputs::new();
        inputs.insert("catalog".to_owned(), files.to_vec());
        inputs
    }

    /// The size of the files of one form, in bytes.
    pub fn bytes(files: &[Source]) -> usize {
        files.iter().map(|s| s.text.len()).sum()
    }
}

/// A catalog of `k` entities (at least 50), deterministic (seed 11): 2 %
/// groups, 3 % systems, 20 % APIs, 25 % resources, the rest components.
pub fn catalog(k: usize) -> Catalog {
    let k = k.max(50);
    let mut rng = Lcg::new(11);
    let groups = k / 50;
    let systems = k * 3 / 100;
    let apis = k / 5;
    let resources = k / 4;
    let components = k - groups - systems - apis - resources;
    // Entity index ranges, in the order the files list them.
    let comp0 = groups + systems;
    let api0 = comp0 + components;
    let res0 = api0 + apis;

    let mut es: Vec<Entity> = Vec::with_capacity(k);
    for g in 0..groups {
        let mut e = Entity::new("Group", format!("team-{g:03}"));
        e.spec_type = Some("team");
        es.push(e);
    }
    let owner = |rng: &mut Lcg| {
        let g = rng.below(groups);
        let name = format!("team-{g:03}");
        let written = match rng.below(4) {
            0 => format!("group:{name}"),
            1 => format!("group:default/{name}"),
            _ => name.clone(),
        };
        Some((written, name))
    };
    let tier = |rng: &mut Lcg| {
        let t = rng.below(4) as i64;
        let written = match rng.below(4) {
            0 => format!("tier-{t}"),
            1 => format!("Tier {t}"),
            2 => format!("t{t}"),
            _ => t.to_string(),
        };
        Some((written, t))
    };
    for s in 0..systems {
        let mut e = Entity::new("System", format!("system-{s:04}"));
        e.owner = owner(&mut rng);
        es.push(e);
    }
    for c in 0..components {
        let mut e = Entity::new("Component", format!("svc-{c:05}"));
        e.spec_type = Some(pick(&["service", "service", "website", "library"], c));
        e.owner = owner(&mut rng);
        e.system = Some(format!("system-{:04}", rng.below(systems)));
        e.lifecycle = Some(if c % 10 == 0 {
            "experimental"
        } else {
            "production"
        });
        e.tier = tier(&mut rng);
        e.tags = match rng.below(4) {
            0 => vec!["java"],
            1 => vec!["go"],
            2 => vec!["python", "pii"],
            _ => Vec::new(),
        };
        es.push(e);
    }
    for a in 0..apis {
        let mut e = Entity::new("API", format!("api-{a:05}"));
        e.spec_type = Some(pick(&["openapi", "grpc", "asyncapi"], a));
        e.owner = owner(&mut rng);
        e.lifecycle = Some("production");
        es.push(e);
    }
    for r in 0..resources {
        let mut e = Entity::new("Resource", format!("db-{r:05}"));
        e.spec_type = Some(pick(&["database", "database", "s3-bucket", "queue"], r));
        e.owner = owner(&mut rng);
        e.system = Some(format!("system-{:04}", rng.below(systems)));
        e.tier = tier(&mut rng);
        es.push(e);
    }

    // API `a` is provided by component `provider(a)`, increasing in `a`; a
    // component consumes only APIs whose provider comes after it.
    let provider = |a: usize| comp0 + (a * components / apis.max(1)).min(components - 1);
    let mut edges = 0;
    let mut first_api = 0;
    for a in 0..apis {
        if let Some(p) = es.get_mut(provider(a)) {
            p.provides.push(api0 + a);
            edges += 1;
        }
    }
    for c in 0..components {
        let i = comp0 + c;
        let mut consumes = Vec::new();
        while first_api < apis && provider(first_api) <= i {
            first_api += 1;
        }
        if first_api < apis {
            for _ in 0..rng.below(4) {
                let a = api0 + first_api + rng.below(apis - first_api);
                if !consumes.contains(&a) {
                    consumes.push(a);
                }
            }
        }
        let mut depends = Vec::new();
        for _ in 0..1 + rng.below(2) {
            let r = res0 + rng.below(resources);
            if !depends.contains(&r) {
                depends.push(r);
            }
        }
        if c + 1 < components && rng.below(4) == 0 {
            depends.push(i + 1 + rng.below(components - c - 1));
        }
        edges += consumes.len() + depends.len();
        if let Some(e) = es.get_mut(i) {
            e.consumes = consumes;
            e.depends_on = depends;
        }
    }

    Catalog {
        yaml: yaml_files(&es),
        json: json_pages(&es),
        expected: expected(&es),
        entity_count: es.len(),
        edge_count: edges,
    }
}

/// Sets `key` of object `v`.
fn set(v: &mut Json, key: &str, x: Json) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), x);
    }
}

/// Item `i` of `list`, round and round.
fn pick(list: &[&'static str], i: usize) -> &'static str {
    list.get(i.checked_rem(list.len()).unwrap_or(0))
        .copied()
        .unwrap_or_default()
}

fn name_of(es: &[Entity], i: usize) -> &str {
    es.get(i).map_or("", |e| e.name.as_str())
}

fn yaml_files(es: &[Entity]) -> Vec<Source> {
    es.chunks(PER_FILE)
        .enumerate()
        .map(|(f, chunk)| {
            let mut s = String::with_capacity(chunk.len() * 500);
            for e in chunk {
                yaml_entity(&mut s, es, e);
            }
            Source {
                name: format!("catalog-{:03}.yaml", f + 1),
                text: s,
            }
        })
        .collect()
}

fn yaml_entity(s: &mut String, es: &[Entity], e: &Entity) {
    let _ = write!(
        s,
        "---\napiVersion: backstage.io/v1alpha1\nkind: {}\nmetadata:\n  name: {}\n  description: The {} {}\n",
        e.kind,
        e.name,
        e.lower_kind(),
        e.name
    );
    let _ = writeln!(
        s,
        "  annotations:\n    github.com/project-slug: example-org/{}",
        e.name
    );
    if let Some((t, _)) = &e.tier {
        let _ = writeln!(s, "    changegate/tier: \"{t}\"");
    }
    if !e.tags.is_empty() {
        let _ = writeln!(s, "  tags: [{}]", e.tags.join(", "));
    }
    s.push_str("spec:\n");
    if let Some(t) = e.spec_type {
        let _ = writeln!(s, "  type: {t}");
    }
    if let Some(l) = e.lifecycle {
        let _ = writeln!(s, "  lifecycle: {l}");
    }
    if let Some((o, _)) = &e.owner {
        let _ = writeln!(s, "  owner: {o}");
    }
    if let Some(sys) = &e.system {
        let _ = writeln!(s, "  system: {sys}");
    }
    if e.kind == "Group" {
        s.push_str("  profile:\n    displayName: Team\n  children: []\n");
    }
    if e.kind == "API" {
        s.push_str("  definition: |\n    openapi: 3.0.0\n    info:\n      title: generated\n");
    }
    for (key, list, with_kind) in [
        ("providesApis", &e.provides, false),
        ("consumesApis", &e.consumes, false),
        ("dependsOn", &e.depends_on, true),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  {key}:");
        for &t in list {
            match (with_kind, es.get(t)) {
                (true, Some(target)) => {
                    let _ = writeln!(s, "    - {}:{}", target.lower_kind(), target.name);
                }
                _ => {
                    let _ = writeln!(s, "    - {}", name_of(es, t));
                }
            }
        }
    }
}

/// Every relation Backstage records for the entities, both ways:
/// (from, type, to) as entity indices.
fn relations(es: &[Entity]) -> Vec<Vec<(&'static str, String)>> {
    let mut rel: Vec<Vec<(&'static str, String)>> = vec![Vec::new(); es.len()];
    let mut add = |i: usize, t: &'static str, to: String| {
        if let Some(r) = rel.get_mut(i) {
            r.push((t, to));
        }
    };
    for (i, e) in es.iter().enumerate() {
        if let Some((_, g)) = &e.owner {
            add(i, "ownedBy", format!("group:default/{g}"));
        }
        if let Some(sys) = &e.system {
            add(i, "partOf", format!("system:default/{sys}"));
        }
        let me = e.full_ref();
        for &a in &e.provides {
            let r = es.get(a).map(Entity::full_ref).unwrap_or_default();
            add(i, "providesApi", r);
            add(a, "apiProvidedBy", me.clone());
        }
        for &a in &e.consumes {
            let r = es.get(a).map(Entity::full_ref).unwrap_or_default();
            add(i, "consumesApi", r);
            add(a, "apiConsumedBy", me.clone());
        }
        for &d in &e.depends_on {
            let r = es.get(d).map(Entity::full_ref).unwrap_or_default();
            add(i, "dependsOn", r);
            add(d, "dependencyOf", me.clone());
        }
    }
    rel
}

fn json_pages(es: &[Entity]) -> Vec<Source> {
    let rel = relations(es);
    let items: Vec<Json> = es
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut annotations = serde_json::Map::new();
            annotations.insert(
                "backstage.io/managed-by-location".to_owned(),
                json!(format!(
                    "url:https://github.com/example-org/{}/tree/main/catalog-info.yaml",
                    e.name
                )),
            );
            annotations.insert(
                "github.com/project-slug".to_owned(),
                json!(format!("example-org/{}", e.name)),
            );
            if let Some((t, _)) = &e.tier {
                annotations.insert("changegate/tier".to_owned(), json!(t));
            }
            let mut metadata = json!({
                "namespace": "default",
                "name": e.name,
                "description": format!("The {} {}", e.lower_kind(), e.name),
                "annotations": annotations,
                "uid": format!("{:08x}-0000-4000-8000-{:012x}", i, i * 7919),
                "etag": format!("{:040x}", i * 104_729),
            });
            if !e.tags.is_empty() {
                set(&mut metadata, "tags", json!(e.tags));
            }
            let mut spec = serde_json::Map::new();
            let mut put = |k: &str, v: Json| {
                spec.insert(k.to_owned(), v);
            };
            if let Some(t) = e.spec_type {
                put("type", json!(t));
            }
            if let Some(l) = e.lifecycle {
                put("lifecycle", json!(l));
            }
            if let Some((o, _)) = &e.owner {
                put("owner", json!(o));
            }
            if let Some(sys) = &e.system {
                put("system", json!(sys));
            }
            let names = |l: &[usize]| -> Json { l.iter().map(|&t| name_of(es, t)).collect() };
            if !e.provides.is_empty() {
                put("providesApis", names(&e.provides));
            }
            if !e.consumes.is_empty() {
                put("consumesApis", names(&e.consumes));
            }
            if !e.depends_on.is_empty() {
                let refs: Json = e
                    .depends_on
                    .iter()
                    .map(|&t| {
                        es.get(t)
                            .map(|x| format!("{}:{}", x.lower_kind(), x.name))
                            .unwrap_or_default()
                    })
                    .collect();
                put("dependsOn", refs);
            }
            let relations: Vec<Json> = rel
                .get(i)
                .map(|r| {
                    r.iter()
                        .map(|(t, to)| json!({"type": t, "targetRef": to}))
                        .collect()
                })
                .unwrap_or_default();
            json!({
                "apiVersion": "backstage.io/v1alpha1",
                "kind": e.kind,
                "metadata": metadata,
                "spec": spec,
                "relations": relations,
            })
        })
        .collect();
    let total = items.len();
    items
        .chunks(PER_PAGE)
        .enumerate()
        .map(|(p, chunk)| Source {
            name: format!("by-query-{:02}.json", p + 1),
            text: json!({
                "items": chunk,
                "totalItems": total,
                "pageInfo": {"nextCursor": format!("cursor-{}", p + 2)},
            })
            .to_string(),
        })
        .collect()
}

fn expected(es: &[Entity]) -> String {
    // An API depends on its provider: the provider's `provides` are edges
    // from the API.
    let mut deps: Vec<Vec<String>> = vec![Vec::new(); es.len()];
    for e in es {
        for &a in &e.provides {
            if let Some(d) = deps.get_mut(a) {
                d.push(e.full_ref());
            }
        }
    }
    let nodes: Vec<Json> = es
        .iter()
        .zip(deps)
        .map(|(e, mut d)| {
            d.extend(
                e.consumes
                    .iter()
                    .chain(&e.depends_on)
                    .filter_map(|&t| es.get(t).map(Entity::full_ref)),
            );
            let mut n = json!({
                "id": e.full_ref(),
                "kind": e.spec_type.map_or_else(|| e.lower_kind(), str::to_owned),
                "tags": e.tags,
                "depends_on": d,
            });
            if let Some((_, t)) = &e.tier {
                set(&mut n, "tier", json!(t));
            }
            if let Some((_, g)) = &e.owner {
                set(&mut n, "owner", json!(g));
            }
            // The short references Backstage accepts for an entity of the
            // namespace `default` (docs/sources/backstage.md), sorted.
            let mut aliases = vec![
                format!("default/{}", e.name),
                format!("{}:{}", e.lower_kind(), e.name),
                e.name.clone(),
            ];
            aliases.sort();
            set(&mut n, "aliases", json!(aliases));
            n
        })
        .collect();
    json!({ "nodes": nodes }).to_string()
}
