//! A spinner on stderr while an adapter reads records: an import of a large
//! CMDB export (100,000 CIs and 300,000 relationships, 94 MB) takes seconds,
//! and core reads it in one call, so the spinner says what is being read
//! and for how long rather than a percentage.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::args::Format;

/// A spinner that clears itself when dropped; nothing at all unless stderr
/// is a terminal and no machine asked for JSON errors.
pub(crate) struct Spinner(Option<ProgressBar>);

impl Spinner {
    /// Starts a spinner saying `message`, if there is a person to see it:
    /// stderr is a terminal and `--format json` was not given.
    pub(crate) fn start(message: String, format: Option<Format>) -> Spinner {
        if format == Some(Format::Json) || !std::io::stderr().is_terminal() {
            return Spinner(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar.enable_steady_tick(Duration::from_millis(120));
        Spinner(Some(bar))
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
