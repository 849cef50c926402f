//! The decision (see docs/language.md, *The decision*).

mod types;

pub(crate) use types::{to_json, ts};
pub use types::*;
