//! A deliberately simple reference evaluator, used only by tests to check the
//! fast one (see `tests`).
