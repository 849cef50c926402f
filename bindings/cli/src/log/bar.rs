//! A progress bar on stderr for the long reads (verify, export, replay of a
//! large log); nothing unless stderr is a terminal and no machine asked for
//! JSON.

use std::io::IsTerminal as _;

use changegate_log::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A bar that clears itself when dropped.
pub(crate) struct Bar(Option<ProgressBar>);

impl Bar {
    /// A bar saying `message`, when a person can see it.
    pub(crate) fn start(message: &str, json: bool) -> Bar {
        if json || !std::io::stderr().is_terminal() {
            return Bar(None);
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} records {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message(message.to_owned());
        Bar(Some(bar))
    }

    /// Moves the bar (indicatif redraws at most a few times a second).
    pub(crate) fn show(&self, p: Progress) {
        if let Some(bar) = &self.0 {
            if p.total != 0 && bar.length() != Some(p.total) {
                bar.set_length(p.total);
            }
            bar.set_position(p.done);
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
