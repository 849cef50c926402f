//! The text of the `changegate log` commands, for people.

use std::fmt::Write as _;

use changegate_log::{Error, Record, Replay, Verified, line, requirements_unmet};
use serde_json::Value;

use crate::style::{self, paint};

/// `N record(s)`.
pub(crate) fn records(n: u64) -> String {
    format!("{n} record{}", if n == 1 { "" } else { "s" })
}

/// A log error, with its advice.
pub(crate) fn error(e: &Error) -> String {
    let mut out = format!("{}: {e}\n", paint(style::error(), "error"));
    if let Some(h) = e.help() {
        let _ = writeln!(out, "  {}: {h}", paint(style::help(), "help"));
    }
    out
}

/// What `verify` found.
pub(crate) fn verified(v: &Verified) -> String {
    match (&v.first_break, &v.head) {
        (Some(b), head) => {
            let mut out = format!("{}: {b}\n", paint(style::error(), "broken"));
            match head {
                Some(h) => {
                    let _ = writeln!(
                        out,
                        "the records before it are intact, up to record {} ({})",
                        h.seq, h.hash
                    );
                }
                None => out.push_str("no record before it is intact\n"),
            }
            out
        }
        (None, Some(h)) => format!(
            "{}: {}, the chain is unbroken\nhead: record {} {}\n",
            paint(style::good(), "verified"),
            records(v.records),
            h.seq,
            h.hash
        ),
        (None, None) => "verified: the log is empty\n".to_owned(),
    }
}

/// `show`'s text: each change, then each of its decisions.
pub(crate) fn histories(histories: &[(String, Vec<Record>)]) -> String {
    let mut out = String::new();
    for (i, (id, records)) in histories.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if records.is_empty() {
            let _ = writeln!(out, "{}: no decisions logged", paint(style::BOLD, id));
            continue;
        }
        let n = records.len();
        let _ = writeln!(
            out,
            "{}: {n} decision{}",
            paint(style::BOLD, id),
            if n == 1 { "" } else { "s" }
        );
        for r in records {
            let e = &r.entry;
            let _ = writeln!(
                out,
                "  record {}  {}  {}  by {}",
                r.seq,
                e.at,
                paint(outcome_style(&e.outcome), &e.outcome),
                e.caller
            );
            let _ = writeln!(
                out,
                "    policy {}  graph {}  {}",
                short(&e.policy_digest),
                short(&e.graph_digest),
                e.engine
            );
            match requirements_unmet(&e.decision) {
                Some(unmet) if !unmet.is_empty() => {
                    let _ = writeln!(out, "    unmet  {}", unmet.join(", "));
                }
                Some(_) => {}
                None => out.push_str("    the logged decision is not JSON\n"),
            }
        }
    }
    out
}

/// `show`'s JSON: each change with its records as the export writes them.
pub(crate) fn histories_json(histories: &[(String, Vec<Record>)]) -> String {
    let list: Vec<Value> = histories
        .iter()
        .map(|(id, records)| {
            let decisions: Vec<Value> = records
                .iter()
                .map(|r| serde_json::from_str(&line(r)).unwrap_or(Value::Null))
                .collect();
            serde_json::json!({"change_id": id, "decisions": decisions})
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_default();
    s.push('\n');
    s
}

/// `replay`'s text: each difference, then the summary.
pub(crate) fn replay(r: &Replay) -> String {
    let mut out = String::new();
    for d in &r.different {
        let _ = writeln!(
            out,
            "{}  record {}  {}  {} -> {}",
            paint(style::BOLD, d.change_id.as_deref().unwrap_or("(no id)")),
            d.seq,
            changegate_log::parse_at(&d.at).map_or_else(|| d.at.clone(), |t| t.to_string()),
            paint(outcome_style(&d.old_outcome), &d.old_outcome),
            paint(outcome_style(&d.new_outcome), &d.new_outcome),
        );
        for m in &d.now_met {
            let _ = writeln!(out, "    now met    {m}");
        }
        for u in &d.now_unmet {
            let _ = writeln!(out, "    now unmet  {u}");
        }
        if let Some(e) = &d.error {
            let _ = writeln!(out, "    error      {e}");
        }
    }
    if !r.different.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} replayed: {} would differ, {} the same",
        records(r.replayed),
        r.different.len(),
        r.same
    );
    out
}

/// A digest as people compare them: `sha256:` and 12 hex digits.
fn short(digest: &str) -> &str {
    let end = digest.find(':').map_or(0, |c| c + 1) + 12;
    digest.get(..end).unwrap_or(digest)
}

fn outcome_style(outcome: &str) -> anstyle::Style {
    match outcome {
        "approved" => style::good(),
        "pending" => style::warn(),
        _ => style::bad(),
    }
}
