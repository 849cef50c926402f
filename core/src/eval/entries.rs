//! The requirements and blocks of one decision as rules add them: a few
//! entries at most in most decisions, so a vector searched in place, with
//! a hash index built only once there are many (an `owner of` over a large
//! blast radius can add an entry per owner).

use std::collections::HashMap;
use std::hash::Hash;

/// Past this many entries, lookups go through a hash index.
const LINEAR: usize = 16;

/// Entries by key, in the order first added; sorted by key when taken.
pub(super) struct Entries<K, V> {
    items: Vec<(K, V)>,
    index: Option<HashMap<K, usize>>,
}

impl<K, V> Default for Entries<K, V> {
    fn default() -> Self {
        Entries {
            items: Vec::new(),
            index: None,
        }
    }
}

impl<K: Ord + Hash + Clone, V> Entries<K, V> {
    /// The entry of `key`, added with `make()` if it is not there yet.
    pub(super) fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> &mut V {
        let found = match &self.index {
            Some(index) => index.get(&key).copied(),
            None => self.items.iter().position(|(k, _)| *k == key),
        };
        let at = match found {
            Some(at) => at,
            None => {
                let at = self.items.len();
                if let Some(index) = &mut self.index {
                    index.insert(key.clone(), at);
                } else if at >= LINEAR {
                    let mut index: HashMap<K, usize> = self
                        .items
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| (k.clone(), i))
                        .collect();
                    index.insert(key.clone(), at);
                    self.index = Some(index);
                }
                self.items.push((key, make()));
                at
            }
        };
        #[expect(
            clippy::indexing_slicing,
            reason = "`at` was found in `items` or is the entry just pushed"
        )]
        &mut self.items[at].1
    }

    /// Every entry, sorted by key (keys are distinct).
    pub(super) fn into_sorted(self) -> Vec<(K, V)> {
        let mut items = self.items;
        items.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        items
    }
}
