//! The generator's state and how it draws from the bytes.

use arbitrary::{Result, Unstructured};
use changegate::Limits;

use super::Config;

/// The generator: every choice comes from `u`'s bytes (when they run out,
/// each choice takes its first option, so shorter input gives smaller
/// scenarios).
pub(crate) struct Gen<'u, 'a> {
    pub(crate) u: &'u mut Unstructured<'a>,
    pub(crate) config: Config,
    /// Whether this scenario may hold deliberate mistakes.
    pub(crate) sloppy: bool,
    /// How many windows, `let` sets and rules the policy has (or, while
    /// they are drawn, how many come before).
    pub(crate) nwin: usize,
    pub(crate) nlet: usize,
}

impl<'u, 'a> Gen<'u, 'a> {
    pub(crate) fn new(u: &'u mut Unstructured<'a>, config: Config) -> Result<Self> {
        let sloppy = config.mistakes > 0 && u.ratio(1, config.mistakes)?;
        Ok(Gen {
            u,
            config,
            sloppy,
            nwin: 0,
            nlet: 0,
        })
    }

    /// One of the items of `list` (which is never empty).
    pub(crate) fn pick<T: Copy>(&mut self, list: &[T]) -> Result<T> {
        self.u.choose(list).copied()
    }

    /// True with probability `n / d`.
    pub(crate) fn chance(&mut self, n: u8, d: u8) -> Result<bool> {
        self.u.ratio(n, d)
    }

    /// A deliberate mistake, one time in `d`, in a sloppy scenario.
    pub(crate) fn wrong(&mut self, d: u8) -> Result<bool> {
        Ok(self.sloppy && self.chance(1, d)?)
    }

    /// An index below `n`, or `None` when `n` is 0.
    pub(crate) fn index(&mut self, n: usize) -> Result<Option<usize>> {
        if n == 0 {
            return Ok(None);
        }
        Ok(Some(self.u.int_in_range(0..=n - 1)?))
    }

    /// The index of the option chosen, each option `i` weighing `weights[i]`.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> Result<usize> {
        let total: u32 = weights.iter().sum();
        let mut x = self.u.int_in_range(0..=total.saturating_sub(1))?;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return Ok(i);
            }
            x -= w;
        }
        Ok(0)
    }

    /// Between 0 and `most` distinct items of `list`, in its order.
    pub(crate) fn subsequence<T: Copy>(&mut self, list: &[T], most: usize) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for x in list {
            if out.len() < most && self.u.arbitrary()? {
                out.push(*x);
            }
        }
        Ok(out)
    }

    /// `v` in a random order.
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) -> Result<()> {
        for i in (1..v.len()).rev() {
            let j = self.u.int_in_range(0..=i)?;
            v.swap(i, j);
        }
        Ok(())
    }

    pub(crate) fn limits(&mut self) -> Result<Limits> {
        if !self.config.limits {
            return Ok(Limits::default());
        }
        // The scan limit bounds the window search. At the default (10^6
        // occurrences, ~0.5 s natively) a sanitized build spends minutes in
        // a search that ends at the limit by design (~40 µs an occurrence
        // in jiff's time zone code under ASan); a lower one keeps those runs
        // well under the fuzzer's 1 s timeout, so that a slow input is one
        // whose work the limit does not account for.
        let mut l = Limits {
            max_window_scan: 3_000,
            ..Limits::default()
        };
        if self.chance(1, 8)? {
            l.max_window_scan = self.pick(&[0, 1, 50, 1_000, 3_000])?;
        }
        if self.chance(1, 16)? {
            l.max_nesting = self.u.int_in_range(1..=8)?;
        }
        if self.chance(1, 16)? {
            l.max_graph_nodes = self.u.int_in_range(0..=4)?;
            l.max_graph_edges = self.u.int_in_range(0..=4)?;
        }
        if self.chance(1, 32)? {
            l.max_source_bytes = self.u.int_in_range(0..=200)?;
            l.max_input_bytes = self.u.int_in_range(0..=400)?;
        }
        Ok(l)
    }
}
