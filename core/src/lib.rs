#![doc = include_str!("../README.md")]

pub mod api;
#[allow(
    unreachable_pub,
    missing_docs,
    reason = "public only for the hidden, unstable `internals` feature"
)]
mod ast;
pub mod change;
mod check;
mod compile;
pub mod decision;
mod error;
mod eval;
mod fmt;
pub mod graph;
mod ide;
pub mod import;
pub mod input;
#[cfg(feature = "internals")]
#[doc(hidden)]
pub mod internals;
pub mod limits;
mod lint;
mod load;
mod parse;
mod policy;
pub mod source;
mod testing;
pub mod value;
pub mod window;

pub use change::Change;
pub use decision::{Decision, Outcome};
pub use error::{Document, Error, ErrorKind, ErrorReport};
pub use eval::EvalError;
pub use graph::Graph;
pub use input::InputError;
pub use limits::Limits;
pub use load::{IoError, load_files_in, load_sources, load_sources_in};
pub use policy::Policy;
pub use source::PolicyError;
pub use source::{Diagnostic, Source};
