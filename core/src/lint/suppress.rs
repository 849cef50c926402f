//! Suppressions: a comment `# changegate: allow(name, other)` allows those
//! lints on its own line and, when it stands alone on its line, on the
//! next one; before the first item of a file
//! it allows them in the whole file. A name that is no lint is itself a
//! finding (`unknown-lint`).

use std::cell::Cell;
use std::collections::HashMap;

use super::{Lint, Raw};
use crate::compile::Checked;
use crate::source::{FileId, SourceMap, Span};

/// The allow comments of a policy set, each name an entry that remembers
/// whether it allowed a finding (for `unused-allow`).
#[derive(Default)]
pub(super) struct Allows {
    entries: Vec<Entry>,
}

/// One lint named in one allow comment.
struct Entry {
    lint: Lint,
    file: FileId,
    /// The lines it covers; `None` for the whole file.
    lines: Option<(u32, u32)>,
    /// The name in the comment.
    span: Span,
    used: Cell<bool>,
}

/// One allow comment: its 1-based line and the names with their byte
/// ranges in the file.
pub(super) struct Comment {
    pub(super) line: u32,
    /// Alone on its line (not after code): it then also covers the next
    /// line.
    pub(super) alone: bool,
    pub(super) names: Vec<(String, usize, usize)>,
}

impl Allows {
    /// Reads the allow comments of every file; unknown names are pushed to
    /// `out` as `unknown-lint` findings.
    pub(super) fn read(checked: &Checked<'_>, map: &SourceMap, out: &mut Vec<Raw>) -> Allows {
        let mut first: HashMap<FileId, u32> = HashMap::new();
        let starts = checked
            .windows
            .iter()
            .map(|(w, _)| w.name.span)
            .chain(checked.lets.iter().map(|l| l.name.span))
            .chain(checked.rules.iter().map(|r| r.name.span));
        for span in starts {
            let line = map.line(span);
            let e = first.entry(span.file).or_insert(line);
            *e = (*e).min(line);
        }
        let mut allows = Allows::default();
        for (i, (src, _)) in map.files.iter().enumerate() {
            let file = FileId::try_from(i).unwrap_or(FileId::MAX);
            for c in comments(&src.text) {
                let whole = first.get(&file).is_none_or(|&f| c.line < f);
                for (name, start, end) in c.names {
                    let span = Span::new(file, start, end);
                    let Some(lint) = Lint::from_name(&name) else {
                        out.push(unknown(&name, span));
                        continue;
                    };
                    let next = if c.alone { 1 } else { 0 };
                    allows.entries.push(Entry {
                        lint,
                        file,
                        lines: (!whole).then(|| (c.line, c.line.saturating_add(next))),
                        span,
                        used: Cell::new(false),
                    });
                }
            }
        }
        allows
    }

    /// Whether a finding of `lint` at `span` is allowed; each comment that
    /// allows it is marked used.
    pub(super) fn allowed(&self, lint: Lint, span: Span, map: &SourceMap) -> bool {
        let line = map.line(span);
        let mut allowed = false;
        for e in &self.entries {
            let covers =
                e.file == span.file && e.lines.is_none_or(|(from, to)| (from..=to).contains(&line));
            if e.lint == lint && covers {
                e.used.set(true);
                allowed = true;
            }
        }
        allowed
    }

    /// An `unused-allow` finding for each name that allowed nothing, among
    /// the lints that ran (`ran`): an allow for a lint that did not run
    /// (the window lints without an instant, the graph's lints without a
    /// graph, a lint set to `off`) may be needed when it does.
    pub(super) fn unused(&self, ran: impl Fn(Lint) -> bool) -> Vec<Raw> {
        self.entries
            .iter()
            .filter(|e| !e.used.get() && e.lint != Lint::UnusedAllow && ran(e.lint))
            .map(|e| {
                let place = if e.lines.is_none() {
                    "in this file"
                } else {
                    "here"
                };
                Raw {
                    lint: Lint::UnusedAllow,
                    span: e.span,
                    message: format!(
                        "`{}` finds nothing {place}, so this allow comment allows nothing",
                        e.lint.name()
                    ),
                    help: Some(
                        "remove the name from the comment (or the comment), so that a later \
                         finding here is not hidden"
                            .to_owned(),
                    ),
                }
            })
            .collect()
    }
}

fn unknown(name: &str, span: Span) -> Raw {
    let known: Vec<String> = Lint::ALL
        .iter()
        .map(|l| format!("`{}`", l.name()))
        .collect();
    Raw {
        lint: Lint::UnknownLint,
        span,
        message: format!("`{name}` is not a lint, so allowing it allows nothing"),
        help: Some(format!("the lints are {}", known.join(", "))),
    }
}

/// The allow comments of a text, in order.
pub(super) fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some(at) = comment_start(line) {
            if let Some(names) = allow_names(line, at) {
                out.push(Comment {
                    line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                    alone: line.get(..at).is_some_and(|b| b.trim().is_empty()),
                    names: names
                        .into_iter()
                        .map(|(n, s, e)| (n, offset + s, offset + e))
                        .collect(),
                });
            }
        }
        offset += line.len();
    }
    out
}

/// The byte offset of the `#` that starts a comment on `line`, outside
/// strings.
fn comment_start(line: &str) -> Option<usize> {
    crate::parse::lexical::scan_line(line).0
}

/// The names of `changegate: allow(a, b)` in the comment starting at `at`,
/// with their byte ranges in `line`; `None` when it is another comment.
fn allow_names(line: &str, at: usize) -> Option<Vec<(String, usize, usize)>> {
    let body = line.get(at + 1..)?.trim_start();
    let body = body.strip_prefix("changegate:")?.trim_start();
    let body = body.strip_prefix("allow")?.trim_start();
    let body = body.strip_prefix('(')?;
    let close = body.find(')')?;
    let list = body.get(..close)?;
    let base = line.len() - body.len();
    let mut names = Vec::new();
    let mut pos = 0;
    for part in list.split(',') {
        let lead = part.len() - part.trim_start().len();
        let name = part.trim();
        if !name.is_empty() {
            let start = base + pos + lead;
            names.push((name.to_owned(), start, start + name.len()));
        }
        pos += part.len() + 1;
    }
    Some(names)
}
