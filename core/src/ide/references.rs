//! Find references: every place that names the same window, `let` or rule
//! as the name at an offset, across the files of the set.

use super::{Place, Workspace};

impl Workspace {
    /// The uses of the name at `offset` of `file`, in file and source
    /// order, with its definition first when `with_definition`. Empty off a
    /// name. A name no file defines still finds its uses.
    pub fn references(&self, file: usize, offset: usize, with_definition: bool) -> Vec<Place> {
        let Some(hit) = self.index.at(file, offset) else {
            return Vec::new();
        };
        let (name, def) = self.index.resolve(hit);
        let mut out: Vec<Place> = Vec::new();
        if with_definition {
            out.extend(def.map(|d| d.place));
        }
        let mut uses: Vec<Place> = self
            .index
            .uses
            .iter()
            .filter(|u| u.name == name)
            .map(|u| u.place)
            .collect();
        uses.sort();
        out.extend(uses);
        out
    }
}
