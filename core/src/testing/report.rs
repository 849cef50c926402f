//! What a test run found: each file, each case, each difference, and the
//! counts (docs/testing.md, *The report*).

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value as Json;

use super::coverage::Coverage;
use crate::source::Diagnostic;

/// A test run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TestReport {
    /// Each test file, sorted by path.
    pub files: Vec<FileReport>,
    /// The counts.
    pub summary: Summary,
    /// What no case exercised; present only when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// How many cases passed, failed, were skipped or filtered out, and how
/// many files could not run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Summary {
    /// Cases whose decision met every expectation.
    pub passed: usize,
    /// Cases with a difference.
    pub failed: usize,
    /// Cases marked `skip`.
    pub skipped: usize,
    /// Cases left out by the filter.
    pub filtered: usize,
    /// Test files that could not run (none of their cases counted).
    pub errors: usize,
}

/// One test file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileReport {
    /// The file, as found below the paths given, with `/` separators.
    pub file: String,
    /// Why the file could not run; its cases are then empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<FileError>,
    /// Its cases that ran or were skipped, in the file's order.
    pub cases: Vec<CaseReport>,
}

/// Why a test file could not run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileError {
    /// The JSON path in the test file (`cases[2].expect.outcome`); empty
    /// for the file as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// When the policy does not compile: each problem.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

/// One case.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseReport {
    /// The case's name.
    pub name: String,
    /// `passed`, `failed` or `skipped`.
    pub status: Status,
    /// Why it was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
    /// Each difference, in the order of the expectations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mismatches: Vec<Mismatch>,
}

/// What became of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every expectation held.
    Passed,
    /// Some did not.
    Failed,
    /// Not run.
    Skipped,
}

/// A difference between an expectation and the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Mismatch {
    /// Where, in the case's `expect`: `outcome`, `approvals.cab.required`.
    pub path: String,
    /// What the case expects there.
    pub expected: Json,
    /// What the decision holds there (`null` when it holds nothing).
    pub actual: Json,
    /// For a list of names: those expected but not found.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// For a list of names: those found but not expected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unexpected: Vec<String>,
}

impl Mismatch {
    pub(crate) fn new(path: &str, expected: Json, actual: Json) -> Mismatch {
        Mismatch {
            path: path.to_owned(),
            expected,
            actual,
            missing: Vec::new(),
            unexpected: Vec::new(),
        }
    }

    /// The difference for people:
    ///
    /// ```text
    /// approvals.cab.required
    ///   expected   2
    ///   actual     1
    /// ```
    pub fn diff(&self) -> String {
        let mut out = format!("{}\n", self.path);
        let _ = writeln!(out, "  expected   {}", shown(&self.expected));
        let _ = writeln!(out, "  actual     {}", shown(&self.actual));
        if !self.missing.is_empty() {
            let _ = writeln!(out, "  missing    {}", listed(&self.missing));
        }
        if !self.unexpected.is_empty() {
            let _ = writeln!(out, "  unexpected {}", listed(&self.unexpected));
        }
        out
    }
}

fn shown(v: &Json) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn listed(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl CaseReport {
    /// Every difference, one after the other.
    pub fn diff(&self) -> String {
        self.mismatches.iter().map(Mismatch::diff).collect()
    }
}

impl FileError {
    /// The error for people: the place, the message, each compile error,
    /// the help.
    pub fn describe(&self, file: &str) -> String {
        let mut out = if self.path.is_empty() {
            format!("{file}: {}\n", self.message)
        } else {
            format!("{file}: {}: {}\n", self.path, self.message)
        };
        for d in &self.diagnostics {
            let _ = writeln!(out, "  {d}");
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "  help: {help}");
        }
        out
    }
}

impl Summary {
    /// `3 passed, 1 failed`, and the skipped, filtered and errors when there
    /// are some.
    pub fn line(&self) -> String {
        let mut out = format!("{} passed, {} failed", self.passed, self.failed);
        if self.skipped > 0 {
            let _ = write!(out, ", {} skipped", self.skipped);
        }
        if self.filtered > 0 {
            let _ = write!(out, ", {} filtered out", self.filtered);
        }
        if self.errors > 0 {
            let s = if self.errors == 1 { "" } else { "s" };
            let _ = write!(out, ", {} error{s}", self.errors);
        }
        out
    }
}

impl TestReport {
    /// No case failed and every file ran.
    pub fn all_passed(&self) -> bool {
        self.summary.failed == 0 && self.summary.errors == 0
    }

    /// The report as JSON: two-space indented, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}
