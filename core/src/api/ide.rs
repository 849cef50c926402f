//! Editor queries over a policy set (diagnostics, hover, definition,
//! references, completion, formatting, the fix that allows a lint), for
//! the language server (`changegate lsp`), the playground and any binding.
//! Build a [`Workspace`] from the files of a set, then ask it; positions
//! are byte offsets into a file's text, the file named by its index in the
//! set ([`Place`]).

pub use crate::ide::{
    Completion, CompletionKind, Edit, Fix, Hover, IdeDiagnostic, IdeSeverity, Place, SymbolKind,
    Workspace,
};
