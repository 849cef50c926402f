//! Go to definition: from a window, `let` or rule name (where it is
//! defined or used) to the name in its definition.

use super::{Place, Workspace};

impl Workspace {
    /// Where the name at `offset` of `file` is defined; `None` off a name,
    /// or for a name no file defines.
    pub fn definition(&self, file: usize, offset: usize) -> Option<Place> {
        let hit = self.index.at(file, offset)?;
        self.index.resolve(hit).1.map(|d| d.place)
    }
}
