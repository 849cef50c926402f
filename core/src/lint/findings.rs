//! The finding: a lint's name, severity, place, message and advice, shaped
//! like a compile [`crate::source::Diagnostic`], and its rendering.

use serde::{Deserialize, Serialize};

use super::Raw;
use crate::source::{Source, SourceMap};

/// How much a finding matters: `error` and `warning` fail `changegate
/// lint`, `info` does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Almost surely a mistake.
    Error,
    /// Probably a mistake.
    Warning,
    /// Worth a look; does not fail `changegate lint`.
    Info,
}

/// The lints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lint {
    /// A `let` set no rule or `let` refers to.
    UnusedLet,
    /// A window no rule refers to.
    UnusedWindow,
    /// `require … else ""`: the person whose change is held sees no reason.
    EmptyElseMessage,
    /// `override by "G"` on a rule that requires approval from `G`.
    OverrideByApprover,
    /// A cron window with no occurrence in the year after the reference
    /// instant.
    WindowNeverOccurs,
    /// A `between` window that ended before the reference instant.
    WindowEnded,
    /// An allow comment naming no lint.
    UnknownLint,
    /// A rule whose `when` clauses contradict each other or a literal
    /// comparison that is false: the rule never fires.
    NeverHolds,
    /// A requirement another rule (or the same rule) already makes under the
    /// same conditions, or unconditionally.
    DuplicateRequirement,
    /// `deny outside W` where W's occurrences are shorter than a change.
    ShortWindow,
    /// `require approval owner of SET` where SET can hold nodes of the
    /// graph without an owner, or no node of the graph at all.
    EmptyOwnerSet,
    /// `change.X` or `node.X` that no given change or graph node carries.
    UnknownAttribute,
    /// An allow comment naming a lint that has no finding where it allows.
    UnusedAllow,
}

impl Lint {
    /// Every lint, in the order of the docs.
    pub const ALL: [Lint; 13] = [
        Lint::UnusedLet,
        Lint::UnusedWindow,
        Lint::EmptyElseMessage,
        Lint::OverrideByApprover,
        Lint::NeverHolds,
        Lint::DuplicateRequirement,
        Lint::WindowNeverOccurs,
        Lint::WindowEnded,
        Lint::ShortWindow,
        Lint::EmptyOwnerSet,
        Lint::UnknownAttribute,
        Lint::UnknownLint,
        Lint::UnusedAllow,
    ];

    /// The name written in findings and allow comments.
    pub fn name(self) -> &'static str {
        match self {
            Lint::UnusedLet => "unused-let",
            Lint::UnusedWindow => "unused-window",
            Lint::EmptyElseMessage => "empty-else-message",
            Lint::OverrideByApprover => "override-by-approver",
            Lint::WindowNeverOccurs => "window-never-occurs",
            Lint::WindowEnded => "window-ended",
            Lint::UnknownLint => "unknown-lint",
            Lint::NeverHolds => "never-holds",
            Lint::DuplicateRequirement => "duplicate-requirement",
            Lint::ShortWindow => "short-window",
            Lint::EmptyOwnerSet => "empty-owner-set",
            Lint::UnknownAttribute => "unknown-attribute",
            Lint::UnusedAllow => "unused-allow",
        }
    }

    /// The lint named `name`.
    pub fn from_name(name: &str) -> Option<Lint> {
        Lint::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The short words under the caret of a rendered finding.
    fn label(self) -> &'static str {
        match self {
            Lint::UnusedLet | Lint::UnusedWindow => "never used",
            Lint::EmptyElseMessage => "an empty message",
            Lint::OverrideByApprover => "also a group this rule requires",
            Lint::WindowNeverOccurs => "no date in the next year",
            Lint::WindowEnded => "in the past",
            Lint::UnknownLint => "not a lint",
            Lint::NeverHolds => "never true",
            Lint::DuplicateRequirement => "already required",
            Lint::ShortWindow => "too short for a change",
            Lint::EmptyOwnerSet => "may have no owner to approve",
            Lint::UnknownAttribute => "no such attribute in the inputs",
            Lint::UnusedAllow => "allows nothing here",
        }
    }

    /// What it finds, in one line (SARIF's `shortDescription`).
    pub fn summary(self) -> &'static str {
        match self {
            Lint::UnusedLet => "a `let` set that nothing refers to",
            Lint::UnusedWindow => "a window that no rule denies during or outside",
            Lint::EmptyElseMessage => "an empty `else` message",
            Lint::OverrideByApprover => {
                "an `override by` group the rule also requires approval from"
            }
            Lint::NeverHolds => "a rule whose `when` can never hold",
            Lint::DuplicateRequirement => "a requirement another rule already makes",
            Lint::WindowNeverOccurs => "a cron window with no date in the next year",
            Lint::WindowEnded => "a `between` window that has ended",
            Lint::ShortWindow => "`deny outside` a window shorter than a change",
            Lint::EmptyOwnerSet => "`require approval owner of` a set that can have no owner",
            Lint::UnknownAttribute => "an attribute that no given change or graph node has",
            Lint::UnknownLint => "an allow comment naming no lint",
            Lint::UnusedAllow => "an allow comment whose lint finds nothing where it allows",
        }
    }

    /// How much its findings matter unless the configuration says otherwise.
    /// An ended window is `info`: it is stale, not wrong, and a policy
    /// library must not start failing its CI on the day a freeze ends. A
    /// `when` that never holds is an `error`: the rule is dead code.
    pub fn severity(self) -> Severity {
        match self {
            Lint::WindowEnded => Severity::Info,
            Lint::NeverHolds => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

/// One lint finding, with its place and advice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schema",
    derive(schemars::JsonSchema),
    schemars(deny_unknown_fields)
)]
pub struct Finding {
    /// The lint's name, as allow comments write it (`unused-let`).
    pub name: String,
    /// How much it matters.
    pub severity: Severity,
    /// The file's name.
    pub file: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based column (in characters) of the start.
    pub column: u32,
    /// 1-based line of the end.
    pub end_line: u32,
    /// 1-based column (in characters) just past the end.
    pub end_column: u32,
    /// What looks wrong.
    pub message: String,
    /// How to fix it, or how to say it is meant.
    pub help: Option<String>,
    /// Byte range in the file, for renderers.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub(crate) range: (u32, u32),
}

impl Finding {
    pub(super) fn at(map: &SourceMap, raw: Raw, severity: Severity) -> Finding {
        let d = map.diagnostic(raw.span, raw.message, raw.help);
        Finding {
            name: raw.lint.name().to_owned(),
            severity,
            file: d.file,
            line: d.line,
            column: d.column,
            end_line: d.end_line,
            end_column: d.end_column,
            message: d.message,
            help: d.help,
            range: d.range,
        }
    }
}

/// Findings as a compiler prints its errors (the source line, a caret, the
/// message and `help:`), with ANSI colors if `color`; `sources` are the
/// files linted.
pub fn render(findings: &[Finding], sources: &[Source], color: bool) -> String {
    use ariadne::{Config, IndexType, Label, Report, ReportKind};
    let mut out = Vec::new();
    let mut cache = ariadne::sources(sources.iter().map(|s| (s.name.clone(), s.text.as_str())));
    for f in findings {
        let range = f.range.0 as usize..f.range.1 as usize;
        let kind = match f.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
            Severity::Info => ReportKind::Advice,
        };
        let mut report = Report::build(kind, (f.file.clone(), range.clone()))
            .with_config(
                Config::default()
                    .with_color(color)
                    .with_index_type(IndexType::Byte),
            )
            .with_code(&f.name)
            .with_message(&f.message)
            .with_label(
                Label::new((f.file.clone(), range))
                    .with_message(Lint::from_name(&f.name).map_or("here", Lint::label)),
            );
        if let Some(help) = &f.help {
            report = report.with_help(help);
        }
        if report.finish().write(&mut cache, &mut out).is_err() {
            out.extend_from_slice(
                format!("{}:{}:{}: {}\n", f.file, f.line, f.column, f.message).as_bytes(),
            );
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
