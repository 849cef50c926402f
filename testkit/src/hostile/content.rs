//! The content language of `cases.json` (see `core/tests/hostile/README.md`,
//! *Contents*): big inputs are written as generators so that the repository
//! stays small. This is the only place that reads it.

use serde_json::Value;

/// Where an expansion goes: the bytes of a file, or the code units of a
/// host string (Python `str`, JavaScript string).
pub(crate) enum Out {
    /// Text as UTF-8, `bytes` as they are, `utf16` units as generalised
    /// UTF-8 (a surrogate is three bytes that UTF-8 forbids).
    Bytes(Vec<u8>),
    /// Text as UTF-16, `bytes` decoded with U+FFFD replacement (as
    /// `TextDecoder` does), `utf16` units as they are (lone surrogates too).
    Units(Vec<u16>),
}

impl Out {
    fn text(&mut self, s: &str) {
        match self {
            Out::Bytes(b) => b.extend_from_slice(s.as_bytes()),
            Out::Units(u) => u.extend(s.encode_utf16()),
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        match self {
            Out::Bytes(b) => b.extend_from_slice(bytes),
            Out::Units(u) => u.extend(String::from_utf8_lossy(bytes).encode_utf16()),
        }
    }

    fn utf16(&mut self, units: &[u16]) {
        match self {
            Out::Bytes(b) => {
                for &u in units {
                    b.extend_from_slice(&[
                        0xE0 | (u >> 12) as u8,
                        0x80 | ((u >> 6) & 0x3F) as u8,
                        0x80 | (u & 0x3F) as u8,
                    ]);
                }
            }
            Out::Units(u) => u.extend_from_slice(units),
        }
    }
}

/// Whether the content has a part of the form `key` anywhere.
pub(crate) fn has(spec: &Value, key: &str) -> bool {
    match spec {
        Value::Object(o) => {
            o.contains_key(key) && key != "json"
                || o.iter().any(|(k, v)| k != "json" && has(v, key))
        }
        Value::Array(a) => a.iter().any(|v| has(v, key)),
        _ => false,
    }
}

/// Expands `spec` into `out`; `vars` are the counters of the enclosing
/// repeats, innermost last.
pub(crate) fn emit<'s>(
    spec: &'s Value,
    vars: &mut Vec<(&'s str, u64)>,
    out: &mut Out,
) -> Result<(), String> {
    let o = match spec {
        Value::String(s) => {
            out.text(s);
            return Ok(());
        }
        Value::Object(o) => o,
        other => return Err(format!("not a content: {other}")),
    };
    let number = |v: &Value| v.as_u64().ok_or_else(|| format!("not a count: {v}"));
    if let Some(v) = o.get("json") {
        out.text(&v.to_string());
    } else if let Some(parts) = o.get("concat").and_then(Value::as_array) {
        for p in parts {
            emit(p, vars, out)?;
        }
    } else if let Some(body) = o.get("repeat") {
        let times = number(o.get("times").unwrap_or(&Value::Null))?;
        let var = o.get("var").and_then(Value::as_str).unwrap_or("i");
        let sep = o.get("sep").and_then(Value::as_str).unwrap_or("");
        for i in 0..times {
            if i > 0 {
                out.text(sep);
            }
            vars.push((var, i));
            emit(body, vars, out)?;
            vars.pop();
        }
    } else if let Some(name) = o.get("var").and_then(Value::as_str) {
        let (_, i) = vars
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| format!("no repeat binds `{name}`"))?;
        let add = o.get("add").map_or(Ok(0), number)?;
        out.text(&(i + add).to_string());
    } else if let Some(b) = o.get("bytes").and_then(Value::as_array) {
        let bytes = b
            .iter()
            .map(|x| number(x).and_then(|n| u8::try_from(n).map_err(|e| e.to_string())))
            .collect::<Result<Vec<u8>, String>>()?;
        out.raw(&bytes);
    } else if let Some(units) = o.get("utf16").and_then(Value::as_array) {
        let units = units
            .iter()
            .map(|x| number(x).and_then(|n| u16::try_from(n).map_err(|e| e.to_string())))
            .collect::<Result<Vec<u16>, String>>()?;
        out.utf16(&units);
    } else {
        return Err(format!("not a content: {spec}"));
    }
    Ok(())
}
