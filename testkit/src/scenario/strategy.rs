//! Proptest strategies over the generator: each case is a random byte
//! string that the generator reads as the fuzzer's bytes. Shrinking shrinks
//! the bytes towards zero, and the generator reads zeros as its first, and
//! simplest, options.

use arbitrary::Unstructured;
use proptest::collection::vec;
use proptest::prelude::*;

use super::{Config, GChange, GGraph, Scenario};

/// More bytes than a scenario reads, so that every choice is random.
const BYTES: usize = 4096;

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), BYTES)
}

/// Scenarios that always compile, load and evaluate, cheap enough for the
/// reference evaluator ([`Config::properties`]); `windowy` weights them
/// towards window rules.
pub fn scenario(windowy: bool) -> impl Strategy<Value = Scenario> {
    bytes().prop_filter_map("the generator failed", move |b| {
        Scenario::generate(&mut Unstructured::new(&b), Config::properties(windowy)).ok()
    })
}

/// Graphs of 1 to `max` nodes (ids `n0`, `n1`, … when `max` is over 8).
pub fn graph(max: usize) -> impl Strategy<Value = GGraph> {
    bytes().prop_filter_map("the generator failed", move |b| {
        GGraph::generate(&mut Unstructured::new(&b), max).ok()
    })
}

/// Changes to the shipped estate, whose nodes are `ids`, shaped as the
/// shipped policy library expects.
pub fn estate_change(ids: Vec<String>) -> impl Strategy<Value = GChange> {
    bytes().prop_filter_map("the generator failed", move |b| {
        GChange::for_estate(&mut Unstructured::new(&b), &ids).ok()
    })
}
