//! What `validate` says when the policy compiles, and errors for people.

use std::fmt::Write as _;

use changegate::api::Finding;
use changegate::source::Source;
use changegate::{Error, Policy};

use super::words::plural;
use crate::err::{Failure, READ_HELP};
use crate::style::{self, paint};

/// `changegate validate` when the policy compiles.
pub(crate) fn validated(policy: &Policy) -> String {
    format!(
        "{}: {} in {}\n",
        paint(style::good().bold(), "ok"),
        plural(policy.rules().count(), "rule"),
        plural(policy.files().len(), "file")
    )
}

/// `changegate lint`'s findings as compile errors are shown, then a count.
pub(crate) fn linted(findings: &[Finding], sources: &[Source], colored: bool) -> String {
    let mut out = changegate::api::render_findings(findings, sources, colored);
    if findings.is_empty() {
        let _ = writeln!(out, "{}", paint(style::good().bold(), "no findings"));
    } else {
        let _ = writeln!(out, "{}", plural(findings.len(), "finding"));
    }
    out
}

/// An error for people: what went wrong, where, and how to fix it.
pub(crate) fn failure(f: &Failure, colored: bool) -> String {
    let error = paint(style::error(), "error");
    let help = |h: &str| format!("  {}: {h}\n", paint(style::help(), "help"));
    match f {
        Failure::Core(Error::Policy(p)) => {
            let mut out = p.render(colored);
            let mut files: Vec<&str> = p.diagnostics().iter().map(|d| &*d.file).collect();
            files.sort_unstable();
            files.dedup();
            let _ = writeln!(
                out,
                "{error}: the policy does not compile: {} in {}",
                plural(p.diagnostics().len(), "error"),
                plural(files.len(), "file")
            );
            out
        }
        Failure::Core(e) => {
            let mut out = format!("{error}: {e}\n");
            if let Some(h) = e.help() {
                out.push_str(&help(&h));
            }
            out
        }
        Failure::Read { path, message } => {
            format!(
                "{error}: cannot read `{path}`: {message}\n{}",
                help(READ_HELP)
            )
        }
        Failure::Usage { message, help: h } => {
            let mut out = format!("{error}: {message}\n");
            if let Some(h) = h {
                out.push_str(&help(h));
            }
            out
        }
    }
}
