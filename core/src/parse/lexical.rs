//! Lexical helpers that work on the raw text: skipping blanks and comments,
//! finding where the next item starts after a syntax error, and naming the
//! token found at an error.

/// The first byte at or after `pos` that is not a blank or in a comment.
pub(super) fn skip_trivia(text: &str, mut pos: usize) -> usize {
    let bytes = text.as_bytes();
    while let Some(&b) = bytes.get(pos) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => {
                while let Some(&c) = bytes.get(pos) {
                    if c == b'\n' {
                        break;
                    }
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// Whether `b` may be part of a name or keyword.
pub(super) fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where the item that starts at `pos` ends at the latest: just after the
/// first `}` outside strings and comments, at the next `window`, `let` or
/// `rule` word (not part of a path such as `change.rule`), or at the end of
/// the text. No item reaches past that point, so the parser is given only
/// this much: pest finds a syntax error's line by scanning its whole input
/// from the end, and with the rest of the file as input a policy of 40,000
/// broken one-line rules took 7 s to compile (fuzz), quadratic in its size.
pub(super) fn item_extent(text: &str, pos: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = pos;
    // The item's own first word.
    while bytes.get(i).is_some_and(|&b| is_ident(b)) {
        i += 1;
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' => {
                            i += 1;
                            break;
                        }
                        b'\n' => break,
                        _ => i += 1,
                    }
                }
            }
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'}' => return i + 1,
            b if is_ident(b) => {
                let start = i;
                while bytes.get(i).is_some_and(|&c| is_ident(c)) {
                    i += 1;
                }
                let in_path = start
                    .checked_sub(1)
                    .and_then(|p| bytes.get(p))
                    .is_some_and(|&p| p == b'.' || p == b'-');
                if !in_path && matches!(text.get(start..i), Some("window" | "let" | "rule")) {
                    return start;
                }
            }
            _ => i += 1,
        }
    }
    text.len()
}

/// The start of the next line at or after `from` whose first word is
/// `window`, `let` or `rule`; the end of the text if there is none.
pub(super) fn next_item_start(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line_start = match text.get(..from).and_then(|s| s.rfind('\n')) {
        Some(i) => i + 1,
        None => 0,
    };
    loop {
        let first = skip_blanks(bytes, line_start);
        if first >= from {
            for kw in ["window", "let", "rule"] {
                let end = first + kw.len();
                if text.get(first..end) == Some(kw) && !bytes.get(end).is_some_and(|&b| is_ident(b))
                {
                    return first;
                }
            }
        }
        match text.get(line_start..).and_then(|s| s.find('\n')) {
            Some(i) => line_start += i + 1,
            None => return text.len(),
        }
    }
}

fn skip_blanks(bytes: &[u8], mut pos: usize) -> usize {
    while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    pos
}

/// The end of the token that starts at `at` (at least one character).
pub(super) fn token_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut end = at;
    while bytes
        .get(end)
        .is_some_and(|&b| is_ident(b) || b == b'.' || b == b'-')
    {
        end += 1;
    }
    if end == at {
        end = text
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(at, |c| at + c.len_utf8());
    }
    end
}

/// How an error message names what was found at `at`.
pub(super) fn describe_token(text: &str, at: usize) -> String {
    if at >= text.len() {
        return "end of file".to_owned();
    }
    let token = text.get(at..token_end(text, at)).unwrap_or("");
    match token {
        "\n" | "\r" => "end of line".to_owned(),
        t if t.chars().count() > 24 => format!("`{}…`", t.chars().take(24).collect::<String>()),
        t => format!("`{t}`"),
    }
}

/// How one line of a policy reads: the byte offset of the `#` that starts
/// its comment (outside strings), and whether it ends inside a string (an
/// unclosed `"`). Strings do not span lines and `\` escapes the next
/// character in them.
pub(crate) fn scan_line(line: &str) -> (Option<usize>, bool) {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
        } else if c == '#' {
            return (Some(i), false);
        }
    }
    (None, in_string)
}
