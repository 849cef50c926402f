//! The text output for people.

mod decision;

pub(crate) use decision::{decision, failure, impact_report, validated};
