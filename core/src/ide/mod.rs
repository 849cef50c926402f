//! Editor queries over a policy set, for the language server, the
//! playground and any binding: diagnostics, hover, go to definition, find
//! references, completion, formatting and the fix that allows a lint.
//!
//! Positions are byte offsets into one file's text, the file named by its
//! index in the set ([`Place`]); a front end converts them to what its
//! editor counts (the language server to UTF-16 code units). Every query
//! works on a set whose files do not parse: the items that parse are
//! indexed, so an editor keeps navigating while its author types.
//!
//! `symbols.rs` indexes names (definitions and uses), `definition.rs` and
//! `references.rs` navigate them, `hover.rs` describes them (with
//! `describe.rs` for rules, `occur.rs` for the next dates of windows and
//! `fields.rs` for paths),
//! `complete.rs` completes, `diagnose.rs` gathers compile errors and lint
//! findings, `fix.rs` writes edits, `words.rs` reads the text around an
//! offset and documents the keywords.

mod complete;
mod definition;
mod describe;
mod diagnose;
mod fields;
mod fix;
mod hover;
mod occur;
mod references;
mod symbols;
#[cfg(test)]
mod tests;
mod words;

use crate::ast::Item;
use crate::limits::Limits;
use crate::source::Source;

pub use complete::{Completion, CompletionKind};
pub use diagnose::{IdeDiagnostic, IdeSeverity};
pub use fix::{Edit, Fix};
pub use hover::Hover;
pub use symbols::SymbolKind;

/// A byte range in one file of a [`Workspace`]: `file` is the file's index
/// in the sources it was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// The file's index in the workspace's sources.
    pub file: usize,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// A policy set as an editor sees it: its files, each parsed as far as it
/// parses, and the names they define and use. Build one per version of the
/// files; every query borrows it.
#[derive(Debug)]
pub struct Workspace {
    sources: Vec<Source>,
    /// The items of each file that parsed, by file index.
    items: Vec<Vec<Item>>,
    index: symbols::Index,
    limits: Limits,
}

impl Workspace {
    /// Parses every file of the set (a file with syntax errors gives the
    /// items that parse).
    pub fn new(sources: Vec<Source>, limits: &Limits) -> Workspace {
        let items: Vec<Vec<Item>> = sources
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let id = u32::try_from(i).unwrap_or(u32::MAX);
                crate::parse::parse_file(id, &s.text, limits).0
            })
            .collect();
        let index = symbols::Index::new(&items);
        Workspace {
            sources,
            items,
            index,
            limits: limits.clone(),
        }
    }

    /// The files, in the order given.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The text of file `file` (empty for an index out of range).
    pub(crate) fn text(&self, file: usize) -> &str {
        self.sources.get(file).map_or("", |s| s.text.as_str())
    }
}
