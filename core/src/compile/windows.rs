//! Windows built from their definitions into the form the evaluator searches
//! (docs/language.md, *Windows*). The checks call this: a window is valid
//! exactly when it builds, so building it once serves both.

use std::collections::HashMap;

use jiff::SignedDuration;

use crate::ast::{WindowDef, WindowSpec};
use crate::source::Span;
use crate::window::{Window, WindowError};

/// Builds windows, sharing the cron windows written the same way.
#[derive(Debug, Default)]
pub(crate) struct WindowBuilder<'a> {
    /// Cron windows already built, by expression, duration and time zone as
    /// written: building one parses its cron expression (croner sets a bit
    /// for each of 5,000 years), the largest part of checking a policy; a
    /// policy that writes the same window under several names builds it
    /// once.
    crons: HashMap<(&'a str, SignedDuration, Option<&'a str>), Window>,
}

impl<'a> WindowBuilder<'a> {
    /// Builds `w`, or says what is wrong with it and where. A cron window's
    /// duration under one second is [`WindowError::NonPositiveDuration`] at
    /// the duration; an unknown time zone is reported before anything else.
    pub(crate) fn build(&mut self, w: &'a WindowDef) -> Result<Window, (Span, WindowError)> {
        let tz = w.tz.as_ref().map(|t| t.value.as_str());
        if let WindowSpec::Cron { expr, duration } = &w.spec {
            let key = (expr.value.as_str(), duration.value, tz);
            if let Some(built) = self.crons.get(&key) {
                return Ok(built.clone());
            }
            let built = build_uncached(w, tz)?;
            self.crons.insert(key, built.clone());
            return Ok(built);
        }
        build_uncached(w, tz)
    }
}

fn build_uncached(w: &WindowDef, tz: Option<&str>) -> Result<Window, (Span, WindowError)> {
    if let Some(t) = &w.tz {
        crate::window::resolve_tz(&t.value).map_err(|e| (t.span, e))?;
    }
    match &w.spec {
        WindowSpec::Between { start, end } => {
            Window::between(start.civil, start.offset, end.civil, end.offset, tz)
                .map_err(|e| (end.span, e))
        }
        WindowSpec::Cron { expr, duration } => {
            if duration.value.as_secs() <= 0 {
                return Err((
                    duration.span,
                    WindowError::NonPositiveDuration {
                        duration: crate::value::format_duration(duration.value),
                    },
                ));
            }
            Window::cron(&expr.value, duration.value, tz).map_err(|e| (expr.span, e))
        }
    }
}
