//! Suppressions: a comment `# changegate: allow(name, other)` allows those
//! lints on its own line and, when it stands alone on its line, on the
//! next one; before the first item of a file
//! it allows them in the whole file. A name that is no lint is itself a
//! finding (`unknown-lint`).

use std::collections::{HashMap, HashSet};

use super::{Lint, Raw};
use crate::compile::Checked;
use crate::source::{FileId, SourceMap, Span};

/// The lints each file allows, everywhere or by line.
#[derive(Default)]
pub(super) struct Allows {
    files: HashMap<FileId, HashSet<Lint>>,
    lines: HashMap<(FileId, u32), HashSet<Lint>>,
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
                    let Some(lint) = Lint::from_name(&name) else {
                        out.push(unknown(&name, Span::new(file, start, end)));
                        continue;
                    };
                    if whole {
                        allows.files.entry(file).or_default().insert(lint);
                    } else {
                        let next = if c.alone { 1 } else { 0 };
                        for l in c.line..=c.line.saturating_add(next) {
                            allows.lines.entry((file, l)).or_default().insert(lint);
                        }
                    }
                }
            }
        }
        allows
    }

    /// Whether a finding of `lint` at `span` is allowed.
    pub(super) fn allowed(&self, lint: Lint, span: Span, map: &SourceMap) -> bool {
        self.files
            .get(&span.file)
            .is_some_and(|s| s.contains(&lint))
            || self
                .lines
                .get(&(span.file, map.line(span)))
                .is_some_and(|s| s.contains(&lint))
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
