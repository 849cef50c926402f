//! The hostile-input list (`core/tests/hostile/cases.json`, see its
//! README): read here, once for every front end. Each case comes out with
//! its inputs merged with the base and expanded from the content language,
//! and with the expectation of each front end resolved.
//!
//! The Rust harnesses (core's and the CLI's) take the list from [`load`];
//! the Python, Node and WASM ones read the same list from the folder that
//! [`write()`] fills (`cargo run -p changegate-testkit -- hostile
//! target/hostile`, which their `make` targets run first).

mod check;
mod content;
mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};

pub use check::{Got, check, has_line_column};
use content::{Out, emit, has};
pub use write::write;

/// Where the list is, relative to the repository.
pub const CASES: &str = "core/tests/hostile/cases.json";

/// The front ends, as `expect_for` names them.
pub const FRONT_ENDS: [&str; 5] = ["rust", "cli", "python", "node", "wasm"];

/// The whole list.
pub struct List {
    /// How long one case may take (in a release build).
    pub time_limit: Duration,
    /// The base inputs alone, expecting their decision.
    pub base: Case,
    /// The cases.
    pub cases: Vec<Case>,
}

/// One case: its inputs (merged with the base's) and expectations.
pub struct Case {
    /// Its name.
    pub name: String,
    /// What it is about.
    pub about: String,
    /// The policy files, in the order given.
    pub policy: Vec<Doc>,
    /// The graph (`graph.json`).
    pub graph: Doc,
    /// The change (`change.json`).
    pub change: Doc,
    /// Fields of `changegate::Limits` to lower, if any.
    pub limits: Option<Map<String, Value>>,
    /// What each front end must give.
    expect: BTreeMap<&'static str, Value>,
}

impl Case {
    /// What `front_end` (one of [`FRONT_ENDS`]) must give for this case.
    pub fn expect(&self, front_end: &str) -> &Value {
        self.expect.get(front_end).unwrap_or(&Value::Null)
    }
}

/// One input document.
pub struct Doc {
    /// Its file name.
    pub name: String,
    /// Its bytes.
    pub bytes: Arc<Vec<u8>>,
    /// Whether it has raw bytes that are not UTF-8 (`bytes` parts), so
    /// that only an API that takes bytes or files can be given it.
    pub raw: bool,
    /// As a host string (UTF-16 code units), when that is not simply the
    /// bytes read as UTF-8: for documents with `bytes` parts (decoded with
    /// U+FFFD) or `utf16` parts (lone surrogates kept).
    pub host: Option<Arc<Vec<u16>>>,
}

impl Doc {
    /// Whether the bytes are UTF-8.
    pub fn is_utf8(&self) -> bool {
        std::str::from_utf8(&self.bytes).is_ok()
    }

    /// The bytes as text, decoded with U+FFFD replacement.
    pub fn lossy(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Expansions already made: the base's inputs are shared by most cases.
#[derive(Default)]
struct Cache {
    bytes: HashMap<String, Arc<Vec<u8>>>,
    units: HashMap<String, Arc<Vec<u16>>>,
}

impl Cache {
    fn doc(&mut self, name: &str, spec: &Value) -> Result<Doc, String> {
        let key = spec.to_string();
        let bytes = match self.bytes.get(&key) {
            Some(b) => Arc::clone(b),
            None => {
                let mut out = Out::Bytes(Vec::new());
                emit(spec, &mut Vec::new(), &mut out).map_err(|e| format!("{name}: {e}"))?;
                let Out::Bytes(b) = out else {
                    return Err("expanded into units".to_owned());
                };
                let b = Arc::new(b);
                self.bytes.insert(key.clone(), Arc::clone(&b));
                b
            }
        };
        let raw = has(spec, "bytes");
        let host = if raw || has(spec, "utf16") {
            Some(match self.units.get(&key) {
                Some(u) => Arc::clone(u),
                None => {
                    let mut out = Out::Units(Vec::new());
                    emit(spec, &mut Vec::new(), &mut out).map_err(|e| format!("{name}: {e}"))?;
                    let Out::Units(u) = out else {
                        return Err("expanded into bytes".to_owned());
                    };
                    let u = Arc::new(u);
                    self.units.insert(key, Arc::clone(&u));
                    u
                }
            })
        } else {
            None
        };
        Ok(Doc {
            name: name.to_owned(),
            bytes,
            raw,
            host,
        })
    }

    /// One case of the list; what it leaves out comes from `base`.
    fn case(&mut self, c: &Value, base: &Value) -> Result<Case, String> {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("base");
        let input = |key: &str| c.get(key).or_else(|| base.get(key)).unwrap_or(&Value::Null);
        let files = input("policy")
            .as_object()
            .ok_or_else(|| format!("{name}: the policy is not an object"))?;
        let mut policy = Vec::new();
        for (file, spec) in files {
            policy.push(self.doc(file, spec)?);
        }
        let mut expect = BTreeMap::new();
        for fe in FRONT_ENDS {
            let given = c
                .get("expect_for")
                .and_then(|e| e.get(fe))
                .or_else(|| c.get("expect"))
                .ok_or_else(|| format!("{name}: no `expect`"))?;
            let mut want = given.clone();
            // A path given as a content is expanded to its text.
            if let Some(path) = want.get_mut("error").and_then(|e| e.get_mut("path")) {
                if !path.is_string() {
                    let doc = self.doc("path", path)?;
                    *path = Value::String(doc.lossy());
                }
            }
            expect.insert(fe, want);
        }
        Ok(Case {
            name: name.to_owned(),
            about: c
                .get("about")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            policy,
            graph: self.doc("graph.json", input("graph"))?,
            change: self.doc("change.json", input("change"))?,
            limits: c.get("limits").and_then(Value::as_object).cloned(),
            expect,
        })
    }
}

/// Reads the list in `repo` and expands every case.
pub fn load(repo: &Path) -> Result<List, String> {
    let text = std::fs::read_to_string(repo.join(CASES)).map_err(|e| format!("{CASES}: {e}"))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| format!("{CASES}: {e}"))?;
    let base = doc.get("base").ok_or("no `base`")?;
    let mut cache = Cache::default();
    let cases = doc
        .get("cases")
        .and_then(Value::as_array)
        .ok_or("`cases` is not a list")?
        .iter()
        .map(|c| cache.case(c, base))
        .collect::<Result<Vec<Case>, String>>()?;
    let seconds = doc
        .get("time_limit_seconds")
        .and_then(Value::as_u64)
        .unwrap_or(10);
    Ok(List {
        time_limit: Duration::from_secs(seconds),
        base: cache.case(base, base)?,
        cases,
    })
}
