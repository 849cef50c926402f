//! Positions and addresses: the protocol counts a line's characters in
//! UTF-16 code units, the engine in bytes; documents are `file:` URIs, the
//! engine reads paths.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// The byte offset of `pos` in `text`. A line past the end is the end of
/// the text; a character past the end of its line is the end of the line;
/// a position inside a character (between the halves of a surrogate pair)
/// is the start of that character.
pub(super) fn offset(text: &str, pos: Position) -> usize {
    let mut line_start = 0;
    for _ in 0..pos.line {
        match text.get(line_start..).and_then(|t| t.find('\n')) {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
    let line = text.get(line_start..).unwrap_or("");
    let line = line.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut units = 0u32;
    for (i, c) in line.char_indices() {
        let next = units.saturating_add(u32::try_from(c.len_utf16()).unwrap_or(2));
        if next > pos.character {
            return line_start + i;
        }
        units = next;
    }
    line_start + line.len()
}

/// The position of the byte `offset` of `text` (clamped to the text, and
/// back to the start of the character it falls in).
pub(super) fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = text.get(..offset).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count();
    let character: usize = before
        .get(line_start..)
        .unwrap_or("")
        .chars()
        .map(char::len_utf16)
        .sum();
    Position {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        character: u32::try_from(character).unwrap_or(u32::MAX),
    }
}

/// The range of the bytes `start..end` of `text`.
pub(super) fn range(text: &str, start: usize, end: usize) -> Range {
    Range {
        start: position(text, start),
        end: position(text, end),
    }
}

/// The path of a `file:` URI (`file:///p` or `file://localhost/p`),
/// percent-decoded; `None` for another scheme or a path that is not UTF-8.
pub(super) fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|&h| (h as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file:` URI of an absolute path, percent-encoding every byte but
/// the unreserved ones and `/`.
pub(super) fn uri_of(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for b in path.to_str()?.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests fail loudly on purpose")]

    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn utf16_columns_round_trip_around_non_bmp_characters() {
        // `😀` is 4 bytes and 2 UTF-16 units; `é` 2 bytes and 1 unit.
        let text = "a😀b\r\né x\nlast";
        assert_eq!(offset(text, pos(0, 0)), 0);
        assert_eq!(offset(text, pos(0, 1)), 1);
        assert_eq!(offset(text, pos(0, 2)), 1, "inside the pair: its start");
        assert_eq!(offset(text, pos(0, 3)), 5);
        assert_eq!(offset(text, pos(0, 99)), 6, "past the line: before \\r\\n");
        assert_eq!(offset(text, pos(1, 2)), 11);
        assert_eq!(offset(text, pos(9, 0)), text.len());
        for (o, p) in [
            (0, pos(0, 0)),
            (5, pos(0, 3)),
            (8, pos(1, 0)),
            (11, pos(1, 2)),
            (13, pos(2, 0)),
        ] {
            assert_eq!(position(text, o), p, "offset {o}");
            assert_eq!(offset(text, p), o);
        }
        assert_eq!(
            position(text, 3),
            pos(0, 1),
            "inside the character: its start"
        );
        assert_eq!(position(text, 999), pos(2, 4));
    }

    #[test]
    fn file_uris_and_paths() {
        let uri: Uri = "file:///tmp/a%20b/%C3%A9.gate".parse().unwrap();
        assert_eq!(path_of(&uri).unwrap(), PathBuf::from("/tmp/a b/é.gate"));
        assert_eq!(
            uri_of(Path::new("/tmp/a b/é.gate")).unwrap().as_str(),
            "file:///tmp/a%20b/%C3%A9.gate"
        );
        let other: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&other), None);
    }
}
