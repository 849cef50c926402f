//! Findings as SARIF 2.1.0 (the OASIS Static Analysis Results Interchange
//! Format), which code-scanning services read: one run whose tool lists
//! every lint as a rule, and one result per finding.

use serde_json::{Value as Json, json};

use super::{Finding, Lint, Severity};

/// Where the tool is described, for SARIF's `informationUri`.
const INFORMATION_URI: &str = "https://github.com/changegate/changegate";

/// How to fix a lint's findings in general (each finding has its own help
/// too).
fn fix(lint: Lint) -> &'static str {
    match lint {
        Lint::UnusedLet => "Use the set in a rule or another `let`, or remove it.",
        Lint::UnusedWindow => "Use the window in `deny during` or `deny outside`, or remove it.",
        Lint::EmptyElseMessage => "Say what is missing and how to get it in the `else` message.",
        Lint::OverrideByApprover => {
            "Name another group (an incident or break-glass group) in `override by`."
        }
        Lint::NeverHolds => {
            "Fix the contradicting conditions (often `and` meant `or`), or remove the rule."
        }
        Lint::DuplicateRequirement => "Remove one of the two requirements.",
        Lint::WindowNeverOccurs => {
            "Check the cron expression's day of month, month and day of week together."
        }
        Lint::WindowEnded => "Move the window to its next dates, or remove it.",
        Lint::ShortWindow => {
            "Lengthen the window's occurrences, or lower `min-window` in `[lint.options]`."
        }
        Lint::EmptyOwnerSet => {
            "Give the nodes an owner in the graph, or require a named group's approval."
        }
        Lint::UnknownAttribute => "Correct the attribute's name to one the inputs carry.",
        Lint::UnknownLint => "Correct the lint's name in the allow comment.",
        Lint::UnusedAllow => "Remove the name from the allow comment, or the comment.",
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative file name as a URI reference: `/` separators, and every
/// byte outside the unreserved characters percent-encoded.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    let file = file.replace('\\', "/");
    let file = file.strip_prefix("./").unwrap_or(&file);
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The findings as a SARIF 2.1.0 log (two-space indented JSON ending with a
/// newline). Columns count characters (`columnKind`
/// `unicodeCodePoints`); file names are URIs relative to the folder the
/// policy paths were given from.
pub fn sarif(findings: &[Finding]) -> String {
    let rules: Vec<Json> = Lint::ALL
        .iter()
        .map(|l| {
            json!({
                "id": l.name(),
                "shortDescription": {"text": l.summary()},
                "help": {"text": fix(*l)},
                "defaultConfiguration": {"level": level(l.severity())},
            })
        })
        .collect();
    let results: Vec<Json> = findings
        .iter()
        .map(|f| {
            let index = Lint::ALL.iter().position(|l| l.name() == f.name);
            let text = match &f.help {
                Some(help) => format!("{}\nhelp: {help}", f.message),
                None => f.message.clone(),
            };
            let mut result = json!({
                "ruleId": f.name,
                "level": level(f.severity),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&f.file)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        }
                    }
                }],
            });
            if let (Some(i), Json::Object(map)) = (index, &mut result) {
                map.insert("ruleIndex".to_owned(), json!(i));
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "changegate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    crate::decision::to_json(&log, 2048 + 1024 * findings.len())
}
