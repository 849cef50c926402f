//! changegate's test machinery, kept out of the published crate:
//!
//! - [`reference`]: a deliberately simple second evaluator that the
//!   properties in `tests/` compare the engine with;
//! - [`scenario`]: the one generator of random policies, graphs and changes,
//!   as proptest strategies for those properties and from raw bytes
//!   (`arbitrary`) for the structure-aware fuzz target
//!   (`fuzz/fuzz_targets/compile_evaluate.rs`);
//! - [`fmt`]: what the formatter must keep (tokens, comments and their
//!   places, the parsed items), for its properties and its fuzz target;
//! - [`corpus`]: finds the decision corpus's cases and writes the manifest
//!   every front end's harness reads (`core/tests/corpus/manifest.json`);
//! - [`imports`]: finds the adapters' cases and writes their manifest
//!   (`core/tests/import/manifest.json`);
//! - [`hostile`]: reads the hostile-input list (`core/tests/hostile/`) for
//!   every front end's harness;
//! - [`postgres`]: a PostgreSQL server of a test's own, for the decision
//!   log's store and the service's tests.

pub mod corpus;
pub mod fmt;
pub mod hostile;
pub mod imports;
pub mod postgres;
pub mod reference;
pub mod scenario;
