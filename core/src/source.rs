//! Policy sources, spans and diagnostics.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A policy file: its name (as shown in diagnostics and `fired`) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name shown in diagnostics and in the decision's `fired` list.
    pub name: String,
    /// The UTF-8 text.
    pub text: String,
}

/// The index of a file in a policy set.
pub(crate) type FileId = u32;

/// A byte range in one policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Which file of the policy set.
    pub(crate) file: FileId,
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset just past the last character.
    pub end: u32,
}

impl Span {
    pub(crate) fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }
}

/// One problem found in a policy, with its place and, where one helps, advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Diagnostic {
    /// The file's name.
    pub file: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column (in characters) of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column (in characters) just past the end.
    pub end_column: u32,
    /// What is wrong: what was expected and what was found.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// Byte range in the file, for editors and renderers.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) range: (u32, u32),
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// Every problem found in a policy set, with the sources to render them.
#[derive(Debug, Clone)]
pub struct PolicyError {
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) sources: SourceMap,
}

impl PolicyError {
    /// The problems, in file order, then by position.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// A report of every problem with its source line and a caret, as a
    /// compiler prints it; with ANSI colors if `color`.
    pub fn render(&self, color: bool) -> String {
        use ariadne::{Config, IndexType, Label, Report, ReportKind};
        let mut out = Vec::new();
        let files: Vec<(String, String)> = self
            .sources
            .files
            .iter()
            .map(|(s, _)| (s.name.clone(), s.text.clone()))
            .collect();
        // One cache for every diagnostic: building it indexes the lines of
        // every file, and once per diagnostic made a report of n errors take
        // time in n times the file's size (16,000 errors: 15 s; now 0.1 s).
        let mut cache = ariadne::sources(files.iter().map(|(n, t)| (n.clone(), t.as_str())));
        for d in &self.diagnostics {
            let range = d.range.0 as usize..d.range.1 as usize;
            let mut report = Report::build(ReportKind::Error, (d.file.clone(), range.clone()))
                .with_config(
                    Config::default()
                        .with_color(color)
                        .with_index_type(IndexType::Byte),
                )
                .with_message(&d.message)
                .with_label(Label::new((d.file.clone(), range)).with_message(&d.message));
            if let Some(help) = &d.help {
                report = report.with_help(help);
            }
            if report.finish().write(&mut cache, &mut out).is_err() {
                out.extend_from_slice(format!("{d}\n").as_bytes());
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.diagnostics.len();
        write!(
            f,
            "{n} error{} in the policy",
            if n == 1 { "" } else { "s" }
        )?;
        for d in &self.diagnostics {
            write!(f, "\n{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

/// Line starts of a text, to turn byte offsets into lines and columns.
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and character column of a byte offset.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (to_u32(line), to_u32(col + 1))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The files of a policy set, shared by the compiled policy and its errors.
#[derive(Debug, Clone)]
pub(crate) struct SourceMap {
    pub(crate) files: Arc<[(Source, LineIndex)]>,
}

impl SourceMap {
    pub(crate) fn new(sources: Vec<Source>) -> SourceMap {
        SourceMap {
            files: sources
                .into_iter()
                .map(|s| {
                    let idx = LineIndex::new(&s.text);
                    (s, idx)
                })
                .collect(),
        }
    }

    pub(crate) fn name(&self, file: FileId) -> &str {
        self.files
            .get(file as usize)
            .map_or("<unknown>", |(s, _)| s.name.as_str())
    }

    pub(crate) fn line(&self, span: Span) -> u32 {
        self.files
            .get(span.file as usize)
            .map_or(0, |(s, idx)| idx.line_col(&s.text, span.start as usize).0)
    }

    /// A diagnostic at `span`.
    pub(crate) fn diagnostic(
        &self,
        span: Span,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        let (file, (line, column), (end_line, end_column)) =
            match self.files.get(span.file as usize) {
                Some((s, idx)) => (
                    s.name.clone(),
                    idx.line_col(&s.text, span.start as usize),
                    idx.line_col(&s.text, span.end as usize),
                ),
                None => (String::new(), (1, 1), (1, 1)),
            };
        Diagnostic {
            file,
            line,
            column,
            end_line,
            end_column,
            message: message.into(),
            help,
            range: (span.start, span.end),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        assert_eq!(idx.line_col(text, 5), (2, 2)); // after the two-byte ç
        assert_eq!(idx.line_col(text, 8), (4, 1));
        assert_eq!(idx.line_col(text, 99), (4, 2));
    }
}
