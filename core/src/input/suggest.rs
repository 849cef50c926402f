//! Did-you-mean suggestions for every misspelt name: JSON fields, change
//! types and categories, node ids, policy names, time zones.
//!
//! One rule decides what is suggested: a candidate is close to a word when
//! its Damerau–Levenshtein distance from it (characters inserted, deleted,
//! replaced, or two neighbours swapped) is at most a third of the longer
//! one's length in characters, and always at least 1. So `teir` (4
//! characters) gets `tier`, `verifed` gets `verified`, `ordres-db` gets
//! `orders-db`, but `xyz` gets nothing from `id`. The closest candidates
//! come first; among equally close ones, the first in alphabetical order,
//! so a suggestion never depends on the order of a document or a map.
//!
//! Callers normalise the word and the candidates first where case does not
//! matter (change types are compared in lower case).

use std::borrow::Borrow;

/// Longest word, and longest candidate, in bytes, that a typo search
/// compares: an edit distance is quadratic in the lengths, and nobody needs
/// a did-you-mean for a megabyte-long id.
const SUGGEST_MAX_BYTES: usize = 256;
/// Most edit-distance cells one typo search computes over all its
/// candidates (every node of a large graph); past that it stops looking.
const SUGGEST_MAX_CELLS: usize = 50_000_000;

/// The largest distance at which a candidate is close to a word, for the
/// longer of the two lengths in characters (see the module's rule).
fn max_distance(longer_chars: usize) -> usize {
    (longer_chars / 3).max(1)
}

/// The candidate closest to `word`, if it is close enough to be a likely
/// typo (see the module's rule).
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    suggestions(word, candidates.into_iter().map(|c| (c, c)), 1).pop()
}

/// The candidates closest to `word`, if they are close enough to be likely
/// typos (see the module's rule): every one as close as the closest, in
/// their order (alphabetical for strings), each once, at most `n`.
///
/// A candidate is compared as its key (`.0`) and returned as its value
/// (`.1`), so that one name can be compared in several forms: a time zone
/// as `europe/berlin` and as `berlin`, both giving `Europe/Berlin`.
pub(crate) fn suggestions<K, T>(
    word: &str,
    candidates: impl IntoIterator<Item = (K, T)>,
    n: usize,
) -> Vec<T>
where
    K: Borrow<str>,
    T: Ord,
{
    let Some(mut search) = Suggest::new(word) else {
        return Vec::new();
    };
    // The closest so far, all at `distance`, sorted; at most `n` are kept,
    // not every one of a million similar node ids.
    let mut best: Vec<T> = Vec::new();
    let mut distance = usize::MAX;
    for (key, value) in candidates {
        let key = key.borrow();
        let Some(allowed) = search.allowed(key, distance) else {
            continue;
        };
        let d = strsim::damerau_levenshtein(word, key);
        if d > allowed {
            continue;
        }
        if d < distance {
            best.clear();
            distance = d;
        }
        if let Err(at) = best.binary_search(&value) {
            if at < n {
                best.insert(at, value);
                best.truncate(n);
            }
        }
    }
    best
}

/// Bounds the work of one typo search, so that hostile input (megabyte-long
/// names, a million candidates) cannot make an error slow to report.
struct Suggest {
    chars: usize,
    cells: usize,
}

impl Suggest {
    /// A search for typos of `word`; `None` when it is too long to look.
    fn new(word: &str) -> Option<Suggest> {
        (word.len() <= SUGGEST_MAX_BYTES).then(|| Suggest {
            chars: word.chars().count(),
            cells: 0,
        })
    }

    /// The largest distance, at most `cap`, at which `candidate` is close
    /// to the word, or `None` when it cannot be that close (an edit
    /// distance is at least the difference in length), is too long, or the
    /// budget is spent.
    fn allowed(&mut self, candidate: &str, cap: usize) -> Option<usize> {
        if candidate.len() > SUGGEST_MAX_BYTES || self.cells > SUGGEST_MAX_CELLS {
            return None;
        }
        let chars = candidate.chars().count();
        let allowed = max_distance(self.chars.max(chars)).min(cap);
        if self.chars.abs_diff(chars) > allowed {
            return None;
        }
        self.cells += (self.chars + 2) * (chars + 2);
        Some(allowed)
    }
}
