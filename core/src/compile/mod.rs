//! Lowering: a checked policy set turned into the form the evaluator runs.
//! Names are resolved to indices, paths to field selectors, every set
//! expression (named or inline) to one entry of a table that the evaluator
//! computes at most once per evaluation, and constant lists folded
//! ([`rules`]). Also here, because the checks and the evaluator share them:
//! the table of built-in fields ([`fields`]) and the building of windows
//! ([`windows`]).
//!
//! The checks ([`crate::check`]) use this module and fill in its input,
//! [`Checked`]; this module does not use them.

pub(crate) mod fields;
mod rules;
#[cfg(test)]
mod tests;
mod windows;

use std::collections::HashMap;
use std::sync::Arc;

use jiff::SignedDuration;

use crate::ast::{BinOp, Func, LetDef, RuleDef, Walk, WindowDef};
use crate::decision::Fired;
use crate::source::SourceMap;
use crate::value::Value;
use crate::window::Window;

pub(crate) use fields::{ChangeField, NodeField};
pub(crate) use windows::WindowBuilder;

/// What an item name refers to: an index into one of the lists of
/// [`Checked`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Symbol {
    Window(usize),
    Set(usize),
    Rule(usize),
}

/// A policy set that passed the checks, as lowering reads it: items sorted
/// by kind, every window built, every name in `symbols`.
#[derive(Debug)]
pub(crate) struct Checked<'a> {
    pub(crate) windows: Vec<(&'a WindowDef, Window)>,
    pub(crate) lets: Vec<&'a LetDef>,
    pub(crate) rules: Vec<&'a RuleDef>,
    pub(crate) symbols: HashMap<&'a str, Symbol>,
}

/// Index into [`Program::sets`].
pub(crate) type SetId = usize;
/// Index into [`Program::windows`].
pub(crate) type WindowId = usize;

/// A compiled policy set.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub(crate) rules: Vec<CRule>,
    pub(crate) sets: Vec<CSet>,
    pub(crate) windows: Vec<CWindow>,
    /// Rule index by name, for overrides.
    pub(crate) rule_index: HashMap<Arc<str>, usize>,
}

/// A named window.
#[derive(Debug, Clone)]
pub(crate) struct CWindow {
    pub(crate) name: Arc<str>,
    pub(crate) window: Window,
    /// The file and line of its name, for reports that list windows
    /// (test coverage) the way `fired` lists rules.
    pub(crate) file: Arc<str>,
    pub(crate) line: u32,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct CRule {
    pub(crate) name: Arc<str>,
    pub(crate) when: Vec<CExpr>,
    pub(crate) unless: Vec<CExpr>,
    pub(crate) effects: Vec<CEffect>,
    /// `None` when the rule has no `override by`.
    pub(crate) override_by: Option<Vec<Arc<str>>>,
    /// The decision's entry for the rule when it fires, shared by every
    /// decision.
    pub(crate) fired: Arc<Fired>,
}

/// A compiled effect.
#[derive(Debug, Clone)]
pub(crate) enum CEffect {
    Approval {
        group: Arc<str>,
        count: u32,
    },
    Owner(SetId),
    Backup {
        set: SetId,
        kind: Option<Arc<str>>,
        within: SignedDuration,
        /// `within` as the decision writes it, formatted once here.
        within_text: Arc<str>,
        verified: bool,
    },
    Condition {
        expr: CExpr,
        message: Arc<str>,
    },
    DenyDuring(Vec<WindowId>),
    DenyOutside(Vec<WindowId>),
    DenyMessage(Arc<str>),
}

/// A compiled node set.
#[derive(Debug, Clone)]
pub(crate) enum CSet {
    Targets,
    Impacted,
    Walk {
        dir: Walk,
        of: SetId,
        depth: Option<u32>,
    },
    Filter {
        of: SetId,
        filters: Vec<CExpr>,
    },
}

/// A compiled expression.
#[derive(Debug, Clone)]
pub(crate) enum CExpr {
    Const(Value),
    /// `change.first.rest…`; for `Attr`, `rest[0]` is the attribute name.
    Change(ChangeField, Box<[Arc<str>]>),
    /// `node.first.rest…`; for `Attr`, `rest[0]` is the attribute name.
    Node(NodeField, Box<[Arc<str>]>),
    Not(Box<CExpr>),
    And(Vec<CExpr>),
    Or(Vec<CExpr>),
    Cmp(BinOp, Box<CExpr>, Box<CExpr>),
    /// `x in node.tags` (or `not in` when the flag is set): tested against
    /// the node's tags in place, without building a list.
    InNodeTags(Box<CExpr>, bool),
    List(Vec<CExpr>),
    Call(Func, SetId, Option<Box<CExpr>>),
}

/// Lowers a checked policy set.
pub(crate) fn compile(checked: &Checked<'_>, map: &SourceMap) -> Program {
    let windows = checked
        .windows
        .iter()
        .map(|(def, w)| CWindow {
            name: Arc::from(def.name.name.as_str()),
            window: w.clone(),
            file: Arc::from(map.name(def.name.span.file)),
            line: map.line(def.name.span),
        })
        .collect();
    let mut c = rules::Compiler::new(checked);
    let mut rules: Vec<CRule> = checked.rules.iter().map(|r| c.rule(r, map)).collect();
    // Evaluate in a stable order, independent of how files were passed.
    rules.sort_by(|a, b| a.name.cmp(&b.name));
    let rule_index = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    Program {
        rules,
        sets: c.into_sets(),
        windows,
        rule_index,
    }
}
