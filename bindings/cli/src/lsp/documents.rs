//! The open documents and the policy set of each: the document and every
//! other `*.gate` file of its folder (not below it), sorted by file name,
//! each with the editor's text where it is open and the file's text on
//! disk otherwise. A document that is no `file:` URI (an unsaved buffer) is
//! a set on its own.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use changegate::api::ide::Workspace;
use changegate::{Limits, Source};
use lsp_types::Uri;

use super::convert;

/// An open document: the editor's text.
pub(super) struct Doc {
    pub(super) uri: Uri,
    pub(super) path: Option<PathBuf>,
    pub(super) text: String,
}

/// The open documents, by URI.
#[derive(Default)]
pub(super) struct Docs {
    open: BTreeMap<String, Doc>,
}

/// A policy set built for one document: the workspace, the URI and text of
/// each of its files (by index), and the document's index.
pub(super) struct Set {
    pub(super) workspace: Workspace,
    pub(super) uris: Vec<Uri>,
    pub(super) file: usize,
}

impl Set {
    /// The text of file `i`.
    pub(super) fn text(&self, i: usize) -> &str {
        self.workspace
            .sources()
            .get(i)
            .map_or("", |s| s.text.as_str())
    }
}

impl Docs {
    pub(super) fn open(&mut self, uri: Uri, text: String) {
        let path = convert::path_of(&uri);
        self.open
            .insert(uri.as_str().to_owned(), Doc { uri, path, text });
    }

    /// Replaces an open document's text; a document not open is opened.
    pub(super) fn change(&mut self, uri: Uri, text: String) {
        self.open(uri, text);
    }

    pub(super) fn close(&mut self, uri: &Uri) {
        self.open.remove(uri.as_str());
    }

    /// The open documents of the folder of `uri` (itself included when
    /// open), in URI order.
    pub(super) fn neighbours(&self, uri: &Uri) -> Vec<Uri> {
        let dir = convert::path_of(uri).and_then(|p| p.parent().map(Path::to_path_buf));
        self.open
            .values()
            .filter(|d| match (&dir, &d.path) {
                (Some(dir), Some(p)) => p.parent() == Some(dir.as_path()),
                _ => d.uri == *uri,
            })
            .map(|d| d.uri.clone())
            .collect()
    }

    /// The policy set of `uri`; an error (for the client) when the
    /// document is neither open nor a file that can be read.
    pub(super) fn set(&self, uri: &Uri, limits: &Limits) -> Result<Set, String> {
        let path = convert::path_of(uri);
        let own = self.open.get(uri.as_str()).map(|d| d.text.clone());
        let Some(path) = path else {
            let text = own.ok_or_else(|| format!("`{}` is not open", uri.as_str()))?;
            let name = uri
                .as_str()
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("policy")
                .to_owned();
            return Ok(Set {
                workspace: Workspace::new(vec![Source { name, text }], limits),
                uris: vec![uri.clone()],
                file: 0,
            });
        };
        let own = match own {
            Some(t) => t,
            None => read(&path).ok_or_else(|| {
                format!(
                    "`{}` is not open and cannot be read as UTF-8 text",
                    uri.as_str()
                )
            })?,
        };
        let mut files: BTreeMap<String, (Uri, String)> = BTreeMap::new();
        if let Some(dir) = path.parent() {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = entry.path();
                if p == path || p.extension().is_none_or(|e| e != "gate") || !p.is_file() {
                    continue;
                }
                let Some(name) = file_name(&p) else { continue };
                let open = self.open.values().find(|d| d.path.as_deref() == Some(&p));
                let (u, text) = match open {
                    Some(d) => (d.uri.clone(), d.text.clone()),
                    None => match (convert::uri_of(&p), read(&p)) {
                        (Some(u), Some(t)) => (u, t),
                        _ => continue,
                    },
                };
                files.insert(name, (u, text));
            }
        }
        let own_name = file_name(&path).unwrap_or_else(|| "policy.gate".to_owned());
        files.insert(own_name.clone(), (uri.clone(), own));
        let file = files.keys().position(|k| *k == own_name).unwrap_or(0);
        let (sources, uris) = files
            .into_iter()
            .map(|(name, (u, text))| (Source { name, text }, u))
            .unzip();
        Ok(Set {
            workspace: Workspace::new(sources, limits),
            uris,
            file,
        })
    }
}

fn file_name(p: &Path) -> Option<String> {
    p.file_name()?.to_str().map(str::to_owned)
}

/// A file's text, without a leading byte order mark; `None` when it cannot
/// be read or is not UTF-8.
fn read(p: &Path) -> Option<String> {
    let text = std::fs::read_to_string(p).ok()?;
    Some(
        text.strip_prefix('\u{feff}')
            .map(str::to_owned)
            .unwrap_or(text),
    )
}
