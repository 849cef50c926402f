//! Arbitrary bytes as a graph document. Loading must give a graph or an
//! `InputError`, never panic, overflow the stack or hang; and:
//!
//! - the streaming loader (`Graph::from_json_with_limits`) and the
//!   whole-document one (`Graph::from_value`) agree: the same graph, or the
//!   same error at the same path;
//! - a loaded graph is consistent: ids are unique, non-empty and found by
//!   `index_of` and `resolve`; an alias is no other node's id and resolves
//!   to its node or is ambiguous; dependents and dependencies mirror each other, sorted by id
//!   without duplicates; an impact walk from every node terminates with the
//!   node at depth 0;
//! - with tiny limits, a graph over them is an error, never a graph.
#![no_main]

use changegate::{Graph, InputError, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let streamed = Graph::from_json_with_limits(text, &limits);
    check_against_value(text, &streamed, &limits);
    match &streamed {
        Ok(g) => consistent(g),
        Err(e) => well_formed(e),
    }

    let tiny = Limits {
        max_graph_nodes: 3,
        max_graph_edges: 3,
        ..Limits::default()
    };
    match Graph::from_json_with_limits(text, &tiny) {
        Ok(g) => {
            assert!(
                g.len() <= 3 && g.edge_count() <= 3,
                "a graph over the limits was loaded"
            );
            let Ok(full) = &streamed else {
                panic!("tiny limits accept what default ones refuse")
            };
            assert_eq!(g.len(), full.len());
            assert_eq!(g.edge_count(), full.edge_count());
        }
        Err(e) => well_formed(&e),
    }
});

/// The whole-document path gives the same answer as the streaming one.
fn check_against_value(text: &str, streamed: &Result<Graph, InputError>, limits: &Limits) {
    let Ok(v) = serde_json::from_str::<serde_json::Value>(json_text(text)) else {
        assert!(streamed.is_err(), "invalid JSON loaded as a graph");
        return;
    };
    let whole = Graph::from_value(&v, limits);
    match (streamed, &whole) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.len(), b.len());
            assert_eq!(a.edge_count(), b.edge_count());
            for ((i, x), (_, y)) in a.nodes().zip(b.nodes()) {
                assert_eq!(x, y, "node {i:?} differs");
                assert_eq!(a.dependencies_of(i), b.dependencies_of(i));
            }
            assert!(a.aliases().eq(b.aliases()), "aliases differ");
        }
        (Err(a), Err(b)) => {
            // serde_json keeps the last of repeated keys; the streaming
            // loader sees them all and may stop at an earlier problem.
            if !has_repeated_keys(&v, json_text(text)) {
                assert_eq!(
                    (&a.path, &a.message),
                    (&b.path, &b.message),
                    "errors differ"
                );
            }
        }
        (a, b) => {
            if !has_repeated_keys(&v, json_text(text)) {
                panic!("streaming and whole-document loading disagree: {a:?} vs {b:?}")
            }
        }
    }
}

/// Whether re-serializing the parsed document loses keys (a repeated key
/// in some object of the text).
fn has_repeated_keys(v: &serde_json::Value, text: &str) -> bool {
    fn keys(v: &serde_json::Value) -> usize {
        match v {
            serde_json::Value::Object(o) => o.len() + o.values().map(keys).sum::<usize>(),
            serde_json::Value::Array(a) => a.iter().map(keys).sum(),
            _ => 0,
        }
    }
    // Count `"key":` occurrences the cheap way: through a streaming visitor
    // that counts every key it is given.
    struct Count(usize);
    impl<'de> serde::de::Visitor<'de> for &mut Count {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("json")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
            while s.next_element_seed(&mut *self)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
            while m.next_key::<serde::de::IgnoredAny>()?.is_some() {
                self.0 += 1;
                m.next_value_seed(&mut *self)?;
            }
            Ok(())
        }
    }
    impl<'de> serde::de::DeserializeSeed<'de> for &mut Count {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    let mut c = Count(0);
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = serde::de::DeserializeSeed::deserialize(&mut c, &mut de);
    c.0 != keys(v)
}

fn consistent(g: &Graph) {
    assert!(g.len() <= Limits::default().max_graph_nodes);
    let mut seen = std::collections::HashSet::new();
    for (i, n) in g.nodes() {
        assert!(!n.id.is_empty(), "empty id");
        assert!(seen.insert(n.id.clone()), "duplicate id {}", n.id);
        assert_eq!(g.index_of(&n.id), Some(i), "index_of({}) is wrong", n.id);
        assert_eq!(g.resolve(&n.id), Ok(i), "resolve({}) is wrong", n.id);
        for (list, other) in [(g.dependencies_of(i), true), (g.dependents_of(i), false)] {
            for w in list.windows(2) {
                assert!(
                    g.node(w[0]).id < g.node(w[1]).id,
                    "neighbours not sorted by id or repeated"
                );
            }
            for &m in list {
                let back = if other {
                    g.dependents_of(m)
                } else {
                    g.dependencies_of(m)
                };
                assert!(back.contains(&i), "edges are not mirrored");
            }
        }
    }
    // An alias is no other node's id, and resolves to its node unless
    // another node shares it.
    for (alias, n) in g.aliases().take(64) {
        assert!(g.index_of(alias).is_none(), "alias `{alias}` is an id");
        match g.resolve(alias) {
            Ok(m) => assert_eq!(m, n, "alias `{alias}` resolves elsewhere"),
            Err(changegate::graph::Unresolved::Ambiguous(c)) => assert!(c.contains(&n)),
            Err(e) => panic!("alias `{alias}` does not resolve: {e:?}"),
        }
    }
    for (i, _) in g.nodes().take(64) {
        let impact = g.impact(&[i]);
        assert!(impact.len() >= 1 && impact.len() <= g.len());
        assert_eq!(impact.get(0).map(|(n, d, _)| (n, d)), Some((i, 0)));
    }
}

fn well_formed(e: &InputError) {
    assert!(!e.message.is_empty(), "an error without a message");
    let _ = e.to_string();
}

/// The text as JSON: a leading byte order mark is accepted by the engine
/// (some Windows tools write one) but not by `serde_json`.
fn json_text(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}
