//! A hash set of strings held elsewhere: each slot is the 4-byte number of
//! an entry whose text the caller looks up (a node's id, a name in a load's
//! list of names not declared yet). A map keyed by `Arc<str>` spends 24
//! bytes a slot on a second reference to every key.

use std::hash::BuildHasher;

use super::hash::FoldState;

const EMPTY: u32 = u32::MAX;

/// Entries by the hash of their text, with linear probing; never more than
/// three quarters full, so a lookup of an absent text (every forward
/// reference of a load) stops after a probe or two.
#[derive(Debug, Clone, Default)]
pub(super) struct Table {
    state: FoldState,
    slots: Box<[u32]>,
    len: usize,
}

impl Table {
    /// An empty table with room for `n` entries.
    pub(super) fn with_capacity(n: usize) -> Table {
        let size = (n.saturating_mul(4) / 3 + 1).next_power_of_two().max(8);
        Table {
            state: FoldState::default(),
            slots: vec![EMPTY; size].into_boxed_slice(),
            len: 0,
        }
    }

    /// The entry whose text is `key`; `text` gives the text of an entry.
    pub(super) fn find<'t>(&self, key: &str, text: impl Fn(u32) -> &'t str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut at = self.home(key, mask);
        loop {
            match self.slots.get(at).copied() {
                None | Some(EMPTY) => return None,
                Some(e) if text(e) == key => return Some(e),
                Some(_) => at = (at + 1) & mask,
            }
        }
    }

    /// Adds `entry`, whose text is not in the table yet.
    pub(super) fn insert<'t>(&mut self, entry: u32, text: impl Fn(u32) -> &'t str) {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow(&text);
        }
        self.place(entry, text(entry));
        self.len += 1;
    }

    fn home(&self, key: &str, mask: usize) -> usize {
        // The low bits of the folded multiply are as mixed as the high ones.
        (self.state.hash_one(key) as usize) & mask
    }

    fn place(&mut self, entry: u32, key: &str) {
        let Some(mask) = self.slots.len().checked_sub(1) else {
            return;
        };
        let mut at = self.home(key, mask);
        while let Some(slot) = self.slots.get_mut(at) {
            if *slot == EMPTY {
                *slot = entry;
                return;
            }
            at = (at + 1) & mask;
        }
    }

    fn grow<'t>(&mut self, text: &impl Fn(u32) -> &'t str) {
        let size = (self.slots.len() * 2).max(8);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; size].into_boxed_slice());
        for e in old.iter().copied().filter(|&e| e != EMPTY) {
            self.place(e, text(e));
        }
    }
}
