//! The hasher of the graph's maps.

use std::hash::{BuildHasher, Hasher, RandomState};

/// The hasher of the graph's maps: a folded multiply over 8-byte words,
/// much faster than SipHash for short ids and node indices, seeded per map
/// from [`RandomState`] so that colliding inputs cannot be prepared blindly.
#[derive(Clone, Copy)]
pub(super) struct FoldHasher(u64);

impl Hasher for FoldHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word.iter_mut().zip(chunk).for_each(|(w, b)| *w = *b);
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        let p = u128::from(self.0 ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835);
        self.0 = (p as u64) ^ ((p >> 64) as u64);
    }
}

/// Builds [`FoldHasher`]s with a random seed.
#[derive(Debug, Clone, Copy)]
pub(super) struct FoldState(u64);

impl Default for FoldState {
    fn default() -> Self {
        FoldState(RandomState::new().hash_one(0x5eed_u64))
    }
}

impl BuildHasher for FoldState {
    type Hasher = FoldHasher;
    fn build_hasher(&self) -> FoldHasher {
        FoldHasher(self.0)
    }
}
