//! The change record that a policy set decides on (see docs/language.md,
//! *The change*).

mod read;

pub use read::*;
