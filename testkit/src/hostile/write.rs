//! The expanded list as files, for the harnesses that are not in Rust: a
//! folder per case with its input files, and `manifest.json`:
//!
//! ```json
//! {"time_limit_seconds": 10, "base": CASE, "cases": [CASE, ...]}
//! CASE: {"name": "...", "about": "...", "policy": [DOC, ...], "graph": DOC,
//!        "change": DOC, "limits": {...} or null,
//!        "expect": {"rust": ..., "cli": ..., "python": ..., "node": ..., "wasm": ...}}
//! DOC:  {"name": "base.gate", "file": "CASE-NAME/base.gate", "raw": false,
//!        "text": null}
//! ```
//!
//! `file` is relative to the manifest's folder and holds the document's
//! exact bytes. `raw` says it has bytes that are not UTF-8, so only a file
//! (or bytes) API can be given it. `text` is the document as a host
//! string where that is not the file read as UTF-8: bytes that are not
//! UTF-8 decoded with U+FFFD, lone surrogates kept (as `\uD800` escapes).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use super::{Case, Doc, FRONT_ENDS, List};

/// A JSON string of UTF-16 code units, lone surrogates escaped.
fn units_json(units: &[u16]) -> String {
    let mut out = String::from("\"");
    for c in char::decode_utf16(units.iter().copied()) {
        match c {
            Ok('"') => out.push_str("\\\""),
            Ok('\\') => out.push_str("\\\\"),
            Ok(c) if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            Ok(c) => out.push(c),
            Err(e) => {
                let _ = write!(out, "\\u{:04x}", e.unpaired_surrogate());
            }
        }
    }
    out.push('"');
    out
}

fn doc_json(case: &str, doc: &Doc) -> String {
    let head = json!({
        "name": doc.name,
        "file": format!("{case}/{}", doc.name),
        "raw": doc.raw,
    })
    .to_string();
    let text = doc
        .host
        .as_ref()
        .map_or_else(|| "null".to_owned(), |u| units_json(u));
    // `head` is an object: put `text` before its closing brace.
    format!("{},\"text\":{text}}}", head.trim_end_matches('}'))
}

fn case_json(c: &Case) -> String {
    let expect: serde_json::Map<String, Value> = FRONT_ENDS
        .iter()
        .map(|fe| ((*fe).to_owned(), c.expect(fe).clone()))
        .collect();
    let policy: Vec<String> = c.policy.iter().map(|d| doc_json(&c.name, d)).collect();
    format!(
        "{{\"name\":{},\"about\":{},\"policy\":[{}],\"graph\":{},\"change\":{},\"limits\":{},\"expect\":{}}}",
        Value::from(c.name.as_str()),
        Value::from(c.about.as_str()),
        policy.join(","),
        doc_json(&c.name, &c.graph),
        doc_json(&c.name, &c.change),
        c.limits.clone().map_or(Value::Null, Value::Object),
        Value::Object(expect),
    )
}

fn write_case(dir: &Path, c: &Case) -> std::io::Result<()> {
    let folder = dir.join(&c.name);
    std::fs::create_dir_all(&folder)?;
    for d in c.policy.iter().chain([&c.graph, &c.change]) {
        std::fs::write(folder.join(&d.name), d.bytes.as_slice())?;
    }
    Ok(())
}

/// Writes the list into `dir`: `manifest.json` and a folder per case (the
/// base's is `base`). A `dir` that exists must be one this wrote before.
pub fn write(list: &List, dir: &Path) -> std::io::Result<()> {
    if dir.exists() {
        if !dir.join("manifest.json").is_file() {
            return Err(std::io::Error::other(format!(
                "{} exists and has no manifest.json: not a folder of hostile inputs",
                dir.display()
            )));
        }
        std::fs::remove_dir_all(dir)?;
    }
    std::fs::create_dir_all(dir)?;
    for c in std::iter::once(&list.base).chain(&list.cases) {
        write_case(dir, c)?;
    }
    let cases: Vec<String> = list.cases.iter().map(case_json).collect();
    let manifest = format!(
        "{{\"about\":{},\"time_limit_seconds\":{},\"base\":{},\"cases\":[\n{}\n]}}\n",
        Value::from(
            "The hostile-input list (core/tests/hostile/cases.json), expanded by changegate-testkit; \
             regenerated, not edited."
        ),
        list.time_limit.as_secs(),
        case_json(&list.base),
        cases.join(",\n"),
    );
    std::fs::write(dir.join("manifest.json"), manifest)
}
