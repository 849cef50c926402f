//! Random policies, graphs and changes, as proptest strategies.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "moved as they were from core's reference tests; merged with the fuzz generator next"
)]

pub mod inputs;
pub mod policy;
