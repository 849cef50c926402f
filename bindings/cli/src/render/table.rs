//! Left-aligned text tables with styled cells.

use std::fmt::Write as _;

use anstyle::Style;

use crate::style::{DIM, paint};

/// A table cell: plain text (for widths) and a style.
pub(super) struct Cell {
    text: String,
    style: Option<Style>,
}

impl Cell {
    fn paint(&self) -> String {
        match self.style {
            Some(s) => paint(s, &self.text),
            None => self.text.clone(),
        }
    }

    pub(super) fn plain(text: impl AsRef<str>) -> Cell {
        Cell {
            text: text.as_ref().to_owned(),
            style: None,
        }
    }

    pub(super) fn styled(text: impl AsRef<str>, style: Style) -> Cell {
        Cell {
            text: text.as_ref().to_owned(),
            style: Some(style),
        }
    }
}

/// Left-aligned columns, two spaces apart, no trailing spaces.
pub(super) struct Table {
    indent: usize,
    rows: Vec<Row>,
}

enum Row {
    /// Cells, one per column.
    Cells(Vec<Cell>),
    /// A line under the previous row, indented, outside the columns.
    Note(usize, Cell),
}

impl Table {
    pub(super) fn new(indent: usize) -> Table {
        Table {
            indent,
            rows: Vec::new(),
        }
    }

    pub(super) fn header(&mut self, titles: &[&str]) {
        self.rows.push(Row::Cells(
            titles.iter().map(|t| Cell::styled(*t, DIM)).collect(),
        ));
    }

    pub(super) fn row(&mut self, cells: Vec<Cell>) {
        self.rows.push(Row::Cells(cells));
    }

    pub(super) fn note(&mut self, indent: usize, cell: Cell) {
        self.rows.push(Row::Note(indent, cell));
    }

    pub(super) fn render(&self) -> String {
        let mut widths: Vec<usize> = Vec::new();
        for row in &self.rows {
            let Row::Cells(row) = row else { continue };
            for (i, c) in row.iter().enumerate() {
                let w = c.text.chars().count();
                match widths.get_mut(i) {
                    Some(max) => *max = (*max).max(w),
                    None => widths.push(w),
                }
            }
        }
        let mut out = String::new();
        for row in &self.rows {
            let row = match row {
                Row::Cells(cells) => cells,
                Row::Note(indent, c) => {
                    let _ = writeln!(out, "{}{}", " ".repeat(self.indent + indent), c.paint());
                    continue;
                }
            };
            let last = row
                .iter()
                .rposition(|c| !c.text.is_empty())
                .map_or(0, |i| i + 1);
            let mut line = " ".repeat(self.indent);
            for (i, c) in row.iter().take(last).enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(&c.paint());
                if i + 1 < last {
                    let w = widths.get(i).copied().unwrap_or(0);
                    line.push_str(&" ".repeat(w.saturating_sub(c.text.chars().count())));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
