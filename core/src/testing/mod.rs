//! `changegate test`: test files beside the policies (`*.test.json`), each
//! a policy, a graph, a base change and cases with what their decisions
//! must be; the runner, its report (text differences, JSON, JUnit XML) and
//! coverage. The format is in docs/testing.md.
//!
//! | file | holds |
//! |---|---|
//! | `format.rs` | the test file's types (and JSON Schema) |
//! | `read.rs` | reading a test file, each error at its JSON path |
//! | `plan.rs` | the cases made whole: merge over the base, table rows |
//! | `check.rs` | expectations against a decision |
//! | `run.rs` | finding test files, running them |
//! | `report.rs`, `junit.rs` | the report, as JSON and as JUnit XML |
//! | `coverage.rs` | what the cases exercised of each policy |
//! | `err.rs` | why a test file could not run |

mod check;
mod coverage;
mod err;
mod format;
mod junit;
mod plan;
mod read;
mod report;
mod run;
#[cfg(test)]
mod tests;

pub use self::coverage::{Coverage, EffectCoverage, RuleCoverage, WindowCoverage};
pub use self::format::{Case, Column, Expect, GraphRef, Table, TestFile};
pub use self::report::{CaseReport, FileError, FileReport, Mismatch, Status, Summary, TestReport};
pub use self::run::{TEST_SUFFIX, TestOptions, find_tests, run_tests};
