//! Edits: the whole file in the canonical layout (`changegate fmt`), and
//! the fix that allows a lint finding with a comment `# changegate:
//! allow(name)` on its own line above the finding (such a comment also
//! covers the next line; docs/language.md, *The command line*).

use crate::lint::LintOptions;

use super::{Place, Workspace};
use crate::source::Source;

/// Replace the bytes `place` of its file with `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced (empty to insert).
    pub place: Place,
    /// What replaces them.
    pub new_text: String,
}

/// A named edit an editor offers as a quick fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, for the menu.
    pub title: String,
    /// The lint it allows.
    pub lint: String,
    /// The edit.
    pub edit: Edit,
}

impl Workspace {
    /// File `file` in the canonical layout, as one edit of the whole text
    /// (which changes nothing when it is already so); `None` when it has
    /// syntax errors (they are the diagnostics).
    pub fn format(&self, file: usize) -> Option<Edit> {
        let source: &Source = self.sources.get(file)?;
        let formatted = crate::api::format_with_limits(source, &self.limits).ok()?;
        Some(Edit {
            place: Place {
                file,
                start: 0,
                end: source.text.len(),
            },
            new_text: formatted,
        })
    }

    /// The fixes for the lint findings of `file` (with `lint`'s options) that overlap
    /// the bytes `start..end` (a cursor, `start == end`, touching one
    /// counts): one per finding, which inserts an allow comment above its
    /// first line, indented as that line.
    pub fn fixes(&self, file: usize, start: usize, end: usize, lint: &LintOptions<'_>) -> Vec<Fix> {
        let text = self.text(file);
        self.diagnostics(file, lint)
            .into_iter()
            .filter(|d| d.place.start <= end && start <= d.place.end)
            .filter_map(|d| {
                let lint = d.lint?;
                if lint == "unused-allow" {
                    return unused_allow_fix(text, file, d.place.start, d.place.end, lint);
                }
                let line_start = text.get(..d.place.start)?.rfind('\n').map_or(0, |i| i + 1);
                let indent: String = text
                    .get(line_start..)?
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                Some(Fix {
                    title: format!("Allow `{lint}` here"),
                    edit: Edit {
                        place: Place {
                            file,
                            start: line_start,
                            end: line_start,
                        },
                        new_text: format!("{indent}# changegate: allow({lint})\n"),
                    },
                    lint,
                })
            })
            .collect()
    }
}

/// The fix of an `unused-allow` finding (the lint's name at `start..end` in
/// an allow comment): remove the name, with its comma; or, when it is the
/// comment's only name, the comment (and its line when it stands alone).
fn unused_allow_fix(
    text: &str,
    file: usize,
    start: usize,
    end: usize,
    lint: String,
) -> Option<Fix> {
    let name = text.get(start..end)?.to_owned();
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let line_end = text
        .get(start..)?
        .find('\n')
        .map_or(text.len(), |i| start + i);
    let open = text.get(line_start..start)?.rfind('(')? + line_start;
    let close = text.get(end..line_end)?.find(')')? + end;
    let inside = text.get(open + 1..close)?;
    let (cut_start, cut_end) = if inside.split(',').filter(|n| !n.trim().is_empty()).count() <= 1 {
        // The whole comment: from its `#`, with the spaces before it.
        let hash = text.get(line_start..start)?.rfind('#')? + line_start;
        let before = text.get(line_start..hash)?;
        if before.trim().is_empty() {
            let next = if line_end < text.len() {
                line_end + 1
            } else {
                line_end
            };
            (line_start, next)
        } else {
            (line_start + before.trim_end().len(), line_end)
        }
    } else if let Some(comma) = text.get(end..close)?.find(',') {
        // `a, b`: the name, its comma and the spaces up to the next name.
        let after = text.get(end + comma + 1..close)?;
        let spaces = after.len() - after.trim_start().len();
        (start, end + comma + 1 + spaces)
    } else {
        // The last name: the comma and spaces before it too.
        let before = text.get(open + 1..start)?;
        let comma = before.rfind(',')? + open + 1;
        (comma, end)
    };
    Some(Fix {
        title: format!("Remove `{name}` from the allow comment"),
        edit: Edit {
            place: Place {
                file,
                start: cut_start,
                end: cut_end,
            },
            new_text: String::new(),
        },
        lint,
    })
}
