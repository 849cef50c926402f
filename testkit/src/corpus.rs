//! The decision corpus's manifest (`core/tests/corpus/manifest.json`): the
//! one place that finds the case folders and resolves each one's inputs, so
//! that every front end's harness only reads the list (see
//! `core/tests/corpus/README.md`).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// Where the manifest is, relative to the repository.
pub const MANIFEST: &str = "core/tests/corpus/manifest.json";

/// The folders searched for cases, relative to the repository.
pub const ROOTS: [&str; 2] = ["core/tests/corpus", "policies/examples"];

/// One case folder and its inputs, as the manifest lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The folder, relative to the repository, with `/` separators.
    pub dir: String,
    /// The policy paths as given to `changegate check --policy` (files or
    /// directories), relative to the folder: `policy` from `case.json`, or
    /// else every `*.gate` file directly in the folder, sorted.
    pub policy: Vec<String>,
    /// The policy files those paths stand for, in the engine's order, each
    /// named as the engine names it (relative to the folder, which is also
    /// where it is); `None` when they cannot be read (the case expects an
    /// `io` error).
    pub sources: Option<Vec<String>>,
    /// The graph, relative to the folder: `graph` from `case.json`, or
    /// `graph.json`.
    pub graph: String,
    /// `case.json`, if the folder has one.
    pub case: Option<String>,
    /// The documents read from other tools' records (`imports` in
    /// `case.json`): for `change`, `graph` and `backups`, the adapter, its
    /// paths and files by role, and its options (see
    /// [`crate::imports::resolve`]); `None` for a case of changegate's own
    /// documents.
    pub imports: Option<Value>,
}

impl Case {
    fn json(&self) -> Value {
        let imported = |what: &str| self.imports.as_ref().and_then(|i| i.get(what)).is_some();
        let mut out = json!({
            "dir": self.dir,
            "policy": self.policy,
            "sources": self.sources,
            "graph": if imported("graph") { Value::Null } else { json!(self.graph) },
            "change": if imported("change") { Value::Null } else { json!("change.json") },
            "expected": "expected.json",
            "case": self.case,
        });
        if let (Some(imports), Value::Object(map)) = (&self.imports, &mut out) {
            map.insert("imports".to_owned(), imports.clone());
        }
        out
    }
}

/// The repository this crate is in.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether `case.json` in `dir` reads the change from another tool's records.
fn imports_a_change(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("case.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .is_some_and(|spec| spec.pointer("/imports/change").is_some())
}

/// Every folder below `dir` that holds a `change.json` (or imports its
/// change), sorted.
fn folders(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    if entries
        .iter()
        .any(|p| p.file_name().is_some_and(|n| n == "change.json"))
        || imports_a_change(dir)
    {
        out.push(dir.to_path_buf());
    }
    for e in entries {
        if e.is_dir() {
            folders(&e, out)?;
        }
    }
    Ok(())
}

fn slashed(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// Reads one case folder (`dir` relative to `repo`).
fn case(repo: &Path, dir: &Path) -> Result<Case, String> {
    let full = repo.join(dir);
    let spec: Value = match std::fs::read_to_string(full.join("case.json")) {
        Ok(t) => serde_json::from_str(&t).map_err(|e| format!("{}: {e}", dir.display()))?,
        Err(_) => Value::Null,
    };
    let policy: Vec<String> = match spec.get("policy").and_then(Value::as_array) {
        Some(list) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None => {
            let mut gates: Vec<String> = std::fs::read_dir(&full)
                .map_err(|e| format!("{}: {e}", dir.display()))?
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_file())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".gate"))
                .collect();
            gates.sort();
            gates
        }
    };
    // The engine's own resolution, so that the names are the engine's.
    let sources = changegate::load_sources_in(&full, &policy)
        .ok()
        .map(|s| s.into_iter().map(|s| s.name).collect());
    let graph = spec
        .get("graph")
        .and_then(Value::as_str)
        .unwrap_or("graph.json")
        .to_owned();
    let imports = match spec.get("imports").and_then(Value::as_object) {
        None => None,
        Some(given) => {
            let mut out = serde_json::Map::new();
            for (what, import) in given {
                let (adapter, paths, files, options) = crate::imports::resolve(&full, import)?;
                let resolved =
                    json!({"adapter": adapter, "paths": paths, "files": files, "options": options});
                out.insert(what.clone(), resolved);
            }
            Some(Value::Object(out))
        }
    };
    Ok(Case {
        dir: slashed(dir),
        policy,
        sources,
        graph,
        imports,
        case: full
            .join("case.json")
            .is_file()
            .then(|| "case.json".to_owned()),
    })
}

/// Every case below the [`ROOTS`] of `repo`, sorted by folder.
pub fn discover(repo: &Path) -> Result<Vec<Case>, String> {
    let mut dirs = Vec::new();
    for root in ROOTS {
        folders(&repo.join(root), &mut dirs).map_err(|e| format!("{root}: {e}"))?;
    }
    dirs.sort();
    dirs.iter()
        .map(|d| case(repo, d.strip_prefix(repo).unwrap_or(d)))
        .collect()
}

/// The cases the manifest in `repo` lists.
pub fn read(repo: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(repo.join(MANIFEST)).map_err(|e| e.to_string())?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let strings = |c: &Value, key: &str| -> Option<Vec<String>> {
        c.get(key)?
            .as_array()?
            .iter()
            .map(|s| s.as_str().map(str::to_owned))
            .collect()
    };
    let text = |c: &Value, key: &str| c.get(key).and_then(Value::as_str).map(str::to_owned);
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("no `cases`")?;
    Ok(cases
        .iter()
        .map(|c| Case {
            dir: text(c, "dir").unwrap_or_default(),
            policy: strings(c, "policy").unwrap_or_default(),
            sources: strings(c, "sources"),
            graph: text(c, "graph").unwrap_or_default(),
            case: text(c, "case"),
            imports: c.get("imports").cloned(),
        })
        .collect())
}

/// The manifest's text: one case per line, so that a new or removed case is
/// a one-line diff.
pub fn manifest(cases: &[Case]) -> String {
    let mut out = String::from(
        "{\n\"about\": \"Every case folder of the decision corpus (see README.md), with its inputs resolved. \
Generated: after adding, moving or removing a case, or a policy file a case uses, run \
`CHANGEGATE_BLESS=1 cargo test -p changegate-testkit --test manifests`.\",\n\"cases\": [\n",
    );
    let lines: Vec<String> = cases.iter().map(|c| c.json().to_string()).collect();
    out.push_str(&lines.join(",\n"));
    out.push_str("\n]\n}\n");
    out
}

/// The graph and the change of a manifest entry (`case`), as JSON the
/// engine reads: the case's own files, or what its `imports` make of other
/// tools' records (the change's `backups` gaining those of a `backups`
/// import). Every front end's harness does the same, in its own language.
pub fn documents(repo: &Path, case: &Value) -> Result<(String, String), changegate::Error> {
    use changegate::api::{self, ImportedDocument};
    let dir = repo.join(case.get("dir").and_then(Value::as_str).unwrap_or_default());
    let read = |key: &str| {
        let name = case.get(key).and_then(Value::as_str).unwrap_or_default();
        std::fs::read_to_string(dir.join(name)).unwrap_or_default()
    };
    let import = |what: &str| {
        let spec = case.get("imports")?.get(what)?;
        let name = spec
            .get("adapter")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let paths: std::collections::BTreeMap<String, Vec<String>> =
            serde_json::from_value(spec.get("paths").cloned().unwrap_or_default())
                .unwrap_or_default();
        let options = spec.get("options").cloned().unwrap_or_default();
        let limits = changegate::Limits::default();
        Some(api::adapter(name).and_then(|a| api::import_paths(a, &dir, &paths, &options, &limits)))
    };
    let graph = match import("graph") {
        Some(imported) => api::document_json(&imported?),
        None => read("graph"),
    };
    let mut change = match import("change") {
        Some(imported) => api::document_json(&imported?),
        None => read("change"),
    };
    if let Some(imported) = import("backups") {
        if let (ImportedDocument::Backups(backups), Ok(Value::Object(mut doc))) =
            (imported?.document, serde_json::from_str::<Value>(&change))
        {
            let list = doc
                .entry("backups")
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = list {
                list.extend(backups.iter().filter_map(|b| serde_json::to_value(b).ok()));
            }
            change = serde_json::to_string_pretty(&doc).unwrap_or_default();
        }
    }
    Ok((graph, change))
}
