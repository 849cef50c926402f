//! Generators for the benchmark scenario.
