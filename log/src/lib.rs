//! The decision log of changegate: every decision a service returns,
//! appended to a tamper-evident chain (each record carries the SHA-256 hash
//! of the one before), in an embedded SQLite file or a PostgreSQL database
//! shared by several replicas; verified, searched, exported and replayed.
//! The format, the hash and the commands: docs/log.md.
//!
//! ```no_run
//! use changegate_log::{Entry, Log};
//! # fn main() -> Result<(), changegate_log::Error> {
//! let log = Log::open("changegate-log.sqlite")?;
//! let receipts = log.append(&[Entry {
//!     at: jiff::Timestamp::now(),
//!     caller: "deploy-bot".to_owned(),
//!     change_id: Some("CHG-1".to_owned()),
//!     change: r#"{"id": "CHG-1"}"#.to_owned(),
//!     decision: r#"{"change": "CHG-1", "outcome": "approved"}"#.to_owned(),
//!     outcome: "approved".to_owned(),
//!     policy_digest: "sha256:…".to_owned(),
//!     graph_digest: "sha256:…".to_owned(),
//!     engine: "changegate 0.1.0".to_owned(),
//! }])?;
//! assert_eq!(receipts[0].seq, 1);
//! assert!(log.verify(&mut |_| {})?.first_break.is_none());
//! # Ok(()) }
//! ```

mod chain;
mod encode;
mod entry;
mod err;
mod export;
mod log;
mod postgres;
mod replay;
mod sqlite;
mod store;

pub use crate::chain::{Break, Check, Verified};
pub use crate::encode::{DOMAIN, FORMAT_VERSION, GENESIS, encode, format_at, hash, parse_at};
pub use crate::entry::{Entry, Head, Progress, Range, Receipt, Record};
pub use crate::err::Error;
pub use crate::export::{line, parse_line, verify_export};
pub use crate::log::{DEFAULT_LOCATION, Location, Log};
pub use crate::replay::{Difference, Replay, replay, requirements_unmet};
