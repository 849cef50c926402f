//! The decision (see docs/language.md, *The decision*): its types, and its
//! JSON, which is byte-identical for identical inputs on every front end.

mod impact;
mod json;
#[cfg(test)]
mod tests;
mod time;
mod types;

pub use impact::{ImpactReport, ImpactedNode};
pub(crate) use json::to_json;
pub use time::Time;
pub use types::*;
