//! Name resolution over the one namespace that rules, windows and sets
//! share (docs/language.md, *Files, comments and names*): each name is
//! defined once, and a reference names something of the kind it needs.

use std::collections::HashMap;

use super::{CheckError, Cx, Located};
use crate::ast::{Ident, Item};
use crate::compile::{Checked, Symbol, WindowBuilder};
use crate::source::SourceMap;
use crate::window::WindowError;

/// Defines every item's name, reporting duplicates, and builds the windows.
/// Returns the items sorted by kind with the name table, and the names of
/// the windows that did not build (already reported: a reference to one is
/// not reported again).
pub(super) fn define<'a>(
    items: &'a [Item],
    map: &SourceMap,
    errors: &mut Vec<Located>,
) -> (Checked<'a>, Vec<&'a str>) {
    let mut out = Checked {
        windows: Vec::new(),
        lets: Vec::new(),
        rules: Vec::new(),
        symbols: HashMap::new(),
    };
    let mut first_of: HashMap<&str, &Item> = HashMap::new();
    let mut windows = WindowBuilder::default();
    for item in items {
        let name = item.name();
        if let Some(first) = first_of.get(name.name.as_str()) {
            let f = first.name().span;
            errors.push((
                name.span,
                CheckError::Duplicate {
                    name: name.name.clone(),
                    first: format!("{}:{}", map.name(f.file), map.line(f)),
                    what: first.what(),
                },
            ));
            continue;
        }
        first_of.insert(&name.name, item);
        let sym = match item {
            Item::Window(w) => match windows.build(w) {
                Ok(win) => {
                    out.windows.push((w, win));
                    Symbol::Window(out.windows.len() - 1)
                }
                Err((span, e)) => {
                    errors.push((span, window_error(e)));
                    continue;
                }
            },
            Item::Let(l) => {
                out.lets.push(l);
                Symbol::Set(out.lets.len() - 1)
            }
            Item::Rule(r) => {
                out.rules.push(r);
                Symbol::Rule(out.rules.len() - 1)
            }
        };
        out.symbols.insert(&name.name, sym);
    }
    let broken = items
        .iter()
        .filter_map(|i| match i {
            Item::Window(w) if !out.symbols.contains_key(w.name.name.as_str()) => {
                Some(w.name.name.as_str())
            }
            _ => None,
        })
        .collect();
    (out, broken)
}

/// A window that does not build. A cron window's duration is reported as
/// the language's other durations and counts are, not in the window
/// module's words.
fn window_error(e: WindowError) -> CheckError {
    match e {
        WindowError::NonPositiveDuration { duration } => CheckError::TooSmall {
            what: "a window's duration",
            min: "1s",
            found: duration,
        },
        e => CheckError::Window(e),
    }
}

impl Cx<'_, '_> {
    /// Resolves a reference to a window (`what == "window"`) or a set.
    pub(super) fn resolve(&self, id: &Ident, what: &'static str, errors: &mut Vec<Located>) {
        let found = self.symbols.get(id.name.as_str());
        let ok = matches!(
            (what, found),
            ("window", Some(Symbol::Window(_))) | ("set", Some(Symbol::Set(_)))
        );
        if ok || (what == "window" && self.broken.contains(&id.name.as_str())) {
            return;
        }
        let actual = match found {
            Some(Symbol::Window(_)) => Some("window"),
            Some(Symbol::Set(_)) => Some("set"),
            Some(Symbol::Rule(_)) => Some("rule"),
            None => None,
        };
        let candidates = self.symbols.iter().filter_map(|(name, s)| {
            let kind_ok = matches!(
                (what, s),
                ("window", Symbol::Window(_)) | ("set", Symbol::Set(_))
            );
            kind_ok.then_some(*name)
        });
        errors.push((
            id.span,
            CheckError::Unknown {
                what,
                name: id.name.clone(),
                suggestion: closest(&id.name, candidates),
                actual,
            },
        ));
    }
}

/// The closest of `candidates` to `name`, if it is close enough to suggest
/// (the one did-you-mean rule of `input::suggest`).
pub(crate) fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    crate::input::did_you_mean(name, candidates).map(str::to_owned)
}
