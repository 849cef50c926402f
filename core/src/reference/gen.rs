//! Proptest strategies for random policies, graphs and changes.
