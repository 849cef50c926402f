//! Did-you-mean suggestions for misspelt names.

/// Longest word, and longest candidate, in bytes, that a typo search
/// compares: an edit distance is quadratic in the lengths, and nobody needs
/// a did-you-mean for a megabyte-long id.
const SUGGEST_MAX_BYTES: usize = 256;
/// Most edit-distance cells one typo search computes over all its
/// candidates (every node of a large graph); past that it stops looking.
const SUGGEST_MAX_CELLS: usize = 50_000_000;

/// Bounds the work of one typo search, so that hostile input (megabyte-long
/// names, a million candidates) cannot make an error slow to report.
pub(crate) struct Suggest {
    bytes: usize,
    chars: usize,
    cells: usize,
}

impl Suggest {
    /// A search for typos of `word`; `None` when it is too long to look.
    pub(crate) fn new(word: &str) -> Option<Suggest> {
        (word.len() <= SUGGEST_MAX_BYTES).then(|| Suggest {
            bytes: word.len(),
            chars: word.chars().count(),
            cells: 0,
        })
    }

    /// Whether `candidate` is worth an edit distance: not too long, its
    /// length within `slack(longer byte length)` characters of the word's
    /// (an edit distance is at least the difference in length), and the
    /// budget not yet spent.
    pub(crate) fn worth(&mut self, candidate: &str, slack: impl Fn(usize) -> usize) -> bool {
        if candidate.len() > SUGGEST_MAX_BYTES || self.cells > SUGGEST_MAX_CELLS {
            return false;
        }
        let chars = candidate.chars().count();
        if self.chars.abs_diff(chars) > slack(self.bytes.max(candidate.len())) {
            return false;
        }
        self.cells += (self.chars + 2) * (chars + 2);
        true
    }
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let mut search = Suggest::new(word)?;
    let mut best: Option<(f64, &str)> = None;
    // A score of at least 0.7 is an edit distance of at most 0.3 × the longer length.
    for c in candidates {
        if !search.worth(c, |longer| longer * 3 / 10) {
            continue;
        }
        let score = strsim::normalized_damerau_levenshtein(word, c);
        if score >= 0.7 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}
