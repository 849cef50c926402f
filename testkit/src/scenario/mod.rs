//! The one generator of random scenarios: a policy set, a graph and a
//! change (and the limits to use for all three).
//!
//! It is written once, against the bytes of an [`Unstructured`], and used
//! two ways:
//!
//! - structure-aware fuzzing: [`Scenario`] implements [`Arbitrary`], so the
//!   fuzzer's bytes become a scenario that is valid most of the time and the
//!   fuzzer spends its time in the checker, the compiler and the evaluator
//!   rather than in the parser's error paths
//!   (`fuzz/fuzz_targets/compile_evaluate.rs`, [`Config::FUZZ`]);
//! - properties: [`strategy`] turns random byte strings into proptest
//!   strategies of always-valid scenarios, cheap enough for the reference
//!   evaluator's brute force ([`Config::properties`]).
//!
//! The policy uses every construct of the language: `between` and `cron`
//! windows in several zones (DST gaps and overlaps, half-hour offsets, `L`,
//! `W` and `#`), `let` sets built on each other, graph walks with and
//! without `depth`, `where` filters, set functions, every comparison,
//! `when`/`unless`, every effect, `because` and `override by`. The graph has
//! cycles and self-loops, nodes without owners and attributes that shadow
//! first-class fields; the change has approvals (some by the requester,
//! some pending, rejected or otherwise not approved), backups of every
//! status, and overrides good and bad, around DST transitions, freezes and
//! maintenance windows. Under [`Config::FUZZ`] a
//! share of the scenarios holds deliberate mistakes (a type mismatch, an
//! unknown name or zone, a huge number, an impossible cron field, `end`
//! before `start`) and lowered [`Limits`], so that the error paths after
//! parsing are exercised too.

mod change;
mod draw;
mod estate;
mod expr;
mod graph;
mod policy;
#[cfg(feature = "proptest")]
pub mod strategy;
#[cfg(test)]
mod tests;
mod window;

use std::fmt;

use arbitrary::{Arbitrary, Result, Unstructured};
use changegate::{Limits, Source};

pub use change::{GChange, GROUPS, PEOPLE};
use draw::Gen;
pub use graph::GGraph;
pub use policy::{GEffect, GPolicy, GRule, spread};

/// How scenarios are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// One scenario in `mistakes` may hold deliberate mistakes, which make
    /// it fail to compile or load; `0`: never.
    pub mistakes: u8,
    /// Whether to draw [`Limits`]: a low window-scan limit, and now and
    /// then lower nesting, graph and input limits.
    pub limits: bool,
    /// Whether to weight the effects towards window rules (freezes on even
    /// windows, maintenance on odd ones) and keep changes short, so that
    /// `next_allowed_start` exists more often.
    pub windowy: bool,
    /// Whether to draw what makes a brute-force evaluation slow: dense cron
    /// patterns, long windows and changes, times far from the anchors,
    /// graphs of up to 40 nodes and deeper conditions.
    pub heavy: bool,
}

impl Config {
    /// For the fuzz target: every kind of input, mistakes and limits included.
    pub const FUZZ: Config = Config {
        mistakes: 5,
        limits: true,
        windowy: false,
        heavy: true,
    };

    /// For properties that compare with the reference evaluator: scenarios
    /// that always compile, load and evaluate under the default limits.
    pub const fn properties(windowy: bool) -> Config {
        Config {
            mistakes: 0,
            limits: false,
            windowy,
            heavy: false,
        }
    }
}

/// A generated policy, graph and change, and the limits to use for all three.
#[derive(Clone)]
pub struct Scenario {
    /// The policy.
    pub policy: GPolicy,
    /// The graph.
    pub graph: GGraph,
    /// The change.
    pub change: GChange,
    /// How many files the policy is spread over.
    pub files: usize,
    /// The limits to compile, load and evaluate with.
    pub limits: Limits,
}

impl Scenario {
    /// Draws a scenario from `u`'s bytes.
    pub fn generate(u: &mut Unstructured<'_>, config: Config) -> Result<Scenario> {
        let mut g = Gen::new(u, config)?;
        let limits = g.limits()?;
        let graph = g.graph(8)?;
        let policy = g.policy()?;
        let change = g.change(&graph.ids, &graph.names, policy.rules.len())?;
        let files = g.u.int_in_range(1..=3usize)?;
        Ok(Scenario {
            policy,
            graph,
            change,
            files,
            limits,
        })
    }

    /// The policy files, `(name, text)`.
    pub fn sources(&self) -> Vec<(String, String)> {
        self.policy.sources(self.files)
    }

    /// The policy files as [`Source`]s.
    pub fn policy_sources(&self) -> Vec<Source> {
        self.sources()
            .into_iter()
            .map(|(name, text)| Source { name, text })
            .collect()
    }

    /// The graph as JSON text.
    pub fn graph_json(&self) -> String {
        serde_json::to_string_pretty(&self.graph.json()).unwrap_or_default()
    }

    /// The change as JSON text.
    pub fn change_json(&self) -> String {
        serde_json::to_string_pretty(&self.change.json).unwrap_or_default()
    }
}

impl<'a> Arbitrary<'a> for Scenario {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Scenario::generate(u, Config::FUZZ)
    }
}

impl fmt::Debug for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.limits != Limits::default() {
            writeln!(f, "limits: {:?}", self.limits)?;
        }
        for (name, text) in self.sources() {
            writeln!(f, "----- {name} -----\n{text}")?;
        }
        writeln!(f, "----- graph.json -----\n{}", self.graph_json())?;
        writeln!(f, "----- change.json -----\n{}", self.change_json())
    }
}
