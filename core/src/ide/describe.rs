//! Items in words, for hover: a rule's conditions and what each of its
//! effects requires or blocks (docs/language.md, *Rules and their clauses*
//! and *Effects*); a window's or a `let`'s definition as written.

use crate::ast::{EffectKind, LetDef, RuleDef, WindowDef, WindowSpec};
use crate::source::Span;

/// The source text at `span`, on one line (line breaks and the blanks
/// around them become one space).
pub(crate) fn text(src: &str, span: Span) -> String {
    let t = src
        .get(span.start as usize..span.end as usize)
        .unwrap_or("");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `window NAME = …` as written, on one line.
pub(crate) fn window(src: &str, w: &WindowDef) -> String {
    let end = match (&w.tz, &w.spec) {
        (Some(tz), _) => tz.span.end,
        (None, WindowSpec::Between { end, .. }) => end.span.end,
        (None, WindowSpec::Cron { duration, .. }) => duration.span.end,
    };
    let rest = Span {
        file: w.name.span.file,
        start: w.name.span.end,
        end,
    };
    format!("window {} {}", w.name.name, text(src, rest))
}

/// `let NAME = SET` as written, on one line.
pub(crate) fn set(src: &str, l: &LetDef) -> String {
    format!("let {} = {}", l.name.name, text(src, l.set.span))
}

/// What a rule asks, as markdown lines: when it fires, then one line per
/// effect, then its reason and who may override it.
pub(crate) fn rule(src: &str, r: &RuleDef) -> Vec<String> {
    let code = |span: Span| format!("`{}`", text(src, span));
    let mut out = Vec::new();
    let when: Vec<String> = r.when.iter().map(|e| code(e.span)).collect();
    let unless: Vec<String> = r.unless.iter().map(|e| code(e.span)).collect();
    out.push(match (when.is_empty(), unless.is_empty()) {
        (true, true) => "Applies to every change.".to_owned(),
        (false, true) => format!("Applies when {}.", when.join(" and ")),
        (true, false) => format!("Applies unless {}.", unless.join(" or ")),
        (false, false) => format!(
            "Applies when {}, unless {}.",
            when.join(" and "),
            unless.join(" or ")
        ),
    });
    for e in &r.effects {
        out.push(format!("- {}", effect(src, &e.kind)));
    }
    if let Some(b) = &r.because {
        out.push(format!("Because: {}", b.value));
    }
    if let Some(groups) = &r.override_by {
        let gs: Vec<String> = groups.iter().map(|g| format!("`{}`", g.value)).collect();
        out.push(format!("May be overridden by {}.", gs.join(", ")));
    }
    out
}

fn names(ws: &[crate::ast::Ident]) -> String {
    let ws: Vec<String> = ws.iter().map(|w| format!("`{}`", w.name)).collect();
    ws.join(", ")
}

fn effect(src: &str, e: &EffectKind) -> String {
    let code = |span: Span| format!("`{}`", text(src, span));
    match e {
        EffectKind::ApprovalGroup { group, count } => {
            let n = count.map_or(1, |(n, _)| n);
            if n == 1 {
                format!("requires an approval from group `{}`", group.value)
            } else {
                format!(
                    "requires {n} approvals from distinct people of group `{}`",
                    group.value
                )
            }
        }
        EffectKind::ApprovalOwner { set } => format!(
            "requires an approval from the owner group of every node of {}",
            code(set.span)
        ),
        EffectKind::Backup {
            verified,
            set,
            kind,
            within,
        } => format!(
            "requires a completed{} backup{} of every node of {}, taken at most {} before the start",
            if *verified { ", verified" } else { "" },
            kind.as_ref()
                .map(|k| format!(" of kind `{}`", k.value))
                .unwrap_or_default(),
            code(set.span),
            crate::value::format_duration(within.value)
        ),
        EffectKind::Condition { expr, message } => format!(
            "requires {} to be `true`, else: “{}”",
            code(expr.span),
            message.value
        ),
        EffectKind::DenyDuring(ws) => {
            format!(
                "denies a change that overlaps an occurrence of {}",
                names(ws)
            )
        }
        EffectKind::DenyOutside(ws) => format!(
            "denies a change that does not lie wholly inside one occurrence of {}",
            names(ws)
        ),
        EffectKind::DenyMessage(m) => format!("denies the change: “{}”", m.value),
    }
}
