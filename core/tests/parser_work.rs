//! The parser's work is linear in the size of its input, for every way of
//! nesting expressions and sets up to the nesting limit, valid or broken at
//! the innermost or outermost point.
//!
//! The library sets no pest call limit (see `core/src/parse/bounds.rs`); it
//! relies on the grammar never reading a nested construct twice at the same
//! place. This test process, and only it, sets pest's process-wide call
//! limit to a small multiple of each policy's size: a grammar change that
//! makes pest backtrack over nesting (work that doubles with each level)
//! then fails here. A parse that runs out of calls surfaces as a syntax
//! error that names nothing, `expected something else`.

#![expect(clippy::unwrap_used, reason = "a failing test should stop loudly")]

use std::num::NonZeroUsize;

use changegate::{Limits, Policy, Source};

/// Calls pest may make for each byte of a policy (plus a constant for the
/// smallest ones). The worst case measured (`CHANGEGATE_MEASURE_CALLS=1`)
/// is 39 a byte.
const CALLS_PER_BYTE: usize = 64;
const CALLS_BASE: usize = 1_000;

/// A nesting level as the text before and after what it encloses.
const LEVELS: &[(&str, &str)] = &[
    ("(", ")"),
    ("[", "]"),
    ("not (", ")"),
    ("(not ", ")"),
    ("[1, ", ", 2]"),
    ("change.a == (", ")"),
    ("(", ") == 1"),
    ("any(targets where ", ", true)"),
    ("any(targets where not (", "), true)"),
    ("count(dependents(", "))"),
    ("count(dependencies(", ", depth 2))"),
    ("count((", "))"),
    ("max(targets, ", ")"),
    ("[(", ")]"),
    ("any(((targets where ", ")), true)"),
];

/// What the innermost level holds: an expression, a set, or something broken.
const INNER: &[&str] = &["true", "targets", "change.x ==", "@", "", "not"];

/// The item around the nesting.
const ITEMS: &[(&str, &str)] = &[
    ("rule r { when ", " deny \"x\" }"),
    ("rule r { when ", " "),
    ("rule r { require ", " else \"m\" }"),
    ("rule r { require ", " }"),
    ("rule r { require approval owner of ", " }"),
    ("rule r { require backup of ", " within 1h }"),
    ("let s = ", ""),
    ("let s = targets where ", ""),
];

/// How many `(`, `[` and `not` one level opens.
fn depth_of(level: &str) -> usize {
    level.matches(['(', '[']).count() + level.matches("not").count()
}

/// Policies nested as deep as the default limit allows: each level alone
/// and alternating with the next one, with each inner part, in each item,
/// whole and with its end cut off.
fn policies() -> Vec<String> {
    let max = Limits::default().max_nesting;
    let mut out = Vec::new();
    let nexts = LEVELS.iter().cycle().skip(1);
    for (&(a, b), &next) in LEVELS.iter().zip(nexts) {
        for (c, d) in [(a, b), next] {
            let per_two = depth_of(a) + depth_of(c);
            let levels = 2 * max / per_two;
            for inner in INNER {
                let mut s = String::new();
                for l in 0..levels {
                    s.push_str(if l % 2 == 0 { a } else { c });
                }
                s.push_str(inner);
                for l in (0..levels).rev() {
                    s.push_str(if l % 2 == 0 { b } else { d });
                }
                for (open, close) in ITEMS {
                    for cut in [0, 2] {
                        let body = s.get(..s.len() - cut).unwrap();
                        out.push(format!("{open}{body}{close}\nrule z {{ deny \"y\" }}\n"));
                    }
                }
            }
        }
    }
    out
}

/// Whether `text` compiles, or fails with real errors, within `calls` pest
/// calls per parser state.
fn within(text: &str, calls: usize) -> bool {
    pest::set_call_limit(NonZeroUsize::new(calls));
    let source = Source {
        name: "p.gate".into(),
        text: text.into(),
    };
    match Policy::compile([source], &Limits::default()) {
        Ok(_) => true,
        Err(e) => !e
            .diagnostics()
            .iter()
            .any(|d| d.message.starts_with("expected something else")),
    }
}

#[test]
fn parsing_nested_input_costs_calls_in_proportion_to_its_size() {
    let mut failures = Vec::new();
    let mut worst = 0;
    let measure = std::env::var_os("CHANGEGATE_MEASURE_CALLS").is_some();
    for text in policies() {
        if measure {
            let (mut lo, mut hi) = (1, CALLS_BASE + CALLS_PER_BYTE * text.len());
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if within(&text, mid) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            worst = worst.max(lo / text.len());
        }
        if !within(&text, CALLS_BASE + CALLS_PER_BYTE * text.len()) {
            failures.push(text);
        }
    }
    pest::set_call_limit(None);
    if measure {
        eprintln!("at most {worst} calls a byte");
    }
    assert!(
        failures.is_empty(),
        "{} policies need more calls than their size allows, such as\n{}",
        failures.len(),
        failures.first().map_or("", |t| t.as_str())
    );
}
