//! A case's expectations against its decision: every difference, each at
//! the place in `expect` it is about (docs/testing.md, *Expectations*).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::format::Expect;
use super::report::Mismatch;
use crate::decision::Decision;
use crate::error::Error;

/// Every difference between `expect` and what the engine made of the
/// change: its decision, or the error that refused it.
pub(crate) fn check(expect: &Expect, result: &Result<Decision, Error>) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let decision = match result {
        Err(e) => {
            let shown = e.to_string();
            match &expect.error {
                Some(want) if shown.contains(want.as_str()) => {}
                want => out.push(Mismatch::new(
                    "error",
                    want.clone().map_or(Json::Null, Json::String),
                    Json::String(shown),
                )),
            }
            return out;
        }
        Ok(d) => serde_json::to_value(d).unwrap_or(Json::Null),
    };
    if let Some(want) = &expect.error {
        out.push(Mismatch::new(
            "error",
            Json::String(want.clone()),
            Json::Null,
        ));
    }
    if let Some(want) = expect.outcome {
        let want = Json::String(want.as_str().to_owned());
        let got = decision.get("outcome").cloned().unwrap_or(Json::Null);
        if want != got {
            out.push(Mismatch::new("outcome", want, got));
        }
    }
    let approvals = view(&decision, "approvals", |e| text(e, "group"));
    let backups = view(&decision, "backups", backup_key);
    let conditions = view(&decision, "conditions", |e| text(e, "message"));
    let blocks = view(&decision, "blocks", block_key);
    let overrides = override_view(&decision);
    if let Some(want) = &expect.approvals {
        keyed("approvals", want, &approvals, Some("satisfied"), &mut out);
    }
    if let Some(want) = &expect.approvals_unmet {
        set("approvals_unmet", want, &unmet(&approvals), &mut out);
    }
    if let Some(want) = &expect.backups {
        keyed("backups", want, &backups, Some("satisfied"), &mut out);
    }
    if let Some(want) = &expect.backups_unmet {
        set("backups_unmet", want, &unmet(&backups), &mut out);
    }
    if let Some(want) = &expect.conditions {
        keyed("conditions", want, &conditions, Some("satisfied"), &mut out);
    }
    if let Some(want) = &expect.conditions_unmet {
        set("conditions_unmet", want, &unmet(&conditions), &mut out);
    }
    if let Some(want) = &expect.blocks {
        keyed("blocks", want, &blocks, None, &mut out);
    }
    if let Some(want) = &expect.blocked_by {
        let got: Vec<String> = blocks.keys().cloned().collect();
        set("blocked_by", want, &got, &mut out);
    }
    if let Some(want) = &expect.next_allowed_start {
        let got = decision
            .get("next_allowed_start")
            .cloned()
            .unwrap_or(Json::Null);
        if !same_instant(want, &got) {
            out.push(Mismatch::new("next_allowed_start", want.clone(), got));
        }
    }
    if let Some(want) = &expect.impacted {
        let got = column(decision.pointer("/impact/impacted"), "id");
        set("impacted", want, &got, &mut out);
    }
    let fired = column(decision.get("fired"), "rule");
    if let Some(want) = &expect.fired {
        set("fired", want, &fired, &mut out);
    }
    if let Some(want) = &expect.fired_include {
        let missing: Vec<String> = want
            .iter()
            .filter(|r| !fired.contains(r))
            .cloned()
            .collect();
        if !missing.is_empty() {
            let mut m = Mismatch::new("fired_include", names(want), names(&fired));
            m.missing = missing;
            out.push(m);
        }
    }
    if let Some(want) = &expect.fired_exclude {
        let unexpected: Vec<String> = want.iter().filter(|r| fired.contains(r)).cloned().collect();
        if !unexpected.is_empty() {
            let mut m = Mismatch::new("fired_exclude", names(want), names(&fired));
            m.unexpected = unexpected;
            out.push(m);
        }
    }
    if let Some(want) = &expect.overrides {
        keyed("overrides", want, &overrides, Some("counted"), &mut out);
    }
    if let Some(want) = &expect.decision {
        subset(want, &decision, "decision", &mut out);
    }
    out
}

fn text(entry: &Json, key: &str) -> String {
    entry
        .get(key)
        .and_then(Json::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A backup requirement's key: `NODE` for any kind, else `NODE KIND`.
pub(crate) fn backup_key(entry: &Json) -> String {
    let node = text(entry, "node");
    match entry.get("kind").and_then(Json::as_str) {
        Some(kind) => format!("{node} {kind}"),
        None => node,
    }
}

/// A block's key: its window, or its message.
pub(crate) fn block_key(entry: &Json) -> String {
    match entry.get("window").and_then(Json::as_str) {
        Some(w) => w.to_owned(),
        None => text(entry, "message"),
    }
}

/// The entries of the decision's list `list`, by key.
fn view(decision: &Json, list: &str, key: impl Fn(&Json) -> String) -> BTreeMap<String, Json> {
    decision
        .get(list)
        .and_then(Json::as_array)
        .map(|l| l.iter().map(|e| (key(e), e.clone())).collect())
        .unwrap_or_default()
}

/// Overrides by rule: the first, with `counted` true when any counted.
fn override_view(decision: &Json) -> BTreeMap<String, Json> {
    let mut out: BTreeMap<String, Json> = BTreeMap::new();
    for e in decision
        .get("overrides")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let counted = e.get("counted").and_then(Json::as_bool).unwrap_or(false);
        let entry = out.entry(text(e, "rule")).or_insert_with(|| e.clone());
        if counted && let Json::Object(o) = entry {
            o.insert("counted".to_owned(), Json::Bool(true));
        }
    }
    out
}

fn unmet(entries: &BTreeMap<String, Json>) -> Vec<String> {
    entries
        .iter()
        .filter(|(_, e)| e.get("satisfied").and_then(Json::as_bool) == Some(false))
        .map(|(k, _)| k.clone())
        .collect()
}

fn column(list: Option<&Json>, key: &str) -> Vec<String> {
    list.and_then(Json::as_array)
        .map(|l| l.iter().map(|e| text(e, key)).collect())
        .unwrap_or_default()
}

fn names(list: &[String]) -> Json {
    Json::Array(list.iter().cloned().map(Json::String).collect())
}

/// A keyed expectation: each key's value `null` (absent), a boolean (the
/// entry's `flag`, or for blocks whether it is there), or an object whose
/// fields must match the entry's.
fn keyed(
    name: &str,
    want: &BTreeMap<String, Json>,
    got: &BTreeMap<String, Json>,
    flag: Option<&str>,
    out: &mut Vec<Mismatch>,
) {
    for (key, expected) in want {
        let at = format!("{name}.{key}");
        let actual = got.get(key);
        match (expected, actual, flag) {
            (Json::Null, None, _) | (Json::Bool(false), None, None) => {}
            (Json::Null | Json::Bool(false), Some(a), None) | (Json::Null, Some(a), Some(_)) => {
                out.push(Mismatch::new(&at, expected.clone(), a.clone()));
            }
            (Json::Bool(true), Some(_), None) => {}
            (Json::Bool(b), Some(a), Some(flag)) => {
                let value = a.get(flag).cloned().unwrap_or(Json::Null);
                if value != Json::Bool(*b) {
                    out.push(Mismatch::new(
                        &format!("{at}.{flag}"),
                        Json::Bool(*b),
                        value,
                    ));
                }
            }
            (_, None, _) => out.push(Mismatch::new(&at, expected.clone(), Json::Null)),
            (_, Some(a), _) => subset(expected, a, &at, out),
        }
    }
}

/// A set expectation: the same names, in any order.
fn set(name: &str, want: &[String], got: &[String], out: &mut Vec<Mismatch>) {
    let w: BTreeSet<&String> = want.iter().collect();
    let g: BTreeSet<&String> = got.iter().collect();
    if w == g {
        return;
    }
    let sorted = |s: &BTreeSet<&String>| s.iter().map(|n| (*n).clone()).collect::<Vec<_>>();
    let mut m = Mismatch::new(name, names(&sorted(&w)), names(&sorted(&g)));
    m.missing = w.difference(&g).map(|n| (*n).clone()).collect();
    m.unexpected = g.difference(&w).map(|n| (*n).clone()).collect();
    out.push(m);
}

/// Two times as the same instant (any offsets), or two equal values.
fn same_instant(want: &Json, got: &Json) -> bool {
    match (want.as_str(), got.as_str()) {
        (Some(w), Some(g)) => match (w.parse::<jiff::Timestamp>(), g.parse::<jiff::Timestamp>()) {
            (Ok(w), Ok(g)) => w == g,
            _ => w == g,
        },
        _ => want == got,
    }
}

/// `want` matches `got`: objects as subsets, lists of the same length
/// element by element, anything else by equality. A field the decision
/// leaves out reads as `null`, or `[]` for a list it omits when empty.
pub(crate) fn subset(want: &Json, got: &Json, at: &str, out: &mut Vec<Mismatch>) {
    match (want, got) {
        (Json::Object(w), Json::Object(g)) => {
            for (k, v) in w {
                let here = format!("{at}.{k}");
                match g.get(k) {
                    Some(a) => subset(v, a, &here, out),
                    None if v.is_null() || v.as_array().is_some_and(Vec::is_empty) => {}
                    None => out.push(Mismatch::new(&here, v.clone(), Json::Null)),
                }
            }
        }
        (Json::Array(w), Json::Array(g)) if w.len() == g.len() => {
            for (i, (v, a)) in w.iter().zip(g).enumerate() {
                subset(v, a, &format!("{at}[{i}]"), out);
            }
        }
        _ if want == got => {}
        _ => out.push(Mismatch::new(at, want.clone(), got.clone())),
    }
}
