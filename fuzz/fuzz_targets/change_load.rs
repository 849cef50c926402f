//! Arbitrary bytes as a change document. Loading must give a change or an
//! `InputError`, never panic, overflow the stack or hang; and:
//!
//! - reading the text and reading the parsed document (`Change::from_value`)
//!   agree, but for a repeated key, which only the text shows;
//! - a loaded change is valid: a non-empty id, non-empty and distinct
//!   targets, `end` after `start`, timestamps that print and read back;
//! - evaluating it against an empty policy and a graph holding its targets
//!   works and is approved.
#![no_main]

use changegate::{Change, Graph, InputError, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = Change::from_json(text);
    if let Ok(v) = serde_json::from_str::<serde_json::Value>(json_text(text)) {
        let whole = Change::from_value(&v);
        match (&loaded, &whole) {
            (Ok(a), Ok(b)) => assert_eq!(a, b),
            // A repeated key is refused in the text; the parsed document has
            // already lost the repeat (serde_json keeps the last), so only
            // the text can tell.
            (Err(a), _) if a.message.starts_with("duplicate key") => {}
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!("text and document disagree: {a:?} vs {b:?}"),
        }
    } else {
        assert!(loaded.is_err(), "invalid JSON loaded as a change");
    }
    match loaded {
        Ok(c) => valid(&c),
        Err(e) => well_formed(&e),
    }
});

fn valid(c: &Change) {
    assert!(!c.id.is_empty());
    assert!(!c.targets.is_empty());
    let mut seen = std::collections::HashSet::new();
    for t in &c.targets {
        assert!(seen.insert(t), "duplicate target {t}");
    }
    assert!(c.end > c.start);
    for t in [c.start, c.end] {
        let back: jiff::Timestamp = t
            .to_string()
            .parse()
            .expect("a timestamp that prints reads back");
        assert_eq!(back, t);
    }
    let _ = c.duration();
    for name in [
        "id",
        "type",
        "start",
        "end",
        "requested_by",
        "targets",
        "duration",
        "x",
    ] {
        let _ = c.field(name);
    }

    // Through the evaluator with an empty policy: approved, impact = targets.
    let nodes: Vec<serde_json::Value> = c
        .targets
        .iter()
        .map(|t| serde_json::json!({"id": t}))
        .collect();
    let graph = Graph::from_json(&serde_json::json!({"nodes": nodes}).to_string())
        .expect("a graph of the targets loads");
    let policy = Policy::from_sources(Vec::<(String, String)>::new()).expect("an empty policy");
    let d = policy.evaluate(c, &graph).expect("evaluation");
    assert_eq!(d.outcome, changegate::Outcome::Approved);
    assert_eq!(d.impact.len(), c.targets.len());
    assert_eq!(d.overrides.len(), c.overrides.len());
}

fn well_formed(e: &InputError) {
    assert!(!e.message.is_empty(), "an error without a message");
    let _ = e.to_string();
}

/// The text as JSON: a leading byte order mark is accepted by the engine
/// (some Windows tools write one) but not by `serde_json`.
fn json_text(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
