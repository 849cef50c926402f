//! Diagnostics for an editor: every compile error of the set (syntax,
//! names, types, windows; docs/language.md, *Errors and limits*), and,
//! when the set compiles, the lint findings (`changegate lint`) from an
//! instant the caller gives.

use crate::lint::LintOptions;

use super::{Place, Workspace};
use crate::api::Severity;

/// How much a diagnostic matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdeSeverity {
    /// A compile error, or a lint finding of severity `error`.
    Error,
    /// A lint warning.
    Warning,
    /// A lint finding worth a look.
    Info,
}

/// A compile error or a lint finding, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeDiagnostic {
    /// Where it is.
    pub place: Place,
    /// How much it matters.
    pub severity: IdeSeverity,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The lint's name for a finding (`unused-let`); `None` for a compile
    /// error.
    pub lint: Option<String>,
}

impl Workspace {
    /// The diagnostics of file `file`, in order of place: its compile
    /// errors when the set does not compile (or, when only other files
    /// have errors, one note at its start that names the first), else its
    /// lint findings with `lint`'s instant, configuration and graph (as
    /// `changegate lint` would give them).
    pub fn diagnostics(&self, file: usize, lint: &LintOptions<'_>) -> Vec<IdeDiagnostic> {
        let Some(name) = self.sources.get(file).map(|s| s.name.as_str()) else {
            return Vec::new();
        };
        let mut out: Vec<IdeDiagnostic> =
            match crate::lint::lint(self.sources.clone(), &self.limits, lint) {
                // The linter's compile error holds every problem: no second compile.
                Err(e) => {
                    let all = e.diagnostics();
                    let own: Vec<IdeDiagnostic> = all
                        .iter()
                        .filter(|d| d.file == name)
                        .map(|d| IdeDiagnostic {
                            place: Place {
                                file,
                                start: d.range.0 as usize,
                                end: d.range.1 as usize,
                            },
                            severity: IdeSeverity::Error,
                            message: d.message.clone(),
                            help: d.help.clone(),
                            lint: None,
                        })
                        .collect();
                    // A file without errors of its own in a set that does
                    // not compile says why it shows no findings.
                    match all.first() {
                        Some(first) if own.is_empty() => vec![IdeDiagnostic {
                            place: Place {
                                file,
                                start: 0,
                                end: 0,
                            },
                            severity: IdeSeverity::Info,
                            message: format!(
                                "the policy set does not compile, so it is not linted: {} \
                                 error{} in other files, the first at `{}:{}:{}`: {}",
                                all.len(),
                                if all.len() == 1 { "" } else { "s" },
                                first.file,
                                first.line,
                                first.column,
                                first.message
                            ),
                            help: Some(format!("open `{}` to see its errors", first.file)),
                            lint: None,
                        }],
                        _ => own,
                    }
                }
                Ok(findings) => findings
                    .into_iter()
                    .filter(|f| f.file == name)
                    .map(|f| IdeDiagnostic {
                        place: Place {
                            file,
                            start: f.range.0 as usize,
                            end: f.range.1 as usize,
                        },
                        severity: match f.severity {
                            Severity::Error => IdeSeverity::Error,
                            Severity::Warning => IdeSeverity::Warning,
                            Severity::Info => IdeSeverity::Info,
                        },
                        message: f.message,
                        help: f.help,
                        lint: Some(f.name),
                    })
                    .collect(),
            };
        out.sort_by(|a, b| (a.place, &a.message).cmp(&(b.place, &b.message)));
        out
    }
}
