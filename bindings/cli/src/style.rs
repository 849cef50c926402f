//! Colors and output streams.
//!
//! Renderers always produce ANSI-styled text; the output streams
//! ([`anstream::AutoStream`]) strip the escape codes unless colors are wanted
//! (`--color`, `NO_COLOR`, `CLICOLOR_FORCE`, whether the stream is a terminal).

use std::io::{self, Write};

use anstream::AutoStream;
use anstyle::{AnsiColor, Color, Style};

use crate::args::ColorWhen;

/// The user's color choice (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ColorChoice(anstream::ColorChoice);

impl From<ColorWhen> for ColorChoice {
    fn from(w: ColorWhen) -> ColorChoice {
        ColorChoice(match w {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        })
    }
}

impl ColorChoice {
    /// Whether text written to stdout will be colored.
    pub(crate) fn stdout_colored(self) -> bool {
        AutoStream::new(io::stdout(), self.0).current_choice() != anstream::ColorChoice::Never
    }

    /// Whether text written to stderr will be colored.
    pub(crate) fn stderr_colored(self) -> bool {
        AutoStream::new(io::stderr(), self.0).current_choice() != anstream::ColorChoice::Never
    }
}

/// Writes styled text to stdout, colored or not as `choice` says.
pub(crate) fn print(choice: ColorChoice, text: &str) -> io::Result<()> {
    let mut out = AutoStream::new(io::stdout(), choice.0).lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes bytes to stdout as they are (JSON).
pub(crate) fn print_raw(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Writes styled text to stderr, colored or not as `choice` says.
pub(crate) fn eprint(choice: ColorChoice, text: &str) {
    let mut err = AutoStream::new(io::stderr(), choice.0).lock();
    // Nothing sensible is left to do when stderr itself is gone.
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Writes text to stderr as it is (JSON, or text that holds no styles).
pub(crate) fn eprint_plain(text: &str) {
    let mut err = io::stderr().lock();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// `text` in `style`.
pub(crate) fn paint(style: Style, text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    format!("{}{text}{}", style.render(), style.render_reset())
}

fn fg(c: AnsiColor) -> Style {
    Style::new().fg_color(Some(Color::Ansi(c)))
}

/// Section headings.
pub(crate) const HEADING: Style = Style::new().bold().underline();
/// Less important text: rule names, paths, notes.
pub(crate) const DIM: Style = Style::new().dimmed();
/// Emphasis.
pub(crate) const BOLD: Style = Style::new().bold();

/// A met requirement.
pub(crate) fn good() -> Style {
    fg(AnsiColor::Green)
}

/// An unmet requirement or a block.
pub(crate) fn bad() -> Style {
    fg(AnsiColor::Red)
}

/// Something to look at, not a failure.
pub(crate) fn warn() -> Style {
    fg(AnsiColor::Yellow)
}

/// The `help:` label.
pub(crate) fn help() -> Style {
    fg(AnsiColor::Cyan).bold()
}

/// The `error:` label.
pub(crate) fn error() -> Style {
    fg(AnsiColor::Red).bold()
}

/// The outcome banner: black on the outcome's color.
pub(crate) fn banner(c: AnsiColor) -> Style {
    Style::new()
        .bold()
        .fg_color(Some(Color::Ansi(AnsiColor::Black)))
        .bg_color(Some(Color::Ansi(c)))
}
