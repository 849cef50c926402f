//! Hover: what a name or a reserved word means, as markdown. A window shows
//! its definition and its next occurrences from an instant the caller
//! gives (so the answer is the same on every run with the same inputs); a
//! rule, what it requires and blocks in words; a `let`, its definition; the
//! first field of a `change.` or `node.` path, what it reads; a reserved
//! word, a line of the language reference.

use jiff::Timestamp;

use super::symbols::Def;
use super::{Place, Workspace, describe, fields, occur, words};
use crate::ast::Item;
use crate::compile::WindowBuilder;

/// The answer to a hover: the range it describes and markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// The name or word hovered.
    pub place: Place,
    /// What it means, as markdown.
    pub markdown: String,
}

impl Workspace {
    /// What the name or reserved word at `offset` of `file` means; `None`
    /// elsewhere (in a comment, a string, on punctuation). Window
    /// occurrences are listed from `now`.
    pub fn hover(&self, file: usize, offset: usize, now: Timestamp) -> Option<Hover> {
        if let Some(hit) = self.index.at(file, offset) {
            let place = match hit {
                super::symbols::Hit::Def(i) => self.index.defs.get(i)?.place,
                super::symbols::Hit::Use(i) => self.index.uses.get(i)?.place,
            };
            let (name, def) = self.index.resolve(hit);
            let markdown = match def {
                Some(def) => self.describe(def, now),
                None => format!("`{name}` is not defined in this policy set"),
            };
            return Some(Hover { place, markdown });
        }
        let text = self.text(file);
        let (start, end, word) = words::word_at(text, offset)?;
        if !words::in_code(text, start) {
            return None;
        }
        let markdown = match fields::hover(text, start, word) {
            Some(md) => md,
            None => format!("**{word}**: {}", words::keyword_doc(word)?),
        };
        Some(Hover {
            place: Place { file, start, end },
            markdown,
        })
    }

    /// The markdown for a definition.
    fn describe(&self, def: &Def, now: Timestamp) -> String {
        let (f, i) = def.item;
        let src = self.text(f);
        let Some(item) = self.items.get(f).and_then(|items| items.get(i)) else {
            return String::new();
        };
        let file = self.sources.get(f).map_or("", |s| s.name.as_str());
        let line = src
            .get(..def.place.start)
            .map_or(0, |b| b.matches('\n').count())
            + 1;
        let at = format!("Defined at `{file}:{line}`.");
        match item {
            Item::Window(w) => {
                let mut out = format!("```changegate\n{}\n```\n{at}\n\n", describe::window(src, w));
                match WindowBuilder::default().build(w) {
                    Ok(window) => {
                        let list = occur::next(&window, now, occur::SHOWN);
                        let from = now.strftime("%Y-%m-%d %H:%M UTC");
                        if list.is_empty() {
                            out.push_str(&format!("No occurrence from {from}."));
                        } else {
                            out.push_str(&format!("Next occurrences from {from}:\n"));
                            for o in &list {
                                out.push_str(&format!(
                                    "- {}\n",
                                    occur::line(o, window.time_zone(), window.tz_name())
                                ));
                            }
                        }
                    }
                    Err((_, e)) => out.push_str(&format!("This window does not build: {e}.")),
                }
                out.trim_end().to_owned()
            }
            Item::Let(l) => format!("```changegate\n{}\n```\n{at}", describe::set(src, l)),
            Item::Rule(r) => format!(
                "```changegate\nrule {}\n```\n{at}\n\n{}",
                r.name.name,
                describe::rule(src, r).join("\n")
            ),
        }
    }
}
