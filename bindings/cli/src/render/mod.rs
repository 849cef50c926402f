//! The text output: a decision as a checklist for a change manager, the
//! blast radius, and errors. Only presentation: every fact comes from core.

mod blocks;
mod decision;
mod diagnostics;
mod impact;
mod table;
mod testrun;
mod time;
mod words;

pub(crate) use decision::decision;
pub(crate) use diagnostics::{failure, linted, validated};
pub(crate) use impact::impact_report;
pub(crate) use testrun::{coverage, test_report};
