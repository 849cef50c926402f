//! Whether what a front end gave is what a case expects (see
//! `core/tests/hostile/README.md`, *A case*), for the Rust harnesses.

#![allow(
    clippy::indexing_slicing,
    reason = "`Value` indexing gives `Null` for what is missing"
)]

use serde_json::Value;

/// What a front end gave.
pub enum Got {
    /// The decision JSON, parsed.
    Decision(Value),
    /// The body of the error JSON (`{"error": body}`).
    Error(Value),
}

/// Checks `got` against an expectation; the error says what differs.
pub fn check(expect: &Value, got: &Got) -> Result<(), String> {
    match (expect.get("error"), got) {
        (None, Got::Decision(d)) => {
            let outcome = &expect["outcome"];
            if d["outcome"] != *outcome {
                return Err(format!("outcome {} instead of {outcome}", d["outcome"]));
            }
            for (field, list) in [
                ("impacted", &d["impact"]["impacted"]),
                ("fired", &d["fired"]),
            ] {
                if let Some(n) = expect.get(field).and_then(Value::as_u64) {
                    let found = list.as_array().map_or(0, Vec::len);
                    if found as u64 != n {
                        return Err(format!("{found} {field} instead of {n}"));
                    }
                }
            }
            Ok(())
        }
        (None, Got::Error(e)) => Err(format!("an error instead of a decision: {}", short(e))),
        (Some(_), Got::Decision(d)) => {
            Err(format!("a decision ({}) instead of an error", d["outcome"]))
        }
        (Some(want), Got::Error(e)) => {
            check_error(want, e).map_err(|m| format!("{m}: {}", short(e)))
        }
    }
}

fn check_error(want: &Value, e: &Value) -> Result<(), String> {
    let kind = want["kind"].as_str().unwrap_or_default();
    if e["kind"] != want["kind"] {
        return Err(format!("kind {} instead of {kind}", e["kind"]));
    }
    let message = match kind {
        "policy" => {
            let d = &e["diagnostics"][0];
            let w = &want["diagnostic"];
            for f in ["file", "line", "column"] {
                if d[f] != w[f] {
                    return Err(format!(
                        "first diagnostic's {f} is {} instead of {}",
                        d[f], w[f]
                    ));
                }
            }
            d["message"].as_str().unwrap_or_default()
        }
        "input" => {
            if e["document"] != want["document"] {
                return Err(format!(
                    "document {} instead of {}",
                    e["document"], want["document"]
                ));
            }
            let path = want["path"].as_str().unwrap_or_default();
            if e["path"].as_str() != Some(path) {
                return Err(format!("path {} instead of {path:?}", e["path"]));
            }
            e["message"].as_str().unwrap_or_default()
        }
        "io" => {
            let file = want["file"].as_str().unwrap_or_default();
            let path = e["path"].as_str().unwrap_or_default();
            if !(path == file || path.ends_with(&format!("/{file}"))) {
                return Err(format!("path {path:?} instead of one ending in {file:?}"));
            }
            e["message"].as_str().unwrap_or_default()
        }
        _ => e["message"].as_str().unwrap_or_default(),
    };
    if let Some(part) = want.get("message_contains").and_then(Value::as_str) {
        if !message.contains(part) {
            return Err(format!("the message does not contain {part:?}"));
        }
    }
    if want.get("message_has_line_column") == Some(&Value::Bool(true)) && !has_line_column(message)
    {
        return Err("the message has no `line N column M`".to_owned());
    }
    Ok(())
}

/// Whether `message` says `line N column M`.
pub fn has_line_column(message: &str) -> bool {
    message.match_indices("line ").any(|(i, _)| {
        let rest = &message[i + 5..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0
            && rest[digits..]
                .strip_prefix(" column ")
                .is_some_and(|r| r.bytes().next().is_some_and(|b| b.is_ascii_digit()))
    })
}

/// An error body, cut short for a failure message.
fn short(e: &Value) -> String {
    let s = e.to_string();
    match s.char_indices().nth(300) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s,
    }
}
