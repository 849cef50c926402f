//! The adapters' case list (`core/tests/import/manifest.json`): every case
//! folder below `core/tests/import/<adapter>/`, with its input files
//! resolved the way the engine reads a directory, so that every front end's
//! harness gives each file by name and text and expects the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use changegate::api::Adapter;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the manifest is, relative to the repository.
pub const MANIFEST: &str = "core/tests/import/manifest.json";

/// The folder of the cases, relative to the repository.
pub const ROOT: &str = "core/tests/import";

/// One case, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportCase {
    /// The folder, relative to the repository.
    pub dir: String,
    /// The adapter's name.
    pub adapter: String,
    /// The paths `case.json` gives per role (files or directories),
    /// relative to the folder: what a command line is given.
    pub paths: BTreeMap<String, Vec<String>>,
    /// The files those paths stand for per role, each named as the engine
    /// names it (relative to the folder, which is also where it is).
    pub files: BTreeMap<String, Vec<String>>,
    /// The adapter's options (`null`: the defaults).
    pub options: Value,
    /// `expected.json` (what the import gives) or `error.json` (its error).
    pub expected: String,
}

/// Every case folder below [`ROOT`] in `repo`, sorted.
pub fn discover(repo: &Path) -> Result<Vec<ImportCase>, String> {
    let root = repo.join(ROOT);
    let mut dirs = Vec::new();
    for adapter in std::fs::read_dir(&root).map_err(|e| e.to_string())? {
        let adapter = adapter.map_err(|e| e.to_string())?.path();
        if !adapter.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&adapter).map_err(|e| e.to_string())? {
            let case = case.map_err(|e| e.to_string())?.path();
            if case.join("case.json").is_file() {
                dirs.push(case);
            }
        }
    }
    dirs.sort();
    dirs.iter().map(|d| case(repo, d)).collect()
}

fn case(repo: &Path, dir: &Path) -> Result<ImportCase, String> {
    let at = |e: String| format!("{}: {e}", dir.display());
    let text = std::fs::read_to_string(dir.join("case.json")).map_err(|e| at(e.to_string()))?;
    let spec: Value = serde_json::from_str(&text).map_err(|e| at(e.to_string()))?;
    let (adapter, paths, files, options) = resolve(dir, &spec)?;
    let expected = if dir.join("error.json").is_file() {
        "error.json"
    } else {
        "expected.json"
    };
    let rel = dir.strip_prefix(repo).unwrap_or(dir);
    Ok(ImportCase {
        dir: rel.to_string_lossy().replace('\\', "/"),
        adapter,
        paths,
        files,
        options,
        expected: expected.to_owned(),
    })
}

/// Files or paths by role.
pub type Files = BTreeMap<String, Vec<String>>;

/// An import with its files resolved: the adapter's name, the paths and
/// the files by role, and the options.
pub type Resolved = (String, Files, Files, Value);

/// Resolves an import as `case.json` gives it (`{"adapter", "inputs",
/// "options"}`, paths relative to `dir`), naming the files as the engine
/// names them.
pub fn resolve(dir: &Path, spec: &Value) -> Result<Resolved, String> {
    let at = |e: String| format!("{}: {e}", dir.display());
    let name = spec
        .get("adapter")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let adapter = Adapter::from_name(name).ok_or_else(|| at(format!("no adapter `{name}`")))?;
    let paths: BTreeMap<String, Vec<String>> = spec
        .get("inputs")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| at(e.to_string()))?
        .unwrap_or_default();
    let mut files = BTreeMap::new();
    for (role, given) in &paths {
        let help = "a fixture";
        let read = changegate::load_files_in(dir, given, adapter.extensions(role), help)
            .map_err(|e| at(e.to_string()))?;
        files.insert(role.clone(), read.into_iter().map(|s| s.name).collect());
    }
    let options = spec.get("options").cloned().unwrap_or(Value::Null);
    Ok((name.to_owned(), paths, files, options))
}

/// The cases the manifest in `repo` lists.
pub fn read(repo: &Path) -> Result<Vec<ImportCase>, String> {
    let text = std::fs::read_to_string(repo.join(MANIFEST)).map_err(|e| e.to_string())?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let cases = doc.get("cases").cloned().ok_or("no `cases`")?;
    serde_json::from_value(cases).map_err(|e| e.to_string())
}

/// The manifest's text: one case per line.
pub fn manifest(cases: &[ImportCase]) -> String {
    let mut out = String::from(
        "{\n\"about\": \"Every case of the adapters (see core/tests/import.rs), with its input files resolved. \
Generated: after adding, moving or removing a case or a file of one, run \
`CHANGEGATE_BLESS=1 cargo test -p changegate-testkit --test manifests`.\",\n\"cases\": [\n",
    );
    let lines: Vec<String> = cases
        .iter()
        .map(|c| serde_json::to_string(c).unwrap_or_default())
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push_str("\n]\n}\n");
    out
}
