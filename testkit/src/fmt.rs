//! What the formatter (`changegate::api::format`) must keep, checked from
//! the outside: the property tests (`tests/fmt.rs`) and the fuzz target
//! (`fuzz/fuzz_targets/fmt.rs`) both call [`check`].
//!
//! The comparisons do not use the formatter's own reading of the text: the
//! items are compared as the parser reads them, without their places, and
//! the comments by a small lexer of their own (docs/language.md, *Files,
//! comments and names*: `#` to the end of the line, outside strings).

use changegate::Limits;
use changegate::Source;
use changegate::api;
use changegate::internals;

/// The items of `text` as the parser reads them, without spans: two texts
/// that differ only in layout give the same string. `None` when it has
/// syntax errors.
pub fn shape(text: &str) -> Option<String> {
    let items = internals::parse(text, &Limits::default()).ok()?;
    Some(without_spans(&format!("{items:?}")))
}

/// `Span { file: 0, start: 3, end: 7 }` becomes `Span`.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { ") {
        out.push_str(rest.get(..at + 4).unwrap_or_default());
        let span = rest.get(at..).unwrap_or_default();
        rest = span
            .find('}')
            .and_then(|end| span.get(end + 1..))
            .unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// A comment as the lexer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// From `#` to the end of the line, trailing blanks removed.
    pub text: String,
    /// How many characters other than blanks and comments come before it:
    /// the same number means the same place among the tokens.
    pub after: usize,
    /// Whether a token stands before it on its line.
    pub trailing: bool,
}

/// Every comment of `text`, in order, with its place among the tokens.
pub fn comments(text: &str) -> Vec<Seen> {
    lex(text).1
}

/// The characters of `text` that are neither blanks nor in comments (inside
/// strings too): what a change of layout alone keeps.
pub fn significant(text: &str) -> String {
    lex(text).0
}

fn lex(text: &str) -> (String, Vec<Seen>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut kept = String::new();
    let mut count = 0;
    let mut seen = Vec::new();
    let mut on_line = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => on_line = false,
            c if c.is_whitespace() => {}
            '#' => {
                let mut comment = String::from('#');
                while let Some(&n) = chars.peek() {
                    if n == '\n' {
                        break;
                    }
                    comment.push(n);
                    chars.next();
                }
                seen.push(Seen {
                    text: comment.trim_end().to_owned(),
                    after: count,
                    trailing: on_line,
                });
            }
            '"' => {
                kept.push(c);
                count += 1;
                on_line = true;
                while let Some(n) = chars.next() {
                    if !n.is_whitespace() {
                        kept.push(n);
                        count += 1;
                    }
                    match n {
                        '"' | '\n' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                kept.push(e);
                                count += 1;
                            }
                        }
                        _ => {}
                    }
                }
            }
            c => {
                kept.push(c);
                count += 1;
                on_line = true;
            }
        }
    }
    (kept, seen)
}

/// Formats `text` and checks what the formatter promises: a text that
/// parses formats (one that does not is refused), the result parses to the
/// same items, keeps every token and every comment at its place among them
/// (at the end of a line or on its own line, as before), and formatting it
/// again changes nothing. The error says what broke.
pub fn check(text: &str) -> Result<(), String> {
    let source = Source {
        name: "fuzz.gate".to_owned(),
        text: text.to_owned(),
    };
    let before = shape(text);
    let formatted = api::format(&source);
    let (before, out) = match (before, formatted) {
        (None, Err(_)) => return Ok(()),
        (None, Ok(_)) => return Err("a file with syntax errors was formatted".to_owned()),
        (Some(_), Err(e)) => return Err(format!("a file that parses was refused: {e}")),
        (Some(before), Ok(out)) => (before, out),
    };
    let shown = || format!("\n--- input\n{text}\n--- formatted\n{out}");
    match shape(&out) {
        None => return Err(format!("the formatted text does not parse{}", shown())),
        Some(after) if after != before => {
            return Err(format!("the items changed{}", shown()));
        }
        Some(_) => {}
    }
    if significant(text) != significant(&out) {
        return Err(format!("the tokens changed{}", shown()));
    }
    let (was, is) = (comments(text), comments(&out));
    if was != is {
        return Err(format!(
            "the comments changed: {was:?}\nbecame {is:?}{}",
            shown()
        ));
    }
    let again = api::format(&Source {
        name: source.name,
        text: out.clone(),
    })
    .map_err(|e| format!("the formatted text was refused: {e}{}", shown()))?;
    if again != out {
        return Err(format!(
            "formatting twice changed it again:\n{again}{}",
            shown()
        ));
    }
    Ok(())
}

/// `text` with its layout scrambled by `choices` (read in turn, over and
/// over): each run of blanks becomes other blanks, line breaks or comments,
/// and blanks or comments are put after brackets and commas. The tokens
/// stay the same, so the text parses as before (a comment never splits
/// `not in`, whose words only blanks may separate).
pub fn scramble(text: &str, choices: &[u8]) -> String {
    const GAPS: [&str; 8] = [
        " ",
        "\n",
        "\n\n\n   ",
        " # c\n",
        "\n  # c\n\n",
        "\t\r\n  ",
        "  # c\n  # d\n",
        "",
    ];
    let mut next = 0usize;
    let mut pick = |may_be_empty: bool, comment_ok: bool| -> &'static str {
        let c = choices
            .get(next % choices.len().max(1))
            .copied()
            .unwrap_or(0);
        next += 1;
        let gap = GAPS
            .get(usize::from(c) % GAPS.len())
            .copied()
            .unwrap_or(" ");
        match gap {
            "" if !may_be_empty => " ",
            g if !comment_ok && g.contains('#') => "\n ",
            g => g,
        }
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push(c);
                while let Some(n) = chars.next() {
                    out.push(n);
                    match n {
                        '"' | '\n' => break,
                        '\\' => out.extend(chars.next()),
                        _ => {}
                    }
                }
            }
            '#' => {
                // The comment and its line break, as they are.
                out.push(c);
                for n in chars.by_ref() {
                    out.push(n);
                    if n == '\n' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => {
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                let rest: String = chars.clone().take(3).collect();
                let not_in = out.ends_with("not")
                    && rest.starts_with("in")
                    && !rest
                        .get(2..)
                        .is_some_and(|r| r.starts_with(|n: char| n.is_alphanumeric() || n == '_'));
                out.push_str(pick(false, !not_in));
            }
            '(' | ')' | '[' | ']' | ',' | '{' | '}' => {
                out.push(c);
                if chars.peek().is_some_and(|n| !n.is_whitespace()) {
                    out.push_str(pick(true, true));
                }
            }
            c => out.push(c),
        }
    }
    out
}
